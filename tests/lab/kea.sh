#!/usr/bin/env bash
# Prints the path of a wrapper that runs Debian's kea-dhcp6 (the lab ISP's
# DHCPv6 server with prefix delegation), unpacking the package and the
# libraries it needs that this machine lacks once into a cache folder. The
# packages are downloaded with apt-get download and unpacked with dpkg -x:
# nothing is installed, so no Kea service ever starts on the host; the
# wrapper finds the unpacked libraries through LD_LIBRARY_PATH.
set -eu
cache=${CONND_LAB_CACHE:-/var/cache/connd-lab}
root="$cache/kea"
wrapper="$root/kea-dhcp6"

# kea-dhcp6-server and, one level after another, the library packages
# (kea-*, lib*) of its dependencies that are not installed here.
needed() {
	local todo=(kea-dhcp6-server) seen=" " p d status
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}
		todo=("${todo[@]:1}")
		case $seen in *" $p "*) continue ;; esac
		seen+="$p "
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$status" = installed ] && [ "$p" != kea-dhcp6-server ] && continue
		printf '%s\n' "$p"
		for d in $(apt-cache depends --no-recommends --no-suggests --no-conflicts \
			--no-breaks --no-replaces --no-enhances --no-pre-depends "$p" 2>/dev/null |
			sed -n 's/^ *Depends: \([^<> ]*\)$/\1/p'); do
			case $d in kea-*|lib*) todo+=("$d") ;; esac
		done
	done
}

if [ ! -x "$wrapper" ]; then
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	if [ ! -x "$wrapper" ]; then
		work=$(mktemp -d "$cache/dl.XXXX")
		trap 'rm -rf "$work"' EXIT
		apt-cache show kea-dhcp6-server >/dev/null 2>&1 || apt-get update -qq >/dev/null 2>&1 || true
		mapfile -t pkgs < <(needed)
		(cd "$work" && apt-get download "${pkgs[@]}" >/dev/null 2>&1)
		rm -rf "$root.new"
		for deb in "$work"/*.deb; do
			dpkg -x "$deb" "$root.new"
		done
		libs=$(cd "$root.new" && ls -d usr/lib/*-linux-gnu | head -n 1)
		cat >"$root.new/kea-dhcp6" <<-W
			#!/bin/sh
			LD_LIBRARY_PATH="$root/$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$root/usr/sbin/kea-dhcp6" "\$@"
		W
		chmod +x "$root.new/kea-dhcp6"
		rm -rf "$root"
		mv "$root.new" "$root"
	fi
fi
printf '%s\n' "$wrapper"
