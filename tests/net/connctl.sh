#!/usr/bin/env bash
# connctl against connd in a lab: its listings compared with the real
# connmanctl's for the same state, --json parsed, exit codes, errors, the
# bus policy (data/connd-dbus.conf) enforced by a private dbus-daemon.
#
#   tests/net/connctl.sh [-i IFACE] [BUILD_DIR]   (root; exit 0 pass, 1 fail, 77 skip)
#   BUILD      build directory (default build), also the first argument
#   CONND      the daemon (default $BUILD/src/connd); CONNCTL likewise
#   CONNMANCTL the real connmanctl; else the lab's, from Debian's connman
#              package unpacked by tests/lab/connman.sh, never installed
#   WRAP       run connctl under this, e.g. "valgrind -q --leak-check=full --error-exitcode=99"
set -u
iface=veth0
while getopts i: opt; do
	case $opt in
	i) iface=$OPTARG ;;
	*) echo "usage: $0 [-i IFACE] [BUILD_DIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
build=${1:-${BUILD:-build}}
src=$(cd "$(dirname "$0")/../.." && pwd)
connd=${CONND:-$build/src/connd}
connctl=$(realpath -m "${CONNCTL:-$build/client/connctl}")
py=/usr/bin/python3

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
for tool in dbus-daemon dnsmasq ethtool setpriv; do
	command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
[ -x "$connd" ] || { echo "SKIP: $connd not built"; exit 77; }
[ -x "$connctl" ] || { echo "SKIP: $connctl not built"; exit 77; }

suffix=$$-$RANDOM
cli=cctl-cli-$suffix
isp=cctl-isp-$suffix
dir=$(mktemp -d /tmp/connd-connctl.XXXXXX)
chmod 755 "$dir"
pids=()
connd_pid=
failures=0

