#!/usr/bin/env bash
# bench/dns: dnsperf against connd's DNS proxy, against dnsmasq set up as a
# caching forwarder (same upstream, same namespace, same cache size) and,
# after connd stops, against Debian's ConnMan's own DNS proxy in the same
# namespace, in the same run: a cache-hit mix (a warm set of names, over and
# over) and a cache-miss mix (every name new, so each query goes upstream).
# Prints queries/s and latency percentiles side by side, and each server's
# CPU time per query answered (from /proc/PID/schedstat): queries/s depends
# on how busy the machine is, CPU per query much less.
#   bench/dns/run.sh [BUILD]      SECONDS=10 CLIENTS=10 MISSES=20000
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
SECONDS_RUN=${SECONDS_RUN:-10}
CLIENTS=${CLIENTS:-10}
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
lab_connd dev up0
lab_wait 20 service_state dev up0 'ready|online' || { echo "connd did not come up"; exit 1; }
lab_connmanctl config "$(lab_service dev up0)" --nameservers $UP >/dev/null
lab_wait 5 lab_exec dev dig @$CONND_ADDR +short +time=1 n1.bench.lab || { echo "proxy not answering"; exit 1; }

# Nanoseconds process PID has run on a CPU.
cpu_ns() { awk '{print $1}' "/proc/$1/schedstat" 2>/dev/null || echo 0; }

# perf PID SERVER FILE [dnsperf options]: prints "qps p50_us p99_us lost
# cpu_us_per_query" for the server PID answering at SERVER.
perf() {
	local pid=$1 server=$2 file=$3 out cpu0 cpu1
	shift 3
	cpu0=$(cpu_ns "$pid")
	out=$(lab_exec dev dnsperf -s "$server" -d "$file" -c "$CLIENTS" -q 200 -t 2 -v "$@" 2>&1)
	cpu1=$(cpu_ns "$pid")
	local qps lost completed cpu
	qps=$(awk '/Queries per second/ {printf "%d", $4}' <<<"$out")
	lost=$(awk '/Queries lost/ {print $3}' <<<"$out")
	completed=$(awk '/Queries completed/ {print $3}' <<<"$out")
	cpu=$(awk -v d="$((cpu1 - cpu0))" -v n="${completed:-0}" 'BEGIN { if (n > 0) printf "%.1f", d / n / 1000; else print "n/a" }')
	# -v prints "> NOERROR name A latency_seconds" per reply.
	grep '^> ' <<<"$out" | awk '{print int($NF * 1000000)}' | sort -n | awk -v qps="$qps" -v lost="$lost" -v cpu="$cpu" '
		{ a[NR] = $1 }
		END {
			if (!NR) { print qps, "n/a", "n/a", lost, cpu; exit }
			i50 = int(NR * 0.5); if (i50 < 1) i50 = 1
			i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
			print qps, a[i50], a[i99], lost, cpu
		}'
}

for i in $(seq 1 100); do echo "n$i.bench.lab A"; done >"$LAB_DIR/hits"
for who in connd dnsmasq connman; do
	for i in $(seq 1 "$MISSES"); do echo "$who-m$i.bench.lab A"; done >"$LAB_DIR/misses-$who"
done

# Warm both caches with the hit set.
lab_exec dev dnsperf -s $CONND_ADDR -d "$LAB_DIR/hits" -n 1 >/dev/null 2>&1
lab_exec dev dnsperf -s $DNSMASQ_ADDR -d "$LAB_DIR/hits" -n 1 >/dev/null 2>&1

dnsmasq_pid=$(cat "$LAB_DIR/forwarder.pid")
hit_connd=$(perf $LAB_CONND_PID $CONND_ADDR "$LAB_DIR/hits" -l "$SECONDS_RUN")
hit_dnsmasq=$(perf $dnsmasq_pid $DNSMASQ_ADDR "$LAB_DIR/hits" -l "$SECONDS_RUN")
miss_connd=$(perf $LAB_CONND_PID $CONND_ADDR "$LAB_DIR/misses-connd" -n 1)
miss_dnsmasq=$(perf $dnsmasq_pid $DNSMASQ_ADDR "$LAB_DIR/misses-dnsmasq" -n 1)
rss_connd=$(awk '/VmRSS/ {print $2}' "/proc/$LAB_CONND_PID/status")
rss_dnsmasq=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$LAB_DIR/forwarder.pid")/status")
lab_connd_stop >/dev/null

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

row() { # row LABEL "qps p50 p99 lost cpu"
	set -- "$1" ${2:-n/a n/a n/a n/a n/a}
	printf '  %-22s %10s %10s %10s %8s %10s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

printf '\nDNS: dnsperf, %s clients, upstream dnsmasq in the ISP namespace\n' "$CLIENTS"
printf '  %-22s %10s %10s %10s %8s %10s\n' "" "queries/s" "p50 (us)" "p99 (us)" "lost" "cpu/q (us)"
row "cache hit: connd" "$hit_connd"
row "cache hit: dnsmasq" "$hit_dnsmasq"
row "cache miss: connd" "$miss_connd"
row "cache miss: dnsmasq" "$miss_dnsmasq"
row "cache hit: ConnMan 1.41" "$hit_connman"
row "cache miss: ConnMan 1.41" "$miss_connman"
printf '  cache-hit queries/s, connd / dnsmasq: %s (target >= 1)\n' \
	"$(ratio "${hit_connd%% *}" "${hit_dnsmasq%% *}")"
printf '  cache-miss queries/s, connd / dnsmasq: %s\n' \
	"$(ratio "${miss_connd%% *}" "${miss_dnsmasq%% *}")"
printf '  cache-hit queries/s, connd / ConnMan: %s\n' "$(ratio "${hit_connd%% *}" "${hit_connman%% *}")"
printf '  RSS after the runs: connd %s KiB, ConnMan %s KiB (whole daemons), dnsmasq %s KiB\n' \
	"$rss_connd" "$rss_connman" "$rss_dnsmasq"
lab_teardown
