/* Capability numbers (the bits of the capability sets). */
#ifndef UAPI_CAPABILITY_H
#define UAPI_CAPABILITY_H

#define CAP_CHOWN	     0
#define CAP_DAC_OVERRIDE     1
#define CAP_DAC_READ_SEARCH  2
#define CAP_FOWNER	     3
#define CAP_FSETID	     4
#define CAP_KILL	     5
#define CAP_SETGID	     6
#define CAP_SETUID	     7
#define CAP_SETPCAP	     8
#define CAP_LINUX_IMMUTABLE  9
#define CAP_NET_BIND_SERVICE 10
#define CAP_NET_ADMIN	     12
#define CAP_NET_RAW	     13
#define CAP_IPC_LOCK	     14
#define CAP_IPC_OWNER	     15
#define CAP_SYS_CHROOT	     18
#define CAP_SYS_PTRACE	     19
#define CAP_SYS_ADMIN	     21
#define CAP_SYS_BOOT	     22
#define CAP_SYS_NICE	     23
#define CAP_SYS_RESOURCE     24
#define CAP_SYS_TIME	     25
#define CAP_SYS_TTY_CONFIG   26
#define CAP_MKNOD	     27
#define CAP_SETFCAP	     31
#define CAP_MAC_OVERRIDE     32
#define CAP_SYSLOG	     34
#define CAP_WAKE_ALARM	     35
#define CAP_BLOCK_SUSPEND    36

/* The capabilities that follow fsuid (Linux's CAP_FS_MASK). */
#define CAP_FS_MASK                                                                                \
	((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_DAC_READ_SEARCH) |        \
	 (1ULL << CAP_FOWNER) | (1ULL << CAP_FSETID) | (1ULL << CAP_LINUX_IMMUTABLE) |             \
	 (1ULL << CAP_MKNOD) | (1ULL << CAP_MAC_OVERRIDE))

#endif
