#!/bin/sh
# The kernel log as Linux shows it: /dev/kmsg record by record (writes,
# priorities, escapes, seeks, poll, a reader the ring overtakes) and
# syslog(2)'s reads, clear and permissions; dmesg reads it all.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O1 -o "$dir/kmsg" "$(dirname "$0")/progs/kmsg.c" || { fail kmsg/build; exit 0; }
out=$(guest_sh "$dir/kmsg")
expected='write 21 
write 14 
write 17 
write 21 
write 1025 -1 EINVAL
seek end 0 
read at end -1 EAGAIN
poll 0 
write 18 
poll 1 revents 0x1
read 3 bytes -1 EINVAL
record 14 umk-kmsg after
seek 5 -1 ESPIPE
seek whence 9 -1 EINVAL
seek set 0 
record 13 umk-kmsg one\x5ctwo
record 12 umk-kmsg plain
record 8 umk-kmsg kern
record 1000 umk-kmsg local
record 14 umk-kmsg after
syslog size 262144
syslog read all: has it
syslog clear 0 
after clear: gone
write 17 
seek data 0 
record 14 umk-kmsg late
overtaken -1 EPIPE
then 1 
user clear -1 EPERM
user read all 1 '
[ "$out" = "$expected" ] && pass kmsg/records || fail kmsg/records "got: $out"

# util-linux's dmesg reads /dev/kmsg: a user's message with its facility.
# (The message is made at run time: the logged command line has its recipe.)
out=$(guest_sh 'echo "<5>umk-kmsg from $((6 * 7))" >/dev/kmsg; dmesg -x | grep "umk-kmsg from 4[2]"')
case "$out" in "user  :notice: ["*"] umk-kmsg from 42") pass kmsg/dmesg ;; *) fail kmsg/dmesg "got: $out" ;; esac
