/* timerfd: one-shot and periodic timers, absolute times, gettime, reads,
 * poll and epoll, errors. Timers are never early. */
#include "t.h"
#include <poll.h>
#include <stdint.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#endif

static int64_t now_ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct itimerspec its(long value_ms, long interval_ms)
{
	struct itimerspec v = {{interval_ms / 1000, interval_ms % 1000 * 1000000},
			       {value_ms / 1000, value_ms % 1000 * 1000000}};
	return v;
}

int main(void)
{
	uint64_t n = 0;
	T(timerfd_create(42, 0));
	T(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
	T(timerfd_create(CLOCK_MONOTONIC, 0x1234));
	int a = OK(timerfd_create(CLOCK_BOOTTIME_ALARM, 0));
	T(close(a));
	int fd = OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	struct stat st;
	T(fstat(fd, &st));
	SAY("mode %o\n", st.st_mode);
	T(fcntl(fd, F_GETFD));
	T(read(fd, &n, 8));
	T(read(fd, &n, 4));
	T(write(fd, &n, 8));
	T(lseek(fd, 0, SEEK_SET));

	struct itimerspec v = its(0, 0), old;
	T(timerfd_gettime(fd, &v));
	SAY("disarmed %ld %ld %ld %ld\n", v.it_value.tv_sec, v.it_value.tv_nsec,
	    v.it_interval.tv_sec, v.it_interval.tv_nsec);
	v = its(50, 0);
	T(timerfd_settime(fd, 0x10, &v, NULL));
	T(timerfd_settime(999, 0, &v, NULL));
	T(timerfd_settime(0, 0, &v, NULL));
	T(timerfd_settime(fd, 0, BADPTR, NULL));
	v.it_value.tv_nsec = 1000000000;
	T(timerfd_settime(fd, 0, &v, NULL));
	v.it_value.tv_nsec = -1;
	T(timerfd_settime(fd, 0, &v, NULL));
	T(timerfd_gettime(999, &v));
	T(timerfd_gettime(0, &v));
	T(timerfd_gettime(fd, BADPTR));

	/* One-shot: expires once, never early. */
	v = its(50, 0);
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	T(timerfd_settime(fd, 0, &v, NULL));
	T(timerfd_gettime(fd, &v));
	SAY("left ok %d interval %ld\n",
	    v.it_value.tv_sec == 0 && v.it_value.tv_nsec > 30000000 &&
		v.it_value.tv_nsec <= 50000000,
	    v.it_interval.tv_nsec);
	struct pollfd p = {fd, POLLIN, 0};
	T(poll(&p, 1, -1));
	int64_t el = now_ns(CLOCK_MONOTONIC) - t0;
	SAY("fired after >= 50ms: %d\n", el >= 50000000);
	T(read(fd, &n, 8));
	SAY("expirations %llu\n", (unsigned long long)n);
	T(read(fd, &n, 8));
	T(timerfd_gettime(fd, &v));
	SAY("expired %ld %ld\n", v.it_value.tv_sec, v.it_value.tv_nsec);

	/* Periodic: every expiration is counted, also when nobody reads. */
	v = its(20, 20);
	T(timerfd_settime(fd, 0, &v, &old));
	usleep(210000);
	T(read(fd, &n, 8));
	SAY("at least 10: %d\n", n >= 10);
	v = its(0, 0);
	T(timerfd_settime(fd, 0, &v, &old));
	SAY("old interval %ld ok %d\n", old.it_interval.tv_nsec,
	    old.it_value.tv_sec == 0 && old.it_value.tv_nsec > 0 &&
		old.it_value.tv_nsec <= 20000000);
	T(read(fd, &n, 8));

	/* Absolute on the wall clock; a blocking read waits for it. */
	int rfd = OK(timerfd_create(CLOCK_REALTIME, 0));
	int64_t when = now_ns(CLOCK_REALTIME) + 60000000;
	v.it_interval.tv_sec = v.it_interval.tv_nsec = 0;
	v.it_value.tv_sec = when / 1000000000;
	v.it_value.tv_nsec = when % 1000000000;
	T(timerfd_settime(rfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &v, NULL));
	T(read(rfd, &n, 8));
	SAY("not early: %d\n", now_ns(CLOCK_REALTIME) >= when);
	/* An absolute time in the past expires at once. */
	v.it_value.tv_sec = 1;
	v.it_value.tv_nsec = 0;
	T(timerfd_settime(rfd, TFD_TIMER_ABSTIME, &v, NULL));
	T(read(rfd, &n, 8));
	SAY("expirations %llu\n", (unsigned long long)n);

	/* epoll sees expirations; re-arming clears the count. */
	int ep = OK(epoll_create1(0));
	struct epoll_event e = {.events = EPOLLIN | EPOLLET, .data.u32 = 5}, out;
	T(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e));
	v = its(10, 0);
	T(timerfd_settime(fd, 0, &v, NULL));
	T(epoll_wait(ep, &out, 1, 1000));
	SAY("[%u %#x]\n", out.data.u32, out.events);
	T(timerfd_settime(fd, 0, &v, NULL));
	T(read(fd, &n, 8));
	T(epoll_wait(ep, &out, 1, 1000));
	T(read(fd, &n, 8));
	SAY("expirations %llu\n", (unsigned long long)n);

	/* Setting the count by ioctl (checkpoint/restore). */
	n = 5;
	T(ioctl(fd, TFD_IOC_SET_TICKS, &n));
	n = 0;
	T(ioctl(fd, TFD_IOC_SET_TICKS, &n));
	T(read(fd, &n, 8));
	SAY("expirations %llu\n", (unsigned long long)n);
	T(close(fd));
	return 0;
}
