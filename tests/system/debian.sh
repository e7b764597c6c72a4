#!/bin/sh
# A Debian image made by tools/mkrootfs --debian (debootstrap, kept in
# build/ once made, with sudo): sysvinit boots it to a login prompt, root logs in and
# powers off; with
# init=/bin/bash, dpkg -i installs a package and cp -a copies /usr exactly,
# su - and sudo (on its own pty) run a command as nobody;
# the image is clean afterwards. Skipped when debootstrap cannot reach a
# Debian mirror (or set UMK_NO_DEBIAN=1 to skip it).
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
packages=sudo
cache=$top/build/debian-bookworm+$packages.img
if [ -n "${UMK_NO_DEBIAN:-}" ]; then
	skip system/debian "UMK_NO_DEBIAN is set"
	exit 0
fi
if [ ! -s "$cache" ]; then
	if ! timeout 600 "$top/tools/mkrootfs" "$cache.new" --debian bookworm --size 2G --packages "$packages" \
		>"$top/build/debian-bookworm.log" 2>&1; then
		rm -f "$cache.new"
		skip system/debian "debootstrap failed (no Debian mirror?): see build/debian-bookworm.log"
		exit 0
	fi
	mv "$cache.new" "$cache"
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
img=$dir/debian.img
cp --sparse=always "$cache" "$img"

fsck_clean() { # label
	out=$(e2fsck -fn "$img" 2>&1)
	if [ $? = 0 ] && [ "$(echo "$out" | grep -vcE '^(e2fsck |Pass [1-5]|.*files .* blocks$)')" = 0 ]; then
		pass "$1"
	else
		fail "$1" "$(echo "$out" | grep -vE '^(e2fsck |Pass [1-5])' | head -3 | tr '\n' ' ')"
	fi
}

# sysvinit to the console's login prompt; root logs in (no password),
# runs a command and powers off through sysvinit's runlevel 0.
wait_for() { # text file seconds
	for i in $(seq 1 "$3"); do
		grep -aq "$1" "$2" && return 0
		sleep 1
	done
	return 1
}
mkfifo "$dir/console"
"$LINUX" ubda="$img" $UMK_OPTS <"$dir/console" >"$dir/boot" 2>&1 &
p=$!
exec 3>"$dir/console"
if wait_for 'umk login:' "$dir/boot" 60; then
	pass debian/sysvinit-login-prompt
	echo root >&3
	wait_for 'root@umk:~#' "$dir/boot" 30
	echo 'echo logged-in-$((6*7)); poweroff' >&3
else
	fail debian/sysvinit-login-prompt "$(tail -3 "$dir/boot" | tr '\n' ' ')"
	kill -TERM $p
fi
for i in $(seq 1 60); do kill -0 $p 2>/dev/null || break; sleep 1; done
kill -TERM $p 2>/dev/null && sleep 2
wait $p; st=$?
exec 3>&-
grep -aq 'logged-in-42' "$dir/boot" && [ $st = 0 ] && pass debian/login-and-poweroff ||
	fail debian/login-and-poweroff "status $st: $(grep -av '^\[' "$dir/boot" | tail -3 | tr '\n' ' ')"
fsck_clean debian/after-sysvinit-fsck

# A package built here, installed there by dpkg.
pkg=$dir/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/usr/share/umk-test"
printf 'Package: umk-test\nVersion: 1.0\nArchitecture: all\nMaintainer: umk <umk@example.org>\nDescription: umk test package\n' \
	>"$pkg/DEBIAN/control"
echo 'hello from a package' >"$pkg/usr/share/umk-test/hello"
dpkg-deb --build "$pkg" "$dir/umk-test.deb" >/dev/null 2>&1 &&
	debugfs -w -R "write $dir/umk-test.deb /root/umk-test.deb" "$img" >/dev/null 2>&1
out=$(timeout 600 "$LINUX" ubda="$img" rw loglevel=0 $UMK_OPTS init=/bin/bash -- -c 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin
	dpkg -i /root/umk-test.deb >/dev/null && dpkg -s umk-test | grep "^Status:" &&
	cat /usr/share/umk-test/hello &&
	cp -a /usr /usr.copy && diff -r --no-dereference /usr /usr.copy && echo cp-a-same &&
	rm -rf /usr.copy && echo $((6*7))' </dev/null 2>&1); st=$?
echo "$out" | grep -q "^Status: install ok installed" && echo "$out" | grep -q "hello from a package" &&
	pass debian/dpkg-install || fail debian/dpkg-install "status $st: $(echo "$out" | tail -3 | tr '\n' ' ')"
echo "$out" | grep -qx cp-a-same && pass debian/cp-a-usr-diff || fail debian/cp-a-usr-diff
[ $st = 0 ] && echo "$out" | grep -qx 42 && pass debian/init-bash || fail debian/init-bash "status $st"
fsck_clean debian/after-dpkg-fsck

# su - and sudo, which by Debian's default runs the command on a pty of its
# own (use_pty); script gives sudo a terminal to start from. With
# init=/bin/bash nobody mounts devpts, as on Linux: the test does.
out=$(timeout "$TIMEOUT" "$LINUX" ubda="$img" rw loglevel=0 $UMK_OPTS init=/bin/bash -- -c 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin
	mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
	su - nobody -s /bin/sh -c "echo su: \$(id -un) \$HOME"
	script -qec "sudo -u nobody id -un; sudo -u nobody tty" /dev/null | tr -d "\r" | sed "s/^/sudo: /"
	sync' </dev/null 2>&1)
echo "$out" | grep -qx 'su: nobody /nonexistent' && pass debian/su-login ||
	fail debian/su-login "$(echo "$out" | tail -3 | tr '\n' ' ')"
echo "$out" | grep -qx 'sudo: nobody' && echo "$out" | grep -q '^sudo: /dev/pts/' &&
	pass debian/sudo-use-pty || fail debian/sudo-use-pty "$(echo "$out" | tail -3 | tr '\n' ' ')"
fsck_clean debian/after-sudo-fsck
