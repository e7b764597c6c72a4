/*
 * Core dumps, as Linux writes them with core_pattern "core": an ELF core
 * file named "core" in the process's working directory, with every
 * thread's registers (the dumping thread's first), the process's identity,
 * the signal and auxv in notes, and the memory Linux's default
 * coredump_filter keeps (anonymous and written private memory whole, the
 * first page of mapped ELF files). The wait status says "core dumped" only
 * when the file was written.
 */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "uaccess.h"
#include "fs.h"
#include "mm.h"
#include "coredump.h"
#include "uapi/elf.h"

#define NT_PRSTATUS 1
#define NT_FPREGSET 2
#define NT_PRPSINFO 3
#define NT_AUXV	    6
#define NT_SIGINFO  0x53494749
#define FXSAVE_SIZE 512

/* struct elf_prstatus of x86-64 */
struct core_prstatus {
	int32_t si_signo, si_code, si_errno;
	int16_t cursig;
	uint64_t sigpend, sighold;
	int32_t pid, ppid, pgrp, sid;
	int64_t utime[2], stime[2], cutime[2], cstime[2];
	struct user_regs regs;
	int32_t fpvalid;
};

/* struct elf_prpsinfo of x86-64 */
struct core_prpsinfo {
	char state, sname, zomb, nice;
	uint64_t flag;
	uint32_t uid, gid;
	int32_t pid, ppid, pgrp, sid;
	char fname[16];
	char psargs[80];
};

struct core_note {
	uint32_t type;
	const void *desc;
	uint32_t size;
};

struct core_out {
	struct file *file;
	loff_t pos;
	uint64_t limit; /* RLIMIT_CORE */
	bool failed;
};

static void emit(struct core_out *o, const void *buf, size_t len)
{
	if (o->failed || (uint64_t)o->pos + len > o->limit ||
	    kernel_write(o->file, buf, len, &o->pos) != (long)len)
		o->failed = true;
}

static void emit_zeros(struct core_out *o, size_t len)
{
	static const char zeros[PAGE_SIZE];
	while (len && !o->failed) {
		size_t n = min(len, sizeof zeros);
		emit(o, zeros, n);
		len -= n;
	}
}

static size_t note_size(const struct core_note *n)
{
	return sizeof(Elf64_Nhdr) + 8 + ALIGN_UP(n->size, 4);
}

static void emit_note(struct core_out *o, const struct core_note *n)
{
	Elf64_Nhdr h = {.n_namesz = 5, .n_descsz = n->size, .n_type = n->type};
	emit(o, &h, sizeof h);
	emit(o, "CORE\0\0\0", 8);
	emit(o, n->desc, n->size);
	emit_zeros(o, ALIGN_UP(n->size, 4) - n->size);
}

/* How much of a mapping the dump keeps (Linux's vma_dump_size with the
 * default filter): anonymous memory and private file mappings that are or
 * were writable (their written copies) whole, the ELF header page of a
 * mapped file, nothing of other file mappings. */
static uint64_t dump_size(const struct vma *v)
{
	if (!(v->prot & PROT_READ) || (v->name && !strcmp(v->name, "[vvar]")))
		return 0;
	if (!v->file || (v->prot & PROT_WRITE) || (v->vm_flags & VM_PRIVATE_WRITE))
		return v->end - v->start;
	unsigned char magic[4];
	if (v->pgoff == 0 && !copy_from_user(magic, v->start, sizeof magic) &&
	    !memcmp(magic, ELFMAG, 4))
		return PAGE_SIZE;
	return 0;
}

static void emit_memory(struct core_out *o, uaddr_t start, uint64_t len)
{
	static char page[PAGE_SIZE];
	for (uint64_t off = 0; off < len && !o->failed; off += PAGE_SIZE) {
		/* A page the guest cannot read (a guard page) is a hole. */
		if (copy_from_user(page, start + off, PAGE_SIZE))
			emit_zeros(o, PAGE_SIZE);
		else
			emit(o, page, PAGE_SIZE);
	}
}

