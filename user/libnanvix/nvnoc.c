/*
 * nvnoc.c - Nanvix's NoC API (nanvix/sys/{noc,mailbox,portal,sync,
 * migration}.h) on the board's pid-named calls (nanvix/ikc.h).
 *
 * A Nanvix program names peers by node. Each node number is resolved to
 * the pid of the process that holds that virtual node when an endpoint
 * is opened (nv_name_vnode, which waits until one does); from then on
 * the board's calls follow the pid wherever it moves. Ids are this
 * library's, so that their ranges and errors are Nanvix's: an id outside
 * the table is -EINVAL, one not in use (or of the other direction) -EBADF.
 * aread/awrite complete the transfer, so wait only reports it.
 *
 * As on Nanvix, an output has a port of its own on the sender's node
 * (the lowest free among its outputs to the same node), and what it
 * sends carries it: a receiver may take only what some (node, port)
 * sent, with kmailbox_set_remote or kportal_allow. Portal writes do not
 * wait for the allow: the receiving node holds them (the board's tagged
 * writes), as Nanvix's kernel holds them in its message buffers.
 */
#include <stdarg.h>
#include <stdint.h>
#include <time.h>

#include "nanvix/ikc.h"
#include "nanvix/sys/mailbox.h"
#include "nanvix/sys/migration.h"
#include "nanvix/sys/noc.h"
#include "nanvix/sys/portal.h"
#include "nanvix/sys/sync.h"
#include "nanvix/syscall.h"

enum { EP_FREE, EP_IN, EP_OUT };

struct nvep {
	uint8_t dir;  /* EP_* */
	int native;   /* the board's endpoint id */
	int remote;   /* outputs: node */
	int port;     /* ours (inputs), the peer's (outputs) */
	int lport;    /* outputs: the port on our node its messages carry */
	int filtered; /* mailbox inputs: the next read takes only ... */
	int from_pid; /* ... what this pid (0: any) ... */
	unsigned from_port; /* ... sent from this port (NV_TAG_ANY: any) */
	size_t volume;
	uint64_t latency; /* cycles spent in transfers */
};

/* Counters per kind (KMAILBOX_IOCTL_GET_NCREATES ...). */
struct nvcount {
	uint64_t ncreates, nunlinks, nopens, ncloses, nreads, nwrites;
};

struct nvkind {
	struct nvep ep[KMAILBOX_MAX];
	struct nvcount n;
};

static struct nvkind mailboxes, portals, syncs;

_Static_assert(KMAILBOX_MAX == KPORTAL_MAX && KPORTAL_MAX == KSYNC_MAX, "one table size");

/* The model's cycle counter (rdcycle's low and high halves). */
static uint64_t nvnoc_cycles(void)
{
	uint32_t hi, lo, hi2;

	do {
		__asm__ volatile("rdcycleh %0" : "=r"(hi));
		__asm__ volatile("rdcycle %0" : "=r"(lo));
		__asm__ volatile("rdcycleh %0" : "=r"(hi2));
	} while (hi != hi2);
	return ((uint64_t)hi << 32) | lo;
}

int kclock(uint64_t *t)
{
	if (!t)
		return -EINVAL;
	*t = nvnoc_cycles();
	return 0;
}

int knode_get_num(void)
{
	return nv_node_get_num();
}

int kcluster_get_num(void)
{
	int node = nv_node_get_num();

	/* As the HAL numbers clusters: the I/O clusters (each of
	 * IONODES/IOCLUSTERS nodes) first, then one per compute node. */
	if (node < PROCESSOR_NOC_IONODES_NUM)
		return node / (PROCESSOR_NOC_IONODES_NUM / PROCESSOR_IOCLUSTERS_NUM);
	return PROCESSOR_IOCLUSTERS_NUM + node - PROCESSOR_NOC_IONODES_NUM;
}

int knoc_init(void)
{
	return 0;
}

/* A Nanvix error from the board's: negative picolibc errno. */
static int nvnoc_err(int r)
{
	return r < 0 ? -nv_errno(-r) : r;
}

