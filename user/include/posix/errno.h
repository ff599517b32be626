/*
 * posix/errno.h - error numbers as Nanvix programs test them: the C
 * library's names, with the values this board's calls return (negated).
 */
#ifndef POSIX_ERRNO_H
#define POSIX_ERRNO_H

#include <errno.h>

#ifndef ENOTSUP
#define ENOTSUP 134
#endif

#endif /* POSIX_ERRNO_H */
