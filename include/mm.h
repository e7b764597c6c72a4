/*
 * Guest address spaces. The host owns the pages (stub processes); the kernel
 * keeps its own record of every mapping (VMAs) for /proc/PID/maps, mprotect
 * and mremap checks and commit accounting, and asks the stub to map.
 */
#ifndef MM_H
#define MM_H
#include "kernel.h"
#include "host.h"
#include "uapi/mman.h"

struct file;

/* The guest's part of the address space ends where the stub's begins. */
#define TASK_SIZE	HOST_STUB_START
#define MMAP_MIN_ADDR	HOST_GUEST_START
#define ELF_ET_DYN_BASE 0x555555554000ULL

#define VM_GROWSDOWN 0x1
#define VM_SHARED    0x2
#define VM_SPECIAL   0x4 /* vdso, vvar: not the guest's to change */
#define VM_DONTCOPY  0x8 /* MADV_DONTFORK: a fork child does not get it */
/* A shared file mapping that is or was writable: the page cache cannot see
 * its writes, so its pages count dirty at writeback and when it goes. */
#define VM_SHARED_WRITE 0x10
#define VM_LOCKED	0x20 /* mlock: counted against RLIMIT_MEMLOCK */
/* A private file mapping that is or was writable: it may hold pages of its
 * own (written copies), which a core dump keeps (Linux's anon_vma). */
#define VM_PRIVATE_WRITE 0x40

struct vma {
	struct list_head list; /* sorted by start */
	uaddr_t start, end;
	int prot;
	int vm_flags;
	struct file *file;
	int64_t pgoff;		    /* file offset of start */
	struct shared_anon *shared; /* MAP_SHARED|MAP_ANONYMOUS: its identity */
	int host_fd;		    /* set by f_op->mmap: the host file to map */
	int64_t host_off;
	const char *name; /* [heap], [stack], [vdso], ... */
};

/* Shared anonymous memory has no file; this names it, across fork and
 * splits, so futexes on it are found from every process. */
struct shared_anon {
	int refcount;
};

struct mm {
	int refcount;
	struct list_head vmas;
	uaddr_t mmap_base;
	uaddr_t start_code, end_code, start_data, end_data;
	uaddr_t start_brk, brk;
	uaddr_t start_stack, arg_start, arg_end, env_start, env_end;
	uint64_t auxv[64];
	int auxv_len;
	struct file *exe_file;
	uint64_t total_vm; /* pages */
	bool randomize;
	bool membarrier_registered;	      /* MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED */
	bool membarrier_sync_core_registered; /* and its _SYNC_CORE twin */
	bool lock_future;		      /* mlockall(MCL_FUTURE): new mappings are locked */
};

/* mem=: what the guest may commit. */
void mm_init(uint64_t mem_bytes);
uint64_t totalram_bytes(void);
uint64_t committed_bytes(void);

struct mm *mm_alloc(void);
struct mm *mm_dup(struct mm *old);
void mm_put(struct mm *mm);
struct vma *find_vma(struct mm *mm, uaddr_t addr); /* first vma with end > addr */
/* Calls fn for every file mapping of every address space. */
void mm_for_each_file_vma(void (*fn)(struct vma *v, void *ctx), void *ctx);

/* On current's address space, through current's host thread. */
long do_mmap(uaddr_t addr, size_t len, int prot, int flags, struct file *f, int64_t off);
long do_munmap(uaddr_t addr, size_t len);
/* Every page of [start, end) is mapped. */
bool range_mapped(struct mm *mm, uaddr_t start, uaddr_t end);
/* Sets or clears a flag on exactly [start, end), splitting VMAs (never on
 * VM_SPECIAL ones). */
void set_vm_flag(struct mm *mm, uaddr_t start, uaddr_t end, int flag, bool on);
/* VM_LOCKED when a new mapping of [start, end) with these mmap flags is
 * locked (MAP_LOCKED, mlockall(MCL_FUTURE)), 0 when not, or an errno. */
int mmap_locked(struct mm *mm, int flags, uaddr_t start, uaddr_t end);
/* Pages of [start, end) that mlock holds. */
uint64_t locked_pages(struct mm *mm, uaddr_t start, uaddr_t end);
long do_brk(uaddr_t brk);
void mm_set_name(uaddr_t start, const char *name);
void mm_add_special(struct mm *mm, uaddr_t start, uaddr_t end, int prot, const char *name);

/* exec: loads an ELF image into current's fresh address space */
struct linux_binprm;
int load_elf_binary(struct linux_binprm *bprm);

#endif
