#!/bin/sh
# Random system calls from the guest: the kernel must survive them all, on
# both platforms. Seed 1000 once left a ptrace stub that the host would not
# let return to user mode (its rseq area broken by the guest).
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O1 -o "$dir/fuzz" "$(dirname "$0")/progs/fuzz.c" || { fail fuzz/build; exit 0; }
for run in seccomp:0 ptrace:1000; do
	platform=${run%:*} seed=${run#*:}
	rm -rf "$dir/play" && mkdir "$dir/play"
	out=$(timeout 300 "$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 platform=$platform \
		$UMK_OPTS init="$dir/fuzz" -- "${FUZZ_ROUNDS:-60}" "$dir/play" $seed </dev/null 2>&1)
	st=$?
	if [ $st = 0 ] && echo "$out" | grep -q 'fuzz done'; then
		pass "fuzz/syscalls[$platform,seed $seed]"
	else
		fail "fuzz/syscalls[$platform,seed $seed]" "status $st"
		echo "$out" | tail -5 | sed 's/^/    /'
	fi
done
