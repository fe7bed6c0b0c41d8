# The Wi-Fi VM lab inside the guest: sourced by guest.sh (bash). Every exec
# costs 0.1-0.4 s under TCG, and seconds when the host is loaded, so clocks,
# sleeps and matches are bash builtins and helpers start few processes.
#
# Topology: mac80211_hwsim's three radios; phy0 (wlan0 and its extra BSSes) in
# the namespace "ap" with hostapd serving five networks bridged on br0
# (10.77.0.1/24) and dnsmasq giving leases there; phy1 (wlan1) with iwd in
# the guest's own namespace; phy2 (wlan2) in the namespace "sta", out of
# that iwd's sight, for a station of connd's tethering AP (vm_sta). One
# private system bus (the standard socket path, on the guest's tmpfs /run)
# for iwd, connd and the clients.

VM_AP_ADDR=10.77.0.1
VM_RUN=/run/vmlab

# Networks served by hostapd (SSID, what it is).
VM_SSID_OPEN=lab-open
VM_SSID_PSK=lab-psk
VM_SSID_SAE=lab-sae
VM_SSID_HIDDEN=lab-hidden
VM_SSID_8021X=lab-8021x
VM_PASSPHRASE=correct-horse
VM_EAP_USER=alice
VM_EAP_PASSWORD=wonderland

vm_log() { printf '%s\n' "$*" >&2; }

# vm_now: seconds since boot (as the boot times are counted), no exec.
vm_now() { local up; read -r up _ </proc/uptime; printf '%s' "$up"; }

# vm_us: microseconds of the wall clock, in VM_US.
vm_us() { VM_US=${EPOCHREALTIME/./}; }

# vm_elapsed START_US: seconds since START_US (a VM_US), one decimal.
vm_elapsed() {
	local d
	vm_us
	d=$(((VM_US - $1) / 100000))
	printf '%d.%d' $((d / 10)) $((d % 10))
}

# vm_sleep SECONDS: a sleep without an exec (a read that times out on a FIFO
# nobody writes).
vm_sleep() { read -rt "$1" -u "$VM_SLEEP_FD" _ || true; }

# How much slower than an idle host this run is (1 to 5), from the boot time
# (guest.sh sets it): every wait below is stretched by it, so a host loaded by
# other work makes the lab slow, not wrong.
VM_SLOW=${VM_SLOW:-1}

# vm_wait SECONDS CMD...: polls CMD every 0.1 s until it succeeds, for
# SECONDS (times VM_SLOW) of wall-clock time however slow each poll is.
vm_wait() {
	local end
	vm_us
	end=$((VM_US + $1 * VM_SLOW * 1000000))
	shift
	while ! "$@"; do
		vm_us
		[ "$VM_US" -lt "$end" ] || return 1
		vm_sleep 0.1
	done
}

vm_exists() { [ -e "$1" ]; }
vm_netdev() { [ -e "/sys/class/net/$1" ]; }
vm_ap_netdev() { ip netns exec ap test -e "/sys/class/net/$1"; }

# The kernel asks /sbin/modprobe for every missing crypto algorithm; each ask
# is an exec of ~0.5 s. Load what iwd, mac80211, the lab and connd use (the
# nftables expressions too), then stop the asks.
VM_MODULES="algif_hash algif_skcipher algif_aead cmac ecb md4 sha512_generic des3_ede_x86_64 des_generic
	ccm ctr gcm ghash_generic bridge veth nf_tables nft_ct nft_nat nft_masq nft_redir nft_chain_nat
	nft_fib_inet nft_fib_ipv4 nft_fib_ipv6 nft_reject_inet nft_limit nft_log nft_quota nft_socket
	nft_tproxy nft_numgen nft_hash nf_conntrack_netlink nfnetlink_log nfnetlink_queue"
# connd's nftables table counts through named counters looked up by map
# (objref): without it connd has no firewall, and so no tethering.
VM_MODULES="$VM_MODULES nft_objref"
vm_modules() {
	# shellcheck disable=SC2086 # a list of names
	modprobe -a $VM_MODULES || return 1
	echo >/proc/sys/kernel/modprobe
	# 36 channels instead of ~100: a full scan takes 1.7 s instead of 8.
	modprobe mac80211_hwsim radios=3 regtest=5 channels=2 || return 1
	vm_wait 5 vm_netdev wlan1
}

