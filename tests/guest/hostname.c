/* uname, sethostname, gethostname, setdomainname and their limits. The
 * native run happens in a private UTS namespace (never the host's name). */
#include "t.h"
#include <sched.h>
#include <sys/utsname.h>

int main(void)
{
	/* In umk, unshare may be missing: its guest has its own name anyway. */
	if (unshare(CLONE_NEWUTS) < 0 && errno != ENOSYS && errno != EINVAL) {
		SAY("SKIP: cannot unshare the UTS namespace (%s)\n", strerrorname_np(errno));
		return 0;
	}
	struct utsname u;
	T(sethostname("guest-test", 10));
	T(uname(&u));
	SAY("  nodename %s sysname %s machine %s\n", u.nodename, u.sysname, u.machine);
	char buf[128];
	T(gethostname(buf, sizeof buf));
	SAY("  %s\n", buf);
	T(sethostname("abc", 2));
	T(gethostname(buf, sizeof buf));
	SAY("  %s\n", buf);
	char long65[70];
	memset(long65, 'x', sizeof long65);
	T(sethostname(long65, 64));
	T(sethostname(long65, 65));
	T(syscall(SYS_sethostname, "x", -1));
	T(sethostname(BADPTR, 5));
	T(sethostname("", 0));
	T(uname(&u));
	SAY("  empty nodename [%s]\n", u.nodename);
	T(setdomainname("dom.example", 11));
	T(uname(&u));
	SAY("  domain %s\n", u.domainname);
	T(setdomainname(long65, 65));
	/* Names are per namespace, kept across fork. */
	T(sethostname("parent", 6));
	pid_t c = fork();
	if (c == 0) {
		uname(&u);
		SAY("  child sees %s\n", u.nodename);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* Only root (CAP_SYS_ADMIN) may set it. */
	c = fork();
	if (c == 0) {
		T(setuid(1000));
		T(sethostname("user", 4));
		T(setdomainname("user", 4));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* The release looks like Linux x.y. */
	uname(&u);
	int maj = 0, min = 0;
	T(sscanf(u.release, "%d.%d", &maj, &min));
	SAY("  release sane %d\n", maj >= 3);
	return 0;
}
