/*
 * The ELF loader (Linux's binfmt_elf): static, static-pie and dynamic
 * executables, the interpreter looked up inside the guest's root, the stack
 * with argv, envp and the auxiliary vector laid out as Linux lays them out.
 */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "binfmt.h"
#include "uaccess.h"
#include "fs.h"
#include "mm.h"
#include "ktime.h"
#include "uapi/elf.h"

#define ADDR_NO_RANDOMIZE 0x0040000
#define STACK_GUARD_GAP	  (256UL << PAGE_SHIFT)
#define MAX_PHNUM	  (PAGE_SIZE / sizeof(Elf64_Phdr)) /* Linux: a page of headers */

struct elf_image {
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	struct file *file;
};

static uint64_t rand64(void)
{
	uint64_t r;
	host_random(&r, sizeof r);
	return r;
}

/* head: the file's first BINPRM_BUF_SIZE bytes, zero-filled past its end,
 * when the caller has them (as Linux takes the header from bprm->buf). */
static int read_image(struct file *f, const char *head, struct elf_image *img)
{
	loff_t pos = 0;
	img->file = f;
	img->ph = NULL;
	_Static_assert(sizeof img->eh <= BINPRM_BUF_SIZE, "the header fits in bprm->buf");
	if (head)
		memcpy(&img->eh, head, sizeof img->eh);
	else if (kernel_read(f, &img->eh, sizeof img->eh, &pos) != sizeof img->eh)
		return -ENOEXEC;
	/* Linux's checks exactly: on x86-64 only e_machine says 64-bit (the
	 * class and data bytes are not looked at). */
	Elf64_Ehdr *e = &img->eh;
	if (memcmp(e->e_ident, ELFMAG, 4) || e->e_machine != EM_X86_64 ||
	    (e->e_type != ET_EXEC && e->e_type != ET_DYN) || e->e_phentsize != sizeof(Elf64_Phdr) ||
	    e->e_phnum < 1 || e->e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	size_t size = sizeof(Elf64_Phdr) * e->e_phnum;
	img->ph = kmalloc(size);
	if (!img->ph)
		return -ENOMEM;
	pos = (loff_t)e->e_phoff;
	long n = kernel_read(f, img->ph, size, &pos);
	return n == (long)size ? 0 : -ENOEXEC; /* unreadable headers: not an ELF */
}

static int elf_prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

static uint64_t total_mapping_size(const struct elf_image *img)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		lo = min(lo, p->p_vaddr);
		hi = max(hi, p->p_vaddr + p->p_memsz);
	}
	return hi > lo ? hi - ALIGN_DOWN(lo, PAGE_SIZE) : 0;
}

static uint64_t max_alignment(const struct elf_image *img)
{
	uint64_t a = PAGE_SIZE;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		uint64_t pa = img->ph[i].p_align;
		if (img->ph[i].p_type == PT_LOAD && pa > a && !(pa & (pa - 1)) && pa <= (1UL << 30))
			a = pa;
	}
	return a;
}

/* Maps one PT_LOAD segment at addr (+ the rest of the image's span when
 * total is set, to reserve it), then its bss. Returns the mapped start. */
