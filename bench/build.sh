#!/bin/sh
# Real builds as the workload, natively and inside ./linux on both
# platforms, best of some rounds; compilers compute for long stretches
# between system calls, make, configure and the drivers fork and exec:
#   umk    umk's own kernel sources (git HEAD), make -j2
#   hello  GNU hello from Debian's archive: ./configure && make && make check
#   lua    Lua 5.4 from Debian's archive: make -j2 linux (a CPU-bound compile)
# Prints a markdown table (bench/ubench.sh prints the microbenchmarks):
#   { bench/ubench.sh; bench/build.sh; bench/compute.sh; } > bench/RESULTS.md
#   BUILD_ROUNDS=3 BUILD_WORKLOADS="umk hello lua"
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
rounds=${BUILD_ROUNDS:-3}
workloads=${BUILD_WORKLOADS:-umk hello lua}
archive=http://deb.debian.org/debian/pool/main
cache=$top/build/bench-src
dir=$(mktemp -d /tmp/umkbuild.XXXXXX)
trap 'rm -rf "$dir"' EXIT
[ -x ./linux ] || make -s linux >&2 || exit 1
mkdir -p "$cache"

fetch() { # path in Debian's archive
	f=$cache/$(basename "$1")
	[ -s "$f" ] || curl -sSf -m 120 -o "$f" "$archive/$1" || { rm -f "$f"; return 1; }
	echo "$f"
}

# Unpacks workload $1 afresh into $dir/w and sets $cmd, the build to time.
prepare() {
	rm -rf "$dir/w" && mkdir "$dir/w" || return 1
	case $1 in
	umk)
		git archive HEAD | tar -x -C "$dir/w" || return 1
		objs=$(cd "$dir/w" && ls init/*.c kernel/*.c mm/*.c fs/*.c | sed 's|^|build/|; s|\.c$|.o|')
		cmd="cd $dir/w && make -s -j2 $(echo $objs)"
		;;
	hello)
		tar -xzf "$(fetch h/hello/hello_2.10.orig.tar.gz)" -C "$dir/w" || return 1
		cmd="cd $dir/w/hello-2.10 && ./configure -q && make -s -j2 && make -s check"
		;;
	lua)
		tar -xzf "$(fetch l/lua5.4/lua5.4_5.4.4.orig.tar.gz)" -C "$dir/w" || return 1
		cmd="cd $dir/w/lua-5.4.4 && make -s -j2 linux"
		;;
	esac
}

now() { date +%s.%N; }
run() { # workload engine
	prepare "$1" || { echo "build: cannot prepare $1" >&2; return 1; }
	t0=$(now)
	case $2 in
	native) sh -c "$cmd" >/dev/null 2>&1 ;;
	*) ./linux rootfstype=hostfs hostfs=/ rw quiet platform=$2 init=/bin/sh -- -c \
		"export PATH=/usr/bin:/bin; $cmd" </dev/null >/dev/null 2>&1 ;;
	esac
	st=$?
	echo "$1 $2 $(now) $t0 $st" | awk '{ print $1, $2, $3 - $4, $5 }'
}

for r in $(seq "$rounds"); do
	for w in $workloads; do
		for e in native seccomp ptrace; do
			echo "build round $r: $w $e" >&2
			run $w $e >>"$dir/times"
		done
	done
done
cat <<EOF

## Real builds

\`bench/build.sh\` ($rounds rounds, best round), natively and inside ./linux
(booted on hostfs, boot included), seconds; lower is better. umk: the
kernel proper's C files of umk itself, gcc -O2, \`make -j2\`. hello: GNU
hello 2.10 from Debian's archive, \`./configure && make -j2 && make check\`.
lua: Lua 5.4.4 from Debian's archive, \`make -j2 linux\`. A build that
failed is marked "failed". Target (issue 3): hello and lua within 1.5x.

EOF
awk '{ k = $1 " " $2; if ($4 != 0) bad[k] = 1; if (!(k in b) || $3 < b[k]) b[k] = $3; order[++n] = $1 }
function cell(k) { return (k in bad) ? "failed" : sprintf("%.2f", b[k]) }
END {
	print "| build | native | seccomp | ptrace | seccomp/native | ptrace/native |"
	print "|---|---:|---:|---:|---:|---:|"
	for (i = 1; i <= n; i++) {
		x = order[i]
		if (x in done) continue
		done[x] = 1
		printf "| %s | %s | %s | %s | %.2f | %.2f |\n", x, cell(x " native"), cell(x " seccomp"),
			cell(x " ptrace"), b[x " seccomp"] / b[x " native"], b[x " ptrace"] / b[x " native"]
	}
}' "$dir/times"
