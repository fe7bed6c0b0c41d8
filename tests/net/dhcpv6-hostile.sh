#!/usr/bin/env bash
# A hostile router and DHCPv6 server (tests/lab/dhcp6-hostile.py): router
# advertisements with the M flag, then Advertises with an option past the
# end, an IA with T1 > T2 and another client's DUID, a Reply from another
# server than the one asked, and a lease of 1000 addresses (lifetimes 0,
# infinite, preferred > valid among them) with 1000 nameservers (loopback and
# multicast among them) and a bad domain. connd says what it ignored, keeps
# what is usable within its limits, and nothing wrong reaches the kernel.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.49.0.1/24 --no-dhcp
lab_exec isp sysctl -qw net.ipv6.conf.eth0.forwarding=1
lab_exec isp ip -6 addr add 2001:db8:49::1/64 dev eth0 nodad
ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/dhcp6-hostile.py" \
	--ifname eth0 --prefix 2001:db8:49:: >"$LAB_DIR/hostile.log" 2>&1 &
lab_defer "kill $!"
lab_wait 5 grep -q ready "$LAB_DIR/hostile.log"
lab_dbus
lab_connd dev up0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
log="$LAB_DIR/connd-dev.log"
globals() { ip -n "$dev" -6 -o addr show up0 scope global | awk '{print $4, $5, $6}'; }
props() { lab_connmanctl services "$svc"; }
export -f globals props; export dev svc

check_wait "DHCPv6 binds in the end" 60 bash -c "globals | grep -q '^2001:db8:49::'"
sleep 2
n=$(globals | grep -c '^2001:db8:49::')
check "at most 8 of the 1000 addresses on the link (got $n)" test "$n" -ge 1 -a "$n" -le 8
check "all /128" bash -c "! globals | grep '^2001:db8:49::' | grep -v '/128 '"
check "not the withdrawn one (valid 0) nor the one with preferred > valid" \
	bash -c "! globals | grep -qE '^2001:db8:49::10[02]/'"
check "the infinite one for ever" bash -c "ip -n $dev -6 addr show up0 | grep -A1 '2001:db8:49::101/128' | grep -q 'valid_lft forever'"
check_wait "the service is up on it" 20 service_state dev up0 'ready|online'
check "an option past the end: logged, dropped" grep -q 'malformed DHCPv6 message.*dropped' "$log"
check "T1 > T2: logged, the IA ignored" grep -q 'DHCPv6 Advertise ignored: an IA with T1 > T2' "$log"
check "another client's DUID: not taken (the server saw a fourth Solicit)" \
	bash -c "[ \$(grep -c '^message 1 ' $LAB_DIR/hostile.log) -ge 4 ]"
check "a Reply from another server ID: not taken (a second Request followed)" \
	bash -c "[ \$(grep -c '^message 3 ' $LAB_DIR/hostile.log) -ge 2 ]"
check "beyond the limits, unusable addresses, servers, domains: logged" \
	bash -c "grep -q 'DHCPv6 Reply ignored: entries beyond the limits' $log &&
		 grep -q 'DHCPv6 Reply ignored: unusable addresses' $log &&
		 grep -q 'DHCPv6 Reply ignored: servers that are no unicast hosts' $log &&
		 grep -q 'DHCPv6 Reply ignored: search domains that are no host names' $log"
check "four nameservers kept, none loopback or multicast" \
	bash -c "props | grep -qxF '  Nameservers = [ 2001:db8::, 2001:db8::1, 2001:db8::2, 2001:db8::3 ]'"
check "the good domain kept" bash -c "props | grep -qxF '  Domains = [ lab ]'"
check "connd stops cleanly" lab_connd_stop
check "and leaves no address behind" bash -c "[ -z \"\$(globals)\" ]"
lab_done
