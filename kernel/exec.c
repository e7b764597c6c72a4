/*
 * execve and execveat: arguments, #! scripts, the point of no return.
 * The ELF image itself is mapped by mm/elf.c.
 */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "binfmt.h"
#include "fs.h"
#include "mm.h"
#include "uapi/elf.h"
#include "uapi/sched.h"

static void free_strings(char **v, int n)
{
	if (!v)
		return;
	for (int i = 0; i < n; i++)
		kfree(v[i]);
	kfree(v);
}

void bprm_free(struct linux_binprm *bprm)
{
	free_strings(bprm->argv, bprm->argc);
	free_strings(bprm->envp, bprm->envc);
	if (bprm->file)
		fput(bprm->file);
	kfree(bprm->filename);
	kfree(bprm->interp);
	bprm->argv = bprm->envp = NULL;
	bprm->argc = bprm->envc = 0;
	bprm->file = NULL;
	bprm->filename = bprm->interp = NULL;
}

/* Linux's bprm_stack_limits: a quarter of the stack limit (at most 6 MiB,
 * at least ARG_MAX) for the strings and their pointers. */
static size_t arg_limit(void)
{
	uint64_t stack = current->proc->rlim[RLIMIT_STACK].rlim_cur;
	size_t limit = stack / 4 < (6UL << 20) ? (size_t)(stack / 4) : (6UL << 20);
	return max(limit, (size_t)(32 * 4096));
}

/* Called as strings are added: the counts only grow, so the last call
 * checks the final totals. */
static int account_string(struct linux_binprm *bprm, size_t len)
{
	if (len > MAX_ARG_STRLEN)
		return -E2BIG;
	bprm->strings_size += len;
	size_t ptrs = (size_t)(max(bprm->argc, 1) + bprm->envc) * sizeof(uint64_t);
	if (ptrs >= arg_limit() || bprm->strings_size > arg_limit() - ptrs)
		return -E2BIG;
	/* Linux copies them onto a temporary stack that cannot grow past
	 * RLIMIT_STACK (with the 8-byte end marker): small limits bite here. */
	uint64_t stack = current->proc->rlim[RLIMIT_STACK].rlim_cur;
	if (stack != RLIM_INFINITY && PAGE_ALIGN(bprm->strings_size + 8) > stack)
		return -E2BIG;
	return 0;
}

/*
 * Reads execve's arguments: the pointer arrays and the strings each through
 * a page of their own (they usually lie apart), each string into a scratch
 * buffer that grows to MAX_ARG_STRLEN only for a string longer than a page.
 */
struct arg_reader {
	struct user_pages ptrs, strs;
	char *buf;
	size_t cap;
};

static long read_arg_string(struct arg_reader *r, uaddr_t p)
{
	long len = strncpy_from_user_pages(&r->strs, r->buf, p, r->cap);
	if (len != -ENAMETOOLONG || r->cap > MAX_ARG_STRLEN)
		return len;
	char *big = realloc(r->buf, MAX_ARG_STRLEN + 1);
	if (!big)
		return -ENOMEM;
	r->buf = big;
	r->cap = MAX_ARG_STRLEN + 1;
	return strncpy_from_user_pages(&r->strs, r->buf, p, r->cap);
}

/* Copies a NULL-terminated array of guest strings. */
static int copy_strings(struct linux_binprm *bprm, struct arg_reader *r, uaddr_t uv, char ***out,
			int *count)
{
	*out = NULL;
	*count = 0;
	if (!uv)
		return 0;
	int n = 0, cap = 0;
	char **v = NULL;
	for (;;) {
		uint64_t p;
		if (copy_from_user_pages(&r->ptrs, &p, uv + (uaddr_t)n * 8, sizeof p))
			goto fault;
		if (!p)
			break;
		if (n >= 0x7fffffff / 8)
			goto big;
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			char **nv = realloc(v, sizeof *v * (size_t)cap);
			if (!nv)
				goto nomem;
			v = nv;
		}
		long len = read_arg_string(r, p);
		if (len == -ENAMETOOLONG)
			goto big;
		if (len == -ENOMEM)
			goto nomem;
		if (len < 0)
			goto fault;
		if (!(v[n] = kmalloc((size_t)len + 1)))
			goto nomem;
		memcpy(v[n++], r->buf, (size_t)len + 1);
		*count = n;
		*out = v;
		int err = account_string(bprm, (size_t)len + 1);
		if (err)
			return err;
	}
	*out = v;
	*count = n;
	return 0;
fault:
	*out = v;
	*count = n;
	return -EFAULT;
