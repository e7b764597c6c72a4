/* The ELF loader: the dynamic loader run as a program, and broken or foreign
 * ELF files (each a patched copy of this program) refused with Linux's
 * errno - never a crash. */
#include "t.h"
#include <elf.h>

static char self[4096];
static unsigned char *image;
static size_t image_len;

static void run(char *path, char **argv)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char *env[] = {NULL};
		execve(path, argv, env);
		SAY("  exec: %s\n", strerrorname_np(errno));
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	if (WIFSIGNALED(st))
		SAY("  -> signal %d\n", WTERMSIG(st));
	else
		SAY("  -> exit %d\n", WEXITSTATUS(st));
}

/* Writes a copy of this program with patch() applied, then runs it. */
static void try_patched(const char *what, void (*patch)(unsigned char *, size_t *))
{
	unsigned char *copy = malloc(image_len);
	memcpy(copy, image, image_len);
	size_t len = image_len;
	patch(copy, &len);
	int fd = open("patched", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (fd < 0 || write(fd, copy, len) != (ssize_t)len)
		exit(2);
	close(fd);
	free(copy);
	SAY(" %s\n", what);
	char *argv[] = {"patched", "child", NULL};
	run("./patched", argv);
}

static Elf64_Ehdr *eh(unsigned char *p)
{
	return (Elf64_Ehdr *)p;
}

static Elf64_Phdr *ph(unsigned char *p, int type)
{
	for (int i = 0; i < eh(p)->e_phnum; i++) {
		Elf64_Phdr *h = (Elf64_Phdr *)(p + eh(p)->e_phoff + (size_t)i * eh(p)->e_phentsize);
		if ((int)h->p_type == type)
			return h;
	}
	return NULL;
}

static void p_none(unsigned char *p, size_t *l)
{
	(void)p;
	(void)l;
}
static void p_machine(unsigned char *p, size_t *l)
{
	(void)l;
	eh(p)->e_machine = EM_386;
}
static void p_class(unsigned char *p, size_t *l)
{
	(void)l;
	p[EI_CLASS] = ELFCLASS32;
}
static void p_type_rel(unsigned char *p, size_t *l)
{
	(void)l;
	eh(p)->e_type = ET_REL;
}
static void p_phnum0(unsigned char *p, size_t *l)
{
	(void)l;
	eh(p)->e_phnum = 0;
}
static void p_phentsize(unsigned char *p, size_t *l)
{
	(void)l;
	eh(p)->e_phentsize = 40;
}
static void p_phoff_far(unsigned char *p, size_t *l)
{
	(void)l;
	eh(p)->e_phoff = 1ULL << 40;
}
static void p_interp_missing(unsigned char *p, size_t *l)
{
	(void)l;
	Elf64_Phdr *h = ph(p, PT_INTERP);
	if (h)
		p[h->p_offset + h->p_filesz - 2] = 'X';
}
static void p_interp_unterminated(unsigned char *p, size_t *l)
{
	(void)l;
	Elf64_Phdr *h = ph(p, PT_INTERP);
	if (h)
		p[h->p_offset + h->p_filesz - 1] = 'X';
}
static void p_interp_huge(unsigned char *p, size_t *l)
{
	(void)l;
	Elf64_Phdr *h = ph(p, PT_INTERP);
	if (h)
		h->p_filesz = 1 << 20;
}
static void p_truncated(unsigned char *p, size_t *l)
{
	(void)p;
	*l = 4096; /* headers only: the segments are past the end */
}
static void p_header_cut(unsigned char *p, size_t *l)
{
	(void)p;
	*l = 40; /* the magic, but not the whole ELF header */
}
static void p_load_beyond(unsigned char *p, size_t *l)
{
	(void)l;
	Elf64_Phdr *h = ph(p, PT_LOAD);
	if (h)
		h->p_offset = 1ULL << 40;
}
static void p_filesz_gt_memsz(unsigned char *p, size_t *l)
{
	(void)l;
	Elf64_Phdr *h = ph(p, PT_LOAD);
	if (h)
		h->p_filesz = h->p_memsz + 4096;
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return 42;
	const char *d = scratch("elf_load");
	if (chdir(d))
		return 1;
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		return 2;
	self[n] = 0;
	int fd = open(self, O_RDONLY);
	struct stat st;
	fstat(fd, &st);
	image_len = (size_t)st.st_size;
	image = malloc(image_len);
	if (read(fd, image, image_len) != (ssize_t)image_len)
		return 2;
	close(fd);
	/* The dynamic loader as a program, running a program. */
	Elf64_Phdr *ip = ph(image, PT_INTERP);
	char interp[256] = "";
	if (ip)
		snprintf(interp, sizeof interp, "%s", (char *)image + ip->p_offset);
	SAY(" ld.so %s\n", interp);
	char *a1[] = {interp, self, "child", NULL};
	run(interp, a1);
	char *a2[] = {interp, "/nonexistent", NULL};
	run(interp, a2);
	try_patched("unchanged copy", p_none);
	try_patched("i386 machine", p_machine);
	try_patched("32-bit class", p_class);
	try_patched("relocatable object", p_type_rel);
	try_patched("no program headers", p_phnum0);
	try_patched("wrong phentsize", p_phentsize);
	try_patched("program headers far away", p_phoff_far);
	try_patched("missing interpreter", p_interp_missing);
	try_patched("unterminated interpreter name", p_interp_unterminated);
	try_patched("huge interpreter name", p_interp_huge);
	try_patched("truncated file", p_truncated);
	try_patched("header cut short", p_header_cut);
	try_patched("segment beyond the file", p_load_beyond);
	try_patched("filesz > memsz", p_filesz_gt_memsz);
	return 0;
}
