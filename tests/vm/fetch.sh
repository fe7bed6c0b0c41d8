#!/usr/bin/env bash
# Prints the folder of the Wi-Fi VM lab's parts, fetching them once from
# Debian's packages: Debian's kernel (its uncompressed vmlinux and modules),
# qemu and the firmware it boots with, iwd, hostapd, iw, wireless-regdb,
# busybox-static and kmod, plus the libraries of those the host lacks.
# Packages are downloaded with apt-get download and unpacked with dpkg -x,
# never installed. The folder is named after the packages' versions, so a
# second run reuses it and a new kernel or iwd makes a new one. It holds:
#   root/            the unpacked packages, bin/sbin/lib folded into usr/ so
#                    the tree can lie over a merged-/usr host as an overlay
#   vmlinux          the kernel, uncompressed (boots through PVH, fast in TCG)
#   initramfs.cpio   busybox and the modules to mount the 9p shares and overlay
#   kver             the kernel's version
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${CONND_LAB_CACHE:-/var/cache/connd-lab}/wifi-vm
# The run-time packages of the lab; libraries they need are added below.
tops=(qemu-system-x86 qemu-system-common qemu-system-data seabios iwd hostapd iw wireless-regdb busybox-static kmod)
# wireguard-tools: the `wg` tool (a tool, no daemon) configures the WireGuard
# peer of the VPN scenarios (6?-*) and reads back what connd configured.
tops+=(wireguard-tools)
# Modules the initramfs loads to reach the root file system.
boot_modules=(virtio_pci 9pnet_virtio 9p overlay)

log() { printf 'vm-fetch: %s\n' "$*" >&2; }

installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }

# The kernel package linux-image-amd64 points at today (linux-image-6.1.0-N-amd64).
kernel_package() {
	local p
	p=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
	[ -n "$p" ] || p=$(apt-cache pkgnames linux-image-6.1.0- | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' | sort -V | tail -n 1)
	[ -n "$p" ] || { log "no linux-image-6.1.0-*-amd64 in apt's lists (run apt-get update)"; return 1; }
	printf '%s\n' "$p"
}

# lib_deps PKG...: the libraries (lib*) PKGs depend on, recursively, that the
# host does not have installed. One apt-cache call per level: each is slow.
lib_deps() {
	local -A seen=()
	local level=("$@") next d
	while [ ${#level[@]} -gt 0 ]; do
		next=()
		for d in $(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
			--no-replaces --no-enhances "${level[@]}" 2>/dev/null |
			sed -n 's/^ *|\{0,1\}Depends: \(lib[^ <>]*\)$/\1/p' | sort -u); do
			d=${d%:any}
			[[ $d == *-perl ]] && continue
			[ -n "${seen[$d]:-}" ] && continue
			seen[$d]=1
			installed "$d" && continue
			printf '%s\n' "$d"
			next+=("$d")
		done
		level=("${next[@]}")
	done
}

# Every package with the version apt would fetch, one "name=version" a line.
package_versions() {
	apt-cache show --no-all-versions "$@" | awk '/^Package:/ { p = $2 } /^Version:/ { print p "=" $2 }' | sort -u
}

# fold ROOT: moves bin, sbin, lib, lib64 into usr/, as on a merged-/usr system.
fold_usr() {
	local d
	for d in bin sbin lib lib64; do
		[ -d "$1/$d" ] && [ ! -L "$1/$d" ] || continue
		mkdir -p "$1/usr/$d"
		cp -al "$1/$d/." "$1/usr/$d/"
		rm -rf "${1:?}/$d"
	done
}

# extract_vmlinux VMLINUZ OUT: the xz payload of a bzImage, as the kernel's
# scripts/extract-vmlinux finds it (the first offset that decompresses to an ELF).
extract_vmlinux() {
	local off
	for off in $(LC_ALL=C grep -aboP '\xfd7zXZ\x00' "$1" | cut -d: -f1); do
		tail -c "+$((off + 1))" "$1" | xz -dcq >"$2" 2>/dev/null || true
		[ "$(head -c 4 "$2" | od -An -c | tr -d ' ')" = '177ELF' ] && return 0
	done
	log "no xz-compressed ELF kernel in $1"
	return 1
}

# make_initramfs DIR: busybox, the boot modules in load order and our init.
make_initramfs() {
	local dir=$1 kver ir m
	kver=$(cat "$dir/kver")
	ir=$(mktemp -d "$dir/initramfs.XXXX")
	mkdir -p "$ir/bin" "$ir/modules"
	cp "$dir/root/usr/bin/busybox" "$ir/bin/busybox"
	cp "$here/initramfs-init" "$ir/init"
	chmod 755 "$ir/init"
	: >"$ir/modules/order"
	for m in $(LD_LIBRARY_PATH="$dir/root/usr/lib/x86_64-linux-gnu" exec -a modprobe "$dir/root/usr/bin/kmod" \
		-d "$dir/root/usr" -S "$kver" --show-depends -a "${boot_modules[@]}" | awk '$1 == "insmod" { print $2 }'); do
		grep -qxF "${m##*/}" "$ir/modules/order" && continue
		cp "$m" "$ir/modules/"
		printf '%s\n' "${m##*/}" >>"$ir/modules/order"
	done
	(cd "$ir" && find . -mindepth 1 | busybox cpio -o -H newc 2>/dev/null) >"$dir/initramfs.cpio.new"
	mv "$dir/initramfs.cpio.new" "$dir/initramfs.cpio"
	rm -rf "$ir"
}

# build DIR KERNELPKG PKG...: downloads and prepares everything into DIR.
build() {
	local dir=$1 kpkg=$2 kver
	shift 2
	work=$(mktemp -d "$cache/dl.XXXX")
	trap 'rm -rf "$work"' EXIT
	log "downloading $kpkg $*"
	if ! (cd "$work" && apt-get download "$kpkg" "$@" >/dev/null 2>&1); then
		apt-get update -qq >/dev/null 2>&1 || true
		(cd "$work" && apt-get download "$kpkg" "$@" >/dev/null)
	fi
	mkdir -p "$work/out/root"
	for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/out/root"; done
	fold_usr "$work/out/root"
	kver=${kpkg#linux-image-}
	printf '%s\n' "$kver" >"$work/out/kver"
	local r="$work/out/root"
	# What dpkg's maintainer scripts would have done: the module index and
	# wireless-regdb's alternative.
	(LD_LIBRARY_PATH="$r/usr/lib/x86_64-linux-gnu" exec -a depmod "$r/usr/bin/kmod" -b "$r/usr" "$kver")
	ln -sf regulatory.db-debian "$r/usr/lib/firmware/regulatory.db"
	ln -sf regulatory.db.p7s-debian "$r/usr/lib/firmware/regulatory.db.p7s"
	# Clients calling iwd first would have the bus start a second iwd: the lab starts it.
	rm -f "$r/usr/share/dbus-1/system-services/net.connman.iwd.service"
	extract_vmlinux "$r/boot/vmlinuz-$kver" "$work/out/vmlinux"
	rm -rf "$dir.new"
	mv "$work/out" "$dir.new"
	rm -rf "$dir"
	mv "$dir.new" "$dir"
	rm -rf "$work"
	trap - EXIT
}

# The set of parts for the packages apt would fetch today. Asking apt is slow
# (seconds a call on a loaded machine), so the answer is kept until apt's
# package lists or these scripts change.
parts_key() {
	local sig kpkg pkgs key
	sig=$( { stat -c '%n %Y %s' /var/lib/apt/lists/*_Packages* 2>/dev/null; cat "$here/fetch.sh"; } |
		sha256sum | cut -c1-16)
	if [ -f "$cache/lists-$sig" ]; then
		cat "$cache/lists-$sig"
		return
	fi
	kpkg=$(kernel_package)
	pkgs=("${tops[@]}")
	mapfile -t -O ${#pkgs[@]} pkgs < <(lib_deps qemu-system-x86 iwd hostapd iw kmod)
	key=$( { package_versions "$kpkg" "${pkgs[@]}"; cat "$here/fetch.sh"; } | sha256sum | cut -c1-16)
	rm -f "$cache"/lists-*
	printf '%s %s %s\n' "$key" "$kpkg" "${pkgs[*]}" | tee "$cache/lists-$sig"
}

main() {
	local key kpkg pkgs dir sum
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	read -r key kpkg pkgs < <(parts_key)
	[ -n "$key" ] && [ -n "$kpkg" ] || { log "cannot tell which packages to fetch"; exit 1; }
	dir="$cache/$key"
	if [ ! -f "$dir/vmlinux" ]; then
		# shellcheck disable=SC2086 # a list of package names
		build "$dir" "$kpkg" $pkgs
	fi
	# Sets of parts unused for two days go. Not every other set at once: a
	# run of another checkout (another fetch.sh, hence another key) may be
	# booting a VM from its own right now.
	touch "$dir/.used"
	find "$cache" -mindepth 2 -maxdepth 2 -name .used -mtime +1 -printf '%h\0' |
		xargs -0 -r rm -rf
	# The initramfs follows its init script.
	sum=$(sha256sum <"$here/initramfs-init" | cut -c1-16)
	if [ "$(cat "$dir/initramfs.sum" 2>/dev/null)" != "$sum" ]; then
		make_initramfs "$dir"
		printf '%s\n' "$sum" >"$dir/initramfs.sum"
	fi
	printf '%s\n' "$dir"
}

main "$@"
