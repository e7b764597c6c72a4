#!/bin/sh
# The process model as Debian programs use it: job control in a bash script,
# timeout, pipes closing early, threaded tools, a parallel make.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/jobs.bash" <<'SCRIPT'
set -m
export PATH=/usr/bin:/bin
sleep 30 &
pid=$!
kill -STOP $pid; sleep 0.2; jobs
kill -CONT $pid; sleep 0.2; jobs
kill %1
wait $pid; echo "wait status $?"
sleep 0.1 & sleep 0.2; jobs; wait
(sleep 0.2; exit 5) & wait $!; echo "bg status $?"
SCRIPT
native=$(cd / && env -i HOME=/ TERM=linux bash "$dir/jobs.bash" 2>&1)
guest=$(guest_sh "bash $dir/jobs.bash")
[ "$native" = "$guest" ] && pass process/job-control || fail process/job-control "got: $guest"

out=$(guest_sh 'timeout 1 sleep 10; echo $?')
[ "$out" = 124 ] && pass process/timeout || fail process/timeout "got: $out"

out=$(guest_sh 'yes | head -1; echo $?')
[ "$out" = "y
0" ] && pass process/yes-head || fail process/yes-head "got: $out"

head -c 2000000 /dev/urandom | base64 >"$dir/data"
want=$(xz -T2 -c "$dir/data" | md5sum)
got=$(guest_sh "xz -T2 -c $dir/data | md5sum")
[ "$want" = "$got" ] && pass process/xz-threads || fail process/xz-threads "got: $got"
want=$(sort --parallel=2 -S 1M -T "$dir" "$dir/data" | md5sum)
got=$(guest_sh "sort --parallel=2 -S 1M -T $dir $dir/data | md5sum")
[ "$want" = "$got" ] && pass process/sort-parallel || fail process/sort-parallel "got: $got"

mkdir "$dir/proj"
for i in $(seq 1 12); do printf 'int f%d(void) { return %d; }\n' $i $i >"$dir/proj/f$i.c"; done
{ for i in $(seq 1 12); do echo "int f$i(void);"; done
  echo '#include <stdio.h>'
  printf 'int main(void) { printf("%%d\\n", 0'; for i in $(seq 1 12); do printf ' + f%d()' $i; done; echo '); return 0; }'
} >"$dir/proj/main.c"
printf 'SRC=$(wildcard *.c)\nprog: $(SRC:.c=.o)\n\t$(CC) -o $@ $^\n' >"$dir/proj/Makefile"
out=$(guest_sh "cd $dir/proj && make -s -j4 && ./prog")
[ "$out" = 78 ] && pass process/make-j4 || fail process/make-j4 "got: $out"

# The tools that read /proc show the guest's own machine: its pids (init is
# 1, the shell's children follow), the memory mem= gave it, an uptime that
# began at its boot; pgrep and bash's kill %1 find and signal guest pids.
out=$(UMK_OPTS="$UMK_OPTS mem=256M" guest_sh 'sleep 30 & echo sleep_pid $!
	ps aux | awk '\''$2 == 1 { print "ps_init", $11 } $11 == "sleep" { print "ps_sleep", $2 }'\''
	top -bn1 | awk '\''/^top -/ { print "top_up", $5, $6 } /^MiB Mem/ { print "top_mem", $4 }'\''
	free -m | awk '\''/^Mem:/ { print "free_total", $2 }'\''
	uptime | awk '\''{ print "uptime_up", $3, $4 }'\''
	echo pgrep $(pgrep -x sleep)
	bash -c '\''set -m; sleep 30 & kill %1; wait $!; echo bash_kill $?'\''')
field() { echo "$out" | awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }'; }
sleep_pid=$(field sleep_pid)
[ "$(field ps_init)" = /bin/sh ] && [ "$(field ps_sleep)" = "$sleep_pid" ] && [ "$sleep_pid" -lt 10 ] &&
	pass process/ps-aux || fail process/ps-aux "got: $out"
[ "$(field top_up)" = "0 min," ] && [ "$(field top_mem)" = 256.0 ] &&
	pass process/top || fail process/top "got: $out"
[ "$(field free_total)" = 256 ] && pass process/free || fail process/free "got: $out"
[ "$(field uptime_up)" = "0 min," ] && pass process/uptime || fail process/uptime "got: $out"
[ "$(field pgrep)" = "$sleep_pid" ] && pass process/pgrep || fail process/pgrep "got: $out"
[ "$(field bash_kill)" = 143 ] && pass process/bash-kill-job || fail process/bash-kill-job "got: $out"

# Namespaces are refused as by a Linux built without them, with a log line.
out=$(guest_sh 'unshare -u true; echo status=$?; dmesg | grep -c "new namespaces (0x4000000) [n]ot implemented"')
[ "$out" = "unshare: unshare failed: Invalid argument
status=1
1" ] && pass process/namespaces-refused || fail process/namespaces-refused "got: $out"
