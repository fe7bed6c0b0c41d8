/* net.connman.Technology objects: marshalling only; the manager decides. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ell/ell.h>

#include "dbus-util.h"
#include "manager-dbus.h"
#include "dhcp-server.h"
#include "ipv4-settings.h"
#include "manager.h"
#include "manager-tethering.h"
#include "technology.h"
#include "tether-ap.h"
#include "technology-dbus.h"

#define TECHNOLOGY_INTERFACE CONND_SERVICE ".Technology"

static void append_name(struct l_dbus_message_builder *b, void *object)
{
	l_dbus_message_builder_append_basic(b, 's', technology_name(object));
}

static void append_type(struct l_dbus_message_builder *b, void *object)
{
	l_dbus_message_builder_append_basic(b, 's', technology_type(object));
}

static void append_bool(struct l_dbus_message_builder *b, bool value)
{
	l_dbus_message_builder_append_basic(b, 'b', &value);
}

static void append_powered(struct l_dbus_message_builder *b, void *object)
{
	append_bool(b, technology_powered(object));
}

static void append_connected(struct l_dbus_message_builder *b, void *object)
{
	append_bool(b, technology_connected(object));
}

static void append_tethering(struct l_dbus_message_builder *b, void *object)
{
	append_bool(b, technology_tethering(object));
}

/* Wi-Fi's access point, as ConnMan shows it: the identifier and the
 * passphrase once set, the frequency always. */
static const struct tether_ap *ap_of(void *object)
{
	struct technology *tech = object;

	return tether_ctl_ap(manager_tethering(technology_manager(tech)), tech);
}

static bool has_ap(void *object)
{
	return ap_of(object) != NULL;
}

static bool has_identifier(void *object)
{
	const struct tether_ap *ap = ap_of(object);

	return ap && ap->identifier;
}

static bool has_passphrase(void *object)
{
	const struct tether_ap *ap = ap_of(object);

	return ap && ap->passphrase;
}

static void append_identifier(struct l_dbus_message_builder *b, void *object)
{
	l_dbus_message_builder_append_basic(b, 's', ap_of(object)->identifier);
}

static void append_passphrase(struct l_dbus_message_builder *b, void *object)
{
	l_dbus_message_builder_append_basic(b, 's', ap_of(object)->passphrase);
}

static void append_freq(struct l_dbus_message_builder *b, void *object)
{
	int32_t freq = ap_of(object)->freq;

	if (!freq)
		freq = TETHER_AP_DEFAULT_FREQ;
	l_dbus_message_builder_append_basic(b, 'i', &freq);
}

static const struct dbus_property technology_properties[] = {
	{ "Name", "s", append_name },
	{ "Type", "s", append_type },
	{ "Powered", "b", append_powered },
	{ "Connected", "b", append_connected },
	{ "Tethering", "b", append_tethering },
	{ "TetheringIdentifier", "s", append_identifier, has_identifier },
	{ "TetheringPassphrase", "s", append_passphrase, has_passphrase },
	{ "TetheringFreq", "i", append_freq, has_ap },
	{ }
};

void technology_dbus_append_properties(struct l_dbus_message_builder *b, struct technology *tech)
{
	dbus_append_properties(b, technology_properties, tech);
}

static struct l_dbus_message *get_properties(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	return dbus_reply_properties(msg, technology_properties, user_data);
}

static struct l_dbus_message *set_powered(struct l_dbus_message *msg, struct technology *tech,
					  struct l_dbus_message_iter *value)
{
	bool powered;
	int err;

	if (!l_dbus_message_iter_get_variant(value, "b", &powered))
		return dbus_error_invalid_args(msg, "Powered takes a boolean");
	err = manager_set_powered(technology_manager(tech), tech, powered);
	if (err == -EALREADY)
		return dbus_error(msg, powered ? "AlreadyEnabled" : "AlreadyDisabled",
				  "%s is already %s", technology_type(tech), powered ? "enabled" : "disabled");
	if (err < 0)
		return dbus_error_errno(msg, err);
	return l_dbus_message_new_method_return(msg);
}

struct pending_tether {
	struct l_dbus *dbus;
	struct l_dbus_message *msg;
};

/* The access point is up, or what went wrong, in the bearer's words. */
static void tether_done(int result, const char *message, void *data)
{
	struct pending_tether *p = data;
	struct l_dbus_message *reply;

	if (!result)
		reply = l_dbus_message_new_method_return(p->msg);
	else if (result == -EOPNOTSUPP)
		reply = dbus_error(p->msg, "NotSupported", "%s", message);
	else
		reply = dbus_error(p->msg, "Failed", "%s", message);
	l_dbus_send(p->dbus, reply);
	l_dbus_message_unref(p->msg);
	l_free(p);
}

/* What a technology tethering through its own access point refused with
 * before trying. */
