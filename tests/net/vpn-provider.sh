#!/usr/bin/env bash
# net.connman.Manager's deprecated ConnectProvider and RemoveProvider, as
# ConnMan answers them (through its vpnd): ConnectProvider creates the VPN
# from the same keys as net.connman.vpn's Create (the domain as VPN.Domain),
# connects it and answers, once connected, with the VPN's service path;
# RemoveProvider of that path removes it. Errors are net.connman's.
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/../lab/vpn.sh"
lab_require_root
LAB_VPN_USERS="alice:s3cret"
lab_openvpn_isp 10.48.0.1
lab_vpn_up
echo s3cret >"$LAB_DIR/vpn-password"
"$LAB_PY" "$LAB_REPO/tests/lab/vpn-agent.py" alice "$LAB_DIR/vpn-password" "$LAB_DIR/agent.log" &
lab_defer "kill $!"
check_wait "a VPN agent registers" "$LAB_UP" grep -q registered "$LAB_DIR/agent.log"

pki="$LAB_DIR/pki"
keys=(Type=openvpn Name=lab Host=10.48.0.1 VPN.Domain=vpn.lab OpenVPN.CACert="$pki/ca.crt"
      OpenVPN.Cert="$pki/client.crt" OpenVPN.Key="$pki/client.key" OpenVPN.AuthUserPass=-)
svc=/net/connman/service/vpn_10_48_0_1_vpn_lab
vpn=/net/connman/vpn/connection/10_48_0_1_vpn_lab
check "ConnectProvider without VPN.Domain: InvalidArguments" \
	api provider-fails InvalidArguments connect Type=openvpn Name=lab Host=10.48.0.1
check "ConnectProvider without Name: NotSupported" \
	api provider-fails NotSupported connect Type=openvpn Host=10.48.0.1 VPN.Domain=vpn.lab
check "ConnectProvider of a type connd does not run: NotSupported" \
	api provider-fails NotSupported connect Type=l2tp Name=x Host=10.48.0.1 VPN.Domain=vpn.lab
check "nothing was created" test "$(api count)" = 0

out=$(api connect-provider "${keys[@]}")
check "ConnectProvider answers with the VPN's service path" test "$out" = "$svc"
check "the connection is ready when it answers" test "$(api prop $vpn State)" = ready
check "its Domain is VPN.Domain's" test "$(api prop $vpn Domain)" = vpn.lab
check "its Index is the tunnel's ifindex" \
	test "$(api prop $vpn Index)" = "$(lab_exec dev cat /sys/class/net/cvpn1/ifindex)"
check "its IPv4 names the server as Gateway, as ConnMan's vpnd" \
	bash -c "'$LAB_PY' '$LAB_REPO/tests/net/vpn_api.py' prop $vpn IPv4 | grep -qx Gateway=10.48.0.1"
check "the tunnel has the pushed address" \
	bash -c "ip -n $dev -4 addr show cvpn1 | grep -q 'inet 10.66.0.'"
check "the connected VPN's service has ConnMan's Provider dictionary" test \
	"$(api service-provider $svc)" = "Domain=vpn.lab Host=10.48.0.1 Name=lab SplitRouting=0 Type=openvpn"
check "an ethernet service's Provider is empty" \
	test "$(api service-provider /net/connman/service/$(lab_service dev up0))" = -
out=$(api connect-provider "${keys[@]}" 2>&1)
check "ConnectProvider of the connected VPN: AlreadyConnected" \
	grep -q 'net.connman.Error.AlreadyConnected' <<<"$out"
check "still one connection" test "$(api count)" = 1

check "RemoveProvider of the service" api remove-provider "$svc"
check "the connection is gone" test "$(api count)" = 0
check "Create takes VPN.Domain as Domain too, as ConnMan's vpnd" \
	test "$(api create Type=openvpn Name=x Host=10.48.0.2 VPN.Domain=other.lab)" = \
	/net/connman/vpn/connection/10_48_0_2_other_lab
other=/net/connman/vpn/connection/10_48_0_2_other_lab
# ConnMan's vpnd answers a value of the wrong type with InvalidProperty.
check "SetProperty SplitRouting as a string: InvalidProperty" \
	api fails InvalidProperty set-string "$other" SplitRouting true
check "SetProperty UserRoutes as a string: InvalidProperty" \
	api fails InvalidProperty set-string "$other" UserRoutes 10.1.0.0/16
check "removed" api remove "$other"
check_wait "its tunnel is gone" 5 bash -c "! ip -n $dev link show cvpn1"
check "RemoveProvider of it again: NotFound" api provider-fails NotFound remove "$svc"
check "RemoveProvider of an ethernet service: NotFound" \
	api provider-fails NotFound remove "/net/connman/service/$(lab_service dev up0)"
check "connd stops cleanly" lab_connd_stop
lab_done
