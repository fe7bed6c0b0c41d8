#!/usr/bin/env bash
# A service's Proxy and Proxy.Configuration: WPAD's PAC URL from DHCP option
# 252, http://wpad.<domain>/wpad.dat from the search domain, direct without
# either; each method set with the real connmanctl (`config --proxy`), shown,
# signalled and kept across a restart; bad values refused with nothing
# changed; Ethernet signalled when the link's MTU or address changes.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp1; lab_ns isp2; lab_ns isp3; lab_ns dev
lab_link isp1 eth0 dev up0
lab_link isp2 eth0 dev up1
lab_link isp3 eth0 dev up2
pac=http://pac.isp.lab/proxy.pac
lab_isp isp1 eth0 10.39.1.1/24 "--dhcp-conf=dhcp-option=252,\"$pac\""
# An option 252 that is no URL: ignored.
lab_isp isp2 eth0 10.39.2.1/24 '--dhcp-conf=dhcp-option=252,"wpad.dat"'
# No domain name for up2: an empty option 15.
lab_isp isp3 eth0 10.39.3.1/24 --dhcp-conf=dhcp-option=option:domain-name
lab_dbus
api() { "$LAB_PY" "$LAB_REPO/tests/net/proxy_api.py" "$@"; }
signals=$LAB_DIR/signals.log
api watch "$signals" >"$LAB_DIR/watch.log" 2>&1 &
lab_defer "kill $!"
lab_wait 5 grep -q ready "$signals"
lab_connd dev up0,up1,up2
s0=$(lab_service dev up0) s1=$(lab_service dev up1) s2=$(lab_service dev up2)

# shows SERVICE PROPERTY JSON: the property's value now is JSON's.
shows() {
	local want
	want=$("$LAB_PY" -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1]), sort_keys=True))' "$3")
	[ "$(api show "$1" "$2")" = "$want" ]
}
# signalled SERVICE PROPERTY JSON: a PropertyChanged carried that value.
signalled() {
	"$LAB_PY" - "$signals" "$@" <<-'PY'
		import json, sys
		path, service, name, want = sys.argv[1:]
		lines = [json.loads(l) for l in open(path)]
		sys.exit(not any(l.get('service') == service and l.get('name') == name and
		                 l.get('value') == json.loads(want) for l in lines))
	PY
}
count() { grep -c "\"service\": \"$1\", \"name\": \"$2\"" "$signals"; }
export -f api shows signalled
export signals

check_wait "the three services are online" 30 \
	bash -c "service_state dev up0 online && service_state dev up1 online && service_state dev up2 online"
check "no Proxy.Configuration at first: an empty dict" shows "$s0" Proxy.Configuration '{}'
check "up0: the PAC URL of DHCP option 252 is in force" \
	shows "$s0" Proxy "{\"Method\": \"auto\", \"URL\": \"$pac\"}"
check "ISP 2 did send its option 252" grep -q 'option:252' "$LAB_DIR/dnsmasq-isp2-eth0.log"
check "up1: option 252 is no URL, so WPAD under the DHCP domain name" \
	shows "$s1" Proxy '{"Method": "auto", "URL": "http://wpad.isp.lab/wpad.dat"}'
check "up2: neither, so direct" shows "$s2" Proxy '{"Method": "direct"}'
check "the PAC URL was signalled" signalled "$s0" Proxy "{\"Method\": \"auto\", \"URL\": \"$pac\"}"
check "connmanctl shows Proxy with the PAC URL" \
	bash -c "lab_connmanctl services $s0 | grep -qF 'Proxy = [ URL=$pac, Method=auto ]'"

check "connmanctl config --proxy manual SERVERS --excludes ... succeeds" \
	lab_connmanctl config "$s0" --proxy manual proxy.isp.lab:3128 http://p2.isp.lab:8080 \
	--excludes localhost .isp.lab
manual='{"Method": "manual", "Servers": ["proxy.isp.lab:3128", "http://p2.isp.lab:8080"], "Excludes": ["localhost", ".isp.lab"]}'
check "Proxy.Configuration is manual with its servers and excludes" shows "$s0" Proxy.Configuration "$manual"
check "and so is Proxy" shows "$s0" Proxy "$manual"
check_wait "Proxy.Configuration was signalled" 5 signalled "$s0" Proxy.Configuration "$manual"
check_wait "Proxy was signalled" 5 signalled "$s0" Proxy "$manual"
check "connmanctl shows both" bash -c "lab_connmanctl services $s0 |
	grep -qF 'Proxy.Configuration = [ Servers=[ proxy.isp.lab:3128, http://p2.isp.lab:8080 ], Excludes=[ localhost, .isp.lab ], Method=manual ]' &&
	lab_connmanctl services $s0 | grep -qF 'Proxy = [ Servers=[ proxy.isp.lab:3128, http://p2.isp.lab:8080 ], Excludes=[ localhost, .isp.lab ], Method=manual ]'"
check "connmanctl config --proxy manual without excludes succeeds" \
	lab_connmanctl config "$s0" --proxy manual proxy.isp.lab:3128
