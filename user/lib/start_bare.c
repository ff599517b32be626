/*
 * start_bare.c - C entry of freestanding guests: runs main and exits with
 * its status.
 */
#include "nanvix/syscall.h"

int main(int argc, char **argv, char **envp);
void __nanvix_start(int argc, char **argv, char **envp);

void __nanvix_start(int argc, char **argv, char **envp)
{
	nv_exit(main(argc, argv, envp));
}