static int nvnoc_node_ok(int node)
{
	return node >= 0 && node < PROCESSOR_NOC_NODES_NUM;
}

/* The pid holding node, or a negative errno. */
static int nvnoc_pid_of(int node)
{
	if (node == knode_get_num())
		return (int)nv_getpid(); /* a loopback: Nanvix forwards it locally */
	return nvnoc_err(nv_name_vnode(node));
}

/*
 * The id for an endpoint of direction dir: as in Nanvix, ids are sparse
 * per direction, so that an input's id + 1 is never an output. Mailbox
 * and portal inputs are numbered by their port (one input a port), their
 * outputs from KMAILBOX_PORT_NR up; syncs take any free id. -EBUSY (the
 * port's input exists) or -EMFILE.
 */
static int nvnoc_slot(struct nvkind *k, int dir, int port)
{
	int from = 0;

	if (k != &syncs && dir == EP_IN)
		return k->ep[port].dir == EP_FREE ? port : -EBUSY;
	if (k != &syncs)
		from = KMAILBOX_PORT_NR;
	for (int i = from; i < KMAILBOX_MAX; i++)
		if (k->ep[i].dir == EP_FREE)
			return i;
	return -EMFILE;
}

/* Endpoint id of direction dir (EP_FREE: either), or NULL with *err
 * -EINVAL (out of range) or -EBADF (not in use, or the other way). */
static struct nvep *nvnoc_get(struct nvkind *k, int id, int dir, int *err)
{
	if (id < 0 || id >= KMAILBOX_MAX) {
		*err = -EINVAL;
		return NULL;
	}
	/* dir EP_FREE asks for an endpoint of either direction */
	if (k->ep[id].dir == EP_FREE || (dir != EP_FREE && k->ep[id].dir != dir)) {
		*err = -EBADF;
		return NULL;
	}
	return &k->ep[id];
}

static int nvnoc_install(struct nvkind *k, int native, int dir, int remote, int port)
{
	int id = nvnoc_slot(k, dir, port);

	if (id < 0)
		return id;
	k->ep[id] = (struct nvep){ .dir = (uint8_t)dir, .native = native, .remote = remote,
		                   .port = port };
	if (dir == EP_IN)
		k->n.ncreates++;
	else
		k->n.nopens++;
	return id;
}

/* The lowest port on our node that no output of k to node uses, or
 * -EBUSY (every port is taken). */
static int nvnoc_lport(const struct nvkind *k, int node)
{
	uint32_t used = 0;

	_Static_assert(KMAILBOX_PORT_NR <= 32 && KPORTAL_PORT_NR <= 32, "a word of ports");
	for (int i = 0; i < KMAILBOX_MAX; i++)
		if (k->ep[i].dir == EP_OUT && k->ep[i].remote == node)
			used |= 1u << k->ep[i].lport;
	for (int p = 0; p < KMAILBOX_PORT_NR; p++)
		if (!(used & (1u << p)))
			return p;
	return -EBUSY;
}

/* Opens an output of k to (remote, port) with the board's open call. */
static int nvnoc_open(struct nvkind *k, int remote, int port, int (*open)(int, int))
{
	int pid, lport, r;

	if (nvnoc_slot(k, EP_OUT, 0) < 0)
		return -EMFILE;
	if ((lport = nvnoc_lport(k, remote)) < 0)
		return lport;
	if ((pid = nvnoc_pid_of(remote)) < 0)
		return pid;
	if ((r = nvnoc_err(open(pid, port))) < 0)
		return r;
	r = nvnoc_install(k, r, EP_OUT, remote, port);
	if (r >= 0)
		k->ep[r].lport = lport;
	return r;
}

/* ---- mailboxes ---- */

int kmailbox_create(int local, int port)
{
	int r;

	if (local != knode_get_num() || port < 0 || port >= KMAILBOX_PORT_NR)
		return -EINVAL;
	if ((r = nvnoc_slot(&mailboxes, EP_IN, port)) < 0)
		return r;
	if ((r = nvnoc_err(nv_mailbox_create(port))) < 0)
		return r;
	return nvnoc_install(&mailboxes, r, EP_IN, local, port);
}

