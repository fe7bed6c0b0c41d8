#!/usr/bin/env bash
# bench/ipv6: on a link whose router says M (dnsmasq: RAs and stateful
# DHCPv6), the time from a connection manager's start to a usable (DAD done)
# DHCPv6 address on the link: connd, then Debian's ConnMan 1.41, in the same
# lab and run, RUNS times each, each time with a fresh state (a new DUID, no
# kept lease). Prints every run and the medians; nothing is asserted.
# Measured 2026-12-06: connd 3.4-4.2 s (median 3.9 s, of which ~1 s is the
# kernel's DAD); ConnMan 1.41 got no address within 30 s in this lab (its log,
# kept in /tmp/bench-ipv6-connman.log, shows the link up and the RA's prefix
# route, then nothing: not investigated yet).
#   bench/ipv6/run.sh [BUILD]      RUNS=5
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
RUNS=${RUNS:-5}
export REPO BUILD CONND=$BUILD/src/connd
. "$REPO/tests/lab/lab.sh"
lab_require_root

lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.57.0.1/24 --ipv6=2001:db8:57::1/64 --ipv6-mode=managed
lab_dbus

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Milliseconds from START until up0 holds a DHCPv6 address (dnsmasq leases
# ::100 to ::1ff; connd puts them as /128, ConnMan with the RA's prefix
# length) that is no longer tentative; "timeout" after 30 s.
until_address() {
	local start=$1 deadline=$((SECONDS + 30))
	while [ $SECONDS -lt $deadline ]; do
		if lab_exec dev ip -6 -o addr show dev up0 scope global |
			grep -v tentative | grep -q '2001:db8:57::1[0-9a-f][0-9a-f]/'; then
			echo $(($(now_ms) - start))
			return 0
		fi
		sleep 0.02
	done
	echo timeout
}

fresh_link() {
	lab_exec dev ip -6 addr flush dev up0 scope global 2>/dev/null
	rm -rf "$LAB_DIR/state-dev"
}

# Each run appends its time to RESULT (not through $(...): lab_connd's
# clean-up bookkeeping must stay in this shell).
run_connd() {
	local start
	fresh_link
	start=$(now_ms)
	lab_connd dev up0 >/dev/null
	RESULT="$RESULT $(until_address "$start")"
	lab_connd_stop >/dev/null
}

run_connman() {
	local start cm
	fresh_link
	start=$(now_ms)
	# /var/lib and /run are its own tmpfs: nothing it writes reaches the host.
	ip netns exec "$(lab_nsname dev)" unshare --uts --mount sh -c "mount -t tmpfs tmpfs /var/lib &&
		mount -t tmpfs tmpfs /run && mkdir -p /var/lib/connman /run/connman &&
		exec '$CONNMAND' -n -i up0" >>"$LAB_DIR/connman.log" 2>&1 &
	cm=$!
	RESULT="$RESULT $(until_address "$start")"
	kill "$cm" 2>/dev/null
	wait "$cm" 2>/dev/null
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END {
	if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2];
	else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

RESULT=""
for _ in $(seq "$RUNS"); do run_connd; done
connd_runs=$RESULT
RESULT=""
if CONNMAND=$("$REPO/tests/lab/connman.sh" connmand 2>/dev/null); then
	for _ in $(seq "$RUNS"); do run_connman; done
	connman_runs=$RESULT
	cp "$LAB_DIR/connman.log" /tmp/bench-ipv6-connman.log 2>/dev/null
else
	connman_runs=" n/a"
fi

printf '\nIPv6: start -> usable DHCPv6 address (M-flag router, dnsmasq), ms\n'
printf '  %-16s %-40s %s\n' "" "runs" "median"
printf '  %-16s %-40s %s\n' "connd" "$connd_runs" "$(echo "$connd_runs" | tr ' ' '\n' | grep -x '[0-9]*' | median)"
printf '  %-16s %-40s %s\n' "ConnMan 1.41" "$connman_runs" \
	"$(echo "$connman_runs" | tr ' ' '\n' | grep -x '[0-9]*' | median)"
lab_teardown
