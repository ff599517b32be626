/*
 * posix/stddef.h - where Nanvix programs find size_t, NULL and offsetof.
 */
#ifndef NANVIX_POSIX_STDDEF_H
#define NANVIX_POSIX_STDDEF_H

#include <stddef.h>

#endif /* NANVIX_POSIX_STDDEF_H */
