/* The i386 system call ABI from 64-bit code: umk refuses it (SIGSEGV). */
#include <stdio.h>
int main(void)
{
	long r;
	fputs("before\n", stdout);
	fflush(stdout);
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	printf("after: %ld\n", r);
	return 0;
}
