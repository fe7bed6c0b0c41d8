#!/usr/bin/env bash
# Prints the path of Debian's openvpn, unpacked once into the lab's cache with
# the libraries this machine lacks (apt-get download + dpkg -x, as connman.sh
# does for connmanctl): it is never installed, so no openvpn service ever
# starts on the host. The path is a small wrapper that points the dynamic
# linker at the unpacked libraries.
set -eu
cache=${CONND_LAB_CACHE:-/var/cache/connd-lab}
root="$cache/openvpn"
wrapper="$root/openvpn"
# openvpn's own package and the libraries it links that a minimal system lacks.
packages=(openvpn liblzo2-2 libpkcs11-helper1 libnl-3-200 libnl-genl-3-200)
if [ ! -x "$wrapper" ]; then
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	if [ ! -x "$wrapper" ]; then
		work=$(mktemp -d "$cache/dl.XXXX")
		trap 'rm -rf "$work"' EXIT
		if ! (cd "$work" && apt-get download "${packages[@]}" >/dev/null 2>&1); then
			apt-get update -qq >/dev/null 2>&1 || true
			(cd "$work" && apt-get download "${packages[@]}" >/dev/null)
		fi
		rm -rf "$root.new"
		for deb in "$work"/*.deb; do
			dpkg -x "$deb" "$root.new"
		done
		libs=$(cd "$root.new" && ls -d usr/lib/*-linux-gnu lib/*-linux-gnu 2>/dev/null |
			sed 's|^|$here/|' | paste -sd: -)
		cat >"$root.new/openvpn" <<-WRAP
			#!/bin/sh
			here=\$(dirname "\$0")
			LD_LIBRARY_PATH="$libs" exec "\$here/usr/sbin/openvpn" "\$@"
		WRAP
		chmod 755 "$root.new/openvpn"
		"$root.new/openvpn" --version >/dev/null 2>&1 || [ $? = 1 ]
		rm -rf "$root"
		mv "$root.new" "$root"
	fi
fi
printf '%s\n' "$wrapper"
