#!/bin/sh
# Disks: ubd images and ext4 written by the guest, checked from the host
# with e2fsck and debugfs; COW files, locks, boot errors, mounts, a crash.
. "$(dirname "$0")/../lib.sh"
src=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$src/../.." && pwd)
dir=$(mktemp -d)
trap 'kill $pids 2>/dev/null; rm -rf "$dir"' EXIT
pids=

for p in mmapw mkfiles fsyncer; do
	cc -O1 -static -o "$dir/$p" "$src/progs/$p.c" || { fail disks/build "$p"; exit 0; }
done

# A busybox system with the helpers, as an image.
bb=$dir/bb
mkdir -p "$bb/bin" "$bb/dev" "$bb/proc" "$bb/sys" "$bb/tmp" "$bb/mnt" "$bb/etc" "$bb/data"
cp /bin/busybox "$dir/mmapw" "$dir/mkfiles" "$dir/fsyncer" "$bb/bin/"
for a in $(/bin/busybox --list); do [ -e "$bb/bin/$a" ] || ln -s busybox "$bb/bin/$a"; done
echo "kept as is" >"$bb/data/old"
echo "to be removed" >"$bb/data/gone"
"$top/tools/mkrootfs" "$dir/bb.img" --from "$bb" --size 256M ||
	{ fail disks/mkrootfs; exit 0; }

# Boots image(s) with a busybox shell command; output on stdout.
bb_sh() { # kernel options, command
	timeout "$TIMEOUT" "$LINUX" loglevel=0 $UMK_OPTS $1 init=/bin/sh -- -c \
		"export PATH=/bin; $2" </dev/null 2>&1
}

# e2fsck -fn finds nothing: it says only its passes and the summary.
fsck_clean() { # label image
	out=$(e2fsck -fn "$2" 2>&1)
	if [ $? = 0 ] && [ "$(echo "$out" | grep -vcE '^(e2fsck |Pass [1-5]|.*files .* blocks$)')" = 0 ]; then
		pass "$1"
	else
		fail "$1" "$(echo "$out" | grep -vE '^(e2fsck |Pass [1-5])' | head -3 | tr '\n' ' ')"
	fi
}

dbg() { # image command
	debugfs -R "$2" "$1" 2>/dev/null
}

