/*
 * Shared between the stub program (built freestanding, runs in every stub
 * process) and the platform code in ./linux that drives it.
 */
#ifndef STUB_H
#define STUB_H

/* Where the stub program is linked, inside [HOST_STUB_START, HOST_STUB_END). */
#define STUB_TEXT_ADDR 0x7fff10000000ULL

/* The template's control channel is this fd; stubs hold no fd at all. */
#define STUB_CTL_FD 3

/*
 * A syscall number no Linux has: the stub's seccomp filter turns it into a
 * user notification, through which ./linux installs one of its fds into the
 * stub (SECCOMP_IOCTL_NOTIF_ADDFD). The stub needs no socket for it.
 */
#define STUB_NR_GETFD 1000

#endif
