/* args.c - argc/argv from the initial stack, and main's return value. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("argc %d, argv[0] ends in args.elf: %s\n", argc,
	       strlen(argv[0]) >= 8 && !strcmp(argv[0] + strlen(argv[0]) - 8, "args.elf") ? "yes" : "no");
	for (int i = 1; i < argc; i++)
		printf("%d:%s\n", i, argv[i]);
	return argc;
}
