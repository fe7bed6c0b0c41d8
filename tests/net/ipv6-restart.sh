#!/usr/bin/env bash
# A link's IPv6 sysctls as they were before connd survive a kill -9: the
# first run keeps them in the state directory, the next run takes them from
# there rather than from the link (which has connd's own values then), and
# its clean stop puts the originals back and forgets the saved copy.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.43.0.1/24 --ipv6=2001:db8:43::1/64
lab_dbus
dev=$(lab_nsname dev)
keys="disable_ipv6 accept_ra autoconf use_tempaddr"
sysctls() { for k in $keys; do ip netns exec "$dev" sysctl -n "net.ipv6.conf.up0.$k"; done | tr '\n' ' '; }
# Values connd never sets itself, so a restore of its own ones shows.
ip netns exec "$dev" sysctl -qw net.ipv6.conf.up0.accept_ra=1 net.ipv6.conf.up0.autoconf=0 \
	net.ipv6.conf.up0.use_tempaddr=2 net.ipv6.conf.up0.disable_ipv6=0
original=$(sysctls)
lab_connd dev up0
svc=$(lab_service dev up0)
saved="$LAB_DIR/state-dev/$svc/ipv6-before"

check_wait "online" 20 service_state dev up0 online
check "connd changed the link's sysctls (now: $(sysctls))" test "$(sysctls)" != "$original"
check "the originals are kept in the state directory" \
	bash -c "grep -qx 'accept_ra=1' '$saved' && grep -qx 'use_tempaddr=2' '$saved'"
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
check "after kill -9 the link still has connd's values" test "$(sysctls)" != "$original"

lab_connd dev up0
check_wait "restarted: online" 20 service_state dev up0 online
check "the restart took the saved values (logged)" \
	grep -q 'up0: IPv6 settings from before an unclean stop' "$LAB_DIR/connd-dev.log"
check "connd stops cleanly" lab_connd_stop
check "the link has its original sysctls again (got: $(sysctls))" test "$(sysctls)" = "$original"
check "and the saved copy is gone" test ! -e "$saved"

lab_connd dev up0
check_wait "a third run: online" 20 service_state dev up0 online
check "connd stops cleanly again" lab_connd_stop
check "a clean stop and start keep the originals too" test "$(sysctls)" = "$original"
lab_teardown
lab_done
