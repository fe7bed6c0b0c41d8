# A Wi-Fi service's settings persist as ConnMan's do, by service id: the
# user's AutoConnect off and a manual IPv4 configuration survive a connd
# restart and are applied again (the next connect puts the manual address on
# wlan1), Favorite comes back (iwd still knows the network). Remove forgets
# them: the defaults at once, nothing of the user's left in the file, and
# still the defaults after the next restart. (AutoConnect reads false on the
# bus for a service that is not a favorite, as in ConnMan: the file tells.)
. "$VM_DIR/connd-wifi-lib.sh"
ipv4_config() { prop "$open" "IPv4.Configuration = [ $1 ]"; }
manual='Method=manual, Address=10.77.0.50, Netmask=255.255.255.0, Gateway=10.77.0.1'
has_manual_addr() { ip -4 addr show wlan1 | grep -q 'inet 10.77.0.50/24'; }
settings=$VM_RUN/connd/$open/settings
# iwd 2.3 at times aborts its own authentication with the AP right after a
# connd restart ("aborting authentication ... by local choice", Failed),
# before connd has anything to do with it: one more try.
connect_open() {
	"$VM_CTL" connect "$open" | grep -q Connected || "$VM_CTL" connect "$open" | grep -q Connected
}
users_settings_gone() { [ ! -e "$settings" ] || ! grep -qE 'AutoConnect=false|IPv4.method=manual' "$settings"; }
connd_start
check_wait "the open network is listed" 10 listed "$open"
check "Connect" sh -c "'$VM_CTL' connect '$open' | grep -q Connected"
check_wait "a favorite (iwd knows it now)" 5 prop "$open" "Favorite = True"
ctl config "$open" --autoconnect no >/dev/null
ctl config "$open" --ipv4 manual 10.77.0.50 255.255.255.0 10.77.0.1 >/dev/null
check_wait "the manual address replaces the lease" 10 has_manual_addr
check "AutoConnect off" prop "$open" "AutoConnect = False"
ctl disconnect "$open" >/dev/null
check_wait "idle, the address gone" 5 no_addr
check "saved under the service's id" test -s "$settings"
connd_stop

connd_start
check_wait "after a restart: listed again" 10 listed "$open"
check "still a favorite" prop "$open" "Favorite = True"
check "AutoConnect still off" prop "$open" "AutoConnect = False"
check "the manual configuration is back" ipv4_config "$manual"
check "and nothing connected by itself" prop "$open" "State = idle"
check "Connect" connect_open
check_wait "the manual address applied again" 5 has_manual_addr
ctl disconnect "$open" >/dev/null
check_wait "idle, the address gone" 5 no_addr

ctl config "$open" --remove >/dev/null
check_wait "Remove: no longer a favorite" 5 prop "$open" "Favorite = False"
check "IPv4 back to DHCP" ipv4_config "Method=dhcp"
check "AutoConnect off and the manual address are no longer saved" users_settings_gone
connd_stop
connd_start
check_wait "after another restart" 10 listed "$open"
check "still the defaults: DHCP" ipv4_config "Method=dhcp"
check "and nothing of the user's saved" users_settings_gone
connd_stop
wait "$connd"
check "connd exited cleanly" test $? = 0
