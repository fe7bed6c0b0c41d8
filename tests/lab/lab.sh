# The namespace lab: sourced by tests/net/*.sh, the demo and the benchmarks.
#
# Everything a run creates has a unique name (LAB, made of the PID and a
# random number) and an undo step registered next to it (lab_defer); the undo
# steps run in reverse order on every exit path. Nothing touches the host's
# interfaces, routes, ruleset or D-Bus.
#
#   . tests/lab/lab.sh
#   lab_init
#   lab_ns isp; lab_ns dev
#   lab_link isp eth0 dev up0
#   lab_isp isp eth0 10.31.0.1/24
#   lab_dbus
#   lab_connd dev up0
#   lab_wait 20 service_state up0 online
#   ok "uplink online"
#   lab_done

LAB_REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LAB_BUILD=${BUILD:-$LAB_REPO/build}
LAB_CONND=${CONND:-$LAB_BUILD/src/connd}
LAB_PY=/usr/bin/python3
# Sessions' data path (SessionDataPath) of a connd the lab starts: auto by
# default (BPF where it loads), LAB_DATAPATH=nftables for the fallback;
# LAB_TCX=off: BPF counts what sessions send at the cgroup's egress, as on
# kernels without tcx (CONND_SESSION_TCX).
# BPF attaches only to the lab's own cgroup (lab_session_cgroup), never to
# the host's root: a connd started by hand in a test (without lab_connd) is
# held to nftables by this default.
export CONND_SESSION_DATAPATH=nftables
# Seconds the lab waits for a helper it started (dnsmasq's HTTP twin, Kea,
# the bus, connd) to come up: generous, since on a loaded machine (tests run
# side by side) a Python server can take seconds to start; each wait ends
# as soon as the helper is up.
LAB_UP=${LAB_UP:-30}
LAB_UNDO=()
LAB_FAILS=0
LAB_CHECKS=0

lab_log() { printf '%s\n' "$*" >&2; }

lab_defer() { LAB_UNDO+=("$*"); }

