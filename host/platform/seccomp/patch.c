/*
 * Syscall-site patching: a site that traps is rewritten into a jump into
 * the stub, which skips the signal (docs/seccomp.md).
 *
 * Only the sequences in seqs[] are patched, each ending in the syscall:
 *   b8 NN NN NN NN 0f 05         mov $nr,%eax; syscall   (nr the trapped number)
 *   4c 8b 4c 24 08 0f 05         mov 0x8(%rsp),%r9; syscall   (glibc's syscall())
 *   bf II II II II 0f 05         mov $imm,%edi; syscall   (glibc's openat)
 *   b8 NN NN NN NN 31 ff 0f 05   mov $nr,%eax; xor %edi,%edi; syscall
 *   48 c7 c0 NN NN NN NN 0f 05   mov $nr,%rax; syscall   (glibc's sigreturn)
 *   31 c0 0f 05 48 3d 00 f0 ff ff   xor %eax,%eax; syscall; cmp $-4096,%rax
 *                                   (glibc's read: the cmp moves into the call)
 * and only in code copies (copies.c): read-only, executable, private file
 * mappings are made from a copy of their file shared by all processes, and
 * a site is patched there once for all of them. The first 7 bytes become
 *   ff 24 25 P0 P1 06 00   jmp *PTR   (PTR = STUB_PATCH_BASE + 32 * site)
 * whose pointer, in a table every stub maps read-only, leads to the site's
 * trampoline in the stub (entry.S), which does what the replaced
 * instructions did. Which site it was tells ./linux where the call returns
 * to: a process maps each copy at one place at most. The jump's sixth byte
 * is 0x06, invalid in 64-bit code: a thread that reaches it at an
 * instruction boundary of the old sequence (it ran the instructions
 * before, or jumped to the syscall) traps, and is served as what it meant.
 * In read's sequence the syscall ends at the fifth byte, which a thread
 * returning from a call made before the rewrite reaches: there the
 * pointer's second byte stands, and such sites take numbers that make it
 * an invalid opcode too (cmp_site_number).
 *
 * The rewrite goes tail first (where the tail is an instruction of its
 * own), then an int3 at the head, then the middle, then the head, with
 * every CPU that runs a stub serialized in between
 * (membarrier GLOBAL_EXPEDITED: the interrupt it sends returns through
 * iret), so a thread running the site meanwhile sees the old sequence, a
 * trapping one, or the new one. One that hits the int3 is sent back to
 * the head. A guest reading its own code may see the patch, as under
 * gVisor. An address space that cannot follow (its own %gs, code moved by
 * mremap) gets that code back unpatched, in pages of its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include "seccomp.h"
#include "stub_syms.h"

#define SITE_LEN 7 /* what a site's jump takes; a sequence may be longer */
#define SEQ_MAX	 10
#define PAGE	 4096

_Static_assert(STUB_PATCH_BASE + STUB_PATCH_SIZE <= HOST_GUEST_START, "the table below the guest");

/* What may stand at the sequence's sixth byte, which becomes the jump's
 * 0x06: the syscall, another instruction, or nothing a thread reaches;
 * AT5_CMP: the middle of the cmp after the syscall, whose start a thread
 * returning from the call reaches. */
enum at5 { AT5_SYSCALL, AT5_XOR_EDI, AT5_NONE, AT5_CMP };

/* The sequences patched, each ending in the syscall or in the test of its
 * result, '?' bytes its 32-bit immediate (the trapped number where
 * nr_imm). */
