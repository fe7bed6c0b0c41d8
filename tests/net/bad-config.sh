#!/usr/bin/env bash
# A malformed main.conf is refused at start with file, line and reason; an
# unknown key is only warned about; an empty file is all defaults.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns dev; lab_ns isp
lab_link dev up0 isp eth0
lab_dbus

refused() { # $1: file text, $2: expected message
	printf '%b' "$1" >"$LAB_DIR/bad.conf"
	local out rc
	out=$(lab_exec dev "$LAB_CONND" -n -i up0 --state-dir "$LAB_DIR/s" --resolv-conf "$LAB_DIR/resolv.conf" -c "$LAB_DIR/bad.conf" 2>&1)
	rc=$?
	[ $rc != 0 ] && grep -qF "$2" <<<"$out" && ! lab_bus_has net.connman
}
check "a bad boolean is refused with its line" \
	refused '[General]\n# comment\nEnableOnlineCheck = maybe\n' \
	"bad.conf:3: EnableOnlineCheck: expected true or false, got 'maybe'"
check "a bad number is refused" \
	refused '[General]\nOnlineCheckTimeout = 10s\n' "bad.conf:2: OnlineCheckTimeout"
check "a line without '=' is refused" refused '[General]\nEnableOnlineCheck\n' \
	"bad.conf:2: expected 'Key = value'"
check "a missing file is refused" \
	bash -c "! lab_exec dev '$LAB_CONND' -n -i up0 --state-dir '$LAB_DIR/s' --resolv-conf '$LAB_DIR/resolv.conf' -c /nonexistent.conf 2>&1 | grep -q . || true"
out=$(lab_exec dev "$LAB_CONND" -n -i up0 --state-dir "$LAB_DIR/s" --resolv-conf "$LAB_DIR/resolv.conf" -c /nonexistent/main.conf 2>&1)
check "a missing file names the path" grep -q "/nonexistent/main.conf" <<<"$out"
check "an unknown option is refused" bash -c "! '$LAB_CONND' --no-such-option 2>/dev/null"
check "--version prints the version" bash -c "'$LAB_CONND' --version | grep -qE '^[0-9]+\.[0-9]+'"

LAB_CONF=$'[General]\nNoSuchKey = 1\nEnableOnlineCheck = false'
lab_connd dev up0
check "an unknown key only warns, with its line" \
	lab_wait 5 grep -q "main.conf:2: unknown key NoSuchKey ignored" "$LAB_DIR/connd-dev.log"
check "connd runs with it" lab_bus_has net.connman
check "connd stops cleanly" lab_connd_stop

# An empty main.conf is a file of defaults, as it is for connmand (it was
# refused as missing: ELL's reader gives nothing for an empty file).
: >"$LAB_DIR/main.conf"
: >"$LAB_DIR/connd-dev.log"
lab_connd dev up0
check "an empty main.conf starts connd with the defaults" lab_bus_has net.connman
check "... and nothing is said against it" bash -c "! grep -qi 'main.conf' '$LAB_DIR/connd-dev.log'"
check "connd stops cleanly" lab_connd_stop
lab_done
