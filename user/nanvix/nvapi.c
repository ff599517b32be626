/*
 * nvapi.c - a program in Nanvix's style, for SPMD launch on two nodes
 * (the master, node 0, and the leader): threads, mutexes, semaphores,
 * the runtime's fence, condition variables, mailbox and portal ping-pong
 * by node number, syncs as barriers, reads that pick a sender's port
 * (kmailbox_set_remote, kportal_allow), and the error cases the
 * microkernel distinguishes. Built with nanvix-cc;
 * starts at ___start. Each node reports each phase, the leader first,
 * a barrier between: the output is the same whatever the timing, and
 * however its processes are moved or dumped and restored.
 *
 *   nvapi [ROUNDS]   (default 20)
 */
#include <nanvix/runtime/fence.h>
#include <nanvix/sys/condvar.h>
#include <nanvix/sys/mailbox.h>
#include <nanvix/sys/migration.h>
#include <nanvix/sys/mutex.h>
#include <nanvix/sys/noc.h>
#include <nanvix/sys/perf.h>
#include <nanvix/sys/portal.h>
#include <nanvix/sys/semaphore.h>
#include <nanvix/sys/sync.h>
#include <nanvix/sys/thread.h>
#include <posix/errno.h>
#include <stdarg.h>
#include <stdio.h>

#define NTHREADS 4
#define PORTAL_BYTES 8192

PRIVATE int failures;
PRIVATE int nodes[2] = { PROCESSOR_NODENUM_MASTER, PROCESSOR_NODENUM_LEADER };

#define CHECK(what, x)                                                   \
	do {                                                                 \
		if (!(x)) {                                                      \
			uprintf("node %d: FAILED %s (%s)", knode_get_num(), what, #x); \
			failures++;                                                  \
		}                                                                \
	} while (0)

PRIVATE void barrier(int master);

/* Ends a phase: the leader's line, then the master's, in that order. */
PRIVATE void report(const char *fmt, ...)
{
	char line[128];
	va_list ap;
	int master = knode_get_num() == PROCESSOR_NODENUM_MASTER;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!master)
		uprintf("node %d: %s", knode_get_num(), line);
	barrier(master);
	if (master)
		uprintf("node %d: %s", knode_get_num(), line);
	barrier(master);
}

PRIVATE struct nanvix_mutex lock;
PRIVATE struct nanvix_semaphore sem;
PRIVATE int counter;
PRIVATE struct nanvix_fence fc;
PRIVATE struct nanvix_cond_var cv;
PRIVATE bool cv_ready;

PRIVATE void *worker(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		nanvix_mutex_lock(&lock);
		counter++;
		nanvix_mutex_unlock(&lock);
	}
	nanvix_semaphore_up(&sem);
	CHECK("fence", nanvix_fence(&fc) == 0);
	return arg;
}

PRIVATE kthread_key_t key;
PRIVATE int destroyed; /* values the key's destructor was given */

PRIVATE void key_destructor(void *value)
{
	nanvix_mutex_lock(&lock);
	destroyed += (int)(intptr_t)value;
	nanvix_mutex_unlock(&lock);
}

/* Its own value of the key, then exit: the destructor gets it. */
PRIVATE void *key_user(void *arg)
{
	void *v = NULL;

	CHECK("key unset in a new thread", kthread_getspecific(key, &v) == 0 && v == NULL);
	CHECK("key set", kthread_setspecific(key, arg) == 0);
	CHECK("key get", kthread_getspecific(key, &v) == 0 && v == arg);
	return NULL;
}

/* Sets the condition the leader waits for, under its mutex. */
PRIVATE void *signaller(void *arg)
{
	nanvix_mutex_lock(&lock);
	cv_ready = true;
	CHECK("cond signal", nanvix_cond_signal(&cv) == 0);
	nanvix_mutex_unlock(&lock);
	return arg;
}

PRIVATE struct nanvix_semaphore hold;