static const struct seq {
	unsigned char len, imm, nr_imm, at5;
	unsigned char code[SEQ_MAX];
	uint64_t prologue;     /* entry.S */
	unsigned char sys_end; /* where the syscall ends */
} seqs[] = {
    {7, 1, true, AT5_SYSCALL, {0xb8, 0, 0, 0, 0, 0x0f, 0x05}, STUB_KIND_NR_ADDR, 7},
    {7, 0, false, AT5_SYSCALL, {0x4c, 0x8b, 0x4c, 0x24, 0x08, 0x0f, 0x05}, STUB_KIND_R9_ADDR, 7},
    {7, 1, false, AT5_SYSCALL, {0xbf, 0, 0, 0, 0, 0x0f, 0x05}, STUB_KIND_EDI_ADDR, 7},
    {9,
     1,
     true,
     AT5_XOR_EDI,
     {0xb8, 0, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05},
     STUB_KIND_NR_XOR_EDI_ADDR,
     9},
    {9, 3, true, AT5_NONE, {0x48, 0xc7, 0xc0, 0, 0, 0, 0, 0x0f, 0x05}, STUB_KIND_NR_ADDR, 9},
    {10,
     0,
     true, /* the xor's 0 */
     AT5_CMP,
     {0x31, 0xc0, 0x0f, 0x05, 0x48, 0x3d, 0x00, 0xf0, 0xff, 0xff},
     STUB_KIND_XOR_EAX_ADDR,
     4},
};
#define NSEQS (int)(sizeof seqs / sizeof seqs[0])

/* The flags an xor sets: ZF and PF for a zero result, the others clear. */
#define X86_PF	  0x4UL
#define X86_ZF	  0x40UL
#define XOR_FLAGS (0x1UL | X86_PF | 0x10UL | X86_ZF | 0x80UL | 0x800UL)

/* A patched site: a place in a copy, the same for every process (free
 * without a copy; code_lock is held while one is written). */
struct code_site {
	struct code_copy *copy;
	uint64_t off;
	unsigned char orig[SITE_LEN];
	unsigned char seq; /* seqs[] */
};

/* Where an address space maps a copy: address = file offset + delta. */
struct sc_range {
	uint64_t start, end, delta;
	struct code_copy *copy;
};

static bool enabled;
static struct code_site sites[STUB_MAX_SITES]; /* under code_lock */
static struct stub_patch_entry *table;	       /* ./linux's mapping of the jump table */
static int table_ro;			       /* what stubs map */

void patch_init(struct platform_config *cfg)
{
	if (!cfg->patch)
		return;
	copies_init(cfg);
	long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	int fd = host_memfd("umk-patch-table");
	if (cmds >= 0 && (cmds & MEMBARRIER_CMD_GLOBAL_EXPEDITED) && fd >= 0 &&
	    ftruncate(fd, STUB_PATCH_SIZE) == 0) {
		table = mmap(NULL, STUB_PATCH_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		table_ro = host_reopen(fd, O_RDONLY);
		enabled = table != MAP_FAILED && table_ro >= 0;
	}
	if (fd >= 0)
		close(fd);
	if (!enabled && !cfg->note[0])
		snprintf(
		    cfg->note, sizeof cfg->note,
		    "umk: syscall-site patching off: the host lacks a global membarrier or memfd");
}

/* ---- Sites and their rewriting --------------------------------------------- */

static struct code_site *site_find(const struct code_copy *c, uint64_t off)
{
	for (int i = 0; i < STUB_MAX_SITES; i++)
		if (sites[i].copy == c && sites[i].off == off)
			return &sites[i];
	return NULL;
}

/* A freed copy's sites go: no process runs its code any more. */
void sites_forget(const struct code_copy *c)
{
	for (int i = 0; i < STUB_MAX_SITES; i++)
		if (sites[i].copy == c)
			sites[i] = (struct code_site){0};
}

/* Where a site's bytes are written, and how every CPU that may run them
 * is made to see each step. */
struct writer {
	bool (*put)(struct writer *w, unsigned at, const unsigned char *b, unsigned n);
	void (*sync)(struct writer *w);
	char *copy;	     /* a copy's bytes */
	struct sc_thread *t; /* or one address space's, at addr */
	uint64_t addr;
};

/* Writes a site in order, each step visible to all before the next. */
static bool rewrite(struct writer *w, const unsigned char to[SITE_LEN], bool tail_first)
{
	static const unsigned char int3 = 0xcc;
	bool ok = true;
	if (tail_first) {
		ok = w->put(w, 5, to + 5, 2);
		w->sync(w);
	}
	ok = ok && w->put(w, 0, &int3, 1);
	w->sync(w);
	ok = ok && w->put(w, 1, to + 1, 4);
	w->sync(w);
	if (ok && !tail_first) {
		ok = w->put(w, 5, to + 5, 2);
		w->sync(w);
	}
	return ok && w->put(w, 0, to, 1);
}

/* Byte by byte, in order: the syscall's 0f goes before its 05. */
static bool copy_put_bytes(struct writer *w, unsigned at, const unsigned char *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		__atomic_store_n((unsigned char *)w->copy + at + i, b[i], __ATOMIC_RELEASE);
	return true;
}

static void sync_all_stubs(struct writer *w)
{
	(void)w;
	syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0);
}

