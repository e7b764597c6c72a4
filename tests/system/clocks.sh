#!/bin/sh
# The guest's own clocks: monotonic and boottime start at its boot, through
# the vDSO as through system calls, and /proc agrees; the guest may not set
# the host's wall clock, but with clock=virtual its root sets its own.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O1 -o "$dir/clocks" "$(dirname "$0")/progs/clocks.c" || { fail clocks/build; exit 0; }
# Where the host has no time namespaces for us the vDSO is not offered and
# clock reads trap, with a line in the kernel log.
if unshare -Ur -T true 2>/dev/null; then want_vdso=1; else want_vdso=0; fi

# field NAME: the value after NAME in $out
field() { echo "$out" | awk -v k="$1" '$1 == k { print $2 }'; }
# below A B: A < B for decimals
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

host_now=$(date +%s)
out=$(guest_sh "$dir/clocks; echo uptime \$(cut -d' ' -f1 /proc/uptime)
	echo btime \$(awk '/^btime/ { print \$2 }' /proc/stat)
	echo init_etimes \$(ps -o etimes= -p 1)
	echo log \$(dmesg | grep -c 'no time name[s]paces')")
[ "$(field vdso)" = "$want_vdso" ] && [ "$(field log)" = $((1 - want_vdso)) ] &&
	pass clocks/vdso-offered || fail clocks/vdso-offered "got: $out"
mono=$(field monotonic) boot=$(field boottime) up=$(field uptime)
below "$mono" 30 && below "$boot" 30 && ! below "$boot" "$mono" &&
	pass clocks/start-at-boot || fail clocks/start-at-boot "got: $out"
# /proc/uptime (in hundredths, truncated) is read after the program: within
# a second of its boottime.
! below "$up" "$(echo "$boot" | awk '{ print $1 - 0.01 }')" &&
	below "$up" "$(echo "$boot" | awk '{ print $1 + 1 }')" &&
	pass clocks/proc-uptime || fail clocks/proc-uptime "got: $out"
btime=$(field btime)
[ -n "$btime" ] && [ $((btime - host_now)) -le 2 ] && [ $((host_now - btime)) -le 2 ] &&
	pass clocks/btime || fail clocks/btime "host $host_now, got: $out"
[ -n "$(field init_etimes)" ] && [ "$(field init_etimes)" -lt 30 ] &&
	pass clocks/ps-etimes || fail clocks/ps-etimes "got: $out"

# The host's wall clock is not the guest's to set, even for its root.
out=$(guest_sh 'date -s @1893456000 >/dev/null 2>&1; echo date $?; echo year $(date +%Y)')
[ "$(field date)" = 1 ] && [ "$(field year)" = "$(date +%Y)" ] &&
	pass clocks/settime-eperm || fail clocks/settime-eperm "got: $out"

# clock=virtual: root sets the guest's clock, files get its times, others may
# not set it, and the monotonic clock goes on from boot; every read traps.
out=$(UMK_OPTS="$UMK_OPTS clock=virtual" guest_sh "date -s @1893456000 >/dev/null; echo set \$?
	echo year \$(date +%Y); touch $dir/f; echo mtime_year \$(date -r $dir/f +%Y)
	setpriv --reuid=65534 --clear-groups date -s @1893456000 >/dev/null 2>&1; echo nobody \$?
	$dir/clocks")
[ "$(field set)" = 0 ] && [ "$(field year)" = 2030 ] && [ "$(field mtime_year)" = 2030 ] &&
	[ "$(field nobody)" = 1 ] && [ "$(field vdso)" = 0 ] && below "$(field monotonic)" 30 &&
	pass clocks/virtual || fail clocks/virtual "got: $out"
[ "$(date +%Y)" != 2030 ] && pass clocks/host-untouched || fail clocks/host-untouched

# clock=virtual: setting the clock moves what waits for a wall time (an
# absolute timerfd, POSIX timer and clock_nanosleep), cancels a timerfd
# armed TFD_TIMER_CANCEL_ON_SET, and leaves a relative timer alone.
cc -O1 -pthread -o "$dir/clockset" "$(dirname "$0")/progs/clockset.c" || fail clocks/build-clockset
out=$(UMK_OPTS="$UMK_OPTS clock=virtual" guest_sh "$dir/clockset")
[ "$(field set)" = 0 ] && [ "$(field cancel_read)" = ECANCELED ] &&
	below "$(field posix_timer_left)" 1.5 && [ "$(field relative_left)" = 5 ] &&
	[ "$(field timerfd_fired)" = 1 ] && below "$(field timerfd_after)" 2 &&
	below "$(field nanosleep_slept)" 2.5 &&
	pass clocks/virtual-set-moves-wall-timers || fail clocks/virtual-set-moves-wall-timers "got: $out"
