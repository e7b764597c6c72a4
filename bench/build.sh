#!/bin/sh
# A real build as the workload: umk's own sources (git HEAD), built with
# "make -j2" natively and inside ./linux on both platforms, best of some
# rounds; gcc's cc1 computes for long stretches between system calls, make
# and the driver fork and exec. Prints a markdown table (bench/ubench.sh
# prints the microbenchmarks):
#   { bench/ubench.sh; bench/build.sh; bench/compute.sh; } > bench/RESULTS.md
#   BUILD_ROUNDS=3
cd "$(dirname "$0")/.." || exit 1
rounds=${BUILD_ROUNDS:-3}
dir=$(mktemp -d /tmp/umkbuild.XXXXXX)
trap 'rm -rf "$dir"' EXIT
git archive HEAD | tar -x -C "$dir" || exit 1
[ -x ./linux ] || make -s linux >&2 || exit 1
target="$(cd "$dir" && ls init/*.c kernel/*.c mm/*.c fs/*.c | sed 's|^|build/|; s|\.c$|.o|' | tr '\n' ' ')"
cmd="cd $dir && make -s clean && make -s -j2 $target"

now() { date +%s.%N; }
run() {
	t0=$(now)
	case $1 in
	native) sh -c "$cmd" >/dev/null 2>&1 ;;
	*) ./linux rootfstype=hostfs hostfs=/ rw quiet platform=$1 init=/bin/sh -- -c \
		"export PATH=/usr/bin:/bin; $cmd" </dev/null >/dev/null 2>&1 ;;
	esac
	echo "$1 $(now) $t0" | awk '{ print $1, $2 - $3 }'
}

for r in $(seq "$rounds"); do
	for e in native seccomp ptrace; do
		echo "build round $r: $e" >&2
		run $e >>"$dir/times"
	done
done
n=$(echo $target | wc -w)
cat <<EOF

## A real build

\`bench/build.sh\` ($rounds rounds, best round): $n of umk's own C files (the
kernel proper) compiled by gcc -O2 with \`make -j2\`, natively and inside
./linux (booted on hostfs, boot included). Seconds; lower is better.

EOF
awk '{ if (!($1 in b) || $2 < b[$1]) b[$1] = $2 }
END {
	printf "| native | seccomp | ptrace | seccomp/native | ptrace/native |\n|---:|---:|---:|---:|---:|\n"
	printf "| %.2f | %.2f | %.2f | %.2f | %.2f |\n", b["native"], b["seccomp"], b["ptrace"],
		b["seccomp"] / b["native"], b["ptrace"] / b["native"]
}' "$dir/times"
