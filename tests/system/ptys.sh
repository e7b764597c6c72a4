#!/bin/sh
# Programs from the host's Debian that need pseudo-terminals and sessions:
# tmux runs a pane on its own pty, su - starts a login shell as another user.
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
