/* The kernel log through /dev/kmsg and syslog(2), as Linux shows it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

static char buf[300000];

static void say(const char *what, long r)
{
	printf("%s %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

/* Reads one record; prints its priority and text if it is one of ours. */
static long show(int fd, size_t len)
{
	long n = read(fd, buf, len);
	if (n <= 0)
		return n;
	buf[n] = 0;
	char *text = strchr(buf, ';');
	if (text && strstr(text, "umk-kmsg"))
		printf("record %d %s", atoi(buf), text + 1);
	return n;
}

int main(void)
{
	int w = open("/dev/kmsg", O_WRONLY);
	const char *one = "<13>umk-kmsg one\\two\n";
	say("write", write(w, one, strlen(one)));
	say("write", write(w, "umk-kmsg plain", 14));
	say("write", write(w, "<0>umk-kmsg kern\n", 17));
	say("write", write(w, "<1000>umk-kmsg local\n", 21));
	memset(buf, 'x', 1025);
	say("write 1025", write(w, buf, 1025));

	int r = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	say("seek end", lseek(r, 0, SEEK_END));
	say("read at end", read(r, buf, sizeof buf));
	struct pollfd p = {r, POLLIN, 0};
	say("poll", poll(&p, 1, 0));
	say("write", write(w, "<6>umk-kmsg after\n", 18));
	long k = poll(&p, 1, 0);
	printf("poll %ld revents %#x\n", k, p.revents);
	say("read 3 bytes", read(r, buf, 3));
	show(r, sizeof buf);
	say("seek 5", lseek(r, 5, SEEK_SET));
	say("seek whence 9", lseek(r, 0, 9));
	say("seek set", lseek(r, 0, SEEK_SET));
	while (show(r, sizeof buf) > 0)
		;

	int klen = klogctl(10, NULL, 0);
	printf("syslog size %d\n", klen);
	int n = klogctl(3, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("syslog read all: %s\n",
	       strstr(buf, "<14>[") && strstr(buf, "] umk-kmsg after\n") ? "has it" : buf);
	say("syslog clear", klogctl(5, NULL, 0));
	n = klogctl(3, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("after clear: %s\n", strstr(buf, "umk-kmsg") ? "still there" : "gone");
	say("write", write(w, "<6>umk-kmsg late\n", 17));
	say("seek data", lseek(r, 0, SEEK_DATA));
	show(r, sizeof buf);

	/* A reader the ring overtakes: EPIPE once, then the oldest record. */
	int old = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	memset(buf, 'y', 200);
	for (int i = 0; i < 3000; i++)
		write(w, buf, 200);
	say("overtaken", read(old, buf, sizeof buf));
	say("then", read(old, buf, sizeof buf) > 0);

	if (setuid(65534) == 0) {
		say("user clear", klogctl(5, NULL, 0));
		say("user read all", klogctl(3, buf, 4096) > 0);
	}
	return 0;
}
