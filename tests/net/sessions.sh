#!/usr/bin/env bash
# Sessions steer each application's traffic, and only its: two ISPs, main
# default route on ISP 1; an application (uid 1, daemon) whose session allows only
# ISP 2's link reaches the server through ISP 2, TCP and UDP; another (uid
# 2) uses ISP 1. Its bearer down → its traffic stops (no leak to ISP 1) and
# it is told; back → flows again. Statistics match a fixed download. A policy
# that forbids the bearer leaves no route; rewritten, the session follows
# it. A session's Connect() connects one service it may use, only when it
# has none. Owner gone → kernel state gone.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_two_isps
check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"
check_wait "the web servers answer" 5 \
	lab_exec dev curl -s -o /dev/null --max-time 2 http://192.0.2.80/plain

hits() { grep -c "$2" "$LAB_DIR/web-$1.log" 2>/dev/null || true; }

# Every nftables batch from here on, to count what creating a session costs.
ip netns exec "$dev" nft monitor >"$LAB_DIR/nft-monitor.log" 2>&1 &
lab_defer "kill $!"
probe="add table inet connd_probe_$LAB; delete table inet connd_probe_$LAB"
check_wait "nft monitor listens" 5 bash -c "ip netns exec $dev nft '$probe' &&
	grep -q 'delete table inet connd_probe' '$LAB_DIR/nft-monitor.log'"
# Batches after the (last) probe's own.
batches() { awk '/delete table inet connd_probe/ { n = -1 } /^# new generation/ { n++ } END { print n }' \
	"$LAB_DIR/nft-monitor.log"; }

# On the BPF data path sessions change BPF maps only: no nftables batch.
path=$(lab_datapath)
per_session=1; [ "$path" = bpf ] && per_session=0
# Any policy routing rule sends every route lookup of the namespace through
# the rule walk, for good: the slots' fwmark rules wait for a session.
fwmark_rules() { ip -n "$dev" rule show | grep -c fwmark; }
check "no fwmark rule while no session exists ($(fwmark_rules))" test "$(fwmark_rules)" = 0
check "app A (uid 1, daemon) creates a session limited to up1" lab_app A 1 - AllowedInterface=up1
check "the first session put both slots' rules and the unreachable one in ($(fwmark_rules))" \
	test "$(fwmark_rules)" = 3
check "app B (uid 2, bin) creates a session with any bearer" lab_app B 2 -
lab_expect "A is told it is online on up1" A ok wait Interface up1
lab_expect "A's state is online" A ok wait State online
lab_expect "B is told it rides on up0 (the default)" B ok wait Interface up0
# ConnMan 1.41 does the same (its "free ride"): online without Connect(), and
# "*" is ethernet, wifi, bluetooth, cellular, gadget (no vpn).
lab_expect "B is online without calling Connect()" B ok wait State online
check "B's AllowedBearers are ConnMan's default" \
	test "$(lab_say B get AllowedBearers)" = "ethernet,wifi,bluetooth,cellular,gadget"
# The session's service is chosen first: its counters and its mark go in
# together, and the mark never points at the unreachable slot meanwhile.
check "creating each session was $per_session nftables transaction ($path path: $(batches) for two)" \
	test "$(batches)" = $((2 * per_session))
check "no session was marked for the unreachable table on its way in" \
	bash -c "! grep -E 'add element inet connd session_uid .* : 0x0ff' '$LAB_DIR/nft-monitor.log'"

before1=$(hits isp1 /bytes/1234); before2=$(hits isp2 /bytes/1234)
lab_expect "A's TCP request succeeds" A "ok 1234" tcp http://192.0.2.80/bytes/1234
check "A's request arrived at ISP 2" test "$(hits isp2 /bytes/1234)" -gt "$before2"
check "and not at ISP 1" test "$(hits isp1 /bytes/1234)" = "$before1"
check "ISP 2 saw A from the device's up1 address" \
	grep -qE '^10\.41\.2\.[0-9]+ .*bytes/1234' "$LAB_DIR/web-isp2.log"
lab_expect "A's UDP datagrams leave" A ok udp 192.0.2.80 5000 3
check_wait "A's UDP arrived at ISP 2 from up1's address" 5 \
	bash -c "[ \$(grep -cE '^10\.41\.2\.' '$LAB_DIR/udp-isp2.log') -ge 3 ]"
