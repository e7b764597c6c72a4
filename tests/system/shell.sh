#!/bin/sh
# Debian's bash running a script with pipes, subshells, command substitution,
# here-documents and traps; its output must match the host's.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/script.bash" <<'SCRIPT'
set -u
export PATH=/usr/bin:/bin
trap 'echo "trap: exiting with $?"' EXIT
trap 'echo "trap: got USR1"' USR1
f() { local x=$1; echo "f($x) = $((x * x))"; }
for i in 1 2 3; do f $i; done
echo "pipes: $(seq 1 100 | grep 7 | sort -r | head -3 | tr '\n' ' ')"
( cd /tmp && echo "subshell in $(pwd)" ); echo "back in $(pwd)"
count=$(ls /usr/bin | wc -l); [ "$count" -gt 10 ] && echo "ls works"
cat <<EOT | sed 's/^/  /'
here-doc line 1, expanded: $((40 + 2))
here-doc line 2
EOT
read -r a b <<< "one two"; echo "read: $b $a"
kill -USR1 $$
echo "after signal"
{ echo err >&2; echo out; } 2>/dev/null
x=$( { sleep 0.1; echo late; } & wait; echo done )
echo "background: $x"
arr=(c b a); IFS=$'\n' sorted=($(printf '%s\n' "${arr[@]}" | sort)); echo "sorted: ${sorted[*]}"
case "abc" in a*) echo "case ok";; esac
false || echo "or ok"
(exit 7); echo "status $?"
SCRIPT
native=$(cd / && env -i HOME=/ TERM=linux bash "$dir/script.bash" 2>&1)
guest=$(guest_sh "bash $dir/script.bash")
if [ "$native" = "$guest" ]; then pass shell/bash-script; else
	fail shell/bash-script "output differs"
	printf '%s\n' "$native" >"$dir/n"; printf '%s\n' "$guest" >"$dir/g"; diff "$dir/n" "$dir/g" | head -20
fi