cleanup() {
	[ -n "$connd_pid" ] && kill "$connd_pid" 2>/dev/null && wait "$connd_pid" 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	ip netns del "$cli" 2>/dev/null
	ip netns del "$isp" 2>/dev/null
	rm -rf "/etc/netns/$cli" "/etc/netns/$isp" "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { echo "ok - $*"; }
bad() { echo "FAIL - $*"; failures=$((failures + 1)); }
die() { echo "FAIL - $*"; [ -f "$dir/connd.log" ] && tail -n 20 "$dir/connd.log" | sed 's/^/  connd: /'; exit 1; }

wait_for() { # tries (0.1 s each), command...
	local n=$1; shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# --- the real connmanctl ---
# The lab's unpacking takes a lock and renames a finished tree into place:
# safe when several scenarios ask at once (a private download was not).
connmanctl=${CONNMANCTL:-$("$src/tests/lab/connman.sh" connmanctl 2>/dev/null)}
[ -x "$connmanctl" ] || { echo "note: no connmanctl, comparisons skipped"; connmanctl=; }

# --- the lab: ISP with dnsmasq, client namespace with connd, private bus ---
for ns in "$isp" "$cli"; do
	mkdir -p "/etc/netns/$ns"
	echo "nameserver 127.0.0.1" >"/etc/netns/$ns/resolv.conf"
	ip netns add "$ns" || die "netns $ns"
	ip -n "$ns" link set lo up
done
ip -n "$isp" link add veth-isp type veth peer name "$iface" netns "$cli" || die "veth"
ip -n "$isp" addr add 192.168.79.1/24 dev veth-isp
ip -n "$isp" link set veth-isp up
ip netns exec "$isp" ethtool -K veth-isp tx off >/dev/null
ip netns exec "$isp" dnsmasq --conf-file=/dev/null -k --port=0 --interface=veth-isp \
	--bind-interfaces --no-ping --dhcp-authoritative \
	--dhcp-range=192.168.79.50,192.168.79.150,255.255.255.0,2m \
	--dhcp-option=option:router,192.168.79.1 --dhcp-option=option:dns-server,192.168.79.1 \
	--dhcp-option=option:domain-name,lab.example --dhcp-leasefile="$dir/leases" \
	--pid-file="$dir/dnsmasq.pid" --log-facility="$dir/dnsmasq.log" &
pids+=($!)

# Debian's system bus defaults plus our policy, so the policy is what is tested.
cat >"$dir/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$dir/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
  <include>$src/data/connd-dbus.conf</include>
</busconfig>
EOF
dbus-daemon --config-file="$dir/bus.conf" --nofork --nosyslog 2>"$dir/dbus.log" &
pids+=($!)
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$dir/bus
wait_for 50 test -S "$dir/bus" || die "dbus-daemon did not start"

start_connd() {
	# Its own UTS namespace: a DHCP host name must never rename the host.
	ip netns exec "$cli" unshare --uts "$connd" -n -i "$iface" --state-dir "$dir/state" --resolv-conf "$dir/resolv.conf" >>"$dir/connd.log" 2>&1 &
	connd_pid=$!
}
start_connd

c() { ip netns exec "$cli" ${WRAP:-} "$connctl" "$@"; }
cm() { ip netns exec "$cli" "$connmanctl" "$@" 2>/dev/null; }
json() { $py -c "import json,sys; d=json.load(sys.stdin); $1"; }
svc_state() { c --json services | json 'print(d[0]["properties"]["State"])'; }
is_ready() { case $(svc_state) in ready|online) return 0 ;; esac; return 1; }

wait_for 150 is_ready || die "the service never became ready"
svc=$(c --json services | json 'print(d[0]["id"])')
ok "service $svc ready"

# expect CODE what command... : exit code and stderr checked.
expect() {
	local want=$1 what=$2; shift 2
	"$@" >"$dir/out" 2>"$dir/err"
	local got=$?
	if [ "$got" = "$want" ]; then ok "$what: exit $got"; else
		bad "$what: exit $got, expected $want"; sed 's/^/    /' "$dir/err"; fi
}
stderr_has() {
	if grep -q -- "$1" "$dir/err"; then ok "stderr names $1"; else
		bad "stderr lacks $1: $(cat "$dir/err")"; fi
}

# --- the same state, as connmanctl and connctl print it ---
compare() { # label, connmanctl/connctl arguments
	local label=$1; shift
	[ -n "$connmanctl" ] || return 0
	cm "$@" >"$dir/theirs"
	c "$@" >"$dir/ours" 2>&1
	if [ -s "$dir/theirs" ] && cmp -s "$dir/theirs" "$dir/ours"; then
		ok "$label matches connmanctl"
	else
		bad "$label differs from connmanctl"; diff "$dir/theirs" "$dir/ours" | sed 's/^/    /'
	fi
}
compare_all() {
	compare "$1: state" state
	compare "$1: technologies" technologies
	compare "$1: services" services
	compare "$1: services ID" services "$svc"
}
compare_all dhcp
# Time ticks between the two calls: compared without it.
if [ -n "$connmanctl" ]; then
	if cmp -s <(cm clock | grep -v '^  Time =') <(c clock | grep -v '^  Time ='); then
		ok "clock matches connmanctl"
	else
		bad "clock differs from connmanctl"; diff <(cm clock) <(c clock) | sed 's/^/    /'
	fi
fi
expect 0 "services with the path prefix" c services "/net/connman/service/$svc"
cmp -s "$dir/out" <(c services "$svc") && ok "prefix or not, same output" || bad "prefix changes output"

expect 0 "config nameservers, timeservers, domains" \
	c config "$svc" --nameservers 192.0.2.53 192.0.2.54 --timeservers ntp.example --domains a.example b.example
compare_all "configured lists" 
expect 0 "config autoconnect no" c config "$svc" --autoconnect no
compare "autoconnect off: services" services
expect 0 "config manual IPv4" c config "$svc" --ipv4 manual 192.168.79.9 255.255.255.0 192.168.79.1
wait_for 50 sh -c "ip netns exec $cli $connctl services $svc | grep -q 'Address=192.168.79.9'" ||
	bad "manual address not shown"
compare_all manual
expect 0 "back to DHCP, lists cleared, autoconnect on" \
	c config "$svc" --ipv4 dhcp --nameservers --timeservers --domains --autoconnect yes
wait_for 150 is_ready || bad "not ready again after DHCP"

# --- JSON ---
for cmd in state clock technologies services "services $svc" "stats $svc" sessions; do
	# shellcheck disable=SC2086
	if c --json $cmd | $py -c 'import json,sys; json.load(sys.stdin)'; then
		ok "--json $cmd parses"; else bad "--json $cmd does not parse"; fi
done
c --json state | json 'assert d["State"] in ("ready","online") and d["OfflineMode"] is False' &&
	ok "state JSON keys" || bad "state JSON keys"
c --json services | json "s=d[0]; assert s['id']=='$svc' and s['path']=='/net/connman/service/$svc'; \
	assert s['properties']['Ethernet']['Interface']=='$iface'; assert s['properties']['AutoConnect'] is True" &&
	ok "services JSON: id, path, properties" || bad "services JSON shape"
c --json technologies | json 'assert d[0]["id"]=="ethernet" and d[0]["properties"]["Powered"] is True' &&
	ok "technologies JSON" || bad "technologies JSON"
c --json stats "$svc" | json "s=d['statistics']; assert d['interface']=='$iface'; \
	assert all(isinstance(s[k], int) for k in s) and s['RX.Bytes'] > 0 and s['TX.Packets'] > 0" &&
	ok "stats JSON counts traffic" || bad "stats JSON"
rx=$(ip netns exec "$cli" cat "/sys/class/net/$iface/statistics/rx_bytes")
got=$(c --json stats "$svc" | json 'print(d["statistics"]["RX.Bytes"])')
[ "$got" -ge "$rx" ] && ok "stats reads the kernel's counters ($got >= $rx)" || bad "stats $got < $rx"
if [ ! -e "/sys/class/net/$iface" ]; then
	expect 1 "stats outside the namespace" "$connctl" stats "$svc"
	stderr_has "network namespace"
fi

# --- exit codes ---
expect 2 "no command" c
expect 2 "unknown command" c frobnicate
expect 2 "incomplete --ipv4 manual" c config "$svc" --ipv4 manual 10.0.0.5
expect 2 "monitor --count x" c monitor --count x
expect 3 "unknown service" c services ethernet_000000000000_cable
stderr_has "no service"
expect 3 "connect unknown service" c connect nosuch
expect 3 "enable unknown technology" c enable wifi
expect 4 "enable ethernet twice" c enable ethernet
stderr_has net.connman.Error.AlreadyEnabled
expect 1 "bad IPv4 method" c config "$svc" --ipv4 bogus
stderr_has net.connman.Error.InvalidArguments
expect 1 "bad nameserver" c config "$svc" --nameservers not/an/address
stderr_has net.connman.Error.InvalidArguments
expect 4 "connect a connected service" c connect "$svc"
stderr_has net.connman.Error.AlreadyConnected
expect 0 "enable offline" c enable offline
expect 4 "enable offline twice" c enable offline
compare "offline: state" state
expect 0 "disable offline" c disable offline
wait_for 150 is_ready || bad "not ready after offline mode"
expect 0 "disable ethernet" c disable ethernet
expect 4 "disable ethernet twice" c disable ethernet
expect 0 "enable ethernet" c enable ethernet
wait_for 150 is_ready || bad "not ready after power on"

# --- monitor, beside connmanctl's ---
c --json monitor --count 3 --timeout 20 >"$dir/mon.json" &
mon=$!
c monitor --timeout 6 >"$dir/mon.ours" &
mon_text=$!
[ -n "$connmanctl" ] && { ip netns exec "$cli" timeout 6 stdbuf -oL "$connmanctl" monitor \
	>"$dir/mon.theirs" 2>/dev/null & }
sleep 1
expect 0 "disconnect" c disconnect "$svc"
expect 4 "disconnect twice" c disconnect "$svc"
stderr_has net.connman.Error.NotConnected
expect 0 "connect" c connect "$svc"
wait "$mon"; rc=$?
[ "$rc" = 0 ] && [ "$(wc -l <"$dir/mon.json")" = 3 ] && ok "monitor --count 3 stops after 3 lines" ||
	bad "monitor --count: rc $rc, $(wc -l <"$dir/mon.json") lines"
json_lines() { $py -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <"$1"; }
json_lines "$dir/mon.json" && grep -q '"name":"State","value":"disconnect"' "$dir/mon.json" &&
	ok "monitor JSON lines report the disconnect" || bad "monitor JSON: $(cat "$dir/mon.json")"
wait "$mon_text"
sleep 0.5
if [ -n "$connmanctl" ]; then
	# connmanctl prints PropertyChanged alike; other signals in its own way.
	if grep ' = ' "$dir/mon.theirs" | cmp -s - <(grep ' = ' "$dir/mon.ours") &&
	   [ -s "$dir/mon.ours" ]; then
		ok "monitor lines match connmanctl's ($(wc -l <"$dir/mon.ours") lines)"
	else
		bad "monitor differs from connmanctl"
		diff "$dir/mon.theirs" "$dir/mon.ours" | sed 's/^/    /'
	fi
fi
start=$(date +%s%N)
expect 0 "monitor --timeout 1 with nothing happening" c monitor --timeout 1
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -ge 900 ] && [ "$ms" -lt 3000 ] && ok "monitor --timeout 1 took $ms ms" || bad "monitor --timeout 1 took $ms ms"

