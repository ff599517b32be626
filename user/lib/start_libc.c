/*
 * start_libc.c - C entry of picolibc guests: environment, constructors,
 * main, then exit() (destructors, stdio flush).
 */
#include <stdlib.h>

extern char **environ;
int main(int argc, char **argv, char **envp);
void __libc_init_array(void);
void __nanvix_start(int argc, char **argv, char **envp);

void __nanvix_start(int argc, char **argv, char **envp)
{
	environ = envp;
	__libc_init_array();
	exit(main(argc, argv, envp));
}
