# iwd is up on the private bus with wlan1's station, and the AP side serves
# its five BSSes from phy0 in the namespace "ap".
check "iwd has a station" vm_iwd_station
check "wlan1 stays in the guest's namespace" vm_netdev wlan1
check "phy0 went to the namespace ap" sh -c '! test -e /sys/class/ieee80211/phy0'
check "hostapd runs its five BSSes" vm_ap_netdev wlan0_4