PRIVATE void *holder(void *arg)
{
	nanvix_semaphore_down(&hold);
	return arg;
}

PRIVATE spinlock_t spin = SPINLOCK_UNLOCKED;
PRIVATE bool spin_release;
PRIVATE struct nanvix_semaphore spin_gate;

PRIVATE void *spinner(void *arg)
{
	bool done = false;

	/* all start spinning together, once all exist: how long they spin
	 * then hangs on the scheduler, not on how long creating them took */
	nanvix_semaphore_down(&spin_gate);
	while (!done) {
		spinlock_lock(&spin);
		done = spin_release;
		spinlock_unlock(&spin);
	}
	return arg;
}

/* Threads spinning on a lock the leader must take to let them go (as
 * Nanvix's thread stress test does): it gets it. */
PRIVATE int test_spinners(void)
{
	kthread_t tid[THREAD_MAX];
	int n = 0;

	nanvix_semaphore_init(&spin_gate, 0);
	while (n < THREAD_MAX - 1 && kthread_create(&tid[n], spinner, NULL) == 0)
		n++;
	for (int i = 0; i < n; i++)
		nanvix_semaphore_up(&spin_gate);
	spinlock_lock(&spin);
	spin_release = true;
	spinlock_unlock(&spin);
	for (int i = 0; i < n; i++)
		kthread_join(tid[i], NULL);
	return n == THREAD_MAX - 1;
}

/* THREAD_MAX threads, the leader included; one more is refused. */
PRIVATE int test_thread_max(void)
{
	kthread_t tid[THREAD_MAX];
	int n = 0, over;

	nanvix_semaphore_init(&hold, 0);
	while (n < THREAD_MAX - 1 && kthread_create(&tid[n], holder, NULL) == 0)
		n++;
	over = kthread_create(&tid[THREAD_MAX - 1], holder, NULL);
	for (int i = 0; i < n; i++)
		nanvix_semaphore_up(&hold);
	for (int i = 0; i < n; i++)
		kthread_join(tid[i], NULL);
	return n == THREAD_MAX - 1 && over == -EAGAIN;
}

