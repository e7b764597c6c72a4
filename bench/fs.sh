#!/bin/sh
# File-system workloads on ext4, each time on a fresh 4 GiB ext4 image:
# natively (the host kernel with the image loop-mounted, when it can: a
# directory of the host's own filesystem otherwise), inside ./linux and
# inside UML (linux.uml, from Debian's user-mode-linux, when installed), the
# two guests with the image as ubdb under a busybox root on ubda. Prints a
# table of
# milliseconds, the median of RUNS runs, and the ratios to native
# (bench/RESULTS.md records one).
#   bench/fs.sh [N_FILES] [MB] [RUNS]      (defaults 10000, 1024 and 3)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-10000}
mb=${2:-1024}
runs=${3:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/fsbench.XXXXXX")
trap 'umount "$dir/native" 2>/dev/null; rm -rf "$dir"' EXIT

cc -O2 -static -o "$dir/fsbench" "$top/bench/fsbench.c"
tar cf "$dir/untar.tar" -C / usr/include

# The workload, as a script every system runs: $1 is the scratch directory.
cat >"$dir/workload" <<EOF
#!/bin/sh
d=\$1
mkdir -p \$d/files \$d/untar
fsbench files \$d/files $files
fsbench write \$d/big $mb
fsbench read \$d/big
cd \$d/untar && fsbench run untar tar xf /untar.tar
EOF
chmod +x "$dir/workload"

# A busybox root holding the workload, for both guests (read-only: UML would
# leave its journal needing recovery at poweroff -f); the guest's init
# mounts the scratch disk, runs it and powers off.
root=$dir/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/mnt" "$root/tmp"
cp /bin/busybox "$dir/fsbench" "$dir/workload" "$root/bin/"
cp "$dir/untar.tar" "$root/"
for a in $(/bin/busybox --list); do [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"; done
cat >"$root/bin/bench-init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount /dev/ubdb /mnt && workload /mnt && umount /mnt
poweroff -f
EOF
chmod +x "$root/bin/bench-init"
"$top/tools/mkrootfs" "$dir/root.img" --from "$root" >/dev/null

fresh_disk() { rm -f "$dir/work.img"; mke2fs -q -F -t ext4 "$dir/work.img" 4G >/dev/null; }

# Native: the same workload in a host directory (the untar reads the tarball
# at /untar.tar in the guests: give it the same path through a symlink-free
# copy of the script).
native=$dir/native
mkdir -p "$native"
sed "s|/untar.tar|$dir/untar.tar|" "$dir/workload" >"$dir/workload.native"
# The native run: the image loop-mounted if the host lets us.
loop=
fresh_disk
if mount -o loop "$dir/work.img" "$native" 2>/dev/null; then
	umount "$native"
	loop=1
fi
native_run() {
	if [ -n "$loop" ]; then
		fresh_disk
		mount -o loop "$dir/work.img" "$native"
	fi
	PATH="$dir:$PATH" sh "$dir/workload.native" "$native" >>"$dir/native.out"
	if [ -n "$loop" ]; then umount "$native"; else rm -rf "${native:?}"/*; fi
}

uml=
command -v linux.uml >/dev/null && uml=1
for i in $(seq 1 "$runs"); do
	native_run
	fresh_disk
	"$top/linux" loglevel=0 mem=1G ${UMK_OPTS:-} ubda="$dir/root.img" ubdb="$dir/work.img" \
		init=/bin/bench-init </dev/null >>"$dir/umk.out" 2>&1
	if [ -n "$uml" ]; then
		fresh_disk
		timeout 600 linux.uml mem=1G ubd0="$dir/root.img" ubd1="$dir/work.img" \
			root=/dev/ubda ro init=/bin/bench-init con=null con0=fd:0,fd:1 \
			</dev/null >>"$dir/uml.out" 2>&1 || true
	fi
done

# The median of a workload's runs.
echo "native: $([ -n "$loop" ] && echo "a loop-mounted image" || echo "a directory of the host's filesystem"); $runs runs, medians"
value() { awk -v k="$1" '$1 == k { print $2 }' "$2" | tr -d '\r' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
printf '| %-16s | %10s | %10s | %6s |' workload "native ms" "umk ms" "umk/n"
[ -n "$uml" ] && printf ' %10s | %6s |' "UML ms" "UML/n"
echo
printf '|%s|%s|%s|%s|' ------------------ ------------ ------------ --------
[ -n "$uml" ] && printf '%s|%s|' ------------ --------
echo
for k in $(awk '!seen[$1]++ { print $1 }' "$dir/native.out"); do
	n=$(value "$k" "$dir/native.out")
	u=$(value "$k" "$dir/umk.out")
	printf '| %-16s | %10s | %10s | %6s |' "$k" "$n" "${u:--}" \
		"$(awk -v a="${u:-0}" -v b="$n" 'BEGIN { if (a && b) printf "%.2f", a / b; else print "-" }')"
	if [ -n "$uml" ]; then
		m=$(value "$k" "$dir/uml.out")
		printf ' %10s | %6s |' "${m:--}" \
			"$(awk -v a="${m:-0}" -v b="$n" 'BEGIN { if (a && b) printf "%.2f", a / b; else print "-" }')"
	fi
	echo
done