static void fill_prstatus(struct core_prstatus *s, struct task *t, int sig,
			  const struct linux_siginfo *info)
{
	struct process *p = t->proc;
	memset(s, 0, sizeof *s);
	s->si_signo = s->cursig = (int16_t)sig;
	s->si_code = info->si_code;
	s->si_errno = info->si_errno;
	s->sigpend = t->pending.signal | p->shared_pending.signal;
	s->sighold = t->blocked;
	s->pid = t->tid;
	s->ppid = p->parent ? p->parent->pid : 0;
	s->pgrp = p->pgid;
	s->sid = p->sid;
	s->utime[0] = t->utime_ns / NSEC_PER_SEC;
	s->utime[1] = t->utime_ns % NSEC_PER_SEC / 1000;
	s->stime[0] = t->stime_ns / NSEC_PER_SEC;
	s->stime[1] = t->stime_ns % NSEC_PER_SEC / 1000;
	s->regs = t->regs;
	s->fpvalid = 1;
}

/* A thread's state for the core file, saved as it stops. */
struct core_thread {
	struct core_thread *next;
	struct core_prstatus status;
	char fpu[FXSAVE_SIZE];
};

void core_thread_park(struct task *t)
{
	struct process *p = t->proc;
	static const struct linux_siginfo none;
	struct core_thread *c = kzalloc(sizeof *c);
	if (c) {
		fill_prstatus(&c->status, t, 0, &none); /* the signal: when written */
		if (!t->host || platform->get_fpu(t->host, c->fpu, sizeof c->fpu))
			memset(c->fpu, 0, sizeof c->fpu);
		c->next = p->core_threads;
		p->core_threads = c;
	}
	p->core_parked++;
	task_wake(p->core_dumper);
	while (p->core_dumper)
		schedule();
}

static void fill_prpsinfo(struct core_prpsinfo *ps, struct task *t)
{
	struct process *p = t->proc;
	struct mm *mm = t->mm;
	memset(ps, 0, sizeof *ps);
	ps->state = 0;
	ps->sname = 'R';
	ps->uid = t->cred.uid;
	ps->gid = t->cred.gid;
	ps->pid = p->pid;
	ps->ppid = p->parent ? p->parent->pid : 0;
	ps->pgrp = p->pgid;
	ps->sid = p->sid;
	memcpy(ps->fname, t->comm, min(sizeof ps->fname, sizeof t->comm));
	/* The command line, its NULs as spaces. */
	size_t n = min(mm->arg_end - mm->arg_start, sizeof ps->psargs - 1);
	if (copy_from_user(ps->psargs, mm->arg_start, n))
		n = 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (!ps->psargs[i])
			ps->psargs[i] = ' ';
}

static void emit_headers(struct core_out *o, struct mm *mm, int nphdr, size_t notes_size)
{
	Elf64_Ehdr eh = {.e_type = ET_CORE,
			 .e_machine = EM_X86_64,
			 .e_version = EV_CURRENT,
			 .e_phoff = sizeof eh,
			 .e_ehsize = sizeof eh,
			 .e_phentsize = sizeof(Elf64_Phdr),
			 .e_phnum = (uint16_t)nphdr};
	memcpy(eh.e_ident, ELFMAG, 4);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	emit(o, &eh, sizeof eh);
	uint64_t off = sizeof eh + (uint64_t)nphdr * sizeof(Elf64_Phdr);
	Elf64_Phdr note = {.p_type = PT_NOTE, .p_offset = off, .p_filesz = notes_size};
	emit(o, &note, sizeof note);
	off = ALIGN_UP(off + notes_size, PAGE_SIZE);
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list) {
		uint64_t size = dump_size(v);
		Elf64_Phdr ph = {.p_type = PT_LOAD,
				 .p_flags = (v->prot & PROT_READ ? PF_R : 0) |
					    (v->prot & PROT_WRITE ? PF_W : 0) |
					    (v->prot & PROT_EXEC ? PF_X : 0),
				 .p_offset = off,
				 .p_vaddr = v->start,
				 .p_filesz = size,
				 .p_memsz = v->end - v->start,
				 .p_align = PAGE_SIZE};
		emit(o, &ph, sizeof ph);
		off += size;
	}
}