big:
	*out = v;
	*count = n;
	return -E2BIG;
nomem:
	*out = v;
	*count = n;
	return -ENOMEM;
}

struct file *open_exec(int dfd, const char *name, unsigned lookup_flags)
{
	unsigned nofollow = (lookup_flags & LOOKUP_FOLLOW) ? 0 : O_NOFOLLOW;
	struct file *f =
	    do_filp_open(dfd, name, O_RDONLY | O_LARGEFILE | nofollow, 0, lookup_flags);
	if (IS_ERR(f))
		return f;
	int err = 0;
	if (!S_ISREG(f->inode->mode) || (f->path.mnt->flags & MNT_NOEXEC))
		err = -EACCES;
	else
		err = inode_permission(f->inode, MAY_EXEC);
	/* Held while the file is the exec's or a process's exe_file; the
	 * interpreter's is dropped once it is loaded. */
	if (!err)
		err = deny_write_access(f);
	if (err) {
		fput(f);
		return ERR_PTR(err);
	}
	return f;
}

static int prepend_arg(struct linux_binprm *bprm, const char *s)
{
	char **nv = realloc(bprm->argv, sizeof *nv * (size_t)(bprm->argc + 2));
	if (!nv)
		return -ENOMEM;
	bprm->argv = nv;
	memmove(nv + 1, nv, sizeof *nv * (size_t)bprm->argc);
	if (!(nv[0] = kstrdup(s)))
		return -ENOMEM;
	bprm->argc++;
	return account_string(bprm, strlen(s) + 1);
}

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * "#!interp [arg]": argv becomes interp, [arg], the script's path, argv[1..].
 * Parsed as Linux's binfmt_script: the line is what precedes a newline in
 * the first BINPRM_BUF_SIZE - 1 bytes; without a newline the interpreter
 * name must end (space, tab or NUL) inside them, while the argument may
 * be cut short; spaces and tabs around both are dropped.
 */
static int load_script(struct linux_binprm *bprm)
{
	char line[BINPRM_BUF_SIZE];
	memcpy(line, bprm->buf, BINPRM_BUF_SIZE);
	char *end = line + BINPRM_BUF_SIZE - 1;
	char *nl = memchr(line, '\n', BINPRM_BUF_SIZE);
	if (nl) {
		end = nl;
	} else {
		char *p = line + 2;
		while (p < end && spacetab(*p))
			p++;
		if (p == end)
			return -ENOEXEC; /* nothing but spaces */
		while (p < end && *p && !spacetab(*p))
			p++;
		if (p == end && *end && !spacetab(*end))
			return -ENOEXEC; /* the interpreter's name may be cut short */
	}
	while (end > line + 2 && spacetab(end[-1]))
		end--;
	*end = 0;
	char *interp = line + 2;
	while (interp < end && spacetab(*interp))
		interp++;
	if (interp == end)
		return -ENOEXEC;
	char *p = interp, *arg = NULL;
	while (p < end && *p && !spacetab(*p))
		p++;
	if (p < end && *p) {
		*p++ = 0;
		while (p < end && spacetab(*p))
			p++;
		if (p < end)
			arg = p;
	}
	/* An empty name (a NUL right after "#!") opens the working directory,
	 * as in Linux: EACCES. */
	if (++bprm->depth > 5) /* Linux: five rewrites of the interpreter */
		return -ELOOP;
	/* argv[0] is replaced by the script's path, then arg, then interp. */
	if (bprm->argc) {
		kfree(bprm->argv[0]);
		memmove(bprm->argv, bprm->argv + 1, sizeof(char *) * (size_t)--bprm->argc);
	}
	int err = prepend_arg(bprm, bprm->interp ? bprm->interp : bprm->filename);
	if (!err && arg)
		err = prepend_arg(bprm, arg);
	if (!err)
		err = prepend_arg(bprm, interp);
	if (err)
		return err;
	/* A nested #! pushes this interpreter's name, not the first script's. */
	kfree(bprm->interp);
	if (!(bprm->interp = kstrdup(interp)))
		return -ENOMEM;
	struct file *f = open_exec(AT_FDCWD, interp, LOOKUP_FOLLOW | LOOKUP_EMPTY);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	fput(bprm->file);
	bprm->file = f;
	return 0;
}

static int read_head(struct linux_binprm *bprm)
{
	loff_t pos = 0;
	memset(bprm->buf, 0, sizeof bprm->buf);
	long n = kernel_read(bprm->file, bprm->buf, sizeof bprm->buf, &pos);
	return n < 0 ? (int)n : 0;
}

