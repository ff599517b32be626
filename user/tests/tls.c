/* tls.c - thread-local data: tp points at the TLS template, initialized
 * (.tdata) and zeroed (.tbss) variables sit apart from ordinary statics. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static _Thread_local int tdata_var = 1234;
static _Thread_local int tbss_var;
static int plain_var = 99;

int main(void)
{
	tbss_var += 5;
	tdata_var += 1;
	errno = 0;
	strtol("99999999999999999999", NULL, 10);
	printf("tdata %d tbss %d plain %d errno %s\n", tdata_var, tbss_var, plain_var,
	       errno == ERANGE ? "ERANGE" : "wrong");
	return 0;
}
