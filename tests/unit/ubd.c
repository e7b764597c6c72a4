/* ubd: UML's option syntax and copy-on-write format, over real host files. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"
#include "kernel.h"
#include "blkdev.h"

static char dir[] = "/tmp/umk-ubd-XXXXXX";

static const char *setup(const char *arg)
{
	static char why[128];
	why[0] = 0;
	return ubd_setup(arg, why, sizeof why) ? why : NULL;
}

static char *path(const char *name)
{
	static char p[8][256];
	static int k;
	char *s = p[k++ % 8];
	snprintf(s, 256, "%s/%s", dir, name);
	return s;
}

static const char *opt(const char *fmt, const char *a, const char *b)
{
	static char o[8][600];
	static int k;
	char *s = o[k++ % 8];
	snprintf(s, 600, fmt, a, b);
	return s;
}

static void test_syntax(void)
{
	CHECK(setup("ubda=img") == NULL);
	CHECK_STR(setup("ubda=other"), "Device is already configured");
	CHECK_STR(setup("ubdq=img"), "Device number out of range");
	CHECK_STR(setup("ubd16=img"), "Device number out of range");
	CHECK_STR(setup("ubd_=img"), "Couldn't parse device number");
	CHECK_STR(setup("ubd3x=img"), "Expected '=' or flag letter (r, s, c, t or d)");
	CHECK_STR(setup("ubd4d=cow,base"), "Can't specify both 'd' and a cow file");
	CHECK_STR(setup("ubd5="), "Missing file name");
	CHECK(setup("ubd6rsct=img") == NULL);
	CHECK(setup("ubd7=cow:base:serial") == NULL);
	CHECK(setup("ubd8=img,,serial") == NULL);
}

static void fill(const char *name, size_t size, int seed)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	char *buf = malloc(size);
	for (size_t i = 0; i < size; i++)
		buf[i] = (char)(i * 7 + (size_t)seed);
	CHECK(write(fd, buf, size) == (ssize_t)size);
	close(fd);
	free(buf);
}

static uint32_t be32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* A missing COW file is made; reads see the backing file; writes, aligned
 * or not, land in the COW file only, and uml_moo's header is UML's. */
static void test_cow(void)
{
	char why[512];
	fill(path("base"), 1 << 20, 1);
	CHECK(setup(opt("ubdj=%s,%s,SER1", path("cow"), path("base"))) == NULL);
	CHECK(ubd_init(why, sizeof why) == 0);
	struct block_device *b = blkdev_by_name("/dev/ubdj");
	CHECK(b && b->size == 1 << 20 && !strcmp(b->serial, "SER1"));
	CHECK(blkdev_by_name("98:144") == b);
	char buf[8192], want[3000];
	CHECK(blkdev_read(b, buf, sizeof want, 1000) == 0);
	for (size_t i = 0; i < sizeof want; i++)
		want[i] = (char)((1000 + i) * 7 + 1);
	CHECK(memcmp(buf, want, sizeof want) == 0);
	memset(buf, 'x', sizeof buf);
	CHECK(blkdev_write(b, buf, 100, 700) == 0);   /* inside sectors 1 and 2 */
	CHECK(blkdev_write(b, buf, 4096, 8192) == 0); /* whole sectors */
	CHECK(blkdev_read(b, buf, 1024, 512) == 0);
	CHECK(buf[187] == (char)((699) * 7 + 1) && buf[188] == 'x' && buf[287] == 'x');
	CHECK(buf[288] == (char)(800 * 7 + 1));
	CHECK(blkdev_read(b, buf, 10, (1 << 20) - 5) == -EIO); /* past the end */
	struct stat st;
	CHECK(stat(path("base"), &st) == 0);
	int fd = open(path("base"), O_RDONLY);
	CHECK(pread(fd, buf, 100, 700) == 100 && buf[0] == (char)(700 * 7 + 1));
	close(fd);
	unsigned char h[4128];
	fd = open(path("cow"), O_RDONLY);
	CHECK(pread(fd, h, sizeof h, 0) == sizeof h);
	CHECK(be32_at(h) == 0x4f4f4f4d && be32_at(h + 4) == 3);
	CHECK(be32_at(h + 8) == (uint32_t)st.st_mtime);
	CHECK(be32_at(h + 16) == 1 << 20); /* size, low word */
	CHECK(be32_at(h + 20) == 512 && be32_at(h + 24) == 4096);
	CHECK_STR((char *)h + 32, path("base"));
	unsigned char bits[3];
	CHECK(pread(fd, bits, 3, 8192) == 3); /* the bitmap: after the header */
	CHECK(bits[0] == 0x02 && bits[1] == 0 && bits[2] == 0xff);
	close(fd);
	/* Another user of the COW file is refused while this one holds it. */
	CHECK(setup(opt("ubdk=%s%s", path("cow"), "")) == NULL);
	CHECK(ubd_init(why, sizeof why) == -EBUSY);
	CHECK(strstr(why, "in use by another instance") != NULL);
}

/* A backing file that changed under its COW file is refused. */
static void test_changed_backing(void)
{
	char why[512];
	fill(path("base2"), 65536, 2);
	/* Made by another instance, which then goes away. */
	pid_t pid = fork();
	if (pid == 0) {
		CHECK(setup(opt("ubdl=%s,%s", path("cow2"), path("base2"))) == NULL);
		CHECK(ubd_init(why, sizeof why) == 0);
		_exit(unit_failures);
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	struct timespec t[2] = {{0, UTIME_OMIT}, {12345, 0}};
	CHECK(utimensat(AT_FDCWD, path("base2"), t, 0) == 0);
	CHECK(setup(opt("ubdmr=%s%s", path("cow2"), "")) == NULL);
	CHECK(ubd_init(why, sizeof why) == -EINVAL);
	CHECK(strstr(why, "changed since the COW file was made") != NULL);
	CHECK(setup(opt("ubdn=%s,%s", path("cow3"), path("missing"))) == NULL);
	CHECK(ubd_init(why, sizeof why) == -ENOENT);
	CHECK(strstr(why, "cannot open backing file") != NULL);
}

int main(void)
{
	unit_name = "ubd";
	if (!mkdtemp(dir))
		return 1;
	/* In a child: the devices it configures are never opened. */
	pid_t pid = fork();
	if (pid == 0) {
		test_syntax();
		_exit(unit_failures);
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	test_cow();
	test_changed_backing();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	return unit_finish();
}
