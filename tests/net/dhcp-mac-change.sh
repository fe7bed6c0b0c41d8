#!/usr/bin/env bash
# A link whose hardware address changes (Wi-Fi address randomization, a
# user's `ip link set address`) asks DHCP with its new address: the lease,
# and the ISP's way back to the device, are for the new one.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.47.0.1/24
lab_dbus
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000"
lab_connd dev up0
check_wait "online on up0" 20 service_state dev up0 online
leases="$LAB_DIR/leases-isp-eth0"
svc=$(lab_service dev up0)
old=$(lab_exec dev cat /sys/class/net/up0/address)
check "the lease is for the link's address ($old)" grep -qi " $old " "$leases"

new=02:47:00:00:00:99
lab_exec dev ip link set up0 down
lab_exec dev ip link set up0 address "$new"
lab_exec dev ip link set up0 up
check_wait "the service (same id) shows the new address" 10 bash -c \
	"lab_connmanctl services $svc | grep -qi 'Address=$new'"
check_wait "online again" 20 bash -c "lab_connmanctl services $svc | grep -qx '  State = online'"
check_wait "the ISP's DHCP server leased to the new address" 10 grep -qi " $new " "$leases"
addr=$(lab_exec dev ip -4 -o addr show up0 | awk '{print $4}' | cut -d/ -f1)
check "the ISP reaches the device at $addr" lab_exec isp ping -c 1 -W 2 "$addr"
check "connd stops cleanly" lab_connd_stop
lab_done