# --- the bus policy ---
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
expect 1 "nobody may not read the state" nobody "$connctl" state
stderr_has org.freedesktop.DBus.Error.AccessDenied
expect 1 "nobody may not configure" nobody "$connctl" disable offline
expect 0 "nobody may monitor" nobody "$connctl" monitor --timeout 1
cat >"$dir/session.py" <<'EOF'
import sys, dbus
bus = dbus.SystemBus()
m = dbus.Interface(bus.get_object('net.connman', '/'), 'net.connman.Manager')
# Introspection is denied to other users, so the signature is spelled out.
settings = dbus.Dictionary({'AllowedBearers': dbus.Array(['ethernet'], signature='s')},
                           signature='sv')
path = m.CreateSession(settings, dbus.ObjectPath('/connctl/test'))
# The bus policy lets anyone read their own sessions' statistics at once.
try:
    own = [str(p) for p, _ in m.GetSessionStatistics()]
    batch = 'batch ok' if own == [str(path)] else 'batch %s' % own
except dbus.DBusException as e:
    batch = 'batch %s' % e.get_dbus_name()
print(path, flush=True)
print(batch, flush=True)
sys.stdin.readline()
m.DestroySession(path)
EOF
mkfifo "$dir/hold"
nobody $py "$dir/session.py" <"$dir/hold" >"$dir/session.out" 2>"$dir/session.err" &
sess=$!
exec 9>"$dir/hold"
wait_for 50 grep -q batch "$dir/session.out" && ok "nobody may create a session" ||
	bad "CreateSession as nobody: $(cat "$dir/session.err")"
