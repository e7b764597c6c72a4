#!/bin/sh
# The seccomp platform's threat model (docs/seccomp.md), one hostile guest
# per point: jumping into the stub, forging control pages, blocking host
# signals, racing its own threads. Each must harm nobody but itself.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O1 -mno-red-zone -pthread -o "$dir/hostile" "$(dirname "$0")/progs/hostile.c" ||
	{ fail seccomp/build; exit 0; }
UMK_OPTS="$UMK_OPTS platform=seccomp"
H=$dir/hostile

# Stub calls outside the allowlist, or with arguments the filter refuses,
# kill the guest process that made them, and nothing else.
cases="execve open kill mmap-stub mmap-anywhere mprotect-stub munmap-ctl wrap-around
mremap-into-stub clone-plain sigaction getfd"
out=$(guest_sh "$H $(echo $cases)")
for c in $cases; do
	echo "$out" | grep -qx "$c: killed by KILL" && pass "seccomp/jump-$c" ||
		fail "seccomp/jump-$c" "$(echo "$out" | grep "^$c:")"
done
echo "$out" | grep -qx "parent: getppid 1 stat 0" && pass seccomp/jumps-parent-unharmed ||
	fail seccomp/jumps-parent-unharmed "$out"

# A guest that blocks every host signal, directly or through a forged signal
# frame, still dies when killed.
out=$(guest_sh "$H block-signals forged-sigreturn")
for c in block-signals forged-sigreturn; do
	echo "$out" | grep -qx "$c: killed by KILL" && pass "seccomp/$c" ||
		fail "seccomp/$c" "$(echo "$out" | grep "^$c:")"
done

# Garbage in its own control pages, or forged posts on a sibling's page: the
# process may die or go on, but it is killable and the rest is unharmed.
out=$(guest_sh "$H forge-pages forge-posts; echo after; cat /etc/hostname >/dev/null && echo files")
for c in forge-pages forge-posts; do
	echo "$out" | grep -q "^$c: killed by" && pass "seccomp/$c" ||
		fail "seccomp/$c" "$(echo "$out" | grep "^$c:")"
done
echo "$out" | grep -qx files && echo "$out" | grep -qx "parent: getppid 1 stat 0" &&
	pass seccomp/forged-pages-contained || fail seccomp/forged-pages-contained "$out"

# A thread racing for the fd of a file another thread maps read-only never
# gets it writable: the stub only ever holds a read-only fd for it.
out=$(guest_sh "mount -t tmpfs none /mnt && echo original >/mnt/f && chmod 644 /mnt/f &&
	RACE_FILE=/mnt/f $H fd-race && cat /mnt/f")
echo "$out" | grep -qx "writable mappings won: 0" && echo "$out" | grep -qx original &&
	pass seccomp/fd-race || fail seccomp/fd-race "$out"

# A memory call umk answered before the stub made it (docs/seccomp.md,
# "Deferred memory calls"), which the host then refuses because the guest
# filled its mappings behind umk's back: that process dies, with a line in
# the log, and nothing else.
out=$(guest_sh "$H deferred-refused; dmesg | grep -c 'host refuse[d] a memory call'")
echo "$out" | grep -qx "deferred-refused: killed by KILL" && echo "$out" | grep -qx 1 &&
	echo "$out" | grep -qx "parent: getppid 1 stat 0" && pass seccomp/deferred-refused ||
	fail seccomp/deferred-refused "$out"

# The jump table of patched system call sites, which every stub maps: a
# guest cannot write it, and the others go on using it.
out=$(guest_sh "$H write-table; cat /etc/hostname >/dev/null && echo files")
echo "$out" | grep -qx "write-table: exit 0" && echo "$out" | grep -qx files &&
	pass seccomp/table-read-only || fail seccomp/table-read-only "$out"

# A process made behind umk's back (clone from the stub) is reaped while the
# guest runs on.
"$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 $UMK_OPTS init="$H" -- rogue-fork \
	>"$dir/rogue" 2>&1 </dev/null &
linux=$!
sleep 1
rogue=$(sed -n 's/^rogue //p' "$dir/rogue")
alive_then=$(test -n "$rogue" && test -d "/proc/$rogue" && echo yes)
sleep 5
alive_now=$(test -n "$rogue" && test -d "/proc/$rogue" && echo yes)
wait $linux
[ "$alive_then" = yes ] && [ -z "$alive_now" ] && pass seccomp/rogue-reaped ||
	fail seccomp/rogue-reaped "rogue=$rogue then=$alive_then now=$alive_now"

# Stubs live in their own user, mount, network, IPC and UTS namespaces,
# with an empty root, as nobody when ./linux is root (seen from the host).
"$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 $UMK_OPTS init=/bin/sleep -- 3 \
	</dev/null >/dev/null 2>&1 &
linux=$!
sleep 1
tpl=$(ps -o pid= --ppid $linux | head -n1 | tr -d ' ')
isolated=yes
for ns in user mnt net ipc uts; do
	[ -n "$tpl" ] && [ "$(readlink /proc/$tpl/ns/$ns)" != "$(readlink /proc/self/ns/$ns)" ] ||
		isolated="no ($ns)"
done
[ -n "$tpl" ] && [ -z "$(ls -A /proc/$tpl/root/ 2>/dev/null)" ] || isolated="no (root)"
[ "$(id -u)" != 0 ] || [ "$(awk '/^Uid:/ { print $2 }' /proc/$tpl/status)" = 65534 ] ||
	isolated="no (uid)"
wait $linux
[ "$isolated" = yes ] && pass seccomp/stubs-isolated || fail seccomp/stubs-isolated "$isolated"

# Where the host refuses user namespaces, one log line says so, and the
# guest runs all the same.
if unshare -U -r true 2>/dev/null; then
	out=$(unshare -U -r sh -c "echo 0 >/proc/sys/user/max_user_namespaces &&
		$LINUX rootfstype=hostfs hostfs=/ loglevel=5 $UMK_OPTS init=/bin/sh -- -c 'echo ran'" \
		</dev/null 2>&1)
	[ "$(echo "$out" | grep -c 'stubs not fully isolated')" = 1 ] && echo "$out" | grep -qx ran &&
		pass seccomp/no-namespaces-fallback || fail seccomp/no-namespaces-fallback "$out"
else
	skip seccomp/no-namespaces-fallback "no user namespaces here to refuse"
fi