/* Opening /proc/TID/mem costs more than a write through it: the address
 * space keeps the fd (called with the mm's lock held). */
static bool poke(struct sc_thread *t, uint64_t addr, const void *buf, size_t len)
{
	struct sc_mm *mm = t->mm;
	if (mm->mem_fd < 0)
		mm->mem_fd = host_mem_open(&t->h);
	return mm->mem_fd >= 0 && host_mem_poke(mm->mem_fd, addr, buf, len) == (long)len;
}

static bool mm_put_bytes(struct writer *w, unsigned at, const unsigned char *b, unsigned n)
{
	return poke(w->t, w->addr + at, b, n);
}

/* Serializes every CPU that runs the address space. */
static void sync_mm(struct writer *w)
{
	if (w->t->mm->live > 1)
		request(w->t, OP_SYNC_CORE);
}

/* Whether b, the byte before a site and the site, holds sequence q for the
 * call nr; its immediate goes to *imm. */
static bool match(const struct seq *q, const unsigned char *b, long nr, uint32_t *imm)
{
	static const unsigned char prefixes[] = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
						 0x66, 0x67, 0xf0, 0xf2, 0xf3};
	/* A prefix or REX byte before would make it another instruction. */
	if ((b[0] & 0xf0) == 0x40 || memchr(prefixes, b[0], sizeof prefixes))
		return false;
	const unsigned char *s = b + 1;
	unsigned char code[SEQ_MAX];
	memcpy(code, s, q->len);
	if (q->imm) {
		memcpy(imm, s + q->imm, 4);
		memset(code + q->imm, 0, 4);
	}
	return !memcmp(code, q->code, q->len) && (!q->nr_imm || (long)*imm == nr);
}

/* Whether site number i suits an AT5_CMP sequence: the jump's fifth byte,
 * its pointer's second, is an opcode invalid in 64-bit code, where a call
 * made before the rewrite returns. */
static bool cmp_site_number(int i)
{
	static const unsigned char invalid[] = {0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f,
						0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0x82,
						0x9a, 0xce, 0xd4, 0xd5, 0xd6, 0xea};
	return memchr(invalid, (unsigned char)((uintptr_t)STUB_PATCH_ENTRY(i) >> 8),
		      sizeof invalid);
}

/* Patches the site at off in c, which t's process just ran at addr as the
 * call nr, if it holds sequence q (with code_lock held). */
static bool patch_site(struct sc_thread *t, struct code_copy *c, uint64_t off, uint64_t addr,
		       const struct seq *q, long nr)
{
	unsigned char *b = off ? (unsigned char *)copy_at(c, off - 1, q->len + 1U) : NULL;
	unsigned char mine[SEQ_MAX + 1];
	uint32_t imm = 0;
	/* A patched site no longer matches. The process ran the copy's bytes,
	 * not a page it wrote itself. */
	if (!b || !match(q, b, nr, &imm) ||
	    host_mem_read(&t->h, addr - 1, mine, q->len + 1U) != q->len + 1 ||
	    memcmp(b, mine, q->len + 1U))
		return false;
	int i = 0;
	while (i < STUB_MAX_SITES && (sites[i].copy || (q->at5 == AT5_CMP && !cmp_site_number(i))))
		i++;
	if (i == STUB_MAX_SITES)
		return false;
	struct code_site *s = &sites[i];
	*s = (struct code_site){.copy = c, .off = off, .seq = (unsigned char)(q - seqs)};
	memcpy(s->orig, b + 1, SITE_LEN);
	table[i] = (struct stub_patch_entry){
	    .ptr = STUB_TRAMP_ADDR + STUB_TRAMP_SIZE * (uint64_t)i,
	    .imm = imm,
	    .prologue = q->prologue,
	};
	uint64_t ptr = (uint64_t)STUB_PATCH_ENTRY(i);
	const unsigned char jmp[SITE_LEN] = {0xff,
					     0x24,
					     0x25,
					     (unsigned char)ptr,
					     (unsigned char)(ptr >> 8),
					     (unsigned char)(ptr >> 16),
					     (unsigned char)(ptr >> 24)};
	struct writer w = {.put = copy_put_bytes, .sync = sync_all_stubs, .copy = (char *)b + 1};
	/* The tail goes first only where it is an instruction of its own. */
	rewrite(&w, jmp, q->at5 != AT5_NONE);
	return true;
}