PRIVATE void test_threads(void)
{
	kthread_t tid[NTHREADS];
	void *ret;
	struct nanvix_mutexattr attr;
	struct nanvix_mutex rec;

	CHECK("self is the leader", kthread_self() == KTHREAD_LEADER_TID);
	CHECK("create without start", kthread_create(&tid[0], NULL, NULL) == -EINVAL);
	CHECK("join the master", kthread_join(KTHREAD_MASTER_TID, NULL) == -EINVAL);
	CHECK("join itself", kthread_join(kthread_self(), NULL) == -EINVAL);
	CHECK("mutex init", nanvix_mutex_init(&lock, NULL) == 0);
	CHECK("semaphore init", nanvix_semaphore_init(&sem, 0) == 0);
	CHECK("semaphore init negative", nanvix_semaphore_init(&sem, -1) == -EINVAL);
	nanvix_semaphore_init(&sem, 0);
	CHECK("fence init 0 threads", nanvix_fence_init(&fc, 0) == -EINVAL);
	CHECK("fence init past THREAD_MAX", nanvix_fence_init(&fc, THREAD_MAX + 1) == -EINVAL);
	CHECK("fence init", nanvix_fence_init(&fc, NTHREADS) == 0);
	for (int i = 0; i < NTHREADS; i++)
		CHECK("create", kthread_create(&tid[i], worker, (void *)(long)(i + 1)) == 0);
	for (int i = 0; i < NTHREADS; i++)
		nanvix_semaphore_down(&sem);
	for (int i = 0; i < NTHREADS; i++) {
		CHECK("join", kthread_join(tid[i], &ret) == 0);
		CHECK("join value", ret == (void *)(long)(i + 1));
	}
	CHECK("join again", kthread_join(tid[0], NULL) < 0);
	CHECK("counter", counter == NTHREADS * 1000);
	CHECK("fence destroy", nanvix_fence_destroy(&fc) == 0);
	CHECK("fence destroyed", nanvix_fence(&fc) == -EINVAL);
	CHECK("cond init", nanvix_cond_init(&cv) == 0);
	CHECK("cond init null", nanvix_cond_init(NULL) == -EINVAL);
	nanvix_mutex_lock(&lock);
	CHECK("signaller", kthread_create(&tid[0], signaller, NULL) == 0);
	while (!cv_ready)
		CHECK("cond wait", nanvix_cond_wait(&cv, &lock) == 0);
	nanvix_mutex_unlock(&lock);
	CHECK("signaller join", kthread_join(tid[0], NULL) == 0);
	CHECK("cond broadcast", nanvix_cond_broadcast(&cv) == 0);
	CHECK("cond destroy", nanvix_cond_destroy(&cv) == 0);
	{
		void *v;
		CHECK("key create null", kthread_key_create(NULL, NULL) == -EINVAL);
		CHECK("key create", kthread_key_create(&key, key_destructor) == 0);
		CHECK("key leader's value", kthread_setspecific(key, (void *)1) == 0);
		for (int i = 0; i < NTHREADS; i++)
			CHECK("key thread", kthread_create(&tid[i], key_user, (void *)(intptr_t)(i + 2)) == 0);
		for (int i = 0; i < NTHREADS; i++)
			CHECK("key join", kthread_join(tid[i], NULL) == 0);
		CHECK("key destructors", destroyed == NTHREADS * (NTHREADS + 3) / 2);
		CHECK("key leader's kept", kthread_getspecific(key, &v) == 0 && v == (void *)1);
		CHECK("key get null", kthread_getspecific(key, NULL) == -EINVAL);
		CHECK("key delete", kthread_key_delete(key) == 0);
		CHECK("key deleted", kthread_getspecific(key, &v) == -EINVAL);
		CHECK("key past the max", kthread_setspecific(THREAD_KEY_MAX, NULL) == -EINVAL);
	}
	CHECK("semaphore empty", nanvix_semaphore_trydown(&sem) == -EAGAIN);
	nanvix_mutexattr_init(&attr);
	CHECK("settype", nanvix_mutexattr_settype(&attr, NANVIX_MUTEX_RECURSIVE) == 0);
	nanvix_mutex_init(&rec, &attr);
	CHECK("recursive twice", nanvix_mutex_lock(&rec) == 0 && nanvix_mutex_lock(&rec) == 0);
	CHECK("recursive unlocks", nanvix_mutex_unlock(&rec) == 0 && nanvix_mutex_unlock(&rec) == 0);
	CHECK("unlock not held", nanvix_mutex_unlock(&rec) == -EPERM);
	CHECK("THREAD_MAX threads", test_thread_max());
	CHECK("spinners let go", test_spinners());
	CHECK("affinity 0", kthread_set_affinity(0) == -EINVAL);
	CHECK("affinity past the cores", kthread_set_affinity(1 << CORES_NUM) == -EINVAL);
	{
		/* a thread moves only off a core its mask leaves out */
		int here = core_get_id(), there = here == 1 ? 2 : 1;
		CHECK("pin here", kthread_set_affinity(1 << here) == KTHREAD_AFFINITY_DEFAULT);
		CHECK("pinned here", core_get_id() == here);
		CHECK("pin there", kthread_set_affinity(1 << there) == (1 << here));
		CHECK("moved there", core_get_id() == there);
		CHECK("unpin", kthread_set_affinity(KTHREAD_AFFINITY_DEFAULT) == (1 << there));
		CHECK("stays there", core_get_id() == there);
	}
	report("threads ok, counter %d", counter);
}

