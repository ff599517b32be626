/*
 * fuzz_rpc.c - libFuzzer target: the control protocol as the board
 * reads it. The input is what a client writes on its connection: frames
 * (a length and a crtool.Request) or anything else. A started board (the
 * default profile, its processes held to an instruction limit) serves it
 * exactly as it serves a socket's client, while a thread drains the
 * replies. Whatever the bytes, the board must answer or hang up, never
 * crash or leak, and still serve the next connection.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "board/board.h"
#include "board/server.h"
#include "diag/crerr.h"
#include "params/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct feed {
	int fd;
	const uint8_t *data;
	size_t size;
};

/* Writes the input as the client, then reads replies until the board
 * closes its end. */
static void *fuzz_rpc_client(void *arg)
{
	struct feed *f = arg;
	uint8_t buf[16384];
	size_t off = 0;

	while (off < f->size) {
		ssize_t n = send(f->fd, f->data + off, f->size - off, MSG_NOSIGNAL);
		if (n <= 0)
			break; /* the board hung up: a frame it cannot resynchronise */
		off += (size_t)n;
	}
	shutdown(f->fd, SHUT_WR);
	while (read(f->fd, buf, sizeof(buf)) > 0)
		;
	return NULL;
}

static struct board *fuzz_rpc_board(void)
{
	static struct board *b;
	struct board_config cfg = { 0 };
	struct crerr e = CRERR_INIT;

	if (b)
		return b;
	cfg.prof = profile_find("default");
	cfg.insn_limit = 100000;
	cfg.node_sched = BOARD_NODES_NORMAL;
	b = board_new(&cfg, &e);
	if (!b || board_start(b))
		abort();
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct board *b = fuzz_rpc_board();
	struct board_proc_info *list;
	struct feed f = { -1, data, size };
	pthread_t th;
	size_t n;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	f.fd = sv[1];
	if (pthread_create(&th, NULL, fuzz_rpc_client, &f))
		abort();
	if (server_serve_conn(b, sv[0]))
		abort();
	close(sv[0]);
	pthread_join(th, NULL);
	close(sv[1]);
	/* The board still serves; what the input started is stopped. */
	if (board_ps(b, &list, &n))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if (list[i].state == BOARD_RUNNING)
			board_kill(b, list[i].pid);
	free(list);
	return 0;
}
