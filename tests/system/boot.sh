#!/bin/sh
# Booting and ending: the command line, exit statuses, shutdown paths.
. "$(dirname "$0")/../lib.sh"

out=$("$LINUX" --version 2>&1)
case "$out" in umk*) pass boot/version ;; *) fail boot/version "$out" ;; esac

out=$("$LINUX" --help 2>&1)
case "$out" in *rootfstype=hostfs*) pass boot/help ;; *) fail boot/help ;; esac

out=$("$LINUX" mem=lots 2>&1); st=$?
if [ $st = 2 ] && echo "$out" | grep -q 'mem=lots'; then pass boot/bad-option; else fail boot/bad-option "status $st: $out"; fi

out=$("$LINUX" --frobnicate 2>&1); st=$?
[ $st = 2 ] && pass boot/unknown-flag || fail boot/unknown-flag "status $st"

out=$(guest_sh 'uname -sr; echo $((6*7))')
[ "$out" = "Linux 6.1.0-umk
42" ] && pass boot/hostfs-command || fail boot/hostfs-command "$out"

guest_sh 'exit 3' >/dev/null; st=$?
[ $st = 3 ] && pass boot/init-exit-status || fail boot/init-exit-status "status $st"

guest_sh 'kill -9 $$' >/dev/null; st=$?
[ $st = 137 ] && pass boot/init-killed-status || fail boot/init-killed-status "status $st"

# init gets unknown key=value words as environment and bare words as arguments.
out=$(timeout "$TIMEOUT" "$LINUX" rootfstype=hostfs loglevel=0 $UMK_OPTS FOO=bar init=/bin/sh -- -c 'echo $FOO $0 $1' one two </dev/null 2>&1)
[ "$out" = "bar one two" ] && pass boot/init-env-args || fail boot/init-env-args "$out"

# The embedded system: busybox init, a shell on the console, poweroff.
out=$( (sleep 1; echo 'echo marker-$((2+3))'; echo poweroff) | timeout "$TIMEOUT" "$LINUX" $UMK_OPTS 2>&1); st=$?
if [ $st = 0 ] && echo "$out" | grep -q 'marker-5' && echo "$out" | grep -q 'reboot: Power down'; then
	pass boot/initramfs-poweroff
else
	fail boot/initramfs-poweroff "status $st"
fi

# reboot(2) with POWER_OFF from a program ends ./linux with status 0.
out=$(guest_sh 'busybox poweroff -f; echo not reached'); st=$?
[ $st = 0 ] && ! echo "$out" | grep -q 'not reached' && pass boot/reboot-poweroff || fail boot/reboot-poweroff "status $st"

# SIGTERM from the host shuts the guest down cleanly.
"$LINUX" rootfstype=hostfs loglevel=0 $UMK_OPTS init=/bin/sh -- -c 'sleep 100' </dev/null >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid; st=$?
[ $st = 0 ] && pass boot/sigterm-shutdown || fail boot/sigterm-shutdown "status $st"

# No stub of that machine survives it (zombies wait for the host's init).
sleep 0.5
left=$(ps -eo stat=,comm= | awk -v name="umk-$pid" '$2 == name && $1 !~ /^Z/')
[ -z "$left" ] && pass boot/no-stub-left || fail boot/no-stub-left "$left"

# The kernel log, as dmesg reads it.
out=$(guest_sh 'busybox dmesg | grep -c "Linux versio[n]"')
[ "$out" = 1 ] && pass boot/dmesg || fail boot/dmesg "$out"
