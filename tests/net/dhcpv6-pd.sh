#!/usr/bin/env bash
# Prefix delegation from a real DHCPv6 server (Debian's Kea, M and O router
# advertisements): while ethernet tethering is on, the uplink's DHCPv6 asks
# for a prefix beside its address; connd logs the delegated /56 and keeps
# it with the lease, Kea's lease file has it, and the ISP routes it back. A
# kill -9 and a restart rebind the kept lease and get the same prefix, one
# lease at Kea. Tethering off releases the prefix (Kea writes the lease
# released) and keeps the address. Without the M flag the prefix is asked
# for alone.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_tether_lab 10.50.0.1/24 --ipv6=2001:db8:50::1/64 --ipv6-mode=pd
lab_dbus
lab_connd dev up0,lan0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
log="$LAB_DIR/connd-dev.log"
leases="$LAB_DIR/kea-leases-isp-eth0.csv"
kealog="$LAB_DIR/kea-isp-eth0.log"
duid=$(printf '00:03:00:01:%s' "$(lab_exec dev cat /sys/class/net/up0/address)")
props() { lab_connmanctl services "$svc"; }
# Kea's memfile: address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,
# lease_type (2: a prefix),iaid,prefix_len,... one line per change; the
# last line of a lease is its state.
pd_leases() { awk -F, -v d="$duid" '$2 == d && $7 == 2 { last[$1 "/" $9] = $3 }
	END { for (p in last) print p, last[p] }' "$leases"; }
export -f props pd_leases; export svc dev log leases duid

check_wait "the uplink is online" 20 service_state dev up0 online
check_wait "with an address from Kea (IA_NA)" 15 \
	bash -c "props | grep -qE 'IPv6 = \[ Method=auto, Address=2001:db8:50::1[0-9a-f]{2}, PrefixLength=128'"
check "no prefix asked for while tethering is off" bash -c "[ -z \"\$(pd_leases)\" ]"

check "connmanctl tether ethernet on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check_wait "connd logs the delegated prefix" 20 \
	grep -qE 'up0: delegated prefix 2001:db8:ff[0-9a-f]{2}::/56, valid 7[01][0-9]{2} s' "$log"
prefix=$(sed -n 's/.*up0: delegated prefix \(2001:db8:ff[0-9a-f]*::\)\/56.*/\1/p' "$log" | head -n 1)
check "Kea's lease file has it, for connd's DUID" bash -c "pd_leases | grep -qx '$prefix/56 7200'"
check "kept with the lease in the state directory" \
	grep -q "^Prefix=$prefix/56,[0-9]*,7[01][0-9][0-9]$" "$LAB_DIR/state-dev/$svc/dhcp6-lease"
check "added to the address's binding by a Renew (RFC 8415 18.2.4)" \
	bash -c "grep -q DHCP6_PD_LEASE_RENEW '$kealog'"
# The ISP's way back to the delegated prefix (Kea adds no route).
check "the ISP routes the pool to the device's link-local address" lab_pd_route isp eth0 dev up0
lab_exec dev ip -6 addr add "${prefix}1/128" dev lo
check "an address of the prefix answers the ISP" lab_exec isp ping -6 -c 1 -W 2 "${prefix}1"
lab_exec dev ip -6 addr del "${prefix}1/128" dev lo

kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
lab_connd dev up0,lan0
check_wait "restarted after kill -9: online" 20 service_state dev up0 online
check_wait "the same prefix delegated again" 20 \
	bash -c "[ \$(grep -c 'up0: delegated prefix $prefix/56' $log) -ge 2 ]"
check "by rebinding the kept lease" grep -q 'up0: DHCPv6 .*; rebinding the kept lease' "$log"
check "one prefix lease at Kea for connd, valid" bash -c "[ \"\$(pd_leases)\" = '$prefix/56 7200' ]"
check "one address lease at Kea for connd" \
	bash -c "[ \$(awk -F, -v d=\"\$duid\" '\$2 == d && \$7 == 0 { print \$1 }' $leases | sort -u | wc -l) = 1 ]"

check_wait "the address back once duplicate address detection passed" 10 \
	bash -c "props | grep -qE 'IPv6 = \[ Method=auto, Address=2001:db8:50::1[0-9a-f]{2}, PrefixLength=128'"

check "connmanctl tether ethernet off" bash -c "! lab_connmanctl tether ethernet off 2>&1 | grep -q Error"
check_wait "connd logs the prefix gone" 10 grep -q "up0: delegated prefix $prefix/56 lost" "$log"
check_wait "Kea saw the Release: the lease released" 10 \
	bash -c "[ \"\$(pd_leases)\" = '$prefix/56 0' ]"
check "and logged it" grep -q 'DHCP6_RELEASE_PD' "$kealog"
check "the address stays" \
	bash -c "props | grep -qE 'IPv6 = \[ Method=auto, Address=2001:db8:50::1[0-9a-f]{2}, PrefixLength=128'"
check "the kept lease has no prefix any more" bash -c "! grep -q '^Prefix=' $LAB_DIR/state-dev/$svc/dhcp6-lease"
check "connd stops cleanly" lab_connd_stop

# Without the M flag (O and SLAAC): the prefix alone, by a stateful
# exchange all the same; tethering off releases it and DHCPv6 goes back to
# options alone.
lab_ns isp2; lab_ns dev2; lab_ns lan2
lab_link isp2 eth0 dev2 up1
lab_link dev2 lan1 lan2 eth0
lab_isp isp2 eth0 10.51.0.1/24 --ipv6=2001:db8:51::1/64 --ipv6-mode=pd-other
lab_connd dev2 up1,lan1
svc2=$(lab_service dev2 up1)
log2="$LAB_DIR/connd-dev2.log"
leases="$LAB_DIR/kea-leases-isp2-eth0.csv"
duid=$(printf '00:03:00:01:%s' "$(lab_exec dev2 cat /sys/class/net/up1/address)")
export leases duid
check_wait "O flag: online" 20 service_state dev2 up1 online
check_wait "options by Information-request" 15 grep -q 'up1: DHCPv6 for options' "$log2"
check "connmanctl tether ethernet on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check_wait "a prefix delegated alone" 20 \
	grep -qE 'up1: delegated prefix 2001:db8:ff[0-9a-f]{2}::/56, valid 7[01][0-9]{2} s' "$log2"
check "asked for as a requesting router, no address" \
	bash -c "grep -q 'up1: DHCPv6 for a delegated prefix' $log2 &&
		 [ \$(awk -F, -v d=\"\$duid\" '\$2 == d && \$7 == 0' $leases | wc -l) = 0 ]"
prefix2=$(sed -n 's/.*up1: delegated prefix \(2001:db8:ff[0-9a-f]*::\)\/56.*/\1/p' "$log2" | head -n 1)
check "Kea's lease file has it" bash -c "pd_leases | grep -qx '$prefix2/56 7200'"
check "connmanctl tether ethernet off" bash -c "! lab_connmanctl tether ethernet off 2>&1 | grep -q Error"
check_wait "released: Kea has it released" 10 bash -c "[ \"\$(pd_leases)\" = '$prefix2/56 0' ]"
check "connd logs it gone" grep -q "up1: delegated prefix $prefix2/56 lost" "$log2"
check_wait "and asks for options alone again" 10 \
	bash -c "[ \$(grep -c 'up1: DHCPv6 for options' $log2) -ge 2 ]"
check "connd stops cleanly" lab_connd_stop "$LAB_CONND_PID" dev2
lab_done
