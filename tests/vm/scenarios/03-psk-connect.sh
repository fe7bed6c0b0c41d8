# A connect to the WPA2-PSK network with the passphrase given to iwd's Agent
# (iwctl's), a DHCP lease from the AP side, and a ping of the AP.
vm_us; t0=$VM_US
out=$(iwctl --passphrase "$VM_PASSPHRASE" station wlan1 connect "$VM_SSID_PSK" 2>&1)
echo "iwctl connect: $out ($(vm_elapsed "$t0")s)"
check "the connect succeeds" test -z "$out"
check "the station is connected" vm_iwd_state connected
vm_us; t0=$VM_US
lease=$(busybox udhcpc -i wlan1 -n -q -f -t 5 -T 1 -s "$VM_DIR/udhcpc.script" 2>&1)
echo "$lease ($(vm_elapsed "$t0")s)"
check "wlan1 gets a lease from the AP side" vm_has "$lease" "BOUND ip=10\.77\.0\.1[0-9][0-9] router=$VM_AP_ADDR"
check "the AP answers a ping" ping -c 1 -W 2 "$VM_AP_ADDR"
iwctl station wlan1 disconnect
check_wait "the station disconnects" 5 vm_iwd_state disconnected
ip addr flush dev wlan1
iwctl known-networks "$VM_SSID_PSK" forget