int kmailbox_open(int remote, int remote_port)
{
	if (!nvnoc_node_ok(remote) || remote_port < 0 || remote_port >= KMAILBOX_PORT_NR)
		return -EINVAL;
	return nvnoc_open(&mailboxes, remote, remote_port, nv_mailbox_open);
}

/* Frees id of direction dir with the board's release call. */
static int nvnoc_release(struct nvkind *k, int id, int dir, int (*release)(int))
{
	int err, r;
	struct nvep *e = nvnoc_get(k, id, dir, &err);

	if (!e)
		return err;
	if ((r = nvnoc_err(release(e->native))) < 0)
		return r;
	e->dir = EP_FREE;
	if (dir == EP_IN)
		k->n.nunlinks++;
	else
		k->n.ncloses++;
	return 0;
}

/* Unlinks input id of k with the board's call; as Nanvix, not while
 * what was sent to it waits unread (pending, the board's count): -EBUSY. */
static int nvnoc_unlink(struct nvkind *k, int id, int (*pending)(int), int (*unlink)(int))
{
	int err;
	struct nvep *e = nvnoc_get(k, id, EP_IN, &err);

	if (!e)
		return err;
	if (pending(e->native) > 0)
		return -EBUSY;
	return nvnoc_release(k, id, EP_IN, unlink);
}

int kmailbox_unlink(int mbxid)
{
	return nvnoc_unlink(&mailboxes, mbxid, nv_mailbox_pending, nv_mailbox_unlink);
}

int kmailbox_close(int mbxid)
{
	return nvnoc_release(&mailboxes, mbxid, EP_OUT, nv_mailbox_close);
}

/* One transfer on id of direction dir with op; counted and timed. */
static ssize_t nvnoc_xfer(struct nvkind *k, int id, int dir, void *buf, size_t size,
                          size_t max, int (*op)(struct nvep *, void *, size_t))
{
	int err, r;
	struct nvep *e = nvnoc_get(k, id, dir, &err);
	uint64_t t0;

	if (!e)
		return err;
	if (!buf || size == 0 || size > max)
		return -EINVAL;
	t0 = nvnoc_cycles();
	if ((r = nvnoc_err(op(e, buf, size))) < 0)
		return r;
	e->latency += nvnoc_cycles() - t0;
	e->volume += (size_t)r;
	if (dir == EP_IN)
		k->n.nreads++;
	else
		k->n.nwrites++;
	return dir == EP_IN ? (ssize_t)size : r;
}

/* The board's transfer calls, on an endpoint of ours. */
static int nvnoc_mailbox_read(struct nvep *e, void *buf, size_t size)
{
	int r;

	if (!e->filtered)
		return nv_mailbox_read(e->native, buf, size);
	r = nv_mailbox_read_from(e->native, buf, size, e->from_pid, e->from_port);
	if (r >= 0)
		e->filtered = 0; /* kmailbox_set_remote holds for one read */
	return r;
}

static int nvnoc_mailbox_write(struct nvep *e, void *buf, size_t size)
{
	return nv_mailbox_write_tagged(e->native, buf, size, e->lport);
}

static int nvnoc_portal_read(struct nvep *e, void *buf, size_t size)
{
	int r = nv_portal_read(e->native, buf, size);

	/* the board's "no sender allowed": Nanvix's -EACCES */
	return r == -ABI_EINVAL ? -ABI_EACCES : r;
}

static int nvnoc_portal_write(struct nvep *e, void *buf, size_t size)
{
	return nv_portal_write_tagged(e->native, buf, size, e->lport);
}

ssize_t kmailbox_aread(int mbxid, void *buffer, size_t size)
{
	return nvnoc_xfer(&mailboxes, mbxid, EP_IN, buffer, size, KMAILBOX_MESSAGE_SIZE,
	                  nvnoc_mailbox_read);
}

