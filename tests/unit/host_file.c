/* host/file.c: which host files ./linux may read by their mode bits alone. */
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "host.h"

static bool may_read(uint32_t uid, uint32_t gid, uint32_t mode)
{
	struct host_stat st = {.uid = uid, .gid = gid, .mode = S_IFREG | mode};
	return host_may_read(&st);
}

int main(void)
{
	unit_name = "host_file";
	uint32_t me = geteuid(), us = getegid(), other = me + 1, others = us + 1;
	CHECK(may_read(me, others, 0400));
	CHECK(!may_read(me, us, 0044)); /* the owner's bits decide for the owner */
	CHECK(may_read(other, us, 0040));
	CHECK(!may_read(other, us, 0404)); /* the group's bits decide for the group */
	CHECK(may_read(other, others, 0004));
	CHECK(!may_read(other, others, 0440));
	return unit_finish();
}
