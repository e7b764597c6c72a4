/* Core dumps of processes killed by a dumping signal. */
#ifndef COREDUMP_H
#define COREDUMP_H
#include "uapi/signal.h"

/* The "core dumped" bit of a wait status. */
#define WCOREFLAG 0x80

/* Begins the group exit and writes the current process's core file if
 * Linux would: WCOREFLAG when it did, else 0. The other threads stop in
 * core_thread_park on their way out until the file is written. */
int do_coredump(int sig, const struct linux_siginfo *info);
struct task;
/* At do_exit's start: a thread of a dumping process leaves its registers
 * for the core file and waits for it (Linux's coredump_task_exit). */
void core_thread_park(struct task *t);

#endif
