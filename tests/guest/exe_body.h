/* Shared by exe-static.c, exe-static-pie.c and exe_dynamic.c: what every
 * kind of executable must get right at startup (the body is the same; only
 * the way it is linked differs). */
#include "t.h"
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <sys/auxv.h>

static __thread int tls = 5;
static int data = 7;
static int bss;
static int ctor_ran;

__attribute__((constructor)) static void ctor(void)
{
	ctor_ran = 1;
}

static void *thread(void *arg)
{
	(void)arg;
	tls = 6;
	return (void *)(long)(tls + data);
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	int *n = arg;
	if (info->dlpi_phnum > 0)
		(*n)++;
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	SAY("  argc %d argv[0] is path %d envp %d\n", argc, strchr(argv[0], '/') != NULL,
	    envp[0] != NULL);
	SAY("  ctor %d data %d bss %d tls %d\n", ctor_ran, data, bss, tls);
	/* The auxiliary vector as libc sees it. */
	SAY("  pagesz %lu clktck %lu secure %lu uid %lu phent %lu\n", getauxval(AT_PAGESZ),
	    getauxval(AT_CLKTCK), getauxval(AT_SECURE), getauxval(AT_UID), getauxval(AT_PHENT));
	SAY("  entry set %d phdr set %d random set %d execfn %s\n", getauxval(AT_ENTRY) != 0,
	    getauxval(AT_PHDR) != 0, getauxval(AT_RANDOM) != 0,
	    strcmp((char *)getauxval(AT_EXECFN), argv[0]) == 0 ? "argv[0]" : "other");
	SAY("  platform %s\n", (char *)getauxval(AT_PLATFORM));
	/* The program headers are where AT_PHDR says. */
	ElfW(Phdr) *ph = (ElfW(Phdr) *)getauxval(AT_PHDR);
	int load = 0;
	for (unsigned long i = 0; i < getauxval(AT_PHNUM); i++)
		load += ph[i].p_type == PT_LOAD;
	SAY("  PT_LOAD segments found %d\n", load > 0);
	int objs = 0;
	dl_iterate_phdr(phdr_cb, &objs);
	SAY("  objects with headers >= 1: %d\n", objs >= 1);
	/* malloc, big and small; a thread with its own TLS. */
	char *small = malloc(10), *big = malloc(10 << 20);
	memset(big, 1, 10 << 20);
	SAY("  malloc %d %d\n", small != NULL, big[(10 << 20) - 1]);
	free(big);
	pthread_t th;
	void *ret;
	if (pthread_create(&th, NULL, thread, NULL) == 0 && pthread_join(th, &ret) == 0)
		SAY("  thread returned %ld, main tls still %d\n", (long)ret, tls);
	/* Stdio and exit through atexit. */
	fprintf(stderr, "%s", "");
	return 3;
}
