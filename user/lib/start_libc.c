/*
 * start_libc.c - C entry of picolibc guests: environment, constructors,
 * main (or Nanvix's ___start), then exit() (destructors, stdio flush).
 */
#include <picolibc.h>
#include <picotls.h>
#include <stdlib.h>

extern char **environ;
int main(int argc, char **argv, char **envp) __attribute__((weak));
/* Nanvix's entry point; a program may define it instead of main (or
 * beside a stub main, as Nanvix's MPPA-256 programs do): it wins. */
void ___start(int argc, const char *argv[]) __attribute__((weak));
/* Nanvix runtime's entry: its ___start prepares the NoC and returns
 * __main2's status as the process's. */
int __main2(int argc, const char *argv[]) __attribute__((weak));
int knoc_init(void) __attribute__((weak));
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
	if (___start) {
		___start(argc, (const char **)argv);
		exit(0);
	}
	if (__main2) {
		if (knoc_init)
			knoc_init();
		exit(__main2(argc, (const char **)argv));
	}
	exit(main ? main(argc, argv, envp) : 0);
}