ssize_t kmailbox_awrite(int mbxid, const void *buffer, size_t size)
{
	return nvnoc_xfer(&mailboxes, mbxid, EP_OUT, (void *)(uintptr_t)buffer, size,
	                  KMAILBOX_MESSAGE_SIZE, nvnoc_mailbox_write);
}

static int nvnoc_wait(struct nvkind *k, int id)
{
	int err;

	return nvnoc_get(k, id, EP_FREE, &err) ? 0 : err;
}

int kmailbox_wait(int mbxid)
{
	return nvnoc_wait(&mailboxes, mbxid);
}

ssize_t kmailbox_read(int mbxid, void *buffer, size_t size)
{
	return kmailbox_aread(mbxid, buffer, size);
}

ssize_t kmailbox_write(int mbxid, const void *buffer, size_t size)
{
	return kmailbox_awrite(mbxid, buffer, size);
}

/* 1 if size bytes at p lie in the user area, as Nanvix's check of an
 * ioctl's result pointer (mm_check_area) has it: else -EFAULT. */
static int nvnoc_user_ptr(const void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p;

	return a >= NV_USER_BASE && a < NV_USER_END && size <= NV_USER_END - a;
}

/* The ioctls both kinds share; request's argument in ap. */
static int nvnoc_ioctl(struct nvkind *k, int id, unsigned request, va_list ap)
{
	int err;
	struct nvep *e = nvnoc_get(k, id, EP_FREE, &err);
	uint64_t *p64;

	if (!e)
		return err;
	if (request == KMAILBOX_IOCTL_SET_REMOTE) {
		int remote = va_arg(ap, int), port = va_arg(ap, int), pid = 0;
		/* Only a mailbox input filters, and one read at a time: as
		 * Nanvix, anything else is a bad address (-EFAULT). */
		if (k != &mailboxes || e->dir != EP_IN || e->filtered)
			return -EFAULT;
		if (remote < 0 || remote > MAILBOX_ANY_SOURCE || port < 0 || port > MAILBOX_ANY_PORT)
			return -EINVAL;
		if (remote != MAILBOX_ANY_SOURCE && (pid = nvnoc_pid_of(remote)) < 0)
			return pid;
		e->from_pid = pid;
		e->from_port = port == MAILBOX_ANY_PORT ? NV_TAG_ANY : (unsigned)port;
		e->filtered = 1;
		return 0;
	}
	if (request == KMAILBOX_IOCTL_GET_VOLUME) {
		size_t *p = va_arg(ap, size_t *);
		if (!nvnoc_user_ptr(p, sizeof(*p)))
			return -EFAULT;
		*p = e->volume;
		return 0;
	}
	if (!nvnoc_user_ptr(p64 = va_arg(ap, uint64_t *), sizeof(*p64)))
		return -EFAULT;
	switch (request) {
	case KMAILBOX_IOCTL_GET_LATENCY: *p64 = e->latency; return 0;
	case KMAILBOX_IOCTL_GET_NCREATES: *p64 = k->n.ncreates; return 0;
	case KMAILBOX_IOCTL_GET_NUNLINKS: *p64 = k->n.nunlinks; return 0;
	case KMAILBOX_IOCTL_GET_NOPENS: *p64 = k->n.nopens; return 0;
	case KMAILBOX_IOCTL_GET_NCLOSES: *p64 = k->n.ncloses; return 0;
	case KMAILBOX_IOCTL_GET_NREADS: *p64 = k->n.nreads; return 0;
	case KMAILBOX_IOCTL_GET_NWRITES: *p64 = k->n.nwrites; return 0;
	default: return -ENOTSUP;
	}
}

int kmailbox_ioctl(int mbxid, unsigned request, ...)
{
	va_list ap;
	int r;

	va_start(ap, request);
	r = nvnoc_ioctl(&mailboxes, mbxid, request, ap);
	va_end(ap);
	return r;
}

