/*
 * nanvix/sys/portal.h - Nanvix's portals: a receiver allows one sender,
 * which writes up to KPORTAL_MAX_SIZE bytes; the receiver reads them.
 */
#ifndef NANVIX_SYS_PORTAL_H
#define NANVIX_SYS_PORTAL_H

#include "nanvix/kernel/kernel.h"

#define KPORTAL_MESSAGE_HEADER_SIZE HAL_PORTAL_RESERVED_SIZE
#define KPORTAL_MESSAGE_DATA_SIZE HAL_PORTAL_DATA_SIZE
#define KPORTAL_MAX_SIZE (1024 * 1024) /* one transfer; the board moves it whole */
#define PORTAL_MAX_SIZE KPORTAL_MAX_SIZE
#define KPORTAL_PORT_NR 24 /* as Nanvix has it */
#define PORTAL_PORT_NR KPORTAL_PORT_NR
#define KPORTAL_MAX 64
#define PORTAL_ANY_SOURCE PROCESSOR_NOC_NODES_NUM
#define PORTAL_ANY_PORT KPORTAL_PORT_NR
#define PORTAL_CREATE_MAX 24
#define PORTAL_OPEN_MAX 40

#define KPORTAL_IOCTL_GET_VOLUME 1
#define KPORTAL_IOCTL_GET_LATENCY 2
#define KPORTAL_IOCTL_GET_NCREATES 3
#define KPORTAL_IOCTL_GET_NUNLINKS 4
#define KPORTAL_IOCTL_GET_NOPENS 5
#define KPORTAL_IOCTL_GET_NCLOSES 6
#define KPORTAL_IOCTL_GET_NREADS 7
#define KPORTAL_IOCTL_GET_NWRITES 8
#define PORTAL_IOCTL_GET_VOLUME KPORTAL_IOCTL_GET_VOLUME
#define PORTAL_IOCTL_GET_LATENCY KPORTAL_IOCTL_GET_LATENCY

int kportal_create(int local, int port);
/* Lets (remote, remote_port) write to input portalid once. */
int kportal_allow(int portalid, int remote, int remote_port);
int kportal_open(int local, int remote, int remote_port);
int kportal_unlink(int portalid);
int kportal_close(int portalid);
ssize_t kportal_aread(int portalid, void *buffer, size_t size);
ssize_t kportal_awrite(int portalid, const void *buffer, size_t size);
int kportal_wait(int portalid);
ssize_t kportal_read(int portalid, void *buffer, size_t size);
ssize_t kportal_write(int portalid, const void *buffer, size_t size);
int kportal_ioctl(int portalid, unsigned request, ...);
int kportal_get_port(int portalid);

#endif /* NANVIX_SYS_PORTAL_H */
