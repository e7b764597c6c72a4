/* Core dumps as Linux reports and writes them with core_pattern "core":
 * WCOREDUMP and CLD_DUMPED only when the file was written (a dumping
 * signal, RLIMIT_CORE of a page or more, a dumpable process), and the file
 * an ELF core with the signal, the pid and the process's memory. */
#include "t.h"
#include <elf.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static char marker[64] = "umk core dump marker";
/* The program's dynamic section: written by the loader (DT_DEBUG), then
 * made read-only (RELRO); the dump keeps such copies whole. */
extern Elf64_Dyn _DYNAMIC[];

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return (int)n;
}

/* What "core" says: an ELF core of the signal and pid, holding marker. */
static void check_core(int sig, pid_t pid)
{
	static char buf[64 << 20];
	int fd = open("core", O_RDONLY);
	if (fd < 0) {
		SAY("    no core file\n");
		return;
	}
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	unlink("core");
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	int elf =
	    n > (ssize_t)sizeof *eh && !memcmp(eh->e_ident, ELFMAG, 4) && eh->e_type == ET_CORE;
	int signo = 0, same_pid = 0, has_marker = 0, threads = 0, has_dynamic = 0;
	for (int i = 0; elf && i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff) + i;
		/* The dumping thread's NT_PRSTATUS first (cursig at 12, pid at
		 * 32 of its desc), then one for each other thread. */
		for (uint64_t off = 0;
		     ph->p_type == PT_NOTE && off + sizeof(Elf64_Nhdr) <= ph->p_filesz;) {
			Elf64_Nhdr *nh = (Elf64_Nhdr *)(buf + ph->p_offset + off);
			char *desc = (char *)(nh + 1) + ((nh->n_namesz + 3) & ~3);
			if (nh->n_type == NT_PRSTATUS && threads++ == 0) {
				signo = *(short *)(desc + 12);
				same_pid = *(int *)(desc + 32) == pid;
			}
			off += sizeof *nh + ((nh->n_namesz + 3) & ~3) + ((nh->n_descsz + 3) & ~3);
		}
		uintptr_t m = (uintptr_t)marker;
		if (ph->p_type == PT_LOAD && m >= ph->p_vaddr &&
		    m + 8 <= ph->p_vaddr + ph->p_filesz &&
		    ph->p_offset + ph->p_filesz <= (uint64_t)n)
			has_marker = !strcmp(buf + ph->p_offset + (m - ph->p_vaddr), marker);
		uintptr_t dyn = (uintptr_t)_DYNAMIC;
		if (ph->p_type == PT_LOAD && dyn >= ph->p_vaddr && dyn < ph->p_vaddr + ph->p_filesz)
			has_dynamic = 1;
	}
	SAY("    core file: ELF core %d, signal %d, its pid %d, its memory %d, threads %d, "
	    "written read-only memory %d\n",
	    elf, signo == sig, same_pid, has_marker, threads, has_dynamic);
}

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

enum how { PLAIN, NOT_DUMPABLE, THREADED };

static void die(int sig, rlim_t limit, enum how how)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct rlimit rl = {limit, limit};
		setrlimit(RLIMIT_CORE, &rl);
		snprintf(marker, sizeof marker, "marker of %d", getpid());
		if (how == NOT_DUMPABLE)
			prctl(PR_SET_DUMPABLE, 0);
		pthread_t t;
		if (how == THREADED)
			pthread_create(&t, NULL, sleeper, NULL);
		if (sig == SIGABRT)
			abort();
		if (sig == SIGSEGV)
			*(volatile int *)8 = 1;
		raise(sig);
		_exit(0);
	}
	siginfo_t si;
	memset(&si, 0, sizeof si);
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	int st;
	waitpid(c, &st, 0);
	SAY("  %-4s limit %-8ld %-12s: signaled %d sig %d core %d, CLD_DUMPED %d\n",
	    sigabbrev_np(sig), limit == RLIM_INFINITY ? -1L : (long)limit,
	    how == PLAIN      ? ""
	    : how == THREADED ? "threaded"
			      : "not dumpable",
	    WIFSIGNALED(st), WTERMSIG(st), WCOREDUMP(st), si.si_code == CLD_DUMPED);
	snprintf(marker, sizeof marker, "marker of %d", c);
	check_core(sig, c);
}

int main(void)
{
	char pattern[256] = "", uses_pid[16] = "0";
	read_file("/proc/sys/kernel/core_pattern", pattern, sizeof pattern);
	read_file("/proc/sys/kernel/core_uses_pid", uses_pid, sizeof uses_pid);
	if (strcmp(pattern, "core\n") || uses_pid[0] != '0') {
		SAY("SKIP: core_pattern is not plain \"core\"\n");
		return 0;
	}
	if (chdir(scratch("coredump")))
		return 1;
	int sigs[] = {SIGSEGV, SIGQUIT, SIGABRT};
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		die(sigs[i], 0, PLAIN);
		die(sigs[i], RLIM_INFINITY, PLAIN);
	}
	die(SIGSEGV, 1000, PLAIN); /* less than a page: no dump */
	die(SIGSEGV, RLIM_INFINITY, NOT_DUMPABLE);
	die(SIGQUIT, RLIM_INFINITY, THREADED);
	die(SIGTERM, RLIM_INFINITY, PLAIN);
	die(SIGKILL, RLIM_INFINITY, PLAIN);
	return 0;
}
