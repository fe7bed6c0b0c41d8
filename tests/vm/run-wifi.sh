#!/usr/bin/env bash
# The Wi-Fi suite: boots one VM (Debian's kernel under QEMU TCG, with
# mac80211_hwsim, the real iwd and hostapd; see tests/vm/README.md), runs the
# scenarios in it one after another and prints a line per scenario as
# tests/run does: "PASS wifi: NAME (Ns)" or "FAIL wifi: NAME ..." with its log.
#   tests/vm/run-wifi.sh [--only PATTERN] [--keep] [SCENARIO-FILE...]
# Exits 0 when all passed, 1 when one failed or the VM did not boot or finish,
# 77 (skip) only when this host cannot run the lab at all (no apt/dpkg to
# fetch its parts). Nothing stays behind: qemu is killed by its PID, the run's
# folder removed (kept with --keep, for a look at the logs).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=${REPO:-$(cd "$here/../.." && pwd)}
build=${BUILD:-$repo/build}
only='' keep=''
scenarios=()
while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-*) echo "usage: $0 [--only PATTERN] [--keep] [SCENARIO-FILE...]" >&2; exit 2 ;;
	*) scenarios+=("$(cd "$(dirname "$1")" && pwd)/${1##*/}"); shift ;;
	esac
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=("$here"/scenarios/*.sh)
if [ -n "$only" ]; then
	kept=()
	for s in "${scenarios[@]}"; do [[ ${s##*/} == *"$only"* ]] && kept+=("$s"); done
	scenarios=("${kept[@]}")
