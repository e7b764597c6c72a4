#!/bin/bash
# Extra consoles and serial lines on host channels, as UML's con=/ssl=:
# a shell on each, independent of the main console; a telnet client on a
# port: console; a client that leaves hangs up its shell, the next one gets
# a fresh one; bad channel specs are refused like bad options.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'exec 7>&-; kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
port=$((20000 + $$ % 20000))
mkfifo "$dir/in"
"$LINUX" con1=pts ssl0=port:$port $UMK_OPTS <"$dir/in" >"$dir/out" 2>&1 &
pid=$!
exec 7>"$dir/in"

wait_file() { # pattern file [seconds]
	for _ in $(seq $((${3:-10} * 5))); do grep -aq "$1" "$2" && return 0; sleep 0.2; done
	return 1
}

if wait_file "Virtual console 1 assigned device '/dev/pts/" "$dir/out"; then
	pass consoles/pts-logged
else
	fail consoles/pts-logged "$(tail -3 "$dir/out")"
fi
pts=$(grep -ao "/dev/pts/[0-9]*" "$dir/out" | head -1)
if [ -n "$pts" ] && exec 4<>"$pts"; then
	(timeout 10 cat <&4 >"$dir/pts.out" 2>/dev/null &)
	sleep 1
	printf 'tty; echo con1-$((6*7))\r' >&4
	if wait_file '^con1-42' "$dir/pts.out" && grep -aq '^/dev/tty1' "$dir/pts.out"; then
		pass consoles/con1-shell
	else
		fail consoles/con1-shell "$(tr -d '\r' <"$dir/pts.out" | tail -3)"
	fi
	exec 4>&-
else
	fail consoles/con1-shell "no pts to open"
fi

# A telnet-style client on ssl0: the negotiation, a shell; leaving hangs
# the shell up, and the next client gets a new one.
telnet_session() { # number: types a command, leaves
	exec 5<>/dev/tcp/127.0.0.1/$port || return 1
	timeout 10 cat <&5 >"$dir/tcp$1.out" &
	reader=$!
	sleep 1
	printf 'tty; echo ssl0-session-$((%d*11)) shell-$$\r\n' "$1" >&5
	wait_file "ssl0-session-$(($1 * 11))" "$dir/tcp$1.out" 5
	exec 5>&-
	kill $reader 2>/dev/null
	wait $reader 2>/dev/null
	return 0
}
shell_of() { grep -ao 'shell-[0-9]*' "$dir/tcp$1.out" | tail -1; }
if telnet_session 1 && grep -aq 'ssl0-session-11' "$dir/tcp1.out" &&
	grep -aq '/dev/ttyS0' "$dir/tcp1.out" && head -c 3 "$dir/tcp1.out" | od -An -tu1 | grep -q '255 251   1'; then
	pass consoles/port-telnet
else
	fail consoles/port-telnet "$(tr -d '\r' <"$dir/tcp1.out" | tail -3)"
fi
sleep 2 # the hung-up shell is replaced
if telnet_session 2 && grep -aq 'ssl0-session-22' "$dir/tcp2.out" &&
	[ -n "$(shell_of 1)" ] && [ "$(shell_of 1)" != "$(shell_of 2)" ]; then
	pass consoles/port-hangup-new-shell
else
	fail consoles/port-hangup-new-shell "$(shell_of 1) $(shell_of 2): $(tr -d '\r' <"$dir/tcp2.out" | tail -2)"
fi

echo 'tty; echo con0-$((2*3)); poweroff' >&7
wait $pid
if grep -aq '^con0-6' "$dir/out" && grep -aq '^/dev/console' "$dir/out"; then
	pass consoles/main-console-independent
else
	fail consoles/main-console-independent "$(tail -3 "$dir/out")"
fi

for opt in con1=bogus con9=pts ssl0=fd:99 con2=port:0; do
	"$LINUX" $opt </dev/null >"$dir/bad" 2>&1
	rc=$?
	if [ $rc = 2 ] && grep -q "^linux: $opt: " "$dir/bad"; then
		pass "consoles/refused-$opt"
	else
		fail "consoles/refused-$opt" "status $rc: $(tail -1 "$dir/bad")"
	fi
done
