/*
 * Access to the current task's guest memory. Guest addresses are uaddr_t,
 * an integer, so the kernel can never dereference one by mistake.
 */
#ifndef UACCESS_H
#define UACCESS_H
#include "kernel.h"

struct task;

/* 0, or -EFAULT if any byte could not be copied. */
int copy_from_user(void *dst, uaddr_t src, size_t n);
int copy_to_user(uaddr_t dst, const void *src, size_t n);
int clear_user(uaddr_t dst, size_t n);
/* Bytes copied (>= 0), or -EFAULT. */
long copy_from_user_partial(void *dst, uaddr_t src, size_t n);
long copy_to_user_partial(uaddr_t dst, const void *src, size_t n);
/* The call's result, which nothing reads before the guest does: it may
 * reach the guest with the call's answer rather than at once. */
int copy_result_to_user(uaddr_t dst, const void *src, size_t n);
long copy_result_to_user_partial(uaddr_t dst, const void *src, size_t n);
/* Copies a NUL-terminated string: its length, -EFAULT, or -ENAMETOOLONG if
 * it does not fit in n bytes with its NUL. */
long strncpy_from_user(char *dst, uaddr_t src, size_t n);
/* Guest memory read a page at a time, for callers that read many small
 * pieces close together (execve's argument pointers and strings): one
 * host copy per page rather than per piece. c NULL reads each directly. */
struct user_pages {
	uaddr_t base; /* the page held */
	size_t len;   /* how much of it could be read */
	char page[4096];
};
void user_pages_init(struct user_pages *c);
int copy_from_user_pages(struct user_pages *c, void *dst, uaddr_t src, size_t n);
long strncpy_from_user_pages(struct user_pages *c, char *dst, uaddr_t src, size_t n);
/* The same for another task's memory (exec arguments, /proc). */
int copy_from_task(struct task *t, void *dst, uaddr_t src, size_t n);
int copy_to_task(struct task *t, uaddr_t dst, const void *src, size_t n);

#define get_user(x, uaddr) copy_from_user(&(x), (uaddr), sizeof(x))
#define put_user(x, uaddr)                                                                         \
	({                                                                                         \
		__typeof__(x) v_ = (x);                                                            \
		copy_to_user((uaddr), &v_, sizeof v_);                                             \
	})

/* A path from the guest, in a PATH_MAX kernel buffer: kfree() it. */
char *getname(uaddr_t upath);
/* The same, allowing "" (for AT_EMPTY_PATH). */
char *getname_empty_ok(uaddr_t upath, bool *empty);

#endif
