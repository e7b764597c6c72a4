/* Sockets: families, types, flags, options, addresses and message headers. */
#ifndef UAPI_SOCKET_H
#define UAPI_SOCKET_H
#include "uapi/types.h"
#include "uapi/fcntl.h"

#define AF_UNSPEC  0
#define AF_UNIX	   1
#define AF_INET	   2
#define AF_INET6   10
#define AF_NETLINK 16
#define AF_PACKET  17
#define AF_MAX	   46

#define SOCK_STREAM    1
#define SOCK_DGRAM     2
#define SOCK_RAW       3
#define SOCK_RDM       4
#define SOCK_SEQPACKET 5
#define SOCK_MAX       11
#define SOCK_TYPE_MASK 0xf
#define SOCK_CLOEXEC   O_CLOEXEC
#define SOCK_NONBLOCK  O_NONBLOCK

#define MSG_OOB		 0x1
#define MSG_PEEK	 0x2
#define MSG_DONTROUTE	 0x4
#define MSG_CTRUNC	 0x8
#define MSG_TRUNC	 0x20
#define MSG_DONTWAIT	 0x40
#define MSG_EOR		 0x80
#define MSG_WAITALL	 0x100
#define MSG_ERRQUEUE	 0x2000
#define MSG_NOSIGNAL	 0x4000
#define MSG_MORE	 0x8000
#define MSG_WAITFORONE	 0x10000
#define MSG_BATCH	 0x40000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SOL_SOCKET 1

#define SO_DEBUG	   1
#define SO_REUSEADDR	   2
#define SO_TYPE		   3
#define SO_ERROR	   4
#define SO_DONTROUTE	   5
#define SO_BROADCAST	   6
#define SO_SNDBUF	   7
#define SO_RCVBUF	   8
#define SO_KEEPALIVE	   9
#define SO_OOBINLINE	   10
#define SO_NO_CHECK	   11
#define SO_PRIORITY	   12
#define SO_LINGER	   13
#define SO_BSDCOMPAT	   14
#define SO_REUSEPORT	   15
#define SO_PASSCRED	   16
#define SO_PEERCRED	   17
#define SO_RCVLOWAT	   18
#define SO_SNDLOWAT	   19
#define SO_RCVTIMEO_OLD	   20
#define SO_SNDTIMEO_OLD	   21
#define SO_ACCEPTCONN	   30
#define SO_PEERSEC	   31
#define SO_SNDBUFFORCE	   32
#define SO_RCVBUFFORCE	   33
#define SO_TIMESTAMP_OLD   29
#define SO_PASSSEC	   34
#define SO_TIMESTAMPNS_OLD 35
#define SO_MARK		   36
#define SO_PROTOCOL	   38
#define SO_DOMAIN	   39
#define SO_PEERGROUPS	   59
#define SO_RCVTIMEO_NEW	   66
#define SO_SNDTIMEO_NEW	   67

#define SCM_RIGHTS	1
#define SCM_CREDENTIALS 2
#define SCM_TIMESTAMP	SO_TIMESTAMP_OLD
#define SCM_TIMESTAMPNS SO_TIMESTAMPNS_OLD
#define SCM_MAX_FD	253

#define SHUT_RD	  0
#define SHUT_WR	  1
#define SHUT_RDWR 2

#define SIOCINQ	 0x541B /* FIONREAD */
#define SIOCOUTQ 0x5411 /* TIOCOUTQ */

#define SOMAXCONN 4096

struct linux_sockaddr_storage {
	uint16_t ss_family;
	char data[126];
};

struct linux_sockaddr_un {
	uint16_t sun_family;
	char sun_path[108];
};

struct linux_ucred {
	int32_t pid;
	uint32_t uid;
	uint32_t gid;
};

struct linux_linger {
	int32_t l_onoff;
	int32_t l_linger;
};

struct linux_msghdr {
	uaddr_t msg_name;
	int32_t msg_namelen;
	int32_t pad1;
	uaddr_t msg_iov;
	uint64_t msg_iovlen;
	uaddr_t msg_control;
	uint64_t msg_controllen;
	int32_t msg_flags;
	int32_t pad2;
};

struct linux_mmsghdr {
	struct linux_msghdr msg_hdr;
	uint32_t msg_len;
	uint32_t pad;
};

struct linux_cmsghdr {
	uint64_t cmsg_len;
	int32_t cmsg_level;
	int32_t cmsg_type;
};
#define CMSG_ALIGN(len) (((len) + sizeof(uint64_t) - 1) & ~(sizeof(uint64_t) - 1))
#define CMSG_LEN(len)	(sizeof(struct linux_cmsghdr) + (len))
#define CMSG_SPACE(len) (sizeof(struct linux_cmsghdr) + CMSG_ALIGN(len))

#endif
