#!/usr/bin/env bash
# The host and domain names from DHCP (options 12 and 15) become connd's
# UTS namespace's, as ConnMan does, each unless main.conf's
# AllowHostnameUpdates / AllowDomainnameUpdates say false; only the default
# service's lease names the system (a second uplink's does once it becomes
# the default); the host's own names never change (the lab runs connd under
# unshare --uts) and no file of the host is written.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp1; lab_ns isp2; lab_ns dev
lab_link isp1 eth0 dev up0
lab_link isp2 eth0 dev up1
mac0=$(lab_exec dev cat /sys/class/net/up0/address)
mac1=$(lab_exec dev cat /sys/class/net/up1/address)
lab_isp isp1 eth0 10.44.1.1/24 "--dhcp-host=$mac0,hostone" \
	--dhcp-conf=dhcp-option=option:domain-name,one.lab
lab_isp isp2 eth0 10.44.2.1/24 "--dhcp-host=$mac1,hosttwo" \
	--dhcp-conf=dhcp-option=option:domain-name,two.lab
lab_dbus
host_before=$(hostname) domain_before=$(domainname)
etc_before=$(stat -c '%Y %s' /etc/hostname /etc/hosts 2>/dev/null)
uts() { nsenter -u -t "$LAB_CONND_PID" "$1"; }
names_are() { [ "$(uts hostname)" = "$1" ] && [ "$(uts domainname)" = "$2" ]; }
export -f uts names_are
both_online() { service_state dev up0 online && service_state dev up1 online; }
export -f both_online
main_conf() {
	printf '%s\n' "[General]
AllowHostnameUpdates = $1
AllowDomainnameUpdates = $2
OnlineCheckIPv4URL = http://isp.lab/online/status.html
LocaltimeFile = $LAB_DIR/localtime" >"$LAB_DIR/main.conf"
}

# Defaults (both true): up0, the preferred uplink, is the default service;
# up1 connects after it (so it is never the default on the way).
lab_exec isp2 ip link set eth0 down
lab_connd dev up0,up1
export LAB_CONND_PID
check_wait "up0 online" 20 service_state dev up0 online
check_wait "connd's names are the default service's lease's" 5 names_are hostone one.lab
check "logged" grep -q 'host name set to hostone (DHCP)' "$LAB_DIR/connd-dev.log"
lab_exec isp2 ip link set eth0 up
check_wait "up1 online too" 20 service_state dev up1 online
sleep 1
check "the other uplink's lease does not name the system" names_are hostone one.lab
check "nor was it ever applied" \
	bash -c "! grep -q 'set to hosttwo\|set to two.lab' '$LAB_DIR/connd-dev.log'"
lab_exec isp1 ip link set eth0 down
check_wait "ISP 1 gone: the names follow the new default service" 15 names_are hosttwo two.lab
lab_exec isp1 ip link set eth0 up
check_wait "ISP 1 back and default again: its names again" 30 names_are hostone one.lab
check "the host's names did not change" \
	bash -c "[ \"\$(hostname)\" = '$host_before' ] && [ \"\$(domainname)\" = '$domain_before' ]"
check "no file of the host was written" \
	test "$(stat -c '%Y %s' /etc/hostname /etc/hosts 2>/dev/null)" = "$etc_before"
check "connd stops cleanly" lab_connd_stop

# Each key on its own; every start is a fresh UTS namespace with the host's names.
for keys in "false false" "false true" "true false"; do
	read -r allow_host allow_domain <<<"$keys"
	want_host=$host_before want_domain=$domain_before
	[ "$allow_host" = true ] && want_host=hostone
	[ "$allow_domain" = true ] && want_domain=one.lab
	main_conf "$allow_host" "$allow_domain"
	lab_connd dev up0,up1
	export LAB_CONND_PID
	check_wait "hostname $allow_host, domainname $allow_domain: online" 20 both_online
	sleep 1
	check "the names are $want_host $want_domain (got $(uts hostname) $(uts domainname))" \
		names_are "$want_host" "$want_domain"
	check "connd stops cleanly" lab_connd_stop
done
lab_teardown
lab_done
