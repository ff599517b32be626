/*
 * nanvix/ulib.h - the small runtime a Nanvix program expects: console
 * output, memory and string helpers, assertions and attribute macros.
 */
#ifndef NANVIX_ULIB_H
#define NANVIX_ULIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PUBLIC
#define PRIVATE static
#define EXTERN extern
#define UNUSED(x) ((void)(x))
#define UNREACHABLE() __builtin_unreachable()
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ALIGN(x) __attribute__((aligned(x)))
#define PACK __attribute__((packed))
#define NORETURN __attribute__((noreturn))
#define INLINE static inline
#define KB 1024 /* as Nanvix has them: (1 * KB), (4 * MB) */
#define MB (1024 * KB)
#define GB (1024 * MB)
#define WITHIN(x, a, b) (((x) >= (a)) && ((x) < (b)))
#define TRUNCATE(x, a) ((x) & ~((a) - 1))
#define ALIGN_UP(x, a) TRUNCATE((x) + (a) - 1, a)
#define NANVIX_ARRAY_LENGTH(a) (sizeof(a) / sizeof((a)[0]))

/* Writes n bytes of buf to the console (any fd: Nanvix has one console). */
ssize_t nanvix_write(int fd, const char *buf, size_t n);

/* Formats as printf does and writes the line, a newline added. Nanvix's
 * own conversion %l (a bare l: a 64-bit unsigned) is understood too, so
 * these take no printf format checking, as Nanvix declares them. */
void uprintf(const char *fmt, ...);
void kprintf(const char *fmt, ...);
/* Writes str, a newline added. */
void uputs(const char *str);

void *umemset(void *p, int c, size_t n);
void *umemcpy(void *d, const void *s, size_t n);
int umemcmp(const void *a, const void *b, size_t n);
size_t ustrlen(const char *s);
int ustrcmp(const char *a, const char *b);
char *ustrcpy(char *d, const char *s);
#define kmemset umemset
#define kmemcpy umemcpy
#define kstrlen ustrlen

/* Prints where and why, then ends the process with status 134 (abort). */
NORETURN void upanic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define KASSERT(x)                                                                      \
	do {                                                                            \
		if (!(x))                                                               \
			upanic("%s:%d: assertion failed: %s", __FILE__, __LINE__, #x);  \
	} while (0)
#define kpanic upanic

#endif /* NANVIX_ULIB_H */
