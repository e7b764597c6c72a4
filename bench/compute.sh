#!/bin/sh
# The compute-then-syscall pattern (bench/compute.c): what one stat costs a
# guest that computes 1, 10 or 100 us between calls, natively and inside
# ./linux on both platforms, the median of some rounds (a round's noise can
# exceed a native call's cost). Prints a markdown table:
#   { bench/ubench.sh; bench/build.sh; bench/compute.sh; } > bench/RESULTS.md
#   COMPUTE_ROUNDS=3
cd "$(dirname "$0")/.." || exit 1
rounds=${COMPUTE_ROUNDS:-5}
dir=$(mktemp -d /tmp/umkcompute.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cc -O2 -static -o "$dir/compute" bench/compute.c || exit 1
[ -x ./linux ] || make -s linux >&2 || exit 1

for r in $(seq "$rounds"); do
	for e in native seccomp ptrace; do
		echo "compute round $r: $e" >&2
		case $e in
		native) "$dir/compute" ;;
		*) ./linux rootfstype=hostfs hostfs=/ rw quiet platform=$e init="$dir/compute" \
			</dev/null 2>/dev/null ;;
		esac | awk -v e="$e" '$3 == "ns/call" { print e, ++i, $1, $2 }' >>"$dir/all"
	done
done
cat <<EOF

## Computing between calls

\`bench/compute.sh\` ($rounds rounds, median round): a guest computes for
about 1, 10 or 100 us, then calls \`stat("/")\`, over and over; the figure
is what each call adds to the loop, in ns (lower is better).

| computing | native | seccomp | ptrace | seccomp/native |
|---|---:|---:|---:|---:|
EOF
# Fields: environment, case number, case, ns; sorted so that a case's
# rounds come together, fastest first.
sort -k2,2n -k1,1 -k4,4n "$dir/all" | awk -v rounds="$rounds" '
{
	k = $1 SUBSEP $3
	if (++seen[k] == int((rounds + 1) / 2)) mid[k] = $4
	if (!($3 in cases)) { cases[$3] = 1; order[n++] = $3 }
}
END {
	for (i = 0; i < n; i++) {
		c = order[i]; nat = mid["native" SUBSEP c]; sec = mid["seccomp" SUBSEP c]
		printf "| %s | %d | %d | %d | %s |\n", c, nat, sec, mid["ptrace" SUBSEP c],
			(nat > 0 ? sprintf("%.1f", sec / nat) : "-")
	}
}'
