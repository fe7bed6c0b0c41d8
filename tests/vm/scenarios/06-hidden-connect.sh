# The hidden network: not in the scan by name, reached with
# Station.ConnectHiddenNetwork (iwctl connect-hidden) and its passphrase.
vm_iwd_scan
vm_us; t0=$VM_US
out=$(iwctl --passphrase "$VM_PASSPHRASE" station wlan1 connect-hidden "$VM_SSID_HIDDEN" 2>&1)
echo "iwctl connect-hidden: $out ($(vm_elapsed "$t0")s)"
check "the connect succeeds" test -z "$out"
check "the station is connected" vm_iwd_state connected
check "it is the hidden BSS" vm_has "$(<"$VM_OUT/hostapd.log")" "wlan0_3: AP-STA-CONNECTED"
check "wlan1 gets a lease" vm_lease
vm_iwd_reset "$VM_SSID_HIDDEN" psk
