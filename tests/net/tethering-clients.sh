#!/usr/bin/env bash
# Manager.TetheringClientsChanged(as registered, as removed): a tethered
# client (busybox udhcpc) is registered by its MAC address once connd's DHCP
# server binds its lease, removed when it releases the lease, and every
# client left is removed when tethering goes off; GetTetheringClients lists
# them sorted in between.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev; lab_ns lana; lab_ns lanb
lab_link isp eth0 dev up0
lab_link dev lan0 lana eth0
lab_link dev lan1 lanb eth0
lab_isp isp eth0 10.62.0.1/24
lab_dbus
lab_connd dev up0,lan0,lan1
dev=$(lab_nsname dev)
check_wait "the uplink is online" 20 service_state dev up0 online
lab_exec dev "$LAB_PY" "$LAB_REPO/tests/lab/watch-tethering-clients.py" >"$LAB_DIR/watch.log" 2>&1 &
lab_defer "kill $!"
check_wait "the watcher listens" 5 grep -q watching "$LAB_DIR/watch.log"

check "tethering on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check_wait "lan0 and lan1 join the bridge" 30 bash -c "
	ip -n $dev link show lan0 | grep -q 'master tether' && ip -n $dev link show lan1 | grep -q 'master tether'"
check "no signal while no client has a lease" bash -c "! grep -q changed '$LAB_DIR/watch.log'"

cat >"$LAB_DIR/udhcpc.script" <<'S'
#!/bin/sh
# The address goes on the link: udhcpc sends its RELEASE from it.
case $1 in
deconfig) ip addr flush dev "$interface" ;;
bound|renew) ip addr add "$ip/${mask:-24}" dev "$interface"; echo "BOUND ip=$ip" ;;
esac
exit 0
S
chmod +x "$LAB_DIR/udhcpc.script"
# leased NS: one lease, kept when udhcpc quits.
leased() {
	lab_exec "$1" timeout 15 busybox udhcpc -i eth0 -n -q -f -t 5 -s "$LAB_DIR/udhcpc.script" 2>&1 |
		grep -q BOUND
}
mac_a=$(lab_exec lana cat /sys/class/net/eth0/address)
mac_b=$(lab_exec lanb cat /sys/class/net/eth0/address)
sorted=$(printf '%s\n' "$mac_a" "$mac_b" | sort | paste -sd,)

check "client A gets a lease" leased lana
check_wait "TetheringClientsChanged registers A by its MAC address" 3 \
	bash -c "[ \"\$(grep changed '$LAB_DIR/watch.log')\" = 'changed $mac_a -' ]"
check "client B gets a lease" leased lanb
check_wait "then registers B alone" 3 \
	bash -c "[ \"\$(grep changed '$LAB_DIR/watch.log' | sed -n 2p)\" = 'changed $mac_b -' ]"
check "GetTetheringClients lists both, sorted" bash -c "
	[ \"\$(dbus-send --system --print-reply --dest=net.connman / net.connman.Manager.GetTetheringClients |
		grep -o '\"[0-9a-f:]*\"' | tr -d '\"' | paste -sd,)\" = '$sorted' ]"
# udhcpc releases with -R when it is told to stop while bound (not with -q).
ip netns exec "$(lab_nsname lana)" busybox udhcpc -i eth0 -f -R -s "$LAB_DIR/udhcpc.script" \
	>"$LAB_DIR/udhcpc-a.log" 2>&1 &
udhcpc_a=$!
lab_defer "kill $udhcpc_a"
check_wait "client A renews its lease" 10 grep -q BOUND "$LAB_DIR/udhcpc-a.log"
kill "$udhcpc_a"; wait "$udhcpc_a"
check "and releases it on its way out" grep -q 'unicasting a release' "$LAB_DIR/udhcpc-a.log"
check_wait "TetheringClientsChanged removes A (its renewal told nothing)" 3 \
	bash -c "[ \"\$(grep changed '$LAB_DIR/watch.log' | sed -n 3p)\" = 'changed - $mac_a' ] &&
		[ \$(grep -c changed '$LAB_DIR/watch.log') = 3 ]"
check "GetTetheringClients lists B alone" bash -c "
	dbus-send --system --print-reply --dest=net.connman / net.connman.Manager.GetTetheringClients |
	grep -q '\"$mac_b\"' && ! dbus-send --system --print-reply --dest=net.connman / \
		net.connman.Manager.GetTetheringClients | grep -q '\"$mac_a\"'"
check "tethering off" bash -c "! lab_connmanctl tether ethernet off 2>&1 | grep -q Error"
check_wait "TetheringClientsChanged removes B" 3 \
	bash -c "[ \"\$(grep changed '$LAB_DIR/watch.log' | sed -n 4p)\" = 'changed - $mac_b' ]"
check "and nothing else was told" bash -c "[ \$(grep -c changed '$LAB_DIR/watch.log') = 4 ]"
check "connd stops cleanly" lab_connd_stop
lab_done