/* ---- The ranges an address space maps copies at --------------------------- */

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static struct sc_range *range_at(struct sc_patch *p, uint64_t addr, uint64_t len)
{
	for (int i = 0; i < p->nranges; i++)
		if (addr >= p->ranges[i].start && addr + len <= p->ranges[i].end)
			return &p->ranges[i];
	return NULL;
}

static bool ranges_reserve(struct sc_patch *p, int more)
{
	if (p->nranges + more <= p->cap)
		return true;
	int cap = p->cap ? 2 * p->cap : 8;
	struct sc_range *r = realloc(p->ranges, (size_t)cap * sizeof *r);
	if (!r)
		return false;
	p->ranges = r;
	p->cap = cap;
	return true;
}

/* Gives the code of [start, end) back to the process, unpatched, in pages
 * of its own that no later patch reaches (with both locks held). */
static void detach(struct sc_thread *t, const struct sc_range *r, uint64_t start, uint64_t end)
{
	static char page[PAGE];
	/* Past the file's end there is no code, only SIGBUS, however large
	 * the guest made the mapping. */
	if (end > r->delta + copy_len(r->copy))
		end = r->delta + copy_len(r->copy);
	for (uint64_t a = start; a < end; a += PAGE)
		if (host_mem_read(&t->h, a, page, PAGE) == PAGE)
			poke(t, a, page, PAGE); /* the same bytes, now its own */
	for (int i = 0; i < STUB_MAX_SITES; i++) {
		uint64_t at = sites[i].off + r->delta;
		if (sites[i].copy != r->copy || at < start || at + SITE_LEN > end)
			continue;
		struct writer w = {.put = mm_put_bytes, .sync = sync_mm, .t = t, .addr = at};
		rewrite(&w, sites[i].orig, false);
	}
}

/* [addr, addr + len) maps a copy no more; with detach, its pages keep the
 * code, unpatched. */
static void ranges_remove(struct sc_thread *t, uint64_t addr, uint64_t len, bool detaching)
{
	struct sc_patch *p = &t->mm->patch;
	uint64_t end = addr + len;
	host_mutex_lock(&code_lock);
	for (int i = p->nranges - 1; i >= 0; i--) {
		struct sc_range *r = &p->ranges[i];
		if (!overlaps(r->start, r->end - r->start, addr, len))
			continue;
		if (detaching)
			detach(t, r, r->start > addr ? r->start : addr,
			       r->end < end ? r->end : end);
		if (r->start < addr && r->end > end) {
			if (!ranges_reserve(p, 1))
				continue; /* kept whole: its sites still return right */
			r = &p->ranges[i];
			p->ranges[p->nranges++] = (struct sc_range){end, r->end, r->delta, r->copy};
			copy_hold_locked(r->copy);
		}
		if (r->start < addr) {
			r->end = addr;
		} else if (r->end > end) {
			r->start = end;
		} else {
			copy_put_locked(r->copy);
			p->ranges[i] = p->ranges[--p->nranges];
		}
	}
	host_mutex_unlock(&code_lock);
}

static bool map_table(struct sc_thread *t)
{
	const long args[6] = {
	    STUB_PATCH_BASE, STUB_PATCH_SIZE, PROT_READ, MAP_SHARED | MAP_FIXED, -1, 0};
	return stub_map_fd(t, args, table_ro) == STUB_PATCH_BASE;
}

/* One place per copy in an address space: a site's number tells where it
 * returns to. */