fi
[ ${#scenarios[@]} -gt 0 ] || { echo "wifi: no scenario matches" >&2; exit 2; }

# Seconds for the whole VM: boot, setup, and each scenario's own limit.
# The guest stretches its own waits when the host is slow (VM_SLOW): so does this.
limit=${VM_LIMIT:-$((120 + 60 * ${#scenarios[@]}))}

name_of() { local n=${1##*/}; n=${n%.sh}; printf '%s' "${n#[0-9][0-9]-}"; }

command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
	{ echo "the lab fetches its parts with apt-get and dpkg, which this host lacks"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "the lab needs root (its parts are cached in /var/cache/connd-lab)"; exit 77; }

start=$SECONDS
parts=$("$here/fetch.sh") || { echo "FAIL wifi: the lab's parts could not be fetched"; exit 1; }
fetched=$((SECONDS - start))
root=$parts/root

connmanctl=$("$repo/tests/lab/connman.sh" connmanctl) ||
	{ echo "FAIL wifi: Debian's connmanctl could not be unpacked"; exit 1; }

run=$(mktemp -d /tmp/connd-vmlab.XXXX)
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2>/dev/null
	if [ -n "$keep" ]; then echo "wifi: logs kept in $run" >&2; else rm -rf "$run"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The 802.1X network's certificates, made on the host (RSA: iwd's TLS
# refused an EC server certificate).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
	-subj /CN=lab-ca -keyout "$run/ca.key" -out "$run/ca.pem" 2>/dev/null &&
	openssl req -newkey rsa:2048 -nodes -subj /CN=lab-radius \
		-keyout "$run/server.key" -out "$run/server.csr" 2>/dev/null &&
	openssl x509 -req -in "$run/server.csr" -CA "$run/ca.pem" -CAkey "$run/ca.key" -CAcreateserial \
		-days 2 -out "$run/server.pem" 2>/dev/null ||
	{ echo "FAIL wifi: openssl could not make the 802.1X certificates"; exit 1; }

{
	printf 'VM_DIR=%q\nVM_REPO=%q\nVM_BUILD=%q\n' "$here" "$repo" "$build"
	printf 'CONND=%q\nCONNMANCTL=%q\n' "${CONND:-$build/src/connd}" "$connmanctl"
	printf 'VM_SCENARIOS=%q\n' "${scenarios[*]}"
	printf 'VM_SCENARIO_LIMIT=%q\n' "${VM_SCENARIO_LIMIT:-90}"
	printf 'VM_IWD_DEBUG=%q\n' "${VM_IWD_DEBUG:-}"
	printf 'VM_MANY_NETWORKS=%q\n' "${VM_MANY_NETWORKS:-}"
} >"$run/params"

# One CPU, TCG: measured faster than two on two shared host cores. Root is
# the host's / read-only, under the unpacked packages, under a tmpfs.
# no_timer_check: on a loaded host the emulated timer can miss the kernel's
# boot-time IO-APIC check, which then panics ("IO-APIC + timer doesn't work").
QEMU_MODULE_DIR="$root/usr/lib/x86_64-linux-gnu/qemu" LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu" \
	"$root/usr/bin/qemu-system-x86_64" \
	-L "$root/usr/share/qemu" -L "$root/usr/share/seabios" \
	-smp 1 -cpu max -accel tcg,thread=multi -m 1024 \
	-nographic -no-reboot -nic none -nodefaults -serial "file:$run/console.log" -monitor none \
	-kernel "$parts/vmlinux" -initrd "$parts/initramfs.cpio" \
	-append "console=ttyS0 quiet panic=-1 no_timer_check vmlab_run=$here/guest.sh" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$root,mount_tag=pkgs,security_model=none,readonly=on,multidevs=remap" \
	-virtfs "local,path=$run,mount_tag=results,security_model=none,multidevs=remap" \
	>"$run/qemu.log" 2>&1 &
qemu_pid=$!
boot=$SECONDS
while kill -0 "$qemu_pid" 2>/dev/null && [ $((SECONDS - boot)) -lt "$limit" ]; do
	sleep 0.5
done
timed_out=
if kill -0 "$qemu_pid" 2>/dev/null; then
	kill -9 "$qemu_pid"
	timed_out=1
fi
wait "$qemu_pid" 2>/dev/null
qemu_pid=
wall=$((SECONDS - boot))

indent() { sed 's/^/    /'; }
# The lines of the guest's logs that tell why it went wrong.
show_logs() {
	local f
	for f in "$run/guest.log" "$run/iwd.log" "$run/hostapd.log"; do
		[ -s "$f" ] && { echo "    --- ${f##*/} (last 20 lines)"; tail -n 20 "$f" | indent; }
	done
	[ -s "$run/console.log" ] && { echo "    --- console (last 20 lines)"; tail -n 20 "$run/console.log" | indent; }
	[ -s "$run/qemu.log" ] && { echo "    --- qemu"; tail -n 10 "$run/qemu.log" | indent; }
}

read -r _ booted slow 2>/dev/null <"$run/boot" || booted=
setup=$(sed -n 's/^setup //p' "$run/boot" 2>/dev/null)
echo "wifi: parts ready in ${fetched}s; VM ran ${wall}s: userspace at ${booted:-?}s, lab up at ${setup:-?}s${slow:+ ($slow)}"
failed=0
if [ -z "$booted" ]; then
	echo "FAIL wifi: the VM did not boot$([ -n "$timed_out" ] && echo " (killed after ${limit}s)")"
	show_logs
	exit 1
fi
if [ -z "$setup" ]; then
	echo "FAIL wifi: the lab did not come up in the VM"
	show_logs
	exit 1
fi
for s in "${scenarios[@]}"; do
	n=$(name_of "$s")
	line=$(grep -E "^(PASS|FAIL) $n " "$run/results" 2>/dev/null | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		echo "FAIL wifi: $n (did not run$([ -n "$timed_out" ] && echo ": the VM was killed after ${limit}s"))"
		[ -f "$run/scenario-$n.log" ] && indent <"$run/scenario-$n.log"
		continue
	fi
	read -r verdict _ secs <<<"$line"
	echo "$verdict wifi: $n (${secs}s)"
	if [ "$verdict" != PASS ]; then
		failed=$((failed + 1))
		indent <"$run/scenario-$n.log"
	fi
done
if [ "$failed" -gt 0 ] || [ -n "$timed_out" ]; then
	show_logs
	exit 1
fi
exit 0
