/* prctl's process attributes, and what fork, execve and leaving root do to
 * them: PR_SET_CHILD_SUBREAPER, PR_SET_PDEATHSIG, PR_SET_DUMPABLE,
 * PR_SET_NO_NEW_PRIVS, PR_SET_KEEPCAPS. */
#include "t.h"
#include <linux/capability.h>
#include <stdbool.h>
#include <sys/prctl.h>

/* After an execve of ourselves: the attributes that went through it. */
static int after_exec(void)
{
	int sig = -1;
	prctl(PR_GET_PDEATHSIG, &sig);
	SAY("  after exec: pdeathsig %d dumpable %d no_new_privs %d keepcaps %d\n", sig,
	    prctl(PR_GET_DUMPABLE), prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), prctl(PR_GET_KEEPCAPS));
	return 0;
}

static void exec_self(void)
{
	fflush(stdout);
	execl("/proc/self/exe", "prctl_proc", "after-exec", (char *)NULL);
	_exit(99);
}

/* Runs fn in a child and waits for it. */
static void in_child(void (*fn)(void))
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		fn();
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void subreaper(void)
{
	T(prctl(PR_SET_CHILD_SUBREAPER, 1));
	int v = -1;
	T(prctl(PR_GET_CHILD_SUBREAPER, &v));
	SAY("  subreaper %d\n", v);
	T(prctl(PR_GET_CHILD_SUBREAPER, (int *)8));
	int p[2];
	pipe(p);
	pid_t self = getpid();
	pid_t a = fork();
	if (a == 0) {
		/* Not inherited. */
		prctl(PR_GET_CHILD_SUBREAPER, &v);
		if (fork() == 0) {
			close(p[1]);
			char x;
			read(p[0], &x, 1); /* until the middle one is gone */
			while (getppid() != self && getppid() != 1)
				usleep(1000);
			_exit(getppid() == self ? 10 + v : 20);
		}
		_exit(0);
	}
	int st;
	waitpid(a, &st, 0);
	close(p[1]);
	/* The orphan is ours to reap now. */
	pid_t got = wait(&st);
	SAY("  reaped the grandchild %d, its status %d\n", got > 0 && got != a, WEXITSTATUS(st));
	T(wait(&st));
	T(prctl(PR_SET_CHILD_SUBREAPER, 0));
}

static void pdeathsig_fork(void)
{
	int sig = -1;
	prctl(PR_GET_PDEATHSIG, &sig);
	SAY("  forked child's pdeathsig %d\n", sig);
}

static void pdeathsig_exec(void)
{
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	exec_self();
}

static void leave_root(void)
{
	int sig = -1;
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	setresuid(65534, 65534, 65534);
	prctl(PR_GET_PDEATHSIG, &sig);
	SAY("  as nobody: pdeathsig %d dumpable %d\n", sig, prctl(PR_GET_DUMPABLE));
}

static void caps_after_setuid(bool keep)
{
	prctl(PR_SET_KEEPCAPS, keep);
	setresuid(65534, 65534, 65534);
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	syscall(SYS_capget, &h, d);
	SAY("  keepcaps %d: permitted %d effective %d\n", keep, d[0].permitted != 0,
	    d[0].effective != 0);
	/* The effective set comes back from the permitted one. */
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	T(syscall(SYS_capset, &h, d));
	if (keep)
		exec_self(); /* keepcaps ends at execve */
}

static void keepcaps(void)
{
	caps_after_setuid(true);
}

static void no_keepcaps(void)
{
	caps_after_setuid(false);
}

static void dumpable_fork(void)
{
	SAY("  forked child's dumpable %d\n", prctl(PR_GET_DUMPABLE));
	exec_self();
}

static void nnp_fork(void)
{
	SAY("  forked child's no_new_privs %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	exec_self();
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "after-exec"))
		return after_exec();
	SAY("subreaper:\n");
	subreaper();

	SAY("pdeathsig:\n");
	T(prctl(PR_SET_PDEATHSIG, 65));
	T(prctl(PR_SET_PDEATHSIG, -1));
	T(prctl(PR_GET_PDEATHSIG, (int *)8));
	T(prctl(PR_SET_PDEATHSIG, SIGUSR2));
	in_child(pdeathsig_fork);
	in_child(pdeathsig_exec);
	in_child(leave_root);
	T(prctl(PR_SET_PDEATHSIG, 0));

	SAY("keepcaps:\n");
	T(prctl(PR_GET_KEEPCAPS));
	T(prctl(PR_SET_KEEPCAPS, 2));
	in_child(keepcaps);
	in_child(no_keepcaps);

	SAY("dumpable:\n");
	T(prctl(PR_GET_DUMPABLE));
	T(prctl(PR_SET_DUMPABLE, 2));
	T(prctl(PR_SET_DUMPABLE, 0));
	T(prctl(PR_GET_DUMPABLE));
	in_child(dumpable_fork);
	T(prctl(PR_SET_DUMPABLE, 1));

	SAY("no_new_privs:\n");
	T(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	T(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
	T(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
	T(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
	T(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	T(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	in_child(nnp_fork);
	return 0;
}
