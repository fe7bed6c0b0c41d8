# WPA3-SAE: iwd lists it as psk and connects with the passphrase through the
# Agent; the AP side sees an SAE association.
vm_us; t0=$VM_US
out=$(iwctl --passphrase "$VM_PASSPHRASE" station wlan1 connect "$VM_SSID_SAE" 2>&1)
echo "iwctl connect: $out ($(vm_elapsed "$t0")s)"
check "the connect succeeds" test -z "$out"
check "the station is connected" vm_iwd_state connected
check "the SAE-only BSS completed its handshake" vm_has "$(<"$VM_OUT/hostapd.log")" "wlan0_2: EAPOL-4WAY-HS-COMPLETED"
check "wlan1 gets a lease" vm_lease
check "the AP answers a ping" ping -c 1 -W 2 "$VM_AP_ADDR"
vm_iwd_reset "$VM_SSID_SAE" psk
