# bench/wifi inside the VM (sourced by tests/vm/guest.sh like a scenario, RUNS
# set by run.sh's wrapper): the lab's AP side gets an HTTP server answering
# the online check (tests/lab/isp-http.py on 10.77.0.1) and a wired uplink (a
# veth bridged with the Wi-Fi networks); then each of raw iwd, iwd with its
# own DHCP, connd and ConnMan 1.41 (its iwd plugin, if the package has one)
# is driven by bench/wifi/measure.py, one after another. Samples go to
# $VM_OUT/bench.txt as "DAEMON NAME SECONDS".
bench_out=$VM_OUT/bench.txt
: >"$bench_out"
measure() {
	local who=$1
	shift
	/usr/bin/python3 "$VM_REPO/bench/wifi/measure.py" "$@" >"$VM_OUT/measure-$who.log" 2>&1
	while read -r kind name secs; do
		[ "$kind" = sample ] && echo "$who $name $secs" >>"$bench_out"
	done <"$VM_OUT/measure-$who.log"
}

# The online check's server, on the AP's side (reached over either link).
ip netns exec ap /usr/bin/python3 "$VM_REPO/tests/lab/isp-http.py" --port 80 >"$VM_OUT/http.log" 2>&1 &
http=$!
# The wired uplink: its own subnet (connd declines a lease whose subnet
# another link has), its own DHCP server, complete checksums (ConnMan's
# DHCP client needs them on veth).
ip link add eth-lab type veth peer name eth-ap netns ap
ip -n ap addr add 10.78.0.1/24 dev eth-ap
ip -n ap link set eth-ap up
ip link set eth-lab up
ip netns exec ap ethtool -K eth-ap tx off >/dev/null
ethtool -K eth-lab tx off >/dev/null
ip netns exec ap dnsmasq --no-ping --no-resolv --no-hosts --port=0 --interface=eth-ap --bind-interfaces \
	--dhcp-range=10.78.0.100,10.78.0.199,255.255.255.0,1h --dhcp-option=option:router,10.78.0.1 \
	--dhcp-leasefile="$VM_RUN/dnsmasq-wired.leases" --pid-file="$VM_RUN/dnsmasq-wired.pid" \
	--log-facility="$VM_OUT/dnsmasq-wired.log"
url=http://$VM_AP_ADDR/online/status.html

# The floor: iwd alone, then iwd configuring IP itself (restarted for it).
measure iwd iwd "$RUNS"
vm_iwd_stop
sed -i 's/EnableNetworkConfiguration=false/EnableNetworkConfiguration=true/' /etc/iwd/main.conf
/usr/libexec/iwd >>"$VM_OUT/iwd.log" 2>&1 &
VM_IWD_PID=$!
vm_wait 10 vm_iwd_station && measure iwd-dhcp iwd-netconfig "$RUNS"
vm_iwd_stop
vm_iwd_start
vm_iwd_networks

# connd: Wi-Fi preferred over the wired uplink.
mkdir -p "$VM_RUN/bench-connd"
printf '[General]\nPreferredTechnologies = wifi,ethernet\nOnlineCheckIPv4URL = %s\n' "$url" \
	>"$VM_RUN/bench-connd.conf"
"$CONND" -n -i wlan1,eth-lab --state-dir "$VM_RUN/bench-connd" --resolv-conf "$VM_RUN/resolv.conf" \
	-c "$VM_RUN/bench-connd.conf" >"$VM_OUT/connd-bench.log" 2>&1 &
connd=$!
vm_wait 10 vm_bus_has net.connman && measure connd connman "$RUNS"
kill "$connd"
vm_wait 5 vm_gone "$connd"
ip addr flush dev wlan1
ip addr flush dev eth-lab

# ConnMan 1.41 from Debian's package, with its iwd plugin (-P wifi: not the
# wpa_supplicant one). Its state is the guest's tmpfs.
connmand=$("$VM_REPO/tests/lab/connman.sh" connmand)
if strings "$connmand" | grep -q 'net.connman.iwd.Station'; then
	# Wi-Fi on from the start: a fresh ConnMan has it off, and blocks it
	# through rfkill, which takes the AP's radio too.
	mkdir -p /var/lib/connman /etc/connman
	printf '[WiFi]\nEnable=true\n\n[Wired]\nEnable=true\n' >/var/lib/connman/settings
	printf '[General]\nPreferredTechnologies = wifi,ethernet\nEnableOnlineCheck = true\n' >/etc/connman/main.conf
	printf 'OnlineCheckIPv4URL = %s\nAllowHostnameUpdates = false\n' "$url" >>/etc/connman/main.conf
	"$connmand" -n -P wifi -i wlan1,eth-lab -c /etc/connman/main.conf >"$VM_OUT/connman.log" 2>&1 &
	cm=$!
	vm_wait 10 vm_bus_has net.connman && measure connman connman "$RUNS"
	kill "$cm"
	vm_wait 5 vm_gone "$cm"
else
	echo "connman noiwd 0" >>"$bench_out"
fi
kill "$http"
kill "$(<"$VM_RUN/dnsmasq-wired.pid")"
ip link del eth-lab
check "every daemon gave samples" grep -q '^connd connect_ready' "$bench_out"
