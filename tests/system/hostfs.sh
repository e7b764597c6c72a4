#!/bin/sh
# hostfs confinement: nothing the guest names reaches outside hostfs=DIR;
# the host's pseudo filesystems and device nodes are never opened; the
# guest's ownership and modes live in xattrs, never on the host file.
. "$(dirname "$0")/../lib.sh"
top=$(mktemp -d)
trap 'umount "$top/root/hproc" 2>/dev/null; rm -rf "$top"' EXIT
root=$top/root
mkdir -p "$root/bin" "$root/etc" "$root/dev" "$root/proc" "$root/work"
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
echo "host secret" >"$top/secret"
printf 'root:x:0:0:guest passwd:/:/bin/sh\n' >"$root/etc/passwd"
ln -s / "$root/up"
ln -s ../../../../.. "$root/far"
ln -s /etc/passwd "$root/pw"

boot() { # boot with the private root; $1 = extra options, $2 = command
	timeout "$TIMEOUT" "$LINUX" rootfstype=hostfs hostfs="$root" loglevel=0 $UMK_OPTS $1 \
		init=/bin/sh -- -c "$2" </dev/null 2>&1
}
expect() { # name, command, expected output
	out=$(boot rw "$2")
	[ "$out" = "$3" ] && pass "hostfs/$1" || fail "hostfs/$1" "got: $out"
}

expect dotdot 'cd /; cd ../../..; /bin/busybox cat secret ../secret /../secret 2>/dev/null; /bin/busybox ls / | /bin/busybox grep -c work' 1
expect symlink-to-root '/bin/busybox cat /up/../../secret 2>/dev/null; /bin/busybox cat /up/etc/passwd' 'root:x:0:0:guest passwd:/:/bin/sh'
expect relative-symlink-escape '/bin/busybox cat /far/secret /far/etc/passwd 2>/dev/null' 'root:x:0:0:guest passwd:/:/bin/sh'
expect absolute-symlink '/bin/busybox cat /pw' 'root:x:0:0:guest passwd:/:/bin/sh'
expect proc-root-trick '/bin/busybox cat /proc/self/root/../secret /proc/1/root/../../secret 2>/dev/null; /bin/busybox cat /proc/self/root/etc/passwd' 'root:x:0:0:guest passwd:/:/bin/sh'