# The undo steps' kill signals only what is still the lab's (lab_kill): a
# helper that ended early leaves its PID behind, which by teardown may be
# another process's, another test's beside this one or anyone's (PIDs wrap
# within minutes on a busy machine).
lab_teardown() {
	local i
	trap - EXIT INT TERM
	kill() { lab_kill_tree "$@"; }
	for ((i = ${#LAB_UNDO[@]} - 1; i >= 0; i--)); do
		eval "${LAB_UNDO[$i]}" >/dev/null 2>&1 || true
	done
	unset -f kill
	LAB_UNDO=()
}

# lab_kill [-SIGNAL] PID...: signals each PID that is still the lab's: a
# child of this shell, or a process in one of the lab's namespaces (the
# daemons that detach, dnsmasq).
lab_kill() {
	local sig=-TERM pid
	case ${1:-} in -*) sig=$1; shift ;; esac
	for pid in "$@"; do
		lab_owns "$pid" && builtin kill "$sig" "$pid"
	done
	return 0
}

# As lab_kill, and every descendant of each PID too: a helper started as
# `lab_exec NS CMD &` is a subshell whose child is CMD, so $! is the
# subshell and CMD would outlive it.
lab_kill_tree() {
	local sig=-TERM pid
	case ${1:-} in -*) sig=$1; shift ;; esac
	for pid in "$@"; do
		lab_owns "$pid" || continue
		builtin kill "$sig" "$pid" $(lab_descendants "$pid") 2>/dev/null
	done
	return 0
}

lab_descendants() {
	local child
	for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$child"
		lab_descendants "$child"
	done
}

lab_owns() {
	local ppid
	ppid=$(ps -o ppid= -p "$1" 2>/dev/null | tr -d ' ')
	# $BASHPID: a lab made inside a subshell (bench/sessions makes one per
	# data path) started its helpers from there, not from the script's $$.
	[ "$ppid" = "$$" ] || [ "$ppid" = "$BASHPID" ] && return 0
	[[ $(ip netns identify "$1" 2>/dev/null) == "$LAB"-* ]]
}

lab_init() {
	# $BASHPID, not $$: labs made in sibling subshells (bench/sessions makes
	# one per data path) share $$ and could draw the same number.
	LAB="cd${BASHPID}r$((RANDOM % 1000))"
	LAB_DIR=$(mktemp -d "/tmp/connd-lab.$LAB.XXXX")
	lab_defer "rm -rf '$LAB_DIR'"
	trap 'lab_teardown' EXIT
	trap 'lab_teardown; exit 130' INT TERM
	export LAB LAB_DIR
}

# The namespace's full name for a short one.
lab_nsname() { printf '%s-%s' "$LAB" "$1"; }

lab_ns() {
	local ns
	ns=$(lab_nsname "$1")
	ip netns add "$ns" || return 1
	lab_defer "ip netns delete '$ns'"
	mkdir -p "/etc/netns/$ns"
	: >"/etc/netns/$ns/resolv.conf"
	lab_defer "rm -rf '/etc/netns/$ns'"
	ip -n "$ns" link set lo up
}

lab_exec() { local ns; ns=$(lab_nsname "$1"); shift; ip netns exec "$ns" "$@"; }
# As lab_exec, from inside the lab's session cgroup, where connd's BPF
# programs see (and mark) an application's sockets.
lab_app_exec() {
	sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec "$@"' sh \
		"${LAB_CGROUP:-}" ip netns exec "$(lab_nsname "$1")" "${@:2}"
}

# lab_link NS1 IF1 NS2 IF2: a veth pair between two namespaces, both ends up.
lab_link() {
	ip link add "$2" netns "$(lab_nsname "$1")" type veth peer name "$4" \
		netns "$(lab_nsname "$3")" || return 1
	ip -n "$(lab_nsname "$1")" link set "$2" up
	ip -n "$(lab_nsname "$3")" link set "$4" up
}

lab_mac() { lab_exec "$1" cat "/sys/class/net/$2/address" | tr -d ':'; }

# The ConnMan service id of an ethernet link.
lab_service() { printf 'ethernet_%s_cable' "$(lab_mac "$1" "$2")"; }

# lab_tether_lab ADDR/LEN [lab_isp OPTION...]: the tethering lab's shape:
# namespaces isp, dev and lan; isp's eth0 (the "ISP", lab_isp at ADDR) to
# dev's up0, dev's lan0 to lan's eth0 (where tethered clients sit).
lab_tether_lab() {
	lab_ns isp; lab_ns dev; lab_ns lan
	lab_link isp eth0 dev up0
	lab_link dev lan0 lan eth0
	lab_isp isp eth0 "$@"
}

# lab_wifi_lab ADDR/LEN: the Wi-Fi stand-in lab's shape: namespaces ap and
# dev, ap's ap0 (an access network, lab_isp at ADDR) to dev's wlan0 (the
# "radio" tests/lab/fake-iwd.py stands for), the bus; sets mac (wlan0's,
# as iwd shows it) and m (as ConnMan's service ids have it), and hex TEXT
# (the bytes of TEXT in hex, as in those ids).
lab_wifi_lab() {
	lab_ns ap; lab_ns dev
	lab_link ap ap0 dev wlan0
	lab_isp ap ap0 "$1"
	lab_dbus
	mac=$(lab_exec dev cat /sys/class/net/wlan0/address)
	m=$(lab_mac dev wlan0)
}
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# lab_isp NS IF ADDR/PLEN [--offload-off] [--no-dhcp] [--no-dns-option] [--dhcp-host=SPEC]
#   [--dhcp-conf=LINE] [--ipv6=ADDR6/64 [--ipv6-mode=MODE]]:
# dnsmasq (DHCP + DNS, answering isp.lab with ADDR; with --no-dns-option its
# leases name no nameserver; --dhcp-host adds dnsmasq's dhcp-host=SPEC, e.g.
# MAC,NAME to send a host name; --dhcp-conf adds a line to the DHCP part of
# its configuration, e.g. a tagged dhcp-option, which wins over the
# untagged ones above; with --ipv6, router advertisements of
# ADDR6's /64 for SLAAC; --ipv6-mode=managed makes them say M and leases
# addresses ::100 to ::1ff of the /64 by stateful DHCPv6 instead, and
# --ipv6-mode=other says O and answers DHCPv6 Information-requests beside
# SLAAC; LAB_LEASE6 sets the DHCPv6 lease time, default 2h; --ipv6-mode=pd
# runs Debian's Kea instead (lab_kea6: IA_NA and prefix delegation) with
# M and O router advertisements from tests/lab/ra-send.py, --ipv6-mode=pd-other
# the same with the O flag alone and SLAAC) and the HTTP
# server of tests/lab/isp-http.py.
lab_isp() {
	local ns=$1 ifname=$2 cidr=$3 addr=${3%/*} net dhcp=1 offload=1 opt pidfile ipv6= dns hosts=
	local range6 mode6=slaac
	shift 3
	for opt in "$@"; do
		case $opt in
		--offload-off) offload=0 ;;
		--no-dhcp) dhcp=0 ;;
		--no-dns-option) dns= ;;
		--dhcp-host=*) hosts+="dhcp-host=${opt#--dhcp-host=}"$'\n' ;;
		--dhcp-conf=*) hosts+="${opt#--dhcp-conf=}"$'\n' ;;
		--ipv6=*) ipv6=${opt#--ipv6=} ;;
		--ipv6-mode=*) mode6=${opt#--ipv6-mode=} ;;
		esac
	done
	net=${addr%.*}
	dns=${dns-,$addr}	# an empty dhcp-option value: the option is not sent
	lab_exec "$ns" ip addr add "$cidr" dev "$ifname"
	[ $offload = 0 ] && lab_exec "$ns" ethtool -K "$ifname" tx off >/dev/null
	pidfile="$LAB_DIR/dnsmasq-$ns-$ifname.pid"
	cat >"$LAB_DIR/dnsmasq-$ns-$ifname.conf" <<-CONF
		interface=$ifname
		bind-interfaces
		except-interface=lo
		no-resolv
		no-hosts
		no-ping
		domain=isp.lab
		local-ttl=60
		address=/isp.lab/$addr
		address=/ipv4.connman.net/$addr
		txt-record=isp.lab,"connd lab isp $ns"
		dhcp-leasefile=$LAB_DIR/leases-$ns-$ifname
		pid-file=$pidfile
		log-facility=$LAB_DIR/dnsmasq-$ns-$ifname.log
		log-dhcp
		log-queries
	CONF
	if [ $dhcp = 1 ]; then
		cat >>"$LAB_DIR/dnsmasq-$ns-$ifname.conf" <<-CONF
			dhcp-range=$net.50,$net.150,255.255.255.0,${LAB_LEASE:-2m}
			dhcp-option=option:router,$addr
			dhcp-option=option:dns-server$dns
			dhcp-option=option:ntp-server,$addr
			dhcp-authoritative
			$hosts
		CONF
	fi
	if [ -n "$ipv6" ]; then
		# A router: its neighbour advertisements carry the router flag (without
		# it hosts drop the default route through it), and its address stays
		# over a link down.
		lab_exec "$ns" sysctl -qw "net.ipv6.conf.$ifname.forwarding=1"
		lab_exec "$ns" sysctl -qw "net.ipv6.conf.$ifname.keep_addr_on_down=1"
		lab_exec "$ns" ip -6 addr add "$ipv6" dev "$ifname" nodad
		case $mode6 in
		pd|pd-other) range6= ;;
		managed) range6="${ipv6%::*}::100,${ipv6%::*}::1ff,64,${LAB_LEASE6:-2h}" ;;
		other) range6="${ipv6%::*}::,ra-stateless,64,2h" ;;
		*) range6="${ipv6%::*}::,ra-only,64,2h" ;;
		esac
		# Lifetime 1800 s: a default router even though the ISP has no route out.
		[ -n "$range6" ] && cat >>"$LAB_DIR/dnsmasq-$ns-$ifname.conf" <<-CONF
			enable-ra
			dhcp-range=$range6
			dhcp-option=option6:domain-search,v6.isp.lab
			ra-param=$ifname,10,1800
		CONF
		cat >>"$LAB_DIR/dnsmasq-$ns-$ifname.conf" <<-CONF
			address=/isp.lab/${ipv6%/*}
			address=/ipv6.connman.net/${ipv6%/*}
		CONF
	fi
	lab_exec "$ns" dnsmasq --conf-file="$LAB_DIR/dnsmasq-$ns-$ifname.conf" || return 1
	lab_defer "kill \$(cat '$pidfile')"
	if [ -n "$ipv6" ] && [ "${mode6#pd}" != "$mode6" ]; then
		lab_kea6 "$ns" "$ifname" "$ipv6" || return 1
		ip netns exec "$(lab_nsname "$ns")" "$LAB_PY" "$LAB_REPO/tests/lab/ra-send.py" \
			"$ifname" "${ipv6%::*}::" "$([ "$mode6" = pd ] && echo MO || echo O)" \
			>"$LAB_DIR/ra-$ns-$ifname.log" 2>&1 &
		lab_defer "kill $!"
		lab_wait "$LAB_UP" grep -q ready "$LAB_DIR/ra-$ns-$ifname.log" || return 1
	fi
	ip netns exec "$(lab_nsname "$ns")" "$LAB_PY" "$LAB_REPO/tests/lab/isp-http.py" \
		--bind "$addr" --port 80 >"$LAB_DIR/http-$ns-$ifname.log" 2>&1 &
	lab_defer "kill $!"
	lab_wait "$LAB_UP" lab_exec "$ns" bash -c "exec 3<>/dev/tcp/$addr/80" ||
		{ lab_log "lab_isp: no HTTP server on $addr after ${LAB_UP}s"; return 1; }
	if [ -n "$ipv6" ]; then
		ip netns exec "$(lab_nsname "$ns")" "$LAB_PY" "$LAB_REPO/tests/lab/isp-http.py" \
			--bind "${ipv6%/*}" --port 80 >"$LAB_DIR/http6-$ns-$ifname.log" 2>&1 &
		lab_defer "kill $!"
		lab_wait "$LAB_UP" lab_exec "$ns" bash -c "exec 3<>/dev/tcp/${ipv6%/*}/80" ||
			{ lab_log "lab_isp: no HTTP server on ${ipv6%/*} after ${LAB_UP}s"; return 1; }
	fi
}

# lab_kea6 NS IF ADDR6/64: Debian's kea-dhcp6 (unpacked by tests/lab/kea.sh,
# never installed) on IF: addresses ::100 to ::1ff of ADDR6's /64 (IA_NA),
# prefixes /56 out of LAB_PD_POOL (default 2001:db8:ff00::/40) delegated
# (IA_PD), ADDR6 as nameserver, v6.isp.lab as search domain; lifetimes
# preferred 3600 s and valid LAB_LEASE6_S (default 7200 s). Its leases in
# $LAB_DIR/kea-leases-NS-IF.csv (a memfile: each change appended, a
# released lease written with valid lifetime 0), its log beside them.
# Kea routes nothing: lab_pd_route adds the way back to the requesting router.
lab_kea6() {
	local ns=$1 ifname=$2 net=${3%::*} bin pool=${LAB_PD_POOL:-2001:db8:ff00::/40}
	local conf="$LAB_DIR/kea-$ns-$ifname.json" dir="$LAB_DIR/kea-$ns-$ifname"
	bin=$("$LAB_REPO/tests/lab/kea.sh") || return 1
	mkdir -p "$dir"
	cat >"$conf" <<-CONF
		{ "Dhcp6": {
		  "interfaces-config": { "interfaces": [ "$ifname" ] },
		  "server-id": { "type": "LL", "persist": false },
		  "lease-database": { "type": "memfile", "lfc-interval": 0,
		                      "name": "$LAB_DIR/kea-leases-$ns-$ifname.csv" },
		  "preferred-lifetime": 3600, "valid-lifetime": ${LAB_LEASE6_S:-7200},
		  "renew-timer": 1800, "rebind-timer": 2880,
		  "option-data": [ { "name": "dns-servers", "data": "${3%/*}" },
		                   { "name": "domain-search", "data": "v6.isp.lab" } ],
		  "subnet6": [ { "id": 1, "subnet": "$net::/64", "interface": "$ifname",
		                 "pools": [ { "pool": "$net::100-$net::1ff" } ],
		                 "pd-pools": [ { "prefix": "${pool%/*}", "prefix-len": ${pool#*/},
		                                 "delegated-len": 56 } ] } ],
		  "loggers": [ { "name": "kea-dhcp6", "severity": "INFO",
		                 "output_options": [ { "output": "$LAB_DIR/kea-$ns-$ifname.log" } ] } ]
		} }
	CONF
	# Kea binds to the link-local address: once duplicate address detection
	# let it go.
	lab_wait "$LAB_UP" lab_link_local_ready "$ns" "$ifname" || return 1
	# Its pid and lock files in the lab's folder, not under /run.
	KEA_PIDFILE_DIR="$dir" KEA_LOCKFILE_DIR="$dir" ip netns exec "$(lab_nsname "$ns")" \
		"$bin" -c "$conf" >"$dir/stdout" 2>&1 &
	lab_defer "kill $!"
	lab_wait "$LAB_UP" grep -q 'DHCP6_STARTED' "$LAB_DIR/kea-$ns-$ifname.log" &&
		! grep -q DHCPSRV_NO_SOCKETS_OPEN "$LAB_DIR/kea-$ns-$ifname.log"
}

