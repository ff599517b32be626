/*
 * nanvix/sys/dev.h - the console device.
 */
#ifndef NANVIX_SYS_DEV_H
#define NANVIX_SYS_DEV_H

#include "nanvix/kernel/kernel.h"

#endif /* NANVIX_SYS_DEV_H */
