/* Extended attributes: user., trusted. and security. names, create and
 * replace flags, sizes, lists, removal, symlinks and special files. */
#include "t.h"
#include <sys/xattr.h>

/* The names of a list, sorted (filesystems list in their own order). */
static void show_list(const char *path)
{
	char buf[4096], *names[64];
	long n = listxattr(path, buf, sizeof buf);
	if (n < 0) {
		SAY("  list: %s\n", strerrorname_np(errno));
		return;
	}
	int k = 0;
	for (char *p = buf; p < buf + n && k < 64; p += strlen(p) + 1)
		if (!strncmp(p, "user.", 5) || !strncmp(p, "trusted.", 8))
			names[k++] = p;
	for (int i = 0; i < k; i++)
		for (int j = i + 1; j < k; j++)
			if (strcmp(names[i], names[j]) > 0) {
				char *t = names[i];
				names[i] = names[j];
				names[j] = t;
			}
	SAY("  list:");
	for (int i = 0; i < k; i++)
		SAY(" %s", names[i]);
	SAY("\n");
}

int main(void)
{
	const char *d = scratch("xattr");
	if (chdir(d))
		return 1;
	T(close(open("f", O_CREAT | O_WRONLY, 0644)));
	T(setxattr("f", "user.a", "one", 3, 0));
	T(setxattr("f", "user.a", "two", 3, XATTR_CREATE));
	T(setxattr("f", "user.b", "x", 1, XATTR_REPLACE));
	T(setxattr("f", "user.a", "three", 5, XATTR_REPLACE));
	char v[8192] = {0};
	T(getxattr("f", "user.a", v, sizeof v));
	SAY("  user.a = %s\n", v);
	T(getxattr("f", "user.a", NULL, 0));
	T(getxattr("f", "user.a", v, 2));
	T(getxattr("f", "user.none", v, sizeof v));
	T(setxattr("f", "user.empty", "", 0, 0));
	T(getxattr("f", "user.empty", v, sizeof v));
	T(setxattr("f", "trusted.t", "root only", 9, 0));
	T(getxattr("f", "trusted.t", v, sizeof v));
	/* A value too big for the inode: an external block on ext4. */
	char big[3000];
	memset(big, 'b', sizeof big);
	T(setxattr("f", "user.big", big, sizeof big, 0));
	memset(v, 0, sizeof v);
	T(getxattr("f", "user.big", v, sizeof v));
	SAY("  big intact: %d\n", memcmp(v, big, sizeof big) == 0);
	for (int i = 0; i < 20; i++) {
		char name[32];
		snprintf(name, sizeof name, "user.many%02d", i);
		T(setxattr("f", name, name, strlen(name), 0));
	}
	show_list("f");
	T(listxattr("f", v, 4));
	T(removexattr("f", "user.a"));
	T(removexattr("f", "user.a"));
	T(removexattr("f", "user.big"));
	show_list("f");
	T(setxattr("f", "bogus.x", "v", 1, 0));
	T(setxattr("f", "user.", "v", 1, 0));
	T(setxattr("f", "user.x", "v", 1, 3));
	T(setxattr("nonexistent", "user.x", "v", 1, 0));

	/* Directories take user. names; symlinks and FIFOs do not. */
	T(mkdir("d", 0755));
	T(setxattr("d", "user.dir", "yes", 3, 0));
	T(getxattr("d", "user.dir", v, sizeof v));
	T(symlink("f", "sl"));
	T(lsetxattr("sl", "user.x", "v", 1, 0));
	T(lgetxattr("sl", "user.x", v, sizeof v));
	T(getxattr("sl", "user.dir", v, sizeof v)); /* follows to f */
	T(mknod("fifo", S_IFIFO | 0644, 0));
	T(setxattr("fifo", "user.x", "v", 1, 0));

	/* The attributes stay with the file across a rename and a link. */
	T(rename("f", "g"));
	T(link("g", "h"));
	memset(v, 0, sizeof v);
	T(getxattr("h", "user.many07", v, sizeof v));
	SAY("  %s\n", v);
	int fd = T(open("h", O_RDONLY));
	T(fsetxattr(fd, "user.viafd", "1", 1, 0));
	T(fgetxattr(fd, "user.viafd", v, sizeof v));
	T(fremovexattr(fd, "user.viafd"));
	T(close(fd));
	return 0;
}
