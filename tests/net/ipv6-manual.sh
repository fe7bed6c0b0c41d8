#!/usr/bin/env bash
# Manual IPv6 through the real connmanctl (`config SERVICE --ipv6 manual ADDR
# PREFIXLEN GW`) on a network that also advertises a prefix: the address and
# a default route of connd's (protocol 196) replace SLAAC's, IPv6 shows them,
# they survive a restart; a new address or a link-local gateway replaces the
# old ones; Privacy left out of a call is reset to its default, as ConnMan
# does; bad values are refused with nothing changed; auto and off back and
# forth leave no stale address or route.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.46.0.1/24 --ipv6=2001:db8:46::1/64
lab_dbus
lab_connd dev up0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
router=$(lab_exec isp ip -6 -o addr show eth0 scope link | awk '{print $4}'); router=${router%/*}
props() { lab_connmanctl services "$svc"; }
ipv6() { props | grep '^  IPv6 = '; }
globals() { ip -n "$dev" -6 -o addr show up0 scope global | awk '{print $4}' | sort | tr '\n' ' '; }
defaults6() { ip -n "$dev" -6 route show default | sed 's/ metric.*//; s/ pref medium//' | sort | tr '\n' ';'; }
# Every service has a session table of connd's routes too: only main's count here.
ours6() { ip -n "$dev" -6 route show proto 196 | sort | tr '\n' ';'; }
left6() { ip -n "$dev" -6 route show table all proto 196; }
export -f props ipv6 globals defaults6 ours6 left6; export svc dev router

check_wait "online by DHCP, IPv6 by SLAAC" 20 \
	bash -c "service_state dev up0 online && ipv6 | grep -q 'Method=auto, Address=2001:db8:46:0:'"

check "connmanctl config --ipv6 manual succeeds" \
	lab_connmanctl config "$svc" --ipv6 manual 2001:db8:46::99 64 2001:db8:46::1
check_wait "the manual address is the link's only global one (SLAAC's gone)" 10 \
	bash -c "[ \"\$(globals)\" = '2001:db8:46::99/64 ' ]"
check_wait "the only IPv6 default route is connd's, via the manual gateway" 10 \
	bash -c "[ \"\$(defaults6)\" = 'default via 2001:db8:46::1 dev up0 proto 196;' ]"
check_wait "IPv6 shows it as ConnMan does" 10 \
	bash -c "ipv6 | grep -qxF '  IPv6 = [ Method=manual, Address=2001:db8:46::99, PrefixLength=64, Gateway=2001:db8:46::1, Privacy=disabled ]'"
check "IPv6.Configuration too" \
	bash -c "props | grep -qxF '  IPv6.Configuration = [ Method=manual, Address=2001:db8:46::99, PrefixLength=64, Gateway=2001:db8:46::1, Privacy=disabled ]'"
check "router advertisements are not taken meanwhile" \
	test "$(ip netns exec "$dev" sysctl -n net.ipv6.conf.up0.accept_ra)" = 0
check "the service stays online" service_state dev up0 online
check "IPv6 reaches the ISP from the manual address" \
	ip netns exec "$dev" ping -6 -c 1 -W 3 -I 2001:db8:46::99 2001:db8:46::1
check "the ISP reaches the manual address" lab_exec isp ping -6 -c 1 -W 3 2001:db8:46::99
check "manual IPv6 is saved under ConnMan's keys" \
	bash -c "grep -qx 'IPv6.method=manual' '$LAB_DIR/state-dev/$svc/settings' &&
		 grep -qx 'IPv6.local_address=2001:db8:46::99' '$LAB_DIR/state-dev/$svc/settings' &&
		 grep -qx 'IPv6.netmask_prefixlen=64' '$LAB_DIR/state-dev/$svc/settings' &&
		 grep -qx 'IPv6.gateway=2001:db8:46::1' '$LAB_DIR/state-dev/$svc/settings'"

check "connd stops cleanly" lab_connd_stop
check "no IPv6 route of connd's is left" test -z "$(left6)"
lab_connd dev up0
check_wait "after a restart: online, the manual address and route again" 20 \
	bash -c "service_state dev up0 online && [ \"\$(globals)\" = '2001:db8:46::99/64 ' ] &&
		 [ \"\$(defaults6)\" = 'default via 2001:db8:46::1 dev up0 proto 196;' ] &&
		 ipv6 | grep -qF 'Method=manual, Address=2001:db8:46::99, PrefixLength=64'"

check "a new address with a link-local gateway" \
	lab_connmanctl config "$svc" --ipv6 manual 2001:db8:46::98 64 "$router"
check_wait "replaces the old address and route" 10 \
	bash -c "[ \"\$(globals)\" = '2001:db8:46::98/64 ' ] &&
		 [ \"\$(defaults6)\" = \"default via $router dev up0 proto 196;\" ] &&
		 ipv6 | grep -qF \"Address=2001:db8:46::98, PrefixLength=64, Gateway=$router,\""
check "and reaches the ISP" ip netns exec "$dev" ping -6 -c 1 -W 3 2001:db8:46::1

check "bad manual configurations refused, nothing changed" \
	lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/ipv6_config.py" up0
check "the link is as it was" \
	bash -c "[ \"\$(globals)\" = '2001:db8:46::98/64 ' ] &&
		 [ \"\$(defaults6)\" = \"default via $router dev up0 proto 196;\" ]"

check "back to auto" lab_connmanctl config "$svc" --ipv6 auto
check_wait "SLAAC's address and the router's route again, nothing manual left" 15 \
	bash -c "globals | grep -qE '^2001:db8:46:0:[0-9a-f:]+/64 \$' && [ -z \"\$(ours6)\" ] &&
		 [ \"\$(defaults6)\" = \"default via $router dev up0 proto ra;\" ] &&
		 ipv6 | grep -q 'Method=auto, Address=2001:db8:46:0:'"

check "privacy preferred" lab_connmanctl config "$svc" --ipv6 auto preferred
check_wait "shown in IPv6.Configuration" 5 \
	bash -c "props | grep -qxF '  IPv6.Configuration = [ Method=auto, Privacy=prefered ]'"
check "a call without Privacy" lab_connmanctl config "$svc" --ipv6 auto
check_wait "resets it to its default, as ConnMan does" 5 \
	bash -c "props | grep -qxF '  IPv6.Configuration = [ Method=auto, Privacy=disabled ]'"

lab_connmanctl config "$svc" --ipv6 off >/dev/null
check_wait "off: no global address, no IPv6 default route" 10 \
	bash -c "[ -z \"\$(globals)\" ] && [ -z \"\$(defaults6)\" ] && ipv6 | grep -q '\[  \]'"
lab_connmanctl config "$svc" --ipv6 manual 2001:db8:46::97 64 2001:db8:46::1 >/dev/null
check_wait "off → manual: the manual address and route" 10 \
	bash -c "[ \"\$(globals)\" = '2001:db8:46::97/64 ' ] &&
		 [ \"\$(defaults6)\" = 'default via 2001:db8:46::1 dev up0 proto 196;' ]"
lab_connmanctl config "$svc" --ipv6 off >/dev/null
check_wait "manual → off: nothing left" 10 \
	bash -c "[ -z \"\$(globals)\" ] && [ -z \"\$(defaults6)\" ] && [ -z \"\$(ours6)\" ]"
lab_connmanctl config "$svc" --ipv6 auto >/dev/null
check_wait "off → auto: SLAAC again" 15 \
	bash -c "globals | grep -qE '^2001:db8:46:0:' && [ \"\$(defaults6)\" = \"default via $router dev up0 proto ra;\" ]"
lab_connmanctl config "$svc" --ipv6 manual 2001:db8:46::96 64 2001:db8:46::1 >/dev/null
lab_connmanctl disconnect "$svc" >/dev/null
check_wait "manual, disconnected: nothing on the link" 10 \
	bash -c "[ -z \"\$(globals)\" ] && [ -z \"\$(defaults6)\" ]"
lab_connmanctl connect "$svc" >/dev/null
check_wait "connected again: the manual address and route" 15 \
	bash -c "[ \"\$(globals)\" = '2001:db8:46::96/64 ' ] &&
		 [ \"\$(defaults6)\" = 'default via 2001:db8:46::1 dev up0 proto 196;' ]"

CONNCTL=$LAB_BUILD/client/connctl
connctl() { ip netns exec "$dev" "$CONNCTL" "$@"; }
export CONNCTL; export -f connctl
check "connctl config --ipv6 manual too" connctl config "$svc" --ipv6 manual 2001:db8:46::95 64 2001:db8:46::1
check_wait "its address replaces the old one" 10 bash -c "[ \"\$(globals)\" = '2001:db8:46::95/64 ' ]"
# Once the service has caught up with the kernel: the two reads are two
# moments, and a loaded machine showed the property between them.
check_wait "connctl shows IPv6 as connmanctl does" 10 \
	bash -c "[ \"\$(connctl services $svc | grep '^  IPv6 = ')\" = \"\$(ipv6)\" ]"
check "connctl refuses a prefix length that is no number" \
	bash -c "! connctl config $svc --ipv6 manual 2001:db8:46::94 x64 2>/dev/null"
check "connd stops cleanly" lab_connd_stop
check "no IPv6 route of connd's is left" test -z "$(left6)"
lab_done
