#!/usr/bin/env bash
# The DNS proxy, asked with dig on 127.0.0.1 in connd's namespace, with real
# dnsmasq upstreams in the ISP namespace: record types, NXDOMAIN, a large TXT
# answer that needs TCP on both sides, EDNS0, answers from the cache after
# every upstream is gone (until their TTL runs out), failover, the cache
# flushed when the upstream changes, forged replies and malformed queries
# dropped and counted, and resolv.conf both with the proxy and without it.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root

NET=10.33.0
UP=10.34.0	# upstreams on the ISP's lo, which its own dnsmasq leaves alone
BIG=$(printf 'x%.0s' $(seq 1 200))

# upstream N ADDR WHO_IP: a DNS-only dnsmasq; who.lab answers WHO_IP there.
upstream() {
	local n=$1 addr=$2 who=$3 conf="$LAB_DIR/up$1.conf"
	lab_exec isp ip addr add "$addr/32" dev lo
	cat >"$conf" <<-CONF
		listen-address=$addr
		bind-interfaces
		port=53
		no-resolv
		no-hosts
		no-dhcp-interface=eth0
		local=/lab/
		local-ttl=300
		address=/who.lab/$who
		address=/who.lab/fd00::$n
		host-record=fo.lab,10.0.0.$((n + 10))
		host-record=short.lab,10.0.0.9,4
		mx-host=mail.lab,mx.lab,10
		txt-record=txt.lab,"hello from up$n"
		pid-file=$LAB_DIR/up$n.pid
		log-facility=$LAB_DIR/up$n.log
		log-queries
	CONF
	for i in $(seq 1 10); do echo "txt-record=big.lab,\"$i$BIG\""; done >>"$conf"
	lab_exec isp dnsmasq --conf-file="$conf" || return 1
	lab_defer "kill \$(cat '$LAB_DIR/up$n.pid')"
}

stop_upstream() { kill "$(cat "$LAB_DIR/up$1.pid")"; }

q() { lab_exec dev dig @127.0.0.1 +time=6 +tries=1 "$@"; }
answers() { # answers EXPECTED dig-args...: the short answer is EXPECTED
	local want=$1; shift
	[ "$(q +short "$@")" = "$want" ]
}
set_ns() { lab_connmanctl config "$svc" --nameservers "$@" >/dev/null; }
logged() { grep -q "$1" "$LAB_DIR/connd-dev.log"; }
big_complete() { [ "$(grep -c "IN.TXT.*x\{200\}" <<<"$1")" = 10 ]; }

lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 $NET.1/24
upstream 1 $UP.2 10.0.0.2
upstream 2 $UP.3 10.0.0.3
upstream 3 $UP.4 10.0.0.4
lab_exec isp ip addr add $UP.5/32 dev lo
lab_exec isp ip addr add $UP.6/32 dev lo
lab_dbus
lab_connd dev up0 -d 'src/dns*'
svc=$(lab_service dev up0)
resolv="$LAB_DIR/resolv-dev.conf"
check_wait "$svc goes online" 20 service_state dev up0 online

check "resolv.conf points at the proxy" grep -qx 'nameserver 127.0.0.1' "$resolv"
check "resolv.conf has the DHCP search domain" grep -qx 'search isp.lab' "$resolv"
check "no upstream server in resolv.conf" bash -c "! grep -q '$NET' '$resolv'"
check "A from the DHCP nameserver" answers $NET.1 isp.lab A
if lab_exec dev ip -6 addr show dev lo | grep -q '::1/128'; then
	check "the proxy answers on ::1 too" \
		bash -c "[ \"\$(lab_exec dev dig @::1 +short isp.lab)\" = $NET.1 ]"
	check "and over TCP" bash -c "[ \"\$(lab_exec dev dig @127.0.0.1 +tcp +short isp.lab)\" = $NET.1 ]"
fi

