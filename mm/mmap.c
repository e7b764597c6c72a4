/*
 * The guest's mappings. The kernel chooses every address and records every
 * mapping (VMA); the stub then maps exactly that with MAP_FIXED. Pages
 * themselves are the host's: faults never come to the kernel.
 */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "mm.h"
#include "fs.h"
#include "syscall.h"
#include "pagemap.h"
#include "uapi/mman.h"

static uint64_t totalram;

void mm_init(uint64_t mem_bytes)
{
	totalram = mem_bytes ? mem_bytes : (1ULL << 30);
	printk(KERN_INFO "Memory: %lluK available\n", (unsigned long long)(totalram >> 10));
}

uint64_t totalram_bytes(void)
{
	return totalram;
}

/* Writable private memory of all address spaces, counted once each. */
uint64_t committed_bytes(void)
{
	uint64_t total = 0;
	struct process *p;
	for_each_process(p) {
		struct task *t;
		for_each_thread(p, t) {
			if (!t->mm || task_is_leader(t) == false)
				continue;
			struct vma *v;
			list_for_each_entry(v, &t->mm->vmas, list)
				if ((v->prot & PROT_WRITE) && !(v->vm_flags & VM_SHARED))
					total += v->end - v->start;
		}
	}
	return total;
}

struct mm *mm_alloc(void)
{
	struct mm *mm = kzalloc(sizeof *mm);
	if (!mm)
		return NULL;
	mm->refcount = 1;
	list_init(&mm->vmas);
	return mm;
}

static struct vma *vma_alloc(uaddr_t start, uaddr_t end, int prot, int vm_flags)
{
	struct vma *v = kzalloc(sizeof *v);
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->vm_flags = vm_flags;
	v->host_fd = -1;
	return v;
}

static void vma_free(struct vma *v)
{
	if (v->vm_flags & VM_SHARED_WRITE)
		filemap_vma_closed(v);
	if (v->file)
		fput(v->file);
	if (v->shared && --v->shared->refcount == 0)
		kfree(v->shared);
	kfree(v);
}

static struct vma *vma_copy(const struct vma *v)
{
	struct vma *n = kmalloc(sizeof *n);
	if (!n)
		return NULL;
	*n = *v;
	list_init(&n->list);
	if (n->file)
		get_file(n->file);
	if (n->shared)
		n->shared->refcount++;
	return n;
}

struct mm *mm_dup(struct mm *old)
{
	struct mm *mm = mm_alloc();
	if (!mm)
		return NULL;
	struct list_head vmas = mm->vmas;
	*mm = *old;
	mm->vmas = vmas;
	list_init(&mm->vmas);
	mm->refcount = 1;
	if (mm->exe_file)
		get_file(mm->exe_file);
	struct vma *v;
	list_for_each_entry(v, &old->vmas, list) {
		if (v->vm_flags & VM_DONTCOPY) {
			mm->total_vm -= (v->end - v->start) >> PAGE_SHIFT;
			continue; /* the host's fork leaves it out too */
		}
		struct vma *n = vma_copy(v);
		if (!n) {
			mm_put(mm);
			return NULL;
		}
		n->vm_flags &= ~VM_LOCKED; /* memory locks are not inherited */
		list_add_tail(&n->list, &mm->vmas);
	}
	mm->lock_future = false;
	return mm;
}

void mm_put(struct mm *mm)
{
	if (--mm->refcount > 0)
		return;
	struct vma *v, *n;
	list_for_each_entry_safe(v, n, &mm->vmas, list) {
		list_del(&v->list);
		vma_free(v);
	}
	if (mm->exe_file)
		fput(mm->exe_file);
	kfree(mm);
}

void mm_for_each_file_vma(void (*fn)(struct vma *v, void *ctx), void *ctx)
{
	struct process *p;
	for_each_process(p) {
		struct task *t;
		for_each_thread(p, t) {
			if (!t->mm || !task_is_leader(t))
				continue;
			struct vma *v;
			list_for_each_entry(v, &t->mm->vmas, list)
				if (v->file)
					fn(v, ctx);
		}
	}
}

struct vma *find_vma(struct mm *mm, uaddr_t addr)
{
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list)
		if (v->end > addr)
			return v;
	return NULL;
}

static void vma_insert(struct mm *mm, struct vma *n)
{
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list)
		if (v->start >= n->end)
			break;
	list_add_tail(&n->list, &v->list);
	mm->total_vm += (n->end - n->start) >> PAGE_SHIFT;
}

