/*
 * gen_init_cpio: builds a "newc" cpio archive from a description, as
 * Linux's usr/gen_init_cpio does, so device nodes need no privileges.
 *   dir <name> <mode> <uid> <gid>
 *   file <name> <source> <mode> <uid> <gid>
 *   slink <name> <target> <mode> <uid> <gid>
 *   nod <name> <mode> <uid> <gid> <c|b> <major> <minor>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long ino = 721;
static size_t offset;

static void pad(void)
{
	while (offset & 3) {
		putchar(0);
		offset++;
	}
}

static void header(const char *name, unsigned mode, unsigned uid, unsigned gid, size_t size,
		   unsigned rmaj, unsigned rmin)
{
	size_t namesize = strlen(name) + 1;
	offset += (size_t)printf("070701%08lX%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X",
				 ino++, mode, uid, gid, 1u, 0u, (unsigned long)size, 0u, 0u, rmaj,
				 rmin, (unsigned long)namesize, 0u);
	fwrite(name, 1, namesize, stdout);
	offset += namesize;
	pad();
}

static void body(const void *data, size_t len)
{
	fwrite(data, 1, len, stdout);
	offset += len;
	pad();
}

int main(int argc, char **argv)
{
	FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	char line[4096];
	while (fgets(line, sizeof line, in)) {
		char kind[16], name[1024], a[1024], t;
		unsigned mode, uid, gid, ma, mi;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "dir %1023s %o %u %u", name, &mode, &uid, &gid) == 4) {
			header(name, S_IFDIR | mode, uid, gid, 0, 0, 0);
		} else if (sscanf(line, "file %1023s %1023s %o %u %u", name, a, &mode, &uid,
				  &gid) == 5) {
			FILE *f = fopen(a, "rb");
			if (!f) {
				perror(a);
				return 1;
			}
			fseek(f, 0, SEEK_END);
			long size = ftell(f);
			rewind(f);
			char *buf = malloc((size_t)size + 1);
			if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
				return 1;
			fclose(f);
			header(name, S_IFREG | mode, uid, gid, (size_t)size, 0, 0);
			body(buf, (size_t)size);
			free(buf);
		} else if (sscanf(line, "slink %1023s %1023s %o %u %u", name, a, &mode, &uid,
				  &gid) == 5) {
			header(name, S_IFLNK | mode, uid, gid, strlen(a), 0, 0);
			body(a, strlen(a));
		} else if (sscanf(line, "nod %1023s %o %u %u %c %u %u", name, &mode, &uid, &gid, &t,
				  &ma, &mi) == 7) {
			header(name, (t == 'b' ? S_IFBLK : S_IFCHR) | mode, uid, gid, 0, ma, mi);
		} else if (sscanf(line, "%15s", kind) == 1) {
			fprintf(stderr, "gen_init_cpio: cannot parse: %s", line);
			return 1;
		}
	}
	header("TRAILER!!!", 0, 0, 0, 0, 0, 0);
	while (offset % 512) {
		putchar(0);
		offset++;
	}
	return 0;
}
