/*
 * Defining system calls, as in Linux:
 *
 *     SYSCALL_DEFINE3(read, int, fd, uaddr_t, buf, size_t, count)
 *     { ... }
 *
 * defines sys_read() and registers it under __NR_read in a linker section,
 * from which the dispatch table is built at boot (kernel/syscall.c). So
 * `grep -rn 'SYSCALL_DEFINE.(read,'` finds any call's implementation.
 * Arguments arrive as the six argument registers, cast to the declared types
 * as Linux does (an int argument uses the register's low 32 bits).
 */
#ifndef SYSCALL_H
#define SYSCALL_H
#include "kernel.h"
#include "uapi/unistd.h"

struct task;

struct syscall_entry {
	int nr;
	const char *name;
	long (*fn)(const long *args);
};

#define MAP0(m, ...)
#define MAP1(m, t, a, ...) m(t, a)
#define MAP2(m, t, a, ...) m(t, a), MAP1(m, __VA_ARGS__)
#define MAP3(m, t, a, ...) m(t, a), MAP2(m, __VA_ARGS__)
#define MAP4(m, t, a, ...) m(t, a), MAP3(m, __VA_ARGS__)
#define MAP5(m, t, a, ...) m(t, a), MAP4(m, __VA_ARGS__)
#define MAP6(m, t, a, ...) m(t, a), MAP5(m, __VA_ARGS__)
#define MAP(n, ...)	   MAP##n(__VA_ARGS__)
#define SC_DECL(t, a)	   t a
#define ARGS0
#define ARGS1 (a[0])
#define ARGS2 ARGS1, (a[1])
#define ARGS3 ARGS2, (a[2])
#define ARGS4 ARGS3, (a[3])
#define ARGS5 ARGS4, (a[4])
#define ARGS6 ARGS5, (a[5])

#define SYSCALL_DEFINEx(x, name, ...)                                                              \
	static long sys_##name(MAP(x, SC_DECL, __VA_ARGS__));                                      \
	static long entry_sys_##name(const long *a)                                                \
	{                                                                                          \
		(void)a;                                                                           \
		return sys_##name(ARGS##x);                                                        \
	}                                                                                          \
	static const struct syscall_entry syscall_entry_##name                                     \
	    __attribute__((used, section("syscall_table"), aligned(8))) = {__NR_##name, #name,     \
									   entry_sys_##name};      \
	static long sys_##name(MAP(x, SC_DECL, __VA_ARGS__))

#define SYSCALL_DEFINE0(name)                                                                      \
	static long sys_##name(void);                                                              \
	static long entry_sys_##name(const long *a)                                                \
	{                                                                                          \
		(void)a;                                                                           \
		return sys_##name();                                                               \
	}                                                                                          \
	static const struct syscall_entry syscall_entry_##name                                     \
	    __attribute__((used, section("syscall_table"), aligned(8))) = {__NR_##name, #name,     \
									   entry_sys_##name};      \
	static long sys_##name(void)
#define SYSCALL_DEFINE1(name, ...) SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) SYSCALL_DEFINEx(6, name, __VA_ARGS__)

void syscall_table_init(void);
void do_syscall(struct task *t);
extern bool syscall_trace;

#endif
