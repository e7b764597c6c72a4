/* The stub template, shared by both platforms (host-internal). */
#ifndef HOST_TEMPLATE_H
#define HOST_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct platform_config;

/* Starts the template once; notes in cfg how isolated stubs are. */
int template_start(struct platform_config *cfg);
/* A new stub process for a platform (STUB_FORK_*); returns its pid. */
int template_fork(char kind);
/* The template's own pid: the parent of every stub process. */
extern int template_pid;
/* Up to max pids of the template's children: every stub process. */
int template_children(int *pids, int max);
/* Kills every stub process and the template, as ./linux exits. */
void template_stop(void);

/*
 * Installs fd in host thread tid, which makes (or is about to make) the
 * STUB_NR_GETFD call; returns the fd's number there. Calls from other
 * threads meanwhile are refused. Polls for the call without sleeping for
 * spin_ns (when tid runs on another CPU, it comes within microseconds);
 * waiting(arg) runs between polls and returns false once tid can no
 * longer make the call.
 */
long template_addfd(int tid, int fd, int64_t spin_ns, bool (*waiting)(void *), void *arg);

#endif
