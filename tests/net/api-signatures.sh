#!/usr/bin/env bash
# Every interface connd serves, against ConnMan's API as data of ours
# (api_signatures.py): methods' and signals' signatures by introspection,
# properties' types and their dictionaries' keys, with an ethernet service
# online, a VPN connection, a session, an agent and a counter registered;
# and a VPN connection's SetProperty("Properties", a{sv}) (vpn_properties.py).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.62.0.1/24 --ipv6=2001:db8:62::1/64
lab_dbus
lab_connd dev up0
check_wait "online" 20 service_state dev up0 online
# IPv6 too, so that the IPv6 dictionaries' keys are checked.
check_wait "IPv6 by SLAAC" 20 \
	bash -c "lab_connmanctl services $(lab_service dev up0) | grep -q 'IPv6 = \[ Method=auto, Address=2001:db8:62:'"
check "connd's API has ConnMan's signatures and types" \
	lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/api_signatures.py"
check "a VPN connection's SetProperty takes a Properties dict" \
	lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/vpn_properties.py"
check "connd stops cleanly" lab_connd_stop
lab_done
