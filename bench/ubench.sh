#!/bin/sh
# The shared microbenchmark (../shared/bench/ubench.c), built statically and
# run in one go natively, inside ./linux on both platforms and inside
# Debian's User-Mode Linux (linux.uml on hostfs, when installed). Each round
# runs every environment once; a case's figure is its best round (UML's
# console ends lines with CR: dropped). Prints the head of bench/RESULTS.md:
#   { bench/ubench.sh; bench/build.sh; bench/compute.sh; } > bench/RESULTS.md
#   UBENCH_ROUNDS=3  rounds      UBENCH_SCALE=1  iteration counts (ubench's)
#   UBENCH_SRC=...   ubench.c    UML=linux.uml   "" to leave UML out
cd "$(dirname "$0")/.." || exit 1
src=${UBENCH_SRC:-../shared/bench/ubench.c}
rounds=${UBENCH_ROUNDS:-3}
uml=${UML-linux.uml}
command -v "$uml" >/dev/null 2>&1 || uml=
dir=$(mktemp -d /tmp/ubench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cc -O2 -static -o "$dir/ubench" "$src" || exit 1
[ -x ./linux ] || make -s linux >&2 || exit 1
cat >"$dir/uml-init" <<EOF
#!/bin/sh
mount -t proc proc /proc
UBENCH_SCALE=${UBENCH_SCALE:-1} TMPDIR=$dir $dir/ubench
echo o >/proc/sysrq-trigger
EOF
chmod +x "$dir/uml-init"

run_native() { UBENCH_SCALE=${UBENCH_SCALE:-1} TMPDIR=$dir "$dir/ubench"; }
run_umk() {
	./linux rootfstype=hostfs hostfs=/ rw quiet platform=$1 UBENCH_SCALE=${UBENCH_SCALE:-1} \
		TMPDIR=$dir init="$dir/ubench" </dev/null 2>/dev/null
}
run_uml() {
	"$uml" mem=1G rootfstype=hostfs rootflags=/ rw con0=fd:0,fd:1 con=null quiet \
		init="$dir/uml-init" </dev/null 2>/dev/null
}

envs="native seccomp ptrace${uml:+ uml}"
for r in $(seq "$rounds"); do
	for e in $envs; do
		echo "round $r: $e" >&2
		case $e in
		native) run_native ;;
		uml) run_uml ;;
		*) run_umk "$e" ;;
		esac | tr -d '\r' | awk -v e="$e" '$3 ~ /^ns\// { print e, $1, $2, $3 }' >>"$dir/all"
	done
done

cat <<EOF
# ubench: umk against native, its ptrace platform and User-Mode Linux

Produced by \`{ bench/ubench.sh; bench/build.sh; bench/compute.sh; } >
bench/RESULTS.md\`: here ubench.sh ($rounds rounds, best round per case) on $(date -u +%Y-%m-%d), host Linux $(uname -r), $(nproc) CPUs:
$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//').
umk at $(git rev-parse --short HEAD 2>/dev/null); UML is Debian's
$(dpkg-query -W -f='${Package} ${Version}' user-mode-linux 2>/dev/null || echo "(not installed)").
Each case is ../shared/bench/ubench.c's; lower is better. Ratios are to
native; the last two columns say how many times faster umk's seccomp
platform is than its ptrace platform and than UML. Targets (issue 3):
within 10x native for getpid, 5x for open_close, stat and pread4k, 3x for
fork_wait, fork_exec and pipe_rtt, 1.3x for page_fault; at least 20x faster
than UML everywhere; the syscall-bound cases 10x faster than ptrace.

EOF
awk -v envs="$envs" '
function fmt(v) { return v == "" ? "-" : sprintf("%d", v) }
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.1f", a / b) }
{
	k = $1 SUBSEP $2
	if (!(k in best) || $3 < best[k]) best[k] = $3
	unit[$2] = $4
	if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 }
}
END {
	split("getpid 10 open_close 5 stat 5 pread4k 5 pipe_rtt 3 fork_wait 3 fork_exec 3 page_fault 1.3", t, " ")
	for (i = 1; i in t; i += 2) target[t[i]] = t[i + 1]
	hasuml = envs ~ /uml/
	printf "| case | unit | native | seccomp | ptrace |%s seccomp/native | target |%s ptrace/seccomp |%s\n",
		hasuml ? " UML |" : "", "", hasuml ? " UML/seccomp |" : ""
	printf "|---|---|---:|---:|---:|%s---:|---|---:|%s\n", hasuml ? "---:|" : "", hasuml ? "---:|" : ""
	for (i = 0; i < n; i++) {
		c = order[i]
		nat = best["native" SUBSEP c]; sec = best["seccomp" SUBSEP c]
		pt = best["ptrace" SUBSEP c]; um = best["uml" SUBSEP c]
		r = ratio(sec, nat)
		tgt = c in target ? ((r != "-" && r + 0 <= target[c]) ? "<= " target[c] "x: met" : "<= " target[c] "x: not met") : ""
		printf "| %s | %s | %s | %s | %s |%s %s | %s | %s |%s\n", c, unit[c], fmt(nat), fmt(sec),
			fmt(pt), hasuml ? " " fmt(um) " |" : "", r, tgt, ratio(pt, sec),
			hasuml ? " " ratio(um, sec) " |" : ""
	}
}' "$dir/all"
