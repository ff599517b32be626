/*
 * frames.h - the physical frame allocator of a cluster.
 *
 * Hands out zeroed 4 KiB frames of a struct physmem. Frame 0 is never
 * handed out, so a physical address of 0 can mean "none". Frames that
 * back user pages are also counted against the cluster's user-memory
 * limit (the profile's), so that page tables and other kernel frames can
 * still be had when user memory is exhausted.
 */
#ifndef FRAMES_H
#define FRAMES_H

#include <stdint.h>

struct physmem;
struct frames;

/* An allocator over all frames of pm but the first. NULL on ENOMEM. */
struct frames *frames_new(struct physmem *pm);

/* Frees the allocator (not pm). NULL is ignored. */
void frames_free(struct frames *fa);

/* The memory the frames are in. */
struct physmem *frames_physmem(struct frames *fa);

/* Allocates one zeroed frame; returns its physical address or 0 if none
 * is free. */
uint32_t frames_alloc(struct frames *fa);

/* Returns the frame at pa (from frames_alloc) to the pool. */
void frames_release(struct frames *fa, uint32_t pa);

/* As frames_alloc, for a user page: also 0 when the user limit is reached. */
uint32_t frames_alloc_user(struct frames *fa);

/* As frames_alloc_user, but the frame keeps whatever it held: for a
 * caller that overwrites all of it before anything can read it. */
uint32_t frames_alloc_user_unzeroed(struct frames *fa);

/* Returns a frame from frames_alloc_user. */
void frames_release_user(struct frames *fa, uint32_t pa);

/* Caps the frames user pages may hold at once (default: all). */
void frames_set_user_limit(struct frames *fa, uint32_t frames);

/* User frames held now, and the cap. */
uint32_t frames_user_used(const struct frames *fa);
uint32_t frames_user_limit(const struct frames *fa);

/* Most user frames held at once since the allocator was made. */
uint32_t frames_user_peak(const struct frames *fa);

/* Frames free now, and in all. */
uint32_t frames_available(const struct frames *fa);

/* Clears the next n frames to be handed out, which backs their host
 * memory, so that taking them later neither waits for the host nor
 * clears them again (a migration warms its target before the process
 * freezes). */
void frames_warm(struct frames *fa, uint32_t n);
uint32_t frames_total(const struct frames *fa);

/* Fault injection: the n-th frame taken from now on fails as if memory
 * had run out (0 disarms it). */
void frames_fail_in(struct frames *fa, uint32_t n);

#endif /* FRAMES_H */