vm_dbus() {
	mkdir -p /run/dbus
	cat >"$VM_RUN/bus.conf" <<-CONF
		<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
		 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
		<busconfig>
		  <type>system</type>
		  <listen>unix:path=/run/dbus/system_bus_socket</listen>
		  <auth>EXTERNAL</auth>
		  <policy context="default"><allow user="*"/><allow own="*"/>
		    <allow send_destination="*"/><allow receive_sender="*"/></policy>
		</busconfig>
	CONF
	dbus-daemon --config-file="$VM_RUN/bus.conf" --nofork --nopidfile >"$VM_OUT/dbus.log" 2>&1 &
	export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/dbus/system_bus_socket
	vm_wait 5 vm_exists /run/dbus/system_bus_socket || return 1
	# Every error reply on the bus, for scenarios to check its name.
	dbus-monitor --system "type='error'" >"$VM_OUT/dbus-errors.log" 2>&1 &
}

# The AP side: phy0 into the namespace "ap", the bridge, hostapd, dnsmasq.
vm_ap() {
	ip netns add ap || return 1
	iw phy phy0 set netns name ap || return 1
	ip -n ap -batch - <<-IP || return 1
		link set lo up
		link add br0 type bridge
		addr add $VM_AP_ADDR/24 dev br0
		link set br0 up
	IP
	vm_hostapd_conf >"$VM_RUN/hostapd.conf"
	printf '%s PEAP\n%s MSCHAPV2 "%s" [2]\n' '*' "\"$VM_EAP_USER\"" "$VM_EAP_PASSWORD" >"$VM_RUN/eap_users"
	vm_hostapd_start || return 1
	# --no-ping: dnsmasq would ping an address 3 s before offering it.
	ip netns exec ap dnsmasq --no-ping --no-resolv --no-hosts --port=0 --interface=br0 --bind-interfaces \
		--dhcp-range=10.77.0.100,10.77.0.199,255.255.255.0,1h --dhcp-option=option:router,"$VM_AP_ADDR" \
		--dhcp-leasefile="$VM_RUN/dnsmasq.leases" --pid-file="$VM_RUN/dnsmasq.pid" \
		--log-facility="$VM_OUT/dnsmasq.log" --log-dhcp || return 1
}

vm_hostapd_start() {
	ip netns exec ap hostapd -B -P "$VM_RUN/hostapd.pid" -f "$VM_OUT/hostapd.log" "$VM_RUN/hostapd.conf" || return 1
	# The BSSes come up one after another once hostapd has forked; the last
	# one's control socket is made when it beacons.
	vm_wait 20 vm_exists "$VM_RUN/hostapd/wlan0_4"
}

# One hostapd, one radio, five BSSes bridged together.
vm_hostapd_conf() {
	cat <<-CONF
		interface=wlan0
		driver=nl80211
		bridge=br0
		ctrl_interface=$VM_RUN/hostapd
		hw_mode=g
		channel=1
		ssid=$VM_SSID_OPEN

		bss=wlan0_1
		bssid=02:00:00:00:00:01
		ctrl_interface=$VM_RUN/hostapd
		bridge=br0
		ssid=$VM_SSID_PSK
		wpa=2
		wpa_key_mgmt=WPA-PSK
		rsn_pairwise=CCMP
		wpa_passphrase=$VM_PASSPHRASE

		bss=wlan0_2
		bssid=02:00:00:00:00:02
		ctrl_interface=$VM_RUN/hostapd
		bridge=br0
		ssid=$VM_SSID_SAE
		wpa=2
		wpa_key_mgmt=SAE
		rsn_pairwise=CCMP
		ieee80211w=2
		sae_password=$VM_PASSPHRASE

		bss=wlan0_3
		bssid=02:00:00:00:00:03
		ctrl_interface=$VM_RUN/hostapd
		bridge=br0
		ssid=$VM_SSID_HIDDEN
		ignore_broadcast_ssid=1
		wpa=2
		wpa_key_mgmt=WPA-PSK
		rsn_pairwise=CCMP
		wpa_passphrase=$VM_PASSPHRASE

		bss=wlan0_4
		bssid=02:00:00:00:00:04
		ctrl_interface=$VM_RUN/hostapd
		bridge=br0
		ssid=$VM_SSID_8021X
		wpa=2
		wpa_key_mgmt=WPA-EAP
		rsn_pairwise=CCMP
		ieee8021x=1
		eap_server=1
		eap_user_file=$VM_RUN/eap_users
		ca_cert=$VM_OUT/ca.pem
		server_cert=$VM_OUT/server.pem
		private_key=$VM_OUT/server.key
	CONF
}

# iwd on wlan1; the manager (connd, or the test's own client) does DHCP.
vm_iwd_start() {
	mkdir -p /etc/iwd /var/lib/iwd
	cat >/etc/iwd/main.conf <<-CONF
		[General]
		EnableNetworkConfiguration=false
		[Scan]
		DisablePeriodicScan=true
	CONF
	vm_iwd_run
}

