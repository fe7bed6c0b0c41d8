# Helpers of the scenarios with ethernet and Wi-Fi together
# (tests/vm/scenarios/4?-*.sh), sourced by each in the guest (bash).
#
# Beside the lab's AP side (namespace "ap": br0 10.77.0.1, the Wi-Fi
# networks), a wired "ISP": namespace "isp", a veth eth-lab (ours) ↔ eth-isp
# (10.88.0.1/24) and dnsmasq leasing 10.88.0.100-199. Both sides hold the
# server address 192.0.2.80 on their loopback, so whichever bearer carries a
# packet decides which side receives it: an nftables table "srv" in each
# namespace counts UDP to that address by destination port and source.
. "$VM_DIR/connd-wifi-lib.sh"

ISP_ADDR=10.88.0.1
SRV_ADDR=192.0.2.80
eth_svc=	# the cable's service id, once isp_up made eth-lab

# svc_state ID: the service's State, as connmanctl shows it.
svc_state() {
	local out
	out=$(ctl services "$1") || return 1
	[[ $out =~ State\ =\ ([a-z]+) ]] && printf '%s' "${BASH_REMATCH[1]}"
}
svc_ready() { [[ $(svc_state "$1") =~ ^(ready|online)$ ]]; }
svc_down() { ! svc_ready "$1"; }

# route_dev: the interface of the main table's default route with the lowest
# metric, read from /proc (no exec: polls finely even under TCG).
route_dev() {
	local ifc dst _gw _fl _rc _use metric best='' best_metric=
	while read -r ifc dst _gw _fl _rc _use metric _; do
		[ "$dst" = 00000000 ] || continue
		if [ -z "$best_metric" ] || [ "$metric" -lt "$best_metric" ]; then
			best=$ifc best_metric=$metric
		fi
	done </proc/net/route
	printf '%s' "$best"
}
route_on() { [ "$(route_dev)" = "$1" ]; }

# measure WHAT START_US: prints "MEASURE WHAT: N.Ns", the time since START_US.
measure() { echo "MEASURE $1: $(vm_elapsed "$2")s"; }

# failover LOST NEW START_US WHAT: waits until the default route is on NEW
# (10 s, times VM_SLOW); prints how long it took since START_US and since
# LOST's carrier went (connd's own share: the kernel keeps a route on a link
# without carrier, connd moves it).
failover() {
	local lost=$1 new=$2 t0=$3 what=$4 carrier tc='' end
	vm_us
	end=$((VM_US + 10 * VM_SLOW * 1000000))
	while ! route_on "$new"; do
		vm_us
		[ "$VM_US" -lt "$end" ] || return 1
		if [ -z "$tc" ]; then
			carrier=
			read -r carrier <"/sys/class/net/$lost/carrier" 2>/dev/null
			[ "$carrier" = 1 ] || tc=$VM_US
		fi
		vm_sleep 0.05
	done
	measure "$what" "$t0"
	[ -z "$tc" ] || measure "$what, from $lost's carrier loss" "$tc"
}