PRIVATE void test_faults(int local, int remote)
{
	CHECK("mailbox create elsewhere", kmailbox_create(remote, 0) == -EINVAL);
	CHECK("mailbox create bad node", kmailbox_create(-1, 0) == -EINVAL);
	CHECK("mailbox create bad port", kmailbox_create(local, KMAILBOX_PORT_NR) == -EINVAL);
	{
		/* a loopback to its own node (Nanvix forwards it locally), and
		 * each call on the wrong kind of end or with a bad size */
		char msg[KMAILBOX_MESSAGE_SIZE] = { 7 };
		int in, out;
		CHECK("mailbox create", (in = kmailbox_create(local, 0)) >= 0);
		CHECK("mailbox create twice", kmailbox_create(local, 0) == -EBUSY);
		CHECK("mailbox open self", (out = kmailbox_open(local, 0)) >= 0);
		CHECK("mailbox loopback write", kmailbox_write(out, msg, sizeof(msg)) == sizeof(msg));
		msg[0] = 0;
		CHECK("mailbox loopback read", kmailbox_read(in, msg, sizeof(msg)) == sizeof(msg) && msg[0] == 7);
		CHECK("mailbox read size 0", kmailbox_read(in, msg, 0) == -EINVAL);
		CHECK("mailbox read too big", kmailbox_read(in, msg, sizeof(msg) + 1) == -EINVAL);
		CHECK("mailbox read null", kmailbox_read(in, NULL, sizeof(msg)) == -EINVAL);
		CHECK("mailbox write null", kmailbox_write(out, NULL, sizeof(msg)) == -EINVAL);
		CHECK("mailbox write to input", kmailbox_write(in, msg, sizeof(msg)) == -EBADF);
		CHECK("mailbox read from output", kmailbox_read(out, msg, sizeof(msg)) == -EBADF);
		CHECK("mailbox unlink output", kmailbox_unlink(out) == -EBADF);
		CHECK("mailbox close input", kmailbox_close(in) == -EBADF);
		CHECK("mailbox wait past ids", kmailbox_wait(KMAILBOX_MAX) == -EINVAL);
		/* ids are sparse per direction, as Nanvix's: next to an input
		 * is no output */
		CHECK("mailbox wait unused", kmailbox_wait(in + 1) == -EBADF);
		CHECK("mailbox write next to input", kmailbox_write(in + 1, msg, sizeof(msg)) == -EBADF);
		CHECK("mailbox ioctl unused", kmailbox_ioctl(out + 1, KMAILBOX_IOCTL_GET_VOLUME, NULL) == -EBADF);
		CHECK("mailbox ioctl bad request", kmailbox_ioctl(in, 99, &msg) == -ENOTSUP);
		/* a result pointer outside the user area: as Nanvix's check */
		CHECK("mailbox ioctl bad pointer",
		      kmailbox_ioctl(in, KMAILBOX_IOCTL_GET_VOLUME, (size_t *)8) == -EFAULT);
		CHECK("mailbox ioctl null", kmailbox_ioctl(in, KMAILBOX_IOCTL_GET_LATENCY, NULL) == -EFAULT);
		CHECK("mailbox loopback again", kmailbox_write(out, msg, sizeof(msg)) == sizeof(msg));
		CHECK("mailbox unlink unread", kmailbox_unlink(in) == -EBUSY);
		CHECK("mailbox read it", kmailbox_read(in, msg, sizeof(msg)) == sizeof(msg));
		CHECK("mailbox close", kmailbox_close(out) == 0);
		CHECK("mailbox unlink", kmailbox_unlink(in) == 0);
		CHECK("mailbox unlink twice", kmailbox_unlink(in) == -EBADF);
		CHECK("portal create", (in = kportal_create(local, 0)) >= 0);
		CHECK("portal create twice", kportal_create(local, 0) == -EBUSY);
		CHECK("portal open self", (out = kportal_open(local, local, 0)) >= 0);
		CHECK("portal close", kportal_close(out) == 0);
		CHECK("portal unlink", kportal_unlink(in) == 0);
	}
	CHECK("mailbox open past nodes", kmailbox_open(PROCESSOR_NOC_NODES_NUM, 0) == -EINVAL);
	CHECK("mailbox unlink -1", kmailbox_unlink(-1) == -EINVAL);
	CHECK("mailbox unlink unused", kmailbox_unlink(0) == -EBADF);
	CHECK("mailbox unlink huge", kmailbox_unlink(1000000) == -EINVAL);
	CHECK("mailbox close unused", kmailbox_close(1) == -EBADF);
	CHECK("portal create elsewhere", kportal_create(remote, 0) == -EINVAL);
	CHECK("portal open from elsewhere", kportal_open(remote, local, 0) == -EINVAL);
	CHECK("portal unlink unused", kportal_unlink(0) == -EBADF);
	CHECK("sync bad type", ksync_create(nodes, 2, 7) == -EINVAL);
	CHECK("sync one node", ksync_create(nodes, 1, SYNC_ONE_TO_ALL) == -EINVAL);
	CHECK("sync unlink -1", ksync_unlink(-1) == -EINVAL);
	CHECK("sync unlink unused", ksync_unlink(3) == -EBADF);
	{
		int twice[2] = { local, local };
		CHECK("sync node twice", ksync_create(twice, 2, SYNC_ALL_TO_ONE) == -EINVAL);
	}
	report("fault cases ok");
}