# vm_iwd_run: iwd as /etc/iwd/main.conf says; its PID in VM_IWD_PID and in
# $VM_RUN/iwd.pid: each scenario runs in a subshell, so the next one finds
# the iwd an earlier one restarted only through the file.
vm_iwd_run() {
	/usr/libexec/iwd ${VM_IWD_DEBUG:+-d} >>"$VM_OUT/iwd.log" 2>&1 &
	VM_IWD_PID=$!
	echo "$VM_IWD_PID" >"$VM_RUN/iwd.pid"
	vm_wait 10 vm_iwd_station
}

# vm_iwd_stop: the running iwd ends (a stale PID would leave it running, and
# the next iwd quits at once: "Name request failed").
vm_iwd_stop() {
	[ -r "$VM_RUN/iwd.pid" ] && read -r VM_IWD_PID <"$VM_RUN/iwd.pid"
	rm -f "$VM_RUN/iwd.pid"
	[ -n "${VM_IWD_PID:-}" ] || return 0
	kill "$VM_IWD_PID" 2>/dev/null
	vm_wait 5 vm_gone "$VM_IWD_PID"
	VM_IWD_PID=
}

# vm_has TEXT REGEX: TEXT matches the extended REGEX.
vm_has() { [[ $1 =~ $2 ]]; }
vm_lacks() { ! [[ $1 =~ $2 ]]; }

# iwd's property of an object: vm_iwd_prop PATH INTERFACE NAME.
vm_iwd_prop() {
	dbus-send --system --print-reply=literal --dest=net.connman.iwd "$1" \
		org.freedesktop.DBus.Properties.Get "string:$2" "string:$3" 2>/dev/null
}
# iwd's station object, in VM_STATION: iwd names it after the wiphy and the
# ifindex, known only once iwd has re-created wlan1 at its start.
vm_iwd_station() {
	local phy ifindex
	read -r phy </sys/class/net/wlan1/phy80211/index 2>/dev/null || return 1
	read -r ifindex </sys/class/net/wlan1/ifindex 2>/dev/null || return 1
	VM_STATION=/net/connman/iwd/$phy/$ifindex
	vm_iwd_prop "$VM_STATION" net.connman.iwd.Station State >/dev/null
}
# vm_iwd_scan: Station.Scan() and its end.
vm_iwd_scan() { iwctl station wlan1 scan && vm_wait 10 vm_iwd_scan_done; }

# vm_iwd_sees_all: iwd lists every network that broadcasts its SSID. hostapd
# makes the control socket of a BSS before that BSS beacons: a scan right
# after may miss some, so the lab scans until iwd sees them all.
vm_iwd_sees_all() {
	local nets
	vm_iwd_scan || return 1
	nets=$(iwctl station wlan1 get-networks)
	[[ $nets == *" $VM_SSID_PSK "* && $nets == *" $VM_SSID_SAE "* && $nets == *" $VM_SSID_8021X "* &&
		$nets == *" $VM_SSID_OPEN "* ]]
}
vm_iwd_networks() { vm_wait 20 vm_iwd_sees_all; }
vm_iwd_scan_done() { vm_has "$(vm_iwd_prop "$VM_STATION" net.connman.iwd.Station Scanning)" false; }
vm_iwd_state() { vm_has "$(vm_iwd_prop "$VM_STATION" net.connman.iwd.Station State)" "(^|[^a-z])$1\$"; }

