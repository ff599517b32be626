/*
 * nanvix/sys/mutex.h - Nanvix's user mutexes, on futexes: normal,
 * error-checking and recursive.
 */
#ifndef NANVIX_SYS_MUTEX_H
#define NANVIX_SYS_MUTEX_H

#include "nanvix/kernel/kernel.h"

#define NANVIX_MUTEX_NORMAL 0
#define NANVIX_MUTEX_ERRORCHECK 1
#define NANVIX_MUTEX_RECURSIVE 2
#define NANVIX_MUTEX_DEFAULT NANVIX_MUTEX_NORMAL
#define NANVIX_MUTEX_LIMIT 3 /* the number of types */

struct nanvix_mutexattr {
	int type;
};

/* state: 0 free, 1 held, 2 held with waiters. */
struct nanvix_mutex {
	volatile uint32_t state;
	int type;
	int owner; /* tid, for error checks and recursion */
	int count; /* recursive holds */
	volatile bool locked; /* true while held (Nanvix's field) */
};
#define NANVIX_MUTEX_INIT { 0, NANVIX_MUTEX_NORMAL, 0, 0, false }

/* 0, -EINVAL (NULL or a bad attribute). */
int nanvix_mutex_init(struct nanvix_mutex *m, struct nanvix_mutexattr *mattr);
int nanvix_mutex_lock(struct nanvix_mutex *m);    /* -EDEADLK: error-check, held */
int nanvix_mutex_trylock(struct nanvix_mutex *m); /* -EBUSY: held */
int nanvix_mutex_unlock(struct nanvix_mutex *m);  /* -EPERM: not the holder */
int nanvix_mutex_destroy(struct nanvix_mutex *m); /* -EBUSY: held */
int nanvix_mutexattr_init(struct nanvix_mutexattr *mattr);
int nanvix_mutexattr_destroy(struct nanvix_mutexattr *mattr);
int nanvix_mutexattr_settype(struct nanvix_mutexattr *mattr, int type);
/* The type, or -EINVAL (NULL). */
int nanvix_mutexattr_gettype(struct nanvix_mutexattr *mattr);

#endif /* NANVIX_SYS_MUTEX_H */
