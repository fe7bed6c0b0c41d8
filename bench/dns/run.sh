#!/usr/bin/env bash
# bench/dns: two load generators in turn against connd's DNS proxy, against
# dnsmasq set up as a caching forwarder (same upstream, same namespace, same
# cache size) and, after connd stops, against Debian's ConnMan's own DNS
# proxy in the same namespace, in the same run: a cache-hit mix (a warm set
# of names, over and over) and a cache-miss mix (every name new, so each
# query goes upstream).
# The generators: dnsperf, and dns-flood (bench/dns/dns-flood.c, built here
# with cc). dnsperf was the cap for cache hits: it took 1.4 of the machine's
# two CPUs to drive connd at 165k q/s, so the servers were never saturated.
# dns-flood reads the same query list, keeps the same window in flight
# (-q) over as many sockets as dnsperf has clients (-c), but from one thread,
# over connected sockets, a sendmmsg() and a recvmmsg() per batch of up to 32
# queries, with no per-query allocation, logging or latency list; it counts
# an answer only when it matches a query in flight (ID and question, same
# socket) and has the expected RCODE (dnsperf counts any reply). Both print
# into the same table, one block a tool, so a change of tool is never read
# as a change of server; the ratios give both.
# Each row: queries/s, latency percentiles, queries lost, the server's CPU
# time per query answered (from /proc/PID/schedstat: queries/s depends on
# how busy the machine is, CPU per query much less), the tool's own CPU time
# per query answered, and the share of one CPU that the server, the
# upstream and the tool each used during the run: one at 100% is what
# limits queries/s there; the machine has two CPUs for the three of them
# (and whoever else runs).
# dnsperf runs THREADS threads (each a sender and a receiver): with one, it
# was the cap even sooner (66k q/s, connd at 23% of a CPU).
#   bench/dns/run.sh [BUILD [BASE_CONND]]
#   SECONDS_RUN=10 CLIENTS=10 THREADS=2 WINDOW=200 MISSES=20000
# BASE_CONND: a connd binary measured first in the same lab (e.g. main's
# build/src/connd), its rows marked "base".
set -u
TIMEFORMAT="%R %U %S"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
BASE=${2:-}
SECONDS_RUN=${SECONDS_RUN:-10}
CLIENTS=${CLIENTS:-10}
THREADS=${THREADS:-2}
WINDOW=${WINDOW:-200}
MISSES=${MISSES:-20000}
export REPO BUILD CONND=$BUILD/src/connd
. "$REPO/tests/lab/lab.sh"
lab_require_root
command -v dnsperf >/dev/null || { echo "bench/dns needs dnsperf (apt-get install dnsperf)"; exit 1; }

UP=10.34.0.2		# the upstream: a dnsmasq on the ISP's lo answering *.bench.lab
CONND_ADDR=127.0.0.1
DNSMASQ_ADDR=127.0.0.2

lab_init
cc -O2 -o "$LAB_DIR/dns-flood" "$REPO/bench/dns/dns-flood.c" || exit 1
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.35.0.1/24 --offload-off
lab_exec dev ethtool -K up0 tx off >/dev/null
lab_exec isp ip addr add $UP/32 dev lo
cat >"$LAB_DIR/upstream.conf" <<CONF
listen-address=$UP
bind-interfaces
no-resolv
no-hosts
local-ttl=3600
address=/bench.lab/10.0.0.1
cache-size=0
pid-file=$LAB_DIR/upstream.pid
CONF
lab_exec isp dnsmasq --conf-file="$LAB_DIR/upstream.conf" || exit 1
lab_defer "kill \$(cat '$LAB_DIR/upstream.pid')"
upstream_pid=$(cat "$LAB_DIR/upstream.pid")

cat >"$LAB_DIR/forwarder.conf" <<CONF
listen-address=$DNSMASQ_ADDR
bind-interfaces
no-resolv
no-hosts
server=$UP
cache-size=8192
dns-forward-max=1024
pid-file=$LAB_DIR/forwarder.pid
CONF
lab_exec dev dnsmasq --conf-file="$LAB_DIR/forwarder.conf" || exit 1
lab_defer "kill \$(cat '$LAB_DIR/forwarder.pid')"

lab_dbus

# Nanoseconds process PID has run on a CPU.
cpu_ns() { awk '{print $1}' "/proc/$1/schedstat" 2>/dev/null || echo 0; }

