/*
 * nudge.c - sends one message to a process's mailbox, to release a
 * process that waits for it (seedapp --hold).
 *
 *   nudge PID [PORT]     (PORT: default 7, seedapp's)
 *
 * Exit status: 0 sent, 1 the process or its mailbox cannot be reached,
 * 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/ikc.h"

int main(int argc, char **argv)
{
	char msg[NV_MAILBOX_SIZE];
	int pid, port, out, rc;

	if (argc < 2 || argc > 3 || (pid = atoi(argv[1])) <= 0 ||
	    (port = argc == 3 ? atoi(argv[2]) : 7) < 0) {
		fprintf(stderr, "usage: nudge PID [PORT]\n");
		return 2;
	}
	memset(msg, 0, sizeof(msg));
	strcpy(msg, "go");
	if ((out = nv_mailbox_open(pid, port)) < 0) {
		fprintf(stderr, "nudge: cannot reach pid %d: error %d\n", pid, out);
		return 1;
	}
	if ((rc = nv_mailbox_write(out, msg, sizeof(msg))) != (int)sizeof(msg)) {
		fprintf(stderr, "nudge: cannot write to pid %d: error %d\n", pid, rc);
		return 1;
	}
	nv_mailbox_close(out);
	return 0;
}
