/* Core dumps of processes killed by a dumping signal. */
#ifndef COREDUMP_H
#define COREDUMP_H
#include "uapi/signal.h"

/* The "core dumped" bit of a wait status. */
#define WCOREFLAG 0x80

/* Writes the current process's core file if Linux would: WCOREFLAG when
 * it did, else 0. Other threads must be on their way out. */
int do_coredump(int sig, const struct linux_siginfo *info);

#endif
