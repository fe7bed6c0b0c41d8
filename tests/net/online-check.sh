#!/usr/bin/env bash
# The online check believes only an answer that proves access: a 204, or a
# 200 carrying "X-ConnMan-Status: online". A 200 without that header (a
# captive portal's login page) or with another value leaves the service
# ready, and is reported as a possible portal.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.38.0.1/24
lab_dbus

# connd_checking PATH: connd (re)started with the check URL on the ISP's PATH.
connd_checking() {
	LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab$1
OnlineCheckTimeout = 3000
OnlineCheckInitialInterval = 1
OnlineCheckMaxInterval = 1
LocaltimeFile = $LAB_DIR/localtime"
	rm -f "$LAB_DIR/main.conf"
	: >"$LAB_DIR/connd-dev.log"
	lab_connd dev up0
}
portal_logged() { grep -q 'captive portal?' "$LAB_DIR/connd-dev.log"; }

connd_checking /plain
check_wait "a 200 without X-ConnMan-Status: reported as a possible portal" 20 portal_logged
check "and the service is ready" service_state dev up0 ready
sleep 3
check "still ready after several checks" service_state dev up0 ready
check "connd stops cleanly" lab_connd_stop

connd_checking /wrong
check_wait "a 200 with X-ConnMan-Status: portal: reported as a possible portal" 20 portal_logged
check "and the service is ready" service_state dev up0 ready
sleep 3
check "still ready after several checks" service_state dev up0 ready
check "connd stops cleanly" lab_connd_stop

connd_checking /nocontent
check_wait "a 204: online" 20 service_state dev up0 online
check "connd stops cleanly" lab_connd_stop

connd_checking /online/status.html
check_wait "a 200 with X-ConnMan-Status: online: online" 20 service_state dev up0 online
check "connd stops cleanly" lab_connd_stop
lab_done
