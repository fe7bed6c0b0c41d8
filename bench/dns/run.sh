#!/usr/bin/env bash
# bench/dns: dnsperf against connd's DNS proxy, against dnsmasq set up as a
# caching forwarder (same upstream, same namespace, same cache size) and,
# after connd stops, against Debian's ConnMan's own DNS proxy in the same
# namespace, in the same run: a cache-hit mix (a warm set of names, over and
# over) and a cache-miss mix (every name new, so each query goes upstream).
# Prints queries/s and latency percentiles side by side, and each server's
# CPU time per query answered (from /proc/PID/schedstat): queries/s depends
# on how busy the machine is, CPU per query much less. Each row also gives
# the share of one CPU that the server, the upstream and dnsperf each used
# during the run: one at 100% is what limits queries/s there; the machine
# has two CPUs for the three of them (and whoever else runs).
# dnsperf runs THREADS threads (each a sender and a receiver): with one, it
# was the cap for connd's cache hits (66k q/s, connd at 23% of a CPU; with
# two, 94k q/s and 51%, same lab); the same for every server.
#   bench/dns/run.sh [BUILD [BASE_CONND]]
#   SECONDS_RUN=10 CLIENTS=10 THREADS=2 MISSES=20000
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
MISSES=${MISSES:-20000}
export REPO BUILD CONND=$BUILD/src/connd
. "$REPO/tests/lab/lab.sh"
lab_require_root
command -v dnsperf >/dev/null || { echo "bench/dns needs dnsperf (apt-get install dnsperf)"; exit 1; }

UP=10.34.0.2		# the upstream: a dnsmasq on the ISP's lo answering *.bench.lab
CONND_ADDR=127.0.0.1
DNSMASQ_ADDR=127.0.0.2

lab_init
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

# perf PID SERVER FILE [dnsperf options]: prints "qps p50_us p99_us lost
# cpu_us_per_query server% upstream% dnsperf%" for the server PID answering
# at SERVER; the last three are the share of one CPU each process used over
# the run's wall-clock time (100%: that process was the limit).
perf() {
	local pid=$1 server=$2 file=$3 cpu0 cpu1 up0 up1 t0 t1
	shift 3
	cpu0=$(cpu_ns "$pid") up0=$(cpu_ns "$upstream_pid") t0=$(date +%s%N)
	# The replies to a file: through a pipe into the shell they cost a
	# CPU share of their own on this 2-core machine.
	{ time lab_exec dev dnsperf -s "$server" -d "$file" -c "$CLIENTS" -T "$THREADS" -q 200 -t 2 -v "$@" \
		>"$LAB_DIR/out" 2>&1; } 2>"$LAB_DIR/time"
	cpu1=$(cpu_ns "$pid") up1=$(cpu_ns "$upstream_pid") t1=$(date +%s%N)
	local qps lost completed cpu shares
	qps=$(awk '/Queries per second/ {printf "%d", $4}' "$LAB_DIR/out")
	lost=$(awk '/Queries lost/ {print $3}' "$LAB_DIR/out")
	completed=$(awk '/Queries completed/ {print $3}' "$LAB_DIR/out")
	cpu=$(awk -v d="$((cpu1 - cpu0))" -v n="${completed:-0}" 'BEGIN { if (n > 0) printf "%.1f", d / n / 1000; else print "n/a" }')
	# TIMEFORMAT: "real user sys" of dnsperf.
	shares=$(awk -v w="$((t1 - t0))" -v s="$((cpu1 - cpu0))" -v u="$((up1 - up0))" \
		'{ printf "%.0f%% %.0f%% %.0f%%", s / w * 100, u / w * 100, ($2 + $3) * 1e9 / w * 100 }' \
		"$LAB_DIR/time")
	# -v prints "> NOERROR name A latency_seconds" per reply.
	grep '^> ' "$LAB_DIR/out" | awk '{print int($NF * 1000000)}' | sort -n | awk -v qps="$qps" -v lost="$lost" -v cpu="$cpu" -v shares="$shares" '
		{ a[NR] = $1 }
		END {
			if (!NR) { print qps, "n/a", "n/a", lost, cpu, shares; exit }
			i50 = int(NR * 0.5); if (i50 < 1) i50 = 1
			i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
			print qps, a[i50], a[i99], lost, cpu, shares
		}'
}

for i in $(seq 1 100); do echo "n$i.bench.lab A"; done >"$LAB_DIR/hits"
for who in connd base dnsmasq connman; do
	for i in $(seq 1 "$MISSES"); do echo "$who-m$i.bench.lab A"; done >"$LAB_DIR/misses-$who"
done

