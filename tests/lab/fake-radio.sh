#!/bin/sh
# fake-radio.sh IFNAME CMD...: runs CMD in a mount namespace whose
# /sys/class/net shows IFNAME as a radio (a phy80211 entry) and nothing
# else, so that a veth stands in for a wireless link where the kernel has
# no cfg80211 (tests/net/wifi-iwd.sh; the VM lab has real radios).
ifname=$1
shift
exec unshare --mount --propagation private sh -c '
	mount -t tmpfs fake-radio /sys/class/net &&
	mkdir -p "/sys/class/net/$0/phy80211" && exec "$@"' "$ifname" "$@"
