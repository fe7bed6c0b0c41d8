# VPN pieces of the lab, sourced after lab.sh by the VPN scenarios.
#
#   lab_vpn_init                   lab_init and the namespaces isp and dev;
#                                  skips (77) without /dev/net/tun or
#                                  Debian's openvpn, sets LAB_OPENVPN
#   lab_vpn_conf [LINE...]         LAB_CONF for connd with that openvpn, the
#                                  VPN script, the online check on isp.lab
#                                  and LINEs added to [General]
#   lab_vpn_up [LINE...]           lab_vpn_conf LINEs, the bus and connd in dev
#                                  on up0; sets dev, defines api (vpn_api.py)
#                                  and in_dev (exported for bash -c checks),
#                                  and checks that the uplink goes online
#   lab_vpn_certs                  a CA, a server and a client certificate
#                                  (openssl, made now) under $LAB_DIR/pki
#   lab_vpn_encrypted_key PASS     the client's key again, encrypted with PASS,
#                                  as $LAB_DIR/pki/client-enc.key
#   lab_openvpn_server NS ADDR     Debian's openvpn as a server on ADDR:1194/udp
#                                  (ADDR "any": every IPv4 and IPv6 address)
#                                  in NS: tun vtun0, 10.66.0.1/24 and fd66::1/64,
#                                  pushes DNS 10.66.0.1, DOMAIN vpn.lab and a
#                                  route to 10.67.0.0/24; dnsmasq on 10.66.0.1
#                                  answers secret.vpn.lab; a web server on
#                                  10.66.0.1:8080 that only the tunnel reaches.
#                                  With LAB_VPN_USERS="user:pass ..." clients
#                                  must also log in with one of those; an
#                                  entry user:pass:code wants that one-time
#                                  code too, through a static challenge
#                                  (the password "SCRV1:b64(pass):b64(code)").
#                                  LAB_VPN_DEV_TYPE=tap: vtun0 is a tap (the
#                                  server pushes its route-gateway 10.66.0.1);
#                                  LAB_VPN_TLS_AUTH=1: it wants tls-auth, key
#                                  $LAB_DIR/pki/ta.key, direction 0.

LAB_OPENVPN=${LAB_OPENVPN:-}

