#!/usr/bin/env bash
# The host and domain names from DHCP (options 12 and 15) become connd's
# UTS namespace's, as ConnMan does, unless main.conf's AllowHostnameUpdates
# and AllowDomainnameUpdates say false; the host's own names never change
# (the lab runs connd under unshare --uts).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
mac=$(lab_exec dev cat /sys/class/net/up0/address)
lab_isp isp eth0 10.44.0.1/24 "--dhcp-host=$mac,labhost"
lab_dbus
host_before=$(hostname) domain_before=$(domainname)
uts() { nsenter -u -t "$LAB_CONND_PID" "$1"; }
names_are() { [ "$(uts hostname)" = "$1" ] && [ "$(uts domainname)" = "$2" ]; }

lab_connd dev up0
check_wait "online" 20 service_state dev up0 online
check_wait "connd's host name is the lease's (got $(uts hostname))" 5 bash -c \
	"[ \"\$(nsenter -u -t $LAB_CONND_PID hostname)\" = labhost ]"
check "its domain name is the lease's (got $(uts domainname))" names_are labhost isp.lab
check "logged" grep -q 'host name set to labhost (DHCP)' "$LAB_DIR/connd-dev.log"
check "the host's names did not change" \
	bash -c "[ \"\$(hostname)\" = '$host_before' ] && [ \"\$(domainname)\" = '$domain_before' ]"
check "connd stops cleanly" lab_connd_stop

printf '%s\n' "[General]
AllowHostnameUpdates = false
AllowDomainnameUpdates = false
OnlineCheckIPv4URL = http://isp.lab/online/status.html
LocaltimeFile = $LAB_DIR/localtime" >"$LAB_DIR/main.conf"
lab_connd dev up0
check_wait "with updates off: online" 20 service_state dev up0 online
sleep 1
check "the names stay the host's (got $(uts hostname) $(uts domainname))" \
	names_are "$host_before" "$domain_before"
check "connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
