/* The CPUs a program sees: sched_getaffinity and sched_setaffinity (the
 * thread then runs only there, by the vDSO's getcpu, the getcpu syscall
 * and rseq's cpu_id alike), inheritance over fork; personality; membarrier's
 * commands; and rseq as glibc registers it at thread start. */
#include "t.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/personality.h>
#include <sys/rseq.h>
#include <linux/membarrier.h>

static unsigned sys_getcpu(void)
{
	unsigned cpu = 999;
	syscall(SYS_getcpu, &cpu, NULL, NULL);
	return cpu;
}

/* The registered rseq area of this thread (glibc's), or NULL. */
static struct rseq *rseq_area(void)
{
	if (!__rseq_size)
		return NULL;
	return (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
}

/* Whether every way of asking says the thread runs on cpu. */
static int runs_on(int cpu)
{
	for (int i = 0; i < 50; i++) {
		sched_yield();
		struct rseq *r = rseq_area();
		if (sched_getcpu() != cpu || (int)sys_getcpu() != cpu ||
		    (r && (int)r->cpu_id != cpu))
			return 0;
	}
	return 1;
}

static void affinity(void)
{
	cpu_set_t set;
	int n = (int)sysconf(_SC_NPROCESSORS_ONLN), last = n - 1;
	/* The kernel's mask size: whole longs, however many (it is the
	 * kernel's configuration). */
	long size = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
	SAY("  mask size in longs %d\n", size >= 8 && size % 8 == 0);
	SAY("  all %d CPUs allowed %d\n", n, CPU_COUNT(&set) == n);
	T(syscall(SYS_sched_getaffinity, 0, 4, &set));
	T(syscall(SYS_sched_getaffinity, 0, 12, &set));
	T(syscall(SYS_sched_getaffinity, 0, sizeof set, BADPTR));
	T(syscall(SYS_sched_getaffinity, 99999, sizeof set, &set));
	CPU_ZERO(&set);
	T(sched_setaffinity(0, sizeof set, &set));
	CPU_SET(1000, &set);
	T(sched_setaffinity(0, sizeof set, &set));
	T(sched_setaffinity(0, sizeof set, BADPTR));
	T(sched_setaffinity(99999, sizeof set, &set));

	CPU_ZERO(&set);
	CPU_SET(last, &set);
	T(sched_setaffinity(0, sizeof set, &set));
	CPU_ZERO(&set);
	T(sched_getaffinity(0, sizeof set, &set));
	SAY("  only the last CPU %d, runs there %d\n",
	    CPU_COUNT(&set) == 1 && CPU_ISSET(last, &set), runs_on(last));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		CPU_ZERO(&set);
		sched_getaffinity(0, sizeof set, &set);
		SAY("  child: inherited %d, runs there %d\n", CPU_COUNT(&set) == 1, runs_on(last));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	T(sched_setaffinity(0, sizeof set, &set));
	SAY("  first CPU: runs there %d\n", runs_on(0));
	for (int i = 0; i < n; i++)
		CPU_SET(i, &set);
	T(sched_setaffinity(0, sizeof set, &set));
	T(getcpu(NULL, NULL));
	T(syscall(SYS_getcpu, BADPTR, NULL, NULL));
}

static void personalities(void)
{
	int old = personality(0xffffffff);
	SAY("  persona %#x\n", old);
	T(personality(PER_LINUX | ADDR_NO_RANDOMIZE));
	T(personality(0xffffffff));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		SAY("  child's persona %#x\n", personality(0xffffffff));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	T(personality(old));
}

static void membarriers(void)
{
	int q = (int)syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	int want = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |
		   MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED |
		   MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	SAY("  query has the common commands %d\n", (q & want) == want);
	T(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
	T(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
	T(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
	T(syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0));
	T(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0));
	T(syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0));
	T(syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 1, 0));
	T(syscall(SYS_membarrier, 1 << 20, 0, 0));
	if (q & MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) {
		T(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
		T(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0,
			  0));
		T(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
	}
}

#define RSEQ_SIG 0x53053053

static void *thread_rseq(void *arg)
{
	(void)arg;
	struct rseq *r = rseq_area();
	int cpu = sched_getcpu();
	SAY("  thread: registered %d, cpu_id is its CPU %d\n", r != NULL,
	    r && (int)r->cpu_id == cpu && r->cpu_id_start == r->cpu_id);
	return NULL;
}

static void rseqs(void)
{
	struct rseq *r = rseq_area();
	SAY("  glibc registered rseq %d, size %u\n", r != NULL, __rseq_size);
	if (!r)
		return;
	SAY("  cpu_id is the CPU %d\n", (int)r->cpu_id == sched_getcpu());
	/* Registered already: EBUSY for the same area, EINVAL for another. */
	T(syscall(SYS_rseq, r, 32, 0, RSEQ_SIG));
	static struct rseq other __attribute__((aligned(32)));
	T(syscall(SYS_rseq, &other, 32, 0, RSEQ_SIG));
	/* Unregistering needs the same area, length and signature. */
	T(syscall(SYS_rseq, r, 32, RSEQ_FLAG_UNREGISTER, 0x1234));
	T(syscall(SYS_rseq, &other, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG));
	T(syscall(SYS_rseq, r, 32, 2, RSEQ_SIG));
	pthread_t th;
	pthread_create(&th, NULL, thread_rseq, NULL);
	pthread_join(th, NULL);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		/* The registration is inherited: still busy. */
		T(syscall(SYS_rseq, r, 32, 0, RSEQ_SIG));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* execve ends the old registration: the new program's glibc makes its
	 * own, in the same thread. */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		execl("/proc/self/exe", "sched_cpu", "after-exec", (char *)NULL);
		_exit(1);
	}
	waitpid(c, NULL, 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "after-exec")) {
		struct rseq *r = rseq_area();
		SAY("  after exec: registered %d, cpu_id is the CPU %d\n", r != NULL,
		    r && (int)r->cpu_id == sched_getcpu());
		return 0;
	}
	SAY("affinity:\n");
	affinity();
	SAY("personality:\n");
	personalities();
	SAY("membarrier:\n");
	membarriers();
	SAY("rseq:\n");
	rseqs();
	return 0;
}