/* A barrier: all-to-one then one-to-all among nodes[]. */
PRIVATE void barrier(int master)
{
	int in, out;

	if (master) {
		CHECK("barrier create", (in = ksync_create(nodes, 2, SYNC_ALL_TO_ONE)) >= 0);
		CHECK("barrier open", (out = ksync_open(nodes, 2, SYNC_ONE_TO_ALL)) >= 0);
		CHECK("barrier wait", ksync_wait(in) == 0);
		CHECK("barrier signal", ksync_signal(out) == 0);
		CHECK("barrier unlink", ksync_unlink(in) == 0);
		CHECK("barrier close", ksync_close(out) == 0);
	} else {
		CHECK("barrier open", (out = ksync_open(nodes, 2, SYNC_ALL_TO_ONE)) >= 0);
		CHECK("barrier create", (in = ksync_create(nodes, 2, SYNC_ONE_TO_ALL)) >= 0);
		CHECK("barrier signal", ksync_signal(out) == 0);
		CHECK("barrier wait", ksync_wait(in) == 0);
		CHECK("barrier close", ksync_close(out) == 0);
		CHECK("barrier unlink", ksync_unlink(in) == 0);
	}
}

PRIVATE void test_mailbox(int local, int remote, int rounds)
{
	char msg[KMAILBOX_MESSAGE_SIZE];
	int in, out, master = local == PROCESSOR_NODENUM_MASTER;
	size_t volume;
	uint64_t latency;

	CHECK("mailbox create", (in = kmailbox_create(local, 1)) >= 0);
	CHECK("mailbox create busy", kmailbox_create(local, 1) == -EBUSY);
	CHECK("mailbox open", (out = kmailbox_open(remote, 1)) >= 0);
	CHECK("mailbox port", kmailbox_get_port(in) == 1 && kcomm_get_port(out, COMM_TYPE_MAILBOX) == 1);
	CHECK("unlink an output", kmailbox_unlink(out) == -EBADF);
	CHECK("size 0", kmailbox_awrite(out, msg, 0) == -EINVAL);
	CHECK("too big", kmailbox_awrite(out, msg, KMAILBOX_MESSAGE_SIZE + 1) == -EINVAL);
	for (int i = 0; i < rounds; i++) {
		if (master) {
			umemset(msg, i & 0x7f, sizeof(msg));
			CHECK("awrite", kmailbox_awrite(out, msg, sizeof(msg)) == (ssize_t)sizeof(msg));
			CHECK("wait out", kmailbox_wait(out) == 0);
			CHECK("aread", kmailbox_aread(in, msg, sizeof(msg)) == (ssize_t)sizeof(msg));
			CHECK("wait in", kmailbox_wait(in) == 0);
			CHECK("pong", msg[0] == (char)((i & 0x7f) + 1) && msg[sizeof(msg) - 1] == msg[0]);
		} else {
			CHECK("read", kmailbox_read(in, msg, sizeof(msg)) == (ssize_t)sizeof(msg));
			CHECK("ping", msg[0] == (char)(i & 0x7f));
			umemset(msg, (i & 0x7f) + 1, sizeof(msg));
			CHECK("write", kmailbox_write(out, msg, sizeof(msg)) == (ssize_t)sizeof(msg));
		}
	}
	CHECK("volume", kmailbox_ioctl(in, KMAILBOX_IOCTL_GET_VOLUME, &volume) == 0 &&
	                        volume == (size_t)rounds * sizeof(msg));
	CHECK("latency", kmailbox_ioctl(out, KMAILBOX_IOCTL_GET_LATENCY, &latency) == 0 && latency > 0);
	CHECK("bad ioctl", kmailbox_ioctl(in, 99, &latency) == -ENOTSUP);
	CHECK("mailbox close", kmailbox_close(out) == 0);
	CHECK("mailbox close twice", kmailbox_close(out) == -EBADF);
	CHECK("mailbox unlink", kmailbox_unlink(in) == 0);
	report("mailbox ping-pong of %d rounds ok, %u bytes in", rounds, (unsigned)volume);
}