check "Excludes are gone from the configuration" \
	shows "$s0" Proxy.Configuration '{"Method": "manual", "Servers": ["proxy.isp.lab:3128"]}'
check "Proxy shows manual's Excludes empty, as ConnMan does" \
	shows "$s0" Proxy '{"Method": "manual", "Servers": ["proxy.isp.lab:3128"], "Excludes": []}'

check "connmanctl config --proxy auto URL succeeds" \
	lab_connmanctl config "$s0" --proxy auto https://conf.example/x.pac
auto='{"Method": "auto", "URL": "https://conf.example/x.pac"}'
check "the configured URL wins over DHCP's" shows "$s0" Proxy "$auto"
check "Proxy.Configuration is auto with that URL" shows "$s0" Proxy.Configuration "$auto"
check_wait "both were signalled" 5 \
	bash -c "signalled $s0 Proxy '$auto' && signalled $s0 Proxy.Configuration '$auto'"

check "connmanctl config --proxy direct succeeds" lab_connmanctl config "$s0" --proxy direct
check "direct is in force though DHCP offers a PAC URL" shows "$s0" Proxy '{"Method": "direct"}'
check_wait "Proxy direct was signalled" 5 signalled "$s0" Proxy '{"Method": "direct"}'

n_config=$(count "$s0" Proxy.Configuration) n_proxy=$(count "$s0" Proxy)
check "bad configurations are refused with InvalidArguments and change nothing" api bad "$s0"
# connmanctl exits 0 either way: its message tells.
check "connmanctl config --proxy manual without servers is refused" \
	bash -c "lab_connmanctl config $s0 --proxy manual 2>&1 | grep -q 'Error.*manual needs at least one server'"
check "connmanctl config --proxy bogus is refused (it sends no Method)" \
	bash -c "lab_connmanctl config $s0 --proxy bogus 2>&1 | grep -q 'Error.*Method is missing'"
check "still direct" shows "$s0" Proxy.Configuration '{"Method": "direct"}'
check "no Proxy or Proxy.Configuration signal for refused values" \
	bash -c "[ $(count "$s0" Proxy.Configuration) = $n_config ] && [ $(count "$s0" Proxy) = $n_proxy ]"

check "manual again" lab_connmanctl config "$s0" --proxy manual proxy.isp.lab:3128 \
	--excludes localhost
check "up1 set to auto with a URL" api set "$s1" "$auto"
check "connd stops cleanly" lab_connd_stop
settings=$LAB_DIR/state-dev/$s0/settings
check "the settings file keeps ConnMan's Proxy keys" \
	bash -c "grep -qx 'Proxy.Method=manual' '$settings' && grep -qx 'Proxy.Servers=proxy.isp.lab:3128' '$settings' &&
		 grep -qx 'Proxy.Excludes=localhost' '$settings'"
lab_connd dev up0,up1,up2
check_wait "online again after the restart" 30 \
	bash -c "service_state dev up0 online && service_state dev up1 online"
m2='{"Method": "manual", "Servers": ["proxy.isp.lab:3128"], "Excludes": ["localhost"]}'
check "up0's manual configuration came back" shows "$s0" Proxy.Configuration "$m2"
check "and is in force" shows "$s0" Proxy "$m2"
check "up1's auto URL came back" shows "$s1" Proxy.Configuration "$auto"
check "and is in force" shows "$s1" Proxy "$auto"

check "connmanctl config --proxy auto (no URL) succeeds" lab_connmanctl config "$s0" --proxy auto
check "auto without a URL: DHCP's PAC URL again" \
	shows "$s0" Proxy "{\"Method\": \"auto\", \"URL\": \"$pac\"}"
check "Proxy.Configuration is auto without a URL" shows "$s0" Proxy.Configuration '{"Method": "auto"}'

check "up2: a search domain set by hand" lab_connmanctl config "$s2" --domains corp.example
check_wait "WPAD under it is in force and signalled" 5 \
	signalled "$s2" Proxy '{"Method": "auto", "URL": "http://wpad.corp.example/wpad.dat"}'
check "the domain cleared" lab_connmanctl config "$s2" --domains
check_wait "direct again, signalled" 5 bash -c "shows $s2 Proxy '{\"Method\": \"direct\"}' &&
	[ \$(grep -c '\"service\": \"$s2\", \"name\": \"Proxy\", \"value\": {\"Method\": \"direct\"}' $signals) -ge 2 ]"

lab_exec dev ip link set up2 mtu 1400
check_wait "Ethernet is signalled when the MTU changes" 5 \
	bash -c "grep '\"service\": \"$s2\", \"name\": \"Ethernet\"' $signals | grep -q '\"MTU\": 1400'"
lab_exec dev ip link set up2 address 02:39:00:00:00:02
check_wait "and when the link's address changes" 5 \
	bash -c "grep '\"service\": \"$s2\", \"name\": \"Ethernet\"' $signals | grep -q '\"Address\": \"02:39:00:00:00:02\"'"
check "Ethernet shows the new address" \
	bash -c "lab_connmanctl services $s2 | grep -q 'Ethernet = .*Address=02:39:00:00:00:02'"
check "connd stops cleanly" lab_connd_stop
lab_done
