# The Wi-Fi VM lab inside the guest: sourced by guest.sh (POSIX sh, run by
# dash). Every exec costs 0.1-0.4 s under TCG, so waits poll with builtins
# and helpers start few processes.
#
# Topology: mac80211_hwsim's two radios; phy0 (wlan0 and its extra BSSes) in
# the namespace "ap" with hostapd serving five networks bridged on br0
# (10.77.0.1/24) and dnsmasq giving leases there; phy1 (wlan1) with iwd in
# the guest's own namespace. One private system bus (the standard socket
# path, on the guest's tmpfs /run) for iwd, connd and the clients.

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

# vm_now: seconds since boot with centiseconds, from a builtin read.
vm_now() { read -r VM_NOW _ </proc/uptime; printf '%s' "$VM_NOW"; }

# vm_wait SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
vm_wait() {
	_t=$(($1 * 10)); shift
	while [ "$_t" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	"$@"
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
vm_modules() {
	# shellcheck disable=SC2086 # a list of names
	modprobe -a $VM_MODULES || return 1
	echo >/proc/sys/kernel/modprobe
	# 36 channels instead of ~100: a full scan takes 1.7 s instead of 8.
	modprobe mac80211_hwsim radios=2 regtest=5 channels=2 || return 1
	vm_wait 5 vm_exists /sys/class/ieee80211/phy1
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
	vm_wait 5 vm_exists /run/dbus/system_bus_socket
}

# The AP side: phy0 into the namespace "ap", the bridge, hostapd, dnsmasq.
vm_ap() {
	ip netns add ap || return 1
	iw phy phy0 set netns name ap || return 1
	ip -n ap link set lo up
	ip -n ap link add br0 type bridge
	ip -n ap addr add "$VM_AP_ADDR/24" dev br0
	ip -n ap link set br0 up
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
	vm_wait 10 vm_ap_netdev wlan0_4
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
		ssid=$VM_SSID_PSK
		wpa=2
		wpa_key_mgmt=WPA-PSK
		rsn_pairwise=CCMP
		wpa_passphrase=$VM_PASSPHRASE

		bss=wlan0_2
		bssid=02:00:00:00:00:02
		ssid=$VM_SSID_SAE
		wpa=2
		wpa_key_mgmt=SAE
		rsn_pairwise=CCMP
		ieee80211w=2
		sae_password=$VM_PASSPHRASE

		bss=wlan0_3
		bssid=02:00:00:00:00:03
		ssid=$VM_SSID_HIDDEN
		ignore_broadcast_ssid=1
		wpa=2
		wpa_key_mgmt=WPA-PSK
		rsn_pairwise=CCMP
		wpa_passphrase=$VM_PASSPHRASE

		bss=wlan0_4
		bssid=02:00:00:00:00:04
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
	/usr/libexec/iwd ${VM_IWD_DEBUG:+-d} >>"$VM_OUT/iwd.log" 2>&1 &
	VM_IWD_PID=$!
	vm_wait 10 vm_iwd_station
}

vm_iwd_stop() {
	[ -n "${VM_IWD_PID:-}" ] || return 0
	kill "$VM_IWD_PID" 2>/dev/null
	vm_wait 5 vm_gone "$VM_IWD_PID"
	VM_IWD_PID=
}

vm_gone() { ! kill -0 "$1" 2>/dev/null; }

# iwd is up and has wlan1's station.
vm_iwd_station() {
	dbus-send --system --print-reply --dest=net.connman.iwd / \
		org.freedesktop.DBus.ObjectManager.GetManagedObjects 2>/dev/null | grep -q 'net.connman.iwd.Station'
}

# vm_setup: everything up to a scanning iwd.
vm_setup() {
	mkdir -p "$VM_RUN"
	ip link set lo up
	vm_modules || { vm_log "vmlab: modules"; return 1; }
	vm_dbus || { vm_log "vmlab: dbus-daemon"; return 1; }
	vm_ap || { vm_log "vmlab: the AP side"; return 1; }
	vm_iwd_start || { vm_log "vmlab: iwd"; return 1; }
}
