# Ethernet and Wi-Fi together through connd: a cable to a DHCP "ISP" and the
# lab's open network, both ready. The default route follows ConnMan's ranking
# (ethernet first), then PreferredTechnologies (wifi first); it moves to the
# other bearer when the cable comes out (carrier down on the ISP's end) and
# when the AP goes (hostapd killed by its PID), and comes back when the cable
# or the AP returns (iwd autoconnects the known network, connd follows). Each
# move is printed as a MEASURE line; the issue asks for a second, the check
# allows a generous bound for a loaded host.
. "$VM_DIR/connd-multi-lib.sh"
check "the wired ISP is up" isp_up
check "iwd scans periodically" iwd_periodic
multi_connd_start
both_up
check_wait "ConnMan's order: the default route on the cable" 5 route_on eth-lab
check "the wired ISP's server answers" ping -c 1 -W 2 "$SRV_ADDR"
check "both default routes are installed" vm_has "$(ip -4 route show default)" "dev wlan1"

vm_us; t0=$VM_US
ip -n isp link set eth-isp down
check "cable out: the default route moves to Wi-Fi" \
	failover eth-lab wlan1 "$t0" "cable out → default route on wlan1"
check_wait "the ethernet service is no longer ready" 5 svc_down "$eth_svc"
check "the AP side's server answers" ping -c 1 -W 2 "$SRV_ADDR"
vm_us; t0=$VM_US
ip -n isp link set eth-isp up
check_wait "cable in: the default route back on the cable" 20 route_on eth-lab
measure "cable in → default route on eth-lab" "$t0"

multi_connd_stop
multi_connd_start wifi,ethernet
both_up
check_wait "PreferredTechnologies=wifi,ethernet: the default route on Wi-Fi" 5 route_on wlan1
check "the default service is the Wi-Fi one" vm_has "$(ctl services | head -n 1)" "$open"

read -r hostapd <"$VM_RUN/hostapd.pid"
vm_us; t0=$VM_US
kill "$hostapd"
check "AP gone: the default route moves to the cable" \
	failover wlan1 eth-lab "$t0" "AP gone → default route on eth-lab"
check_wait "hostapd ended" 10 vm_gone "$hostapd"
check_wait "the Wi-Fi service is no longer ready" 10 svc_down "$open"
vm_us; t0=$VM_US
check "the AP comes back" vm_hostapd_start
measure "hostapd start" "$t0"
vm_us; t0=$VM_US
check_wait "iwd autoconnects, connd follows: the default route on Wi-Fi" 30 route_on wlan1
measure "AP back → default route on wlan1 (iwd's scan and connect, connd's DHCP)" "$t0"
check "the Wi-Fi service is ready" svc_ready "$open"
check "the default service is the Wi-Fi one again" vm_has "$(ctl services | head -n 1)" "$open"

multi_connd_stop
iwd_lab
isp_down
echo "cleanup: done"
