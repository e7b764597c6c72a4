#!/bin/sh
# Capabilities at exec as Linux grants them: file capabilities
# (security.capability), taken away by a write or a chown and set only with
# CAP_SETFCAP; ambient capabilities; a set-user-ID script grants nothing
# (its interpreter's bits count, as in Linux).
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O1 -o "$dir/fcaps" "$(dirname "$0")/progs/fcaps.c" || { fail fcaps/build; exit 0; }
out=$(guest_sh "d=\$(mktemp -d); chmod 755 \$d; p=\$d/prog; cp $dir/fcaps \$p; echo secret >\$d/secret; chmod 600 \$d/secret
run() { setpriv --reuid=65534 --regid=65534 --clear-groups \"\$@\"; }
run \$p \$d/secret
\$p -set \$p ep; run \$p \$d/secret
\$p -set \$p p; run \$p \$d/secret
\$p -set \$p ep; echo >>\$p; \$p -has \$p
\$p -set \$p ep; chown 0:0 \$p; \$p -has \$p
cp \$p \$d/user; chown 65534 \$d/user; run \$p -set \$d/user ep
run --inh-caps=+dac_override --ambient-caps=+dac_override \$p \$d/secret
printf '#!%s\n' \$p >\$d/script; chmod 4755 \$d/script; run \$d/script" | tr '\t' ' ')
expected='euid 65534 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapAmb: 0000000000000000 secure 0 read no
setxattr ok
euid 65534 CapPrm: 0000000000000002 CapEff: 0000000000000002 CapAmb: 0000000000000000 secure 1 read yes
setxattr ok
euid 65534 CapPrm: 0000000000000002 CapEff: 0000000000000000 CapAmb: 0000000000000000 secure 1 read no
setxattr ok
file caps no
setxattr ok
file caps no
setxattr Operation not permitted
euid 65534 CapPrm: 0000000000000002 CapEff: 0000000000000002 CapAmb: 0000000000000002 secure 0 read yes
euid 65534 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapAmb: 0000000000000000 secure 0 read yes'
[ "$out" = "$expected" ] && pass fcaps/exec || fail fcaps/exec "got: $out"