lab_link_local_ready() {
	local out
	out=$(lab_exec "$1" ip -6 addr show dev "$2" scope link)
	[ -n "$out" ] && ! grep -q tentative <<<"$out"
}

# lab_pd_route NS IF PEER_NS PEER_IF: the ISP in NS routes the whole pool of
# delegated prefixes (LAB_PD_POOL) to the requesting router PEER_NS (the
# other end of IF) by its link-local address, as an ISP's router does for
# a delegation; Kea itself adds no route. One route for the pool is enough
# for a lab with one requesting router on the link.
lab_pd_route() {
	local ll
	ll=$(lab_exec "$3" ip -6 -o addr show dev "$4" scope link | awk '{print $4}' | cut -d/ -f1)
	[ -n "$ll" ] || return 1
	lab_exec "$1" ip -6 route replace "${LAB_PD_POOL:-2001:db8:ff00::/40}" via "$ll" dev "$2"
}

# A private system-type bus; clients find it through DBUS_SYSTEM_BUS_ADDRESS.
# It lets anyone do anything, unless --installed-policy: then Debian's system
# bus defaults and connd's own data/connd-dbus.conf decide, as on a real system.
lab_dbus() {
	local policy='<allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>'
	local include=
	if [ "${1:-}" = --installed-policy ]; then
		policy='<deny own="*"/><deny send_type="method_call"/><allow send_type="signal"/>
<allow send_requested_reply="true" send_type="method_return"/>
<allow send_requested_reply="true" send_type="error"/>
<allow receive_type="method_call"/><allow receive_type="method_return"/>
<allow receive_type="error"/><allow receive_type="signal"/>
<allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>'
		include="<include>$LAB_REPO/data/connd-dbus.conf</include>"
	fi
	cat >"$LAB_DIR/bus.conf" <<-CONF
		<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
		 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
		<busconfig>
		  <type>system</type>
		  <listen>unix:path=$LAB_DIR/bus.sock</listen>
		  <auth>EXTERNAL</auth>
		  <policy context="default"><allow user="*"/>$policy</policy>
		  $include
		</busconfig>
	CONF
	dbus-daemon --config-file="$LAB_DIR/bus.conf" --nofork --nopidfile >"$LAB_DIR/dbus.log" 2>&1 &
	LAB_DBUS_PID=$!
	lab_defer "kill $!"
	export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$LAB_DIR/bus.sock"
	lab_wait "$LAB_UP" test -S "$LAB_DIR/bus.sock"
}

