/* sysinfo: only relations that hold on any machine. */
#include "t.h"
#include <sys/sysinfo.h>

int main(void)
{
	struct sysinfo si;
	T(sysinfo(&si));
	SAY("  mem_unit >= 1: %d\n", si.mem_unit >= 1);
	SAY("  totalram >= freeram: %d\n", si.totalram >= si.freeram);
	SAY("  totalram > 0: %d\n", si.totalram > 0);
	SAY("  totalswap >= freeswap: %d\n", si.totalswap >= si.freeswap);
	SAY("  procs >= 1: %d\n", si.procs >= 1);
	SAY("  uptime >= 0: %d\n", si.uptime >= 0);
	SAY("  totalhigh %lu freehigh %lu\n", si.totalhigh, si.freehigh);
	/* Uptime does not go backwards; a new process counts. */
	struct sysinfo s2;
	sleep(1);
	T(sysinfo(&s2));
	SAY("  uptime moved: %d\n", s2.uptime >= si.uptime + 1 && s2.uptime <= si.uptime + 3);
	SAY("  get_nprocs >= 1: %d conf >= nprocs: %d\n", get_nprocs() >= 1,
	    get_nprocs_conf() >= get_nprocs());
	T(sysinfo(BADPTR));
	T(sysinfo(NULL));
	return 0;
}