/* Splits v at addr (start < addr < end): v keeps the low part. */
static int vma_split(struct vma *v, uaddr_t addr)
{
	struct vma *hi = vma_copy(v);
	if (!hi)
		return -ENOMEM;
	hi->start = addr;
	hi->pgoff += (int64_t)(addr - v->start);
	hi->host_off += (int64_t)(addr - v->start);
	v->end = addr;
	list_add(&hi->list, &v->list);
	return 0;
}

/* Makes start and end VMA boundaries. */
static int vma_split_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list) {
		if (v->start < start && v->end > start && vma_split(v, start))
			return -ENOMEM;
		if (v->start < end && v->end > end && vma_split(v, end))
			return -ENOMEM;
	}
	return 0;
}

static int vma_remove_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	if (vma_split_range(mm, start, end))
		return -ENOMEM;
	struct vma *v, *n;
	list_for_each_entry_safe(v, n, &mm->vmas, list) {
		if (v->start >= start && v->end <= end) {
			mm->total_vm -= (v->end - v->start) >> PAGE_SHIFT;
			list_del(&v->list);
			vma_free(v);
		}
	}
	return 0;
}

/* Pages of [start, end) that are mapped now. */
static uint64_t pages_mapped_in(struct mm *mm, uaddr_t start, uaddr_t end)
{
	uint64_t n = 0;
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list)
		if (v->start < end && v->end > start)
			n += (min(v->end, end) - max(v->start, start)) >> PAGE_SHIFT;
	return n;
}

/* RLIMIT_AS: the address space may not grow past it (Linux's may_expand_vm). */
static bool may_expand_vm(struct mm *mm, uint64_t npages)
{
	uint64_t lim = current->proc->rlim[RLIMIT_AS].rlim_cur;
	return lim == RLIM_INFINITY || mm->total_vm + npages <= lim >> PAGE_SHIFT;
}

static bool range_free(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct vma *v = find_vma(mm, start);
	return !v || v->start >= end;
}

static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && !a->file && !b->file && a->prot == b->prot &&
	       a->vm_flags == b->vm_flags && !(a->vm_flags & (VM_SHARED | VM_SPECIAL)) &&
	       !a->name && !b->name;
}

/* Anonymous private neighbours with the same protection merge, as in Linux,
 * so /proc/PID/maps reads the same. */
static void vma_merge_all(struct mm *mm)
{
	struct vma *v, *n;
	list_for_each_entry_safe(v, n, &mm->vmas, list) {
		while (&n->list != &mm->vmas && vma_mergeable(v, n)) {
			struct vma *next = list_entry(n->list.next, struct vma, list);
			v->end = n->end;
			list_del(&n->list);
			kfree(n);
			n = next;
		}
	}
}

/* Top-down from mmap_base, then bottom-up above it, as Linux does. */
static uaddr_t get_unmapped_area(struct mm *mm, uaddr_t hint, size_t len, bool low32)
{
	uaddr_t lo = MMAP_MIN_ADDR, hi = mm->mmap_base ? mm->mmap_base : TASK_SIZE;
	if (low32) {
		lo = 0x40000000;
		hi = 0x80000000;
	}
	if (len > hi - lo)
		return 0;
	hint = PAGE_ALIGN(hint);
	if (hint && !low32 && hint >= lo && hint <= TASK_SIZE - len &&
	    range_free(mm, hint, hint + len))
		return hint;
	uaddr_t top = hi;
	struct vma *v;
	/* Walk VMAs from the highest below `top`. */
	for (v = list_entry(mm->vmas.prev, struct vma, list); &v->list != &mm->vmas;
	     v = list_entry(v->list.prev, struct vma, list)) {
		if (v->start >= top)
			continue;
		if (v->end <= top && top - v->end >= len)
			return top - len;
		top = min(top, v->start);
		if (top < lo + len)
			break;
	}
	if (top >= lo + len && range_free(mm, top - len, top))
		return top - len;
	/* Nothing below mmap_base: try above it. */
	if (!low32) {
		uaddr_t start = hi;
		list_for_each_entry(v, &mm->vmas, list) {
			if (v->end <= start)
				continue;
			if (v->start >= start + len)
				break;
			start = v->end;
		}
		if (start + len <= TASK_SIZE && start >= hi)
			return start;
	}
	return 0;
}

