/*
 * Syscall-site patching: a site that keeps trapping is rewritten into a
 * jump into the stub, which skips the signal (docs/seccomp.md).
 *
 * Only two sequences are patched, each 7 bytes ending in the syscall:
 *   b8 NN NN NN NN 0f 05   mov $nr,%eax; syscall    (nr the trapped number)
 *   4c 8b 4c 24 08 0f 05   mov 0x8(%rsp),%r9; syscall   (glibc's syscall())
 * and only inside read-only, executable, private file mappings, which the
 * platform tracks from the memory calls it makes for the kernel. Both
 * become
 *   ff 24 25 P0 P1 06 00   jmp *PTR   (PTR = STUB_PATCH_BASE + 32 * site)
 * whose pointer leads to the site's trampoline in the stub (entry.S). The
 * byte where the syscall instruction began is 0x06, invalid in 64-bit
 * code: a thread that jumps there (or already ran the old mov) traps, and
 * is served as the system call it meant.
 *
 * The rewrite goes tail first, then an int3 at the head, then the middle,
 * then the head, with every CPU running the address space serialized in
 * between (membarrier SYNC_CORE), so a thread running the site meanwhile
 * sees the old sequence, a trapping one, or the new one. One that hits the
 * int3 is sent back to the head. Unpatching goes the same way backwards.
 * A thread alone in its address space, stopped here, runs nothing
 * meanwhile: its sites are written in one go.
 * A guest reading its own code may see the patch, as under gVisor.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "seccomp.h"
#include "stub_syms.h"

#define SITE_LEN  7
#define HOT_TRAPS 3 /* a site is patched at its third trap */
#define HOT_SLOTS 64

enum kind { KIND_NR, KIND_R9 };
enum state { SITE_DEAD, SITE_MOVING, SITE_LIVE };

struct sc_site {
	uint64_t addr;
	unsigned char orig[SITE_LEN];
	unsigned char kind, state;
};

struct sc_range {
	uint64_t start, end;
};

struct sc_hot {
	uint64_t rip;
	int traps;
};

static bool enabled;

void patch_init(bool on)
{
	enabled = on;
}

/* ---- Bookkeeping --------------------------------------------------------- */

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static struct sc_site *site_at(struct sc_patch *p, uint64_t addr)
{
	for (int i = 0; i < p->nsites; i++)
		if (p->sites[i].state != SITE_DEAD && p->sites[i].addr == addr)
			return &p->sites[i];
	return NULL;
}

static bool in_exec_range(struct sc_patch *p, uint64_t addr, uint64_t len)
{
	for (int i = 0; i < p->nexec; i++)
		if (addr >= p->exec[i].start && addr + len <= p->exec[i].end)
			return true;
	return false;
}

static bool exec_reserve(struct sc_patch *p, int more)
{
	if (p->nexec + more <= p->exec_cap)
		return true;
	int cap = p->exec_cap ? 2 * p->exec_cap : 16;
	struct sc_range *r = realloc(p->exec, (size_t)cap * sizeof *r);
	if (!r)
		return false;
	p->exec = r;
	p->exec_cap = cap;
	return true;
}

/* Forgets [addr, addr + len) as patchable; a range around it splits in two. */
static void exec_remove(struct sc_patch *p, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;
	for (int i = p->nexec - 1; i >= 0; i--) {
		struct sc_range *r = &p->exec[i];
		if (!overlaps(r->start, r->end - r->start, addr, len))
			continue;
		if (r->start < addr && r->end > end && exec_reserve(p, 1)) {
			r = &p->exec[i];
			p->exec[p->nexec++] = (struct sc_range){end, r->end};
		}
		if (r->start < addr)
			r->end = addr;
		else if (r->end > end)
			r->start = end;
		else
			p->exec[i] = p->exec[--p->nexec];
	}
}

static void exec_add(struct sc_patch *p, uint64_t addr, uint64_t len)
{
	if (exec_reserve(p, 1))
		p->exec[p->nexec++] = (struct sc_range){addr, addr + len};
}

/* Counts a trap at rip; true when the site is hot enough to patch. */
static bool hot(struct sc_patch *p, uint64_t rip)
{
	if (!p->hot && !(p->hot = calloc(HOT_SLOTS, sizeof *p->hot)))
		return false;
	struct sc_hot *h = &p->hot[(rip ^ (rip >> 9)) % HOT_SLOTS];
	if (h->rip != rip) {
		h->rip = rip;
		h->traps = 0;
	}
	return ++h->traps == HOT_TRAPS;
}

