#!/usr/bin/env bash
# bench/wifi: Wi-Fi side by side in one VM of the Wi-Fi lab (tests/vm/, real
# iwd and hostapd on mac80211_hwsim), RUNS times each, the PSK network
# forgotten before every connect so the agent is asked each time:
#   scan -> services listed   Technology.Scan() until it returns and the lab's
#                             networks are services (raw iwd: Station.Scan until
#                             Scanning is false and the ordered list is read)
#   Connect -> associated     Service.Connect() until State=configuration (raw
#                             iwd: Network.Connect until the station is connected)
#   Connect -> ready          until State=ready, DHCP done (the floor: iwd
#                             configuring IP itself, until wlan1 has its address)
#   Connect -> online         until State=online (HTTP check on the AP's side)
#   AP gone -> ethernet       hostapd disabled until the default route is on the
#                             wired uplink (Wi-Fi preferred while both are up)
# for connd, raw iwd (iwctl's API, the floor) and ConnMan 1.41 through its iwd
# plugin. Prints median, min and max of each, and connd's ratios. By hand, not
# in CI: one VM run takes a few minutes.
# Measured 2026-12-06, RUNS=5, the host quiet (medians, min-max, ms):
#   scan          iwd 1083 (1045-1166)  connd 919 (872-970)   ConnMan 931
#   associated    iwd 504 (401-605)     connd 518 (438-613)   ConnMan 297 (its
#                 configuration state comes before iwd says connected)
#   ready         iwd+DHCP 630 (494-1242) connd 578 (529-749) ConnMan 5871
#   online        connd 607 (562-750); ConnMan never online here (not looked into)
#   AP gone       connd 319 (291-360)   ConnMan 313 (272-424)
# connd ready / iwd's own connect with its DHCP: 0.92 (the goal: <= 1.10);
# connd's DHCP step (configuration -> ready) 60-152 ms, median 97; iwd's own
# (Connect reply -> address) median 100. With four other VMs on the two
# cores the spread was 3-10 times wider and the ratios meaningless.
#   bench/wifi/run.sh [BUILD]      RUNS=5, KEEP=1 keeps the VM's logs,
#                                  LOGS=DIR prints the figures of kept logs
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
RUNS=${RUNS:-5}
[ -x "$BUILD/src/connd" ] || { echo "no $BUILD/src/connd: build first" >&2; exit 1; }
"$REPO/tests/lab/connman.sh" connmand >/dev/null || echo "ConnMan's package could not be unpacked" >&2

work=$(mktemp -d /tmp/bench-wifi.XXXX)
trap 'rm -rf "$work"' EXIT
if [ -n "${LOGS:-}" ]; then
	logs=$LOGS	# the figures of an earlier run (KEEP=1, or run-wifi.sh --keep)
else
	# The scenario the VM runs: the guest part with RUNS (the guest sees the
	# host's / read-only, /tmp included).
	printf 'RUNS=%d\n. "$VM_REPO/bench/wifi/guest.sh"\n' "$RUNS" >"$work/90-wifi-bench.sh"
	VM_SCENARIO_LIMIT=$((120 + RUNS * 90)) VM_LIMIT=$((300 + RUNS * 120)) REPO=$REPO BUILD=$BUILD \
		"$REPO/tests/vm/run-wifi.sh" --keep "$work/90-wifi-bench.sh" >"$work/vm.out" 2>&1
	rc=$?
	cat "$work/vm.out"
	logs=$(sed -n 's/^wifi: logs kept in //p' "$work/vm.out")
	[ -n "${KEEP:-}" ] || trap 'rm -rf "$work" "$logs"' EXIT
fi
[ -n "$logs" ] && [ -s "$logs/bench.txt" ] || { echo "bench/wifi: no figures (rc ${rc:-?})"; exit 1; }

# stats DAEMON NAME: "median min max n" in ms, or nothing.
stats() {
	awk -v d="$1" -v n="$2" '$1 == d && $2 == n { print $3 * 1000 }' "$logs/bench.txt" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) exit;
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%d %d %d %d\n", m, v[1], v[NR], NR }'
}
row() {
	local label=$1 who=$2 name=$3 s
	s=$(stats "$who" "$name")
	if [ -z "$s" ]; then printf '  %-34s %s\n' "$label" "n/a"; return; fi
	read -r med min max n <<<"$s"
	printf '  %-34s %7d %7d %7d  (%d runs)\n' "$label" "$med" "$min" "$max" "$n"
}
ratio() {
	local a b
	a=$(stats "$2" "$3" | cut -d' ' -f1)
	b=$(stats "$4" "$5" | cut -d' ' -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt 0 ] &&
		printf '  %-58s %s\n' "$1" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
}

echo
echo "Wi-Fi in the VM lab, ms                 median     min     max"
echo "scan -> services listed"
row "iwd (Station.Scan, Scanning false)" iwd scan
row "connd (Technology.Scan)" connd scan
row "ConnMan 1.41" connman scan
echo "Connect -> associated"
row "iwd (Network.Connect, connected)" iwd connect
row "connd (State=configuration)" connd connect_configuration
row "ConnMan 1.41" connman connect_configuration
echo "Connect -> ready (IP configured)"
row "iwd with its own DHCP" iwd-dhcp connect_ip
row "connd" connd connect_ready
row "ConnMan 1.41" connman connect_ready
echo "Connect -> online"
row "connd" connd connect_online
row "ConnMan 1.41" connman connect_online
echo "AP gone -> default route on ethernet"
row "connd" connd failover
row "ConnMan 1.41" connman failover
grep -q '^connman noiwd' "$logs/bench.txt" && echo "  (Debian's ConnMan has no iwd plugin: not measured)"
echo "ratios (medians)"
ratio "connd associated / iwd connected" connd connect_configuration iwd connect
ratio "connd ready / iwd with its own DHCP (goal: <= 1.10)" connd connect_ready iwd-dhcp connect_ip
ratio "connd scan / iwd scan" connd scan iwd scan
ratio "connd ready / ConnMan ready" connd connect_ready connman connect_ready
ratio "connd online / ConnMan online" connd connect_online connman connect_online
ratio "connd failover / ConnMan failover" connd failover connman failover
[ -z "${KEEP:-}" ] || echo "logs: $logs"