# lab_connd NS IFACES [connd options...]: connd in NS on the lab's bus, with
# a scratch state dir and the lab's main.conf (LAB_CONF overrides its text;
# the lab's lets ethernet tether, which ConnMan's default does not).
lab_connd() {
	local ns=$1 ifaces=$2
	shift 2
	mkdir -p "$LAB_DIR/state-$ns"
	if [ ! -f "$LAB_DIR/main.conf" ]; then
		# The timezone link is the lab's, never the host's.
		printf '%s\n' "${LAB_CONF:-[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckIPv6URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000
TetheringTechnologies = ethernet
LocaltimeFile = $LAB_DIR/localtime}" >"$LAB_DIR/main.conf"
	fi
	# Started without a shell function in between, so that $! is connd itself
	# (nsenter, env and unshare all exec). nsenter rather than ip netns exec:
	# the latter mounts a fresh /sys, which hides the cgroup v2 hierarchy that
	# sessions recognise applications by.
	[ "${LAB_DATAPATH:-auto}" = nftables ] || lab_session_cgroup >/dev/null || return 1
	nsenter --net="/run/netns/$(lab_nsname "$ns")" env \
		CONND_SESSION_DATAPATH="${LAB_DATAPATH:-auto}" CONND_SESSION_CGROUP="${LAB_CGROUP:-}" \
		CONND_SESSION_TCX="${LAB_TCX:-}" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
		UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}" \
		unshare --uts ${LAB_WRAP:-} "$LAB_CONND" -n -i "$ifaces" \
		--state-dir "$LAB_DIR/state-$ns" --policy-dir "$LAB_DIR/policy" \
		--resolv-conf "$LAB_DIR/resolv-$ns.conf" \
		-c "$LAB_DIR/main.conf" "$@" >>"$LAB_DIR/connd-$ns.log" 2>&1 &
	LAB_CONND_PID=$!
	export LAB_CONND_PID
	lab_defer "lab_connd_kill $LAB_CONND_PID"
	lab_wait "$LAB_UP" lab_bus_has net.connman
}

