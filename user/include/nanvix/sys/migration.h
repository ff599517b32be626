/*
 * nanvix/sys/migration.h - moving the calling process to another
 * cluster (the UArea work's call). Every thread moves; the process keeps
 * its node number, so its peers go on reaching it.
 */
#ifndef NANVIX_SYS_MIGRATION_H
#define NANVIX_SYS_MIGRATION_H

#include "nanvix/kernel/kernel.h"

/* 0. */
int kmigration_init(void);
/* Moves to compute node node (stop-and-copy): 0 once it runs there; on
 * failure it runs on where it was: -EINVAL (not a compute node), -EBUSY,
 * -EAGAIN, -ENOMEM, -ENOSPC, -EPROTO, -EIO, -EHOSTDOWN. */
int kmigrate_to(int node);

#endif /* NANVIX_SYS_MIGRATION_H */
