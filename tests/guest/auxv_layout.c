/* The initial stack and auxiliary vector, compared by offsets only: with
 * address randomization off (personality, then a re-exec with a fixed argv
 * and environment) Linux's layout is exact, so the strings, AT_EXECFN,
 * AT_PLATFORM and AT_RANDOM sit at fixed distances from one another. */
#include "t.h"
#include <elf.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/personality.h>

/* The auxv types Linux 6.1 gives on x86-64, in its order; newer kernels
 * add more (AT_RSEQ_*), which are left out. */
static const unsigned long known[] = {AT_SYSINFO_EHDR, 51 /* AT_MINSIGSTKSZ */,
				      AT_HWCAP,	       AT_PAGESZ,
				      AT_CLKTCK,       AT_PHDR,
				      AT_PHENT,	       AT_PHNUM,
				      AT_BASE,	       AT_FLAGS,
				      AT_ENTRY,	       AT_UID,
				      AT_EUID,	       AT_GID,
				      AT_EGID,	       AT_SECURE,
				      AT_RANDOM,       AT_HWCAP2,
				      AT_EXECFN,       AT_PLATFORM};

static int is_known(unsigned long type)
{
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (known[i] == type)
			return 1;
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	if (argc == 1) {
		/* Turn randomization off and start again with a fixed setup. */
		int old = personality(0xffffffff);
		if (personality((unsigned long)old | ADDR_NO_RANDOMIZE) < 0)
			return 2;
		char *args[] = {argv[0], "child", "two words", "", NULL};
		char *env[] = {"A=1", "LONG_NAME=some value", "EMPTY=", NULL};
		execve(argv[0], args, env);
		return 3;
	}
	/* glibc hands main the original argv: the stack pointer is just below. */
	uintptr_t sp = (uintptr_t)argv - 8;
	SAY("  argc on stack %ld == argc %d\n", *(long *)sp, argc);
	SAY("  sp 16-byte aligned %d\n", sp % 16 == 0);
	int envc = 0;
	while (envp[envc])
		envc++;
	SAY("  envp follows argv %d\n", envp == argv + argc + 1);
	Elf64_auxv_t *auxv = (Elf64_auxv_t *)(envp + envc + 1);
	uintptr_t execfn = 0, random = 0, platform = 0;
	int n = 0;
	SAY("  auxv:");
	for (Elf64_auxv_t *a = auxv; a->a_type != AT_NULL; a++) {
		n++;
		if (a->a_type == AT_EXECFN)
			execfn = a->a_un.a_val;
		if (a->a_type == AT_RANDOM)
			random = a->a_un.a_val;
		if (a->a_type == AT_PLATFORM)
			platform = a->a_un.a_val;
		if (is_known(a->a_type))
			SAY(" %lu", (unsigned long)a->a_type);
	}
	SAY("\n");
	n++; /* AT_NULL */
	for (Elf64_auxv_t *a = auxv; a->a_type != AT_NULL; a++) {
		unsigned long v = a->a_un.a_val;
		switch (a->a_type) {
		case AT_PAGESZ:
		case AT_CLKTCK:
		case AT_PHENT:
		case AT_FLAGS:
		case AT_UID:
		case AT_EUID:
		case AT_GID:
		case AT_EGID:
		case AT_SECURE:
			SAY("  type %lu = %lu\n", (unsigned long)a->a_type, v);
			break;
		case AT_BASE:
		case AT_SYSINFO_EHDR:
			SAY("  type %lu page aligned %d\n", (unsigned long)a->a_type,
			    v != 0 && v % 4096 == 0);
			break;
		}
	}
	SAY("  entry - phdr %ld phnum %lu\n", (long)(getauxval(AT_ENTRY) - getauxval(AT_PHDR)),
	    getauxval(AT_PHNUM));
	/* Strings: offsets from AT_EXECFN, which is the filename at the top. */
	SAY("  execfn is argv[0] text %d\n", strcmp((char *)execfn, argv[0]) == 0);
	for (int i = 0; i < argc; i++)
		SAY("  argv[%d] at %ld\n", i, (long)((uintptr_t)argv[i] - execfn));
	for (int i = 0; i < envc; i++)
		SAY("  envp[%d] at %ld\n", i, (long)((uintptr_t)envp[i] - execfn));
	uintptr_t top = execfn + strlen((char *)execfn) + 1 + 8;
	SAY("  top (execfn end + 8) page aligned %d\n", top % 4096 == 0);
	SAY("  platform %s at %ld, random at %ld\n", (char *)platform, (long)(platform - execfn),
	    (long)(random - execfn));
	/* The pointers: random - auxv - argc/argv/envp pointers, rounded down
	 * to 16 bytes (Linux's STACK_ROUND). */
	uintptr_t want = ((random - (uintptr_t)n * 16) - (uintptr_t)(argc + 1 + envc + 1 + 1) * 8) &
			 ~(uintptr_t)15;
	SAY("  sp where Linux puts it %d\n", want == sp);
	SAY("  auxv just below random %d\n", (uintptr_t)(auxv + n) <= random);
	/* The stack is writable and the strings are NUL-separated. */
	SAY("  argv[2] [%s] argv[3] [%s]\n", argv[2], argv[3]);
	return 0;
}