# A symlink swapped for a directory while other processes walk through it.
out=$(boot rw '
cd /work; /bin/busybox mkdir d; echo inside > d/f
( i=0; while [ $i -lt 300 ]; do /bin/busybox mv d d2; /bin/busybox ln -s / d; /bin/busybox rm d; /bin/busybox mv d2 d; i=$((i+1)); done ) &
j=0; while [ $j -lt 300 ]; do /bin/busybox cat d/../../secret d/../../../secret 2>/dev/null; j=$((j+1)); done
wait; echo done')
[ "$out" = done ] && pass hostfs/swap-race || fail hostfs/swap-race "got: $(echo "$out" | head -3)"

# A file the host replaces under a name the guest has looked up: the file
# the guest then opens is the one it sees (stat and read agree), never the
# newcomer behind its back.
echo old >"$root/work/r1"
(
	i=0
	while [ ! -e "$root/work/go" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
	echo 'newer content' >"$root/work/r1.new" && mv "$root/work/r1.new" "$root/work/r1"
	touch "$root/work/done"
) &
out=$(boot rw 'cd /work; /bin/busybox cat r1 >/dev/null; : >go
while [ ! -e done ]; do /bin/busybox sleep 0.1; done
echo "$(/bin/busybox stat -c %s r1) $(/bin/busybox cat r1 | /bin/busybox wc -c)"')
wait
[ "$out" = "4 4" ] && pass hostfs/replaced-under-name || fail hostfs/replaced-under-name "got: $out"

# A file opened read-only before the host replaces it (r3) or removes it (r4)
# reads as the file that was opened, though its host file is opened only at
# the first read.
echo old3 >"$root/work/r3"
echo old4 >"$root/work/r4"
(
	i=0
	while [ ! -e "$root/work/go2" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
	echo 'newer content' >"$root/work/r3.new" && mv "$root/work/r3.new" "$root/work/r3"
	rm "$root/work/r4"
	touch "$root/work/done2"
) &
out=$(boot rw 'cd /work; exec 3<r3 4<r4; : >go2
while [ ! -e done2 ]; do /bin/busybox sleep 0.1; done
/bin/busybox cat <&3; /bin/busybox cat <&4')
wait
[ "$out" = "old3
old4" ] && pass hostfs/opened-then-replaced || fail hostfs/opened-then-replaced "got: $out"

# The host's proc, reached through a bind mount inside the hostfs root.
mkdir -p "$root/hproc"
if mount --bind /proc "$root/hproc" 2>/dev/null; then
	out=$(boot rw '/bin/busybox ls /hproc | /bin/busybox wc -l; /bin/busybox cat /hproc/self/status 2>&1 | /bin/busybox head -1')
	case "$out" in 0*No\ such*) pass hostfs/host-proc-refused ;; *) fail hostfs/host-proc-refused "got: $out" ;; esac
	umount "$root/hproc"
else
	skip hostfs/host-proc-refused "cannot bind-mount on the host"
fi
# Unmounting the guest's own /proc leaves the host's hidden too (hostfs=/).
out=$(guest_sh 'umount /proc && ls -A /proc | wc -l')
[ "$out" = 0 ] && pass hostfs/host-proc-under-guest-proc || fail hostfs/host-proc-under-guest-proc "got: $out"

# A host device node is never opened: the guest's driver (or none) answers.
mkdir -p "$root/hostdev"
if mknod "$root/hostdev/disk" b 7 0 2>/dev/null && mknod "$root/hostdev/null" c 1 3 2>/dev/null; then
	out=$(boot rw '/bin/busybox head -c1 /hostdev/disk 2>&1 | /bin/busybox grep -o "No such device or address"; echo x >/hostdev/null && echo null-ok')
	[ "$out" = "No such device or address
null-ok" ] && pass hostfs/host-device-nodes || fail hostfs/host-device-nodes "got: $out"
else
	skip hostfs/host-device-nodes "cannot mknod on the host"
fi

# Read-only unless rw.
out=$(boot "" 'echo x > /work/new 2>&1; /bin/busybox mkdir /work/rodir 2>&1')
case "$out" in *Read-only*Read-only*) pass hostfs/ro ;; *) fail hostfs/ro "got: $out" ;; esac

# Guest ownership, set-id bits and device nodes are kept in xattrs only.
out=$(boot rw 'cd /work && echo data > f && /bin/busybox chown 1234:5678 f && /bin/busybox chmod 4755 f &&
/bin/busybox mknod null c 1 3 && /bin/busybox mkdir -m 2775 sgid && /bin/busybox stat -c "%u %g %a %F" f null sgid')
[ "$out" = "1234 5678 4755 regular file
0 0 644 character special file
0 0 2775 directory" ] && pass hostfs/guest-ownership || fail hostfs/guest-ownership "got: $out"
host=$(stat -c '%u %a %F' "$root/work/f" "$root/work/null")
[ "$host" = "0 755 regular file
0 600 regular empty file" ] && pass hostfs/host-file-plain || fail hostfs/host-file-plain "host sees: $host"
out=$(boot rw 'cd /work && /bin/busybox stat -c "%u %a %F" f null && echo data > null && /bin/busybox cat f')
[ "$out" = "1234 4755 regular file
0 644 character special file
data" ] && pass hostfs/ownership-persists || fail hostfs/ownership-persists "got: $out"
out=$(boot rw 'cd /work && /bin/busybox setfattr -n user.virtfs.uid -v 0 f 2>&1; /bin/busybox stat -c %u f')
case "$out" in *1234) pass hostfs/mapping-not-forgeable ;; *) fail hostfs/mapping-not-forgeable "got: $out" ;; esac