/* Set-user-ID and set-group-ID bits, unless the mount says nosuid. */
static void setid_creds(struct linux_binprm *bprm)
{
	struct inode *inode = bprm->file->inode;
	bprm->cred = current->cred;
	/* With no_new_privs an execve grants nothing: set-id bits are ignored. */
	if (!(bprm->file->path.mnt->flags & MNT_NOSUID) && !current->no_new_privs) {
		if (inode->mode & S_ISUID)
			bprm->cred.euid = inode->uid;
		if ((inode->mode & (S_ISGID | 0010)) == (S_ISGID | 0010))
			bprm->cred.egid = inode->gid;
	}
	bprm->cred.keep_caps = false; /* PR_SET_KEEPCAPS lasts until execve */
}

#define VFS_CAP_REVISION_MASK	0xff000000U
#define VFS_CAP_REVISION_2	0x02000000U
#define VFS_CAP_REVISION_3	0x03000000U
#define VFS_CAP_FLAGS_EFFECTIVE 0x000001U
#define SECBIT_NOROOT		(1U << 0)

/* A file's capabilities (security.capability). */
struct file_caps {
	bool present, effective;
	uint64_t permitted, inheritable;
};

/* Revisions 2 and 3 (the latter only with root id 0: others belong to
 * user namespaces). A malformed one fails the exec, as in Linux. */
static int read_file_caps(struct file *f, struct file_caps *fc)
{
	memset(fc, 0, sizeof *fc);
	struct dentry *d = f->path.dentry;
	const struct inode_operations *iop = d->inode->i_op;
	uint32_t v[6];
	if ((f->path.mnt->flags & MNT_NOSUID) || !iop || !iop->getxattr)
		return 0;
	long n = iop->getxattr(d, "security.capability", v, sizeof v);
	if (n < 0)
		return n == -ERANGE ? -EINVAL : 0;
	uint32_t revision = n >= 4 ? v[0] & VFS_CAP_REVISION_MASK : 0;
	if (!((revision == VFS_CAP_REVISION_2 && n == 20) ||
	      (revision == VFS_CAP_REVISION_3 && n == 24))) {
		pr_notice("Invalid argument reading file caps for %s\n", d->name);
		return -EINVAL;
	}
	if (revision == VFS_CAP_REVISION_3 && v[5] != 0)
		return 0;
	fc->present = true;
	fc->effective = v[0] & VFS_CAP_FLAGS_EFFECTIVE;
	fc->permitted = (v[1] | (uint64_t)v[3] << 32) & CAP_FULL_SET;
	fc->inheritable = (v[2] | (uint64_t)v[4] << 32) & CAP_FULL_SET;
	return 0;
}

/*
 * The new program's capabilities, by Linux's rules (security/commoncap.c):
 * pP' = (X & fP) | (pI & fI) | pA', where a real or effective root counts
 * as having every file capability; pE' = pP' if the file's effective bit
 * is set (or the new euid is root), else pA'; file capabilities or set-id
 * bits clear pA'. Run with other ids or new capabilities, the program is
 * "secure" (AT_SECURE).
 */
static int exec_capabilities(struct linux_binprm *bprm)
{
	const struct cred *was = &current->cred;
	struct cred *c = &bprm->cred;
	struct file_caps fc;
	int err = read_file_caps(bprm->file, &fc);
	if (err)
		return err;
	bool effective = fc.effective;
	uint64_t fp = fc.permitted, fi = fc.inheritable;
	c->cap_permitted = (c->cap_bset & fp) | (c->cap_inheritable & fi);
	if (effective && (fp & ~c->cap_permitted))
		return -EPERM; /* a capability the program counts on would be missing */
	bool real_root = c->uid == 0, eff_root = c->euid == 0;
	/* A set-user-ID-root program with file capabilities gets only those. */
	bool suid_root_fcaps = fc.present && eff_root && !real_root;
	bool root_counts = !(c->securebits & SECBIT_NOROOT);
	if (root_counts && !suid_root_fcaps) {
		if (eff_root || real_root)
			c->cap_permitted = was->cap_bset | was->cap_inheritable;
		effective |= eff_root;
	}
	bool setid = c->euid != was->uid || c->egid != was->gid;
	if ((setid || (c->cap_permitted & ~was->cap_permitted)) && current->no_new_privs) {
		c->euid = c->uid;
		c->egid = c->gid;
		c->cap_permitted &= was->cap_permitted;
	}
	c->suid = c->fsuid = c->euid;
	c->sgid = c->fsgid = c->egid;
	if (fc.present || setid)
		c->cap_ambient = 0;
	c->cap_permitted |= c->cap_ambient;
	c->cap_effective = effective ? c->cap_permitted : c->cap_ambient;
	bool grew = c->cap_permitted & ~c->cap_ambient;
	bprm->secure = setid || (!real_root && (effective || grew));
	return 0;
}

