/*
 * stdikc.c - the runtime's standard channels (nanvix/runtime/stdikc.h):
 * a fence among all clusters and a per-thread input mailbox and portal.
 */
#include "nanvix/runtime/barrier.h"
#include "nanvix/runtime/stdikc.h"
#include "nanvix/sys/thread.h"

/* One slot per thread that may call: Nanvix keeps these per thread, so a
 * thread's fence or inbox is its own. */
#define STDIKC_SLOTS (THREAD_MAX + 1)

static barrier_t stdsync[STDIKC_SLOTS] = { [0 ... STDIKC_SLOTS - 1] = BARRIER_NULL };

/* A kind of standard input channel: each thread's id, and how it is made
 * and removed. Mailboxes and portals work alike. */
struct stdchan {
	int id[STDIKC_SLOTS];
	int ports;
	int (*create)(int local, int port);
	int (*unlink)(int id);
};

static struct stdchan stdinbox = { { [0 ... STDIKC_SLOTS - 1] = -1 }, KMAILBOX_PORT_NR,
	                           kmailbox_create, kmailbox_unlink };
static struct stdchan stdinportal = { { [0 ... STDIKC_SLOTS - 1] = -1 }, KPORTAL_PORT_NR,
	                              kportal_create, kportal_unlink };

/* The calling thread's slot (0 for the main thread), or -1. */
static int stdikc_slot(void)
{
	int slot = kthread_self() - KTHREAD_LEADER_TID;

	return slot >= 0 && slot < STDIKC_SLOTS ? slot : -1;
}

/* The processor's clusters by node: the first node of each I/O cluster,
 * then one per compute cluster. */
static void stdikc_cluster_nodes(int *nodes)
{
	int io_step = PROCESSOR_NOC_IONODES_NUM / PROCESSOR_IOCLUSTERS_NUM;
	int c_step = PROCESSOR_NOC_CNODES_NUM / PROCESSOR_CCLUSTERS_NUM;
	int n = 0;

	for (int i = 0; i < PROCESSOR_IOCLUSTERS_NUM; i++)
		nodes[n++] = i * io_step;
	for (int i = 0; i < PROCESSOR_CCLUSTERS_NUM; i++)
		nodes[n++] = PROCESSOR_NOC_IONODES_NUM + i * c_step;
}

int __stdsync_setup(void)
{
	int nodes[PROCESSOR_CLUSTERS_NUM], slot = stdikc_slot();

	if (slot < 0)
		return -1;
	if (BARRIER_IS_VALID(stdsync[slot]))
		return 0;
	stdikc_cluster_nodes(nodes);
	stdsync[slot] = barrier_create(nodes, PROCESSOR_CLUSTERS_NUM);
	return BARRIER_IS_VALID(stdsync[slot]) ? 0 : -1;
}

int __stdsync_cleanup(void)
{
	int slot = stdikc_slot(), r;

	if (slot < 0 || !BARRIER_IS_VALID(stdsync[slot]))
		return -1;
	r = barrier_destroy(stdsync[slot]) < 0 ? -1 : 0;
	stdsync[slot] = BARRIER_NULL;
	return r;
}

int stdsync_fence(void)
{
	int slot = stdikc_slot();

	return slot < 0 ? -EINVAL : barrier_wait(stdsync[slot]);
}

int stdsync_get(void)
{
	int slot = stdikc_slot();
	barrier_t b;

	if (slot < 0 || !BARRIER_IS_VALID(stdsync[slot]))
		return -1;
	b = stdsync[slot];
	return b.syncs[b.leader == knode_get_num() ? 0 : 1]; /* the one it waits on */
}

/* The calling thread's port on ch (its slot), or -1. */
static int stdchan_port(const struct stdchan *ch)
{
	int slot = stdikc_slot();

	return slot < ch->ports ? slot : -1;
}

static int stdchan_setup(struct stdchan *ch)
{
	int port = stdchan_port(ch);

	if (port < 0)
		return -1;
	if (ch->id[port] >= 0)
		return 0;
	ch->id[port] = ch->create(knode_get_num(), port);
	return ch->id[port] < 0 ? (ch->id[port] = -1) : 0;
}

static int stdchan_cleanup(struct stdchan *ch)
{
	int port = stdchan_port(ch), r;

	if (port < 0 || ch->id[port] < 0)
		return -1;
	r = ch->unlink(ch->id[port]);
	ch->id[port] = -1;
	return r;
}

static int stdchan_get(const struct stdchan *ch)
{
	int port = stdchan_port(ch);

	return port < 0 ? -1 : ch->id[port];
}

int stdinbox_get_port(void) { return stdchan_port(&stdinbox); }
int __stdmailbox_setup(void) { return stdchan_setup(&stdinbox); }
int __stdmailbox_cleanup(void) { return stdchan_cleanup(&stdinbox); }
int stdinbox_get(void) { return stdchan_get(&stdinbox); }

int stdinportal_get_port(void) { return stdchan_port(&stdinportal); }
int __stdportal_setup(void) { return stdchan_setup(&stdinportal); }
int __stdportal_cleanup(void) { return stdchan_cleanup(&stdinportal); }
int stdinportal_get(void) { return stdchan_get(&stdinportal); }