# The lab's cgroup v2 directory (made once, removed at the end): connd's BPF
# programs attach there, and applications started by lab_app run inside it.
# Call it in the test's own shell, not in $(...): its removal is deferred
# there (read $LAB_CGROUP after it).
lab_session_cgroup() {
	if [ -z "${LAB_CGROUP:-}" ]; then
		LAB_CGROUP="$(lab_cgroup2)/connd-lab-$LAB"
		mkdir "$LAB_CGROUP" || { LAB_CGROUP=; return 1; }
		lab_defer "lab_cgroup_remove '$LAB_CGROUP'"
		export LAB_CGROUP
	fi
	printf '%s\n' "$LAB_CGROUP"
}

# The lab's cgroup goes at the end. Only the lab's applications live in it:
# any still there (slow to die on a loaded machine: the cgroup was left
# behind) are killed with it (cgroup.kill), then it goes once they are reaped.
lab_cgroup_remove() {
	rmdir "$1" 2>/dev/null && return 0
	[ -e "$1/cgroup.kill" ] && echo 1 >"$1/cgroup.kill" 2>/dev/null
	lab_wait 10 rmdir "$1" 2>/dev/null
}

# The data path the last connd started in NS said it uses: bpf or nftables.
lab_datapath() {
	if grep 'sessions: .* data path' "$LAB_DIR/connd-${1:-dev}.log" 2>/dev/null | tail -n 1 |
		grep -q 'BPF data path'; then
		echo bpf
	else
		echo nftables
	fi
}

# lab_marks KIND [PID]: "KEY MARK" lines of the session marks in the kernel,
# KIND uid, gid or cgroup, from whichever data path connd uses: its BPF
# maps (found through its descriptors) or its nftables maps.
lab_marks() {
	local kind=$1 pid=${2:-$LAB_CONND_PID}
	if [ "$(lab_datapath)" = bpf ]; then
		lab_bpf_map "${kind}_marks" "$pid"
	else
		local maps=session_$kind
		[ "$kind" = cgroup ] && maps="session_cgroup1 session_cgroup2 session_cgroup3 session_cgroup4"
		for m in $maps; do
			ip netns exec "$(lab_nsname dev)" nft list map inet connd "$m" 2>/dev/null |
				grep -oE '[0-9]+ : 0x[0-9a-f]+' | sed 's/ : / /'
		done
	fi
}