# shares PID_CPU0 PID_CPU1 UP0 UP1 T0 T1: "server% upstream% tool%", the share
# of one CPU each used over the run's wall-clock time (100%: that process
# was the limit), the tool's from "$LAB_DIR/time" (TIMEFORMAT: real user sys).
shares() {
	awk -v w="$(($6 - $5))" -v s="$(($2 - $1))" -v u="$(($4 - $3))" \
		'{ printf "%.0f%% %.0f%% %.0f%%", s / w * 100, u / w * 100, ($2 + $3) * 1e9 / w * 100 }' \
		"$LAB_DIR/time"
}

# per_query NS N: NS nanoseconds over N queries, in microseconds.
per_query() { awk -v d="$1" -v n="${2:-0}" 'BEGIN { if (n > 0) printf "%.2f", d / n / 1000; else print "n/a" }'; }

# The tool's own CPU time (user + sys, from "$LAB_DIR/time") per query answered.
tool_cpu() { awk -v n="${1:-0}" '{ if (n > 0) printf "%.2f", ($2 + $3) * 1e6 / n; else print "n/a" }' "$LAB_DIR/time"; }

# perf_dnsperf PID SERVER FILE [dnsperf options] and perf_flood (same
# arguments, dns-flood options) print "qps p50_us p99_us lost
# server_cpu_us_per_query tool_cpu_us_per_query server% upstream% tool%" for
# the server PID answering at SERVER.
perf_dnsperf() {
	local pid=$1 server=$2 file=$3 cpu0 cpu1 up0 up1 t0 t1
	shift 3
	cpu0=$(cpu_ns "$pid") up0=$(cpu_ns "$upstream_pid") t0=$(date +%s%N)
	# The replies to a file: through a pipe into the shell they cost a
	# CPU share of their own on this 2-core machine.
	{ time lab_exec dev dnsperf -s "$server" -d "$file" -c "$CLIENTS" -T "$THREADS" -q "$WINDOW" -t 2 -v "$@" \
		>"$LAB_DIR/out" 2>&1; } 2>"$LAB_DIR/time"
	cpu1=$(cpu_ns "$pid") up1=$(cpu_ns "$upstream_pid") t1=$(date +%s%N)
	local qps lost completed cpu tool sh
	qps=$(awk '/Queries per second/ {printf "%d", $4}' "$LAB_DIR/out")
	lost=$(awk '/Queries lost/ {print $3}' "$LAB_DIR/out")
	completed=$(awk '/Queries completed/ {print $3}' "$LAB_DIR/out")
	cpu=$(per_query "$((cpu1 - cpu0))" "$completed")
	tool=$(tool_cpu "$completed")
	sh=$(shares "$cpu0" "$cpu1" "$up0" "$up1" "$t0" "$t1")
	# -v prints "> NOERROR name A latency_seconds" per reply.
	grep '^> ' "$LAB_DIR/out" | awk '{print int($NF * 1000000)}' | sort -n |
		awk -v qps="$qps" -v lost="$lost" -v cpu="$cpu" -v tool="$tool" -v shares="$sh" '
		{ a[NR] = $1 }
		END {
			if (!NR) { print qps, "n/a", "n/a", lost, cpu, tool, shares; exit }
			i50 = int(NR * 0.5); if (i50 < 1) i50 = 1
			i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
			print qps, a[i50], a[i99], lost, cpu, tool, shares
		}'
}

perf_flood() {
	local pid=$1 server=$2 file=$3 cpu0 cpu1 up0 up1 t0 t1
	shift 3
	cpu0=$(cpu_ns "$pid") up0=$(cpu_ns "$upstream_pid") t0=$(date +%s%N)
	{ time lab_exec dev "$LAB_DIR/dns-flood" -s "$server" -d "$file" -S "$CLIENTS" -q "$WINDOW" -t 2 "$@" \
		>"$LAB_DIR/out" 2>&1; } 2>"$LAB_DIR/time"
	cpu1=$(cpu_ns "$pid") up1=$(cpu_ns "$upstream_pid") t1=$(date +%s%N)
	local answered other
	answered=$(awk '$1 == "answered" {print $2}' "$LAB_DIR/out")
	other=$(awk '$1 == "other" {print $2}' "$LAB_DIR/out")
	awk -v cpu="$(per_query "$((cpu1 - cpu0))" "$((${answered:-0} + ${other:-0}))")" \
		-v tool="$(tool_cpu "$((${answered:-0} + ${other:-0}))")" \
		-v shares="$(shares "$cpu0" "$cpu1" "$up0" "$up1" "$t0" "$t1")" \
		-v run="$server $(basename "$file")" '
		{ v[$1] = $2 }
		END {
			if (v["other"] + v["unmatched"] + v["unsent"] > 0)
				printf "dns-flood %s: %d answers with another RCODE, %d matching no " \
					"query in flight (late ones among them), %d not sent\n", run,
					v["other"], v["unmatched"], v["unsent"] >"/dev/stderr"
			print v["qps"] + 0, v["p50_us"], v["p99_us"], v["lost"], cpu, tool, shares
		}
	' "$LAB_DIR/out"
}

