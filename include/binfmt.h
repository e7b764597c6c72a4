/* An exec in progress (Linux's linux_binprm). */
#ifndef BINFMT_H
#define BINFMT_H
#include "kernel.h"
#include "task.h"

#define BINPRM_BUF_SIZE 256
#define MAX_ARG_STRLEN	(32 * 4096)

struct file;

struct linux_binprm {
	char buf[BINPRM_BUF_SIZE];
	struct file *file;
	char *filename; /* as given to execve: AT_EXECFN, the comm */
	char *interp;	/* the name the next #! line pushes: NULL for filename */
	char **argv, **envp;
	int argc, envc;
	size_t strings_size; /* bytes of all strings with their NULs */
	int depth;	     /* #! nesting */
	struct cred cred;    /* after set-id bits */
	bool secure;
	uaddr_t execfn_addr; /* where filename lands on the new stack */
};

/* Releases what an exec holds (also when it dies past the point of no return). */
void bprm_free(struct linux_binprm *bprm);
/* Point of no return: the task gets a fresh stub and address space, and
 * leaves its old image (threads, handlers, close-on-exec fds) behind. */
int begin_new_exec(struct linux_binprm *bprm);
/* Lays out strings, pointers and the auxiliary vector on the new stack. */
int create_elf_tables(struct linux_binprm *bprm, uint64_t *auxv, int auxc, uaddr_t *sp);
/* Opens a file for exec: a regular, executable file on an exec mount. */
struct file *open_exec(int dfd, const char *name, unsigned lookup_flags);
long kernel_execve(const char *filename, const char *const *argv, const char *const *envp);

#endif
