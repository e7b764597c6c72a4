/* More fcntl commands: owners and signals (F_SETOWN/F_GETOWN(_EX),
 * F_SETSIG), open file description locks (F_OFD_*), leases, seals on a
 * regular file, read/write hints. */
#include "t.h"
#include <stdint.h>

int main(void)
{
	const char *d = scratch("fcntl_more");
	if (chdir(d))
		return 1;
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(ftruncate(fd, 100));
	T(setpgid(0, 0)); /* a group of our own (in umk's guest it would be init's, 0) */
	T(fcntl(fd, F_GETOWN));
	T(fcntl(fd, F_SETOWN, getpid()));
	T(fcntl(fd, F_GETOWN) == getpid());
	T(fcntl(fd, F_SETOWN, -getpgrp()));
	T(fcntl(fd, F_GETOWN) == -getpgrp());
	struct f_owner_ex ox = {0, 0};
	T(fcntl(fd, F_GETOWN_EX, &ox));
	SAY("  type %d is pgrp %d\n", ox.type, ox.pid == getpgrp());
	ox = (struct f_owner_ex){F_OWNER_PID, getpid()};
	T(fcntl(fd, F_SETOWN_EX, &ox));
	ox = (struct f_owner_ex){99, getpid()};
	T(fcntl(fd, F_SETOWN_EX, &ox));
	T(fcntl(fd, F_SETOWN, 0));
	T(fcntl(fd, F_GETSIG));
	T(fcntl(fd, F_SETSIG, SIGUSR1));
	T(fcntl(fd, F_GETSIG));
	T(fcntl(fd, F_SETSIG, 100));
	T(fcntl(fd, F_SETSIG, 0));
	/* Open file description locks: owned by the open file, not the process. */
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	T(fcntl(fd, F_OFD_SETLK, &fl));
	int fd2 = T(open("f", O_RDWR));
	T(fcntl(fd2, F_OFD_SETLK, &fl));
	fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	T(fcntl(fd2, F_OFD_GETLK, &fl));
	SAY("  conflict type %d pid %d\n", fl.l_type, fl.l_pid);
	fl = (struct flock){
	    .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10, .l_pid = 1};
	T(fcntl(fd2, F_OFD_SETLK, &fl));
	/* A POSIX lock of the same process conflicts with the OFD lock. */
	fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	T(fcntl(fd2, F_SETLK, &fl));
	T(close(fd2));
	fl.l_type = F_UNLCK;
	T(fcntl(fd, F_OFD_SETLK, &fl));
	/* Leases need a file the caller owns; on a file open for writing only
	 * a write lease. */
	T(fcntl(fd, F_GETLEASE));
	/* Seals are for memfds: a regular file has none to add. */
	T(fcntl(fd, F_GET_SEALS));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	/* Owners must exist. */
	T(fcntl(fd, F_SETOWN, 999999));
	T(fcntl(fd, F_SETOWN, -999999));
	T(fcntl(fd, F_GETOWN_EX, BADPTR));
	return 0;
}
