/*
 * core_params.h - limits and layout constants of the emulated RV32IMAC core.
 *
 * Every number the core depends on lives here, so that tuning or reasoning
 * about the core needs only this file.
 */
#ifndef CORE_PARAMS_H
#define CORE_PARAMS_H

#include <stdint.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the core keeps guest memory in host order: a little-endian host is required"
#endif

/* Sv32 paging: 4 KiB pages, two levels of 1024 four-byte entries. */
#define CORE_PAGE_SHIFT 12
#define CORE_PAGE_SIZE (1u << CORE_PAGE_SHIFT)
#define CORE_PAGE_MASK (CORE_PAGE_SIZE - 1)
#define CORE_PTES_PER_TABLE 1024u

/* Software TLB: direct-mapped, one array for reads and one for writes. */
#define CORE_TLB_BITS 10
#define CORE_TLB_SIZE (1u << CORE_TLB_BITS)

/* Decoded basic blocks: at most this many guest instructions each. */
#define CORE_BLOCK_MAX_INSNS 64
/* Hash buckets of the per-address-space block cache (a power of two). */
#define CORE_BLOCK_HASH_SIZE 4096u
/* The block arena grows by chunks, each twice the last, up to this in
 * all; then it is flushed. */
#define CORE_BLOCK_ARENA_MIN (64u * 1024)
#define CORE_BLOCK_ARENA_MAX (8u * 1024 * 1024)

/* The translation tier (manycore/core/jit.h): a block is translated to
 * host code once the interpreter has entered it this many times. */
#define CORE_JIT_HOT 2u

/*
 * The modelled clock: one instruction retires per cycle at the MPPA-256's
 * 400 MHz, and the `time` CSR ticks at 10 MHz. Both derive from retired
 * instructions, so guest-visible time is deterministic.
 */
#define CORE_CLOCK_HZ 400000000ull
#define CORE_TIMEBASE_HZ 10000000ull
#define CORE_CYCLES_PER_TICK (CORE_CLOCK_HZ / CORE_TIMEBASE_HZ)

#endif /* CORE_PARAMS_H */
