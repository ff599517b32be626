/*
 * test_server.c - the control protocol's error handling: garbage, cut,
 * oversized and unknown requests get error replies, and the board keeps
 * serving the next client.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "board/board.h"
#include "board/server.h"
#include "diag/crerr.h"
#include "params/profile.h"
#include "proto/rpcwire.h"

static struct board *b;
static pthread_t th;
static char path[108];

static void *serve(void *arg)
{
	struct crerr e = CRERR_INIT;

	(void)arg;
	server_run(b, path, NULL, &e);
	return NULL;
}

static int dial(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = -1;

	strcpy(sa.sun_path, path);
	for (int i = 0; i < 200; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		usleep(10000);
	}
	return -1;
}

static void setup(void)
{
	struct board_config cfg = { .prof = profile_find("mppa256") };
	struct crerr e = CRERR_INIT;

	snprintf(path, sizeof(path), "/tmp/crtool-test-%d.sock", (int)getpid());
	b = board_new(&cfg, &e);
	cr_assert(b, "%s", e.msg);
	cr_assert_eq(board_start(b), 0);
	cr_assert_eq(pthread_create(&th, NULL, serve, NULL), 0);
}

static void teardown(void)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__ShutdownRequest sd = CRTOOL__SHUTDOWN_REQUEST__INIT;
	int fd = dial();
	uint8_t *buf;
	size_t len;

	rq.req_case = CRTOOL__REQUEST__REQ_SHUTDOWN;
	rq.shutdown = &sd;
	cr_assert_eq(rpcwire_send_request(fd, &rq), 0);
	cr_assert_eq(rpcwire_read(fd, &buf, &len), 0);
	free(buf);
	close(fd);
	pthread_join(th, NULL);
	board_free(b);
}

/* Reads one reply and returns its error code (-1 if none came). */
static int reply_code(int fd)
{
	uint8_t *buf;
	size_t len;
	Crtool__Reply *rp;
	int code;

	if (rpcwire_read(fd, &buf, &len))
		return -1;
	rp = crtool__reply__unpack(NULL, len, buf);
	free(buf);
	cr_assert(rp, "the board's reply does not decode");
	code = rp->error;
	if (code)
		cr_expect(rp->message && strlen(rp->message) > 10, "an error says why");
	crtool__reply__free_unpacked(rp, NULL);
	return code;
}

/* The board still answers a stats request on a new connection. */
static void still_serving(void)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__StatsRequest st = CRTOOL__STATS_REQUEST__INIT;
	int fd = dial();

	rq.req_case = CRTOOL__REQUEST__REQ_STATS;
	rq.stats = &st;
	cr_assert_eq(rpcwire_send_request(fd, &rq), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__OK);
	close(fd);
}

TestSuite(server, .init = setup, .fini = teardown, .timeout = 60);

Test(server, garbage_gets_an_error_and_the_connection_goes_on)
{
	static const uint8_t junk[] = { 0xff, 0xff, 0xff, 0x07, 0x13, 0x37 };
	int fd = dial();

	cr_assert_eq(rpcwire_write(fd, junk, sizeof(junk)), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__BAD_REQUEST);
	/* The same connection still works. */
	cr_assert_eq(rpcwire_write(fd, junk, 0), 0); /* an empty Request: no type */
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__BAD_REQUEST);
	close(fd);
	still_serving();
}

Test(server, truncated_frame_gets_an_error)
{
	static const uint8_t cut[] = { 100, 0, 0, 0, 0x12, 0x00 }; /* 100 announced, 2 sent */
	int fd = dial();

	cr_assert_eq(send(fd, cut, sizeof(cut), 0), (ssize_t)sizeof(cut));
	shutdown(fd, SHUT_WR);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__BAD_REQUEST);
	close(fd);
	still_serving();
}

