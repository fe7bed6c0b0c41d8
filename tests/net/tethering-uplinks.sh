#!/usr/bin/env bash
# Tethering never bridges an uplink. `tether ethernet on` 0.2 s after connd
# starts, while the ISP's DHCP server has not answered up0 yet and lan0's
# DHCP is still asking too: tethering turns on with neither bridged; up0 gets
# its lease and stays out, lan0 joins once its DHCP finds no server, and only
# lan0 is saved as tethered. After `tether off` lan0 is ready on an IPv4
# link-local address: still a free link, and `tether on` takes it. With
# nothing but an uplink, `tether on` fails: no link is free nor may become so.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_tether_lab 10.36.0.1/24 --no-dhcp
dev=$(lab_nsname dev)
lan_svc=$(lab_service dev lan0)
tethering_on() { lab_connmanctl technologies | grep -q 'Tethering = True'; }
bridged() { ip -n "$dev" link show "$1" | grep -q 'master tether'; }
ll_on() { ip -n "$dev" -4 -o addr show "$1" | grep -q ' 169\.254\.'; }
export dev; export -f tethering_on bridged ll_on

lab_dbus
lab_connd dev up0,lan0
sleep 0.2
check "tether ethernet on, 0.2 s after the start: accepted" \
	bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check "tethering is on" tethering_on
check "neither link is bridged while both still wait for DHCP" \
	bash -c "! bridged up0 && ! bridged lan0"

# The ISP's DHCP server answers late, but before up0's DHCP gives up.
cat >"$LAB_DIR/late-dhcp.conf" <<CONF
interface=eth0
bind-interfaces
except-interface=lo
port=0
no-ping
dhcp-range=10.36.0.50,10.36.0.150,255.255.255.0,2m
dhcp-option=option:router,10.36.0.1
dhcp-option=option:dns-server,10.36.0.1
dhcp-authoritative
dhcp-leasefile=$LAB_DIR/late-dhcp.leases
pid-file=$LAB_DIR/late-dhcp.pid
CONF
lab_exec isp dnsmasq --conf-file="$LAB_DIR/late-dhcp.conf"
lab_defer "kill \$(cat '$LAB_DIR/late-dhcp.pid')"
check_wait "up0 gets its lease: an uplink" 20 service_state dev up0 'ready|online'
check_wait "lan0 joins the bridge once its DHCP finds no server" 30 bridged lan0
check "up0 is not in the bridge" bash -c "! bridged up0"
check "up0 was never bridged" bash -c "! grep -q 'up0 joins the bridge' '$LAB_DIR/connd-dev.log'"
check "up0's service is still connected" service_state dev up0 'ready|online'
check_wait "only lan0 is saved as tethered" 5 \
	grep -qx "TetheredServices=$lan_svc" "$LAB_DIR/state-dev/settings"
check "lan0's service is idle, with no link-local address in the bridge" \
	bash -c "service_state dev lan0 idle && ! ll_on lan0"
check "a LAN client gets a lease" \
	lab_exec lan timeout 15 busybox udhcpc -i eth0 -n -q -f -t 5 -s /bin/true

check "tether ethernet off" bash -c "! lab_connmanctl tether ethernet off 2>&1 | grep -q Error"
check_wait "lan0 is ready on an IPv4 link-local address (nothing serves DHCP behind it)" 40 \
	bash -c "service_state dev lan0 ready && ll_on lan0"
check "tether ethernet on takes it: a link-local address is no uplink" \
	bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check "lan0 is in the bridge, up0 is not" bash -c "bridged lan0 && ! bridged up0"
check_wait "lan0 lost its link-local address and its service is idle" 5 \
	bash -c "! ll_on lan0 && service_state dev lan0 idle"
lab_connmanctl tether ethernet off >/dev/null
check "connd stops cleanly" lab_connd_stop

# Only an uplink: nothing is free, nothing may become so.
lab_connd dev up0
check_wait "alone, up0 is connected" 20 service_state dev up0 'ready|online'
check "tether ethernet on: no ethernet link is free to tether" \
	bash -c "lab_connmanctl tether ethernet on 2>&1 | grep -q 'No ethernet link is free to tether'"
check "tethering stays off" bash -c "! tethering_on && ! ip -n $dev link show tether 2>/dev/null"
check "connd stops cleanly" lab_connd_stop
lab_done
