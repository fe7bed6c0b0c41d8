#!/usr/bin/env bash
# TetheringInterfaces (main.conf, connd's key) picks which links go into the
# bridge: lan0 is listed and bridged, lan1 is not and stays out, the uplink
# never goes in. TetheringTechnologies (ConnMan's key) must list ethernet for
# it to tether at all: without, `tether ethernet on` is NotSupported and saved
# tethering does not come back, even with PersistentTetheringMode.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev; lab_ns lan; lab_ns other
lab_link isp eth0 dev up0
lab_link dev lan0 lan eth0
lab_link dev lan1 other eth0
lab_isp isp eth0 10.37.0.1/24
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
LocaltimeFile = $LAB_DIR/localtime
TetheringTechnologies = ethernet
PersistentTetheringMode = true
TetheringInterfaces = lan0, nothing*"
lab_dbus
lab_connd dev up0,lan0,lan1
dev=$(lab_nsname dev)
check_wait "the uplink is online" 20 service_state dev up0 online
check "connmanctl tether ethernet on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check "lan0 is in the bridge" bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
check "lan1 is not" bash -c "! ip -n $dev link show lan1 | grep -q master"
check "nor the uplink" bash -c "! ip -n $dev link show up0 | grep -q master"
check "a client behind lan0 gets a lease" \
	lab_exec lan timeout 15 busybox udhcpc -i eth0 -n -q -f -t 5 -s /bin/true
check "connd stops cleanly" lab_connd_stop

# TetheringTechnologies without ethernet (ConnMan's default list).
sed -i 's/^TetheringTechnologies.*/TetheringTechnologies = wifi,bluetooth,gadget/' "$LAB_DIR/main.conf"
lab_connd dev up0,lan0,lan1
check_wait "the uplink is online" 20 service_state dev up0 online
check "tethering saved on does not come back: ethernet may not tether" \
	bash -c "lab_connmanctl technologies | grep -q 'Tethering = False' &&
		! ip -n $dev link show tether 2>/dev/null"
check "connmanctl tether ethernet on is refused, saying why" \
	bash -c "lab_connmanctl tether ethernet on 2>&1 | grep -q 'not allowed by TetheringTechnologies'"
check "as ConnMan does: net.connman.Error.NotSupported" bash -c "
	dbus-send --system --print-reply --dest=net.connman /net/connman/technology/ethernet \
		net.connman.Technology.SetProperty string:Tethering variant:boolean:true 2>&1 |
	grep -q 'net.connman.Error.NotSupported'"
check "no bridge, lan0 in none" bash -c "! ip -n $dev link show tether 2>/dev/null &&
	! ip -n $dev link show lan0 | grep -q master"
check "connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
