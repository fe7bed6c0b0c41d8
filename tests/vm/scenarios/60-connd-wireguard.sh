# WireGuard through connd, in Debian's kernel (the host's has no WireGuard):
# a peer in the namespace "ap" set up with Debian's `wg`, a page and a DNS
# server only reachable through the tunnel; connd's Create (Type=wireguard),
# Connect → ready (measured), `wg show` as the oracle of what connd told the
# kernel, traffic and DNS through the tunnel, the private key nowhere on the
# bus, Disconnect → the link gone; kill -9 leaves the link (a kernel object,
# not a child) and the next connd removes it.
check "the wireguard module loads" modprobe wireguard
ip link add eth-lab type veth peer name eth-ap netns ap
ip -n ap link set eth-ap master br0 up
ip link set eth-lab up
umask 077
peer_key=$(wg genkey); peer_pub=$(wg pubkey <<<"$peer_key")
my_key=$(wg genkey); my_pub=$(wg pubkey <<<"$my_key")
psk=$(wg genpsk)
printf '%s\n' "$peer_key" >"$VM_RUN/wg-peer.key"
printf '%s\n' "$psk" >"$VM_RUN/wg.psk"
ip -n ap link add wg0 type wireguard
ip netns exec ap wg set wg0 private-key "$VM_RUN/wg-peer.key" listen-port 51820 \
	peer "$my_pub" preshared-key "$VM_RUN/wg.psk" allowed-ips 10.99.0.2/32
ip -n ap addr add 10.99.0.1/24 dev wg0
ip -n ap link set wg0 up
# Only through the tunnel: the AP side takes nothing for 10.99.0.0/24 from br0.
printf 'table inet wgtest { chain in { type filter hook input priority 0; %s; }; }\n' \
	'ip daddr 10.99.0.0/24 iifname != "wg0" drop' | ip netns exec ap nft -f -
mkdir -p "$VM_RUN/www"
echo through-the-tunnel >"$VM_RUN/www/index.html"
ip netns exec ap busybox httpd -f -p 10.99.0.1:8080 -h "$VM_RUN/www" &
httpd=$!
ip netns exec ap dnsmasq --no-resolv --no-hosts --listen-address=10.99.0.1 --bind-interfaces \
	--address=/secret.wg.lab/10.99.0.80 --pid-file="$VM_RUN/dnsmasq-wg.pid"

