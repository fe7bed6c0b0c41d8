#!/usr/bin/env bash
# An unconnected socket opened while its session rode one service keeps that service's
# routing slot in its mark (the BPF path marks sockets once, at creation).
# When that service goes away, the socket's packets must not fall through to
# the main table and leave by another link: the slot answers unreachable
# until it is handed to another service, which happens only after every
# other free slot (round robin), so a long-lived socket does not end up on
# a bearer its session never chose. And once its session is gone, such a
# socket counts into no session, not even a new one given the same id (the
# BPF path keeps each socket's session in its own storage). Run on both data
# paths (the nftables path marks every packet, so it never had the problem).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_two_isps
check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"
sunk() { grep -c " 100\$" "$LAB_DIR/udp-$1.log" 2>/dev/null || true; }

check "app A creates a session limited to up1" lab_app A 1 - AllowedInterface=up1
lab_expect "A is online on up1" A ok wait Interface up1
lab_expect "A opens a long-lived unconnected socket" A ok keep 192.0.2.80 5000
lab_expect "it sends through it" A ok resend 3
check_wait "ISP 2 got them from up1's address" 5 \
	bash -c "[ \$(grep -c '^10\.41\.2\.[0-9]* 100\$' '$LAB_DIR/udp-isp2.log') = 3 ]"
before=$(sunk isp1)

# up1's service goes with its link; its slot must not route anywhere.
lab_exec dev ip link del up1
check_wait "up1's service is gone" 10 bash -c "! lab_connmanctl services | grep -q up1"
lab_expect "A is told it has no interface any more" A ok wait State disconnected
got=$(lab_say A resend 3)
check "the old socket's datagrams are refused ($got)" bash -c "[[ '$got' == error* ]]"
sleep 1
check "and none reached ISP 1 ($(sunk isp1) vs $before before)" test "$(sunk isp1)" = "$before"

# C's session goes, its socket stays; D's new session takes C's id.
check "app C creates a session" lab_app C 3 - AllowedBearers=ethernet
lab_expect "C is online on up0" C ok wait Interface up0
lab_expect "C opens a long-lived unconnected socket" C ok keep 192.0.2.80 5000
c_path=$(lab_say C path)
lab_expect "C's session ends, its socket stays open" C ok destroy
check "app D creates a session" lab_app D 4 - AllowedBearers=ethernet
check "D's session has C's old id ($c_path)" test "$(lab_say D path)" = "$c_path"
lab_expect "C sends through its old socket" C ok resend 5
check_wait "ISP 1 got them" 5 bash -c "[ \$(grep -c ' 100\$' '$LAB_DIR/udp-isp1.log') -ge $((before + 5)) ]"
lab_expect "none counted into D's session" D "0 0" packets

lab_say A quit >/dev/null
lab_say C quit >/dev/null
lab_say D quit >/dev/null
check "connd stops cleanly" lab_connd_stop
check "and leaves no rule of its slots, the retired one's included" \
	bash -c "! lab_exec dev ip rule show | grep -q fwmark && ! lab_exec dev ip -6 rule show | grep -q fwmark"
lab_done
