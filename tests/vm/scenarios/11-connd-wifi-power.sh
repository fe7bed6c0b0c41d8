# connd on the real iwd, continued: a DHCP lease and the default route on
# wlan1 (the open network, on the AP's bridge), Powered reaching iwd's
# device, iwd killed with -9 and back; the open network forgotten at the end.
. "$VM_DIR/connd-wifi-lib.sh"
connd_start
check_wait "the open network is listed" 10 listed "$open"
start=$(vm_now)
check "Connect the open network" sh -c "'$VM_CTL' connect '$open' | grep -q Connected"
echo "connect took $(awk "BEGIN { print $(vm_now) - $start }")s"
check "ready" prop "$open" "State = ready"
check "a DHCP address on wlan1" addr_on_wlan1
check "the default route on wlan1" route_on_wlan1
ctl disconnect "$open" >/dev/null
check_wait "the address went" 5 no_addr

ctl disable wifi >/dev/null
check_wait "Powered off reaches iwd's device" 5 device_powered false
ctl enable wifi >/dev/null
check_wait "and on" 5 device_powered true
check_wait "the networks come back" 15 listed "$open"

read -r VM_IWD_PID <"$VM_RUN/iwd.pid"
kill -9 "$VM_IWD_PID"
check_wait "iwd killed: the technology goes" 5 no_wifi
vm_iwd_start
check_wait "iwd back: the technology" 10 has_wifi
connd_stop
# iwd knows the open network now: forgotten, or it autoconnects it in the
# next scenario, under that scenario's own connects.
vm_iwd_reset "$VM_SSID_OPEN" open
check_wait "iwd forgot the open network" 5 eval '! iwd_has KnownNetwork'