spath=$(head -n 1 "$dir/session.out")
[ "$(sed -n 2p "$dir/session.out")" = "batch ok" ] &&
	ok "nobody may read its sessions' statistics in one call" ||
	bad "GetSessionStatistics as nobody: $(sed -n 2p "$dir/session.out")"
expect 0 "sessions" c sessions
grep -qx "$spath" "$dir/out" && ok "sessions lists $spath" || bad "sessions: $(cat "$dir/out")"
c --json sessions | json "assert d['available'] is True and {'path': '$spath'} in d['sessions']" &&
	ok "sessions JSON" || bad "sessions JSON"
exec 9>&-
wait "$sess" && ok "nobody may destroy the session" || bad "DestroySession as nobody: $(cat "$dir/session.err")"

# --- a daemon without sessions, then none at all ---
kill "$connd_pid"; wait "$connd_pid" 2>/dev/null; connd_pid=
cat >"$dir/fake.py" <<'EOF'
import dbus, dbus.service, dbus.mainloop.glib
from gi.repository import GLib
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()
name = dbus.service.BusName('net.connman', bus)
class Manager(dbus.service.Object):
    @dbus.service.method('net.connman.Manager', out_signature='a{sv}')
    def GetProperties(self):
        return {'State': 'idle'}
Manager(bus, '/')
print('ready', flush=True)
GLib.MainLoop().run()
EOF
$py "$dir/fake.py" >"$dir/fake.out" 2>&1 &
fake=$!
pids+=($fake)
wait_for 50 grep -q ready "$dir/fake.out" || bad "fake daemon: $(cat "$dir/fake.out")"
expect 1 "sessions without Session support" c sessions
stderr_has "not available"
c --json sessions 2>/dev/null | json 'assert d == {"available": False, "sessions": []}' &&
	ok "sessions JSON says unavailable" || bad "sessions JSON without support"
kill "$fake"; wait "$fake" 2>/dev/null
expect 1 "no daemon" c state
stderr_has org.freedesktop.DBus.Error.ServiceUnknown
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$dir/none expect 1 "no bus" c state
stderr_has "cannot connect"

[ "$failures" = 0 ] || { echo "FAIL: $failures checks failed"; exit 1; }
echo "PASS"
