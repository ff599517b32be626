/*
 * nanvix/sys/task.h - Nanvix's task dispatcher is configured off on this
 * board (__NANVIX_USE_TASKS is 0, as a Nanvix build may set it): a
 * program that tests the macro builds and takes its other path.
 */
#ifndef NANVIX_SYS_TASK_H
#define NANVIX_SYS_TASK_H

#include "nanvix/kernel/kernel.h"

#endif /* NANVIX_SYS_TASK_H */
