#!/bin/bash
# Honeypot tty logging (tty_log_dir=): a scripted console session is
# recorded and tools/ttyreplay plays back exactly what the console showed;
# its pauses follow the recording; pty sessions and telnet sessions are
# logged too, each session in its own file with its session id.
. "$(dirname "$0")/../lib.sh"
replay=$(cd "$(dirname "$0")/../.." && pwd)/tools/ttyreplay
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/log"

# The console: typed input, a pause, output; loglevel=0 keeps kernel
# messages (which bypass the tty) off the screen, so it is all tty output.
(printf 'echo typed-$((6*7)); sleep 1; echo after-pause\n'; sleep 3; echo poweroff) |
	timeout "$TIMEOUT" "$LINUX" loglevel=0 tty_log_dir="$dir/log" $UMK_OPTS >"$dir/screen"
log=$(ls "$dir"/log/console-* 2>/dev/null | head -1)
if [ -n "$log" ] && "$replay" -n "$log" | cmp -s - "$dir/screen"; then
	pass ttylog/console-replay-byte-for-byte
else
	fail ttylog/console-replay-byte-for-byte "$(ls "$dir/log"); $("$replay" -n "$log" 2>&1 | cmp - "$dir/screen" 2>&1)"
fi
if [ -n "$log" ] && "$replay" -d "$log" | grep -q '^+0.000000 START .*"console"' &&
	"$replay" -d "$log" | grep -q 'INPUT session=.*echo typed' &&
	"$replay" -d "$log" | grep -Eq 'OUTPUT session=[1-9][0-9]* pgrp=[1-9][0-9]* .*typed-42'; then
	pass ttylog/records
else
	fail ttylog/records "$("$replay" -d "$log" 2>&1 | head -5)"
fi
start=$(date +%s%N)
"$replay" "$log" >/dev/null
took=$((($(date +%s%N) - start) / 1000000))
if [ "$took" -ge 900 ]; then
	pass ttylog/replay-keeps-the-pace
else
	fail ttylog/replay-keeps-the-pace "played in $took ms, recorded with a 1 s pause"
fi

# A pty inside the guest, and the bytes its programs exchanged.
if command -v script >/dev/null; then
	rm -f "$dir"/log/*
	timeout "$TIMEOUT" "$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 tty_log_dir="$dir/log" \
		$UMK_OPTS init=/bin/sh -- -c "script -qc 'echo in-a-pty' /dev/null" </dev/null >/dev/null 2>&1
	ptslog=$(ls "$dir"/log/pts* 2>/dev/null | head -1)
	if [ -n "$ptslog" ] && "$replay" -n "$ptslog" | grep -q 'in-a-pty'; then
		pass ttylog/pty-session
	else
		fail ttylog/pty-session "$(ls "$dir/log")"
	fi
else
	skip ttylog/pty-session "no script(1) on the host"
fi

# Two telnet sessions on a serial line: two files, two session ids.
rm -f "$dir"/log/*
port=$((20000 + ($$ + 7) % 20000))
mkfifo "$dir/in"
"$LINUX" loglevel=0 ssl0=port:$port tty_log_dir="$dir/log" $UMK_OPTS <"$dir/in" >/dev/null 2>&1 &
pid=$!
exec 7>"$dir/in"
sleep 2
for n in 1 2; do
	exec 5<>/dev/tcp/127.0.0.1/$port && {
		printf 'echo telnet-%d\r\n' $n >&5
		sleep 2
		exec 5>&-
	}
	sleep 2
done
echo poweroff >&7
exec 7>&-
wait $pid
sessions=$(for f in "$dir"/log/ttyS0-*; do "$replay" -d "$f"; done |
	grep -o 'OUTPUT session=[1-9][0-9]* .*telnet-[12]' | awk '{print $2}' | sort -u | wc -l)
files=$(grep -l 'telnet-' "$dir"/log/ttyS0-* 2>/dev/null | wc -l)
if [ "$files" = 2 ] && [ "$sessions" = 2 ]; then
	pass ttylog/telnet-sessions-apart
else
	fail ttylog/telnet-sessions-apart "$files files, $sessions sessions: $(ls "$dir/log")"
fi
