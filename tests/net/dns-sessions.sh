#!/usr/bin/env bash
# DNS that follows the session (issue 15): two uplinks whose ISPs answer the
# same names with their own address (10.41.1.1 / 10.41.2.1). An application
# (uid 1) whose session may use only up1 (not the default) resolves through
# ISP 2's server, out of up1, over UDP and TCP; a process in no session gets
# the default's (ISP 1) answer. Neither is served the other's cached answer,
# in either order. The session's bearer gone → REFUSED at once, and nothing
# asked through ISP 1.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_two_isps
check_wait "both uplinks online" 30 bash -c "service_state dev up0 online && service_state dev up1 online"
log1="$LAB_DIR/dnsmasq-isp1-eth0.log"
log2="$LAB_DIR/dnsmasq-isp2-eth0.log"
check "each ISP's dnsmasq logs its queries" test -f "$log1" -a -f "$log2"

# dig as uid 1 (the session's application: marked by uid) or as root (no session).
app() { lab_app_exec dev setpriv --reuid=1 --regid=1 --clear-groups dig @127.0.0.1 +time=2 +tries=1 "$@"; }
out() { lab_exec dev dig @127.0.0.1 +time=2 +tries=1 "$@"; }
asked() { grep -c "query\[A\] $2 from $3" "$1" || true; }

check_wait "the default uplink's server answers a process in no session" 5 \
	bash -c "[ \"\$(lab_exec dev dig @127.0.0.1 +short a0.isp.lab)\" = 10.41.1.1 ]"
check "app A (uid 1) creates a session limited to up1" lab_app A 1 - AllowedInterface=up1
lab_expect "A is told it is online on up1" A ok wait Interface up1

check "A resolves through up1's server" test "$(app +short s1.isp.lab)" = 10.41.2.1
check "ISP 2 was asked from up1's address" test "$(asked "$log2" s1.isp.lab '10\.41\.2\.')" = 1
check "and ISP 1 never" test "$(asked "$log1" s1.isp.lab .)" = 0
check "A asks again: the same answer" test "$(app +short s1.isp.lab)" = 10.41.2.1
check "from the session's cache (ISP 2 asked once)" test "$(asked "$log2" s1.isp.lab .)" = 1

# The session's answer never reaches a process outside it, and the other way round.
check "a name A asked first: outside the session it is ISP 1's answer" \
	test "$(out +short s1.isp.lab)" = 10.41.1.1
check "ISP 1 was asked for it from up0's address" test "$(asked "$log1" s1.isp.lab '10\.41\.1\.')" = 1
check "a name asked outside first: 10.41.1.1 there" test "$(out +short o1.isp.lab)" = 10.41.1.1
check "then A gets ISP 2's answer for it" test "$(app +short o1.isp.lab)" = 10.41.2.1
check "ISP 2 was asked once for it, by A" test "$(asked "$log2" o1.isp.lab .)" = 1

check "over TCP too: A resolves through up1's server" test "$(app +tcp +short t1.isp.lab)" = 10.41.2.1
check "ISP 2 was asked (TCP query, from up1's address)" test "$(asked "$log2" t1.isp.lab '10\.41\.2\.')" = 1
check "and ISP 1 never" test "$(asked "$log1" t1.isp.lab .)" = 0
check "over TCP outside the session: ISP 1's answer" test "$(out +tcp +short t2.isp.lab)" = 10.41.1.1
check "and ISP 2 not asked" test "$(asked "$log2" t2.isp.lab .)" = 0

lab_exec dev ip link set up1 down
lab_expect "up1 down: A is told it has no interface" A ok wait State disconnected 20
check "A's query is refused at once" \
	bash -c "lab_app_exec dev setpriv --reuid=1 --regid=1 --clear-groups dig @127.0.0.1 +time=2 \
		+tries=1 g1.isp.lab | grep -q 'status: REFUSED'"
check "A's cached name is not served either" \
	bash -c "lab_app_exec dev setpriv --reuid=1 --regid=1 --clear-groups dig @127.0.0.1 +time=2 \
		+tries=1 s1.isp.lab | grep -q 'status: REFUSED'"
check "over TCP likewise" \
	bash -c "lab_app_exec dev setpriv --reuid=1 --regid=1 --clear-groups dig @127.0.0.1 +tcp \
		+time=2 +tries=1 g2.isp.lab | grep -q 'status: REFUSED'"
check "nothing of A's went to ISP 1" \
	bash -c "! grep -qE 'query\[A\] g[12]\.isp\.lab' '$log1'"
check "a process in no session still resolves through up0" test "$(out +short g3.isp.lab)" = 10.41.1.1
check "connd stops cleanly" lab_connd_stop
check "tcp_fwmark_accept is as connd found it" \
	test "$(lab_exec dev cat /proc/sys/net/ipv4/tcp_fwmark_accept)" = 0
lab_teardown
lab_done