void patch_fork(struct sc_mm *parent, struct sc_mm *child)
{
	struct sc_patch *p = &parent->patch, *c = &child->patch;
	host_mutex_lock(&parent->lock);
	*c = *p;
	c->hot = NULL;
	c->sites = p->nsites ? malloc((size_t)p->nsites * sizeof *c->sites) : NULL;
	c->exec = p->exec_cap ? malloc((size_t)p->exec_cap * sizeof *c->exec) : NULL;
	if ((p->nsites && !c->sites) || (p->exec_cap && !c->exec)) {
		free(c->sites);
		free(c->exec);
		memset(c, 0, sizeof *c);
		c->off = true; /* the child keeps its parent's patches, but makes no more */
	} else {
		if (c->sites)
			memcpy(c->sites, p->sites, (size_t)p->nsites * sizeof *c->sites);
		if (c->exec)
			memcpy(c->exec, p->exec, (size_t)p->nexec * sizeof *c->exec);
	}
	host_mutex_unlock(&parent->lock);
}

void patch_free(struct sc_patch *p)
{
	free(p->sites);
	free(p->exec);
	free(p->hot);
}

/* ---- Writing guest code ------------------------------------------------ */

/* Opening /proc/TID/mem costs more than a write through it: the address
 * space keeps the fd (called with the mm's lock held). */
static bool poke(struct sc_thread *t, uint64_t addr, const void *buf, size_t len)
{
	struct sc_mm *mm = t->mm;
	if (mm->mem_fd < 0)
		mm->mem_fd = host_mem_open(&t->h);
	return mm->mem_fd >= 0 && host_mem_poke(mm->mem_fd, addr, buf, len) == (long)len;
}

/* Serializes every CPU that runs the address space: no thread goes on
 * with instruction bytes it fetched before the last write. */
static void sync_core(struct sc_thread *t)
{
	if (t->mm->live > 1)
		request(t, OP_SYNC_CORE);
}

/* Writes parts of a site in order, each step visible to all before the next. */
static bool rewrite(struct sc_thread *t, uint64_t addr, const unsigned char to[SITE_LEN],
		    bool tail_first)
{
	static const unsigned char int3 = 0xcc;
	const unsigned char *head = to, *mid = to + 1, *tail = to + 5;
	bool ok = true;
	if (t == handoff_serving() && t->mm->live == 1) /* no one runs the site */
		return poke(t, addr, to, SITE_LEN);
	if (tail_first) {
		ok = poke(t, addr + 5, tail, 2);
		sync_core(t);
	}
	ok = ok && poke(t, addr, &int3, 1);
	sync_core(t);
	ok = ok && poke(t, addr + 1, mid, 4);
	sync_core(t);
	if (ok && !tail_first) {
		ok = poke(t, addr + 5, tail, 2);
		sync_core(t);
	}
	return ok && poke(t, addr, head, 1);
}

static void unpatch(struct sc_thread *t, struct sc_site *s)
{
	s->state = SITE_MOVING;
	rewrite(t, s->addr, s->orig, false);
	s->state = SITE_DEAD;
}

/* Turns patching off for good in t's address space, code restored. */
static void patch_off(struct sc_thread *t)
{
	struct sc_patch *p = &t->mm->patch;
	for (int i = 0; i < p->nsites; i++)
		if (p->sites[i].state == SITE_LIVE)
			unpatch(t, &p->sites[i]);
	p->off = true;
}

/* The jump table: mapped read-only in the guest's low memory, written
 * through /proc/PID/mem. */
static bool map_table(struct sc_thread *t)
{
	const long args[6] = {STUB_PATCH_BASE,
			      STUB_PATCH_SIZE,
			      PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			      -1,
			      0};
	return stub_syscall(t, SYS_mmap, args) == STUB_PATCH_BASE;
}

static int match(const unsigned char b[SITE_LEN + 1], long nr)
{
	static const unsigned char r9[SITE_LEN] = {0x4c, 0x8b, 0x4c, 0x24, 0x08, 0x0f, 0x05};
	static const unsigned char prefixes[] = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
						 0x66, 0x67, 0xf0, 0xf2, 0xf3};
	/* A prefix or REX byte before would make it another instruction. */
	if ((b[0] & 0xf0) == 0x40 || memchr(prefixes, b[0], sizeof prefixes))
		return -1;
	const unsigned char *s = b + 1;
	int32_t imm;
	memcpy(&imm, s + 1, 4);
	if (s[0] == 0xb8 && s[5] == 0x0f && s[6] == 0x05 && imm == nr)
		return KIND_NR;
	if (!memcmp(s, r9, SITE_LEN))
		return KIND_R9;
	return -1;
}