/* The dumping thread's notes, then each other thread's registers. */
static void write_core(struct core_out *o, struct task *t, int sig,
		       const struct linux_siginfo *info)
{
	struct mm *mm = t->mm;
	struct core_prstatus status;
	struct core_prpsinfo psinfo;
	static char fpu[FXSAVE_SIZE];
	fill_prstatus(&status, t, sig, info);
	fill_prpsinfo(&psinfo, t);
	if (platform->get_fpu(t->host, fpu, sizeof fpu))
		memset(fpu, 0, sizeof fpu);
	const struct core_note own[] = {
	    {NT_PRSTATUS, &status, sizeof status},
	    {NT_PRPSINFO, &psinfo, sizeof psinfo},
	    {NT_SIGINFO, info, sizeof *info},
	    {NT_AUXV, mm->auxv, (uint32_t)(mm->auxv_len * sizeof mm->auxv[0])},
	    {NT_FPREGSET, fpu, sizeof fpu},
	};
	size_t notes_size = 0;
	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		notes_size += note_size(&own[i]);
	for (struct core_thread *c = t->proc->core_threads; c; c = c->next) {
		c->status.si_signo = c->status.cursig = (int16_t)sig;
		c->status.si_code = info->si_code;
		c->status.si_errno = info->si_errno;
		notes_size += note_size(&(struct core_note){NT_PRSTATUS, NULL, sizeof c->status}) +
			      note_size(&(struct core_note){NT_FPREGSET, NULL, sizeof c->fpu});
	}
	int nphdr = 1;
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list)
		nphdr++;
	emit_headers(o, mm, nphdr, notes_size);
	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		emit_note(o, &own[i]);
	for (struct core_thread *c = t->proc->core_threads; c; c = c->next) {
		emit_note(o, &(struct core_note){NT_PRSTATUS, &c->status, sizeof c->status});
		emit_note(o, &(struct core_note){NT_FPREGSET, c->fpu, sizeof c->fpu});
	}
	emit_zeros(o, ALIGN_UP(o->pos, PAGE_SIZE) - o->pos);
	list_for_each_entry(v, &mm->vmas, list)
		emit_memory(o, v->start, dump_size(v));
}

/* "core" in the working directory, replacing a file of the same owner
 * (Linux unlinks and creates anew; a link or another's file stops it). */
static struct file *open_core(void)
{
	struct file *f = filp_open("core", O_CREAT | O_WRONLY | O_NOFOLLOW | O_TRUNC, 0600);
	if (IS_ERR(f))
		return NULL;
	struct inode *i = f->inode;
	if (!S_ISREG(i->mode) || i->nlink != 1 || i->uid != current->cred.fsuid) {
		fput(f);
		return NULL;
	}
	return f;
}

static int dump_core(int sig, const struct linux_siginfo *info)
{
	struct task *t = current;
	struct process *p = t->proc;
	uint64_t limit = p->rlim[RLIMIT_CORE].rlim_cur;
	if (!p->dumpable || limit < PAGE_SIZE || !t->mm)
		return 0;
	struct core_out o = {.file = open_core(), .limit = limit};
	if (!o.file)
		return 0;
	while (p->core_parked < p->nr_threads - 1)
		schedule();
	write_core(&o, t, sig, info);
	fput(o.file);
	return o.failed ? 0 : WCOREFLAG;
}

int do_coredump(int sig, const struct linux_siginfo *info)
{
	struct process *p = current->proc;
	p->core_dumper = current;
	start_group_exit(sig);
	int status = dump_core(sig, info);
	p->core_dumper = NULL;
	while (p->core_threads) {
		struct core_thread *c = p->core_threads;
		p->core_threads = c->next;
		kfree(c);
	}
	struct task *x;
	for_each_thread(p, x)
		if (x != current)
			task_wake(x);
	return status;
}
