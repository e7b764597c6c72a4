#!/bin/sh
# ABIs umk refuses, loudly: int $0x80 gets SIGSEGV and a kernel log line.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O1 -o "$dir/int80" "$(dirname "$0")/progs/int80.c" || { fail abi/build; exit 0; }
out=$(guest_sh "$dir/int80 2>/dev/null; echo status=\$?; dmesg | grep -c 'int [$]0x80 system call refused'")
[ "$out" = "before
status=139
1" ] && pass abi/int80-refused || fail abi/int80-refused "got: $out"
