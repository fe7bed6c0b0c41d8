# A connect to the WPA2-PSK network with the passphrase given to iwd's Agent
# (iwctl's), a DHCP lease from the AP side, and a ping of the AP.
vm_us; t0=$VM_US
out=$(iwctl --passphrase "$VM_PASSPHRASE" station wlan1 connect "$VM_SSID_PSK" 2>&1)
echo "iwctl connect: $out ($(vm_elapsed "$t0")s)"
check "the connect succeeds" test -z "$out"
check "the station is connected" vm_iwd_state connected
vm_us; t0=$VM_US
check "wlan1 gets a lease from the AP side" vm_lease
echo "$VM_LEASE ($(vm_elapsed "$t0")s)"
check "the AP answers a ping" ping -c 1 -W 2 "$VM_AP_ADDR"
check "iwd remembers the network" vm_exists "/var/lib/iwd/$VM_SSID_PSK.psk"
iwctl station wlan1 disconnect
check_wait "the station disconnects" 5 vm_iwd_state disconnected
vm_iwd_reset "$VM_SSID_PSK" psk