PRIVATE char data[PORTAL_BYTES];

PRIVATE void test_portal(int local, int remote, int rounds)
{
	int id, master = local == PROCESSOR_NODENUM_MASTER;
	unsigned sum = 0;

	for (int i = 0; i < rounds; i++) {
		if (master) { /* the master writes, the leader reads */
			for (int k = 0; k < PORTAL_BYTES; k++)
				data[k] = (char)(k * 7 + i);
			CHECK("portal open", (id = kportal_open(local, remote, 2)) >= 0);
			CHECK("portal write", kportal_write(id, data, sizeof(data)) == (ssize_t)sizeof(data));
			CHECK("portal close", kportal_close(id) == 0);
		} else {
			CHECK("portal create", (id = kportal_create(local, 2)) >= 0);
			/* the write of the master's output on port 0 of its node:
			 * its only output to us */
			CHECK("portal allow", kportal_allow(id, remote, 0) == 0);
			CHECK("portal aread", kportal_aread(id, data, sizeof(data)) == (ssize_t)sizeof(data));
			CHECK("portal wait", kportal_wait(id) == 0);
			for (int k = 0; k < PORTAL_BYTES; k++)
				sum += (unsigned char)data[k];
			CHECK("portal data", data[5] == (char)(5 * 7 + i));
			CHECK("portal unlink", kportal_unlink(id) == 0);
		}
		barrier(master);
	}
	UNUSED(remote);
	report("portal of %d x %d bytes ok, sum %u", rounds, PORTAL_BYTES, sum);
}

/*
 * Reads that pick what one port of the sender sent. The leader opens
 * three outputs to the master's port 3 (they get ports 0, 1 and 2 of
 * its node) and writes on each in turn; the master reads the port-2
 * message first, then port 0's, then any; portals likewise, read in
 * reverse order. Nanvix's writes do not wait for the reader's choice.
 */
