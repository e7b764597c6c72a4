/* What a program was given at exec: its ids, capabilities, AT_SECURE, and
 * whether it can read a file only root may read; or (-set FILE ep|p, -has
 * FILE) a file's capabilities set or looked at. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/auxv.h>
#include <sys/xattr.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 3 && !strcmp(argv[1], "-set")) { /* cap_dac_override, revision 2 */
		const unsigned v[5] = {0x02000000 | !strcmp(argv[3], "ep"), 2, 0, 0, 0};
		int r = setxattr(argv[2], "security.capability", v, sizeof v, 0);
		printf("setxattr %s\n", r ? strerror(errno) : "ok");
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "-has")) {
		long n = getxattr(argv[2], "security.capability", NULL, 0);
		printf("file caps %s\n", n > 0 ? "yes" : "no");
		return 0;
	}
	char line[256], out[512] = "";
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "CapPrm:", 7) || !strncmp(line, "CapEff:", 7) ||
		    !strncmp(line, "CapAmb:", 7)) {
			line[strcspn(line, "\n")] = 0;
			strcat(out, line);
			strcat(out, " ");
		}
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : -1;
	printf("euid %d %ssecure %lu read %s\n", (int)geteuid(), out, getauxval(AT_SECURE),
	       fd >= 0 ? "yes" : "no");
	return 0;
}
