/*
 * System V shared memory. A segment's bytes are a tmpfs file on no mount
 * (shmem_file_setup), so every attach maps the same host memfd into the
 * stub and the pages are shared between processes like any MAP_SHARED
 * file mapping. Each shmat makes its own file (as Linux does) whose
 * references are the mappings holding it, so the attach count is the sum
 * of those references, following fork, munmap and exit for free.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "capability.h"
#include "fs.h"
#include "filesystems.h"
#include "mm.h"
#include "syscall.h"
#include "uaccess.h"
#include "util.h"

#define SHMMIN 1
#define SHMMAX (UINT64_MAX - (1ULL << 24))
#define SHMALL SHMMAX
#define SHMMNI 4096
#define SHMLBA PAGE_SIZE

struct shmid_kernel {
	struct kern_ipc_perm perm;
	struct file *file; /* the segment's bytes */
	uint64_t segsz;
	int64_t atime, dtime, ctime;
	int cpid, lpid;
	struct list_head attaches; /* shm_attach.link */
};

/* One shmat: the file its mappings hold. */
struct shm_attach {
	struct list_head link;
	struct shmid_kernel *shp;
	struct file *file;
};

static struct ipc_ids shm_ids = {.max = SHMMNI, .last_idx = -1};
static uint64_t shm_tot; /* pages in all segments */

static struct shmid_kernel *shm_of(struct kern_ipc_perm *p)
{
	return container_of(p, struct shmid_kernel, perm);
}

static uint64_t shm_nattch(struct shmid_kernel *shp)
{
	uint64_t n = 0;
	struct shm_attach *a;
	list_for_each_entry(a, &shp->attaches, link)
		n += (uint64_t)a->file->refcount;
	return n;
}

static void shm_destroy(struct shmid_kernel *shp)
{
	if (!shp->perm.deleted)
		ipc_rmid(&shm_ids, &shp->perm);
	shm_tot -= (shp->segsz + PAGE_SIZE - 1) / PAGE_SIZE;
	fput(shp->file);
	kfree(shp);
}

/* IPC_RMID: gone now if unattached, else when the last attach goes. */
static void shm_rmid(struct shmid_kernel *shp)
{
	if (list_empty(&shp->attaches)) {
		shm_destroy(shp);
		return;
	}
	shp->perm.mode |= SHM_DEST;
	shp->perm.key = IPC_PRIVATE;
}

/* ---- The attach files ---- */

static int shm_mmap(struct file *f, struct vma *v)
{
	struct file *seg = ((struct shm_attach *)f->private)->shp->file;
	return seg->f_op->mmap(seg, v);
}

static void shm_release(struct file *f)
{
	struct shm_attach *a = f->private;
	struct shmid_kernel *shp = a->shp;
	list_del(&a->link);
	kfree(a);
	shp->dtime = ipc_now();
	shp->lpid = current->proc->pid;
	if ((shp->perm.mode & SHM_DEST) && list_empty(&shp->attaches))
		shm_destroy(shp);
}

static const struct file_operations shm_file_ops = {
    .mmap = shm_mmap,
    .release = shm_release,
};

/* ---- shmget ---- */

static long shm_newseg(int32_t key, int flg, long arg)
{
	uint64_t size = (uint64_t)arg, pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (size < SHMMIN || size > SHMMAX)
		return -EINVAL;
	if (shm_tot + pages < shm_tot || shm_tot + pages > SHMALL)
		return -ENOSPC;
	struct shmid_kernel *shp = kzalloc(sizeof *shp);
	if (!shp)
		return -ENOMEM;
	list_init(&shp->attaches);
	int id = ipc_addid(&shm_ids, &shp->perm, key, flg);
	if (id < 0) {
		kfree(shp);
		return id;
	}
	/* What /proc shows for the mappings, as in Linux. */
	char name[32];
	snprintf(name, sizeof name, "/SYSV%08x (deleted)", (unsigned)key);
	struct file *f = shmem_file_setup(name, (mode_t_)flg & 0777, -1);
	struct iattr ia = {.valid = ATTR_SIZE, .size = (int64_t)size};
	long err = IS_ERR(f) ? PTR_ERR(f) : f->inode->i_op->setattr(f->path.dentry, &ia);
	if (err) {
		if (!IS_ERR(f))
			fput(f);
		ipc_rmid(&shm_ids, &shp->perm);
		kfree(shp);
		return err == -ENOSPC ? -ENOMEM : err;
	}
	shp->file = f;
	shp->segsz = size;
	shp->cpid = current->proc->pid;
	shp->ctime = ipc_now();
	shm_tot += pages;
	return id;
}