Test(server, oversized_frame_gets_an_error)
{
	static const uint8_t big[] = { 0, 0, 0, 0x40 }; /* 1 GiB announced */
	int fd = dial();

	cr_assert_eq(send(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__BAD_REQUEST);
	close(fd);
	still_serving();
}

Test(server, unknown_request_type_gets_an_error)
{
	static const uint8_t unknown[] = { 0x78, 0x01 }; /* field 15, varint 1 */
	int fd = dial();

	cr_assert_eq(rpcwire_write(fd, unknown, sizeof(unknown)), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__BAD_REQUEST);
	close(fd);
	still_serving();
}

Test(server, bad_requests_of_every_kind_change_nothing)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__RunRequest run = CRTOOL__RUN_REQUEST__INIT;
	Crtool__KillRequest k = CRTOOL__KILL_REQUEST__INIT;
	Crtool__OutputRequest o = CRTOOL__OUTPUT_REQUEST__INIT;
	static uint8_t notelf[64] = "not an ELF";
	char *argv[] = { "x" };
	int fd = dial();

	run.elf.data = notelf;
	run.elf.len = sizeof(notelf);
	run.n_argv = 1;
	run.argv = argv;
	run.has_node = 1;
	run.node = 99;
	rq.req_case = CRTOOL__REQUEST__REQ_RUN;
	rq.run = &run;
	cr_assert_eq(rpcwire_send_request(fd, &rq), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__NO_SUCH_NODE);
	run.node = 9;
	cr_assert_eq(rpcwire_send_request(fd, &rq), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__NOT_A_PROGRAM);
	k.pid = 12345;
	rq.req_case = CRTOOL__REQUEST__REQ_KILL;
	rq.kill = &k;
	cr_assert_eq(rpcwire_send_request(fd, &rq), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__NO_SUCH_PROCESS);
	o.pid = 1;
	o.has_stream = 1;
	o.stream = 3;
	rq.req_case = CRTOOL__REQUEST__REQ_OUTPUT;
	rq.output = &o;
	cr_assert_eq(rpcwire_send_request(fd, &rq), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__BAD_REQUEST);
	close(fd);
	still_serving();
}

/* Descriptors ride with a frame: a reader that wants them gets them (and
 * they are the same files); one that does not has them closed; a request
 * with the wrong number of them is refused without touching any. */
Test(server, descriptors_pass_with_a_frame)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__RestoreRequest rr = CRTOOL__RESTORE_REQUEST__INIT;
	Crtool__DumpRequest dq = CRTOOL__DUMP_REQUEST__INIT;
	int sv[2], p[2], got[RPCWIRE_FDS_MAX], fd;
	uint8_t *buf;
	size_t len, n;
	char c = 0;

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	cr_assert_eq(pipe(p), 0);
	rq.req_case = CRTOOL__REQUEST__REQ_RESTORE;
	rq.restore = &rr;
	rr.files = 1;
	cr_assert_eq(rpcwire_send_request_fds(sv[0], &rq, &p[1], 1), 0);
	cr_assert_eq(rpcwire_read_fds(sv[1], &buf, &len, got, RPCWIRE_FDS_MAX, &n), 0);
	free(buf);
	cr_assert_eq(n, 1);
	cr_assert_eq(write(got[0], "x", 1), 1);
	cr_assert_eq(read(p[0], &c, 1), 1);
	cr_expect_eq(c, 'x');
	close(got[0]);
	/* a reader that takes none: the descriptor is closed, not leaked */
	cr_assert_eq(rpcwire_send_request_fds(sv[0], &rq, &p[1], 1), 0);
	cr_assert_eq(rpcwire_read(sv[1], &buf, &len), 0);
	free(buf);
	close(p[1]);
	cr_expect_eq(read(p[0], &c, 1), 0, "every write end is closed");
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
	/* the board refuses a restore or a dump whose files did not come */
	fd = dial();
	cr_assert_eq(rpcwire_send_request(fd, &rq), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__BAD_REQUEST);
	rq.req_case = CRTOOL__REQUEST__REQ_DUMP;
	rq.dump = &dq;
	dq.pid = 1;
	dq.files = 7;
	dq.has_files = 1;
	cr_assert_eq(rpcwire_send_request(fd, &rq), 0);
	cr_expect_eq(reply_code(fd), CRTOOL__ERROR_CODE__BAD_REQUEST);
	close(fd);
	still_serving();
}

/* The peer check that server_run makes on every connection: its owner
 * passes, anyone else is refused, whatever the socket's mode. */
Test(server, only_the_owner_is_served)
{
	int sv[2], p[2];

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	cr_expect_eq(server_peer_allowed(sv[0], geteuid()), 0);
	cr_expect_eq(server_peer_allowed(sv[0], geteuid() + 1), -EPERM);
	close(sv[0]);
	close(sv[1]);
	/* not a socket: no credentials, no service */
	cr_assert_eq(pipe(p), 0);
	cr_expect_eq(server_peer_allowed(p[0], geteuid()), -EPERM);
	close(p[0]);
	close(p[1]);
	still_serving();
}
