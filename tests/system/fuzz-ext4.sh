#!/bin/sh
# Hostile images: ext2 and ext4 images (with and without metadata
# checksums) with random bytes of their metadata overwritten, mounted and
# used by a guest. The kernel must neither crash nor hang; errors are fine.
# EXT4_FUZZ_ROUNDS sets the number of images (default 30); a failing image
# is kept in build/.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
src=$dir/src
mkdir -p "$src/d1/d2"
for i in $(seq 1 40); do echo "file $i" >"$src/d1/f$i"; done
seq 1 20000 >"$src/big"
ln -s d1/f1 "$src/sl"
ln -s "$(seq -s x 1 40)" "$src/longsl"
ln "$src/d1/f2" "$src/hl"
mkfifo "$src/fifo"
rand() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }

bad=0
rounds=${EXT4_FUZZ_ROUNDS:-30}
for r in $(seq 1 "$rounds"); do
	case $((r % 3)) in
	0) opt="-t ext4 -O ^metadata_csum" ;;
	1) opt="-t ext2" ;;
	2) opt="-t ext4" ;;
	esac
	img=$dir/f.img
	mke2fs -q -F $opt -b 1024 -d "$src" "$img" 8M >/dev/null 2>&1
	# 30 bytes within the first 400 KiB: superblock, descriptors, bitmaps,
	# inode tables and the first directory and extent blocks.
	for k in $(seq 1 30); do
		printf "\\$(printf %03o $(($(rand) % 256)))" |
			dd of="$img" bs=1 seek=$(($(rand) % 409600)) conv=notrunc 2>/dev/null
	done
	cp "$img" "$img.orig"
	out=$(timeout 60 "$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 $UMK_OPTS ubdb="$img" \
		init=/bin/sh -- -c 'm='"$dir"'/m; mkdir -p $m
		mount /dev/ubdb $m 2>/dev/null || mount -o ro /dev/ubdb $m 2>/dev/null ||
			{ echo unmountable; exit 0; }
		cd $m; ls -laR >/dev/null 2>&1
		find . -type f -exec timeout 2 cat {} + >/dev/null 2>&1
		find . -type l -exec readlink {} + >/dev/null 2>&1
		getfattr -d -R . >/dev/null 2>&1; mkdir newd 2>/dev/null
		for i in 1 2 3 4 5 6 7 8; do echo x >newd/n$i; echo y >>d1/f$i; done 2>/dev/null
		rm -rf d1 2>/dev/null; mv big big2 2>/dev/null; truncate -s 1 big2 2>/dev/null
		cd /; umount $m; echo survived' 2>&1)
	st=$?
	if [ $st != 0 ] || ! echo "$out" | grep -qxE 'survived|unmountable'; then
		bad=$((bad + 1))
		cp "$img.orig" "$top/build/fuzz-ext4-fail-$r.img"
		echo "    round $r ($opt): status $st, image kept as build/fuzz-ext4-fail-$r.img"
		echo "$out" | grep -v '^\[' | tail -3 | sed 's/^/    /'
	fi
done
[ $bad = 0 ] && pass fuzz/ext4-hostile-images || fail fuzz/ext4-hostile-images "$bad of $rounds"