# measure_connd NAME BINARY [dnsmasq]: sets hit_NAME, miss_NAME and
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
	printf -v "hit_$1" %s "$(perf $LAB_CONND_PID $CONND_ADDR "$LAB_DIR/hits" -l "$SECONDS_RUN")"
	if [ -n "${3:-}" ]; then
		dnsmasq_pid=$(cat "$LAB_DIR/forwarder.pid")
		lab_exec dev dnsperf -s $DNSMASQ_ADDR -d "$LAB_DIR/hits" -n 1 >/dev/null 2>&1
		hit_dnsmasq=$(perf $dnsmasq_pid $DNSMASQ_ADDR "$LAB_DIR/hits" -l "$SECONDS_RUN")
	fi
	printf -v "miss_$1" %s "$(perf $LAB_CONND_PID $CONND_ADDR "$LAB_DIR/misses-$1" -n 1)"
	if [ -n "${3:-}" ]; then
		miss_dnsmasq=$(perf $dnsmasq_pid $DNSMASQ_ADDR "$LAB_DIR/misses-dnsmasq" -n 1)
		rss_dnsmasq=$(awk '/VmRSS/ {print $2}' "/proc/$dnsmasq_pid/status")
	fi
	printf -v "rss_$1" %s "$(awk '/VmRSS/ {print $2}' "/proc/$LAB_CONND_PID/status")"
	lab_connd_stop >/dev/null
}

hit_base="" miss_base="" rss_base=n/a
[ -z "$BASE" ] || measure_connd base "$BASE"
measure_connd connd "$CONND" dnsmasq

# ConnMan 1.41's proxy on the same 127.0.0.1:53, the same bus name, the same
# upstream (set as the service's nameserver, as for connd). /var/lib and /run
# are its own tmpfs: nothing it writes reaches the host.
hit_connman="" miss_connman="" rss_connman=n/a
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
		hit_connman=$(perf $cm $CONND_ADDR "$LAB_DIR/hits" -l "$SECONDS_RUN")
		miss_connman=$(perf $cm $CONND_ADDR "$LAB_DIR/misses-connman" -n 1)
		rss_connman=$(awk '/VmRSS/ {print $2}' "/proc/$cm/status")
	else
		echo "ConnMan did not come up with its DNS proxy; see $LAB_DIR/connman.log" >&2
	fi
	kill "$cm" 2>/dev/null; wait "$cm" 2>/dev/null
fi

row() { # row LABEL "qps p50 p99 lost cpu server% upstream% dnsperf%"
	set -- "$1" ${2:-n/a n/a n/a n/a n/a n/a n/a n/a}
	printf '  %-24s %9s %9s %9s %6s %9s %8s %8s %8s\n' "$@"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

printf '\nDNS: dnsperf, %s clients, %s threads, upstream dnsmasq in the ISP namespace\n' \
	"$CLIENTS" "$THREADS"
printf '  %-24s %9s %9s %9s %6s %9s %8s %8s %8s\n' "" "queries/s" "p50 (us)" "p99 (us)" \
	"lost" "cpu/q (us)" "server" "upstream" "dnsperf"
[ -z "$BASE" ] || row "cache hit: connd (base)" "$hit_base"
row "cache hit: connd" "$hit_connd"
row "cache hit: dnsmasq" "$hit_dnsmasq"
[ -z "$BASE" ] || row "cache miss: connd (base)" "$miss_base"
row "cache miss: connd" "$miss_connd"
row "cache miss: dnsmasq" "$miss_dnsmasq"
row "cache hit: ConnMan 1.41" "$hit_connman"
row "cache miss: ConnMan 1.41" "$miss_connman"
printf '  cache-hit queries/s, connd / dnsmasq: %s (target >= 2)\n' \
	"$(ratio "${hit_connd%% *}" "${hit_dnsmasq%% *}")"
printf '  cache-miss queries/s, connd / ConnMan: %s (target >= 1.5)\n' \
	"$(ratio "${miss_connd%% *}" "${miss_connman%% *}")"
printf '  cache-miss queries/s, connd / dnsmasq: %s\n' \
	"$(ratio "${miss_connd%% *}" "${miss_dnsmasq%% *}")"
printf '  cache-hit queries/s, connd / ConnMan: %s\n' "$(ratio "${hit_connd%% *}" "${hit_connman%% *}")"
[ -z "$BASE" ] || printf '  connd / base: cache hit %s, cache miss %s (queries/s)\n' \
	"$(ratio "${hit_connd%% *}" "${hit_base%% *}")" "$(ratio "${miss_connd%% *}" "${miss_base%% *}")"
printf '  RSS after the runs: connd %s KiB, ConnMan %s KiB (whole daemons), dnsmasq %s KiB\n' \
	"$rss_connd" "$rss_connman" "$rss_dnsmasq"
lab_teardown