static bool placed_elsewhere(const struct sc_patch *p, const struct code_copy *c, uint64_t delta)
{
	for (int i = 0; i < p->nranges; i++)
		if (p->ranges[i].copy == c && p->ranges[i].delta != delta)
			return true;
	return false;
}

/* The copy a read-only executable private mapping of fd is made from, with
 * a reference for patch_mapped, or NULL: the file itself. */
struct code_copy *patch_code_copy(struct sc_thread *t, const long a[6], int fd)
{
	struct sc_patch *p = &t->mm->patch;
	if (!enabled || a[2] != (PROT_READ | PROT_EXEC) || (a[3] & MAP_TYPE) != MAP_PRIVATE)
		return NULL;
	host_mutex_lock(&t->mm->lock);
	bool usable = !p->off && (p->table || (p->table = map_table(t)));
	host_mutex_unlock(&t->mm->lock);
	struct code_copy *c = usable ? copy_get(fd) : NULL;
	if (!c)
		return NULL;
	host_mutex_lock(&t->mm->lock);
	usable = !placed_elsewhere(p, c, (uint64_t)a[0] - (uint64_t)a[5]);
	host_mutex_unlock(&t->mm->lock);
	if (!usable) {
		copy_put(c);
		return NULL;
	}
	return c;
}

/* The mapping made from c (patch_code_copy) is there if ok; its reference
 * goes to the range. One that cannot be kept track of (another thread
 * mapped the copy elsewhere meanwhile, or no memory) becomes the
 * process's own. */
void patch_mapped(struct sc_thread *t, const long a[6], struct code_copy *c, bool ok)
{
	struct sc_patch *p = &t->mm->patch;
	uint64_t start = (uint64_t)a[0], len = ((uint64_t)a[1] + PAGE - 1) & ~(PAGE - 1UL);
	const struct sc_range r = {start, start + len, start - (uint64_t)a[5], c};
	host_mutex_lock(&t->mm->lock);
	if (ok && !placed_elsewhere(p, c, r.delta) && ranges_reserve(p, 1)) {
		p->ranges[p->nranges++] = r;
		c = NULL;
	} else if (ok) {
		host_mutex_lock(&code_lock);
		detach(t, &r, r.start, r.end);
		host_mutex_unlock(&code_lock);
	}
	host_mutex_unlock(&t->mm->lock);
	if (c)
		copy_put(c);
}

/* The child maps its parent's copies where the parent does; -ENOMEM if
 * it cannot know where (its patched calls would return nowhere). */
int patch_fork(struct sc_mm *parent, struct sc_mm *child)
{
	struct sc_patch *p = &parent->patch, *c = &child->patch;
	host_mutex_lock(&parent->lock);
	*c = *p;
	c->ranges = p->cap ? malloc((size_t)p->cap * sizeof *c->ranges) : NULL;
	if (c->ranges)
		memcpy(c->ranges, p->ranges, (size_t)p->nranges * sizeof *c->ranges);
	else
		c->nranges = c->cap = 0;
	for (int i = 0; i < c->nranges; i++)
		copy_hold(c->ranges[i].copy);
	host_mutex_unlock(&parent->lock);
	return c->nranges == p->nranges ? 0 : -ENOMEM;
}

void patch_free(struct sc_patch *p)
{
	for (int i = 0; i < p->nranges; i++)
		copy_put(p->ranges[i].copy);
	free(p->ranges);
	*p = (struct sc_patch){.table = p->table};
}

/* ---- What the platform tells us ------------------------------------------ */

void patch_trapped(struct sc_thread *t, const struct user_regs *regs)
{
	struct sc_patch *p = &t->mm->patch;
	if (!enabled || !p->nranges)
		return;
	host_mutex_lock(&t->mm->lock); /* another thread may be mapping */
	host_mutex_lock(&code_lock);
	for (const struct seq *q = seqs; q < seqs + NSEQS; q++) {
		uint64_t site = regs->rip - q->sys_end;
		struct sc_range *r = range_at(p, site - 1, q->len + 1U);
		if (r && patch_site(t, r->copy, site - r->delta, site, q, (long)regs->orig_rax))
			break;
	}
	host_mutex_unlock(&code_lock);
	host_mutex_unlock(&t->mm->lock);
}