static int exec_binprm(struct linux_binprm *bprm)
{
	for (;;) {
		int err = read_head(bprm);
		if (err)
			return err;
		if (bprm->buf[0] == '#' && bprm->buf[1] == '!') {
			err = load_script(bprm);
			if (err)
				return err;
			continue;
		}
		if (!memcmp(bprm->buf, ELFMAG, 4)) {
			/* The credentials come from the program, never from a script. */
			setid_creds(bprm);
			err = exec_capabilities(bprm);
			return err ? err : load_elf_binary(bprm);
		}
		return -ENOEXEC;
	}
}

/* Other threads die before the image is replaced, and the exec'ing thread
 * becomes the process: its thread id turns into the process id. */
static int de_thread(struct task *t)
{
	struct process *p = t->proc;
	if (p->nr_threads == 1)
		return 0;
	struct task *x;
	for_each_thread(p, x)
		if (x != t) {
			x->state = TASK_EXITING;
			x->exit_code = 0;
			signal_wake_up(x);
		}
	p->group_exec_task = t;
	while (p->nr_threads > 1 && !p->group_exiting)
		schedule();
	p->group_exec_task = NULL;
	if (p->group_exiting)
		return -EAGAIN; /* a fatal signal or exit_group won the race */
	if (!task_is_leader(t)) {
		struct process *c;
		list_for_each_entry(c, &p->children, sibling)
			if (c->parent_tid == t->tid)
				c->parent_tid = p->pid;
		detach_task_pid(t);
		free_pid(t->tid);
		t->tid = p->pid;
		attach_task_pid(t);
	}
	return 0;
}

/*
 * Whether the new program may take over the old one's host process rather
 * than a fresh stub (the cost of a new host process is most of an exec).
 * Anything the old program could have left behind in it (a host thread or
 * process made behind umk's back) must gain nothing: so the new program
 * runs with no credential the old one lacked, from a file the old one
 * could read, and no other process shares the memory.
 */
static bool exec_keeps_host(const struct linux_binprm *bprm)
{
	const struct task *t = current;
	const struct cred *old = &t->cred, *new = &bprm->cred;
	return platform->reset && t->host && t->mm && t->mm->refcount == t->proc->nr_threads &&
	       new->euid == old->euid &&new->egid == old->egid &&
	       !(new->cap_effective & ~old->cap_effective) &&
	       !(new->cap_permitted & ~old->cap_permitted) &&
	       inode_permission(bprm->file->inode, 4 /* MAY_READ */) == 0;
}

/* The new program's host thread: t's own emptied (kept is NULL), or a
 * fresh one, which replaces t's. */
static int exec_host(struct task *t, struct host_thread *fresh)
{
	/* A kept host thread forgets the old program's rseq area, as execve
	 * does: the host would go on writing into the new image. One that
	 * cannot (the area is gone) is not kept. */
	bool keep = !fresh;
	if (keep && t->rseq.area)
		keep = host_stub_rseq(t->host, t->rseq.area, t->rseq.len, RSEQ_FLAG_UNREGISTER,
				      t->rseq.sig) == 0;
	t->rseq.area = 0;
	if (keep && platform->reset(t->host) == 0)
		return 0;
	if (!fresh) {
		int err = platform->spawn(&fresh);
		if (err)
			return err;
	}
	if (t->host) {
		update_maxrss(t); /* Linux keeps the peak across exec */
		platform->release(t->host);
	}
	t->host = fresh;
	return 0;
}

