# Shared by the test scripts: results as lines the runner counts.
#   pass NAME | fail NAME [why] | skip NAME why
LINUX=${LINUX:-$(cd "$(dirname "$0")/../.." && pwd)/linux}
TIMEOUT=${TIMEOUT:-120}
# Extra kernel options for every boot (e.g. platform=ptrace).
UMK_OPTS=${UMK_OPTS:-}

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+ ($2)}"; }
skip() { echo "SKIP: $1 ($2)"; }

# Boots a host-root guest running a shell command; output on stdout.
guest_sh() {
	timeout "$TIMEOUT" "$LINUX" rootfstype=hostfs hostfs=/ rw loglevel=0 $UMK_OPTS \
		init=/bin/sh -- -c "export PATH=/usr/sbin:/usr/bin:/sbin:/bin; $1" </dev/null 2>&1
}
