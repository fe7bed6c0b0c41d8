#!/usr/bin/env bash
# VPNs provisioned by .config files in ConnMan's VPN format (the state dir's
# vpn-config/, --vpn-config-dir): read at start, Immutable (SetProperty,
# ClearProperty and Remove refused as ConnMan's vpnd refuses them), never
# saved as the user's, connected for real against the lab's OpenVPN server;
# a file added, changed or removed while connd runs adds, re-creates or
# removes its connection; bad files and groups are named in the log and
# create nothing; a restart finds the same connections once.
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/../lab/vpn.sh"
lab_require_root
lab_openvpn_isp 10.44.0.1
lab_vpn_conf
pki="$LAB_DIR/pki"
conf="$LAB_DIR/state-dev/vpn-config"
mkdir -p "$conf"
# write NAME TEXT: atomically, as tools should (a rename is one event).
write() { printf '%s\n' "$2" >"$conf/.$1.tmp" && mv "$conf/.$1.tmp" "$conf/$1"; }
office() {
	printf '%s\n' "[global]" "Name = Office" "Description = the lab's VPN" "" \
		"[provider_office]" "Type = OpenVPN" "Name = ${1:-Office}" "Host = 10.44.0.1" \
		"Domain = office.lab" "Networks = 10.67.0.0/255.255.255.0, fd67::/64" \
		"OpenVPN.CACert = $pki/ca.crt" "OpenVPN.Cert = $pki/client.crt" \
		"OpenVPN.Key = $pki/client.key"
}
write office.config "$(office)"
lab_dbus
lab_connd dev up0
dev=$(lab_nsname dev)
api() { "$LAB_PY" "$LAB_REPO/tests/net/vpn_api.py" "$@"; }
in_dev() { ip netns exec "$dev" "$@"; }
export -f api in_dev lab_connmanctl; export dev LAB_PY LAB_REPO
vpn=/net/connman/vpn/connection/10_44_0_1_office_lab
log="$LAB_DIR/connd-dev.log"
check_wait "uplink online" 20 service_state dev up0 online