/* Where a call made through a patched site returns to in t's process, or 0
 * (a guest that jumped to a site's trampoline on its own). */
uint64_t patch_return(struct sc_thread *t, unsigned site)
{
	struct sc_patch *p = &t->mm->patch;
	/* Read without code_lock: a site changes only when no process maps its
	 * copy, and the copy is only compared. */
	const struct code_site *s = &sites[site % STUB_MAX_SITES];
	const struct code_copy *c = s->copy;
	uint64_t off = s->off, len = seqs[s->seq % NSEQS].len, ret = 0;
	host_mutex_lock(&t->mm->lock);
	for (int i = 0; i < p->nranges && !ret; i++) {
		const struct sc_range *r = &p->ranges[i];
		if (r->copy == c && off + r->delta >= r->start && off + r->delta + len <= r->end)
			ret = off + r->delta + len;
	}
	host_mutex_unlock(&t->mm->lock);
	return ret;
}

bool patch_tests_result(unsigned site)
{
	return seqs[sites[site % STUB_MAX_SITES].seq % NSEQS].at5 == AT5_CMP;
}

/* The site of a fault, if it happened at a patched one of sequences at5
 * (-1: any). */
static struct code_site *faulting_site(struct sc_patch *p, uint64_t head, int at5)
{
	struct sc_range *r = range_at(p, head, SITE_LEN);
	struct code_site *s = r ? site_find(r->copy, head - r->delta) : NULL;
	return s && (at5 < 0 || seqs[s->seq].at5 == at5) ? s : NULL;
}

/* A thread that meant the call of a site, which returns to ret. */
static void serve_as_call(struct user_regs *regs, uint64_t ret)
{
	regs->rip = ret;
	regs->orig_rax = regs->rax;
	regs->rax = (uint64_t)-38; /* -ENOSYS, as at syscall entry */
	regs->rcx = regs->rip;
	regs->r11 = regs->eflags;
}

/*
 * read's sequence (AT5_CMP), rewritten under a thread: one that ran the
 * xor before and then met the pointer's bytes ran `and $imm,%eax` into the
 * cmp's undefined tail (+7); a restarted call comes back to +8, undefined
 * too. Either meant the read (%eax 0). One that returns from a call made
 * before meets the invalid byte at +4: its call is done, the test is left.
 */
static int cmp_site_fault(struct sc_patch *p, struct user_regs *regs, uint64_t addr)
{
	const struct code_site *s;
	if ((s = faulting_site(p, addr - 4, AT5_CMP))) {
		regs->eflags = result_test_flags(regs->rax, regs->eflags);
		regs->rip = addr - 4 + seqs[s->seq].len;
		return PATCH_RESUME;
	}
	for (uint64_t at = 7; at <= 8; at++)
		if ((s = faulting_site(p, addr - at, AT5_CMP)) && (uint32_t)regs->rax == 0) {
			serve_as_call(regs, addr - at + seqs[s->seq].len);
			return PATCH_CALL_TESTED;
		}
	return PATCH_NONE;
}

/*
 * A fault at a patched site: PATCH_CALL if it is the system call the
 * thread meant (it reached the 0x06 where the syscall was; in read's
 * sequence PATCH_CALL_TESTED, cmp_site_fault), PATCH_RESUME if the thread
 * should just go on with the registers changed (it hit the int3 of a
 * rewrite, and goes back to the site's head). A fault in a trampoline
 * (glibc's syscall() reading the stack) is the site's.
 */
