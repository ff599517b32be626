/*
 * start_libc.c - C entry of picolibc guests: environment, constructors,
 * main, then exit() (destructors, stdio flush).
 */
#include <picolibc.h>
#include <picotls.h>
#include <stdlib.h>

extern char **environ;
int main(int argc, char **argv, char **envp);
void __libc_init_array(void);
void __nanvix_start(int argc, char **argv, char **envp);

/* The main thread's TLS block (nanvix.ld): the template in the image stays
 * pristine, since new threads copy it. */
extern char __tls_main[];

void __nanvix_start(int argc, char **argv, char **envp)
{
	_init_tls(__tls_main);
	_set_tls(__tls_main);
	environ = envp;
	__libc_init_array();
	exit(main(argc, argv, envp));
}
