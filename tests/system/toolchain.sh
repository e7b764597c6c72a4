#!/bin/sh
# gcc compiles and runs a program inside the guest; make -j2 builds a
# small multi-file project there.
. "$(dirname "$0")/../lib.sh"
command -v gcc >/dev/null || { skip toolchain "no gcc on the host"; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/hello.c" <<'C'
#include <stdio.h>
int main(void) { printf("hello %d\n", 6 * 7); return 0; }
C
out=$(guest_sh "export PATH=/usr/bin:/bin; cd $dir && gcc -O2 -o hello hello.c && ./hello")
[ "$out" = "hello 42" ] && pass toolchain/gcc || fail toolchain/gcc "$out"

mkdir -p "$dir/proj"
for i in 1 2 3 4 5 6; do
	printf 'int f%d(int x) { return x * %d; }\n' $i $i >"$dir/proj/f$i.c"
done
cat >"$dir/proj/main.c" <<'C'
#include <stdio.h>
int f1(int), f2(int), f3(int), f4(int), f5(int), f6(int);
int main(void) { printf("sum %d\n", f1(1) + f2(1) + f3(1) + f4(1) + f5(1) + f6(1)); return 0; }
C
cat >"$dir/proj/Makefile" <<'MK'
OBJS = main.o f1.o f2.o f3.o f4.o f5.o f6.o
prog: $(OBJS)
	$(CC) -o $@ $(OBJS)
%.o: %.c
	$(CC) -O2 -c $<
MK
out=$(guest_sh "export PATH=/usr/bin:/bin; cd $dir/proj && make -s -j2 && ./prog")
[ "$out" = "sum 21" ] && pass toolchain/make-j2 || fail toolchain/make-j2 "$out"
