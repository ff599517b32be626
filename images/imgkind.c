/*
 * imgkind.c - the table of image kinds (see imgkind.h).
 */
#include <string.h>

#include "images/imgkind.h"
#include "images/imgparams.h"
#include "proto/inventory.pb-c.h"
#include "proto/ipc.pb-c.h"
#include "proto/mm.pb-c.h"
#include "proto/pagemap.pb-c.h"
#include "proto/pages.pb-c.h"
#include "proto/stats.pb-c.h"
#include "proto/uarea.pb-c.h"

/* Four ASCII bytes, as they lie in the file. */
#define MAGIC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

static const struct imgkind_info kinds[IMGKIND_COUNT] = {
	[IMGKIND_INVENTORY] = { "inventory", "inventory.img", MAGIC('C', 'R', 'I', 'N'),
	                        &crimg__inventory__descriptor, 4096, 1, 1 },
	/* 254 threads of at most ~260 bytes each */
	[IMGKIND_UAREA] = { "uarea", "uarea.img", MAGIC('C', 'R', 'U', 'A'),
	                    &crimg__uarea__descriptor, 128 << 10, 1, 0 },
	[IMGKIND_MM] = { "mm", "mm.img", MAGIC('C', 'R', 'M', 'M'), &crimg__region__descriptor, 64,
	                 1, 1 },
	[IMGKIND_PAGEMAP] = { "pagemap", "pagemap.img", MAGIC('C', 'R', 'P', 'M'),
	                      &crimg__pagemap_run__descriptor, 64, 1, 1 },
	[IMGKIND_PAGES] = { "pages", "pages.img", MAGIC('C', 'R', 'P', 'G'),
	                    &crimg__page_block__descriptor, 64, 1, 1 },
	/* queued messages: a portal's 1 MiB, or 64 mailbox messages */
	[IMGKIND_IPC] = { "ipc", "ipc.img", MAGIC('C', 'R', 'I', 'P'), &crimg__endpoint__descriptor,
	                  CRIMG_PORTAL_MSG_MAX + 4096, 1, 0 },
	[IMGKIND_STATS] = { "stats", "stats.img", MAGIC('C', 'R', 'S', 'T'),
	                    &crimg__stats__descriptor, 1024, 1, 1 },
};

const struct imgkind_info *imgkind_info(enum imgkind k)
{
	return &kinds[k];
}

int imgkind_by_magic(uint32_t magic)
{
	for (int k = 0; k < IMGKIND_COUNT; k++)
		if (kinds[k].magic == magic)
			return k;
	return -1;
}

int imgkind_by_name(const char *s)
{
	for (int k = 0; k < IMGKIND_COUNT; k++)
		if (!strcmp(kinds[k].file, s) || !strcmp(kinds[k].name, s))
			return k;
	return -1;
}