static void try_patch(struct sc_thread *t, uint64_t site, long nr)
{
	struct sc_patch *p = &t->mm->patch;
	unsigned char b[SITE_LEN + 1];
	if (host_mem_read(&t->h, site - 1, b, sizeof b) != (long)sizeof b)
		return;
	int kind = match(b, nr);
	if (kind < 0)
		return;
	if (p->nsites == STUB_MAX_SITES || (!p->table && !(p->table = map_table(t)))) {
		p->off = true;
		return;
	}
	struct sc_site *s = realloc(p->sites, (size_t)(p->nsites + 1) * sizeof *s);
	if (!s)
		return;
	p->sites = s;
	int i = p->nsites++;
	s = &p->sites[i];
	s->addr = site;
	memcpy(s->orig, b + 1, SITE_LEN);
	s->kind = (unsigned char)kind;
	uint64_t ptr = (uint64_t)STUB_PATCH_ENTRY(i);
	const struct stub_patch_entry entry = {
	    .ptr = (kind == KIND_NR ? STUB_TRAMP_NR_ADDR : STUB_TRAMP_R9_ADDR) +
		   STUB_TRAMP_SIZE * (uint64_t)i,
	    .ret = site + SITE_LEN,
	    .nr = (uint64_t)nr,
	};
	if (!poke(t, ptr, &entry, sizeof entry)) {
		s->state = SITE_DEAD;
		return;
	}
	const unsigned char jmp[SITE_LEN] = {0xff,
					     0x24,
					     0x25,
					     (unsigned char)ptr,
					     (unsigned char)(ptr >> 8),
					     (unsigned char)(ptr >> 16),
					     (unsigned char)(ptr >> 24)};
	s->state = SITE_MOVING;
	s->state = rewrite(t, site, jmp, true) ? SITE_LIVE : SITE_DEAD;
}

/* ---- What the platform tells us ------------------------------------------ */

void patch_trapped(struct sc_thread *t, const struct user_regs *regs)
{
	struct sc_patch *p = &t->mm->patch;
	uint64_t site = regs->rip - SITE_LEN;
	if (!enabled || p->off)
		return;
	host_mutex_lock(&t->mm->lock); /* another thread may be mapping */
	if (!p->off && in_exec_range(p, site, SITE_LEN) && hot(p, regs->rip) && !site_at(p, site))
		try_patch(t, site, (long)regs->orig_rax);
	host_mutex_unlock(&t->mm->lock);
}

/*
 * A fault at a patched site: 1 if it is the system call the thread meant
 * (it reached the 0x06 where the syscall was), 2 if the thread should
 * just go back to the site's head (it hit the int3 of a rewrite).
 */
int patch_fault(struct sc_thread *t, struct user_regs *regs, int signo, uint64_t addr)
{
	struct sc_patch *p = &t->mm->patch;
	int r = 0;
	if (!p->nsites || (signo != SIGILL && signo != SIGTRAP))
		return 0;
	host_mutex_lock(&t->mm->lock);
	struct sc_site *s;
	if (signo == SIGTRAP && (s = site_at(p, regs->rip - 1))) {
		regs->rip = s->addr;
		r = 2;
	} else if (signo == SIGILL && (s = site_at(p, addr - 5)) && addr == regs->rip) {
		unsigned char b;
		if (host_mem_read(&t->h, addr, &b, 1) == 1 && b == 0x06) {
			regs->rip = s->addr + SITE_LEN;
			regs->orig_rax = regs->rax;
			regs->rax = (uint64_t)-38; /* -ENOSYS, as at syscall entry */
			regs->rcx = regs->rip;
			regs->r11 = regs->eflags;
			r = 1;
		}
	}
	host_mutex_unlock(&t->mm->lock);
	return r;
}

/* Before a memory call in t's address space: sites it moves or unmaps go
 * back to their code or are forgotten; file mappings that are read-only
 * and executable become patchable. */
void patch_memory_call(struct sc_thread *t, long nr, const long a[6])
{
	struct sc_patch *p = &t->mm->patch;
	if (!enabled || p->off)
		return;
	uint64_t addr = (uint64_t)a[0], len = (uint64_t)a[1];
	if (nr != SYS_mmap && nr != SYS_munmap && nr != SYS_mprotect && nr != SYS_mremap)
		return;
	host_mutex_lock(&t->mm->lock);
	if (overlaps(addr, len, STUB_PATCH_BASE, STUB_PATCH_SIZE) ||
	    (nr == SYS_mremap &&
	     overlaps((uint64_t)a[4], (uint64_t)a[2], STUB_PATCH_BASE, STUB_PATCH_SIZE))) {
		patch_off(t); /* the guest wants the tables' place */
		host_mutex_unlock(&t->mm->lock);
		return;
	}
	for (int i = 0; i < p->nsites; i++) {
		struct sc_site *s = &p->sites[i];
		if (s->state != SITE_LIVE || !overlaps(addr, len, s->addr, SITE_LEN))
			continue;
		if (nr == SYS_mprotect || nr == SYS_mremap)
			unpatch(t, s);
		else
			s->state = SITE_DEAD;
	}
	exec_remove(p, addr, len);
	if (nr == SYS_mmap && a[4] >= 0 && a[2] == (PROT_READ | PROT_EXEC) &&
	    (a[3] & MAP_TYPE) == MAP_PRIVATE)
		exec_add(p, addr, len);
	host_mutex_unlock(&t->mm->lock);
}

/* The guest set a gs base of its own: the trampolines need %gs, so no
 * site may jump there any more. */
void patch_gs_used(struct sc_thread *t)
{
	struct sc_patch *p = &t->mm->patch;
	if (p->off)
		return;
	host_mutex_lock(&t->mm->lock);
	patch_off(t);
	host_mutex_unlock(&t->mm->lock);
}