lab_vpn_init() {
	lab_init
	[ -e /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
	LAB_OPENVPN=$("$LAB_REPO/tests/lab/openvpn.sh") ||
		{ echo "SKIP: Debian's openvpn cannot be fetched"; exit 77; }
	lab_ns isp; lab_ns dev
}

lab_vpn_conf() {
	local line
	LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckIPv6URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000
OpenVPN = $LAB_OPENVPN
VPNScript = $LAB_BUILD/src/connd-vpn-script"
	for line in "$@"; do
		LAB_CONF+=$'\n'"$line"
	done
}

lab_vpn_up() {
	lab_vpn_conf "$@"
	lab_dbus
	lab_connd dev up0
	dev=$(lab_nsname dev)
	api() { "$LAB_PY" "$LAB_REPO/tests/net/vpn_api.py" "$@"; }
	in_dev() { ip netns exec "$dev" "$@"; }
	export -f api in_dev; export dev LAB_PY LAB_REPO
	check_wait "uplink online" 20 service_state dev up0 online
}

lab_vpn_certs() {
	local pki="$LAB_DIR/pki" who ext
	mkdir -p "$pki"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-keyout "$pki/ca.key" -out "$pki/ca.crt" -subj /CN=lab-vpn-ca 2>/dev/null || return 1
	for who in server client; do
		ext="extendedKeyUsage=${who}Auth"
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-keyout "$pki/$who.key" -out "$pki/$who.csr" -subj "/CN=$who" 2>/dev/null &&
		openssl x509 -req -in "$pki/$who.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
			-CAcreateserial -days 2 -out "$pki/$who.crt" \
			-extfile <(printf '%s\nkeyUsage=digitalSignature,keyAgreement\n' "$ext") \
			2>/dev/null || return 1
	done
}

lab_vpn_encrypted_key() {
	openssl pkey -in "$LAB_DIR/pki/client.key" -aes256 -passout "pass:$1" \
		-out "$LAB_DIR/pki/client-enc.key" 2>/dev/null
}

# lab_openvpn_isp ADDR: the usual VPN lab: dev's up0 to the ISP at ADDR/24,
# the certificates, and the OpenVPN server there (LAB_VPN_USERS as set);
# a failure ends the test.
lab_openvpn_isp() {
	lab_vpn_init
	lab_link isp eth0 dev up0
	lab_isp isp eth0 "$1/24"
	lab_vpn_certs || { fail "certificates"; lab_done; }
	lab_openvpn_server isp "$1" ||
		{ fail "the OpenVPN server starts"; cat "$LAB_DIR/openvpn-server.log" >&2; lab_done; }
}

lab_openvpn_server() {
	local ns=$1 addr=$2 pki="$LAB_DIR/pki" conf="$LAB_DIR/openvpn-server.conf" u
	local where="proto udp"$'\n'"local $addr"
	# udp6 without a local address: one dual-stack socket on every address,
	# answering from the address each client wrote to (multihome).
	[ "$addr" = any ] && where="proto udp6"$'\n'"multihome"
	[ -n "$LAB_OPENVPN" ] || LAB_OPENVPN=$("$LAB_REPO/tests/lab/openvpn.sh") || return 1
	cat >"$conf" <<-CONF
		dev vtun0
		dev-type ${LAB_VPN_DEV_TYPE:-tun}
		$where
		port 1194
		topology subnet
		server 10.66.0.0 255.255.255.0
		server-ipv6 fd66::/64
		ca $pki/ca.crt
		cert $pki/server.crt
		key $pki/server.key
		dh none
		keepalive 2 10
		push "dhcp-option DNS 10.66.0.1"
		push "dhcp-option DOMAIN vpn.lab"
		push "route 10.67.0.0 255.255.255.0"
		verb 3
	CONF
	if [ -n "${LAB_VPN_TLS_AUTH:-}" ]; then
		"$LAB_OPENVPN" --genkey secret "$pki/ta.key" || return 1
		printf 'tls-auth %s 0\n' "$pki/ta.key" >>"$conf"
	fi
	if [ -n "${LAB_VPN_USERS:-}" ]; then
		: >"$LAB_DIR/vpn-users"
		for u in $LAB_VPN_USERS; do printf '%s\n' "$u" >>"$LAB_DIR/vpn-users"; done
		# via-file: the file holds the username, then the password; a
		# static challenge's answer is the password and the code, each in
		# base64 (base64 has no ':').
		cat >"$LAB_DIR/vpn-check-user" <<-'CHECK'
			#!/bin/sh
			u=$(sed -n 1p "$1"); p=$(sed -n 2p "$1")
			users="$(dirname "$0")/vpn-users"
			case $p in
			SCRV1:*:*)
				rest=${p#SCRV1:}
				pass=$(printf %s "${rest%%:*}" | base64 -d) || exit 1
				code=$(printf %s "${rest#*:}" | base64 -d) || exit 1
				grep -qxF "$u:$pass:$code" "$users";;
			*)	grep -qxF "$u:$p" "$users";;
			esac
		CHECK
		chmod 755 "$LAB_DIR/vpn-check-user"
		printf '%s\n' "script-security 2" \
			"auth-user-pass-verify $LAB_DIR/vpn-check-user via-file" >>"$conf"
	fi
	ip netns exec "$(lab_nsname "$ns")" "$LAB_OPENVPN" --config "$conf" \
		>"$LAB_DIR/openvpn-server.log" 2>&1 &
	lab_defer "kill $!"
	lab_wait "$LAB_UP" bash -c "ip -n $(lab_nsname "$ns") addr show vtun0 2>/dev/null |
		grep -q 10.66.0.1" || return 1
	# The tunnel's DNS: a name only the VPN's server knows.
	lab_exec "$ns" dnsmasq --listen-address=10.66.0.1 --bind-interfaces --no-resolv \
		--no-hosts --address=/secret.vpn.lab/10.67.0.80 --pid-file="$LAB_DIR/dnsmasq-vpn.pid" \
		--log-facility="$LAB_DIR/dnsmasq-vpn.log" --log-queries || return 1
	lab_defer "kill \$(cat '$LAB_DIR/dnsmasq-vpn.pid')"
	# The tunnel's web page: served on the server's tun address, and refused
	# to anything that did not come through the tunnel.
	ip netns exec "$(lab_nsname "$ns")" "$LAB_PY" "$LAB_REPO/tests/lab/isp-http.py" \
		--bind 10.66.0.1 --port 8080 >"$LAB_DIR/http-vpn.log" 2>&1 &
	lab_defer "kill $!"
	lab_exec "$ns" nft -f - <<-NFT || return 1
		table inet labvpn {
			chain input {
				type filter hook input priority 0;
				tcp dport 8080 iifname != { "vtun0", "lo" } drop
			}
		}
	NFT
	lab_wait "$LAB_UP" lab_exec "$ns" bash -c "exec 3<>/dev/tcp/10.66.0.1/8080"
}
