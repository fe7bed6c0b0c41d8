# Wi-Fi tethering through the real iwd, as ConnMan's users do it:
# `connmanctl tether wifi on SSID PASSPHRASE` puts wlan1 in AP mode
# (Device.Mode "ap", AccessPoint.Start) and into connd's tether bridge; a
# station on the third radio (its own iwd in the namespace "sta": already in
# the lab, nothing more to fetch, driven by iwctl on its own bus) associates
# with the passphrase, gets a lease from connd's DHCP server, resolves
# through connd's DNS proxy and reaches an "ISP" behind connd's wired uplink
# as the uplink's address (NAT). Off, or connd stopped: the AP goes, wlan1
# is a station again, the bridge is gone. MEASURE: Tethering=true to the
# station's lease.
. "$VM_DIR/connd-wifi-lib.sh"
SSID=lab-tether PASS=tether-pass-1

# The ISP: a veth to the namespace "isp", dnsmasq leasing and answering
# isp.lab, and an nftables counter of the pings it gets from each source.
ip netns add isp
ip link add eth-up type veth peer name isp0 netns isp
ip -n isp -batch - <<-IP
	link set lo up
	addr add 10.88.0.1/24 dev isp0
	link set isp0 up
IP
ip link set eth-up up
ip netns exec isp dnsmasq --no-ping --no-resolv --no-hosts --interface=isp0 --bind-interfaces \
	--dhcp-range=10.88.0.100,10.88.0.199,255.255.255.0,1h --dhcp-option=option:router,10.88.0.1 \
	--dhcp-option=option:dns-server,10.88.0.1 --address=/isp.lab/10.88.0.1 \
	--dhcp-leasefile="$VM_RUN/isp.leases" --pid-file="$VM_RUN/isp-dnsmasq.pid" \
	--log-facility="$VM_OUT/isp-dnsmasq.log"

tether_cleanup() {
	vm_gone "$connd" || connd_stop
	vm_sta_iwd_stop
	kill "$(cat "$VM_RUN/isp-dnsmasq.pid")"
	ip netns del isp
}

mkdir -p "$VM_RUN/connd-tether"
printf '[General]\nEnableOnlineCheck = false\nTetheringTechnologies = wifi\n' >"$VM_RUN/connd-tether.conf"
tether_connd() {
	"$CONND" -n -i wlan1,eth-up --state-dir "$VM_RUN/connd-tether" --resolv-conf "$VM_RUN/resolv.conf" \
		-c "$VM_RUN/connd-tether.conf" >>"$VM_OUT/connd.log" 2>&1 &
	connd=$!
}
tether_connd
check_wait "technology wifi" 10 has_wifi
VM_DEVICE=$(dbus-send --system --print-reply --dest=net.connman.iwd / \
	org.freedesktop.DBus.ObjectManager.GetManagedObjects |
	sed -n 's|.*object path "\(/net/connman/iwd/[0-9]*/[0-9]*\)".*|\1|p' | head -n 1)
uplink_ready() { ip -4 addr show eth-up | grep -q 'inet 10\.88\.0\.'; }
check_wait "the wired uplink has its lease" 10 uplink_ready
check "the station's iwd starts in its namespace" vm_sta_iwd_start

tethering() { ctl technologies | sed -n '/technology\/wifi$/,/^\//p' | grep -qx "  Tethering = $1"; }
bridged() { ip link show wlan1 | grep -q 'master tether'; }
mode() { vm_has "$(vm_iwd_prop "$VM_DEVICE" net.connman.iwd.Device Mode)" "(^|[^a-z])$1\$"; }
vm_us; t0=$VM_US
out=$(timeout 20 "$VM_CTL" tether wifi on "$SSID" "$PASS" 2>&1)
echo "$out"
check "connmanctl tether wifi on $SSID: enabled" vm_has "$out" "Enabled tethering for wifi"
echo "tethering on after $(vm_elapsed "$t0")s"
# Nothing further can pass without the AP: the lab goes back as it was.
vm_has "$out" "Enabled tethering" || { tether_cleanup; return 1; }
check "Tethering = True" tethering True
check "iwd's device is in AP mode" mode ap
check "its AccessPoint beacons $SSID" vm_has "$(vm_iwd_prop "$VM_DEVICE" net.connman.iwd.AccessPoint Name)" "$SSID"
check "wlan1 is in connd's tether bridge" bridged
check_wait "the Wi-Fi station services are gone" 5 sh -c "! '$VM_CTL' services | grep -q wifi_"

