/* System V message queues: msgget, send and receive by type between
 * processes, queue limits, MSG_NOERROR, MSG_EXCEPT, MSG_COPY, IPC_STAT and
 * IPC_SET, removal under waiters, signals, and the errors. */
#include "t.h"
#include <sys/ipc.h>
#include <sys/msg.h>

#define KEY 0x554d4b4d

struct msg {
	long mtype;
	char text[64];
};

static int snd(int id, long type, const char *text, int flg)
{
	struct msg m = {type, ""};
	strncpy(m.text, text, sizeof m.text - 1);
	return msgsnd(id, &m, strlen(text), flg);
}

static void rcv(int id, long type, int flg, size_t len)
{
	struct msg m = {0, ""};
	ssize_t n = msgrcv(id, &m, len, type, flg);
	if (n < 0)
		SAY("msgrcv(%ld) -> %s\n", type, strerrorname_np(errno));
	else
		SAY("msgrcv(%ld) -> %zd type %ld \"%.*s\"\n", type, n, m.mtype, (int)n, m.text);
}

static void show(int id)
{
	struct msqid_ds ds;
	if (msgctl(id, IPC_STAT, &ds) < 0) {
		SAY("IPC_STAT -> %s\n", strerrorname_np(errno));
		return;
	}
	SAY("qnum %lu cbytes %lu qbytes %lu mode %o lspid-is-self %d\n", (unsigned long)ds.msg_qnum,
	    (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, ds.msg_perm.mode,
	    ds.msg_lspid == getpid());
}

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	int old = msgget(KEY, 0);
	if (old >= 0)
		msgctl(old, IPC_RMID, NULL);
	T(msgget(KEY, 0600));
	int id = OK(msgget(KEY, IPC_CREAT | 0600));
	T(msgget(KEY, IPC_CREAT | IPC_EXCL | 0600));
	T(msgget(KEY, 0) == id);
	show(id);

	/* Types select messages. */
	T(snd(id, 3, "three", 0));
	T(snd(id, 1, "one", 0));
	T(snd(id, 2, "two", 0));
	T(snd(id, 1, "one again", 0));
	show(id);
	rcv(id, 2, 0, 64);
	rcv(id, -5, 0, 64);
	rcv(id, 1, MSG_EXCEPT, 64);
	rcv(id, 0, MSG_COPY | IPC_NOWAIT, 64);
	rcv(id, 5, MSG_COPY | IPC_NOWAIT, 64);
	rcv(id, 0, MSG_COPY, 64);
	rcv(id, 0, 0, 3);
	rcv(id, 0, MSG_NOERROR, 3);
	rcv(id, 7, IPC_NOWAIT, 64);
	rcv(id, 0, IPC_NOWAIT, 64);
	show(id);

	/* A receiver waits for a sender in another process. */
	pid_t c = fork();
	if (c == 0) {
		usleep(50000);
		snd(id, 9, "late", 0);
		_exit(0);
	}
	rcv(id, 9, 0, 64);
	waitpid(c, NULL, 0);

	/* The queue holds msg_qbytes bytes; a sender waits for room. */
	struct msqid_ds ds;
	T(msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = 10;
	T(msgctl(id, IPC_SET, &ds));
	T(snd(id, 1, "123456", 0));
	T(snd(id, 1, "12345", IPC_NOWAIT));
	T(snd(id, 1, "1234", IPC_NOWAIT));
	show(id);
	c = fork();
	if (c == 0) {
		usleep(50000);
		struct msg m;
		msgrcv(id, &m, sizeof m.text, 0, 0);
		_exit(0);
	}
	T(snd(id, 1, "waited", 0));
	waitpid(c, NULL, 0);
	show(id);
	ds.msg_qbytes = 16384; /* more needs CAP_SYS_RESOURCE */
	T(msgctl(id, IPC_SET, &ds));
	c = fork();
	if (c == 0) {
		if (setgid(2000) || setuid(1000))
			_exit(9);
		T(snd(id, 1, "x", 0));
		T(msgctl(id, IPC_SET, &ds));
		_exit(0);
	}
	waitpid(c, NULL, 0);

	/* Signals interrupt, even with SA_RESTART. */
	struct sigaction sa = {0};
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	ualarm(50000, 0);
	rcv(id, 42, 0, 64);

	/* Removal wakes waiters with EIDRM. */
	c = fork();
	if (c == 0) {
		rcv(id, 42, 0, 64);
		_exit(0);
	}
	usleep(100000);
	int rm = msgctl(id, IPC_RMID, NULL);
	waitpid(c, NULL, 0);
	SAY("removed: %d\n", rm);
	T(snd(id, 1, "gone", 0));

	/* Errors. */
	id = OK(msgget(IPC_PRIVATE, 0600));
	T(snd(id, 0, "x", 0));
	T(snd(id, -1, "x", 0));
	struct msg m = {1, ""};
	T(msgsnd(id, &m, 8193, 0));
	T(msgsnd(id, BADPTR, 1, 0));
	T(msgsnd(-1, &m, 1, 0));
	T(msgrcv(id, &m, 1, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT));
	T(msgrcv(id, BADPTR, 1, 0, IPC_NOWAIT));
	T(snd(id, 1, "x", 0));
	T(msgrcv(id, BADPTR, 1, 0, IPC_NOWAIT));
	T(msgctl(id, 99, NULL));
	struct msginfo mi;
	T(msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0);
	SAY("msgmax %d msgmnb %d msgmni %d\n", mi.msgmax, mi.msgmnb, mi.msgmni);
	T(msgctl(id, IPC_RMID, NULL));
	return 0;
}
