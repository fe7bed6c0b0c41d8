# A wrong passphrase: iwd's Network.Connect() fails with
# net.connman.iwd.Failed (iwctl prints its message, "Operation failed"), and
# the network is not remembered.
vm_us; t0=$VM_US
out=$(iwctl --passphrase wrong-passphrase station wlan1 connect "$VM_SSID_PSK" 2>&1)
echo "iwctl connect: $out ($(vm_elapsed "$t0")s)"
check "the connect fails" vm_has "$out" "Operation failed"
check "iwd answered net.connman.iwd.Failed" vm_has "$(<"$VM_OUT/dbus-errors.log")" "error_name=net.connman.iwd.Failed"
check "the station is not connected" vm_iwd_state disconnected
check "the network is not known" test ! -e "/var/lib/iwd/$VM_SSID_PSK.psk"
vm_iwd_reset "$VM_SSID_PSK" psk
