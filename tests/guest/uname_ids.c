/* uname, ids and the process credentials of root at boot. */
#include "t.h"
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	T(uname(&u));
	SAY("sysname %s machine %s\n", u.sysname, u.machine);
	T(uname(BADPTR));
	T(getuid());
	T(geteuid());
	T(getgid());
	T(getegid());
	T(getppid() > 0);
	T(getpid() == syscall(SYS_gettid));
	return 0;
}
