/*
 * imgkind.c - the table of image kinds (see imgkind.h).
 */
#include <string.h>

#include "images/imgkind.h"
#include "images/imgparams.h"
#include "proto/app.pb-c.h"
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

static const struct imgkind_info kinds[IMGKIND_ALL] = {
	[IMGKIND_INVENTORY] = { .name = "inventory",
	                        .file = "inventory.img",
	                        .magic = MAGIC('C', 'R', 'I', 'N'),
	                        .desc = &crimg__inventory__descriptor,
	                        .entry_max = 4096,
	                        .in_dump = 1,
	                        .in_pre_dump = 1,
	                        .holds = IMGKIND_ONE },
	[IMGKIND_UAREA] = { .name = "uarea",
	                    .file = "uarea.img",
	                    .magic = MAGIC('C', 'R', 'U', 'A'),
	                    .desc = &crimg__uarea__descriptor,
	                    .entry_max = 128 << 10, /* 254 threads of at most ~260 bytes each */
	                    .in_dump = 1,
	                    .holds = IMGKIND_ONE },
	[IMGKIND_MM] = { .name = "mm",
	                 .file = "mm.img",
	                 .magic = MAGIC('C', 'R', 'M', 'M'),
	                 .desc = &crimg__region__descriptor,
	                 .entry_max = 64,
	                 .in_dump = 1,
	                 .in_pre_dump = 1,
	                 .holds = IMGKIND_MANY,
	                 .max_entries = CRIMG_REGIONS_MAX,
	                 .noun = "regions" },
	[IMGKIND_PAGEMAP] = { .name = "pagemap",
	                      .file = "pagemap.img",
	                      .magic = MAGIC('C', 'R', 'P', 'M'),
	                      .desc = &crimg__pagemap_run__descriptor,
	                      .entry_max = 64,
	                      .in_dump = 1,
	                      .in_pre_dump = 1,
	                      .holds = IMGKIND_MANY,
	                      .max_entries = CRIMG_USER_PAGES,
	                      .noun = "runs" },
	[IMGKIND_PAGES] = { .name = "pages",
	                    .file = "pages.img",
	                    .magic = MAGIC('C', 'R', 'P', 'G'),
	                    .desc = &crimg__page_block__descriptor,
	                    .entry_max = 64,
	                    .in_dump = 1,
	                    .in_pre_dump = 1,
	                    .holds = IMGKIND_BLOCKS },
	[IMGKIND_IPC] = { .name = "ipc",
	                  .file = "ipc.img",
	                  .magic = MAGIC('C', 'R', 'I', 'P'),
	                  .desc = &crimg__endpoint__descriptor,
	                  /* queued messages: a portal's 1 MiB, or 64 mailbox messages */
	                  .entry_max = CRIMG_PORTAL_MSG_MAX + 4096,
	                  .in_dump = 1,
	                  .holds = IMGKIND_MANY,
	                  /* the slots, and as many signals for syncs the
	                   * process has not created yet */
	                  .max_entries = 2 * CRIMG_ENDPOINTS_MAX,
	                  .noun = "endpoints" },
	[IMGKIND_STATS] = { .name = "stats",
	                    .file = "stats.img",
	                    .magic = MAGIC('C', 'R', 'S', 'T'),
	                    .desc = &crimg__stats__descriptor,
	                    .entry_max = 1024,
	                    .in_dump = 1,
	                    .in_pre_dump = 1,
	                    .holds = IMGKIND_ONE },
	[IMGKIND_APP] = { .name = "app",
	                  .file = "app.img",
	                  .magic = MAGIC('C', 'R', 'A', 'P'),
	                  .desc = &crimg__app__descriptor,
	                  /* 64 members and 64 x 64 channels of ~30 bytes */
	                  .entry_max = 256 << 10,
	                  .holds = IMGKIND_ONE },
};

const struct imgkind_info *imgkind_info(enum imgkind k)
{
	return &kinds[k];
}

int imgkind_by_magic(uint32_t magic)
{
	for (int k = 0; k < IMGKIND_ALL; k++)
		if (kinds[k].magic == magic)
			return k;
	return -1;
}

int imgkind_by_name(const char *s)
{
	for (int k = 0; k < IMGKIND_ALL; k++)
		if (!strcmp(kinds[k].file, s) || !strcmp(kinds[k].name, s))
			return k;
	return -1;
}