static long elf_load(struct file *f, uaddr_t addr, const Elf64_Phdr *p, int prot, int flags,
		     uint64_t total)
{
	uint64_t pgoff = p->p_vaddr & ~PAGE_MASK;
	uaddr_t map, zero_start, zero_end;
	if (p->p_filesz) {
		uint64_t size = PAGE_ALIGN(p->p_filesz + pgoff);
		int64_t off = (int64_t)(p->p_offset - pgoff);
		if (total) {
			total = PAGE_ALIGN(total);
			long r = do_mmap(ALIGN_DOWN(addr, PAGE_SIZE), total, prot, flags, f, off);
			if (r < 0)
				return r;
			map = (uaddr_t)r;
			if (total > size)
				do_munmap(map + size, total - size);
		} else {
			long r = do_mmap(ALIGN_DOWN(addr, PAGE_SIZE), size, prot, flags, f, off);
			if (r < 0)
				return r;
			map = (uaddr_t)r;
		}
		zero_start = map + pgoff + p->p_filesz;
		zero_end = map + pgoff + p->p_memsz;
		if (p->p_memsz > p->p_filesz && (prot & PROT_WRITE)) {
			size_t pad = PAGE_ALIGN(zero_start) - zero_start;
			if (pad && clear_user(zero_start, pad))
				return -EFAULT;
		}
	} else {
		map = zero_start = ALIGN_DOWN(addr, PAGE_SIZE);
		zero_end = zero_start + pgoff + p->p_memsz;
		if (total) {
			/* An image starting with bss: reserve its span first. */
			long r =
			    do_mmap(map, PAGE_ALIGN(total), PROT_NONE,
				    (flags & ~MAP_TYPE) | MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
			if (r < 0)
				return r;
			map = zero_start = (uaddr_t)r;
			zero_end = zero_start + pgoff + p->p_memsz;
		}
	}
	if (p->p_memsz > p->p_filesz) {
		zero_start = PAGE_ALIGN(zero_start);
		zero_end = PAGE_ALIGN(zero_end);
		if (zero_end > zero_start) {
			long r = do_mmap(zero_start, zero_end - zero_start,
					 PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
			if (r < 0)
				return r;
		}
	}
	return (long)map;
}

struct load_result {
	uaddr_t bias, brk, phdr, entry;
	uaddr_t start_code, end_code, start_data, end_data;
};

static int map_image(struct elf_image *img, uaddr_t bias, bool fixed_first, struct load_result *res)
{
	bool first = true;
	uint64_t total = total_mapping_size(img);
	res->start_code = UINT64_MAX;
	res->end_code = res->start_data = res->end_data = res->brk = 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		/* A segment set_brk could never handle (Linux: EINVAL, fatal here). */
		if (p->p_filesz > p->p_memsz || p->p_memsz > TASK_SIZE ||
		    bias + p->p_vaddr > TASK_SIZE - p->p_memsz)
			return -EINVAL;
		int prot = elf_prot(p->p_flags);
		int flags = MAP_PRIVATE;
		if (!first || fixed_first)
			flags |= first ? MAP_FIXED_NOREPLACE : MAP_FIXED;
		long r = elf_load(img->file, bias + p->p_vaddr, p, prot, flags, first ? total : 0);
		if (r < 0)
			return (int)r;
		if (first && img->eh.e_type == ET_DYN)
			bias += (uaddr_t)r - ALIGN_DOWN(bias + p->p_vaddr, PAGE_SIZE);
		first = false;
		uaddr_t s = p->p_vaddr, e = p->p_vaddr + p->p_filesz;
		if ((p->p_flags & PF_X) && s < res->start_code)
			res->start_code = s;
		if ((p->p_flags & PF_X) && e > res->end_code)
			res->end_code = e;
		if (!(p->p_flags & PF_X) && (p->p_flags & PF_W) && !res->start_data)
			res->start_data = s;
		if (e > res->end_data)
			res->end_data = e;
		if (p->p_vaddr + p->p_memsz > res->brk)
			res->brk = p->p_vaddr + p->p_memsz;
	}
	res->bias = bias;
	res->phdr = bias; /* Linux: the bias even when no segment holds the headers */
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		if (p->p_type == PT_LOAD && p->p_offset <= img->eh.e_phoff &&
		    img->eh.e_phoff < p->p_offset + p->p_filesz) {
			res->phdr = img->eh.e_phoff - p->p_offset + p->p_vaddr + bias;
			break;
		}
	}
	res->entry = img->eh.e_entry + bias;
	res->start_code += bias;
	res->end_code += bias;
	res->start_data += bias;
	res->end_data += bias;
	res->brk += bias;
	return 0;
}

