/*
 * ikctag.c - kernel-call wrappers for tagged IKC (nanvix/ikc.h): what
 * Nanvix's API needs, kept apart from ikc.c so that programs of the pid
 * API link only what they call.
 */
#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

int nv_mailbox_write_tagged(int id, const void *buf, size_t size, int tag)
{
	return (int)nv_syscall4(NR_kmailbox_write_tagged, id, (long)buf, (long)size, tag);
}
int nv_mailbox_read_from(int id, void *buf, size_t size, int pid, unsigned tag)
{
	return (int)nv_syscall5(NR_kmailbox_read_from, id, (long)buf, (long)size, pid, (long)tag);
}
int nv_portal_allow_tagged(int id, int pid, unsigned tag)
{
	return (int)nv_syscall3(NR_kportal_allow_tagged, id, pid, (long)tag);
}
int nv_portal_write_tagged(int id, const void *buf, size_t size, int tag)
{
	return (int)nv_syscall4(NR_kportal_write_tagged, id, (long)buf, (long)size, tag);
}
int nv_portal_pending(int id) { return (int)nv_syscall3(NR_kportal_pending, id, 0, 0); }
