#!/bin/sh
# Programs from the host's Debian that need pseudo-terminals and sessions:
# tmux runs a pane on its own pty, su - starts a login shell as another user,
# script(1) shows a fresh pty's settings, TIOCSTI needs CAP_SYS_ADMIN.
. "$(dirname "$0")/../lib.sh"
if command -v tmux >/dev/null; then
	out=$(guest_sh "mount -t tmpfs tmpfs /tmp; export TMUX_TMPDIR=/tmp
		tmux new-session -d -x 80 -y 24 'echo pane-\$((3*4)); tty; stty size; sleep 30'
		sleep 2; tmux capture-pane -p; tmux kill-server")
	if echo "$out" | grep -q '^pane-12' && echo "$out" | grep -q '^/dev/pts/[0-9]' &&
		echo "$out" | grep -q '^24 80'; then
		pass ptys/tmux-in-the-guest
	else
		fail ptys/tmux-in-the-guest "$(echo "$out" | tail -3)"
	fi
else
	skip ptys/tmux-in-the-guest "no tmux on the host"
fi
out=$(guest_sh "su - nobody -s /bin/sh -c 'id; echo \$HOME; tty' 2>/dev/null; echo status=\$?")
if echo "$out" | grep -q '^uid=65534(nobody) gid=65534(nogroup)' && echo "$out" | grep -q '^status=0'; then
	pass ptys/su-login-shell
else
	fail ptys/su-login-shell "$(echo "$out" | tail -3)"
fi
# script(1) runs a command on a fresh pty: its name and settings (stty -a)
# must be what the host's kernel gives a fresh pty.
if command -v script >/dev/null; then
	cmd="script -qc 'tty; stty -a' /dev/null </dev/null"
	tmp=$(mktemp -d)
	(cd / && sh -c "$cmd") 2>&1 | sed 's,/dev/pts/[0-9]*,/dev/pts/N,' >"$tmp/native"
	guest_sh "$cmd" | sed 's,/dev/pts/[0-9]*,/dev/pts/N,' >"$tmp/guest"
	if cmp -s "$tmp/native" "$tmp/guest" && grep -q '^/dev/pts/N' "$tmp/guest"; then
		pass ptys/script-stty
	else
		fail ptys/script-stty "$(diff "$tmp/native" "$tmp/guest" | head -6 | tr '\n' ' ')"
	fi
	rm -rf "$tmp"
else
	skip ptys/script-stty "no script on the host"
fi
# TIOCSTI, the classic way to type into the terminal of whoever ran su or
# sudo: umk refuses it without CAP_SYS_ADMIN (EIO), as Linux >= 6.2 does
# with dev.tty.legacy_tiocsti off, whatever the host's own setting.
if command -v python3 >/dev/null; then
	out=$(guest_sh "python3 -c '
import errno, fcntl, os, pty, termios
def sti(fd):
    try:
        fcntl.ioctl(fd, termios.TIOCSTI, b\"x\")
        return \"ok\"
    except OSError as e:
        return errno.errorcode[e.errno]
m, s = pty.openpty()
if os.fork() == 0:
    os.setsid()
    fcntl.ioctl(s, termios.TIOCSCTTY, 0)
    print(\"root\", sti(s), sti(m))
    os.setuid(65534)
    print(\"nobody\", sti(s), sti(m))
    os._exit(0)
os.wait()
'")
	out="$out
$(guest_sh 'echo legacy_tiocsti=$(cat /proc/sys/dev/tty/legacy_tiocsti)')"
	if echo "$out" | grep -qx 'root ok ok' && echo "$out" | grep -qx 'nobody EIO EIO' &&
		echo "$out" | grep -qx 'legacy_tiocsti=0'; then
		pass ptys/tiocsti-needs-cap-sys-admin
	else
		fail ptys/tiocsti-needs-cap-sys-admin "$(echo "$out" | tail -3 | tr '\n' ' ')"
	fi
else
	skip ptys/tiocsti-needs-cap-sys-admin "no python3 on the host"
fi