static int read_interp_path(struct elf_image *img, char **out)
{
	*out = NULL;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		if (p->p_type != PT_INTERP)
			continue;
		if (p->p_filesz < 2 || p->p_filesz > PATH_MAX)
			return -ENOEXEC;
		char *path = kmalloc(p->p_filesz);
		if (!path)
			return -ENOMEM;
		loff_t pos = (loff_t)p->p_offset;
		if (kernel_read(img->file, path, p->p_filesz, &pos) != (long)p->p_filesz ||
		    path[p->p_filesz - 1]) {
			kfree(path);
			return -ENOEXEC;
		}
		*out = path;
		return 0;
	}
	return 0;
}

static bool exec_stack(const struct elf_image *img)
{
	for (int i = 0; i < img->eh.e_phnum; i++)
		if (img->ph[i].p_type == PT_GNU_STACK)
			return img->ph[i].p_flags & PF_X;
	return true;
}

/* The stack and mmap base, as Linux's arch_pick_mmap_layout computes them. */
static int setup_layout(struct mm *mm, bool randomize, bool xstack, uaddr_t *stack_top)
{
	uint64_t rlim = current->proc->rlim[RLIMIT_STACK].rlim_cur;
	/* Linux's stack grows up to RLIMIT_STACK and no further, even when that
	 * is less than the 128 KiB it first expands by. */
	uint64_t size = rlim == RLIM_INFINITY || rlim > (512UL << 20)
			    ? (512UL << 20)
			    : max(rlim, (uint64_t)PAGE_SIZE);
	size = PAGE_ALIGN(size);
	uint64_t stack_rnd = randomize ? (rand64() & 0x3fffff) << PAGE_SHIFT : 0;
	uaddr_t top = TASK_SIZE - stack_rnd;
	uint64_t gap = size + STACK_GUARD_GAP + (randomize ? (0x3fffffUL << PAGE_SHIFT) : 0);
	gap = max(gap, 128UL << 20);
	uint64_t mmap_rnd = randomize ? (rand64() & ((1UL << 28) - 1)) << PAGE_SHIFT : 0;
	mm->mmap_base = PAGE_ALIGN(TASK_SIZE - gap - mmap_rnd);
	mm->randomize = randomize;
	long r = do_mmap(top - size, size, PROT_READ | PROT_WRITE | (xstack ? PROT_EXEC : 0),
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, NULL, 0);
	if (r < 0)
		return (int)r;
	mm_set_name(top - size, "[stack]");
	*stack_top = top;
	mm->start_stack = top;
	return 0;
}

static void add_vdso(struct mm *mm)
{
	uaddr_t vvar, vdso, end;
	host_vdso_range(&vvar, &vdso, &end);
	if (!vdso || !vdso_offered())
		return;
	mm_add_special(mm, vvar, vdso, PROT_READ, "[vvar]");
	mm_add_special(mm, vdso, end, PROT_READ | PROT_EXEC, "[vdso]");
}

#define AUX(type, val)                                                                             \
	do {                                                                                       \
		auxv[n++] = (type);                                                                \
		auxv[n++] = (val);                                                                 \
	} while (0)