/* What MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK                                                                            \
	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE |   \
	 MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |           \
	 MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

static int host_flags_for(int flags, bool anon)
{
	int type = flags & MAP_TYPE;
	int hf = (type == MAP_SHARED_VALIDATE ? MAP_SHARED : type) | MAP_FIXED;
	if (anon)
		hf |= MAP_ANONYMOUS;
	/* MAP_LOCKED stays umk's (mm/mlock.c): the host decides residency. */
	return hf | (flags & (MAP_NORESERVE | MAP_POPULATE | MAP_GROWSDOWN | MAP_STACK |
			      MAP_HUGETLB | MAP_SYNC));
}

long do_mmap(uaddr_t addr, size_t len, int prot, int flags, struct file *f, int64_t off)
{
	struct mm *mm = current->mm;
	int type = flags & MAP_TYPE;
	if (!len)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (off & (int64_t)~PAGE_MASK)
		return -EINVAL;
	/* Anonymous memory is only MAP_SHARED or MAP_PRIVATE; unknown prot
	 * bits are ignored (only mprotect checks them). */
	if (!f && type == MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (f && type == MAP_SHARED_VALIDATE && (flags & ~LEGACY_MAP_MASK))
		return -EOPNOTSUPP; /* includes MAP_SYNC: no DAX here */
	size_t alen = PAGE_ALIGN(len);
	if (!alen || alen > TASK_SIZE)
		return -ENOMEM;
	if (f && (uint64_t)off + alen < (uint64_t)off)
		return -EOVERFLOW;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr > TASK_SIZE - alen)
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		if ((flags & MAP_FIXED_NOREPLACE) && !range_free(mm, addr, addr + alen))
			return -EEXIST;
	} else {
		addr = get_unmapped_area(mm, addr, alen, flags & MAP_32BIT);
		if (!addr)
			return -ENOMEM;
	}
	if (!may_expand_vm(mm, (alen >> PAGE_SHIFT) - pages_mapped_in(mm, addr, addr + alen)))
		return -ENOMEM;
	int locked = mmap_locked(mm, flags, addr, addr + alen);
	if (locked < 0)
		return locked;
	struct vma *v = vma_alloc(addr, addr + alen, prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
				  (type != MAP_PRIVATE ? VM_SHARED : 0) | locked |
				      ((flags & MAP_GROWSDOWN) ? VM_GROWSDOWN : 0));
	if (!v)
		return -ENOMEM;
	if (f) {
		if (!f->f_op->mmap) {
			kfree(v);
			return -ENODEV;
		}
		if (!(f->mode & FMODE_READ) ||
		    (type != MAP_PRIVATE && (prot & PROT_WRITE) && !(f->mode & FMODE_WRITE))) {
			kfree(v);
			return -EACCES;
		}
		if ((prot & PROT_EXEC) && (f->path.mnt->flags & MNT_NOEXEC)) {
			kfree(v);
			return -EPERM;
		}
		v->file = get_file(f);
		if (prot & PROT_WRITE)
			v->vm_flags |= type == MAP_PRIVATE ? VM_PRIVATE_WRITE : VM_SHARED_WRITE;
		v->pgoff = off;
		v->host_off = off;
		int err = f->f_op->mmap(f, v);
		if (err) {
			vma_free(v);
			return err;
		}
	} else if (type != MAP_PRIVATE) {
		/* Shared anonymous memory is shared with fork children by the host. */
		if (!(v->shared = kzalloc(sizeof *v->shared))) {
			kfree(v);
			return -ENOMEM;
		}
		v->shared->refcount = 1;
	}
	/* A file whose mmap gave no host fd (/dev/zero) is anonymous memory. */
	long r = host_stub_mmap(current->host, addr, alen, v->prot,
				host_flags_for(flags, v->host_fd < 0), v->host_fd, v->host_off);
	if (r < 0) {
		vma_free(v);
		return r;
	}
	vma_remove_range(mm, addr, addr + alen);
	vma_insert(mm, v);
	vma_merge_all(mm);
	return (long)addr;
}

SYSCALL_DEFINE6(mmap, uaddr_t, addr, size_t, len, int, prot, int, flags, int, fd, int64_t, off)
{
	struct file *f = NULL;
	if (off & (int64_t)~PAGE_MASK)
		return -EINVAL; /* checked first, anonymous or not */
	if (!(flags & MAP_ANONYMOUS)) {
		f = fget(fd);
		if (!f)
			return -EBADF;
	}
	long r = do_mmap(addr, len, prot, flags, f, f ? off : 0);
	if (f)
		fput(f);
	return r;
}