# ---- Boot from an image, change files every way, power off, check ----
img=$dir/root.img
cp "$dir/bb.img" "$img"
out=$(bb_sh "ubda=$img rw" '
	cd /data && echo hello >new && echo more >>old && mv new renamed && rm gone &&
	ln renamed hard && ln -s renamed soft && mkdir -p d/e && echo deep >d/e/f &&
	mmapw mapped 5000 through-mmap && mmapw old 3 XYZ && mknod fifo p && mknod cdev c 1 3 &&
	chown 12:34 hard && chmod 4751 renamed && touch -d "2001-02-03 04:05:06" d/e/f &&
	mv d/e d/g && echo ok-$((6*7)) && sync && poweroff -f'); st=$?
if [ $st = 0 ] && echo "$out" | grep -q ok-42; then pass disks/image-boot-write; else
	fail disks/image-boot-write "status $st: $(echo "$out" | tail -3 | tr '\n' ' ')"
fi
fsck_clean disks/image-fsck-clean "$img"
check_cat() { # path expected
	got=$(dbg "$img" "cat $1")
	[ "$got" = "$2" ] || { echo "    $1: '$got' != '$2'"; return 1; }
}
ok=1
check_cat /data/renamed hello || ok=
check_cat /data/hard hello || ok=
check_cat /data/old "kepXYZs is
more" || ok=
check_cat /data/d/g/f deep || ok=
[ "$(dbg "$img" "cat /data/mapped" | tail -c 12)" = through-mmap ] || { echo "    mapped"; ok=; }
[ "$(dbg "$img" "stat /data/mapped" | grep -o 'Size: [0-9]*' | head -1)" = "Size: 5012" ] || { echo "    mapped size"; ok=; }
dbg "$img" "ls /data" | grep -q gone && { echo "    gone still there"; ok=; }
dbg "$img" "ls /data" | grep -qw new && { echo "    new still there"; ok=; }
[ "$(dbg "$img" "stat /data/renamed" | grep -o 'Links: [0-9]*')" = "Links: 2" ] || { echo "    links"; ok=; }
dbg "$img" "stat /data/renamed" | grep -q 'Mode:  04751' || { echo "    mode"; ok=; }
dbg "$img" "stat /data/hard" | grep -q 'User:    12   Group:    34' || { echo "    owner"; ok=; }
[ "$(dbg "$img" "stat /data/soft" | grep -o 'Fast link dest: "renamed"')" ] || { echo "    symlink"; ok=; }
dbg "$img" "stat /data/fifo" | grep -q 'Type: FIFO' || { echo "    fifo"; ok=; }
dbg "$img" "stat /data/cdev" | grep -q 'Device major/minor number: 01:03' || { echo "    cdev"; ok=; }
dbg "$img" "stat /data/d/g/f" | grep -q 'mtime: 0x3a7b8372' || { echo "    mtime"; ok=; }
[ -n "$ok" ] && pass disks/image-debugfs-contents || fail disks/image-debugfs-contents

# ---- Boot errors: one clear line and status 2, before anything runs ----
out=$("$LINUX" ubda="$dir/missing.img" init=/bin/sh 2>&1); st=$?
[ $st = 2 ] && echo "$out" | grep -q "cannot open $dir/missing.img: No such file" &&
	pass disks/missing-image || fail disks/missing-image "status $st: $out"
out=$("$LINUX" ubdb="$dir/bb.img" root=/dev/ubdc init=/bin/sh 2>&1); st=$?
[ $st = 2 ] && echo "$out" | grep -q "root=/dev/ubdc: no such device" &&
	pass disks/missing-root || fail disks/missing-root "status $st: $out"
out=$("$LINUX" ubda3=x init=/bin/sh 2>&1); st=$?
[ $st = 2 ] && echo "$out" | grep -q "ubda3=x: Expected '=' or flag letter" &&
	pass disks/bad-ubd-option || fail disks/bad-ubd-option "status $st: $out"
jimg=$dir/journal.img
mke2fs -q -F -t ext4 "$jimg" 64M && debugfs -w -R "feature needs_recovery" "$jimg" >/dev/null 2>&1
out=$("$LINUX" ubda="$jimg" init=/bin/sh 2>&1); st=$?
[ $st = 2 ] && echo "$out" | grep -q "journal needs recovery: run e2fsck -p" &&
	pass disks/needs-recovery || fail disks/needs-recovery "status $st: $out"

# ---- Two instances never share a writable image ----
"$LINUX" loglevel=0 ubda="$img" init=/bin/sh -- -c 'sleep 30' </dev/null >/dev/null 2>&1 &
first=$!
pids="$pids $first"
sleep 1
out=$("$LINUX" ubda="$img" init=/bin/sh 2>&1); st=$?
[ $st = 2 ] && echo "$out" | grep -q "in use by another instance" &&
	pass disks/image-locked || fail disks/image-locked "status $st: $out"
kill -TERM $first
wait $first

# ---- Copy-on-write: two instances over one base, uml_moo merges one ----
base=$dir/bb.img
sum=$(md5sum <"$base")
bb_sh "ubda=$dir/cow1.img,$base rw" 'echo one >/data/who; sleep 2; cat /data/who; ls /data; poweroff -f' >"$dir/out1" &
p1=$!
bb_sh "ubda=$dir/cow2.img,$base rw" 'echo two >/data/who; sleep 2; cat /data/who; poweroff -f' >"$dir/out2" &
p2=$!
pids="$pids $p1 $p2"
wait $p1; s1=$?
wait $p2; s2=$?
if [ $s1 = 0 ] && [ $s2 = 0 ] && grep -qx one "$dir/out1" && grep -qx two "$dir/out2" &&
	[ "$(md5sum <"$base")" = "$sum" ]; then
	pass disks/cow-two-instances
else
	fail disks/cow-two-instances "status $s1 $s2; base changed? $(cat "$dir/out1" "$dir/out2" | tr '\n' ' ')"
fi
out=$(bb_sh "ubda=$dir/cow1.img" 'cat /data/who') # one name: the header finds the base
echo "$out" | grep -qx one && pass disks/cow-detected || fail disks/cow-detected "$out"
if uml_moo "$dir/cow1.img" "$dir/merged.img" >/dev/null 2>&1 &&
	[ "$(dbg "$dir/merged.img" "cat /data/who")" = one ]; then
	pass disks/uml-moo-merges
else
	fail disks/uml-moo-merges
fi
fsck_clean disks/uml-moo-merged-fsck "$dir/merged.img"
touch -d '2000-01-01' "$base"
out=$(bb_sh "ubda=$dir/cow2.img,$base" 'true'); st=$?
[ $st = 2 ] && echo "$out" | grep -q "backing file of COW file .* changed" &&
	pass disks/cow-backing-changed || fail disks/cow-backing-changed "status $st: $out"

# ---- Mounts inside the guest: ext4 from /dev/ubdX, remount, bind, lazy ----
data=$dir/data.img
mke2fs -q -F -t ext4 "$data" 128M
out=$(timeout "$TIMEOUT" "$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 $UMK_OPTS ubdb="$data" \
	init=/bin/sh -- -c 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin
	m='"$dir"'/mnt; mkdir -p $m $m.b
	mount /dev/ubdb $m && echo data >$m/f && grep "^/dev/ubdb $m ext4 rw" /proc/mounts &&
	mount -o remount,ro $m && ! touch $m/g 2>/dev/null && echo ro-refused &&
	mount -o remount,rw $m && touch $m/g && echo rw-again &&
	mount --bind $m $m.b && cat $m.b/f && umount $m.b &&
	df -h $m | grep -q /dev/ubdb && findmnt -n -o FSTYPE $m &&
	cd $m && umount -l $m && cat f && cd / && echo lazy-ok &&
	mount -t tmpfs -o size=1m,mode=0700 tmpfs $m && stat -c %a $m &&
	! dd if=/dev/zero of=$m/z bs=1k count=2048 2>/dev/null && echo tmpfs-full && umount $m' 2>&1)
for w in ro-refused rw-again lazy-ok tmpfs-full 700 ext4; do
	echo "$out" | grep -qx "$w" || { fail disks/guest-mounts "no $w: $(echo "$out" | tail -3 | tr '\n' ' ')"; w=; break; }
done
[ -n "$w" ] && pass disks/guest-mounts
fsck_clean disks/guest-mounts-fsck "$data"

# ---- SIGTERM to ./linux during writes leaves the image clean ----
cp "$dir/bb.img" "$img"
"$LINUX" loglevel=0 ubda="$img" rw init=/bin/sh -- -c \
	'i=0; while :; do i=$((i+1)); echo $i >/data/n$((i % 50)); done' </dev/null >/dev/null 2>&1 &
p=$!
pids="$pids $p"
sleep 2
kill -TERM $p
wait $p; st=$?
[ $st = 0 ] && pass disks/sigterm-status || fail disks/sigterm-status "status $st"
fsck_clean disks/sigterm-fsck-clean "$img"

# ---- kill -9 during heavy writes: e2fsck -fy repairs, fsynced files intact ----
cp "$dir/bb.img" "$img"
"$LINUX" loglevel=0 ubda="$img" rw init=/bin/fsyncer -- /data </dev/null >"$dir/synced" 2>&1 &
p=$!
pids="$pids $p"
sleep 3
kill -KILL $p
wait $p 2>/dev/null
e2fsck -fy "$img" >/dev/null 2>&1
st=$?
bad=0 n=0
while read -r word name size; do
	[ "$word" = synced ] || continue
	n=$((n + 1))
	got=$(dbg "$img" "cat /data/$name")
	[ "$(printf %s "$got" | wc -c)" = "$size" ] || [ "$(printf '%s\n' "$got" | wc -c)" = "$size" ] ||
		{ bad=$((bad + 1)); continue; }
	[ "$size" -lt 12 ] || [ "$(echo "$got" | head -1)" = "file ${name#f}" ] || bad=$((bad + 1))
done <"$dir/synced"
if [ $st -le 1 ] && [ $n -gt 10 ] && [ $bad = 0 ]; then pass disks/crash-fsync-intact; else
	fail disks/crash-fsync-intact "e2fsck status $st, $n synced, $bad damaged"
fi
fsck_clean disks/crash-fsck-repaired "$img"

# ---- Big: 100 000 names in one directory, a 2 GiB sparse file, tar x of
# /usr/include, cp -a of it, both compared with diff -r ----
big=$dir/big.img
mke2fs -q -F -t ext4 "$big" 2G
tar cf "$dir/inc.tar" -C / usr/include
out=$(timeout 600 "$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 $UMK_OPTS ubdb="$big" \
	init=/bin/sh -- -c 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin; m='"$dir"'/mnt
	mkdir -p $m && mount /dev/ubdb $m && mkdir $m/d && cd $m &&
	'"$dir"'/mkfiles $m/d 100000 keep >/dev/null && [ $(ls d | wc -l) = 100000 ] &&
	[ -e d/f0054321 ] && [ ! -e d/f0100000 ] && echo big-dir-ok &&
	truncate -s 2G sparse && printf x | dd of=sparse bs=1 seek=2147483647 conv=notrunc 2>/dev/null &&
	[ "$(du -k sparse | cut -f1)" -le 8 ] && [ "$(tail -c 1 sparse)" = x ] &&
	[ "$(cmp -n 2147483647 sparse /dev/zero 2>&1)" = "" ] && echo sparse-ok &&
	tar xf '"$dir"'/inc.tar && diff -r --no-dereference /usr/include usr/include &&
	echo tar-ok && cp -a usr copy && diff -r --no-dereference usr copy && echo cp-ok' 2>&1)
for w in big-dir-ok sparse-ok tar-ok cp-ok; do
	echo "$out" | grep -qx "$w" && pass "disks/$w" || fail "disks/$w" "$(echo "$out" | tail -2 | tr '\n' ' ')"
done
fsck_clean disks/big-fsck-clean "$big"
rm -f "$big" "$dir/inc.tar"

# ---- ext2, ext3 and small blocks: the same calls, then e2fsck ----
for kind in "ext2 -b 1024" "ext3 -b 2048" "ext4 -b 1024 -O ^metadata_csum,^64bit"; do
	set -- $kind
	t=$1
	shift
	mke2fs -q -F -t "$t" "$@" "$dir/k.img" 64M >/dev/null 2>&1
	out=$(timeout "$TIMEOUT" "$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 $UMK_OPTS ubdb="$dir/k.img" \
		init=/bin/sh -- -c 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin; m='"$dir"'/mnt; mkdir -p $m
		mount /dev/ubdb $m && cd $m && mkdir -p a/b && seq 1 300000 >a/b/f && ln -s a/b/f s &&
		ln a/b/f h && for i in $(seq 1 200); do echo $i >a/n$i; done && rm a/n1* && mv a c &&
		truncate -s 5000 c/b/f && dd if=/dev/zero of=z bs=64k count=20 2>/dev/null &&
		[ $(ls c | wc -l) = 90 ] && [ $(wc -c <h) = 5000 ] && grep " '"$dir"'/mnt " /proc/mounts' 2>&1)
	echo "$out" | grep -q " $dir/mnt $t rw" && pass "disks/kind-$t" || fail "disks/kind-$t" "$(echo "$out" | tail -2 | tr '\n' ' ')"
	fsck_clean "disks/kind-$t-fsck" "$dir/k.img"
done

# ---- Discard punches holes in a plain image, unless the t flag says no ----
dd if=/dev/urandom of="$dir/raw.img" bs=1M count=8 2>/dev/null
cp "$dir/raw.img" "$dir/raw2.img"
cp "$dir/raw.img" "$dir/raw.orig"
out=$(timeout "$TIMEOUT" "$LINUX" rootfstype=hostfs hostfs=/ loglevel=0 $UMK_OPTS \
	ubdb="$dir/raw.img,,SER-9" ubdct="$dir/raw2.img" init=/bin/sh -- -c \
	'export PATH=/usr/sbin:/usr/bin:/sbin:/bin; blkdiscard -o 0 -l 1048576 /dev/ubdb && echo discarded
	blkdiscard /dev/ubdc 2>/dev/null || echo refused; mount -t sysfs sysfs /sys; cat /sys/block/ubdb/serial; echo
	cat /sys/block/ubdc/ro; lsblk -n -o NAME,SIZE /dev/ubdb' 2>&1)
if echo "$out" | grep -qx discarded && echo "$out" | grep -qx refused && echo "$out" | grep -qx SER-9 &&
	echo "$out" | grep -qx 0 && echo "$out" | grep -q 'ubdb *8M' &&
	cmp -s -n 1048576 "$dir/raw.img" /dev/zero && cmp -s "$dir/raw2.img" "$dir/raw.orig"; then
	pass disks/discard-serial-sysfs
else
	fail disks/discard-serial-sysfs "$(echo "$out" | tr '\n' ' ')"
fi
