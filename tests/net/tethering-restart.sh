#!/usr/bin/env bash
# Tethering survives connd restarts when main.conf's PersistentTetheringMode
# says so: after a clean restart and after kill -9 it comes back on, on the
# same link and subnet, with no doubled bridge or rules, and a LAN client gets
# a lease again; turned off, it stays off. Without PersistentTetheringMode
# (ConnMan's default) it does not come back, and forwarding is set back.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_tether_lab 10.39.0.1/24
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
LocaltimeFile = $LAB_DIR/localtime
TetheringTechnologies = ethernet
PersistentTetheringMode = true"
lab_dbus
lab_connd dev up0,lan0
dev=$(lab_nsname dev)
check_wait "the uplink is online" 20 service_state dev up0 online

tethering_on() { lab_connmanctl technologies | grep -q 'Tethering = True'; }
subnet() { ip -n "$dev" -4 -o addr show tether 2>/dev/null | awk '{print $4}'; }
# The bridge, its members and connd's tethering rules, as the kernel has them.
tether_state() {
	ip -n "$dev" -o link show type bridge | awk '{print $2}'
	ip -n "$dev" -o link show master tether | awk '{print $2}'
	subnet
	ip netns exec "$dev" nft list table inet connd | sed -n '/chain tether_/,/^\t}/p'
}
export dev
export -f tethering_on subnet tether_state
lease() {
	lab_exec lan ip addr flush dev eth0
	lab_exec lan timeout 15 busybox udhcpc -i eth0 -n -q -f -t 5 -s /bin/true >/dev/null 2>&1
}

forwarding() { ip netns exec "$dev" cat /proc/sys/net/ipv4/ip_forward; }
check "IPv4 forwarding is off before tethering" test "$(forwarding)" = 0
lab_connmanctl tether ethernet on >/dev/null
check_wait "tethering on" 5 tethering_on
check "IPv4 forwarding on while tethering" test "$(forwarding)" = 1
check_wait "lan0 joins the bridge once its DHCP finds no server" 30 \
	bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
before=$(tether_state)
check "a LAN client gets a lease" lease

check "connd stops cleanly" lab_connd_stop
check "the bridge is gone while connd is stopped" bash -c "! ip -n $dev link show tether 2>/dev/null"
lab_connd dev up0,lan0
check_wait "after a clean restart: tethering is on again" 20 tethering_on
check_wait "the same link, subnet and rules, nothing doubled" 10 \
	bash -c "[ \"\$(tether_state)\" = \"\$1\" ]" _ "$before"
check_wait "up0 is the uplink again, not bridged" 20 service_state dev up0 online
check "a LAN client gets a lease again" lease

kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
lab_connd dev up0,lan0
check_wait "after kill -9: tethering is on again" 20 tethering_on
check_wait "the same link, subnet and rules, nothing doubled" 10 \
	bash -c "[ \"\$(tether_state)\" = \"\$1\" ]" _ "$before"
check "one bridge only" test "$(ip -n "$dev" -o link show type bridge | wc -l)" = 1
# Deleting the bridge the crash left makes the kernel report its port as
# deleted (AF_BRIDGE) though the link stays: lan0 must stay the one tethered
# port, not come back as a fresh service running DHCP inside the new bridge
# (whose fallback would be a 169.254 address some 10 s later).
lan_svc=$(lab_service dev lan0)
check "lan0's service is listed once" test "$(lab_connmanctl services | grep -c "$lan_svc")" = 1
check "lan0's service is idle: a tethered port" service_state dev lan0 idle
sleep 12
check "lan0 never got a link-local address inside the bridge" \
	bash -c "! ip -n $dev -4 -o addr show lan0 | grep -q 169.254"
check "lan0 is still in the bridge and its service idle" \
	bash -c "ip -n $dev link show lan0 | grep -q 'master tether' && service_state dev lan0 idle"
check "its service was never dropped and made anew" bash -c "! grep -q '$lan_svc: gone' '$LAB_DIR/connd-dev.log'"
check "a LAN client gets a lease again" lease

lab_connmanctl tether ethernet off >/dev/null
check "tethering off after a crash: forwarding back to what it was before tethering" \
	test "$(forwarding)" = 0
check "connd stops cleanly" lab_connd_stop
lab_connd dev up0,lan0
check_wait "turned off before the restart: still off" 20 service_state dev up0 online
check "no bridge" bash -c "! ip -n $dev link show tether 2>/dev/null && ! tethering_on"

lab_connmanctl tether ethernet on >/dev/null
check_wait "tethering on once more" 5 tethering_on
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
# Tethering switched off in the settings while connd was down.
sed -i 's/^Tethering=true/Tethering=false/' "$LAB_DIR/state-dev/settings"
lab_connd dev up0,lan0
check_wait "after kill -9, tethering not coming back: the bridge is removed" 20 \
	bash -c "! ip -n $dev link show tether 2>/dev/null"
export -f forwarding
check_wait "and forwarding is back to what it was before tethering" 10 bash -c "[ \"\$(forwarding)\" = 0 ]"
check "connd stops cleanly" lab_connd_stop

# PersistentTetheringMode = false (ConnMan's default): on when connd went
# away, tethering stays off after a clean restart and after kill -9.
sed -i 's/^PersistentTetheringMode.*/PersistentTetheringMode = false/' "$LAB_DIR/main.conf"
lab_connd dev up0,lan0
check_wait "the uplink is online" 20 service_state dev up0 online
lab_connmanctl tether ethernet on >/dev/null
check_wait "tethering on" 5 tethering_on
check "connd stops cleanly" lab_connd_stop
lab_connd dev up0,lan0
check_wait "not persistent, after a clean restart: the uplink is online" 20 service_state dev up0 online
check "and tethering is off, no bridge" bash -c "! tethering_on && ! ip -n $dev link show tether 2>/dev/null"
check "it said why" grep -q "not restored, PersistentTetheringMode is false" "$LAB_DIR/connd-dev.log"
lab_connmanctl tether ethernet on >/dev/null
check_wait "tethering on again" 5 tethering_on
check_wait "IPv4 forwarding on while tethering" 5 bash -c "[ \"\$(forwarding)\" = 1 ]"
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
lab_connd dev up0,lan0
check_wait "not persistent, after kill -9: the bridge the crash left is removed" 20 \
	bash -c "! ip -n $dev link show tether 2>/dev/null"
check_wait "forwarding is back to what it was before tethering" 10 bash -c "[ \"\$(forwarding)\" = 0 ]"
check_wait "the uplink is online, lan0 free again" 20 \
	bash -c "service_state dev up0 online && ! ip -n $dev link show lan0 | grep -q master"
check "tethering is off" bash -c "! tethering_on"
check "connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
