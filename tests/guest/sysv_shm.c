/* System V shared memory: shmget keys and flags, shmat/shmdt, sharing
 * between processes, attach counts through fork and exit, IPC_RMID while
 * attached, IPC_STAT/IPC_SET, permissions, and the errors. */
#include "t.h"
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#define KEY 0x554d4b51

static void stat_show(int id)
{
	struct shmid_ds ds;
	if (shmctl(id, IPC_STAT, &ds) < 0) {
		SAY("IPC_STAT -> %s\n", strerrorname_np(errno));
		return;
	}
	SAY("key %#x mode %o size %zu nattch %lu cpid-is-self %d uid %u\n",
	    (unsigned)ds.shm_perm.__key, ds.shm_perm.mode, (size_t)ds.shm_segsz,
	    (unsigned long)ds.shm_nattch, ds.shm_cpid == getpid(), ds.shm_perm.uid);
}

static int in_maps(const char *what)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;
	while (f && fgets(line, sizeof line, f))
		found |= strstr(line, what) != NULL;
	if (f)
		fclose(f);
	return found;
}

int main(void)
{
	int old = shmget(KEY, 0, 0);
	if (old >= 0)
		shmctl(old, IPC_RMID, NULL);

	T(shmget(IPC_PRIVATE, 0, 0600));
	T(shmget(KEY, 4096, 0600));
	int id = OK(shmget(KEY, 10000, IPC_CREAT | 0640));
	T(shmget(KEY, 4096, IPC_CREAT | IPC_EXCL | 0600) == id);
	T(shmget(KEY, 4096, 0) == id);
	T(shmget(KEY, 20000, 0));
	stat_show(id);

	/* Attach, write, and see it from a child. */
	char *p = shmat(id, NULL, 0);
	SAY("attached %d page aligned %d\n", p != (void *)-1, ((uintptr_t)p & 4095) == 0);
	SAY("in maps %d\n", in_maps("/SYSV554d4b51 (deleted)"));
	stat_show(id);
	strcpy(p, "parent wrote this");
	pid_t c = fork();
	if (c == 0) {
		stat_show(id);
		SAY("child reads: %s\n", p);
		strcpy(p + 5000, "child wrote this");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	SAY("parent reads: %s\n", p + 5000);
	stat_show(id);
	/* A second attach, read-only; writing to it faults. */
	char *r = shmat(id, NULL, SHM_RDONLY);
	SAY("same bytes %d\n", !strcmp(r, p));
	stat_show(id);
	c = fork();
	if (c == 0) {
		r[0] = 'x';
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("write to read-only attach: signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	T(shmdt(r));
	T(shmdt(r));
	T(shmdt(p + 1));
	stat_show(id);

	/* Fixed addresses: SHM_RND, overlap, SHM_REMAP. */
	char *base = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(base, 1 << 20);
	errno = 0;
	SAY("at base %d\n", shmat(id, base, 0) == base);
	SAY("unaligned %s\n", shmat(id, base + 1, 0) == (void *)-1 ? strerrorname_np(errno) : "ok");
	SAY("overlap %s\n",
	    shmat(id, base + 4096, 0) == (void *)-1 ? strerrorname_np(errno) : "ok");
	SAY("remap %d\n", shmat(id, base + 4096, SHM_REMAP) == base + 4096);
	SAY("rnd %d\n", shmat(id, base + 65536 + 100, SHM_RND) == base + 65536);
	SAY("remap without address %s\n",
	    shmat(id, NULL, SHM_REMAP) == (void *)-1 ? strerrorname_np(errno) : "ok");
	stat_show(id);
	T(shmdt(base + 65536));
	T(shmdt(base + 4096));
	T(shmdt(base));
	stat_show(id);

	/* IPC_SET, then removal while attached. */
	struct shmid_ds ds;
	T(shmctl(id, IPC_STAT, &ds));
	ds.shm_perm.mode = 0604;
	ds.shm_perm.uid = 1234;
	T(shmctl(id, IPC_SET, &ds));
	stat_show(id);
	T(shmctl(id, IPC_RMID, NULL));
	stat_show(id);
	T(shmget(KEY, 4096, 0));
	char *q = shmat(id, NULL, 0);
	SAY("attach after RMID %d still there: %s\n", q != (void *)-1, q);
	T(shmdt(q));
	T(shmdt(p));
	stat_show(id);
	T(shmat(id, NULL, 0) == (void *)-1);
	T(shmctl(id, IPC_RMID, NULL));

	/* Exit detaches; the segment goes with its last attach. */
	id = OK(shmget(IPC_PRIVATE, 100, 0600));
	c = fork();
	if (c == 0) {
		shmat(id, NULL, 0);
		shmctl(id, IPC_RMID, NULL);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	stat_show(id);

	/* Permissions: another user. */
	id = OK(shmget(IPC_PRIVATE, 100, 0640));
	c = fork();
	if (c == 0) {
		if (setgid(2000) || setuid(1000))
			_exit(9);
		T(shmat(id, NULL, 0) == (void *)-1);
		T(shmctl(id, IPC_STAT, &ds));
		T(shmctl(id, IPC_RMID, NULL));
		T(shmctl(id, IPC_SET, &ds));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	T(shmctl(id, IPC_RMID, NULL));

	/* Errors. */
	T(shmget(IPC_PRIVATE, 0, 0600));
	T(shmat(-1, NULL, 0) == (void *)-1);
	T(shmat(12345678, NULL, 0) == (void *)-1);
	T(shmdt((void *)4096));
	T(shmctl(-1, IPC_STAT, &ds));
	T(shmctl(12345678, IPC_STAT, &ds));
	T(shmctl(0, 99, &ds));
	int max = shmctl(0, IPC_INFO, (struct shmid_ds *)&ds);
	SAY("IPC_INFO %d\n", max >= 0);
	struct shminfo *si = (struct shminfo *)&ds;
	SAY("shmmin %lu shmmni %lu\n", si->shmmin, si->shmmni);
	return 0;
}