check "the provisioned connection exists at start" bash -c "api paths | grep -x $vpn >/dev/null"
check "Immutable is true" bash -c "[ \"\$(api prop $vpn Immutable)\" = 1 ]"
check "Name, Type, Host and Domain are the file's" \
	bash -c "[ \"\$(api prop $vpn Name)\" = Office ] && [ \"\$(api prop $vpn Type)\" = openvpn ] &&
		 [ \"\$(api prop $vpn Host)\" = 10.44.0.1 ] && [ \"\$(api prop $vpn Domain)\" = office.lab ]"
check "Networks became UserRoutes (IPv4 and IPv6)" \
	bash -c "api prop $vpn UserRoutes | grep -q 10.67.0.0 && api prop $vpn UserRoutes | grep -q fd67::"
check "the provider keys are the file's" bash -c "[ \"\$(api prop $vpn OpenVPN.CACert)\" = $pki/ca.crt ]"
check "connmanctl vpnconnections lists it" bash -c "lab_connmanctl vpnconnections | grep -q 10_44_0_1_office_lab"
check "SetProperty: NotSupported" api fails NotSupported set "$vpn" OpenVPN.Port 1195
check "SetProperty SplitRouting: NotSupported" api fails NotSupported set "$vpn" SplitRouting true
check "ClearProperty: NotSupported" api fails NotSupported clear "$vpn" OpenVPN.CACert
check "Remove: NotSupported" api fails NotSupported remove "$vpn"
check "Create over the same Host and Domain is refused" \
	api create-fails PermissionDenied Type=openvpn Name=mine Host=10.44.0.1 Domain=office.lab
check "the file's values are unchanged" \
	bash -c "[ \"\$(api prop $vpn Name)\" = Office ] && [ -z \"\$(api prop $vpn OpenVPN.Port 2>/dev/null)\" ]"
check "nothing of it is saved as the user's" bash -c "! ls $LAB_DIR/state-dev/vpn 2>/dev/null | grep -q office"

check "Connect the provisioned VPN" api connect "$vpn"
check "State ready" bash -c "[ \"\$(api prop $vpn State)\" = ready ]"
check "the tunnel's page is fetched through it" \
	in_dev curl -s -m 5 -o /dev/null http://10.66.0.1:8080/online/status.html
check "its Networks are routes in the VPN's table" \
	bash -c "ip -n $dev route show table all | grep -q '^10.67.0.0/24 dev cvpn1 table'"
check "Disconnect" api disconnect "$vpn"
check_wait "State idle" 5 bash -c "[ \"\$(api prop $vpn State)\" = idle ]"

# A file added while connd runs.
write lab.config "[provider_lab]
Type = openvpn
Name = Lab
Host = 10.44.0.9
Domain = lab.example
OpenVPN.CACert = $pki/ca.crt"
lab_vpn=/net/connman/vpn/connection/10_44_0_9_lab_example
check_wait "a file added: its connection appears" 5 bash -c "api paths | grep -x $lab_vpn >/dev/null"
check "two connections" bash -c "[ \"\$(api count)\" = 2 ]"
check "the log says which file provisioned it" grep -q "$lab_vpn provisioned by $conf/lab.config \[provider_lab\]" "$log"

# A file changed: its connection is made again with the new values.
write office.config "$(office 'Office 2')"
check_wait "a file changed: the connection has its new Name" 5 \
	bash -c "[ \"\$(api prop $vpn Name)\" = 'Office 2' ]"
check "still two connections" bash -c "[ \"\$(api count)\" = 2 ]"
check "the other file's connection was left alone" \
	bash -c "[ \$(grep -c 'provisioned by $conf/lab.config' $log) = 1 ]"

# Bad files: named in the log, nothing created.
write bad-host.config "[provider_x]
Type = openvpn
Name = X
Host = a b
Domain = x.lab"
write bad-key.config "[provider_y]
Type = openvpn
Name = Y
Host = 10.44.0.20
Domain = y.lab
OpenVPN.Bogus = 1"
write bad-type.config "[provider_z]
Type = pptp
Name = Z
Host = 10.44.0.21
Domain = z.lab"
write no-domain.config "[provider_w]
Type = openvpn
Name = W
Host = 10.44.0.22"
write twice.config "[provider_again]
Type = openvpn
Name = Again
Host = 10.44.0.9
Domain = lab.example
OpenVPN.CACert = $pki/ca.crt"
check_wait "a bad Host: the log names file and line" 5 grep -q "bad-host.config:4: Host 'a b' is not valid" "$log"
check_wait "an unknown provider key: the log names file and group" 5 \
	grep -q "bad-key.config \[provider_y\]: not provisioned: unknown provider key" "$log"
check_wait "an unsupported type: the log says so" 5 \
	grep -q "bad-type.config \[provider_z\]: not provisioned: this VPN type is not supported" "$log"
check_wait "no Domain: the log says so" 5 grep -q "no-domain.config:.*\[provider_w\]: no Domain; ignored" "$log"
check_wait "the same connection twice: the log says which file has it" 5 \
	grep -qE "(twice|lab).config \[provider_(again|lab)\]: not provisioned: .* already provisions $lab_vpn" "$log"
check "the bad files created nothing" bash -c "[ \"\$(api count)\" = 2 ]"
rm -f "$conf/bad-host.config" "$conf/bad-key.config" "$conf/bad-type.config" \
	"$conf/no-domain.config" "$conf/twice.config"

# A restart: the same connections, once each, still immutable.
check "connd stops cleanly" lab_connd_stop
lab_connd dev up0
check_wait "uplink online after the restart" 20 service_state dev up0 online
check "after a restart: the same two connections" \
	bash -c "[ \"\$(api count)\" = 2 ] && api paths | grep -x $vpn >/dev/null && api paths | grep -x $lab_vpn >/dev/null"
check "still Immutable, with the changed Name" \
	bash -c "[ \"\$(api prop $vpn Immutable)\" = 1 ] && [ \"\$(api prop $vpn Name)\" = 'Office 2' ]"

# A file removed: its connection goes, even while connected.
check "Connect again" api connect "$vpn"
rm -f "$conf/office.config"
check_wait "a file removed: its connection goes" 5 bash -c "! api paths | grep -x $vpn >/dev/null"
check_wait "and its tunnel with it" 5 bash -c "! ip -n $dev link show cvpn1"
check "no route of it is left" bash -c "! ip -n $dev route show table all | grep -q cvpn1"
check "the service is gone" bash -c "! lab_connmanctl services | grep -q vpn_10_44_0_1_office_lab"
rm -f "$conf/lab.config"
check_wait "the other file removed: no connection left" 5 bash -c "[ \"\$(api count)\" = 0 ]"
check "connd stops cleanly" lab_connd_stop
lab_done