set_ns $UP.2 $UP.3
check_wait "A through the configured upstreams" 5 answers 10.0.0.2 who.lab A
check "AAAA" answers fd00::1 who.lab AAAA
check "MX" answers "10 mx.lab." mail.lab MX
check "TXT" answers '"hello from up1"' txt.lab TXT
check "NXDOMAIN" bash -c "lab_exec dev dig @127.0.0.1 nope.lab A | grep -q 'status: NXDOMAIN'"
out=$(q +noedns +ignore big.lab TXT)
check "large TXT without EDNS0: truncated over UDP" grep -q 'flags:.* tc' <<<"$out"
out=$(q +noedns big.lab TXT)
check "dig retries over TCP and gets all 10 strings" big_complete "$out"
check "the proxy itself retried upstream over TCP" logged 'truncated its answer; retrying over TCP'
out=$(q +edns=0 +bufsize=4096 big.lab TXT)
check "EDNS0 with a 4096-byte buffer: the whole answer over UDP" \
	bash -c "big_complete() { [ \$(grep -c 'IN.TXT.*x\{200\}' <<<\"\$1\") = 10 ]; }; \
		big_complete \"\$1\" && grep -q 'EDNS: version: 0' <<<\"\$1\" && \
		! grep -q 'flags:.* tc' <<<\"\$1\"" _ "$out"
before=$(grep -c 'query\[A\] who.lab' "$LAB_DIR/up1.log")
q +short who.lab A >/dev/null
after=$(grep -c 'query\[A\] who.lab' "$LAB_DIR/up1.log")
check "a repeated question is answered from the cache" test "$before" = "$after"
ttl=$(q +noall +answer who.lab A | awk '{print $2}')
check "a cached answer's TTL counts down (got $ttl)" test "$ttl" -le 300

set_ns $UP.4
check_wait "new upstream: cache flushed, who.lab is its answer" 5 answers 10.0.0.4 who.lab A
check "the flush is logged" logged 'cache flushed'

set_ns $UP.2 $UP.3
lab_wait 5 answers 10.0.0.2 who.lab A
stop_upstream 1
check "failover: the second upstream answers when the first is gone" answers 10.0.0.12 fo.lab A
check "the timeout that caused it is logged" logged "$UP.2 did not answer"
check "short.lab from the second upstream" answers 10.0.0.9 short.lab A
stop_upstream 2
check "with every upstream gone, a cached answer is still served" answers 10.0.0.9 short.lab A
sleep 5
check "after its TTL it is not: SERVFAIL" \
	bash -c "lab_exec dev dig @127.0.0.1 +time=8 +tries=1 short.lab A | grep -q 'status: SERVFAIL'"

# A hostile upstream: forged replies are dropped, the genuine one passes.
ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/dns-spoofer.py" \
	--bind $UP.5 --other $UP.6 --answer 10.0.0.5 >"$LAB_DIR/spoofer.log" 2>&1 &
lab_defer "kill $!"
set_ns $UP.5
check_wait "behind forged replies, the genuine answer" 5 answers 10.0.0.5 spoof.lab A
check "a reply with the wrong ID was dropped and counted" logged 'wrong ID (.* spoofed so far)'
check "a reply from the wrong server was dropped and counted" \
	logged "from $UP.6: we asked $UP.5"

# A slow hostile upstream (0.5 s per answer): queries in flight together share a
# socket, and forged replies carry the IDs of one another; identical questions
# in flight share one query upstream.
# ask NAME...: sends each NAME twice at once (IDs i and 1000 + i, from two
# sockets); prints per reply "ID ADDRESS".
ask() {
	lab_exec dev "$LAB_PY" - "$@" <<-'PY'
	import socket, struct, sys
	names = sys.argv[1:]
	socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
	for i, n in enumerate(names):
	    wire = b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"
	    for k, s in enumerate(socks):
	        s.sendto(struct.pack("!HHHHHH", 1000 * k + i, 0x0100, 1, 0, 0, 0) + wire +
	                 b"\0\1\0\1", ("127.0.0.1", 53))
	for s in socks:
	    s.settimeout(5)
	    try:
	        for _ in names:
	            r = s.recv(4096)
	            print(struct.unpack("!H", r[:2])[0], socket.inet_ntoa(r[-4:]))
	    except socket.timeout:
	        pass
	PY
}
lab_exec isp ip addr add $UP.7/32 dev lo
lab_exec isp ip addr add $UP.8/32 dev lo
ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/dns-spoofer.py" --bind $UP.7 \
	--other $UP.8 --answer 10.0.0.7 --delay 0.5 --log "$LAB_DIR/slow.log" >/dev/null 2>&1 &
lab_defer "kill $!"
set_ns $UP.7
check_wait "the slow upstream answers" 5 answers 10.0.0.7 slow.lab A
out=$(ask same.lab)
check "two clients, one question in flight: both answered, each with its ID" \
	test "$(sort <<<"$out" | tr '\n' ' ')" = "0 10.0.0.7 1000 10.0.0.7 "