int load_elf_binary(struct linux_binprm *bprm)
{
	struct elf_image img, interp = {0};
	char *interp_path = NULL;
	int err = read_image(bprm->file, bprm->buf, &img);
	if (!err)
		err = read_interp_path(&img, &interp_path);
	if (!err && interp_path) {
		interp.file = open_exec(AT_FDCWD, interp_path, LOOKUP_FOLLOW);
		if (IS_ERR(interp.file)) {
			err = (int)PTR_ERR(interp.file);
			interp.file = NULL;
		} else {
			err = read_image(interp.file, NULL, &interp);
			if (!err && interp.eh.e_type != ET_DYN && interp.eh.e_type != ET_EXEC)
				err = -ELIBBAD;
		}
	}
	if (err)
		goto out;

	err = begin_new_exec(bprm);
	if (err)
		goto out;
	/* From here on the old image is gone: failures kill. */
	struct task *t = current;
	struct mm *mm = t->mm;
	bool randomize = !(t->personality & ADDR_NO_RANDOMIZE);
	uaddr_t stack_top = 0;
	if (setup_layout(mm, randomize, exec_stack(&img), &stack_top))
		goto fatal;
	add_vdso(mm);

	struct load_result main, ld = {0};
	uaddr_t bias = 0;
	bool fixed = img.eh.e_type == ET_EXEC;
	if (img.eh.e_type == ET_DYN && (interp.file || max_alignment(&img) > PAGE_SIZE)) {
		bias = ELF_ET_DYN_BASE;
		if (randomize)
			bias += (rand64() & ((1UL << 28) - 1)) << PAGE_SHIFT;
		bias = ALIGN_DOWN(bias, max_alignment(&img));
		uint64_t first_vaddr = 0;
		for (int i = 0; i < img.eh.e_phnum; i++)
			if (img.ph[i].p_type == PT_LOAD) {
				first_vaddr = img.ph[i].p_vaddr;
				break;
			}
		bias = ALIGN_DOWN(bias - first_vaddr, PAGE_SIZE);
		fixed = true;
	}
	if (map_image(&img, bias, fixed, &main))
		goto fatal;
	uaddr_t entry = main.entry, base = 0;
	if (interp.file) {
		if (map_image(&interp, 0, interp.eh.e_type == ET_EXEC, &ld))
			goto fatal;
		/* Its mappings keep the file, but only the program stays unwritable. */
		allow_write_access(interp.file);
		entry = ld.entry;
		base = ld.bias;
	}
	mm->start_code = main.start_code;
	mm->end_code = main.end_code;
	mm->start_data = main.start_data;
	mm->end_data = main.end_data;
	uaddr_t brk = PAGE_ALIGN(main.brk);
	if (img.eh.e_type == ET_DYN && !interp.file)
		brk = ELF_ET_DYN_BASE;
	if (randomize)
		brk += (rand64() % (32UL << 20)) & PAGE_MASK;
	mm->start_brk = mm->brk = brk;

	uaddr_t vvar, vdso, vdso_end;
	host_vdso_range(&vvar, &vdso, &vdso_end);
	uint64_t auxv[64];
	int n = 0;
	if (vdso && vdso_offered())
		AUX(AT_SYSINFO_EHDR, vdso);
	AUX(AT_MINSIGSTKSZ, host_xstate_size() + 4 + sizeof(struct linux_rt_sigframe) + 64);
	AUX(AT_HWCAP, host_hwcap());
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, USER_HZ);
	AUX(AT_PHDR, main.phdr);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, img.eh.e_phnum);
	AUX(AT_BASE, base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, main.entry);
	AUX(AT_UID, t->cred.uid);
	AUX(AT_EUID, t->cred.euid);
	AUX(AT_GID, t->cred.gid);
	AUX(AT_EGID, t->cred.egid);
	AUX(AT_SECURE, bprm->secure);
	AUX(AT_RANDOM, 0); /* filled in by create_elf_tables */
	AUX(AT_HWCAP2, host_hwcap2());
	AUX(AT_EXECFN, 0);
	AUX(AT_PLATFORM, 0);
	AUX(AT_NULL, 0);

	uaddr_t sp = stack_top;
	if (create_elf_tables(bprm, auxv, n, &sp))
		goto fatal;
	memcpy(mm->auxv, auxv, sizeof(uint64_t) * (size_t)n);
	mm->auxv_len = n;

	t->regs.rip = entry;
	t->regs.rsp = sp;
	t->regs.cs = USER_CS;
	t->regs.ss = USER_DS;
	t->regs.eflags = 0x202;
	t->regs.orig_rax = (uint64_t)-1;
	err = 0;
	goto out;
fatal:
	kfree(interp_path);
	kfree(img.ph);
	kfree(interp.ph);
	if (interp.file)
		fput(interp.file);
	bprm_free(bprm); /* the caller never gets it back */
	do_group_exit(SIGSEGV);
out:
	kfree(interp_path);
	kfree(img.ph);
	kfree(interp.ph);
	if (interp.file)
		fput(interp.file);
	return err;
}

static uint64_t *aux_slot(uint64_t *auxv, int n, uint64_t type)
{
	for (int i = 0; i < n; i += 2)
		if (auxv[i] == type)
			return &auxv[i + 1];
	return NULL;
}