int patch_fault(struct sc_thread *t, struct user_regs *regs, int signo, uint64_t addr)
{
	struct sc_patch *p = &t->mm->patch;
	int r = PATCH_NONE;
	if (regs->rip == STUB_KIND_R9_ADDR) { /* the trampoline left the site in r11 */
		uint64_t ret = patch_return(t, (unsigned)regs->r11);
		regs->rip = ret ? ret - SITE_LEN : 0;
		return PATCH_NONE;
	}
	if (!p->nranges || (signo != SIGILL && signo != SIGTRAP))
		return PATCH_NONE;
	host_mutex_lock(&t->mm->lock);
	host_mutex_lock(&code_lock);
	unsigned char b;
	const struct code_site *s;
	/* The rewrite that put the int3 there ended while this waited for
	 * the lock: the head is no int3 any more. */
	if (signo == SIGTRAP && faulting_site(p, regs->rip - 1, -1) &&
	    host_mem_read(&t->h, regs->rip - 1, &b, 1) == 1 && b != 0xcc) {
		regs->rip -= 1;
		r = PATCH_RESUME;
	} else if (signo == SIGILL && addr == regs->rip && (s = faulting_site(p, addr - 5, -1)) &&
		   (seqs[s->seq].at5 == AT5_SYSCALL || seqs[s->seq].at5 == AT5_XOR_EDI)) {
		if (host_mem_read(&t->h, addr, &b, 1) == 1 && b == 0x06) {
			if (seqs[s->seq].at5 == AT5_XOR_EDI) { /* xor %edi,%edi first */
				regs->rdi = 0;
				regs->eflags = (regs->eflags & ~XOR_FLAGS) | X86_ZF | X86_PF;
			}
			serve_as_call(regs, addr - 5 + seqs[s->seq].len);
			r = PATCH_CALL;
		}
	} else if (signo == SIGILL && addr == regs->rip) {
		r = cmp_site_fault(p, regs, addr);
	}
	host_mutex_unlock(&code_lock);
	host_mutex_unlock(&t->mm->lock);
	return r;
}

/* Before a memory call in t's address space: what it maps or unmaps maps
 * a copy no more (an mprotect leaves the copy's pages in place). */
void patch_memory_call(struct sc_thread *t, long nr, const long a[6])
{
	if (!t->mm->patch.nranges || (nr != SYS_mmap && nr != SYS_munmap))
		return;
	host_mutex_lock(&t->mm->lock);
	ranges_remove(t, (uint64_t)a[0], (uint64_t)a[1], false);
	host_mutex_unlock(&t->mm->lock);
}

/* Before an mremap: code that moves would leave its sites returning to
 * the old place, so it becomes the process's own first. Pages the call
 * adds to the mapping come from the same file, that is the copy: mv keeps
 * where, for patch_mremapped. */
void patch_mremap(struct sc_thread *t, const long a[6], struct patch_move *mv)
{
	struct sc_patch *p = &t->mm->patch;
	uint64_t old = (uint64_t)a[0], oldlen = (uint64_t)a[1];
	*mv = (struct patch_move){0};
	if (!p->nranges)
		return;
	host_mutex_lock(&t->mm->lock);
	struct sc_range *r = range_at(p, old + oldlen - 1, 1);
	if (r && (uint64_t)a[2] > oldlen) {
		mv->copy = r->copy;
		mv->end_off = old + oldlen - r->delta;
		copy_hold(r->copy);
	}
	ranges_remove(t, old, oldlen, true);
	host_mutex_unlock(&t->mm->lock);
}

/* After it: the pages it added from a copy become the process's own too. */
void patch_mremapped(struct sc_thread *t, const long a[6], long to, struct patch_move *mv)
{
	if (!mv->copy)
		return;
	uint64_t start = (uint64_t)to + (uint64_t)a[1], end = (uint64_t)to + (uint64_t)a[2];
	const struct sc_range grown = {start, end, start - mv->end_off, mv->copy};
	if (to >= 0) {
		host_mutex_lock(&t->mm->lock);
		host_mutex_lock(&code_lock);
		detach(t, &grown, start, end);
		host_mutex_unlock(&code_lock);
		host_mutex_unlock(&t->mm->lock);
	}
	copy_put(mv->copy);
}

/* The guest set a gs base of its own: the trampolines need %gs, so its
 * code must not jump there any more. */
void patch_gs_used(struct sc_thread *t)
{
	struct sc_patch *p = &t->mm->patch;
	if (p->off)
		return;
	host_mutex_lock(&t->mm->lock);
	p->off = true;
	ranges_remove(t, 0, STUB_GUEST_END, true);
	host_mutex_unlock(&t->mm->lock);
}
