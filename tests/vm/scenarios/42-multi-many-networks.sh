# Many networks in one scan: a second hostapd on the AP's radio beacons
# VM_MANY_NETWORKS SSIDs on channel 6, every other one WPA2-PSK: 16 by
# default, as CI runs it (three times the lab's own, in one scan); 200 for
# the figure: VM_MANY_NETWORKS=200 tests/vm/run-wifi.sh --only many.
# connd's Scan() returns, connmanctl lists a service per network with
# ConnMan's id, connd answers meanwhile, and the services go when the
# networks do. MEASURE lines: hostapd's start, scan → all listed, a
# GetServices call.
. "$VM_DIR/connd-multi-lib.sh"
n=${VM_MANY_NETWORKS:-16}

# many_conf N: one hostapd, N BSSes on channel 6 (a PSK given as hex: no
# PBKDF2 per network at start).
many_conf() {
	local i
	printf 'driver=nl80211\nctrl_interface=%s\nhw_mode=g\nchannel=6\n' "$VM_RUN/hostapd-many"
	for ((i = 0; i < $1; i++)); do
		if [ "$i" = 0 ]; then
			printf 'interface=wlanm\n'
		else
			printf '\nbss=wlanm_%d\nctrl_interface=%s\n' "$i" "$VM_RUN/hostapd-many"
		fi
		printf 'bssid=02:00:00:10:%02x:%02x\nssid=many-%03d\n' $((i / 256)) $((i % 256)) "$i"
		[ $((i % 2)) = 0 ] ||
			printf 'wpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_psk=%064d\n' "$i"
	done
}

# The ids connd must list: open ones end in _none, the others in _psk.
declare -A want
for ((i = 0; i < n; i++)); do
	printf -v ssid 'many-%03d' "$i"
	h=''
	for ((j = 0; j < ${#ssid}; j++)); do printf -v h '%s%02x' "$h" "'${ssid:j:1}"; done
	sec=none; [ $((i % 2)) = 0 ] || sec=psk
	want[wifi_${mac}_${h}_managed_$sec]=1
done

# listed_count: how many of the wanted ids connmanctl lists, in LISTED.
listed_count() {
	local id
	LISTED=0
	for id in $(ctl services); do
		[ -z "${want[$id]:-}" ] || LISTED=$((LISTED + 1))
	done
}
all_listed() { listed_count; [ "$LISTED" = "$n" ]; }
# Scan(), given the time a scan of many networks takes under TCG.
scan() { timeout $((60 * VM_SLOW)) "$VM_CTL" scan wifi 2>/dev/null | grep -q 'Scan completed'; }
# cpu PID: its user+system CPU time in clock ticks (1/100 s), in CPU.
cpu() { local f; read -ra f <"/proc/$1/stat"; CPU=$((f[13] + f[14])); }
# iwd drops a network its scan no longer finds (cfg80211 keeps a BSS 30 s).
none_after_scan() { scan; listed_count; [ "$LISTED" = 0 ]; }

many_conf "$n" >"$VM_RUN/hostapd-many.conf"
ip netns exec ap iw phy phy0 interface add wlanm type managed
vm_us; t0=$VM_US
check "hostapd starts $n BSSes" ip netns exec ap hostapd -B -P "$VM_RUN/hostapd-many.pid" \
	-f "$VM_OUT/hostapd-many.log" "$VM_RUN/hostapd-many.conf"
check_wait "the last BSS is up" 60 vm_exists "$VM_RUN/hostapd-many/wlanm_$((n - 1))"
measure "hostapd start, $n BSSes" "$t0"

# Without debug logs: connd's own cost, not its log's.
MULTI_DEBUG='' multi_connd_start
cpu "$connd"; cpu0=$CPU
vm_us; t0=$VM_US
check "Scan returns when iwd's scan is done" scan
measure "Scan() of $n networks" "$t0"
listed_count
echo "after one scan: $LISTED of $n listed"
# A BSS that had not beaconed yet is caught by the next scan.
for _ in 1 2 3; do all_listed || scan; done
check "every network listed with ConnMan's id ($LISTED of $n)" all_listed
measure "scan → $n services listed" "$t0"
cpu "$connd"
echo "MEASURE connd's CPU from Scan() to $n services listed: $(((CPU - cpu0) / 100)).$(((CPU - cpu0) % 100 / 10))s"
vm_us; t0=$VM_US
check "connd answers GetServices" dbus-send --system --print-reply --dest=net.connman / \
	net.connman.Manager.GetServices >/dev/null
measure "GetServices with $n+ services" "$t0"
check "Security psk" prop "wifi_${mac}_$(hex many-001)_managed_psk" "Security = [ psk ]"
check "Security none" prop "wifi_${mac}_$(hex many-000)_managed_none" "Security = [ none ]"

read -r pid <"$VM_RUN/hostapd-many.pid"
kill "$pid"
check_wait "hostapd ended" 30 vm_gone "$pid"
ip netns exec ap iw dev wlanm del
vm_us; t0=$VM_US
check_wait "the networks gone, their services go after a scan" 40 none_after_scan
measure "networks gone → $n services removed" "$t0"
check "the lab's networks stay" listed "$open"
multi_connd_stop
echo "cleanup: done"
