#!/bin/sh
# Random system calls from the guest: the kernel must survive them all.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O1 -o "$dir/fuzz" "$(dirname "$0")/progs/fuzz.c" || { fail fuzz/build; exit 0; }
mkdir "$dir/play"
out=$(timeout 300 "$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 $UMK_OPTS \
	init="$dir/fuzz" -- "${FUZZ_ROUNDS:-60}" "$dir/play" </dev/null 2>&1); st=$?
if [ $st = 0 ] && echo "$out" | grep -q 'fuzz done'; then pass fuzz/syscalls; else
	fail fuzz/syscalls "status $st"
	echo "$out" | tail -5 | sed 's/^/    /'
fi
