/* What every file of the kernel proper needs. */
#ifndef KERNEL_H
#define KERNEL_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "uapi/types.h"
#include "uapi/errno.h"
#include "list.h"
#include "printk.h"

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define min(a, b)	 ((a) < (b) ? (a) : (b))
#define max(a, b)	 ((a) > (b) ? (a) : (b))
#define likely(x)	 __builtin_expect(!!(x), 1)
#define unlikely(x)	 __builtin_expect(!!(x), 0)
#define ALIGN_UP(x, a)	 (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))

/* Kernel allocations: failures are the guest's ENOMEM, never a crash. */
static inline void *kmalloc(size_t n)
{
	return malloc(n);
}
static inline void *kzalloc(size_t n)
{
	return calloc(1, n);
}
static inline void kfree(const void *p)
{
	free((void *)p);
}
char *kstrdup(const char *s);
char *kstrndup(const char *s, size_t n);
char *kasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The big kernel lock: held by a task thread whenever it runs kernel code;
 * dropped while it sleeps and while its guest thread runs. */
void lock_kernel(void);
void unlock_kernel(void);

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* The guest's CPUs (those of the host). */
int cpu_count(void);

/* Error pointers, as in Linux. */
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long e)
{
	return (void *)e;
}
static inline long PTR_ERR(const void *p)
{
	return (long)p;
}
static inline bool IS_ERR(const void *p)
{
	return IS_ERR_VALUE(p);
}
static inline bool IS_ERR_OR_NULL(const void *p)
{
	return !p || IS_ERR_VALUE(p);
}

#endif
