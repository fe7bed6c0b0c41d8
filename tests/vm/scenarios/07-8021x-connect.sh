# 802.1X: hostapd's own EAP server; iwd connects with PEAP/MSCHAPv2 from a
# provisioning file (the Agent's user name and password are connd's job).
# iwd watches its folder: the file appears whole.
cat >"/tmp/$VM_SSID_8021X.8021x" <<CONF
[Security]
EAP-Method=PEAP
EAP-Identity=anonymous
EAP-PEAP-CACert=$VM_OUT/ca.pem
EAP-PEAP-Phase2-Method=MSCHAPV2
EAP-PEAP-Phase2-Identity=$VM_EAP_USER
EAP-PEAP-Phase2-Password=$VM_EAP_PASSWORD
CONF
mv "/tmp/$VM_SSID_8021X.8021x" /var/lib/iwd/
vm_us; t0=$VM_US
out=$(iwctl station wlan1 connect "$VM_SSID_8021X" 2>&1)
echo "iwctl connect: $out ($(vm_elapsed "$t0")s)"
check "the connect succeeds" test -z "$out"
check "the station is connected" vm_iwd_state connected
check "hostapd's EAP server let it in" vm_has "$(<"$VM_OUT/hostapd.log")" "wlan0_4: CTRL-EVENT-EAP-SUCCESS"
check "wlan1 gets a lease" vm_lease
vm_iwd_reset "$VM_SSID_8021X" 8021x
