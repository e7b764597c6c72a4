#!/bin/sh
# The console driven through a real terminal (tmux): the embedded system's
# shell has job control; ^C, ^Z and fg, window resizes, full-screen programs;
# the host terminal comes back as it was.
. "$(dirname "$0")/../lib.sh"
command -v tmux >/dev/null || { skip console "no tmux on the host"; exit 0; }
sock=$(mktemp -u)
out=$(mktemp)
tm() { tmux -S "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -f "$out" "$sock"' EXIT
tm new-session -d -x 100 -y 30 "stty -g > $out.before; $LINUX quiet $UMK_OPTS; stty -g > $out.after; sleep 60"
keys() { tm send-keys "$@"; sleep 0.6; }
screen() { tm capture-pane -p -S -100; }
wait_for() { # text, up to 10 s
	i=0
	while [ $i -lt 50 ]; do screen | grep -q "$1" && return 0; sleep 0.2; i=$((i + 1)); done
	return 1
}
wait_for 'umk:/#' || { fail console/boot "no prompt"; exit 0; }
keys 'sleep 100' Enter
keys C-c
keys 'echo after-ctrl-c-$((1+1))' Enter
wait_for 'after-ctrl-c-2' && pass console/ctrl-c-kills-the-job-not-the-shell || fail console/ctrl-c-kills-the-job-not-the-shell
keys 'sleep 50' Enter
keys C-z
wait_for 'Stopped' && pass console/ctrl-z-stops || fail console/ctrl-z-stops
keys fg Enter
keys C-c
keys 'echo fg-done-$((2+2))' Enter
wait_for 'fg-done-4' && pass console/fg-then-ctrl-c || fail console/fg-then-ctrl-c
keys 'echo abcdef' BSpace BSpace 'XY' Enter
wait_for 'abcdXY' && pass console/line-editing || fail console/line-editing
tm resize-window -x 120 -y 40
sleep 0.5
keys 'stty size' Enter
wait_for '^40 120' && pass console/resize-follows || fail console/resize-follows
keys 'vi /tmp/vitest' Enter
keys i 'written by vi'
keys Escape
keys ':wq' Enter
keys 'sed s/written/saved/ /tmp/vitest' Enter
wait_for '^saved by vi' && pass console/vi || fail console/vi
keys 'top' Enter
sleep 1
wait_for 'Mem:' && top_ok=1
keys q
keys 'echo top-quit' Enter
[ -n "$top_ok" ] && wait_for '^top-quit' && pass console/top || fail console/top
keys poweroff Enter
i=0
while [ ! -s "$out.after" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
if [ -s "$out.after" ] && cmp -s "$out.before" "$out.after"; then pass console/terminal-restored
else fail console/terminal-restored "$(cat "$out.before" "$out.after" 2>&1)"; fi
rm -f "$out.before" "$out.after"