PRIVATE void test_select(int local, int remote)
{
	int master = local == PROCESSOR_NODENUM_MASTER, in, out[3];
	char msg[KMAILBOX_MESSAGE_SIZE] = { 0 };

	if (!master) {
		for (int i = 0; i < 3; i++)
			CHECK("select open", (out[i] = kmailbox_open(remote, 3)) >= 0);
		CHECK("select port", kmailbox_get_port(out[2]) == 3);
		for (int i = 0; i < 3; i++) {
			msg[0] = (char)('a' + i);
			CHECK("select write", kmailbox_write(out[i], msg, sizeof(msg)) == sizeof(msg));
		}
		for (int i = 0; i < 3; i++)
			CHECK("select close", kmailbox_close(out[i]) == 0);
		for (int i = 0; i < 3; i++)
			CHECK("select portal open", (out[i] = kportal_open(local, remote, 3)) >= 0);
		for (int i = 0; i < 3; i++) {
			msg[0] = (char)('x' + i);
			CHECK("select portal write", kportal_write(out[i], msg, 8) == 8);
		}
		for (int i = 0; i < 3; i++)
			CHECK("select portal close", kportal_close(out[i]) == 0);
		report("sender ports: 3 messages and 3 portal writes sent");
		return;
	}
	CHECK("select create", (in = kmailbox_create(local, 3)) >= 0);
	CHECK("set_remote range", kmailbox_set_remote(in, MAILBOX_ANY_SOURCE + 1, 0) == -EINVAL);
	CHECK("set_remote port", kmailbox_set_remote(in, remote, MAILBOX_ANY_PORT + 1) == -EINVAL);
	CHECK("set_remote id", kmailbox_set_remote(KMAILBOX_MAX, remote, 0) == -EINVAL);
	CHECK("set_remote", kmailbox_set_remote(in, remote, 2) == 0);
	CHECK("set_remote twice", kmailbox_set_remote(in, remote, 2) == -EFAULT);
	CHECK("read port 2", kmailbox_read(in, msg, sizeof(msg)) == sizeof(msg) && msg[0] == 'c');
	CHECK("set_remote any node", kmailbox_set_remote(in, MAILBOX_ANY_SOURCE, 0) == 0);
	CHECK("read port 0", kmailbox_read(in, msg, sizeof(msg)) == sizeof(msg) && msg[0] == 'a');
	CHECK("read any", kmailbox_read(in, msg, sizeof(msg)) == sizeof(msg) && msg[0] == 'b');
	CHECK("select unlink", kmailbox_unlink(in) == 0);
	CHECK("portal create", (in = kportal_create(local, 3)) >= 0);
	CHECK("read unallowed", kportal_read(in, msg, 8) == -EACCES);
	for (int i = 2; i >= 0; i--) {
		CHECK("select allow", kportal_allow(in, remote, i) == 0);
		CHECK("select read", kportal_read(in, msg, 8) == 8 && msg[0] == (char)('x' + i));
		/* the earlier writes wait, held, for their reads */
		CHECK("unlink held", i == 0 || kportal_unlink(in) == -EBUSY);
	}
	CHECK("read after", kportal_read(in, msg, 8) == -EACCES);
	CHECK("portal unlink", kportal_unlink(in) == 0);
	report("sender ports: read 3 messages and 3 portal writes by port, out of order");
}

void ___start(int argc, const char *argv[])
{
	int local, remote, rounds = argc > 1 ? 0 : 20;

	for (const char *p = argc > 1 ? argv[1] : ""; *p; p++)
		rounds = rounds * 10 + (*p - '0');
	knoc_init();
	kmigration_init();
	local = knode_get_num();
	remote = local == PROCESSOR_NODENUM_MASTER ? PROCESSOR_NODENUM_LEADER : PROCESSOR_NODENUM_MASTER;
	report("up (master %d, leader %d, %d nodes)", PROCESSOR_NODENUM_MASTER,
	       PROCESSOR_NODENUM_LEADER, PROCESSOR_NOC_NODES_NUM);
	test_threads();
	test_faults(local, remote);
	test_mailbox(local, remote, rounds);
	test_portal(local, remote, rounds);
	test_select(local, remote);
	report("%s", failures ? "FAILED" : "passed");
	if (failures)
		_kexit(1);
	kshutdown();
}
