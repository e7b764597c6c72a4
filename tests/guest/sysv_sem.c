/* System V semaphores: semget, semop atomicity, blocking between
 * processes, wait-for-zero, semtimedop timeouts, SEM_UNDO at exit,
 * semctl commands, removal under waiters, signals, and the errors. */
#include "t.h"
#include <time.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#define KEY 0x554d4b53

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static int op(int id, unsigned short num, short o, short flg)
{
	struct sembuf b = {num, o, flg};
	return semop(id, &b, 1);
}

static void vals(int id)
{
	unsigned short v[3];
	union semun u = {.array = v};
	semctl(id, 0, GETALL, u);
	SAY("values %u %u %u\n", v[0], v[1], v[2]);
}

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	int old = semget(KEY, 0, 0);
	if (old >= 0)
		semctl(old, 0, IPC_RMID);
	T(semget(IPC_PRIVATE, 0, 0600));
	T(semget(IPC_PRIVATE, -1, 0600));
	T(semget(IPC_PRIVATE, 32001, 0600));
	T(semget(KEY, 3, 0600));
	int id = OK(semget(KEY, 3, IPC_CREAT | 0600));
	T(semget(KEY, 3, IPC_CREAT | IPC_EXCL | 0600));
	T(semget(KEY, 4, 0));
	T(semget(KEY, 0, 0) == id);
	struct semid_ds ds;
	union semun u = {.buf = &ds};
	T(semctl(id, 0, IPC_STAT, u));
	SAY("nsems %lu mode %o otime %ld\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode,
	    (long)ds.sem_otime);
	vals(id);

	/* semop: all or nothing. */
	T(op(id, 0, 2, 0));
	struct sembuf two[2] = {{0, -1, 0}, {1, -1, IPC_NOWAIT}};
	T(semop(id, two, 2));
	vals(id);
	struct sembuf same[3] = {{2, 5, 0}, {2, -3, 0}, {2, -3, IPC_NOWAIT}};
	T(semop(id, same, 3));
	T(semop(id, same, 2));
	vals(id);
	T(semctl(id, 2, GETPID) == getpid());
	T(semctl(id, 0, IPC_STAT, u));
	SAY("otime set %d\n", ds.sem_otime != 0);
	T(op(id, 0, 32767, 0));
	T(op(id, 1, 0, IPC_NOWAIT));
	T(op(id, 0, 0, IPC_NOWAIT));

	/* A blocked decrement is completed by another process's increment. */
	u.val = 0;
	T(semctl(id, 0, SETVAL, u));
	pid_t c = fork();
	if (c == 0) {
		usleep(50000);
		struct sembuf b = {0, 1, 0};
		semop(id, &b, 1);
		_exit(0);
	}
	T(op(id, 0, -1, 0));
	waitpid(c, NULL, 0);
	/* Waiters are counted. */
	c = fork();
	if (c == 0) {
		op(id, 1, -1, 0);
		_exit(0);
	}
	pid_t z = fork();
	if (z == 0) {
		u.val = 1;
		op(id, 2, 0, 0);
		_exit(0);
	}
	usleep(100000);
	T(semctl(id, 1, GETNCNT));
	T(semctl(id, 2, GETZCNT));
	T(semctl(id, 0, GETNCNT));
	/* Zero reached: the zero waiter is done even if it moves on at once. */
	struct sembuf down_up[1] = {{2, -2, 0}};
	T(semop(id, down_up, 1));
	T(op(id, 2, 1, 0));
	T(op(id, 1, 1, 0));
	int st;
	waitpid(c, &st, 0);
	waitpid(z, &st, 0);
	SAY("waiters done %d\n", WIFEXITED(st));
	vals(id);

	/* semtimedop: a timeout gives EAGAIN, never early. */
	struct timespec ts = {0, 50000000}, t0, t1;
	struct sembuf dn = {1, -1, 0};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(semtimedop(id, &dn, 1, &ts));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	SAY("not early %d\n", ms >= 50);
	ts.tv_nsec = 1000000000;
	T(semtimedop(id, &dn, 1, &ts));
	/* A signal ends the wait with EINTR, even with SA_RESTART. */
	struct sigaction sa = {0};
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	ualarm(50000, 0);
	T(op(id, 1, -1, 0));

	/* SEM_UNDO: an exiting process's changes are undone. */
	c = fork();
	if (c == 0) {
		op(id, 0, 5, SEM_UNDO);
		op(id, 1, 2, SEM_UNDO);
		op(id, 1, -1, SEM_UNDO);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	vals(id);
	T(op(id, 0, 3, SEM_UNDO));
	u.val = 1;
	T(semctl(id, 0, SETVAL, u));
	vals(id);

	/* semctl */
	unsigned short set[3] = {7, 8, 9};
	u.array = set;
	T(semctl(id, 0, SETALL, u));
	vals(id);
	set[1] = 40000;
	T(semctl(id, 0, SETALL, u));
	u.val = -1;
	T(semctl(id, 0, SETVAL, u));
	u.val = 32768;
	T(semctl(id, 0, SETVAL, u));
	T(semctl(id, 3, GETVAL));
	T(semctl(id, 1, GETVAL));
	T(semctl(id, 0, 99));
	u.buf = &ds;
	T(semctl(id, 0, IPC_STAT, u));
	ds.sem_perm.mode = 0660;
	T(semctl(id, 0, IPC_SET, u));
	T(semctl(id, 0, IPC_STAT, u));
	SAY("mode %o\n", ds.sem_perm.mode);
	struct seminfo si;
	u.__buf = &si;
	T(semctl(0, 0, IPC_INFO, u) >= 0);
	SAY("semmsl %d semopm %d semvmx %d\n", si.semmsl, si.semopm, si.semvmx);

	/* Another user. */
	c = fork();
	if (c == 0) {
		if (setgid(2000) || setuid(1000))
			_exit(9);
		T(op(id, 0, 1, 0));
		T(semctl(id, 0, GETVAL));
		T(semctl(id, 0, IPC_RMID));
		_exit(0);
	}
	waitpid(c, NULL, 0);

	/* Removal wakes waiters with EIDRM. */
	c = fork();
	if (c == 0) {
		u.val = 0;
		T(op(id, 1, -100, 0));
		_exit(0);
	}
	usleep(100000);
	int rm = semctl(id, 0, IPC_RMID);
	waitpid(c, NULL, 0);
	SAY("removed: %d\n", rm);
	T(op(id, 0, 1, 0));
	T(semctl(id, 0, GETVAL));

	/* Errors. */
	id = OK(semget(IPC_PRIVATE, 1, 0600));
	T(semop(id, two, 0));
	T(op(id, 5, 1, 0));
	T(semop(id, (struct sembuf *)BADPTR, 1));
	T(op(-1, 0, 1, 0));
	struct sembuf many[501] = {{0, 0, 0}};
	T(semop(id, many, 501));
	T(semctl(id, 0, IPC_RMID));
	return 0;
}
