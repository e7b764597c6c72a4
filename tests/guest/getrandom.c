/* getrandom: lengths, flags, errors; bytes differ from call to call. */
#include "t.h"
#include <sys/random.h>

int main(void)
{
	unsigned char a[64], b[64];
	T(getrandom(a, sizeof a, 0));
	T(getrandom(b, sizeof b, 0));
	SAY("  differ %d\n", memcmp(a, b, sizeof a) != 0);
	T(getrandom(a, 0, 0));
	T(getrandom(a, 1, GRND_NONBLOCK));
	T(getrandom(a, 16, GRND_RANDOM));
	T(getrandom(a, 16, GRND_RANDOM | GRND_NONBLOCK));
	T(getrandom(a, 16, GRND_INSECURE));
	T(getrandom(a, 16, GRND_INSECURE | GRND_RANDOM));
	T(getrandom(a, 16, 0x40));
	T(getrandom(BADPTR, 16, 0));
	T(getrandom(NULL, 0, 0));
	/* Large requests: the full amount (no signal arrives). */
	static unsigned char big[1 << 20];
	T(getrandom(big, sizeof big, 0));
	/* Not all zero, and roughly balanced bits. */
	long ones = 0;
	for (size_t i = 0; i < sizeof big; i++)
		ones += __builtin_popcount(big[i]);
	SAY("  balanced %d\n", ones > 4000000 && ones < 4400000);
	/* Bytes 256..511 of one call are not a copy of bytes 0..255. */
	SAY("  not repeating %d\n", memcmp(big, big + 256, 256) != 0);
	/* A request larger than INT_MAX is capped, not an error... only
	 * checked with a buffer that faults: EFAULT. */
	T(syscall(SYS_getrandom, BADPTR, 1UL << 40, 0));
	return 0;
}