sta_show() { DBUS_SYSTEM_BUS_ADDRESS="unix:path=$VM_RUN/sta/bus.sock" iwctl station wlan2 show 2>&1; }
sta_state() { vm_has "$(sta_show)" "State +$1"; }
sta_scanned() { vm_has "$(sta_show)" "Scanning +no"; }
sta_sees() {
	vm_sta_iwctl station wlan2 scan
	vm_wait 3 sta_scanned
	vm_has "$(DBUS_SYSTEM_BUS_ADDRESS="unix:path=$VM_RUN/sta/bus.sock" iwctl station wlan2 get-networks 2>&1)" " $SSID "
}
check_wait "the station sees $SSID" 10 sta_sees
DBUS_SYSTEM_BUS_ADDRESS="unix:path=$VM_RUN/sta/bus.sock" iwctl --passphrase "$PASS" station wlan2 connect "$SSID"
check_wait "the station associates with the passphrase" 10 sta_state connected
lease=$(ip netns exec sta busybox udhcpc -i wlan2 -n -q -f -t 5 -T 1 -s "$VM_DIR/udhcpc.script" 2>&1)
echo "$lease"
echo "MEASURE wifi-tether: Tethering=true to the station's lease $(vm_elapsed "$t0") s (real iwd, hwsim)"
bridge=$(ip -4 -o addr show tether | sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p')
uplink=$(ip -4 -o addr show eth-up | sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p')
check "a lease from connd's DHCP server, its router the bridge ($bridge)" \
	vm_has "$lease" "BOUND ip=${bridge%.*}\.1[0-9][0-9] router=$bridge"
check "the station resolves isp.lab through connd's DNS proxy" \
	sh -c "ip netns exec sta busybox nslookup isp.lab $bridge 2>&1 | grep -q 10.88.0.1"
ip netns exec sta ip route replace default via "$bridge" dev wlan2
ip netns exec isp nft -f - <<-NFT
	table ip isp {
		chain in {
			type filter hook input priority 0;
			icmp type echo-request ip saddr $uplink counter
			icmp type echo-request ip saddr != $uplink counter
		}
	}
NFT
check "the station pings the ISP through connd's NAT" ip netns exec sta ping -c 1 -W 3 10.88.0.1
counters=$(ip netns exec isp nft list chain ip isp in)
echo "$counters"
check "the ISP saw the ping from the uplink's address ($uplink), none from another" \
	vm_has "$counters" "saddr $uplink counter packets 1 .*saddr != $uplink counter packets 0 "
clients=$(dbus-send --system --print-reply --dest=net.connman / net.connman.Manager.GetTetheringClients)
check "GetTetheringClients lists the station" \
	vm_has "$clients" "$(ip netns exec sta cat /sys/class/net/wlan2/address)"

# connd killed and started again: iwd's AP is taken over as it runs, in one
# bridge with one set of rules, and the station keeps its association.
rules=$(nft list table inet connd | grep -c tether)
kill -9 "$connd"
wait "$connd" 2>/dev/null
tether_connd
check_wait "connd killed and back: Tethering = True again" 10 tethering True
check "the running AP was taken over, not started again" grep -q 'already up on .*: taken over' "$VM_OUT/connd.log"
check "wlan1 in the bridge again" bridged
check "one set of tethering rules" sh -c "[ \$(nft list table inet connd | grep -c tether) = $rules ]"
check "the station stayed associated" sta_state connected

out=$(timeout 20 "$VM_CTL" tether wifi off 2>&1)
check "tether wifi off" vm_has "$out" "Disabled tethering for wifi"
check_wait "the AP is gone: wlan1 back in station mode" 10 mode station
check "the bridge is gone" sh -c "! ip link show tether 2>/dev/null"
check_wait "the station lost its AP" 10 sta_state disconnected
check_wait "Wi-Fi scans again" 10 sh -c "'$VM_CTL' scan wifi | grep -q 'Scan completed'"
check_wait "and the station services come back" 5 listed "$psk"

# connd stopped while tethering: iwd's AP ends with connd's bridge.
out=$(timeout 20 "$VM_CTL" tether wifi on 2>&1)
check "tether wifi on once more" vm_has "$out" "Enabled tethering for wifi"
connd_stop
check_wait "connd stopped: its AP ended, wlan1 back in station mode" 10 mode station
check "no bridge left" sh -c "! ip link show tether 2>/dev/null"

tether_cleanup
