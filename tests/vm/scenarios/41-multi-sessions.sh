# Sessions on two bearers: app W (uid 1) allows only wifi, app E (uid 2)
# only ethernet, both bearers up, the default route on the cable. Each app's
# datagrams reach the server of its own bearer, from that bearer's address
# (each side counts them by source). Its bearer taken away (E: the cable out,
# W: the Wi-Fi service disconnected), its datagrams reach neither server while
# the other app's still flow, and its own flow again when the bearer returns.
# The nftables data path (SessionDataPath=nftables): the guest has no cgroup
# v2 mount for the BPF one. On that path a socket's own address is the main
# table's; its packets' source is fixed up, which the counters check.
. "$VM_DIR/connd-multi-lib.sh"
check "the wired ISP is up" isp_up

# First without a data path: nft_objref (named counters by map) absent, and
# the guest's kernel cannot load it on demand. connd refuses the session
# rather than let its traffic take whichever bearer has the default route.
[[ $(</proc/modules) != *"nft_objref "* ]] || modprobe -r nft_objref
if [[ $(</proc/modules) == *"nft_objref "* ]]; then
	echo "skip: nft_objref is in use, connd's nftables path cannot be made to fail"
else
	multi_connd_start
	# busctl (compiled): python with dbus and gi takes seconds to start here.
	setpriv --reuid=3 --regid=3 --clear-groups busctl --system call net.connman / \
		net.connman.Manager CreateSession 'a{sv}o' 1 AllowedBearers as 1 wifi /app/x >/dev/null 2>&1
	refused() { vm_has "$(<"$VM_OUT/dbus-errors.log")" "error_name=net.connman.Error.NotSupported"; }
	check_wait "no data path: CreateSession fails with NotSupported" 5 refused
	multi_connd_stop
fi
check "nft_objref loads" modprobe nft_objref

multi_connd_start
both_up
check_wait "the default route on the cable" 5 route_on eth-lab
app_start W 1 AllowedBearers=wifi
app_start E 2 AllowedBearers=ethernet
check "app W has a session" app_started W
check "app E has a session" app_started E
check "W rides wlan1" app_is W ok wait Interface wlan1
check "E rides eth-lab" app_is E ok wait Interface eth-lab

# got NS PORT N: NS's server has received N datagrams on PORT, all of them
# from the address its bearer gave us.
got() { [ "$(srv_count "$1" "$2")" = "$3" ] && [ "$(srv_count "$1" "$2" from)" = "$3" ]; }
check "W sends 3 datagrams" app_is W ok udp "$SRV_ADDR" 5001 3
check "E sends 3 datagrams" app_is E ok udp "$SRV_ADDR" 5002 3
check_wait "W's reached the AP side's server, from wlan1's address" 5 got ap 5001 3
check_wait "E's reached the wired ISP's server, from eth-lab's address" 5 got isp 5002 3
check "none of W's on the cable" got isp 5001 0
check "none of E's on Wi-Fi" got ap 5002 0

ip -n isp link set eth-isp down
check_wait "cable out: the default route on Wi-Fi" 5 route_on wlan1
check "E is told its bearer is gone" app_is E ok wait State disconnected
app_say E udp "$SRV_ADDR" 5002 3 >/dev/null
check "W's traffic still flows" app_is W ok udp "$SRV_ADDR" 5001 3
check_wait "W's reached the AP side's server" 5 got ap 5001 6
check "E's datagrams never took Wi-Fi, the default now" got ap 5002 0
check "nor the cable" got isp 5002 3
ip -n isp link set eth-isp up
check "cable in: E rides eth-lab again" app_is E ok wait Interface eth-lab 20
check "E sends 3 datagrams" app_is E ok udp "$SRV_ADDR" 5002 3
check_wait "they reach the wired ISP's server" 5 got isp 5002 6

ctl disconnect "$open" >/dev/null
check "Wi-Fi disconnected: W is told its bearer is gone" app_is W ok wait State disconnected
app_say W udp "$SRV_ADDR" 5001 3 >/dev/null
check "E's traffic still flows" app_is E ok udp "$SRV_ADDR" 5002 3
check_wait "E's reached the wired ISP's server" 5 got isp 5002 9
check "W's datagrams never took the cable" got isp 5001 0
check "nor Wi-Fi" got ap 5001 6
check "Wi-Fi connected again" sh -c "'$VM_CTL' connect '$open' | grep -q Connected"
check "W rides wlan1 again" app_is W ok wait Interface wlan1 20
check "W sends 3 datagrams" app_is W ok udp "$SRV_ADDR" 5001 3
check_wait "they reach the AP side's server" 5 got ap 5001 9
check "none of W's on the cable, ever" got isp 5001 0
check "none of E's on Wi-Fi, ever" got ap 5002 0

app_stop W
app_stop E
multi_connd_stop
echo "cleanup: iwd"
vm_iwd_reset "$VM_SSID_OPEN" open
echo "cleanup: isp"
isp_down
echo "cleanup: done"
