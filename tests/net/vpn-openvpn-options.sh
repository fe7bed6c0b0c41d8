#!/usr/bin/env bash
# OpenVPN's provider keys beyond the basic ones, as ConnMan's openvpn plugin
# takes them, against Debian's openvpn as the server: TLSAuth with its
# TLSAuthDir (the server wants tls-auth); DeviceType tap (an Ethernet link:
# the routes go through the server's gateway, which the server's ARP alone
# makes the only way); Ping, PingExit and RemapUsr1 reach openvpn, and
# ConnMan's liveness defaults (--ping 10, --ping-exit 60 over UDP) apply
# when they are absent; bad values are refused at Create.
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/../lab/vpn.sh"
lab_require_root
LAB_VPN_DEV_TYPE=tap LAB_VPN_TLS_AUTH=1
lab_openvpn_isp 10.44.0.1
# Beyond the tap's subnet, on the server: reached only through its gateway,
# since the server answers ARP only for the tap's own addresses.
lab_exec isp sysctl -qw net.ipv4.conf.all.arp_ignore=1
lab_exec isp ip addr add 10.67.0.1/32 dev lo	# in the pushed route 10.67.0.0/24
lab_exec isp ip addr add 10.68.0.1/32 dev lo	# only by the default route
lab_exec isp ip addr add fd68::1/128 dev lo	# (IPv6 answers neighbour solicitations so anyway)
lab_vpn_up
# openvpn's command line as ps shows it (arguments joined by spaces).
openvpn_args() { ps -eo args | grep -F -- "--dev $1 " | grep -v grep; }
export -f openvpn_args
pki="$LAB_DIR/pki"
vpn_table=$((0x636f1001))
keys=(OpenVPN.CACert="$pki/ca.crt" OpenVPN.Cert="$pki/client.crt" OpenVPN.Key="$pki/client.key")

vpn=$(api create Type=openvpn Name=tap Host=10.44.0.1 "${keys[@]}" \
	OpenVPN.TLSAuth="$pki/ta.key" OpenVPN.TLSAuthDir=1 OpenVPN.DeviceType=tap)
check "Create takes TLSAuth, TLSAuthDir and DeviceType" [ -n "$vpn" ]
check "Connect through tls-auth" api connect "$vpn"
check "State ready" bash -c "[ \"\$(api prop $vpn State)\" = ready ]"
check "openvpn was given --tls-auth KEY 1 and --dev-type tap" \
	bash -c "openvpn_args cvpn1 | grep -qF -- '--tls-auth $pki/ta.key 1' &&
		 openvpn_args cvpn1 | grep -qF -- '--dev-type tap'"
check "and ConnMan's defaults over UDP: --ping 10 --ping-exit 60" \
	bash -c "openvpn_args cvpn1 | grep -qF -- '--ping 10 ' && openvpn_args cvpn1 | grep -qF -- '--ping-exit 60 '"
check "cvpn1 is a tap, an Ethernet link" \
	bash -c "ip -n $dev -d link show cvpn1 | grep -q 'link/ether' &&
		 ip -n $dev -d link show cvpn1 | grep -q 'tun type tap'"
check "cvpn1 has the pushed address" bash -c "ip -n $dev -4 addr show cvpn1 | grep -q 'inet 10.66.0.'"
check "the default route goes through the server's gateway" \
	bash -c "ip -n $dev route show table $vpn_table | grep -q '^default via 10.66.0.1 dev cvpn1'"
check "so does the pushed route" \
	bash -c "ip -n $dev route show table $vpn_table | grep -q '^10.67.0.0/24 via 10.66.0.1 dev cvpn1'"
check "ServerRoutes name that gateway" \
	bash -c "api prop $vpn ServerRoutes | grep 10.67.0.0 | grep -q 10.66.0.1"
check "an address in the pushed route answers" in_dev ping -c 1 -W 3 10.67.0.1
check "an address only the default route leads to answers" in_dev ping -c 1 -W 3 10.68.0.1
check "the IPv6 default route goes through the server's address" \
	bash -c "ip -n $dev -6 route show table $vpn_table | grep -q '^default via fd66::1 dev cvpn1'"
check_wait "an IPv6 address only that route leads to answers" 10 in_dev ping -6 -c 1 -W 2 fd68::1
check "the tunnel's page is fetched through the tunnel" \
	in_dev curl -s -m 5 -o /dev/null http://10.66.0.1:8080/online/status.html
check "a user route with its own gateway" api set "$vpn" UserRoutes 10.69.0.0/24/10.66.0.1
check_wait "is in the VPN's table through it" 5 \
	bash -c "ip -n $dev route show table $vpn_table | grep -q '^10.69.0.0/24 via 10.66.0.1 dev cvpn1'"
check "Disconnect" api disconnect "$vpn"
check_wait "the tap is gone" 5 bash -c "! ip -n $dev link show cvpn1"

# The keys override the defaults.
other=$(api create Type=openvpn Name=pings Host=10.44.0.1 "${keys[@]}" \
	OpenVPN.TLSAuth="$pki/ta.key" OpenVPN.TLSAuthDir=1 OpenVPN.DeviceType=tap \
	OpenVPN.Ping=5 OpenVPN.PingExit=30 OpenVPN.RemapUsr1=SIGHUP)
check "Connect with Ping, PingExit and RemapUsr1" api connect "$other"
check "openvpn was given them, and not the defaults" \
	bash -c "a=\$(openvpn_args cvpn2) && grep -qF -- '--ping 5 ' <<<\"\$a\" &&
		 grep -qF -- '--ping-exit 30 ' <<<\"\$a\" && grep -qF -- '--remap-usr1 SIGHUP' <<<\"\$a\" &&
		 ! grep -qF -- '--ping 10 ' <<<\"\$a\" && ! grep -qF -- '--ping-exit 60 ' <<<\"\$a\""
check "Remove" api remove "$other"

check "TLSAuthDir 2: InvalidArguments" \
	api create-fails InvalidArguments Type=openvpn Name=x Host=h OpenVPN.TLSAuthDir=2
check "DeviceType tun0: InvalidArguments" \
	api create-fails InvalidArguments Type=openvpn Name=x Host=h OpenVPN.DeviceType=tun0
check "RemapUsr1 SIGKILL: InvalidArguments" \
	api create-fails InvalidArguments Type=openvpn Name=x Host=h OpenVPN.RemapUsr1=SIGKILL
check "PingExit not a number: InvalidArguments" \
	api create-fails InvalidArguments Type=openvpn Name=x Host=h OpenVPN.PingExit=soon
check "Remove" api remove "$vpn"
check "connd stops cleanly" lab_connd_stop
lab_done