int kmailbox_set_remote(int mbxid, int remote, int remote_port)
{
	if (remote < 0 || remote > MAILBOX_ANY_SOURCE || remote_port < 0 ||
	    remote_port > MAILBOX_ANY_PORT)
		return -EINVAL;
	return kmailbox_ioctl(mbxid, KMAILBOX_IOCTL_SET_REMOTE, remote, remote_port);
}

/* The port of endpoint id, either direction. */
static int nvnoc_port(struct nvkind *k, int id)
{
	int err;
	struct nvep *e = nvnoc_get(k, id, EP_FREE, &err);

	return e ? e->port : err;
}

int kmailbox_get_port(int mbxid)
{
	return nvnoc_port(&mailboxes, mbxid);
}

int kcomm_get_port(int id, int type)
{
	if (type == COMM_TYPE_MAILBOX)
		return kmailbox_get_port(id);
	if (type == COMM_TYPE_PORTAL)
		return kportal_get_port(id);
	return -EINVAL;
}

/* ---- portals ---- */

int kportal_create(int local, int port)
{
	int r;

	if (local != knode_get_num() || port < 0 || port >= KPORTAL_PORT_NR)
		return -EINVAL;
	if ((r = nvnoc_slot(&portals, EP_IN, port)) < 0)
		return r;
	if ((r = nvnoc_err(nv_portal_create(port))) < 0)
		return r;
	return nvnoc_install(&portals, r, EP_IN, local, port);
}

/* The next read takes the write of remote's output on remote_port. */
int kportal_allow(int portalid, int remote, int remote_port)
{
	int err, pid;
	struct nvep *e;

	/* As Nanvix: bad arguments first, then an id not in use. */
	if (!nvnoc_node_ok(remote) || remote_port < 0 || remote_port >= KPORTAL_PORT_NR)
		return -EINVAL;
	if (!(e = nvnoc_get(&portals, portalid, EP_IN, &err)))
		return err;
	if ((pid = nvnoc_pid_of(remote)) < 0)
		return pid;
	return nvnoc_err(nv_portal_allow_tagged(e->native, pid, (unsigned)remote_port));
}

int kportal_open(int local, int remote, int remote_port)
{
	if (local != knode_get_num() || !nvnoc_node_ok(remote) || remote_port < 0 ||
	    remote_port >= KPORTAL_PORT_NR)
		return -EINVAL;
	return nvnoc_open(&portals, remote, remote_port, nv_portal_open);
}

int kportal_unlink(int portalid)
{
	return nvnoc_unlink(&portals, portalid, nv_portal_pending, nv_portal_unlink);
}

int kportal_close(int portalid)
{
	return nvnoc_release(&portals, portalid, EP_OUT, nv_portal_close);
}

ssize_t kportal_aread(int portalid, void *buffer, size_t size)
{
	return nvnoc_xfer(&portals, portalid, EP_IN, buffer, size, KPORTAL_MAX_SIZE,
	                  nvnoc_portal_read);
}

ssize_t kportal_awrite(int portalid, const void *buffer, size_t size)
{
	return nvnoc_xfer(&portals, portalid, EP_OUT, (void *)(uintptr_t)buffer, size,
	                  KPORTAL_MAX_SIZE, nvnoc_portal_write);
}

int kportal_wait(int portalid)
{
	return nvnoc_wait(&portals, portalid);
}

ssize_t kportal_read(int portalid, void *buffer, size_t size)
{
	return kportal_aread(portalid, buffer, size);
}

ssize_t kportal_write(int portalid, const void *buffer, size_t size)
{
	return kportal_awrite(portalid, buffer, size);
}

int kportal_ioctl(int portalid, unsigned request, ...)
{
	va_list ap;
	int r;

	va_start(ap, request);
	r = nvnoc_ioctl(&portals, portalid, request, ap);
	va_end(ap);
	return r;
}

int kportal_get_port(int portalid)
{
	return nvnoc_port(&portals, portalid);
}

/* ---- syncs ---- */

