#ifndef UAPI_TIME_H
#define UAPI_TIME_H
#include "uapi/types.h"

struct linux_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};
struct linux_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};
struct linux_itimerval {
	struct linux_timeval it_interval;
	struct linux_timeval it_value;
};
struct linux_itimerspec {
	struct linux_timespec it_interval;
	struct linux_timespec it_value;
};
struct linux_timezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
};
struct linux_tms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};

#define CLOCK_REALTIME		 0
#define CLOCK_MONOTONIC		 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	 3
#define CLOCK_MONOTONIC_RAW	 4
#define CLOCK_REALTIME_COARSE	 5
#define CLOCK_MONOTONIC_COARSE	 6
#define CLOCK_BOOTTIME		 7
#define CLOCK_REALTIME_ALARM	 8
#define CLOCK_BOOTTIME_ALARM	 9
#define CLOCK_TAI		 11
#define TIMER_ABSTIME		 1

#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2

#define NSEC_PER_SEC  1000000000LL
#define NSEC_PER_USEC 1000LL
#define USER_HZ	      100

/* adjtimex modes */
#define ADJ_SETOFFSET 0x0100
#define ADJ_MICRO     0x1000
#define ADJ_NANO      0x2000

#endif