for i in $(seq 1 100); do echo "n$i.bench.lab A"; done >"$LAB_DIR/hits"
# Every run of the cache-miss mix asks names no run asked before.
for tool in dnsperf flood; do
	for who in connd base dnsmasq connman; do
		for i in $(seq 1 "$MISSES"); do echo "$who-$tool-m$i.bench.lab A"; done \
			>"$LAB_DIR/misses-$tool-$who"
	done
done

# measure MIX PID SERVER WHO: sets MIX_dnsperf_WHO and MIX_flood_WHO (MIX:
# hit or miss), one tool right after the other.
measure() {
	local tool
	for tool in dnsperf flood; do
		if [ "$1" = hit ]; then
			printf -v "hit_${tool}_$4" %s "$(perf_$tool "$2" "$3" "$LAB_DIR/hits" -l "$SECONDS_RUN")"
		else
			printf -v "miss_${tool}_$4" %s \
				"$(perf_$tool "$2" "$3" "$LAB_DIR/misses-$tool-$4" -n 1)"
		fi
	done
}

# measure_connd NAME BINARY [dnsmasq]: both mixes with both tools, and
# rss_NAME; with "dnsmasq", also dnsmasq's, measured while that connd runs
# (the route to the upstream is its DHCP lease's), each mix right after
# connd's.
measure_connd() {
	local dnsmasq_pid
	LAB_CONND=$2 lab_connd dev up0
	lab_wait 20 service_state dev up0 'ready|online' || { echo "connd did not come up"; exit 1; }
	lab_connmanctl config "$(lab_service dev up0)" --nameservers $UP >/dev/null
	lab_wait 5 lab_exec dev dig @$CONND_ADDR +short +time=1 n1.bench.lab ||
		{ echo "proxy not answering"; exit 1; }
	# Warm the caches with the hit set.
	lab_exec dev dnsperf -s $CONND_ADDR -d "$LAB_DIR/hits" -n 1 >/dev/null 2>&1
	measure hit $LAB_CONND_PID $CONND_ADDR "$1"
	if [ -n "${3:-}" ]; then
		dnsmasq_pid=$(cat "$LAB_DIR/forwarder.pid")
		lab_exec dev dnsperf -s $DNSMASQ_ADDR -d "$LAB_DIR/hits" -n 1 >/dev/null 2>&1
		measure hit "$dnsmasq_pid" $DNSMASQ_ADDR dnsmasq
	fi
	measure miss $LAB_CONND_PID $CONND_ADDR "$1"
	printf -v "rss_$1" %s "$(awk '/VmRSS/ {print $2}' "/proc/$LAB_CONND_PID/status")"
	local quiet_from=$SECONDS
	if [ -n "${3:-}" ]; then
		measure miss "$dnsmasq_pid" $DNSMASQ_ADDR dnsmasq
		rss_dnsmasq=$(awk '/VmRSS/ {print $2}' "/proc/$dnsmasq_pid/status")
	fi
	# Quiet for longer than the proxy keeps a burst's buffers (10 to 20 s).
	sleep $((quiet_from + 22 > SECONDS ? quiet_from + 22 - SECONDS : 0))
	printf -v "rss_quiet_$1" %s "$(awk '/VmRSS/ {print $2}' "/proc/$LAB_CONND_PID/status")"
	lab_connd_stop >/dev/null
}

for tool in dnsperf flood; do
	for who in base connd dnsmasq connman; do
		printf -v "hit_${tool}_$who" %s ""
		printf -v "miss_${tool}_$who" %s ""
	done
done
rss_base=n/a rss_connd=n/a rss_dnsmasq=n/a rss_quiet_base=n/a rss_quiet_connd=n/a
[ -z "$BASE" ] || measure_connd base "$BASE"
measure_connd connd "$CONND" dnsmasq