long do_munmap(uaddr_t addr, size_t len)
{
	if ((addr & ~PAGE_MASK) || addr >= TASK_SIZE)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE - addr)
		return -EINVAL;
	if (addr < MMAP_MIN_ADDR) { /* nothing of the guest's is there: the host's place */
		if (addr + len <= MMAP_MIN_ADDR)
			return 0;
		len -= MMAP_MIN_ADDR - addr;
		addr = MMAP_MIN_ADDR;
	}
	long r = host_stub_munmap(current->host, addr, len);
	if (r < 0)
		return r;
	return vma_remove_range(current->mm, addr, addr + len);
}

SYSCALL_DEFINE2(munmap, uaddr_t, addr, size_t, len)
{
	return do_munmap(addr, len);
}

/* Every page of [start, end) is mapped. */
bool range_mapped(struct mm *mm, uaddr_t start, uaddr_t end)
{
	uaddr_t at = start;
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list) {
		if (v->end <= at)
			continue;
		if (v->start > at)
			return false;
		at = v->end;
		if (at >= end)
			return true;
	}
	return at >= end;
}

SYSCALL_DEFINE3(mprotect, uaddr_t, addr, size_t, len, int, prot)
{
	struct mm *mm = current->mm;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return 0;
	if (addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return -ENOMEM;
	uaddr_t end = addr + len;
	if (!range_mapped(mm, addr, end))
		return -ENOMEM;
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list) {
		if (v->end <= addr || v->start >= end)
			continue;
		if (v->vm_flags & VM_SPECIAL)
			return -EACCES;
		if (v->file && (v->vm_flags & VM_SHARED) && (prot & PROT_WRITE) &&
		    !(v->file->mode & FMODE_WRITE))
			return -EACCES;
		if (v->file && (prot & PROT_EXEC) && (v->file->path.mnt->flags & MNT_NOEXEC))
			return -EACCES;
	}
	long r = host_stub_mprotect(current->host, addr, len, prot);
	if (r < 0)
		return r;
	if (vma_split_range(mm, addr, end))
		return -ENOMEM;
	list_for_each_entry(v, &mm->vmas, list)
		if (v->start >= addr && v->end <= end) {
			v->prot = prot;
			if (v->file && (prot & PROT_WRITE))
				v->vm_flags |=
				    (v->vm_flags & VM_SHARED) ? VM_SHARED_WRITE : VM_PRIVATE_WRITE;
		}
	vma_merge_all(mm);
	return 0;
}