check "and none at ISP 1" bash -c "! grep -q . '$LAB_DIR/udp-isp1.log'"

lab_expect "B's TCP request succeeds" B "ok 4321" tcp http://192.0.2.80/bytes/4321
check "B's request arrived at ISP 1" grep -q 'bytes/4321' "$LAB_DIR/web-isp1.log"
check "and not at ISP 2" bash -c "! grep -q 'bytes/4321' '$LAB_DIR/web-isp2.log'"
check "traffic without a session follows the main table (ISP 1)" \
	bash -c "lab_exec dev curl -s -o /dev/null --max-time 3 http://192.0.2.80/bytes/999 &&
		 grep -q 'bytes/999' '$LAB_DIR/web-isp1.log'"

check "the marks live in maps: one element per application ($path path)" \
	bash -c "[ \$(lab_marks uid | wc -l) = 2 ]"
check "no xtables compat expressions in connd's table" \
	bash -c "! ip netns exec $dev nft --debug=netlink list table inet connd | grep -qE '\\[ (match|target) '"

# A fixed download counts against A's session within headers' overhead.
rx0=$(lab_say A stats | cut -d' ' -f1)
lab_expect "A downloads 200000 bytes" A "ok 200000" tcp http://192.0.2.80/bytes/200000
read -r rx1 tx1 <<<"$(lab_settled_stats A)"
check "A's RX counter grew by the download plus headers (${rx0} → ${rx1})" \
	bash -c "d=\$(( $rx1 - $rx0 )); [ \$d -ge 200000 ] && [ \$d -le 230000 ]"
check "A's TX counter counts its requests" test "${tx1:-0}" -gt 0
# Traffic with the machine itself (loopback, or one of its own addresses)
# is not the session's network traffic.
own=$(lab_exec dev ip -4 -o addr show dev up1 | awk '{ sub("/.*", "", $4); print $4 }')
lab_expect "A sends datagrams to 127.0.0.1" A ok udp 127.0.0.1 9 20
lab_expect "and to its own address $own" A ok udp "$own" 9 20
lab_expect "and fetches a page from a local server" A error tcp http://127.0.0.1:9/ 1
read -r rx2 tx2 <<<"$(lab_say A stats)"
check "none of it counts in A's statistics ($rx1/$tx1 → $rx2/$tx2)" \
	test "$rx2/$tx2" = "$rx1/$tx1"
# Each packet counts once, however often the rules were rebuilt since.
lab_expect "A sends 5 datagrams of 100 bytes to the network" A ok udp 192.0.2.80 5000 5
read -r rx3 tx3 <<<"$(lab_say A stats)"
check "A's TX grew by 5 × 128 bytes (IP length), each counted once ($tx2 → $tx3)" \
	test "$((tx3 - tx2))" = 640

# Session.Disconnect(): the session lets go of its service at once, as in
# ConnMan 1.41; Connect() takes one again, and so does the next change of a
# service's state (ConnMan's free ride).
lab_expect "B calls Disconnect()" B ok disconnect
lab_expect "B is told it is disconnected at once" B ok wait State disconnected 3
check "and that it rides no interface" test "$(lab_say B get Interface)" = ""
lab_expect "B's traffic has no route meanwhile" B error tcp http://192.0.2.80/bytes/56 2
lab_expect "B calls Connect()" B ok connect
lab_expect "B rides up0 again" B ok wait Interface up0 3
lab_expect "B is online again" B ok wait State online 3
lab_expect "B's traffic flows again" B "ok 57" tcp http://192.0.2.80/bytes/57
lab_expect "B calls Disconnect() again" B ok disconnect
lab_expect "B is disconnected again" B ok wait State disconnected 3

# A session's Connect() connects one service it may use, and only when it
# has none: the user's Disconnect of up1 holds while B (any bearer) connects
# onto up0; A, limited to up1, brings up1 back by its own Connect().
lab_connmanctl disconnect "$(lab_service dev up1)" >/dev/null 2>&1
lab_expect "the user disconnects up1: A is told it is disconnected" A ok wait State disconnected 5
lab_expect "B calls Connect()" B ok connect
lab_expect "B rides up0" B ok wait State online 3
sleep 2
check "up1 stays disconnected: B's Connect() has up0 and connects nothing else" \
	service_state dev up1 idle