int begin_new_exec(struct linux_binprm *bprm)
{
	struct task *t = current;
	struct host_thread *host = NULL;
	int err = exec_keeps_host(bprm) ? 0 : platform->spawn(&host);
	if (err)
		return err;
	struct mm *mm = mm_alloc();
	if (!mm) {
		if (host)
			platform->release(host);
		return -ENOMEM;
	}
	if ((err = de_thread(t))) {
		mm_put(mm);
		if (host)
			platform->release(host);
		return err;
	}
	/* The old image goes: futexes and clear_child_tid as at exit. */
	mm_release(t);
	if ((err = exec_host(t, host))) {
		mm_put(mm);
		return err;
	}
	host_thread_set_cpus(t->host, t->cpu_mask);
	if (t->mm)
		mm_put(t->mm);
	t->mm = mm;
	mm->exe_file = get_file(bprm->file);
	vfork_release(t);

	unshare_files(t); /* on failure the table stays shared, as before the exec */
	files_close_on_exec(t->files);
	if (t->sighand->refcount > 1) {
		struct sighand *sh = kmalloc(sizeof *sh);
		if (sh) {
			*sh = *t->sighand;
			sh->refcount = 1;
			t->sighand->refcount--;
			t->sighand = sh;
		}
	}
	flush_signal_handlers(t);
	t->sas.ss_sp = 0;
	t->sas.ss_size = 0;
	t->sas.ss_flags = SS_DISABLE;
	const char *base = strrchr(bprm->filename, '/');
	base = base ? base + 1 : bprm->filename;
	memset(t->comm, 0, sizeof t->comm);
	strncpy(t->comm, base, sizeof t->comm - 1);
	t->cred = bprm->cred;
	/* A new image is dumpable again, unless it runs with other ids; a
	 * secure one (other ids or new capabilities) forgets the parent-death
	 * signal (Linux's begin_new_exec). */
	t->proc->dumpable = t->cred.euid == t->cred.uid && t->cred.egid == t->cred.gid;
	if (bprm->secure)
		t->pdeath_signal = 0;
	t->proc->did_exec = true;
	exit_itimers(t->proc);
	memset(&t->regs, 0, sizeof t->regs);
	return 0;
}

static long do_execveat(int dfd, const char *name, uaddr_t uargv, uaddr_t uenvp, int flags,
			const char *const *kargv, const char *const *kenvp)
{
	struct linux_binprm bprm;
	memset(&bprm, 0, sizeof bprm);
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
		      (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0);
	long err;
	if (kargv) {
		for (; kargv[bprm.argc]; bprm.argc++)
			;
		for (; kenvp[bprm.envc]; bprm.envc++)
			;
		bprm.argv = kmalloc(sizeof(char *) * (size_t)(bprm.argc + 1));
		bprm.envp = kmalloc(sizeof(char *) * (size_t)(bprm.envc + 1));
		for (int i = 0; i < bprm.argc; i++)
			bprm.argv[i] = kstrdup(kargv[i]);
		for (int i = 0; i < bprm.envc; i++)
			bprm.envp[i] = kstrdup(kenvp[i]);
	} else {
		struct arg_reader *r = kmalloc(sizeof *r);
		if (!r || !(r->buf = kmalloc(PAGE_SIZE))) {
			kfree(r);
			err = -ENOMEM;
			goto out;
		}
		r->cap = PAGE_SIZE;
		user_pages_init(&r->ptrs);
		user_pages_init(&r->strs);
		err = copy_strings(&bprm, r, uargv, &bprm.argv, &bprm.argc);
		if (!err)
			err = copy_strings(&bprm, r, uenvp, &bprm.envp, &bprm.envc);
		kfree(r->buf);
		kfree(r);
		if (err)
			goto out;
	}
	if (*name == '/' || dfd == AT_FDCWD)
		bprm.filename = kstrdup(name);
	else if (!*name)
		bprm.filename = kasprintf("/dev/fd/%d", dfd);
	else
		bprm.filename = kasprintf("/dev/fd/%d/%s", dfd, name);
	if (!bprm.filename) {
		err = -ENOMEM;
		goto out;
	}
	err = account_string(&bprm, strlen(bprm.filename) + 1);
	if (err)
		goto out;
	bprm.file = open_exec(dfd, name, lf);
	if (IS_ERR(bprm.file)) {
		err = PTR_ERR(bprm.file);
		bprm.file = NULL;
		goto out;
	}
	err = exec_binprm(&bprm);
out:
	bprm_free(&bprm);
	return err;
}

long kernel_execve(const char *filename, const char *const *argv, const char *const *envp)
{
	return do_execveat(AT_FDCWD, filename, 0, 0, 0, argv, envp);
}

SYSCALL_DEFINE3(execve, uaddr_t, ufilename, uaddr_t, uargv, uaddr_t, uenvp)
{
	char *name = getname(ufilename);
	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = do_execveat(AT_FDCWD, name, uargv, uenvp, 0, NULL, NULL);
	kfree(name);
	return err;
}

SYSCALL_DEFINE5(execveat, int, dfd, uaddr_t, ufilename, uaddr_t, uargv, uaddr_t, uenvp, int, flags)
{
	bool empty;
	char *name = getname_empty_ok(ufilename, &empty);
	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = (empty && !(flags & AT_EMPTY_PATH))
		       ? -ENOENT
		       : do_execveat(dfd, name, uargv, uenvp, flags, NULL, NULL);
	kfree(name);
	return err;
}
