#!/usr/bin/env bash
# `meson install --destdir` and `make install DESTDIR=` into scratch trees, then
# the tree checked: binaries, bus policy, systemd unit, man pages, completion.
#
#   tests/net/install.sh [BUILD_DIR]      (exit 0 pass, 1 fail, 77 skip)
set -u
build=${1:-${BUILD:-build}}
src=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$build/build.ninja" ] || { echo "SKIP: $build is not a configured build"; exit 77; }
build=$(cd "$build" && pwd)
dest=$(mktemp -d /tmp/connd-install.XXXXXX)
failures=0
trap 'rm -rf "$dest"' EXIT
trap 'exit 1' INT TERM

ok() { echo "ok - $*"; }
bad() { echo "FAIL - $*"; failures=$((failures + 1)); }
check() { # what, command...
	local what=$1; shift
	if "$@" >"$dest/.out" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/    /' "$dest/.out"; fi
}

option() { # the value of a meson option of this build
	meson introspect "$build" --buildoptions |
		/usr/bin/python3 -c "import json,sys; print(next(o['value'] for o in json.load(sys.stdin) if o['name']=='$1'))"
}
prefix=$(option prefix)
bindir=$(option bindir) sbindir=$(option sbindir) mandir=$(option mandir) datadir=$(option datadir)
libdir=$(option libdir) includedir=$(option includedir)
abs() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }

check "meson install --destdir" meson install -C "$build" --destdir "$dest/meson" --quiet
root=$dest/meson

# Binaries.
check "connd installed in sbindir" test -x "$root$(abs "$sbindir")/connd"
check "connctl installed in bindir" test -x "$root$(abs "$bindir")/connctl"
check "installed connctl runs" "$root$(abs "$bindir")/connctl" --version
# The daemon links the installed libnftkit.so; the staged tree is not on the loader's path.
check "installed connd runs" env LD_LIBRARY_PATH="$root$(abs "$libdir")" "$root$(abs "$sbindir")/connd" --version
# The default state directory's parents may not exist yet (/var/local/lib):
# created before connd goes on to the bus (absent here, so it stops there).
state=$dest/var/local/lib/connd
printf '[General]\n' >"$dest/main.conf"
check "installed connd creates its state directory and the parents" bash -c "
	DBUS_SYSTEM_BUS_ADDRESS=unix:path='$dest/no-bus' LD_LIBRARY_PATH='$root$(abs "$libdir")' \
		'$root$(abs "$sbindir")/connd' -n --state-dir '$state' -c '$dest/main.conf' 2>&1 | grep -q 'system bus' &&
	[ \$(stat -c %a '$state') = 700 ] && [ \$(stat -c %a '$dest/var/local') = 755 ]"

# libnftkit, installable on its own.
check "libnftkit.so installed in libdir" test -e "$root$(abs "$libdir")/libnftkit.so"
check "nftkit.h installed" test -f "$root$(abs "$includedir")/nftkit.h"
check "nftkit.pc installed" test -f "$root$(abs "$libdir")/pkgconfig/nftkit.pc"
check "a program builds against the installed library through pkg-config" bash -c "
	printf '#include <nftkit.h>\nint main(void) { struct nftkit *nk = nftkit_new(); nftkit_free(nk); return 0; }\n' >'$dest/use.c' &&
	PKG_CONFIG_SYSROOT_DIR='$root' PKG_CONFIG_PATH='$root$(abs "$libdir")/pkgconfig' \
	cc '$dest/use.c' \$(PKG_CONFIG_SYSROOT_DIR='$root' PKG_CONFIG_PATH='$root$(abs "$libdir")/pkgconfig' pkg-config --cflags --libs nftkit) -o '$dest/use' &&
	LD_LIBRARY_PATH='$root$(abs "$libdir")' '$dest/use'"

# Bus policy.
policy=$root$(abs "$datadir")/dbus-1/system.d/connd.conf
check "bus policy in share/dbus-1/system.d/connd.conf" test -f "$policy"
if command -v xmllint >/dev/null; then
	check "bus policy is well-formed XML" xmllint --noout "$policy"
fi
check "only root owns net.connman" \
	/usr/bin/python3 - "$policy" <<'EOF'
import sys, xml.etree.ElementTree as ET
policies = ET.parse(sys.argv[1]).getroot().findall('policy')
def rules(**match):
    return [p for p in policies if all(p.get(k) == v for k, v in match.items())]
