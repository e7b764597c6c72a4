#ifndef FUTEX_H
#define FUTEX_H
#include "kernel.h"

struct task;
/* Wakes up to n waiters on a futex of current's address space. */
int futex_wake_addr(uaddr_t uaddr, int n);
/* Marks the robust futexes a dying thread holds and wakes their waiters. */
void exit_robust_list(struct task *t);

#endif