vm_us; t_start=$VM_US
check "connd starts" vm_connd_start eth-lab
ip_of() { local a; a=$(ip -4 -o addr show eth-lab); [[ $a =~ inet\ 10\.77\.0\. ]]; }
check_wait "the uplink has its lease" 20 ip_of
page() { curl -s -m 3 http://10.99.0.1:8080/ 2>/dev/null | grep -qx through-the-tunnel; }
check "the page is out of reach without the tunnel" bash -c "! curl -s -m 1 http://10.99.0.1:8080/"

# busctl (compiled) rather than python-dbus, which takes seconds to start here.
vpn=$(busctl --system call net.connman.vpn / net.connman.vpn.Manager Create 'a{sv}' 11 \
	Type s wireguard Name s wg Host s 10.77.0.1 Domain s wg.lab \
	WireGuard.PrivateKey s "$my_key" WireGuard.PublicKey s "$peer_pub" \
	WireGuard.PresharedKey s "$psk" WireGuard.Address s 10.99.0.2/24 \
	WireGuard.AllowedIPs s 0.0.0.0/0 WireGuard.DNS s 10.99.0.1 WireGuard.PersistentKeepalive s 25)
vpn=${vpn#o \"}; vpn=${vpn%\"}
svc=vpn_10_77_0_1_wg_lab
echo "created at $(vm_elapsed "$t_start")s"
check "Create returns its path" [ "$vpn" = /net/connman/vpn/connection/10_77_0_1_wg_lab ]
props() {
	dbus-send --system --print-reply --dest=net.connman.vpn "$vpn" \
		net.connman.vpn.Connection.GetProperties 2>/dev/null
}
# Keys are base64 ('+' is no regex): matched as plain text.
has() { [[ $1 == *"$2"* ]]; }
no_secrets() {
	[[ $p != *PrivateKey* && $p != *PresharedKey* && $p != *"$my_key"* && $p != *"$psk"* ]]
}
p=$(props)
check "GetProperties shows the peer's public key" has "$p" "$peer_pub"
check "and neither the private nor the preshared key" no_secrets
state() { vm_has "$("$CONNMANCTL" services "$svc" 2>&1)" "State = $1"; }
vm_us; t0=$VM_US
check "connmanctl connect $svc" timeout 20 "$CONNMANCTL" connect "$svc"
check_wait "ready" 10 state "(ready|online)"
echo "MEASURE wireguard Connect -> ready: $(vm_elapsed "$t0")s"
# wg's dump: our private key, public key, port (the kernel's choice), fwmark
# (MARK_OWN); then the peer: its key, the preshared key, endpoint, allowed
# IPs, handshake, rx, tx, keepalive.
w=$(wg show cwg1 dump)
check "wg show: the private key connd was given, fwmark 0x80000" \
	has "$w" "$my_key	$my_pub	"
check "wg show: fwmark 0x80000" vm_has "${w%%$'\n'*}" "	[0-9]+	0x80000$"
check "wg show: the peer, its preshared key, endpoint, allowed IPs" \
	has "$w" "$peer_pub	$psk	10.77.0.1:51820	0.0.0.0/0	"
check "wg show: keepalive 25" vm_has "${w##*$'\n'}" "	25$"
check "cwg1 has the address" vm_has "$(ip -4 addr show cwg1)" "inet 10\.99\.0\.2/24"
r=$(ip route show table all)
check "the VPN's table: the default through cwg1" vm_has "$r" "default dev cwg1 table"
check "the endpoint's host route on the uplink" vm_has "$r" "10\.77\.0\.1 via 10\.77\.0\.1 dev eth-lab table|10\.77\.0\.1 dev eth-lab table"
check "the page through the tunnel" page
check "a handshake happened" bash -c "wg show cwg1 latest-handshakes | awk '{ exit !(\$2 > 0) }'"
check "a name only the tunnel's DNS knows" \
	bash -c "dig +short +time=2 +tries=2 @127.0.0.1 secret.wg.lab | grep -qx 10.99.0.80"
check "the private key is in no log of connd's" bash -c "! grep -qF -- '$my_key' '$VM_OUT/connd.log'"
check "Disconnect" timeout 10 "$CONNMANCTL" disconnect "$svc"
check_wait "idle" 5 state idle
check_wait "the link is gone" 5 bash -c "! ip link show cwg1 2>/dev/null"
check "no route of the VPN is left" bash -c "! ip route show table all | grep -q cwg1"

echo "disconnected at $(vm_elapsed "$t_start")s"
# kill -9: the link stays in the kernel; the next connd removes it.
timeout 20 "$CONNMANCTL" connect "$svc" >/dev/null
check_wait "ready again" 10 state "(ready|online)"
kill -9 "$VM_CONND_PID"; wait "$VM_CONND_PID" 2>/dev/null; VM_CONND_PID=
check "after kill -9 the link remains" vm_netdev cwg1
check "connd starts again" vm_connd_start eth-lab
check_wait "it removed the link left behind" 5 bash -c "! ip link show cwg1 2>/dev/null"
check "and said so" grep -q "removed the wireguard link cwg1" "$VM_OUT/connd.log"
check "the connection is back, idle" state idle
check "Remove" dbus-send --system --print-reply --dest=net.connman.vpn / \
	net.connman.vpn.Manager.Remove "objpath:$vpn"

vm_connd_stop
kill "$httpd" 2>/dev/null
kill "$(<"$VM_RUN/dnsmasq-wg.pid")" 2>/dev/null
ip netns exec ap nft delete table inet wgtest
ip -n ap link del wg0
ip link del eth-lab
rm -rf /var/lib/connd/vpn