# Whether connd counts what sessions send on the services' links (tcx), or
# at the cgroup's egress (kernels before 6.6); its log says which.
lab_bpf_on_links() {
	grep 'sessions: BPF data path' "$LAB_DIR/connd-${1:-dev}.log" 2>/dev/null | tail -n 1 |
		grep -q "on the services' links"
}
# The programs connd keeps attached to the lab's cgroup while sessions
# exist: sock_create and ingress, and egress where links do not count.
lab_bpf_cgroup_programs() { lab_bpf_on_links && echo 2 || echo 3; }
# lab_bpf_tcx FIELD [PID]: FIELD (ifindex, prog_id) of each of connd PID's
# tcx links, one a line, sorted (from its descriptors' fdinfo).
lab_bpf_tcx() {
	cat /proc/"${2:-$LAB_CONND_PID}"/fdinfo/* 2>/dev/null |
		awk -v k="$1:" '/^pos:/ {tcx = 0} /^link_type:/ {tcx = $2 == "tcx"} tcx && $1 == k {print $2}' |
		sort -n
}
# The interface indexes whose egress carries one of connd's programs (a
# link attached twice shows twice).
lab_bpf_tcx_links() { lab_bpf_tcx ifindex "$@"; }
# The programs connd's tcx links run, each once.
lab_bpf_tcx_progs() { lab_bpf_tcx prog_id "$@" | uniq; }
# lab_pcap_ip_bytes PCAP FILTER: the IP bytes (each frame's length less its
# link header) of the packets of PCAP that the tcpdump FILTER matches.
lab_pcap_ip_bytes() {
	tcpdump -r "$1" -w "$1.sel" "$2" 2>/dev/null || return 1
	"$LAB_PY" - "$1.sel" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
e = '<' if struct.unpack('<I', d[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else '>'
# Ethernet, raw IP (three numbers for it), Linux cooked v1 and v2.
header = {1: 14, 12: 0, 101: 0, 228: 0, 229: 0, 113: 16, 276: 20}[struct.unpack(e + 'I', d[20:24])[0] & 0xffff]
off, total = 24, 0
while off + 16 <= len(d):
    incl, orig = struct.unpack(e + 'II', d[off + 8:off + 16])
    total += orig - header
    off += 16 + incl
print(total)
PY
}

# The session ids with counters in the kernel, one a line.
lab_counter_ids() {
	if [ "$(lab_datapath)" = bpf ]; then
		lab_bpf_counter_ids "${1:-$LAB_CONND_PID}"
	else
		ip netns exec "$(lab_nsname dev)" nft list counters table inet connd 2>/dev/null |
			grep -oE 'session[0-9]+_tx' | grep -oE '[0-9]+'
	fi
}

# lab_bpf_counter_ids PID: the ids whose entry in the BPF counters array of
# connd PID holds a session (src/sockmark-maps.h: `session`, the last of
# five 64-bit words, is not 0), read through the array's mmap: a bpftool
# dump of its 131072 entries outran sessions-limits.sh's time limit on a
# loaded machine.
lab_bpf_counter_ids() {
	local id
	for id in $(cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '/^map_id:/ {print $2}' | sort -un); do
		bpftool -j map show id "$id" 2>/dev/null | grep -q '"name":"counters"' || continue
		"$LAB_PY" -c '
import ctypes, json, mmap, platform, struct, subprocess, sys
info = json.loads(subprocess.check_output(["bpftool", "-j", "map", "show", "id", sys.argv[1]]))
nr = {"x86_64": 321, "aarch64": 280, "riscv64": 280, "armv7l": 386}[platform.machine()]
attr = ctypes.create_string_buffer(struct.pack("<III", int(sys.argv[1]), 0, 0), 128)
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(nr, 14, attr, 128)    # BPF_MAP_GET_FD_BY_ID
if fd < 0:
    sys.exit("BPF_MAP_GET_FD_BY_ID: errno %d" % ctypes.get_errno())
size, n = info["bytes_value"], info["max_entries"]
m = mmap.mmap(fd, -(-size * n // mmap.PAGESIZE) * mmap.PAGESIZE, mmap.MAP_SHARED, mmap.PROT_READ)
print("\n".join(str(i) for i in range(n) if struct.unpack_from("<Q", m, i * size + 32)[0]))' "$id" |
			grep .
	done
}

# lab_bpf_map NAME PID: "KEY VALUE" lines of the BPF map NAME that process
# PID holds a descriptor of (the key and the first value as numbers).
lab_bpf_map() {
	local id
	for id in $(cat /proc/"$2"/fdinfo/* 2>/dev/null | awk '/^map_id:/ {print $2}' | sort -un); do
		bpftool -j map show id "$id" 2>/dev/null | grep -q "\"name\":\"$1\"" || continue
		bpftool -j map dump id "$id" | "$LAB_PY" -c '
import json, sys
def num(v):
    if isinstance(v, list):
        return int.from_bytes(bytes(int(b, 16) for b in v), "little")
    if isinstance(v, dict):
        return sum(num(x) for x in v.values())
    return v
for e in json.load(sys.stdin):
    e = e.get("formatted", e)
    v = e.get("value", e.get("values"))
    if isinstance(v, list) and v and isinstance(v[0], dict) and "cpu" in v[0]:
        v = v[0]["value"]
    print(num(e["key"]), hex(num(v)) if not isinstance(v, dict) else num(v))'
	done
}

lab_connd_kill() { kill "$1" 2>/dev/null && wait "$1" 2>/dev/null; }

lab_bus_has() {
	dbus-send --system --print-reply --dest=org.freedesktop.DBus / \
		org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q 'boolean true'
}

# Stops connd cleanly; fails if it did not exit 0 or a sanitizer spoke.
lab_connd_stop() {
	local pid=${1:-$LAB_CONND_PID} ns=${2:-dev} rc
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	# Sanitizer reports, and valgrind's when LAB_WRAP runs connd under it.
	local bad='ERROR: (Address|Leak)Sanitizer|runtime error:|Invalid (read|write|free)|uninitialised|unaddressable|Mismatched free|overlap in|definitely lost: [1-9]'
	if grep -qE "$bad" "$LAB_DIR/connd-$ns.log"; then
		lab_log "memory error report in connd's log:"
		grep -A20 -E "$bad" "$LAB_DIR/connd-$ns.log" >&2
		return 1
	fi
	if [ "$rc" != 0 ] && lab_lsan_tool_failed "$LAB_DIR/connd-$ns.log"; then
		lab_log "LeakSanitizer's own tracer failed at connd's exit (a known intermittent fault of the tool, no report): connd itself exited 0, this run's leak check is lost"
		rc=0
	fi
	[ "$rc" = 0 ] || lab_log "connd exited with $rc"
	return "$rc"
}

# lab_lsan_tool_failed LOG: LeakSanitizer died of its own fault (its
# stop-the-world tracer crashed) without reporting anything, after connd had
# said it exits with 0: the status 1 is the tool's, not connd's.
lab_lsan_tool_failed() {
	grep -q 'LeakSanitizer has encountered a fatal error' "$1" &&
		! grep -q 'ERROR: LeakSanitizer' "$1" &&
		[ "$(grep -o 'exiting with status [0-9]*' "$1" | tail -1)" = "exiting with status 0" ]
}

# The real connmanctl from Debian's package, unpacked once into a cache.
lab_connmanctl() {
	local bin
	bin=$("$LAB_REPO/tests/lab/connman.sh" connmanctl) || return 1
	"$bin" "$@"
}

# lab_wait SECONDS CMD...: polls until CMD succeeds.
lab_wait() {
	local deadline=$((SECONDS + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.05
	done
}

# service_state NS IF STATE: the service of that link is in STATE (connmanctl).
service_state() {
	lab_connmanctl services "$(lab_service "$1" "$2")" 2>/dev/null |
		grep -qE "^  State = ($3)\$"
}

ok() { LAB_CHECKS=$((LAB_CHECKS + 1)); printf 'ok - %s\n' "$*"; }
fail() { LAB_CHECKS=$((LAB_CHECKS + 1)); LAB_FAILS=$((LAB_FAILS + 1)); printf 'FAIL - %s\n' "$*"; }

# check "what" CMD...: records a pass or a failure.
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
# check_wait "what" SECONDS CMD...
check_wait() { local what=$1 t=$2; shift 2; if lab_wait "$t" "$@"; then ok "$what"; else fail "$what"; fi; }

# Ends a scenario: prints connd's log on failure, returns the verdict.
lab_done() {
	if [ "$LAB_FAILS" -gt 0 ]; then
		for f in "$LAB_DIR"/connd-*.log; do
			[ -f "$f" ] && { lab_log "--- $f (last 40 lines)"; tail -n 40 "$f" >&2; }
		done
		lab_log "$LAB_FAILS of $LAB_CHECKS checks failed"
		exit 1
	fi
	[ "$LAB_CHECKS" -gt 0 ] || { lab_log "no checks ran"; exit 1; }
	exit 0
}

lab_require_root() {
	[ "$(id -u)" = 0 ] || { lab_log "needs root (network namespaces)"; exit 77; }
}

# Applications with sessions (tests/lab/session-app.py), driven line by line.
# lab_app NAME UID[:GID] CGROUP [settings...]: starts one in the device
# namespace as UID, in group GID (default: UID) (and, if CGROUP is not "-",
# inside that cgroup v2 directory, a path under the cgroup2 mount); lab_say NAME COMMAND prints its one-line reply;
# lab_expect "what" NAME PREFIX COMMAND checks that reply.
declare -A LAB_APP_IN LAB_APP_OUT LAB_APP_PID
lab_app() {
	local name=$1 uid=${2%%:*} gid=${2#*:} cgroup=$3 fin fout line dev
	shift 3
	dev=$(lab_nsname dev)
	fin="$LAB_DIR/app-$name.in"; fout="$LAB_DIR/app-$name.out"
	mkfifo "$fin" "$fout"
	# The shell joins the cgroup first, then becomes the application.
	# "-": the lab's session cgroup, where connd's BPF programs see it.
	[ "$cgroup" = - ] && [ -n "${LAB_CGROUP:-}" ] && cgroup=$LAB_CGROUP
	sh -c '[ "$1" = - ] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec "$@"' sh "$cgroup" \
		nsenter --net="/run/netns/$dev" setpriv --reuid="$uid" --regid="$gid" --clear-groups \
		env DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" \
		"$LAB_PY" "$LAB_REPO/tests/lab/session-app.py" "$@" \
		<"$fin" >"$fout" 2>>"$LAB_DIR/app-$name.err" &
	LAB_APP_PID[$name]=$!
	lab_defer "kill ${LAB_APP_PID[$name]}"
	exec {LAB_APP_IN[$name]}>"$fin"
	exec {LAB_APP_OUT[$name]}<"$fout"
	read -r -t 15 line <&"${LAB_APP_OUT[$name]}"
	[[ $line == session* ]]
}

lab_say() {
	local name=$1 reply
	shift
	printf '%s\n' "$*" >&"${LAB_APP_IN[$name]}"
	read -r -t 30 reply <&"${LAB_APP_OUT[$name]}" || reply="no reply"
	printf '%s\n' "$reply"
}

# lab_settled_stats NAME: the app's session counters ("RX TX") once they
# stopped moving: two reads 0.3 s apart agree (a connection's last ACK and
# FIN may still be on their way when its app says done), at most 5 s.
lab_settled_stats() {
	local last now i
	last=$(lab_say "$1" stats)
	for i in $(seq 16); do
		sleep 0.3
		now=$(lab_say "$1" stats)
		[ "$now" = "$last" ] && break
		last=$now
	done
	printf '%s\n' "$last"
}

lab_expect() {
	local what=$1 name=$2 want=$3 got
	shift 3
	got=$(lab_say "$name" "$@")
	[[ $got == "$want"* ]] && ok "$what" || fail "$what (got: $got)"
}

# The cgroup v2 mount point (hybrid hosts have it at /sys/fs/cgroup/unified).
lab_cgroup2() { findmnt -n -t cgroup2 -o TARGET | head -n 1; }
# lab_require_cgroup2: the test is skipped (77) without a writable cgroup v2
# hierarchy; `mnt` is its mount point.
lab_require_cgroup2() {
	mnt=$(lab_cgroup2)
	[ -n "$mnt" ] && [ -w "$mnt/cgroup.procs" ] || { echo "SKIP: no writable cgroup v2 hierarchy"; exit 77; }
}
lab_require_bpftool() {
	command -v bpftool >/dev/null || { echo "SKIP: no bpftool (Debian's bpftool package)"; exit 77; }
}

# lab_two_isps_online [CONF-LINES]: lab_two_isps with connd's usual online
# check (3 s timeout) and CONF-LINES added to its [General] group, then both
# uplinks online (a check).
lab_two_isps_online() {
	LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000
${1:-}
LocaltimeFile = /nonexistent/localtime"
	lab_two_isps
	check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"
}

# The sessions topology: dev with up0 to isp1 (10.41.1.0/24) and up1 to isp2
# (10.41.2.0/24); both ISPs answer the same "internet" address 192.0.2.80
# (web-ISP.log, udp-ISP.log tell which one a packet reached); connd runs on
# both links with an empty policy directory. With --ipv6 the ISPs also
# advertise 2001:db8:411::/64 and 2001:db8:412::/64 and both answer UDP on
# 2001:db8:ffff::80 (udp6-ISP.log).
lab_two_isps() {
	local v6=0
	[ "${1:-}" = --ipv6 ] && v6=1
	lab_init
	chmod 755 "$LAB_DIR"
	lab_ns isp1; lab_ns isp2; lab_ns dev
	lab_link isp1 eth0 dev up0
	lab_link isp2 eth0 dev up1
	if [ $v6 = 1 ]; then
		lab_isp isp1 eth0 10.41.1.1/24 --ipv6=2001:db8:411::1/64
		lab_isp isp2 eth0 10.41.2.1/24 --ipv6=2001:db8:412::1/64
		for isp in isp1 isp2; do
			lab_exec $isp ip -6 addr add 2001:db8:ffff::80/128 dev lo
			ip netns exec "$(lab_nsname $isp)" "$LAB_PY" "$LAB_REPO/tests/lab/udp-sink.py" \
				2001:db8:ffff::80 5000 >"$LAB_DIR/udp6-$isp.log" 2>&1 &
			lab_defer "kill $!"
		done
	else
		lab_isp isp1 eth0 10.41.1.1/24
		lab_isp isp2 eth0 10.41.2.1/24
	fi
	# The same "internet" server address behind both ISPs: which one answers
	# tells which way a packet went.
	for isp in isp1 isp2; do
		lab_exec $isp ip addr add 192.0.2.80/32 dev lo
		ip netns exec "$(lab_nsname $isp)" "$LAB_PY" "$LAB_REPO/tests/lab/isp-http.py" \
			--bind 192.0.2.80 --port 80 >"$LAB_DIR/web-$isp.log" 2>&1 &
		lab_defer "kill $!"
		ip netns exec "$(lab_nsname $isp)" "$LAB_PY" "$LAB_REPO/tests/lab/udp-sink.py" \
			192.0.2.80 5000 >"$LAB_DIR/udp-$isp.log" 2>&1 &
		lab_defer "kill $!"
	done
	mkdir -p "$LAB_DIR/policy"
	lab_dbus
	lab_connd dev up0,up1
	dev=$(lab_nsname dev)
}

# Helpers usable inside `bash -c` checks.
export -f lab_connmanctl lab_service lab_mac lab_exec lab_app_exec lab_nsname lab_bus_has service_state \
	lab_datapath lab_marks lab_counter_ids lab_bpf_counter_ids lab_bpf_map
export LAB_REPO LAB_PY
