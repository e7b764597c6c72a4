/* unshare and setns: file tables and filesystem information a thread shared become
 * its own; SysV undo adjustments are applied; what cannot be unshared (a
 * thread group, shared handlers) and unknown flags are EINVAL. */
#include "t.h"
#include <pthread.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/sem.h>

static int pipefd[2];

static void *in_thread(void *arg)
{
	(void)arg;
	T(unshare(CLONE_THREAD));
	T(unshare(CLONE_SIGHAND));
	T(unshare(CLONE_VM));
	/* Its own fd table and working directory from now on. */
	T(unshare(CLONE_FILES | CLONE_FS));
	T(close(pipefd[0]));
	T(chdir("/"));
	return NULL;
}

int main(void)
{
	T(unshare(0));
	T(unshare(CLONE_PARENT));
	T(unshare(CLONE_SETTLS));
	T(unshare(CLONE_VM)); /* nothing to unshare: fine */
	T(unshare(CLONE_FILES | CLONE_FS | CLONE_SIGHAND | CLONE_THREAD));
	T(chdir("/tmp"));
	T(pipe(pipefd));
	pthread_t th;
	pthread_create(&th, NULL, in_thread, NULL);
	pthread_join(th, NULL);
	char cwd[64];
	SAY("cwd still %s\n", getcwd(cwd, sizeof cwd));
	T(fcntl(pipefd[0], F_GETFD)); /* still open here */

	/* A semaphore raised with SEM_UNDO drops back when the undo list goes. */
	int id = OK(semget(IPC_PRIVATE, 1, 0600));
	struct sembuf up = {0, 2, SEM_UNDO};
	T(semop(id, &up, 1));
	T(semctl(id, 0, GETVAL));
	T(unshare(CLONE_SYSVSEM));
	T(semctl(id, 0, GETVAL));
	T(semop(id, &up, 1));
	T(semctl(id, 0, IPC_RMID));

	/* Not a namespace. */
	T(setns(-1, 0));
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	T(setns(dir, 0));
	T(setns(dir, CLONE_NEWUTS));

	/* Without privilege, new namespaces are refused. */
	pid_t child = fork();
	if (child == 0) {
		if (setuid(65534))
			SAY("setuid failed\n");
		T(unshare(CLONE_NEWUTS));
		T(unshare(CLONE_NEWNS | CLONE_NEWIPC));
		_exit(0);
	}
	waitpid(child, NULL, 0);
	return 0;
}
