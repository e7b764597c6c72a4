/* openat2: struct open_how, its size and flag checks, RESOLVE_* flags. */
#include "t.h"
#include <linux/openat2.h>
#include <stdint.h>

static long oa2(int dfd, const char *p, struct open_how *h, size_t sz)
{
	return syscall(SYS_openat2, dfd, p, h, sz);
}

int main(void)
{
	const char *d = scratch("openat2");
	if (chdir(d))
		return 1;
	T(mkdir("dir", 0755));
	T(mkdir("dir/sub", 0755));
	T(close(open("dir/sub/f", O_CREAT | O_WRONLY, 0644)));
	T(symlink("/", "dir/abs"));
	T(symlink("sub/f", "dir/rel"));
	T(symlink("../..", "dir/up"));
	int dfd = T(open("dir", O_RDONLY | O_DIRECTORY));

	struct open_how h = {.flags = O_RDONLY};
	long fd = T(oa2(dfd, "sub/f", &h, sizeof h));
	T(close(fd));
	/* Sizes: smaller than v0 is EINVAL, larger with non-zero tail E2BIG. */
	T(oa2(dfd, "sub/f", &h, 8));
	struct {
		struct open_how h;
		uint64_t extra;
	} big = {{.flags = O_RDONLY}, 0};
	fd = T(oa2(dfd, "sub/f", &big.h, sizeof big));
	T(close(fd));
	big.extra = 1;
	T(oa2(dfd, "sub/f", &big.h, sizeof big));
	T(oa2(dfd, "sub/f", BADPTR, sizeof h));

	/* Unlike openat, unknown flags and a mode without O_CREAT are errors. */
	h = (struct open_how){.flags = 1ULL << 40};
	T(oa2(dfd, "sub/f", &h, sizeof h));
	h = (struct open_how){.flags = O_RDONLY, .mode = 0644};
	T(oa2(dfd, "sub/f", &h, sizeof h));
	h = (struct open_how){.flags = O_RDONLY, .resolve = 1ULL << 40};
	T(oa2(dfd, "sub/f", &h, sizeof h));
	h = (struct open_how){.flags = O_CREAT | O_WRONLY, .mode = 010000};
	T(oa2(dfd, "new", &h, sizeof h));
	h = (struct open_how){.flags = O_CREAT | O_WRONLY, .mode = 0600};
	fd = T(oa2(dfd, "new", &h, sizeof h));
	struct stat st;
	T(fstat(fd, &st));
	SAY("  mode %o\n", st.st_mode);
	T(close(fd));

	/* RESOLVE_BENEATH: no absolute paths, no absolute symlinks, no escape. */
	h = (struct open_how){.flags = O_RDONLY, .resolve = RESOLVE_BENEATH};
	fd = T(oa2(dfd, "sub/f", &h, sizeof h));
	T(close(fd));
	fd = T(oa2(dfd, "rel", &h, sizeof h));
	T(close(fd));
	fd = T(oa2(dfd, "sub/../sub/f", &h, sizeof h));
	T(close(fd));
	T(oa2(dfd, "/etc", &h, sizeof h));
	T(oa2(dfd, "abs", &h, sizeof h));
	T(oa2(dfd, "..", &h, sizeof h));
	T(oa2(dfd, "up", &h, sizeof h));
	T(oa2(dfd, "sub/../../dir/sub/f", &h, sizeof h));

	/* RESOLVE_NO_SYMLINKS and RESOLVE_NO_MAGICLINKS. */
	h = (struct open_how){.flags = O_RDONLY, .resolve = RESOLVE_NO_SYMLINKS};
	T(oa2(dfd, "rel", &h, sizeof h));
	fd = T(oa2(dfd, "sub/f", &h, sizeof h));
	T(close(fd));
	h = (struct open_how){.flags = O_RDONLY | O_PATH | O_NOFOLLOW,
			      .resolve = RESOLVE_NO_SYMLINKS};
	fd = T(oa2(dfd, "rel", &h, sizeof h));
	T(close(fd));

	/* RESOLVE_IN_ROOT: absolute symlinks and .. stay inside dirfd. */
	h = (struct open_how){.flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT};
	fd = T(oa2(dfd, "/sub/f", &h, sizeof h));
	T(close(fd));
	fd = T(oa2(dfd, "../../../sub/f", &h, sizeof h));
	T(close(fd));
	fd = T(oa2(dfd, "abs", &h, sizeof h));
	T(fstat(fd, &st));
	struct stat st2;
	T(fstat(dfd, &st2));
	SAY("  abs is dirfd %d\n", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	T(close(fd));
	T(oa2(dfd, "abs/etc/passwd", &h, sizeof h));
	h = (struct open_how){.flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT | RESOLVE_BENEATH};
	T(oa2(dfd, "sub/f", &h, sizeof h));
	return 0;
}