long do_brk(uaddr_t brk)
{
	struct mm *mm = current->mm;
	uaddr_t old = mm->brk;
	if (brk < mm->start_brk)
		return (long)old;
	uint64_t limit = current->proc->rlim[RLIMIT_DATA].rlim_cur;
	if (limit != RLIM_INFINITY && brk - mm->start_brk > limit)
		return (long)old;
	uaddr_t newend = PAGE_ALIGN(brk), oldend = PAGE_ALIGN(old);
	if (newend < oldend) {
		if (do_munmap(newend, oldend - newend) < 0)
			return (long)old;
	} else if (newend > oldend) {
		if (newend > TASK_SIZE || !range_free(mm, oldend, newend))
			return (long)old;
		long r = do_mmap(oldend, newend - oldend, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		if (r < 0)
			return (long)old;
	}
	mm->brk = brk;
	return (long)brk;
}

SYSCALL_DEFINE1(brk, uaddr_t, brk)
{
	return do_brk(brk);
}

SYSCALL_DEFINE5(mremap, uaddr_t, old, size_t, oldlen, size_t, newlen, int, flags, uaddr_t, newaddr)
{
	struct mm *mm = current->mm;
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || oldlen != newlen))
		return -EINVAL;
	if (old & ~PAGE_MASK)
		return -EINVAL;
	oldlen = PAGE_ALIGN(oldlen);
	newlen = PAGE_ALIGN(newlen);
	if (!newlen)
		return -EINVAL;
	if (!oldlen) {
		pr_warn("%s[%d]: mremap duplicating a mapping not implemented\n", current->comm,
			current->tid);
		return -EINVAL;
	}
	struct vma *v = find_vma(mm, old);
	if (!v || v->start > old || v->end < old + oldlen)
		return -EFAULT;
	if (v->vm_flags & VM_SPECIAL)
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		if ((newaddr & ~PAGE_MASK) || newaddr > TASK_SIZE - newlen)
			return -EINVAL;
		if (newaddr < MMAP_MIN_ADDR)
			return -EPERM;
		if (newaddr < old + oldlen && old < newaddr + newlen)
			return -EINVAL;
	}
	if (newlen > oldlen && !may_expand_vm(mm, (newlen - oldlen) >> PAGE_SHIFT))
		return -ENOMEM;
	if ((flags & MREMAP_DONTUNMAP) && !may_expand_vm(mm, oldlen >> PAGE_SHIFT))
		return -ENOMEM;
	if (!(flags & MREMAP_FIXED) && newlen <= oldlen) {
		if (newlen < oldlen) {
			long r = do_munmap(old + newlen, oldlen - newlen);
			if (r < 0)
				return r;
		}
		return (long)old;
	}
	/* Grow in place when the space after is free. */
	if (!(flags & MREMAP_FIXED) && v->end == old + oldlen && old + newlen <= TASK_SIZE &&
	    range_free(mm, old + oldlen, old + newlen)) {
		long r = host_stub_mremap(current->host, old, oldlen, newlen, 0, 0);
		if (r >= 0) {
			mm->total_vm += (newlen - oldlen) >> PAGE_SHIFT;
			v->end = old + newlen;
			return (long)old;
		}
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	if (!(flags & MREMAP_FIXED)) {
		newaddr = get_unmapped_area(mm, 0, newlen, false);
		if (!newaddr)
			return -ENOMEM;
	}
	int hflags = MREMAP_MAYMOVE | MREMAP_FIXED | (flags & MREMAP_DONTUNMAP);
	long r = host_stub_mremap(current->host, old, oldlen, newlen, hflags, newaddr);
	if (r < 0)
		return r;
	if (vma_split_range(mm, old, old + oldlen))
		return -ENOMEM;
	vma_remove_range(mm, newaddr, newaddr + newlen);
	struct vma *moved = vma_copy(find_vma(mm, old));
	if (!moved)
		return -ENOMEM;
	moved->start = newaddr;
	moved->end = newaddr + newlen;
	if (!(flags & MREMAP_DONTUNMAP))
		vma_remove_range(mm, old, old + oldlen);
	vma_insert(mm, moved);
	return (long)newaddr;
}

void set_vm_flag(struct mm *mm, uaddr_t start, uaddr_t end, int flag, bool on)
{
	if (vma_split_range(mm, start, end))
		return;
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list)
		if (v->start >= start && v->end <= end && !(v->vm_flags & VM_SPECIAL)) {
			v->vm_flags = on ? v->vm_flags | flag : v->vm_flags & ~flag;
		}
	vma_merge_all(mm);
}

SYSCALL_DEFINE3(madvise, uaddr_t, addr, size_t, len, int, advice)
{
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
		break;
	default:
		return -EINVAL;
	}
	if (!len)
		return 0;
	if (addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return -ENOMEM;
	if (!range_mapped(current->mm, addr, addr + len))
		return -ENOMEM;
	long r = host_stub_madvise(current->host, addr, len, advice);
	if (r == 0 && (advice == MADV_DONTFORK || advice == MADV_DOFORK))
		set_vm_flag(current->mm, addr, addr + len, VM_DONTCOPY, advice == MADV_DONTFORK);
	return r;
}

SYSCALL_DEFINE3(msync, uaddr_t, addr, size_t, len, int, flags)
{
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return 0;
	if (!range_mapped(current->mm, addr, addr + len))
		return -ENOMEM;
	/* Shared mappings are the page cache itself: coherent with read and
	 * write already; MS_SYNC also puts them on the disk. */
	if (!(flags & MS_SYNC))
		return 0;
	struct vma *v;
	list_for_each_entry(v, &current->mm->vmas, list) {
		if (v->end <= addr || v->start >= addr + len || !v->file ||
		    !(v->vm_flags & VM_SHARED) || !v->file->f_op->fsync)
			continue;
		int err = v->file->f_op->fsync(v->file, true);
		if (err)
			return err;
	}
	return 0;
}

void mm_set_name(uaddr_t start, const char *name)
{
	struct vma *v = find_vma(current->mm, start);
	if (v && v->start == start)
		v->name = name;
}

void mm_add_special(struct mm *mm, uaddr_t start, uaddr_t end, int prot, const char *name)
{
	struct vma *v = vma_alloc(start, end, prot, VM_SPECIAL);
	if (!v)
		return;
	v->name = name;
	vma_insert(mm, v);
}
