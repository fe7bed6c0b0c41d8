#!/usr/bin/env bash
# A hostile DHCP server (dnsmasq with odd options): connd logs what it
# refuses, puts nothing unworkable in the kernel, never forwards DNS to
# itself, and never calls online a service whose lease has no working
# router.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root

log() { grep -q -- "$1" "$LAB_DIR/connd-dev.log"; }
dev_ip() { ip -n "$(lab_nsname dev)" "$@"; }
export -f dev_ip

# run NAME ADDRESS DHCP-CONF...: connd leases ADDRESS from a server with the
# extra (tagged) configuration lines; leaves connd running.
run() {
	local name=$1 address=$2 mac line opts=()
	shift 2
	lab_init
	lab_ns isp; lab_ns dev
	lab_link isp eth0 dev up0
	mac=$(lab_exec dev cat /sys/class/net/up0/address)
	opts=("--dhcp-host=$mac,set:h,$address")
	for line in "$@"; do opts+=("--dhcp-conf=$line"); done
	lab_isp isp eth0 10.47.0.1/24 "${opts[@]}"
	lab_dbus
	lab_connd dev up0
	check_wait "[$name] the service gets its lease (ready)" 20 service_state dev up0 'ready|online'
}

stays_offline() { ! lab_wait 6 service_state dev up0 online; }

run "own address as router and nameserver" 10.47.0.77 \
	'dhcp-option=tag:h,option:router,10.47.0.77' \
	'dhcp-option=tag:h,option:dns-server,127.0.0.1,10.47.0.77,224.0.0.251' \
	'dhcp-option=tag:h,option:domain-name,"a b c"'
check "the address is on up0" bash -c "dev_ip -4 addr show up0 | grep -q 'inet 10.47.0.77/24'"
check "no default route through ourselves" bash -c "! dev_ip route show default | grep -q ."
check "the router is refused in the log" log "DHCP router 10.47.0.77 ignored"
check "loopback and multicast nameservers are refused" \
	log "DHCP nameservers that are not unicast hosts ignored"
check "the domain with spaces is refused" log "DHCP domain name ignored"
check "the DNS proxy does not forward to our own address" \
	log "dns: not forwarding to 10.47.0.77"
check "no search domains from 'a b c' in resolv.conf" \
	bash -c "! grep -q '^search' '$LAB_DIR/resolv-dev.conf'"
check "the service never goes online" stays_offline
check "connd stops cleanly" lab_connd_stop
lab_teardown

# The same loop through the D-Bus API: a nameserver of 127.0.0.1 is the
# proxy itself. One query from dig must be the only one on lo's port 53.
run "loopback nameserver set by hand" 10.47.0.80
svc=$(lab_service dev up0)
lab_connmanctl config "$svc" --nameservers 127.0.0.1 10.47.0.80 >/dev/null
check_wait "the proxy refuses 127.0.0.1 and our own address" 10 \
	log "dns: not forwarding to 127.0.0.1 10.47.0.80"
lab_exec dev nft -f - <<'NFT'
table inet hostile {
	chain out {
		type filter hook output priority 0;
		udp dport 53 ip daddr 127.0.0.1 counter
	}
}
NFT
lab_exec dev dig +tries=1 +time=2 @127.0.0.1 loop.example >/dev/null
check "one query on lo, none forwarded back to the proxy" \
	bash -c "lab_exec dev nft list chain inet hostile out | grep -q 'counter packets 1 '"
check "connd stops cleanly" lab_connd_stop
lab_teardown

run "/32 lease" 10.47.0.78 'dhcp-option=tag:h,option:netmask,255.255.255.255'
check "the address is on up0 as a /32" \
	bash -c "dev_ip -4 addr show up0 | grep -q 'inet 10.47.0.78/32'"
check "no default route" bash -c "! dev_ip route show default | grep -q ."
check "the off-link router is refused in the log" \
	log "DHCP router 10.47.0.1 ignored: not a usable gateway for 10.47.0.78/32"
check "the service never goes online" stays_offline
check "connd stops cleanly" lab_connd_stop
lab_teardown

run "router is the broadcast address" 10.47.0.79 \
	'dhcp-option=tag:h,option:router,10.47.0.255'
check "no default route" bash -c "! dev_ip route show default | grep -q ."
check "the router is refused in the log" log "DHCP router 10.47.0.255 ignored"
check "the service never goes online" stays_offline
check "connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
