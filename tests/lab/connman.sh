#!/usr/bin/env bash
# Prints the path of a program from Debian's connman package (connmanctl,
# connmand), unpacking the package once into a cache folder. The package is
# downloaded with apt-get download and unpacked with dpkg -x: it is never
# installed, so nothing of ConnMan ever starts on the host.
set -eu
prog=${1:-connmanctl}
cache=${CONND_LAB_CACHE:-/var/cache/connd-lab}
root="$cache/connman"
case $prog in
connmanctl) path="$root/usr/bin/connmanctl" ;;
connmand) path="$root/usr/sbin/connmand" ;;
*) echo "connman.sh: unknown program $prog" >&2; exit 2 ;;
esac
if [ ! -x "$path" ]; then
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	if [ ! -x "$path" ]; then
		work=$(mktemp -d "$cache/dl.XXXX")
		trap 'rm -rf "$work"' EXIT
		if ! (cd "$work" && apt-get download connman >/dev/null 2>&1); then
			apt-get update -qq >/dev/null 2>&1 || true
			(cd "$work" && apt-get download connman >/dev/null)
		fi
		rm -rf "$root.new"
		dpkg -x "$work"/connman_*.deb "$root.new"
		rm -rf "$root"
		mv "$root.new" "$root"
	fi
fi
printf '%s\n' "$path"
