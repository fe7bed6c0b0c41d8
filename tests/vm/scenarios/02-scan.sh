# A scan lists the open, PSK, SAE and 802.1X networks by name with iwd's
# types, and not the hidden one.
vm_us; t0=$VM_US
iwctl station wlan1 scan
echo "iwctl scan returned after $(vm_elapsed "$t0")s"
vm_wait 10 vm_iwd_scan_done
echo "scan done after $(vm_elapsed "$t0")s"
out=$(iwctl station wlan1 get-networks)
echo "$out"
has() { [[ $out =~ $1 ]]; }
check "the open network is listed as open" has " $VM_SSID_OPEN +open "
check "the PSK network is listed as psk" has " $VM_SSID_PSK +psk "
check "the SAE network is listed as psk" has " $VM_SSID_SAE +psk "
check "the 802.1X network is listed as 8021x" has " $VM_SSID_8021X +8021x "
check "the hidden network is not listed by name" vm_lacks "$out" "$VM_SSID_HIDDEN"
