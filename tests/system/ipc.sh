#!/bin/sh
# Sockets, event files and System V IPC as Debian programs use them: the same
# output natively and in the guest from Python's asyncio and multiprocessing,
# a D-Bus daemon and its client, the util-linux IPC tools, ssh-agent.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Runs a script natively and in the guest; the outputs must match.
same() { # name script
	native=$(cd / && env -i HOME=/ TERM=linux PATH=/usr/bin:/bin sh "$2" 2>&1)
	guest=$(guest_sh "PATH=/usr/bin:/bin sh $2")
	if [ "$native" = "$guest" ]; then pass "$1"; else
		fail "$1" "native and guest differ"
		printf 'native:\n%s\nguest:\n%s\n' "$native" "$guest" | head -20 | sed 's/^/    /'
	fi
}

if command -v python3 >/dev/null; then
	cat >"$dir/py.sh" <<SCRIPT
cd $dir && python3 - <<'PY'
import asyncio, os, select, socket, multiprocessing as mp
async def main():
    async def serve(r, w):
        w.write((await r.read(100)).upper())
        await w.drain()
        w.close()
    srv = await asyncio.start_unix_server(serve, path="s")
    rd, wr = await asyncio.open_unix_connection("s")
    wr.write(b"asyncio over a unix socket")
    print((await rd.read(100)).decode())
    srv.close()
    await srv.wait_closed()
asyncio.run(main())
def square(x):
    return x * x
with mp.Pool(2) as p:
    print("pool", p.map(square, range(8)))
q = mp.Queue()
c = mp.Process(target=q.put, args=("through a queue",))
c.start(); print(q.get()); c.join()
a, b = socket.socketpair()
socket.send_fds(b, [b"fds"], [r for r in os.pipe()])
msg, fds, flags, _ = socket.recv_fds(a, 10, 4)
print(msg.decode(), len(fds), flags)
fd = os.memfd_create("py")
os.write(fd, b"memfd")
print(os.pread(fd, 5, 0).decode())
e = select.epoll()
r, w = os.pipe()
e.register(r, select.EPOLLIN)
os.write(w, b"x")
print("epoll", [ev for _, ev in e.poll(1)])
PY
SCRIPT
	same ipc/python "$dir/py.sh"
else
	skip ipc/python "no python3"
fi

if command -v dbus-daemon >/dev/null && command -v dbus-send >/dev/null; then
	cat >"$dir/dbus.sh" <<SCRIPT
bus=\$(mktemp -d)
export DBUS_SESSION_BUS_ADDRESS=\$(dbus-daemon --session --address=unix:path=\$bus/socket \
	--fork --print-address=1 --print-pid=3 --nopidfile 3>\$bus/pid)
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \\
	org.freedesktop.DBus.ListNames | grep -c string
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \\
	org.freedesktop.DBus.GetConnectionUnixUser string:org.freedesktop.DBus | tail -1
kill \$(cat \$bus/pid); rm -rf \$bus
SCRIPT
	same ipc/dbus "$dir/dbus.sh"
else
	skip ipc/dbus "no dbus-daemon"
fi

if command -v ipcmk >/dev/null && command -v ipcs >/dev/null; then
	cat >"$dir/ipcs.sh" <<'SCRIPT'
m=$(ipcmk -M 8192 -p 0600 | awk '{print $NF}')
s=$(ipcmk -S 4 | awk '{print $NF}')
q=$(ipcmk -Q | awk '{print $NF}')
ipcs -m -i "$m" | grep -E 'mode|bytes' | sed 's/cpid=[0-9]*//'
ipcs -s -i "$s" | grep -E 'nsems|semnum' 
ipcs -q -i "$q" | grep -E 'qbytes|qnum'
ipcrm -m "$m" -s "$s" -q "$q" && echo removed
SCRIPT
	same ipc/ipc-tools "$dir/ipcs.sh"
else
	skip ipc/ipc-tools "no util-linux ipc tools"
fi

if command -v ssh-agent >/dev/null && command -v ssh-add >/dev/null; then
	out=$(guest_sh 'eval $(ssh-agent -s) >/dev/null; ssh-add -l; echo "rc $?"; ssh-agent -k >/dev/null')
	[ "$out" = "The agent has no identities.
rc 1" ] && pass ipc/ssh-agent || fail ipc/ssh-agent "got: $out"
else
	skip ipc/ssh-agent "no ssh-agent"
fi
