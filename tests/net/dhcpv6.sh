#!/usr/bin/env bash
# DHCPv6 from dnsmasq as the router advertisements say. M flag: an address
# leased by DHCPv6, a /128 on the link with the lease's lifetimes and connd's
# protocol, shown in the service's IPv6, with the DHCPv6 nameserver beside
# the RDNSS one; a clean restart confirms the kept lease (same DUID, same
# address); a kill -9 and a restart leave one address and one lease; a
# link that comes back confirms it again; a disconnect releases it (gone from dnsmasq's lease file), and so
# does IPv6 set off by the user. O flag: SLAAC
# and nameservers and domains by Information-request, answered through the
# proxy. An address some other host has is declined. An IPv6-only network with DHCPv6 goes online on its address.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.46.0.1/24 --ipv6=2001:db8:46::1/64 --ipv6-mode=managed
lab_dbus
lab_connd dev up0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
leases="$LAB_DIR/leases-isp-eth0"
props() { lab_connmanctl services "$svc"; }
ipv6() { props | grep '^  IPv6 = '; }
# The link's global addresses, one "ADDR/PLEN valid_lft N" line each.
globals() { ip -n "$dev" -6 -o addr show up0 scope global | sed -n 's/.*inet6 \([^ ]*\) .*valid_lft \([^ ]*\) .*/\1 \2/p'; }
leased() { grep -c "^[0-9]* [0-9]* 2001:db8:46::" "$leases"; }
export -f props ipv6 globals leased; export svc dev leases

check_wait "M flag: online" 20 service_state dev up0 online
check_wait "the DHCPv6 address is the service's IPv6, a /128" 15 \
	bash -c "ipv6 | grep -qE 'Address=2001:db8:46::1[0-9a-f]{2}, PrefixLength=128, Gateway=fe80::'"
addr=$(ipv6 | sed -n 's/.*Address=\([^,]*\),.*/\1/p')
check "on the link alone (no SLAAC address), with the lease's lifetime (2h)" \
	bash -c "[ \"\$(globals | wc -l)\" = 1 ] && globals | grep -qE '^$addr/128 7[01][0-9]{2}sec$'"
check "dnsmasq leased it to connd's DUID-LL" \
	bash -c "grep -q ' $addr \* 00:03:00:01:$(lab_exec dev cat /sys/class/net/up0/address)' $leases"
check "the DHCPv6 nameserver joins DHCP's and the RDNSS one" \
	bash -c "props | grep -qE '  Nameservers = \[ 10\.46\.0\.1, fe80::[0-9a-f:]+%up0, 2001:db8:46::1 \]'"
check "the DUID is kept in the state directory" grep -qx 'DUID=00030001[0-9a-f]*' \
	"$LAB_DIR/state-dev/dhcp6-duid"
check "and the lease beside the service's settings" grep -q "^Address0=$addr," \
	"$LAB_DIR/state-dev/$svc/dhcp6-lease"
check "IPv6 reaches the ISP from it" ip netns exec "$dev" ping -6 -c 1 -W 3 -I "$addr" 2001:db8:46::1

check "connd stops cleanly" lab_connd_stop
check "and takes its address off the link" bash -c "[ -z \"\$(globals)\" ]"
lab_connd dev up0
check_wait "restarted: online" 20 service_state dev up0 online
check_wait "the same address again" 15 bash -c "ipv6 | grep -qF 'Address=$addr, PrefixLength=128'"
check "by confirming the kept lease" grep -q 'DHCPv6 for addresses.*confirming the kept lease' \
	"$LAB_DIR/connd-dev.log"
check "dnsmasq saw the Confirm" grep -q 'DHCPCONFIRM' "$LAB_DIR/dnsmasq-isp-eth0.log"
check "and has one lease for it" bash -c "[ \"\$(leased)\" = 1 ]"

kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
check "after kill -9 the address is still on the link" bash -c "globals | grep -q '^$addr/128'"
lab_connd dev up0
check_wait "restarted after kill -9: online" 20 service_state dev up0 online
check "the restart removed it first, found by connd's protocol number" \
	grep -q 'removed 1 stale IPv6 addresses' "$LAB_DIR/connd-dev.log"
check_wait "with the same address" 15 bash -c "ipv6 | grep -qF 'Address=$addr, PrefixLength=128'"
check "once on the link, nothing else global" bash -c "[ \"\$(globals | wc -l)\" = 1 ]"
check "one lease at dnsmasq" bash -c "[ \"\$(leased)\" = 1 ]"
check "the nameserver listed once" bash -c "[ \"\$(props | grep -o '2001:db8:46::1[], ]' | wc -l)\" = 1 ]"

confirms() { grep -c DHCPCONFIRM "$LAB_DIR/dnsmasq-isp-eth0.log"; }
before=$(confirms)
lab_exec isp ip link set eth0 down
check_wait "the cable out: idle" 10 service_state dev up0 idle
lab_exec isp ip link set eth0 up
check_wait "back in: online" 20 service_state dev up0 online
check_wait "the kept lease confirmed again, the same address" 15 \
	bash -c "[ \"\$(grep -c DHCPCONFIRM $LAB_DIR/dnsmasq-isp-eth0.log)\" -gt $before ] &&
		 ipv6 | grep -qF 'Address=$addr, PrefixLength=128'"