# isp_up: the wired ISP, its DHCP server, and the server address on both sides.
isp_up() {
	ip netns add isp || return 1
	ip link add eth-lab type veth peer name eth-isp netns isp || return 1
	ip -n isp -batch - <<-IP || return 1
		link set lo up
		addr add $SRV_ADDR/32 dev lo
		addr add $ISP_ADDR/24 dev eth-isp
		link set eth-isp up
	IP
	ip link set eth-lab up
	ip -n ap addr add "$SRV_ADDR/32" dev lo || return 1
	ip netns exec isp dnsmasq --no-ping --no-resolv --no-hosts --port=0 --interface=eth-isp \
		--bind-interfaces --dhcp-range=10.88.0.100,10.88.0.199,255.255.255.0,1h \
		--dhcp-option=option:router,"$ISP_ADDR" --dhcp-leasefile="$VM_RUN/isp.leases" \
		--pid-file="$VM_RUN/isp-dnsmasq.pid" --log-facility="$VM_OUT/isp-dnsmasq.log" || return 1
	srv_counters ap 10.77.0.0/24 && srv_counters isp 10.88.0.0/24 || return 1
	eth_svc=$(<"/sys/class/net/eth-lab/address")
	eth_svc=ethernet_${eth_svc//:/}_cable
}

isp_down() {
	local pid
	read -r pid <"$VM_RUN/isp-dnsmasq.pid" && kill "$pid"
	ip link del eth-lab 2>/dev/null
	ip netns del isp
	ip -n ap addr del "$SRV_ADDR/32" dev lo
	ip netns exec ap nft delete table inet srv
	rm -f "$VM_RUN/isp.leases"
}

# srv_counters NS SUBNET: counts UDP datagrams to the server address on
# ports 5001 and 5002, all of them and those from SUBNET (the address the
# bearer gave us). Anonymous counters: a named one needs nft_objref, which
# the guest does not load.
srv_counters() {
	ip netns exec "$1" nft -f - <<-NFT
		table inet srv {
			chain in {
				type filter hook input priority 0;
				ip daddr $SRV_ADDR udp dport 5001 counter
				ip daddr $SRV_ADDR udp dport 5002 counter
				ip saddr $2 ip daddr $SRV_ADDR udp dport 5001 counter
				ip saddr $2 ip daddr $SRV_ADDR udp dport 5002 counter
			}
		}
	NFT
}

# srv_count NS PORT [from]: datagrams NS's server received on PORT (with
# "from": those from its bearer's subnet).
srv_count() {
	local line rules
	# No process substitution: the guest has no /dev/fd.
	rules=$(ip netns exec "$1" nft list chain inet srv in) || return 1
	while read -r line; do
		[[ $line == *"dport $2 counter"* ]] || continue
		if [ -n "${3:-}" ]; then [[ $line == "ip saddr"* ]] || continue
		else [[ $line != "ip saddr"* ]] || continue; fi
		[[ $line =~ packets\ ([0-9]+) ]] && printf '%s' "${BASH_REMATCH[1]}"
	done <<<"$rules"
}

# multi_connd_start [PreferredTechnologies]: connd on eth-lab and wlan1 (with
# debug logs of its Wi-Fi, manager and sessions unless MULTI_DEBUG is set empty).
multi_connd_start() {
	mkdir -p "$VM_RUN/connd-multi"
	{
		printf '[General]\nEnableOnlineCheck = false\nSessionDataPath = nftables\n'
		[ -z "${1:-}" ] || printf 'PreferredTechnologies = %s\n' "$1"
	} >"$VM_RUN/connd-multi.conf"
	"$CONND" -n ${MULTI_DEBUG-"-d" "src/wifi*,src/manager*,src/session*"} -i eth-lab,wlan1 \
		--state-dir "$VM_RUN/connd-multi" --policy-dir "$VM_RUN/connd-multi" \
		--resolv-conf "$VM_RUN/resolv.conf" -c "$VM_RUN/connd-multi.conf" >>"$VM_OUT/connd.log" 2>&1 &
	connd=$!
	check_wait "connd starts with PreferredTechnologies='${1:-}'" 10 has_wifi
}

multi_connd_stop() {
	kill "$connd"
	check_wait "connd stops" 5 vm_gone "$connd"
	wait "$connd" 2>/dev/null
}

# both_up: the cable's service and the open Wi-Fi network, both ready.
both_up() {
	check_wait "the ethernet service is ready" 20 svc_ready "$eth_svc"
	# The lab's iwd scans only when asked.
	listed "$open" || ctl scan wifi >/dev/null
	check_wait "the open network is listed" 10 listed "$open"
	svc_ready "$open" || ctl connect "$open" >/dev/null
	check_wait "the Wi-Fi service is ready" 20 svc_ready "$open"
}

# iwd_periodic: iwd restarted with periodic scans every 1-2 s, so that it
# finds a known network that comes back (the lab's iwd scans only when asked),
# and a blacklist of 1 s instead of 60 for a BSS it failed to connect to (it
# tries the vanishing AP once more, and would wait a minute after).
iwd_periodic() {
	vm_iwd_stop
	cat >/etc/iwd/main.conf <<-CONF
		[General]
		EnableNetworkConfiguration=false
		[Scan]
		InitialPeriodicScanInterval=1
		MaximumPeriodicScanInterval=2
		[Blacklist]
		InitialTimeout=1
		MaximumTimeout=1
	CONF
	vm_iwd_run
}

# iwd_lab: back to the lab's iwd, the open network forgotten.
iwd_lab() {
	vm_iwd_reset "$VM_SSID_OPEN" open
	vm_iwd_stop
	vm_iwd_start
}

# Applications with a session (tests/lab/session-app.py, driven through
# FIFOs): app_start NAME UID SETTINGS... starts one as UID; app_say NAME
# COMMAND prints its one-line reply; app_is NAME PREFIX COMMAND succeeds when
# the reply starts with PREFIX (and prints it when not).
declare -A APP_IN APP_OUT APP_PID
app_start() {
	local name=$1 uid=$2 fin="$VM_RUN/app-$1.in" fout="$VM_RUN/app-$1.out"
	shift 2
	mkfifo "$fin" "$fout"
	setpriv --reuid="$uid" --regid="$uid" --clear-groups \
		/usr/bin/python3 "$VM_REPO/tests/lab/session-app.py" "$@" \
		<"$fin" >"$fout" 2>>"$VM_OUT/app-$name.err" &
	APP_PID[$name]=$!
	exec {APP_IN[$name]}>"$fin"
	exec {APP_OUT[$name]}<"$fout"
}
# app_started NAME: its first line says it has a session (python with dbus
# and gi takes seconds to start in the guest).
app_started() {
	local line
	read -r -t $((30 * VM_SLOW)) line <&"${APP_OUT[$1]}"
	[[ $line == session* ]] || { echo "$1: ${line:-no reply}"; return 1; }
}
app_say() {
	local name=$1 reply
	shift
	printf '%s\n' "$*" >&"${APP_IN[$name]}"
	read -r -t $((30 * VM_SLOW)) reply <&"${APP_OUT[$name]}" || reply="no reply"
	printf '%s\n' "$reply"
}
app_is() {
	local name=$1 want=$2 got
	shift 2
	got=$(app_say "$name" "$@")
	[[ $got == "$want"* ]] || { echo "$name $*: $got"; return 1; }
}
app_stop() {
	exec {APP_IN[$1]}>&-
	vm_wait 5 vm_gone "${APP_PID[$1]}" || kill "${APP_PID[$1]}"
	exec {APP_OUT[$1]}<&-
	rm -f "$VM_RUN/app-$1.in" "$VM_RUN/app-$1.out"
}
