/*
 * ikc.c - kernel-call wrappers for mailboxes, portals, syncs and names.
 */
#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

#define CALL1(nr, a) ((int)nv_syscall3((nr), (long)(a), 0, 0))
#define CALL2(nr, a, b) ((int)nv_syscall3((nr), (long)(a), (long)(b), 0))
#define CALL3(nr, a, b, c) ((int)nv_syscall3((nr), (long)(a), (long)(b), (long)(c)))

int kmailbox_create(int port) { return CALL1(NR_kmailbox_create, port); }
int kmailbox_open(int pid, int port) { return CALL2(NR_kmailbox_open, pid, port); }
int kmailbox_read(int id, void *buf, size_t size) { return CALL3(NR_kmailbox_read, id, buf, size); }
int kmailbox_write(int id, const void *buf, size_t size)
{
	return CALL3(NR_kmailbox_write, id, buf, size);
}
int kmailbox_unlink(int id) { return CALL1(NR_kmailbox_unlink, id); }
int kmailbox_close(int id) { return CALL1(NR_kmailbox_close, id); }

int kportal_create(int port) { return CALL1(NR_kportal_create, port); }
int kportal_allow(int id, int pid) { return CALL2(NR_kportal_allow, id, pid); }
int kportal_open(int pid, int port) { return CALL2(NR_kportal_open, pid, port); }
int kportal_read(int id, void *buf, size_t size) { return CALL3(NR_kportal_read, id, buf, size); }
int kportal_write(int id, const void *buf, size_t size)
{
	return CALL3(NR_kportal_write, id, buf, size);
}
int kportal_unlink(int id) { return CALL1(NR_kportal_unlink, id); }
int kportal_close(int id) { return CALL1(NR_kportal_close, id); }

int ksync_create(const int *pids, int n, int type) { return CALL3(NR_ksync_create, pids, n, type); }
int ksync_open(const int *pids, int n, int type) { return CALL3(NR_ksync_open, pids, n, type); }
int ksync_wait(int id) { return CALL1(NR_ksync_wait, id); }
int ksync_signal(int id) { return CALL1(NR_ksync_signal, id); }
int ksync_unlink(int id) { return CALL1(NR_ksync_unlink, id); }
int ksync_close(int id) { return CALL1(NR_ksync_close, id); }

int kname_lookup(int pid) { return CALL1(NR_kname_lookup, pid); }
int kmigrate_to(int node, int mode) { return CALL2(NR_kmigrate_to, node, mode); }