lab_connmanctl disconnect "$svc" >/dev/null
check_wait "a disconnect releases the lease: gone from dnsmasq's lease file" 10 \
	bash -c "[ \"\$(leased)\" = 0 ]"
check "dnsmasq logged the Release" grep -q 'DHCPRELEASE.*2001:db8:46::\|release received' \
	"$LAB_DIR/dnsmasq-isp-eth0.log"
check "and connd forgot it" test ! -e "$LAB_DIR/state-dev/$svc/dhcp6-lease"

# The server hands out an address some other host has: duplicate address
# detection fails, connd declines it and gets another.
lab_exec isp ip -6 addr add "$addr/128" dev eth0 nodad
lab_connmanctl connect "$svc" >/dev/null
check_wait "an address in use is declined, another one leased" 30 \
	bash -c "grep -q DHCPDECLINE $LAB_DIR/dnsmasq-isp-eth0.log &&
		 ipv6 | grep -qE 'Address=2001:db8:46::1[0-9a-f]{2}, PrefixLength=128' &&
		 ! ipv6 | grep -qF 'Address=$addr,'"
check "logged" grep -q "DHCPv6 address $addr in use on the link: declined" "$LAB_DIR/connd-dev.log"
check "and taken off the link" bash -c "! globals | grep -q '^$addr/'"
releases() { grep -c 'DHCPRELEASE' "$LAB_DIR/dnsmasq-isp-eth0.log"; }
before=$(releases)
lab_connmanctl config "$svc" --ipv6 off >/dev/null
check_wait "IPv6 set off by the user: the lease released" 10 \
	bash -c "[ \"\$(leased)\" = 0 ] && [ \$(grep -c DHCPRELEASE $LAB_DIR/dnsmasq-isp-eth0.log) -gt $before ]"
check "and forgotten" test ! -e "$LAB_DIR/state-dev/$svc/dhcp6-lease"
check "connd stops cleanly" lab_connd_stop

# O flag: SLAAC, and options by Information-request.
lab_ns isp2; lab_ns dev2
lab_link isp2 eth0 dev2 up1
lab_isp isp2 eth0 10.47.0.1/24 --no-dhcp --ipv6=2001:db8:47::1/64 --ipv6-mode=other
lab_connd dev2 up1
svc2=$(lab_service dev2 up1)
dev2=$(lab_nsname dev2)
props2() { lab_connmanctl services "$svc2"; }
export -f props2; export svc2 dev2
check_wait "O flag, IPv6 only: online" 20 service_state dev2 up1 online
check "an address by SLAAC" bash -c "props2 | grep -qE 'IPv6 = \[ Method=auto, Address=2001:db8:47:0:[0-9a-f:]+, PrefixLength=64'"
check_wait "the DHCPv6 nameserver joins the RDNSS one" 10 \
	bash -c "props2 | grep -qE '  Nameservers = \[ fe80::[0-9a-f:]+%up1, 2001:db8:47::1 \]'"
check "asked for by Information-request" grep -q 'DHCPINFORMATION-REQUEST' "$LAB_DIR/dnsmasq-isp2-eth0.log"
check "no address leased" bash -c "! grep -q 'DHCPREPLY(eth0) 2001' $LAB_DIR/dnsmasq-isp2-eth0.log"
# Only the DHCPv6 nameserver is left when the RDNSS one is taken away here:
# the proxy's answer then comes through it.
lab_exec isp2 ip6tables -A INPUT -p udp --dport 53 -s fe80::/10 -j DROP 2>/dev/null ||
	lab_exec isp2 nft add table ip6 t \; add chain ip6 t in '{ type filter hook input priority 0; }' \; add rule ip6 t in ip6 saddr fe80::/10 udp dport 53 drop
check "names resolve through the proxy by the DHCPv6 nameserver" \
	bash -c "[ \"\$(ip netns exec $dev2 dig +short +time=3 +tries=3 @127.0.0.1 isp.lab AAAA)\" = 2001:db8:47::1 ]"
check "which got the query from our global address" \
	grep -qE 'query\[AAAA\] isp.lab from 2001:db8:47:' "$LAB_DIR/dnsmasq-isp2-eth0.log"
check "connd stops cleanly" lab_connd_stop "$LAB_CONND_PID" dev2

# IPv6 only, M flag.
lab_ns isp3; lab_ns dev3
lab_link isp3 eth0 dev3 up2
lab_isp isp3 eth0 10.48.0.1/24 --no-dhcp --ipv6=2001:db8:48::1/64 --ipv6-mode=managed
lab_connd dev3 up2
svc3=$(lab_service dev3 up2)
check_wait "IPv6 only with DHCPv6: online" 20 service_state dev3 up2 online
check "on its DHCPv6 address" bash -c "lab_connmanctl services $svc3 | grep -qE 'IPv6 = \[ Method=auto, Address=2001:db8:48::1[0-9a-f]{2}, PrefixLength=128'"
check "the check came from it over IPv6" \
	grep -qE '^2001:db8:48::1[0-9a-f]{2} "GET /online/status.html' "$LAB_DIR/http6-isp3-eth0.log"
check "connd stops cleanly" lab_connd_stop "$LAB_CONND_PID" dev3
lab_done