/* Checks a node set and maps it to pids: 0 or -EINVAL. */
static int nvnoc_sync_set(const int *nodes, int nnodes, int type, int input, int *pids)
{
	int me = knode_get_num(), master, member = 0;

	if (!nodes || nnodes < 2 || nnodes > PROCESSOR_NOC_NODES_NUM || nnodes > NV_SYNC_MAX ||
	    (type != SYNC_ONE_TO_ALL && type != SYNC_ALL_TO_ONE))
		return -EINVAL;
	for (int i = 0; i < nnodes; i++) {
		if (!nvnoc_node_ok(nodes[i]))
			return -EINVAL;
		for (int j = 0; j < i; j++)
			if (nodes[i] == nodes[j])
				return -EINVAL;
		member |= i > 0 && nodes[i] == me;
	}
	master = nodes[0] == me;
	/* The waiting side creates: one-to-all the others, all-to-one the master. */
	if (!master && !member)
		return -EINVAL;
	if ((type == SYNC_ONE_TO_ALL) == (input ? master : member))
		return -EINVAL;
	for (int i = 0; i < nnodes; i++) {
		int pid = nodes[i] == me ? (int)nv_getpid() : nvnoc_pid_of(nodes[i]);
		if (pid < 0)
			return pid;
		pids[i] = pid;
	}
	return 0;
}

static int nvnoc_sync_endpoint(const int *nodes, int nnodes, int type, int input)
{
	int pids[NV_SYNC_MAX], r;

	if ((r = nvnoc_sync_set(nodes, nnodes, type, input, pids)) < 0)
		return r;
	if (nvnoc_slot(&syncs, input ? EP_IN : EP_OUT, 0) < 0)
		return -EMFILE;
	r = input ? nv_sync_create(pids, nnodes, type) : nv_sync_open(pids, nnodes, type);
	if ((r = nvnoc_err(r)) < 0)
		return r;
	return nvnoc_install(&syncs, r, input ? EP_IN : EP_OUT, nodes[0], 0);
}

int ksync_create(const int *nodes, int nnodes, int type)
{
	return nvnoc_sync_endpoint(nodes, nnodes, type, 1);
}

int ksync_open(const int *nodes, int nnodes, int type)
{
	return nvnoc_sync_endpoint(nodes, nnodes, type, 0);
}

/* A wait or a signal on id of direction dir, counted and timed. */
static int nvnoc_sync_op(int id, int dir, int (*op)(int))
{
	int err, r;
	struct nvep *e = nvnoc_get(&syncs, id, dir, &err);
	uint64_t t0;

	if (!e)
		return err;
	t0 = nvnoc_cycles();
	if ((r = nvnoc_err(op(e->native))) < 0)
		return r;
	e->latency += nvnoc_cycles() - t0;
	if (dir == EP_IN)
		syncs.n.nreads++;
	else
		syncs.n.nwrites++;
	return 0;
}

int ksync_wait(int syncid)
{
	return nvnoc_sync_op(syncid, EP_IN, nv_sync_wait);
}

int ksync_signal(int syncid)
{
	return nvnoc_sync_op(syncid, EP_OUT, nv_sync_signal);
}

int ksync_unlink(int syncid)
{
	return nvnoc_release(&syncs, syncid, EP_IN, nv_sync_unlink);
}

int ksync_close(int syncid)
{
	return nvnoc_release(&syncs, syncid, EP_OUT, nv_sync_close);
}

int ksync_ioctl(int syncid, unsigned request, ...)
{
	va_list ap;
	int r;

	if (request == KMAILBOX_IOCTL_GET_VOLUME)
		return -ENOTSUP; /* a sync moves no data */
	va_start(ap, request);
	r = nvnoc_ioctl(&syncs, syncid, request, ap);
	va_end(ap);
	return r;
}

/* ---- migration ---- */

int kmigration_init(void)
{
	return 0;
}

int kmigrate_to(int node)
{
	return nvnoc_err(nv_migrate_to(node, NV_MIGRATE_STOP_COPY));
}