lab_expect "A calls Connect()" A ok connect
lab_expect "A's Connect() brings up1 back: A is online on it" A ok wait State online 20
lab_expect "B calls Disconnect() once more" B ok disconnect
lab_expect "B is disconnected" B ok wait State disconnected 3

lab_exec isp2 ip link set eth0 down
lab_expect "A is told its bearer is gone" A ok wait State disconnected
lab_expect "up1's change of state takes B back onto up0" B ok wait State online 5
fail1=$(hits isp1 /bytes/77)
lab_expect "A's traffic stops (no route)" A error tcp http://192.0.2.80/bytes/77 2
check "nothing of A's leaked to ISP 1" test "$(hits isp1 /bytes/77)" = "$fail1"
lab_expect "B keeps working meanwhile" B "ok 55" tcp http://192.0.2.80/bytes/55
lab_exec isp2 ip link set eth0 up
lab_expect "A is told its bearer is back" A ok wait State online 20
lab_expect "A's traffic flows again through ISP 2" A "ok 78" tcp http://192.0.2.80/bytes/78
check "through ISP 2" grep -q 'bytes/78' "$LAB_DIR/web-isp2.log"

up1_addr=$(ip -n "$dev" -4 -o addr show up1 | awk '{print $4}' | cut -d/ -f1)
lab_expect "A turns SourceIPRule on" A ok change SourceIPRule true
check "a 'from up1's address' rule sends bound sockets to up1's table" \
	bash -c "ip -n $dev rule show | grep -qE 'from $up1_addr lookup [0-9]+ proto 196'"
check "an application bound to that address leaves by ISP 2" bash -c "
	lab_exec dev curl -s -o /dev/null --max-time 3 --interface $up1_addr http://192.0.2.80/bytes/4545 &&
	grep -q 'bytes/4545' '$LAB_DIR/web-isp2.log'"
lab_expect "A turns SourceIPRule off" A ok change SourceIPRule false
check "the rule is gone" bash -c "! ip -n $dev rule show | grep -q 'from $up1_addr'"

lab_expect "bad settings are refused with ConnMan's error" A \
	"error net.connman.Error.InvalidArguments" change AllowedBearers ethernet,pigeon

# A policy that forbids ethernet to uid 1003: no route for it.
printf '[policy_c]\nuid = 3\nAllowedBearers = wifi\n' >"$LAB_DIR/policy/c.policy"
check "app C (uid 3, policy: wifi only) asks for ethernet" lab_app C 3 - AllowedBearers=ethernet
lab_expect "C is told it has no bearer" C ok wait State disconnected
lab_expect "C's allowed bearers are what the policy leaves (none)" C "" get AllowedBearers
lab_expect "C's traffic has no route" C error tcp http://192.0.2.80/bytes/66 2
check "and reached no ISP" bash -c "! grep -q 'bytes/66' '$LAB_DIR/web-isp1.log' '$LAB_DIR/web-isp2.log'"
# The file rewritten while C's session holds its rule (shared, not copied):
# the old rule outlives the reload until C has the new one.
printf '[policy_c]\nuid = 3\nAllowedBearers = ethernet\n' >"$LAB_DIR/policy/c.policy"
lab_expect "C's policy rewritten to allow ethernet: C is told so" C ok wait AllowedBearers ethernet
lab_expect "and rides it" C ok wait Bearer ethernet

before=$(batches)
lab_say A quit >/dev/null; wait "${LAB_APP_PID[A]}" 2>/dev/null
check_wait "A's owner left: its map element is gone" 5 bash -c "! lab_marks uid | grep -q '^1 '"
check "and its counters" bash -c "lab_counter_ids | grep -q . && ! lab_counter_ids | grep -qx 1"
check "removing A's session was $per_session nftables transaction ($(($(batches) - before)))" \
	test "$(($(batches) - before))" = $per_session
lab_say B quit >/dev/null; lab_say C quit >/dev/null
check "connd stops cleanly" lab_connd_stop
check "its table is gone" bash -c "! ip netns exec $dev nft list table inet connd 2>/dev/null"
lab_done