# ConnMan 1.41's proxy on the same 127.0.0.1:53, the same bus name, the same
# upstream (set as the service's nameserver, as for connd). /var/lib and /run
# are its own tmpfs: nothing it writes reaches the host.
rss_connman=n/a
if CONNMAND=$("$REPO/tests/lab/connman.sh" connmand 2>/dev/null); then
	printf '[General]\nOnlineCheckIPv4URL = http://isp.lab/online/status.html\n' >"$LAB_DIR/cm.conf"
	ip netns exec "$(lab_nsname dev)" unshare --uts --mount sh -c "mount -t tmpfs tmpfs /var/lib &&
		mount -t tmpfs tmpfs /run && mkdir -p /var/lib/connman /run/connman &&
		exec '$CONNMAND' -n -i up0 -c '$LAB_DIR/cm.conf'" >"$LAB_DIR/connman.log" 2>&1 &
	cm=$!
	lab_defer "kill $cm"
	if lab_wait 30 service_state dev up0 'ready|online' &&
	   lab_connmanctl config "$(lab_service dev up0)" --nameservers $UP >/dev/null &&
	   lab_wait 10 lab_exec dev dig @$CONND_ADDR +short +time=1 n1.bench.lab; then
		lab_exec dev dnsperf -s $CONND_ADDR -d "$LAB_DIR/hits" -n 1 >/dev/null 2>&1
		measure hit $cm $CONND_ADDR connman
		measure miss $cm $CONND_ADDR connman
		rss_connman=$(awk '/VmRSS/ {print $2}' "/proc/$cm/status")
	else
		echo "ConnMan did not come up with its DNS proxy; see $LAB_DIR/connman.log" >&2
	fi
	kill "$cm" 2>/dev/null; wait "$cm" 2>/dev/null
fi

row() { # row LABEL "qps p50 p99 lost cpu tool_cpu server% upstream% tool%"
	set -- "$1" ${2:-n/a n/a n/a n/a n/a n/a n/a n/a n/a}
	printf '  %-24s %9s %8s %8s %6s %10s %10s %7s %8s %6s\n' "$@"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# v MIX TOOL WHO: that run's figures.
v() { local n="$1_$2_$3"; printf %s "${!n}"; }
# qps MIX TOOL WHO
qps() { local f; f=$(v "$@"); printf %s "${f%% *}"; }

printf '\nDNS: %s clients (sockets), %s queries in flight, upstream dnsmasq in the ISP namespace; load %s\n' \
	"$CLIENTS" "$WINDOW" "$(cut -d' ' -f1-3 /proc/loadavg)"
for tool in dnsperf flood; do
	case $tool in
	dnsperf) printf '  dnsperf, %s threads\n' "$THREADS" ;;
	flood) printf '  dns-flood (one thread, sendmmsg/recvmmsg)\n' ;;
	esac
	printf '  %-24s %9s %8s %8s %6s %10s %10s %7s %8s %6s\n' "" "queries/s" "p50 (us)" \
		"p99 (us)" "lost" "server/q" "tool/q" "server" "upstream" "tool"
	[ -z "$BASE" ] || row "cache hit: connd (base)" "$(v hit $tool base)"
	row "cache hit: connd" "$(v hit $tool connd)"
	row "cache hit: dnsmasq" "$(v hit $tool dnsmasq)"
	row "cache hit: ConnMan 1.41" "$(v hit $tool connman)"
	[ -z "$BASE" ] || row "cache miss: connd (base)" "$(v miss $tool base)"
	row "cache miss: connd" "$(v miss $tool connd)"
	row "cache miss: dnsmasq" "$(v miss $tool dnsmasq)"
	row "cache miss: ConnMan 1.41" "$(v miss $tool connman)"
done
printf '  (server/q and tool/q: microseconds of CPU per query answered)\n'
printf '  %-46s %8s %10s\n' "queries/s ratios" dnsperf dns-flood
ratios() { # ratios LABEL MIX WHO OVER
	printf '  %-46s %8s %10s\n' "$1" "$(ratio "$(qps "$2" dnsperf "$3")" "$(qps "$2" dnsperf "$4")")" \
		"$(ratio "$(qps "$2" flood "$3")" "$(qps "$2" flood "$4")")"
}
ratios "cache hit, connd / dnsmasq (target >= 2)" hit connd dnsmasq
ratios "cache miss, connd / ConnMan (target >= 1.5)" miss connd connman
ratios "cache miss, connd / dnsmasq" miss connd dnsmasq
ratios "cache hit, connd / ConnMan" hit connd connman
if [ -n "$BASE" ]; then
	ratios "cache hit, connd / base" hit connd base
	ratios "cache miss, connd / base" miss connd base
fi
printf '  RSS right after the runs: connd %s KiB, ConnMan %s KiB (whole daemons), dnsmasq %s KiB\n' \
	"$rss_connd" "$rss_connman" "$rss_dnsmasq"
printf '  RSS 22 s later, queries quiet: connd %s KiB (base %s KiB right after, %s 22 s later)\n' \
	"$rss_quiet_connd" "$rss_base" "$rss_quiet_base"
lab_teardown
