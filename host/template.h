/* The stub template, shared by both platforms (host-internal). */
#ifndef HOST_TEMPLATE_H
#define HOST_TEMPLATE_H
#include <stddef.h>

int template_start(const void *image, size_t size);
/* A new stub process, parked in stub_park(); returns its pid. */
int template_fork(void);
/* The seccomp user-notification fd through which fds enter stubs. */
extern int template_listener;

#endif