/* The top of the new stack, laid out in a buffer and copied to the guest
 * in one go: [base, top) of the guest's addresses. */
struct stack_image {
	uaddr_t base, top;
	char *buf;
};

static uaddr_t stack_put(struct stack_image *img, uaddr_t *p, const void *src, size_t len)
{
	*p -= len;
	memcpy(img->buf + (*p - img->base), src, len);
	return *p;
}

static void put_strings(struct stack_image *img, uaddr_t *p, char **v, int count, uaddr_t *addrs)
{
	for (int i = count - 1; i >= 0; i--)
		addrs[i] = stack_put(img, p, v[i], strlen(v[i]) + 1);
}

static size_t strings_size(char **v, int count)
{
	size_t n = 0;
	for (int i = 0; i < count; i++)
		n += strlen(v[i]) + 1;
	return n;
}

/*
 * The stack, top down, as Linux builds it: 8 zero bytes, the exec file
 * name, envp strings, argv strings; then (aligned) the platform string and
 * 16 random bytes; then argc, argv[], NULL, envp[], NULL and the auxv,
 * with sp 16-byte aligned.
 */
int create_elf_tables(struct linux_binprm *bprm, uint64_t *auxv, int auxc, uaddr_t *spp)
{
	static const char platform_name[] = "x86_64";
	struct mm *mm = current->mm;
	size_t items = (size_t)(bprm->argc + 1) + (size_t)(bprm->envc + 1) + 1;
	size_t words = items + (size_t)auxc;
	size_t flen = strlen(bprm->filename) + 1;
	size_t size = sizeof(uint64_t) + flen + strings_size(bprm->argv, bprm->argc) +
		      strings_size(bprm->envp, bprm->envc) + 8192 + 16 + sizeof platform_name + 16 +
		      words * 8 + 16;
	struct stack_image img = {.top = *spp, .base = *spp - size, .buf = kzalloc(size)};
	uaddr_t *argp = kmalloc(sizeof(uaddr_t) * (size_t)(bprm->argc + bprm->envc + 1));
	if (!img.buf || !argp) {
		kfree(img.buf);
		kfree(argp);
		return -ENOMEM;
	}
	uaddr_t *envp = argp + bprm->argc;
	uaddr_t p = img.top - sizeof(uint64_t);
	uaddr_t execfn = stack_put(&img, &p, bprm->filename, flen);
	mm->env_end = p;
	put_strings(&img, &p, bprm->envp, bprm->envc, envp);
	mm->env_start = mm->arg_end = p;
	put_strings(&img, &p, bprm->argv, bprm->argc, argp);
	mm->arg_start = p;

	if (mm->randomize)
		p -= rand64() % 8192;
	p &= ~0xfULL;
	uaddr_t u_platform = stack_put(&img, &p, platform_name, sizeof platform_name);
	unsigned char rnd[16];
	host_random(rnd, sizeof rnd);
	*aux_slot(auxv, auxc, AT_RANDOM) = stack_put(&img, &p, rnd, sizeof rnd);
	*aux_slot(auxv, auxc, AT_EXECFN) = execfn;
	*aux_slot(auxv, auxc, AT_PLATFORM) = u_platform;

	uaddr_t sp = ((p - (uaddr_t)auxc * 8) - items * 8) & ~0xfULL;
	uint64_t *tab = (uint64_t *)(img.buf + (sp - img.base));
	size_t k = 0;
	tab[k++] = (uint64_t)bprm->argc;
	for (int i = 0; i < bprm->argc; i++)
		tab[k++] = argp[i];
	tab[k++] = 0;
	for (int i = 0; i < bprm->envc; i++)
		tab[k++] = envp[i];
	tab[k++] = 0;
	memcpy(tab + k, auxv, (size_t)auxc * 8);
	/* Nothing reads the new stack back before the program runs: it may
	 * cross with the hand-off that starts it. */
	int err = copy_result_to_user(sp, img.buf + (sp - img.base), img.top - sp);
	kfree(img.buf);
	kfree(argp);
	if (err)
		return err;
	*spp = sp;
	return 0;
}
