#!/usr/bin/env bash
# A client sees a service's IPv4 before (or with) its State = ready, never
# after: by DHCP, and by a manual configuration. The lease's nameservers,
# timeservers and search domains likewise: the service shows them only once
# it is connected, so a client that missed them there would never hear of
# them (ConnMan signals them when the service connects).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.38.1.1/24
lab_dbus
# watch FILE: a watcher writing there from now on.
watch() {
	"$LAB_PY" "$LAB_REPO/tests/lab/watch-states.py" --ipv4 --lists >"$1" 2>&1 &
	lab_defer "kill $!"
	lab_wait 5 grep -q ready "$1"
}
props=$LAB_DIR/props-dhcp.log
watch "$props"
lab_connd dev up0
svc=$(lab_service dev up0)

# ipv4_before_ready: the first "State ready" of the service comes after an
# IPv4 signal carrying an address.
ipv4_before_ready() {
	awk -v s="$svc" '{ for (i = 1; i < NF && $i != s; i++) ; prop = $(i + 1); value = $(i + 3) }
		$i == s && prop == "IPv4" && value != "-" { addr = 1 }
		$i == s && prop == "State" && value == "ready" { exit(addr ? 0 : 1) }
		END { if (!addr) exit 1 }' "$props"
}

# before_ready PROP VALUE: the service's last PROP signal before its first
# "State ready" said VALUE.
before_ready() {
	awk -v s="$svc" -v p="$1" -v want="$2" '{ for (i = 1; i < NF && $i != s; i++) ; }
		$i == s && $(i + 1) == p { value = $(i + 3) }
		$i == s && $(i + 1) == "State" && $(i + 3) == "ready" { exit(value == want ? 0 : 1) }
		END { if (value != want) exit 1 }' "$props"
}

check_wait "the service goes online over DHCP" 20 service_state dev up0 online
check "its IPv4 address was signalled before State = ready" ipv4_before_ready
check "the lease's nameserver was signalled before State = ready" \
	before_ready Nameservers 10.38.1.1
check "the lease's timeserver was signalled before State = ready" \
	before_ready Timeservers 10.38.1.1
check "the lease's search domain was signalled before State = ready" \
	before_ready Domains isp.lab
lab_log "$(cat "$props")"

props=$LAB_DIR/props-manual.log
watch "$props"
lab_connmanctl config "$svc" --ipv4 manual 10.38.1.50 255.255.255.0 10.38.1.1 >/dev/null
check_wait "with a manual address, connected again" 20 service_state dev up0 'ready|online'
check_wait "its State = ready was signalled" 5 grep -q "State = ready" "$props"
check "the manual address was signalled before State = ready" ipv4_before_ready
lab_log "$(cat "$props")"
check "connd stops cleanly" lab_connd_stop
lab_done