static int shm_more_checks(struct kern_ipc_perm *p, long arg)
{
	return shm_of(p)->segsz < (uint64_t)arg ? -EINVAL : 0;
}

static const struct ipc_ops shm_ops = {.getnew = shm_newseg, .more_checks = shm_more_checks};

SYSCALL_DEFINE3(shmget, int32_t, key, size_t, size, int, flg)
{
	return ipcget(&shm_ids, key, flg, (long)size, &shm_ops);
}

/* ---- shmat, shmdt ---- */

static long do_shmat(int shmid, uaddr_t addr, int flg)
{
	int flags = MAP_SHARED, prot = PROT_READ | PROT_WRITE, acc = 0666;
	unsigned oflags = O_RDWR;
	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SHMLBA - 1)) {
			if (!(flg & SHM_RND))
				return -EINVAL;
			addr &= ~(SHMLBA - 1);
			if (!addr && (flg & SHM_REMAP))
				return -EINVAL;
		}
		flags |= MAP_FIXED;
	} else if (flg & SHM_REMAP) {
		return -EINVAL;
	}
	if (flg & SHM_RDONLY) {
		prot = PROT_READ;
		acc = 0444;
		oflags = O_RDONLY;
	}
	if (flg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= 0111;
	}
	struct kern_ipc_perm *p = ipc_obtain(&shm_ids, shmid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (ipcperms(p, acc))
		return -EACCES;
	struct shmid_kernel *shp = shm_of(p);
	size_t size = shp->segsz;
	if (addr && !(flg & SHM_REMAP)) {
		if (addr + size < addr)
			return -EINVAL;
		struct vma *v = find_vma(current->mm, addr);
		if (v && v->start < addr + size)
			return -EINVAL;
	}
	struct shm_attach *a = kzalloc(sizeof *a);
	struct file *f = file_alloc(&shp->file->path, oflags);
	if (!a || !f) {
		kfree(a);
		fput(f);
		return -ENOMEM;
	}
	a->shp = shp;
	a->file = f;
	list_add_tail(&a->link, &shp->attaches);
	f->f_op = &shm_file_ops;
	f->private = a;
	long r = do_mmap(addr, size, prot, flags, f, 0);
	fput(f); /* the mapping holds it now, or it goes */
	if (r >= 0) {
		shp->atime = ipc_now();
		shp->lpid = current->proc->pid;
	}
	return r;
}

SYSCALL_DEFINE3(shmat, int, shmid, uaddr_t, addr, int, flg)
{
	return do_shmat(shmid, addr, flg);
}

static bool is_shm_vma(const struct vma *v, uaddr_t addr)
{
	return v->file && v->file->f_op == &shm_file_ops && (int64_t)(v->start - addr) == v->pgoff;
}

static struct vma *vma_next(struct mm *mm, struct vma *v)
{
	return v->list.next == &mm->vmas ? NULL : list_entry(v->list.next, struct vma, list);
}

/* As in Linux: the first attach at or after addr whose offset matches it,
 * and the pieces of that attach within the segment's size after it. */