root, netdev, default = rules(user='root')[0], rules(group='netdev')[0], rules(context='default')[0]
assert root.find("allow[@own='net.connman']") is not None
assert default.find("deny[@own='net.connman']") is not None
assert netdev.find("allow[@send_destination='net.connman']") is not None
members = {(a.get('send_interface'), a.get('send_member')) for a in default.findall('allow')}
assert ('net.connman.Manager', 'CreateSession') in members, members
assert ('net.connman.Manager', 'DestroySession') in members, members
assert ('net.connman.Session', None) in members, members
for iface in ('Agent', 'Counter', 'Notification'):
    assert root.find("allow[@send_interface='net.connman.%s']" % iface) is not None, iface
EOF

# systemd unit.
unit=$(find "$root" -name connd.service -path '*systemd/system*' | head -n 1)
check "systemd unit installed" test -n "$unit"
if [ -n "$unit" ]; then
	check "unit starts connd -n from sbindir, in the state directory it makes writable" \
		bash -c "grep -qx 'ExecStart=$(abs "$sbindir")/connd -n --state-dir=%S/connd' '$unit' && grep -qx StateDirectory=connd '$unit'"
	check "unit is Type=dbus with BusName=net.connman" \
		sh -c "grep -qx Type=dbus '$unit' && grep -qx BusName=net.connman '$unit'"
	check "unit keeps the capabilities connd needs" \
		grep -qx "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE CAP_BPF CAP_PERFMON" "$unit"
	# sessions-bpf-caps.sh runs connd with those capabilities.
	check "unit lets bpf() through its system call filter (sessions' BPF data path)" \
		grep -qxE "SystemCallFilter=@system-service( [a-z_@]+)* bpf( [a-z_@]+)*" "$unit"
	check "unit caps descriptors where ELL's main loop can watch them" grep -qx "LimitNOFILE=128" "$unit"
	check "unit turns glibc's per-thread cache off (memory back after sessions)" \
		grep -qx "Environment=GLIBC_TUNABLES=glibc.malloc.tcache_count=0" "$unit"
	if command -v systemd-analyze >/dev/null; then
		# The binary lives in the scratch tree, not at ExecStart's path.
		systemd-analyze verify --man=no "$unit" 2>&1 | grep -v 'is not executable' >"$dest/.verify"
		check "systemd-analyze verify finds nothing else" test ! -s "$dest/.verify"
		[ -s "$dest/.verify" ] && sed 's/^/    /' "$dest/.verify"
	fi
fi

# Man pages.
for page in man1/connctl.1 man5/connd.conf.5 man8/connd.8; do
	file=$root$(abs "$mandir")/$page
	check "man page $page installed" test -f "$file"
	if command -v groff >/dev/null && [ -f "$file" ]; then
		groff -mdoc -ww -z "$file" >"$dest/.groff" 2>&1
		check "$page renders without warnings" test ! -s "$dest/.groff"
		[ -s "$dest/.groff" ] && sed 's/^/    /' "$dest/.groff"
	fi
done

# Bash completion, exercised with a stand-in connctl and _init_completion.
completion=$root$(abs "$datadir")/bash-completion/completions/connctl
check "bash completion installed" test -f "$completion"
check "bash completion parses" bash -n "$completion"
complete_words() { # words of the command line (last may be empty) -> COMPREPLY
	bash -c '
		connctl() {
			case $1 in
			services) echo "*AO Wired                ethernet_0a1b2c3d4e5f_cable" ;;
			technologies) printf "/net/connman/technology/ethernet\n  Name = Wired\n" ;;
			esac
		}
		_init_completion() { words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
			cur=${words[cword]}; prev=${words[cword-1]}; }
		source "$0"
		COMP_WORDS=("${@}"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_connctl
		echo "${COMPREPLY[*]}"' "$completion" "$@"
}
expect_completion() { # expected, words...
	local want=$1; shift
	local got
	got=$(complete_words "$@")
	[ "$got" = "$want" ] && ok "completes '$*' to '$want'" || bad "completes '$*' to '$got', expected '$want'"
}
expect_completion "services sessions" connctl se
expect_completion "ethernet offline" connctl enable ""
expect_completion "ethernet_0a1b2c3d4e5f_cable" connctl --json services ""
expect_completion "on off" connctl tether ethernet ""
expect_completion "dhcp manual off" connctl config ethernet_0a1b2c3d4e5f_cable --ipv4 ""
expect_completion "--ipv4 --ipv6" connctl config ethernet_0a1b2c3d4e5f_cable --ip
expect_completion "disabled enabled preferred" connctl config ethernet_0a1b2c3d4e5f_cable --ipv6 auto ""

# The Makefile's way.
check "make install DESTDIR=" make -s -C "$src" install BUILD="$build" DESTDIR="$dest/make"
check "make install put connctl in place" test -x "$dest/make$(abs "$bindir")/connctl"

[ "$failures" = 0 ] || { echo "FAIL: $failures checks failed"; exit 1; }
echo "PASS"
