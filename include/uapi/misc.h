/* Smaller pieces of the guest ABI: uname, rlimits, rusage, sysinfo, poll,
 * reboot, getrandom, prctl, arch_prctl, futex. */
#ifndef UAPI_MISC_H
#define UAPI_MISC_H
#include "uapi/types.h"
#include "uapi/time.h"

struct new_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

struct linux_rlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};
#define RLIMIT_CPU	  0
#define RLIMIT_FSIZE	  1
#define RLIMIT_DATA	  2
#define RLIMIT_STACK	  3
#define RLIMIT_CORE	  4
#define RLIMIT_RSS	  5
#define RLIMIT_NPROC	  6
#define RLIMIT_NOFILE	  7
#define RLIMIT_MEMLOCK	  8
#define RLIMIT_AS	  9
#define RLIMIT_LOCKS	  10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE	  12
#define RLIMIT_NICE	  13
#define RLIMIT_RTPRIO	  14
#define RLIMIT_RTTIME	  15
#define RLIM_NLIMITS	  16
#define RLIM_INFINITY	  (~0ULL)

struct linux_rusage {
	struct linux_timeval ru_utime;
	struct linux_timeval ru_stime;
	int64_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	int64_t ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD	1

struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram;
	uint64_t freeram;
	uint64_t sharedram;
	uint64_t bufferram;
	uint64_t totalswap;
	uint64_t freeswap;
	uint16_t procs;
	uint16_t pad;
	uint64_t totalhigh;
	uint64_t freehigh;
	uint32_t mem_unit;
	char _f[0];
};

struct linux_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};
#define POLLIN	   0x0001
#define POLLPRI	   0x0002
#define POLLOUT	   0x0004
#define POLLERR	   0x0008
#define POLLHUP	   0x0010
#define POLLNVAL   0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLMSG	   0x0400
#define POLLRDHUP  0x2000

#define LINUX_REBOOT_MAGIC1	   0xfee1dead
#define LINUX_REBOOT_MAGIC2	   672274793
#define LINUX_REBOOT_MAGIC2A	   85072278
#define LINUX_REBOOT_MAGIC2B	   369367448
#define LINUX_REBOOT_MAGIC2C	   537993216
#define LINUX_REBOOT_CMD_RESTART   0x01234567
#define LINUX_REBOOT_CMD_HALT	   0xCDEF0123
#define LINUX_REBOOT_CMD_CAD_ON	   0x89ABCDEF
#define LINUX_REBOOT_CMD_CAD_OFF   0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDC
#define LINUX_REBOOT_CMD_RESTART2  0xA1B2C3D4

#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM   0x0002
#define GRND_INSECURE 0x0004

#define ARCH_SET_GS    0x1001
#define ARCH_SET_FS    0x1002
#define ARCH_GET_FS    0x1003
#define ARCH_GET_GS    0x1004
#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012

#define PR_SET_PDEATHSIG	 1
#define PR_GET_PDEATHSIG	 2
#define PR_GET_DUMPABLE		 3
#define PR_SET_DUMPABLE		 4
#define PR_SET_NAME		 15
#define PR_GET_NAME		 16
#define PR_GET_KEEPCAPS		 7
#define PR_SET_KEEPCAPS		 8
#define PR_GET_TIMERSLACK	 30
#define PR_SET_TIMERSLACK	 29
#define PR_CAPBSET_READ		 23
#define PR_CAPBSET_DROP		 24
#define PR_GET_SECUREBITS	 27
#define PR_SET_SECUREBITS	 28
#define PR_CAP_AMBIENT		 47
#define PR_CAP_AMBIENT_IS_SET	 1
#define PR_CAP_AMBIENT_RAISE	 2
#define PR_CAP_AMBIENT_LOWER	 3
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#define CAP_LAST_CAP		 40
#define PR_SET_CHILD_SUBREAPER	 36
#define PR_GET_CHILD_SUBREAPER	 37
#define PR_SET_NO_NEW_PRIVS	 38
#define PR_GET_NO_NEW_PRIVS	 39
#define PR_SET_VMA		 0x53564d41

#define FUTEX_WAIT	       0
#define FUTEX_WAKE	       1
#define FUTEX_FD	       2
#define FUTEX_REQUEUE	       3
#define FUTEX_CMP_REQUEUE      4
#define FUTEX_WAKE_OP	       5
#define FUTEX_LOCK_PI	       6
#define FUTEX_UNLOCK_PI	       7
#define FUTEX_TRYLOCK_PI       8
#define FUTEX_WAIT_BITSET      9
#define FUTEX_WAKE_BITSET      10
#define FUTEX_WAIT_REQUEUE_PI  11
#define FUTEX_CMP_REQUEUE_PI   12
#define FUTEX_LOCK_PI2	       13
#define FUTEX_PRIVATE_FLAG     128
#define FUTEX_CLOCK_REALTIME   256
#define FUTEX_CMD_MASK	       (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffff

#endif
