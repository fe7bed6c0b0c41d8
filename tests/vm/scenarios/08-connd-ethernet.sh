# The host's build of connd runs in the guest: on a veth whose other end is
# bridged with the Wi-Fi networks on the AP side, connd's DHCP client gets a
# lease from the lab's dnsmasq and the service is ready; the real connmanctl
# (Debian's, unpacked on the host) reads it over the lab's bus.
ip link add eth-lab type veth peer name eth-ap netns ap
ip -n ap link set eth-ap master br0 up
ip link set eth-lab up
check "connd starts and owns net.connman" vm_connd_start eth-lab
svc=$(<"/sys/class/net/eth-lab/address"); svc=ethernet_${svc//:/}_cable
ready() { vm_has "$("$CONNMANCTL" services "$svc" 2>&1)" "State = (ready|online)"; }
vm_us; t0=$VM_US
check_wait "its ethernet service is ready" 20 ready
echo "ready after $(vm_elapsed "$t0")s"
check "it leased an address from the lab's dnsmasq" vm_has "$(ip -4 addr show eth-lab)" "inet 10\.77\.0\.1[0-9][0-9]/24"
check "it reaches the AP side" ping -c 1 -W 2 "$VM_AP_ADDR"
vm_connd_stop
check "connd stopped" test -z "$VM_CONND_PID"
ip link del eth-lab
