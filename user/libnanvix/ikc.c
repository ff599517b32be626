/*
 * ikc.c - kernel-call wrappers for mailboxes, portals, syncs and names.
 */
#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

#define CALL1(nr, a) ((int)nv_syscall3((nr), (long)(a), 0, 0))
#define CALL2(nr, a, b) ((int)nv_syscall3((nr), (long)(a), (long)(b), 0))
#define CALL3(nr, a, b, c) ((int)nv_syscall3((nr), (long)(a), (long)(b), (long)(c)))

int nv_mailbox_create(int port) { return CALL1(NR_kmailbox_create, port); }
int nv_mailbox_open(int pid, int port) { return CALL2(NR_kmailbox_open, pid, port); }
int nv_mailbox_read(int id, void *buf, size_t size) { return CALL3(NR_kmailbox_read, id, buf, size); }
int nv_mailbox_write(int id, const void *buf, size_t size)
{
	return CALL3(NR_kmailbox_write, id, buf, size);
}
int nv_mailbox_unlink(int id) { return CALL1(NR_kmailbox_unlink, id); }
int nv_mailbox_close(int id) { return CALL1(NR_kmailbox_close, id); }
int nv_mailbox_pending(int id) { return CALL1(NR_kmailbox_pending, id); }

int nv_portal_create(int port) { return CALL1(NR_kportal_create, port); }
int nv_portal_allow(int id, int pid) { return CALL2(NR_kportal_allow, id, pid); }
int nv_portal_open(int pid, int port) { return CALL2(NR_kportal_open, pid, port); }
int nv_portal_read(int id, void *buf, size_t size) { return CALL3(NR_kportal_read, id, buf, size); }
int nv_portal_write(int id, const void *buf, size_t size)
{
	return CALL3(NR_kportal_write, id, buf, size);
}
int nv_portal_unlink(int id) { return CALL1(NR_kportal_unlink, id); }
int nv_portal_close(int id) { return CALL1(NR_kportal_close, id); }

int nv_sync_create(const int *pids, int n, int type) { return CALL3(NR_ksync_create, pids, n, type); }
int nv_sync_open(const int *pids, int n, int type) { return CALL3(NR_ksync_open, pids, n, type); }
int nv_sync_wait(int id) { return CALL1(NR_ksync_wait, id); }
int nv_sync_signal(int id) { return CALL1(NR_ksync_signal, id); }
int nv_sync_unlink(int id) { return CALL1(NR_ksync_unlink, id); }
int nv_sync_close(int id) { return CALL1(NR_ksync_close, id); }

int nv_name_lookup(int pid) { return CALL1(NR_kname_lookup, pid); }
int nv_migrate_to(int node, int mode) { return CALL2(NR_kmigrate_to, node, mode); }
int nv_node_get_num(void) { return (int)nv_syscall3(NR_knode_get_num, 0, 0, 0); }
int nv_name_vnode(int vnode) { return CALL1(NR_kname_vnode, vnode); }
