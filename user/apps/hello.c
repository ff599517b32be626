/*
 * hello.c - the first guest: printf and malloc through picolibc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *text = "Hello from a Nanvix cluster";
	char *msg = malloc(strlen(text) + 1);

	if (!msg) {
		fprintf(stderr, "hello: out of memory\n");
		return 1;
	}
	strcpy(msg, text);
	printf("%s! rv32imac, %d argument%s\n", msg, argc - 1, argc == 2 ? "" : "s");
	for (int i = 1; i < argc; i++)
		printf("  argv[%d] = %s\n", i, argv[i]);
	free(msg);
	return 0;
}
