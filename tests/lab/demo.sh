#!/usr/bin/env bash
# make demo: connd in a lab of network namespaces, driven by the real connmanctl.
#
#   isp  ── dnsmasq (DHCP, DNS) and an HTTP server for the online check
#    │ veth (checksum offload on: partially checksummed packets)
#   dev  ── connd, on a private system bus
#    │ veth (tethered: bridged, DHCP from connd, NAT out of the uplink)
#   lan  ── a client namespace behind the device
#
# It shows the uplink going idle → ready → online, the service list and the
# kernel's state, an application's session, a tethered client, and tears
# everything down at the end or on Ctrl-C.
set -u
BUILD=${1:-build}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO" && cd "$BUILD" && pwd)
export BUILD REPO CONND=${CONND:-$BUILD/src/connd}
. "$REPO/tests/lab/lab.sh"
lab_require_root

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@" 2>&1 | sed 's/^/  /'; }

lab_init
chmod 755 "$LAB_DIR"
say "Building the lab ($LAB): isp, dev, lan"
lab_ns isp; lab_ns dev; lab_ns lan
lab_link isp eth0 dev up0
lab_link dev lan0 lan eth0
lab_isp isp eth0 10.20.0.1/24 --ipv6=2001:db8:20::1/64
lab_dbus
lab_connmanctl --help >/dev/null 2>&1   # fetches Debian's connmanctl on first use
echo "private system bus: $DBUS_SYSTEM_BUS_ADDRESS"
echo "connmanctl: $("$REPO/tests/lab/connman.sh" connmanctl) (unpacked from Debian's connman, never installed)"

say "Starting connd in dev (managing up0 and lan0); its State signals as they arrive"
"$LAB_PY" "$REPO/tests/lab/watch-states.py" >"$LAB_DIR/states.log" 2>&1 &
watcher=$!
lab_defer "kill $watcher"
lab_wait 5 grep -q ready "$LAB_DIR/states.log"
lab_connd dev up0,lan0
svc=$(lab_service dev up0)
lab_wait 20 service_state dev up0 online || echo "  (not online after 20 s)"
sleep 0.2
grep -vx ready "$LAB_DIR/states.log"

say "The real connmanctl's view"
show lab_connmanctl state
show lab_connmanctl technologies
show lab_connmanctl services
# SLAAC (router solicitation, duplicate address detection) takes a moment.
lab_wait 5 bash -c "lab_connmanctl services $svc | grep -q 'IPv6 = \[ Method'"
show lab_connmanctl services "$svc"

say "The kernel's view in dev"
show ip -n "$(lab_nsname dev)" addr show up0
show ip -n "$(lab_nsname dev)" route
show ip -n "$(lab_nsname dev)" -6 route
show ip -n "$(lab_nsname dev)" rule
show lab_exec dev curl -s --max-time 3 http://10.20.0.1/online/status.html

say "Names: connd's DNS proxy on 127.0.0.1, and the resolv.conf it writes"
show cat "$LAB_DIR/resolv-dev.conf"
show lab_exec dev dig @127.0.0.1 +noall +answer isp.lab
sleep 1
echo "  a second later, from the cache (its TTL has counted down):"
show lab_exec dev dig @127.0.0.1 +noall +answer isp.lab

say "An application's session (ConnMan's Session API), as uid 1 (daemon)"
mkfifo "$LAB_DIR/app.in" "$LAB_DIR/app.out"
nsenter --net="/run/netns/$(lab_nsname dev)" setpriv --reuid=1 --regid=1 --clear-groups \
	env DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" \
	"$LAB_PY" "$REPO/tests/lab/session-app.py" AllowedBearers=ethernet \
	<"$LAB_DIR/app.in" >"$LAB_DIR/app.out" 2>&1 &
lab_defer "kill $!"
exec 7>"$LAB_DIR/app.in" 8<"$LAB_DIR/app.out"
app() { echo "$*" >&7; read -r -t 20 reply <&8; printf '  app> %-40s %s\n' "$*" "$reply"; }
read -r -t 20 line <&8; echo "  $line"
app wait State online
app get Bearer
app get Interface
app tcp http://10.20.0.1/bytes/100000
app stats
show ip netns exec "$(lab_nsname dev)" nft list table inet connd

say "Tethering: 'connmanctl tether ethernet on' shares the uplink with the lan namespace"
show lab_connmanctl tether ethernet on
show ip -n "$(lab_nsname dev)" -4 addr show tether
cat >"$LAB_DIR/lan-dhcp.sh" <<'S'
#!/bin/sh
case $reason in BOUND)
	ip addr add "$new_ip_address/24" dev "$interface"
	ip route add default via "$new_routers"
	echo "lan got $new_ip_address, router $new_routers, DNS $new_domain_name_servers" ;;
esac
exit 0
S
chmod +x "$LAB_DIR/lan-dhcp.sh"
lab_exec lan timeout 15 dhclient -1 -sf "$LAB_DIR/lan-dhcp.sh" -pf "$LAB_DIR/lan-dhclient.pid" \
	-lf /dev/null eth0 2>/dev/null | sed 's/^/  /'
lab_defer "[ -s '$LAB_DIR/lan-dhclient.pid' ] && kill \$(cat '$LAB_DIR/lan-dhclient.pid')"
bridge=$(ip -n "$(lab_nsname dev)" -4 -o addr show tether | awk '{print $4}' | cut -d/ -f1)
show lab_exec lan busybox nslookup isp.lab "$bridge"   # answered by connd's proxy on the bridge
show lab_exec lan curl -s -o /dev/null -w 'lan fetched %{size_download} bytes from the ISP in %{time_total}s\n' \
	http://isp.lab/bytes/5000 --resolve "isp.lab:80:10.20.0.1"
echo "  the ISP saw: $(tail -n 1 "$LAB_DIR/http-isp-eth0.log")"
show ip netns exec "$(lab_nsname dev)" nft list chain inet connd tether_forward
show lab_connmanctl tether ethernet off

say "Cable out, cable in, seen by the real 'connmanctl monitor'"
# Line-buffered: its output goes to a file, and it is ended by a signal.
stdbuf -oL "$("$REPO/tests/lab/connman.sh" connmanctl)" monitor >"$LAB_DIR/monitor.log" 2>&1 &
lab_defer "kill $!"
sleep 0.5
lab_exec isp ip link set eth0 down
lab_wait 10 service_state dev up0 idle && show lab_connmanctl services
app wait State disconnected
lab_exec isp ip link set eth0 up
lab_wait 20 service_state dev up0 online && show lab_connmanctl services
app wait State online
sleep 0.3
grep -E 'State|IPv4 =' "$LAB_DIR/monitor.log" | sed 's/^/  monitor: /' | head -n 16
echo quit >&7

say "Stopping connd"
lab_connd_stop && echo "  connd exited cleanly"
show ip -n "$(lab_nsname dev)" -4 addr show up0
echo "  (the lab is removed now)"
