/* The stub template, shared by both platforms (host-internal). */
#ifndef HOST_TEMPLATE_H
#define HOST_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct platform_config;

/* Starts the template once; notes in cfg how isolated stubs are. */
int template_start(struct platform_config *cfg);
/* A new stub process for a platform (STUB_FORK_*), given the fds its
 * kind takes (stub.h); returns its pid. */
int template_fork(char kind, const int *fds, int nfds);
/* The template's own pid: the parent of every stub process. */
extern int template_pid;
/* Up to max pids of the template's children: every stub process. */
int template_children(int *pids, int max);
/* Kills every stub process and the template, as ./linux exits. */
void template_stop(void);

/*
 * Installs fd in host thread tid, which makes (or is about to make) the
 * STUB_NR_GETFD call; returns the fd's number there. Calls from other
 * threads meanwhile are refused. waiting(arg) runs between polls and
 * returns false once tid can no longer make the call.
 */
long template_addfd(int tid, int fd, bool (*waiting)(void *), void *arg);

/* Sends len bytes of data with up to SEND_FDS_MAX fds (SCM_RIGHTS) on a
 * unix socket; sendmsg's flags. Returns 0 or -errno. */
#define SEND_FDS_MAX 2
int send_fds(int sock, const void *data, size_t len, const int *fds, int nfds, int flags);

#endif