SYSCALL_DEFINE1(shmdt, uaddr_t, addr)
{
	struct mm *mm = current->mm;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	struct vma *v = find_vma(mm, addr);
	while (v && !is_shm_vma(v, addr))
		v = vma_next(mm, v);
	if (!v)
		return -EINVAL;
	struct file *f = get_file(v->file); /* the attach stays while we look at it */
	struct shmid_kernel *shp = ((struct shm_attach *)f->private)->shp;
	uint64_t size = PAGE_ALIGN(shp->segsz);
	struct vma *next = vma_next(mm, v);
	do_munmap(v->start, v->end - v->start);
	for (v = next; v && v->end - addr <= size; v = next) {
		next = vma_next(mm, v);
		if (v->file == f && is_shm_vma(v, addr))
			do_munmap(v->start, v->end - v->start);
	}
	shp->dtime = ipc_now();
	shp->lpid = current->proc->pid;
	fput(f);
	return 0;
}

/* ---- shmctl ---- */

static void shm_fill(struct shmid_kernel *shp, struct linux_shmid64_ds *ds)
{
	memset(ds, 0, sizeof *ds);
	ipc_fill_perm(&shp->perm, &ds->shm_perm);
	ds->shm_segsz = shp->segsz;
	ds->shm_atime = shp->atime;
	ds->shm_dtime = shp->dtime;
	ds->shm_ctime = shp->ctime;
	ds->shm_cpid = shp->cpid;
	ds->shm_lpid = shp->lpid;
	ds->shm_nattch = shm_nattch(shp);
}

static long shm_info(int cmd, uaddr_t buf)
{
	int maxidx = ipc_get_maxidx(&shm_ids);
	if (cmd == IPC_INFO) {
		struct linux_shminfo64 si = {SHMMAX, SHMMIN, SHMMNI, SHMMNI, SHMALL, 0, 0, 0, 0};
		if (copy_to_user(buf, &si, sizeof si))
			return -EFAULT;
	} else {
		struct linux_shm_info si = {.used_ids = shm_ids.in_use, .shm_tot = shm_tot};
		for (int i = 0; i <= maxidx; i++) {
			struct kern_ipc_perm *p = ipc_at_index(&shm_ids, i);
			if (!IS_ERR(p))
				si.shm_rss += (shm_of(p)->segsz + PAGE_SIZE - 1) / PAGE_SIZE;
		}
		if (copy_to_user(buf, &si, sizeof si))
			return -EFAULT;
	}
	return maxidx < 0 ? 0 : maxidx;
}

static long shm_stat(int id, int cmd, uaddr_t buf)
{
	struct kern_ipc_perm *p =
	    cmd == IPC_STAT ? ipc_obtain(&shm_ids, id) : ipc_at_index(&shm_ids, id);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd != SHM_STAT_ANY && ipcperms(p, 0444))
		return -EACCES;
	struct linux_shmid64_ds ds;
	shm_fill(shm_of(p), &ds);
	if (copy_to_user(buf, &ds, sizeof ds))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

static long shm_lock(struct kern_ipc_perm *p, int cmd)
{
	if (!capable(CAP_IPC_LOCK)) {
		if (current->cred.euid != p->uid && current->cred.euid != p->cuid)
			return -EPERM;
		if (cmd == SHM_LOCK && !current->proc->rlim[RLIMIT_MEMLOCK].rlim_cur)
			return -EPERM;
	}
	if (cmd == SHM_LOCK)
		p->mode |= SHM_LOCKED;
	else
		p->mode &= ~(mode_t_)SHM_LOCKED;
	return 0;
}

SYSCALL_DEFINE3(shmctl, int, shmid, int, cmd, uaddr_t, buf)
{
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat(shmid, cmd, buf);
	case IPC_SET:
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		break;
	default:
		return -EINVAL;
	}
	struct linux_shmid64_ds ds;
	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof ds))
		return -EFAULT;
	struct kern_ipc_perm *p = ipc_obtain(&shm_ids, shmid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd == SHM_LOCK || cmd == SHM_UNLOCK)
		return shm_lock(p, cmd);
	int err = ipc_check_owner(p);
	if (err)
		return err;
	if (cmd == IPC_RMID) {
		shm_rmid(shm_of(p));
		return 0;
	}
	ipc_update_perm(&ds.shm_perm, p);
	shm_of(p)->ctime = ipc_now();
	return 0;
}
