/*
 * migwire.c - the migration daemons' messages and portal writes (see
 * migwire.h).
 */
#include <string.h>

#define LOG_MODULE "migwire"

#include "diag/log.h"
#include "kernel-hooks/migwire.h"
#include "kernel-hooks/transfer.h"
#include "noc/mailbox.h"
#include "params/noc_params.h"

static const char *const migwire_names[MIGWIRE_OPS] = {
	[MIGWIRE_START] = "START",     [MIGWIRE_PREPARE] = "PREPARE", [MIGWIRE_READY] = "READY",
	[MIGWIRE_REFUSED] = "REFUSED", [MIGWIRE_OFFER] = "OFFER",     [MIGWIRE_TAKEN] = "TAKEN",
	[MIGWIRE_RUNNING] = "RUNNING", [MIGWIRE_LANDED] = "LANDED",   [MIGWIRE_ANSWER] = "ANSWER",
	[MIGWIRE_ABORT] = "ABORT",
};

const char *migwire_op_name(uint32_t op)
{
	return op < MIGWIRE_OPS && migwire_names[op] ? migwire_names[op] : "unknown";
}

void migwire_send(struct noc *noc, uint32_t src, uint32_t dst, const struct migwire_msg *msg)
{
	LOG_DEBUG("node %u -> node %u: %s pid %u (request %u, arg %u, rc %d)", src, dst,
	          migwire_op_name(msg->op), msg->pid, msg->id, msg->arg, msg->rc);
	(void)mailbox_kernel_send(noc, src, dst, MAILBOX_KS_MIGRATE, msg, sizeof(*msg), 0);
}

void migwire_write(struct noc *noc, uint32_t src_node, uint32_t portal_max, uint32_t to, void *dst,
                   const void *src, size_t len)
{
	struct transfer t;

	transfer_init(&t, noc, src_node, to, portal_max, 0);
	if (transfer_move(&t, dst, src, len) < 0)
		memcpy(dst, src, len); /* the report still arrives: only a stream write may fail */
	transfer_fini(&t);
}

int migwire_recv(struct noc *noc, uint32_t node, struct migwire_msg *msg, uint32_t *src)
{
	uint8_t buf[NOC_MAILBOX_MAX];
	uint64_t arrival;

	if (mailbox_kernel_recv(noc, node, MAILBOX_KS_MIGRATE, buf, src, &arrival))
		return 0;
	memcpy(msg, buf, sizeof(*msg));
	return 1;
}
