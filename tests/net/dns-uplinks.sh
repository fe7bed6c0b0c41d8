#!/usr/bin/env bash
# The DNS proxy with two uplinks: a name under the second service's search
# domain goes to that service's nameserver, everything else to the default
# service's; when the default uplink goes away the cache is flushed and the
# other uplink's servers answer.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_two_isps
check_wait "both uplinks online" 30 bash -c "service_state dev up0 online && service_state dev up1 online"
q() { lab_exec dev dig @127.0.0.1 +short +time=3 +tries=1 "$@"; }
# Both ISPs answer isp.lab and ipv4.connman.net with their own address.
check_wait "the default uplink's server answers" 5 bash -c "[ \"\$(lab_exec dev dig @127.0.0.1 +short isp.lab)\" = 10.41.1.1 ]"
lab_connmanctl config "$(lab_service dev up1)" --domains connman.net >/dev/null
check_wait "a name under the second service's domain goes to its server" 5 \
	bash -c "[ \"\$(lab_exec dev dig @127.0.0.1 +short ipv4.connman.net)\" = 10.41.2.1 ]"
check "other names still go to the default service's" test "$(q isp.lab)" = 10.41.1.1
check "resolv.conf searches the default service's domain" \
	grep -qx 'search isp.lab' "$LAB_DIR/resolv-dev.conf"
lab_exec dev ip link set up0 down
check_wait "the default uplink goes" 20 bash -c "! service_state dev up0 'ready|online'"
check_wait "cache flushed: the other uplink's server answers" 5 \
	bash -c "[ \"\$(lab_exec dev dig @127.0.0.1 +short isp.lab)\" = 10.41.2.1 ]"
check "connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
