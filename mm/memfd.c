/*
 * memfd_create: an anonymous tmpfs file. Its bytes live in a host memfd made
 * with the guest's sealing flags, so the host keeps the seals and enforces
 * them on writes, truncation and every stub's mappings (EBUSY for
 * F_SEAL_WRITE while writably mapped) exactly as Linux does.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "host.h"
#include "filesystems.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/mman.h"

#define MFD_NAME_MAX_LEN (NAME_MAX - 6) /* NAME_MAX - strlen("memfd:") */
#define MFD_ALL_FLAGS	 (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)

SYSCALL_DEFINE2(memfd_create, uaddr_t, uname, unsigned, flags)
{
	unsigned allowed = MFD_ALL_FLAGS;
	if (flags & MFD_HUGETLB)
		allowed |= (unsigned)MFD_HUGE_MASK << MFD_HUGE_SHIFT;
	if (flags & ~allowed)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	if (flags & MFD_HUGETLB) {
		pr_warn("%s[%d]: memfd_create(MFD_HUGETLB) not implemented\n", current->comm,
			current->tid);
		return -EINVAL;
	}
	char name[MFD_NAME_MAX_LEN + 1];
	long len = strncpy_from_user(name, uname, sizeof name);
	if (len < 0)
		return len == -ENAMETOOLONG ? -EINVAL : len;
	int host_fd =
	    host_memfd_sealable(name, flags & (MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC));
	if (host_fd < 0)
		return host_fd;
	/* What /proc/PID/fd and maps show: an unlinked file at the root. */
	char dname[NAME_MAX + 16];
	snprintf(dname, sizeof dname, "/memfd:%s (deleted)", name);
	struct file *f = shmem_file_setup(dname, (flags & MFD_NOEXEC_SEAL) ? 0666 : 0777, host_fd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	int fd = fd_install(f, (flags & MFD_CLOEXEC) ? O_CLOEXEC : 0);
	if (fd < 0)
		fput(f);
	return fd;
}