# vm_iwd_forget SSID TYPE: KnownNetwork.Forget() of iwd's known network
# (its path is the SSID in hex and the type: psk, open, 8021x).
vm_iwd_forget() {
	local hex='' i
	for ((i = 0; i < ${#1}; i++)); do printf -v hex '%s%02x' "$hex" "'${1:i:1}"; done
	dbus-send --system --print-reply --reply-timeout=10000 --dest=net.connman.iwd \
		"/net/connman/iwd/${hex}_$2" net.connman.iwd.KnownNetwork.Forget >/dev/null
}

# vm_iwd_reset SSID TYPE: disconnected, SSID forgotten, wlan1 without
# addresses: how a scenario leaves the station for the next one.
vm_iwd_reset() {
	vm_iwd_state disconnected || iwctl station wlan1 disconnect
	vm_wait 5 vm_iwd_state disconnected
	ip addr flush dev wlan1
	[ ! -e "/var/lib/iwd/$1.$2" ] || vm_iwd_forget "$1" "$2"
}

# vm_lease: a DHCP lease on wlan1 from the AP side (busybox udhcpc), in VM_LEASE.
vm_lease() {
	VM_LEASE=$(busybox udhcpc -i wlan1 -n -q -f -t 5 -T 1 -s "$VM_DIR/udhcpc.script" 2>&1)
	[[ $VM_LEASE =~ BOUND\ ip=10\.77\.0\.1[0-9][0-9]\ router=$VM_AP_ADDR ]]
}

vm_gone() { ! kill -0 "$1" 2>/dev/null; }



# vm_bus_has NAME: NAME has an owner on the bus.
vm_bus_has() {
	dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.GetNameOwner "string:$1" >/dev/null 2>&1
}

# vm_connd_start IFACES [ARGS...]: the host's build of connd ($CONND, through
# the share) on the lab's bus, managing IFACES; its log is $VM_OUT/connd.log.
vm_connd_start() {
	local ifaces=$1
	shift
	mkdir -p /var/lib/connd /etc/connd
	[ -f "$VM_RUN/main.conf" ] || printf '[General]\nEnableOnlineCheck = false\n' >"$VM_RUN/main.conf"
	"$CONND" -n -i "$ifaces" --state-dir /var/lib/connd --policy-dir /etc/connd \
		--resolv-conf "$VM_RUN/resolv.conf" -c "$VM_RUN/main.conf" "$@" >>"$VM_OUT/connd.log" 2>&1 &
	VM_CONND_PID=$!
	vm_wait 10 vm_bus_has net.connman
}

vm_connd_stop() {
	[ -n "${VM_CONND_PID:-}" ] || return 0
	kill "$VM_CONND_PID" 2>/dev/null
	vm_wait 5 vm_gone "$VM_CONND_PID" || kill -9 "$VM_CONND_PID" 2>/dev/null
	wait "$VM_CONND_PID" 2>/dev/null
	VM_CONND_PID=
}

# Wi-Fi tethering's station (scenarios 3x): the third radio goes into the
# namespace "sta" before the lab's iwd starts, so that iwd never drives it.
# The station's own iwd and bus are the scenario's (vm_sta_iwd_start).
vm_sta() {
	vm_wait 5 vm_netdev wlan2 || return 1
	ip netns add sta || return 1
	iw phy phy2 set netns name sta || return 1
	ip -n sta link set lo up
}

# vm_sta_iwd_start: a second iwd in "sta" on a bus of its own (the lab's
# already has net.connman.iwd), its state and configuration in $VM_RUN/sta.
vm_sta_iwd_start() {
	mkdir -p "$VM_RUN/sta/state" "$VM_RUN/sta/etc"
	printf '[General]\nEnableNetworkConfiguration=false\n[Scan]\nDisablePeriodicScan=true\n' \
		>"$VM_RUN/sta/etc/main.conf"
	sed "s|/run/dbus/system_bus_socket|$VM_RUN/sta/bus.sock|" "$VM_RUN/bus.conf" >"$VM_RUN/sta/bus.conf"
	dbus-daemon --config-file="$VM_RUN/sta/bus.conf" --nofork --nopidfile >"$VM_OUT/sta-dbus.log" 2>&1 &
	VM_STA_BUS_PID=$!
	vm_wait 5 vm_exists "$VM_RUN/sta/bus.sock" || return 1
	ip netns exec sta env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$VM_RUN/sta/bus.sock" \
		STATE_DIRECTORY="$VM_RUN/sta/state" CONFIGURATION_DIRECTORY="$VM_RUN/sta/etc" \
		/usr/libexec/iwd ${VM_IWD_DEBUG:+-d} >>"$VM_OUT/sta-iwd.log" 2>&1 &
	VM_STA_IWD_PID=$!
	vm_wait 10 vm_sta_iwctl station wlan2 show
}

vm_sta_iwctl() {
	DBUS_SYSTEM_BUS_ADDRESS="unix:path=$VM_RUN/sta/bus.sock" iwctl "$@" >/dev/null 2>&1
}

vm_sta_iwd_stop() {
	kill "$VM_STA_IWD_PID" "$VM_STA_BUS_PID" 2>/dev/null
	vm_wait 5 vm_gone "$VM_STA_IWD_PID"
	rm -rf "$VM_RUN/sta"
}

# vm_setup: everything up to an iwd that has scanned.
vm_setup() {
	mkdir -p "$VM_RUN"
	mkfifo "$VM_RUN/sleep.fifo"
	exec {VM_SLEEP_FD}<>"$VM_RUN/sleep.fifo"
	ip link set lo up
	# The lab is up when iwd knows the networks in range.
	for _step in modules dbus ap sta iwd_start iwd_networks; do
		"vm_$_step" || { vm_log "vmlab: $_step failed"; return 1; }
		vm_log "vmlab: $_step done at $(vm_now)"
	done
}