static struct l_dbus_message *ap_refused(struct l_dbus_message *msg, struct technology *tech,
					 int err)
{
	switch (err) {
	case -EINVAL:
		return dbus_error_invalid_args(msg, "Set TetheringIdentifier and TetheringPassphrase "
					       "before switching %s tethering on", technology_type(tech));
	case -EINPROGRESS:
		return dbus_error(msg, "InProgress", "%s tethering is being switched on",
				  technology_type(tech));
	case -EOPNOTSUPP:
		return dbus_error(msg, "NotSupported", "No %s device can be an access point",
				  technology_type(tech));
	case -ENETDOWN:
		return dbus_error(msg, "Failed", "%s is switched off", technology_type(tech));
	case -ENODEV:
		return dbus_error(msg, "Failed", "No %s device to be an access point",
				  technology_type(tech));
	}
	return dbus_error_errno(msg, err);
}

static struct l_dbus_message *set_tethering(struct l_dbus *dbus, struct l_dbus_message *msg,
					    struct technology *tech,
					    struct l_dbus_message_iter *value)
{
	struct pending_tether *p;
	bool on;
	int err;

	if (!l_dbus_message_iter_get_variant(value, "b", &on))
		return dbus_error_invalid_args(msg, "Tethering takes a boolean");
	p = l_new(struct pending_tether, 1);
	p->dbus = dbus;
	p->msg = l_dbus_message_ref(msg);
	err = manager_set_tethering(technology_manager(tech), tech, on, tether_done, p);
	if (err == 1)
		return NULL;
	l_dbus_message_unref(msg);
	l_free(p);
	/* ConnMan's answer when main.conf does not let the technology tether. */
	if (err == -EPERM)
		return dbus_error(msg, "NotSupported", "%s tethering is not allowed by "
				  "TetheringTechnologies", technology_type(tech));
	if (err == -EALREADY)
		return dbus_error(msg, on ? "AlreadyEnabled" : "AlreadyDisabled",
				  "Tethering is already %s", on ? "enabled" : "disabled");
	if (err < 0 && technology_driver(tech)->tether_start)
		return ap_refused(msg, tech, err);
	if (err == -ENODEV)
		return dbus_error(msg, "Failed", "No %s link is free to tether",
				  technology_type(tech));
	if (err < 0)
		return dbus_error_errno(msg, err);
	return l_dbus_message_new_method_return(msg);
}

/* TetheringIdentifier, TetheringPassphrase, TetheringFreq: kept for the
 * next start of the access point; a PropertyChanged when they change. */
static struct l_dbus_message *set_ap_property(struct l_dbus *dbus, struct l_dbus_message *msg,
					      struct technology *tech, const char *name,
					      struct l_dbus_message_iter *value)
{
	struct tether_ctl *ctl = manager_tethering(technology_manager(tech));
	const char *text;
	int32_t freq;
	int err;