check "and the upstream saw one query for it" test "$(grep -c ' same.lab$' "$LAB_DIR/slow.log")" = 1
names=$(for i in $(seq 1 20); do echo "c$i.lab"; done)
out=$(ask $names)
check "20 questions at once behind forged replies, each asked twice: all get the genuine answer" \
	test "$(grep -c ' 10.0.0.7$' <<<"$out")" = 40
check "each of them went upstream once" test "$(grep -c ' c[0-9]*.lab$' "$LAB_DIR/slow.log")" = 20
check "none takes a forged one" bash -c "! grep -q 6.6.6.6 <<<'$out'"
ports=$(grep ' c[0-9]*.lab$' "$LAB_DIR/slow.log" | awk '{print $1}' | sort -u | wc -l)
check "they shared upstream sockets ($ports source ports)" test "$ports" -lt 20
check "a forged reply with another query's ID on the shared socket was dropped" \
	logged 'not our question (.* spoofed so far)'
check "a reply with the right ID from the wrong server was dropped" logged "from $UP.8: we asked $UP.7"
set_ns $UP.5

burst=$(lab_exec dev "$LAB_PY" - <<-'PY'
	import socket, struct, time
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	for i in range(200):
	    name = b"".join(bytes([len(l)]) + l for l in (b"burst%d" % i, b"lab")) + b"\0"
	    s.sendto(struct.pack("!HHHHHH", i, 0x0100, 1, 0, 0, 0) + name + b"\0\1\0\1",
	             ("127.0.0.1", 53))
	s.settimeout(10)
	seen = set()
	while len(seen) < 200:
	    try:
	        seen.add(struct.unpack("!H", s.recv(4096)[:2])[0])
	    except socket.timeout:
	        break
	print(len(seen))
PY
)
check "a burst of 200 new names is answered in full ($burst), past the upstream limit" test "$burst" = 200
check "and never runs the main loop out of descriptors" bash -c "! grep -q watch_add '$LAB_DIR/connd-dev.log'"
# The same names again at once, now cached, spelled in capitals: the proxy
# reads and answers them in batches (recvmmsg/sendmmsg), each reply must be
# its own query's (ID, spelling of the question, an answer).
cached=$(lab_exec dev "$LAB_PY" - <<-'PY'
	import socket, struct
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
	question = {}
	for i in range(200):
	    name = b"".join(bytes([len(l)]) + l for l in (b"BURST%d" % i, b"LAB")) + b"\0"
	    question[1000 + i] = name + b"\0\1\0\1"
	    s.sendto(struct.pack("!HHHHHH", 1000 + i, 0x0100, 1, 0, 0, 0) + question[1000 + i],
	             ("127.0.0.1", 53))
	s.settimeout(5)
	good = set()
	while len(good) < 200:
	    try:
	        r = s.recv(4096)
	    except socket.timeout:
	        break
	    rid, flags, _, an = struct.unpack("!HHHH", r[:8])
	    q = question.get(rid, b"")
	    if q and r[12:12 + len(q)] == q and flags & 0x800f == 0x8000 and an:
	        good.add(rid)
	print(len(good))
PY
)
check "the 200 again, cached and in capitals: each reply its query's ($cached)" test "$cached" = 200

lab_exec dev "$LAB_PY" - <<-'PY'
	import socket
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	for junk in (b"", b"\x12", b"\x00" * 11, b"\xff" * 40,
	             b"\x12\x34\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00\x03abc\x00\x00\x01\x00\x01",
	             b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01"):
	    s.sendto(junk, ("127.0.0.1", 53))
PY
check_wait "malformed queries are dropped and counted" 5 logged 'dropped a malformed query from 127.0.0.1 (5 so far)'
check "the proxy still answers afterwards" answers 10.0.0.5 spoof.lab A
check "connd stops cleanly" lab_connd_stop
check "after stop resolv.conf names the upstream directly" bash -c "grep -qx \"nameserver $UP.5\" \"$resolv\" || { cat \"$resolv\"; grep -i resolv \"$LAB_DIR/connd-dev.log\"; false; }"

# Without the proxy (-r): resolv.conf lists the servers, nothing listens.
lab_connd dev up0 -r
check_wait "-r: resolv.conf lists the service's nameserver" 20 grep -qx "nameserver $UP.5" "$resolv"
check "-r: nothing answers on 127.0.0.1" bash -c "! lab_exec dev dig @127.0.0.1 +time=1 +tries=1 isp.lab >/dev/null"
check "-r: connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
