/*
 * imgparams.h - the image format's constants and limits, in one place
 * (docs/image-format.md). A reader refuses anything beyond them before it
 * allocates: every length in a file is untrusted.
 */
#ifndef IMGPARAMS_H
#define IMGPARAMS_H

#include "diag/version.h"

#define CRIMG_FORMAT_VERSION 1u /* inventory.format_version written */
#define CRIMG_ARCH "rv32imac"
#define CRIMG_TOOL_VERSION CRTOOL_VERSION /* inventory.tool_version written */
#define CRIMG_PAGE_SIZE 4096u
#define CRIMG_PAGE_SHIFT 12
#define CRIMG_USER_BASE 0x80000000u /* user virtual range [BASE, END) */
#define CRIMG_USER_END 0xF0000000u
#define CRIMG_USER_PAGES ((CRIMG_USER_END - CRIMG_USER_BASE) / CRIMG_PAGE_SIZE)

#define CRIMG_NAME_MAX 31u        /* process name bytes */
#define CRIMG_APP_MAX 31u         /* application name bytes (crtool run --app) */
#define CRIMG_APP_MEMBERS_MAX 64u /* processes of one group dump */
/* The characters of an application name. */
#define CRIMG_APP_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
#define CRIMG_THREADS_MAX 254u      /* threads in a process */
#define CRIMG_REGIONS_MAX 512u      /* mm regions: segments, heap, stacks */
#define CRIMG_ENDPOINTS_MAX 64u     /* IKC endpoints (slots) of a process */
#define CRIMG_QUEUED_MAX 64u        /* messages queued on one endpoint */
#define CRIMG_PORTAL_WRITES_MAX 8u  /* writes a portal input holds */
#define CRIMG_TAG_LIMIT 0xfffffffeu /* message tags are below it */
#define CRIMG_MAILBOX_MSG_MAX 128u  /* bytes a mailbox message */
#define CRIMG_PORTAL_MSG_MAX (1u << 20)
#define CRIMG_SYNC_MEMBERS_MAX 32u
#define CRIMG_REGS 31u /* x1 .. x31 */
#define CRIMG_WAIT_ARGS 3u
#define CRIMG_CHAIN_MAX 64u /* parents followed before giving up */

#define CRIMG_BLOCK_PAGES_MAX 256u /* pages a block */
#define CRIMG_BLOCK_PAGES_DEFAULT 64u
#define CRIMG_BLOCK_RAW_MAX (CRIMG_BLOCK_PAGES_MAX * CRIMG_PAGE_SIZE)

/* Bytes an encoder (and a file's decoder) buffers. */
#define CRIMG_STREAM_BUF (64u << 10)

#define CRIMG_END_MARK 0xffffffffu /* length word that ends a file's entries */

#endif /* IMGPARAMS_H */