	if (!tether_ctl_ap(ctl, tech))
		return dbus_error(msg, "NotSupported", "%s applies to Wi-Fi tethering only", name);
	if (!strcmp(name, "TetheringFreq")) {
		if (!l_dbus_message_iter_get_variant(value, "i", &freq))
			return dbus_error_invalid_args(msg, "TetheringFreq takes an int32 (MHz)");
		err = tether_ctl_set_ap_freq(ctl, tech, freq);
	} else {
		if (!l_dbus_message_iter_get_variant(value, "s", &text))
			return dbus_error_invalid_args(msg, "%s takes a string", name);
		err = !strcmp(name, "TetheringIdentifier") ?
			tether_ctl_set_ap_identifier(ctl, tech, text) :
			tether_ctl_set_ap_passphrase(ctl, tech, text);
	}
	if (err == -EINVAL && !strcmp(name, "TetheringIdentifier"))
		return dbus_error_invalid_args(msg, "TetheringIdentifier takes 1 to %d bytes",
					       TETHER_AP_SSID_MAX);
	if (err == -EINVAL)
		return dbus_error_invalid_args(msg, "TetheringFreq takes a frequency in MHz");
	/* ConnMan's answer to a passphrase WPA2 cannot take. */
	if (err == -ENOKEY)
		return dbus_error(msg, "PassphraseRequired", "TetheringPassphrase takes 8 to 63 "
				  "printable ASCII characters, or 64 hex digits");
	if (err == 0)
		technology_dbus_emit(dbus, tech, name);
	else if (err != -EALREADY)
		return dbus_error_errno(msg, err);
	return l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *set_property(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	struct l_dbus_message *denied;
	struct technology *tech = user_data;
	struct l_dbus_message_iter value;
	const char *name;

	if (!manager_dbus_may_configure(dbus, msg, TECHNOLOGY_INTERFACE, set_property, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "sv", &name, &value))
		return dbus_error_invalid_args(msg, "Expected a property name and a variant value");
	if (!strcmp(name, "Powered"))
		return set_powered(msg, tech, &value);
	if (!strcmp(name, "Tethering"))
		return set_tethering(dbus, msg, tech, &value);
	if (!strcmp(name, "TetheringIdentifier") || !strcmp(name, "TetheringPassphrase") ||
	    !strcmp(name, "TetheringFreq"))
		return set_ap_property(dbus, msg, tech, name, &value);
	if (!strncmp(name, "Tethering", 9))
		return dbus_error(msg, "NotSupported", "%s applies to Wi-Fi tethering only", name);
	return dbus_error_invalid_property(msg, name);
}

struct pending_scan {
	struct l_dbus *dbus;
	struct l_dbus_message *msg;
};

/* Scan answers once the scan is over, as ConnMan's does. */
static void scan_done(int result, void *data)
{
	struct pending_scan *pending = data;

	l_dbus_send(pending->dbus, result < 0 ? dbus_error_errno(pending->msg, result) :
				   l_dbus_message_new_method_return(pending->msg));
	l_dbus_message_unref(pending->msg);
	l_free(pending);
}

static struct l_dbus_message *scan(struct l_dbus *dbus, struct l_dbus_message *msg,
				   void *user_data)
{
	struct l_dbus_message *denied;
	struct technology *tech = user_data;
	struct pending_scan *pending;
	int err;

	if (!manager_dbus_may_configure(dbus, msg, TECHNOLOGY_INTERFACE, scan, &denied))
		return denied;

	pending = l_new(struct pending_scan, 1);
	pending->dbus = dbus;
	pending->msg = l_dbus_message_ref(msg);
	err = technology_scan(tech, scan_done, pending);
	if (err == 0)
		return NULL;
	l_dbus_message_unref(msg);
	l_free(pending);
	if (err == -EOPNOTSUPP)
		return dbus_error(msg, "NotSupported", "%s cannot scan", technology_type(tech));
	return dbus_error_errno(msg, err);
}

static void append_lease(const struct dhcp_server_lease *lease, void *data)
{
	struct l_dbus_message_builder *b = data;
	struct timespec now;
	char mac[18], addr[16];

	clock_gettime(CLOCK_BOOTTIME, &now);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", lease->mac[0], lease->mac[1],
		 lease->mac[2], lease->mac[3], lease->mac[4], lease->mac[5]);
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_str(b, "Address", ipv4_ntop(lease->address, addr));
	dbus_dict_str(b, "MAC", mac);
	dbus_dict_str(b, "Hostname", lease->hostname ? lease->hostname : "");
	dbus_dict_u32(b, "Expires", lease->expires > (uint64_t)now.tv_sec ?
				    (uint32_t)(lease->expires - now.tv_sec) : 0);
	l_dbus_message_builder_leave_array(b);
}

/* connd extension: the tethering DHCP server's leases. */
static struct l_dbus_message *get_tethering_leases(struct l_dbus *dbus,
						   struct l_dbus_message *msg, void *user_data)
{
	struct l_dbus_message *denied;
	struct technology *tech = user_data;
	struct l_dbus_message *reply;
	struct l_dbus_message_builder *b;

	if (!manager_dbus_may_configure(dbus, msg, TECHNOLOGY_INTERFACE, get_tethering_leases,
					&denied))
		return denied;

	reply = l_dbus_message_new_method_return(msg);
	b = l_dbus_message_builder_new(reply);
	l_dbus_message_builder_enter_array(b, "a{sv}");
	manager_foreach_tethering_lease(technology_manager(tech), append_lease, b);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return reply;
}

static void setup_technology_interface(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "GetTetheringLeases", 0, get_tethering_leases, "aa{sv}", "",
				"leases");
	l_dbus_interface_method(iface, "GetProperties", 0, get_properties, "a{sv}", "",
				"properties");
	l_dbus_interface_method(iface, "SetProperty", L_DBUS_METHOD_FLAG_ASYNC, set_property, "",
				"sv", "name", "value");
	l_dbus_interface_method(iface, "Scan", L_DBUS_METHOD_FLAG_ASYNC, scan, "", "");
	l_dbus_interface_signal(iface, "PropertyChanged", 0, "sv", "name", "value");
}

void technology_dbus_register_interface(struct l_dbus *dbus)
{
	l_dbus_register_interface(dbus, TECHNOLOGY_INTERFACE, setup_technology_interface, NULL,
				  false);
}

void technology_dbus_add(struct l_dbus *dbus, struct technology *tech)
{
	if (dbus)
		l_dbus_object_add_interface(dbus, technology_path(tech), TECHNOLOGY_INTERFACE, tech);
}

void technology_dbus_remove(struct l_dbus *dbus, struct technology *tech)
{
	if (dbus)
		l_dbus_unregister_object(dbus, technology_path(tech));
}

void technology_dbus_emit(struct l_dbus *dbus, struct technology *tech, const char *property)
{
	dbus_emit_property_changed(dbus, technology_path(tech), TECHNOLOGY_INTERFACE, technology_properties,
				   property, tech);
}
