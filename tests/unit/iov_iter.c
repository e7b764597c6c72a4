/* I/O vectors: segments, partial copies at a fault, kernel buffers. */
#include "unit.h"
#include "kernel.h"
#include "iov.h"

extern unsigned char fake_user[];
#define U(off) (0x10000 + (off))

int main(void)
{
	unit_name = "iov_iter";
	struct iov_iter it;
	const char msg[] = "0123456789";
	iov_iter_user(&it, U(100), 4);
	CHECK(copy_to_iter(msg, 10, &it) == 4); /* bounded by the iter */
	CHECK(!memcmp(fake_user + 100, "0123", 4) && it.count == 0);

	/* Three segments, the middle one empty. */
	struct kvec v[3] = {{U(0), 3}, {U(50), 0}, {U(200), 5}};
	it.user = true, it.vec = v, it.nr_segs = 3, it.seg_off = 0, it.count = 8;
	CHECK(copy_to_iter(msg, 10, &it) == 8);
	CHECK(!memcmp(fake_user, "012", 3) && !memcmp(fake_user + 200, "34567", 5));

	/* A fault in the second segment: a short copy, then nothing. */
	struct kvec w[2] = {{U(0), 4}, {0x5000, 4}};
	it.user = true, it.vec = w, it.nr_segs = 2, it.seg_off = 0, it.count = 8;
	CHECK(copy_to_iter(msg, 8, &it) == 4);
	CHECK(it.count == 4);

	/* Reading from guest memory that runs off the end of the mapping. */
	char in[16] = {0};
	iov_iter_user(&it, U(65536 - 3), 10);
	memcpy(fake_user + 65533, "xyz", 3);
	CHECK(copy_from_iter(in, 10, &it) == 3 && !memcmp(in, "xyz", 3));

	char kbuf[8];
	iov_iter_kernel(&it, kbuf, sizeof kbuf);
	CHECK(copy_to_iter("abcdefghij", 10, &it) == 8 && !memcmp(kbuf, "abcdefgh", 8));
	iov_iter_kernel(&it, kbuf, 8);
	iov_iter_advance(&it, 6);
	CHECK(copy_to_iter("XY", 2, &it) == 2 && kbuf[6] == 'X' && it.count == 0);
	return unit_finish();
}
