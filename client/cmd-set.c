/* The commands that change something: enable, disable, tether, config,
 * connect, disconnect. Each checks its arguments before touching the bus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "connctl.h"

static void append_bool(struct l_dbus_message_builder *b, const void *data)
{
	l_dbus_message_builder_append_basic(b, 'b', data);
}

static void append_string(struct l_dbus_message_builder *b, const void *data)
{
	l_dbus_message_builder_append_basic(b, 's', data);
}

static void append_strv(struct l_dbus_message_builder *b, const void *data)
{
	char *const *strv = data;

	l_dbus_message_builder_enter_array(b, "s");
	for (; strv && *strv; strv++)
		l_dbus_message_builder_append_basic(b, 's', *strv);
	l_dbus_message_builder_leave_array(b);
}

/* yes/no in every spelling a user might try; -1 if none. */
static int parse_bool(const char *arg)
{
	static const char *const yes[] = { "yes", "on", "true", "1", "enable" };
	static const char *const no[] = { "no", "off", "false", "0", "disable" };

	for (size_t i = 0; i < L_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(arg, yes[i]))
			return 1;
		if (!strcasecmp(arg, no[i]))
			return 0;
	}
	return -1;
}

static int set_offline(struct ctl *c, bool on)
{
	struct value *props;
	int code = ctl_get_properties(c, "/", "Manager", &props);
	bool current;

	if (code)
		return code;
	current = value_dict_bool(props, "OfflineMode", false);
	value_free(props);
	/* ConnMan accepts the current value silently; scripts want to know. */
	if (current == on)
		return fail(EXIT_ALREADY, "offline mode is already %s", on ? "enabled" : "disabled");
	code = ctl_set_property(c, "/", "Manager", "OfflineMode", "b", append_bool, &on,
				"OfflineMode");
	if (code == EXIT_OK)
		printf("%s offline mode\n", on ? "Enabled" : "Disabled");
	return code;
}

static int set_powered(struct ctl *c, const char *tech, bool on)
{
	struct l_queue *techs;
	struct object *t;
	int code = ctl_find_object(c, "GetTechnologies", TECHNOLOGY_PREFIX, tech, &techs, &t);

	if (code)
		return code;
	code = ctl_set_property(c, t->path, "Technology", "Powered", "b", append_bool, &on, t->id);
	if (code == EXIT_OK)
		printf("%s %s\n", on ? "Enabled" : "Disabled", t->id);
	object_list_free(techs);
	return code;
}

static int power(struct ctl *c, int argc, char **argv, bool on)
{
	if (argc != 1)
		return usage_error("%s takes a technology or 'offline'", on ? "enable" : "disable");
	if (!strcmp(argv[0], "offline"))
		return set_offline(c, on);
	return set_powered(c, argv[0], on);
}

int cmd_enable(struct ctl *c, int argc, char **argv)
{
	return power(c, argc, argv, true);
}

int cmd_disable(struct ctl *c, int argc, char **argv)
{
	return power(c, argc, argv, false);
}

int cmd_tether(struct ctl *c, int argc, char **argv)
{
	struct l_queue *techs;
	struct object *t;
	int on, code;

	if (argc != 2 && argc != 4)
		return usage_error("tether takes TECH on|off [SSID PASSPHRASE]");
	on = parse_bool(argv[1]);
	if (on < 0)
		return usage_error("tether: '%s' is neither on nor off", argv[1]);
	code = ctl_find_object(c, "GetTechnologies", TECHNOLOGY_PREFIX, argv[0], &techs, &t);
	if (code)
		return code;
	if (argc == 4)
		code = ctl_set_property(c, t->path, "Technology", "TetheringIdentifier", "s",
					append_string, argv[2], t->id);
	if (argc == 4 && code == EXIT_OK)
		code = ctl_set_property(c, t->path, "Technology", "TetheringPassphrase", "s",
					append_string, argv[3], t->id);
	if (code == EXIT_OK) {
		bool flag = on;

		code = ctl_set_property(c, t->path, "Technology", "Tethering", "b", append_bool,
					&flag, t->id);
	}
	if (code == EXIT_OK)
		printf("%s tethering for %s\n", on ? "Enabled" : "Disabled", t->id);
	object_list_free(techs);
	return code;
}

/* One config option, parsed before any call is made. */
struct setting {
	const char *property;
	const char *signature;
	variant_fn append;
	bool flag;
	char **strv;			/* list options, or IPv4/IPv6 keys and values */
};

/* Strings, but PrefixLength as the byte ConnMan's API takes (the caller
 * checked that it is a number up to 255). */
static void append_string_dict(struct l_dbus_message_builder *b, const void *data)
{
	char *const *kv = data;	/* key, value, key, value, ... */

	l_dbus_message_builder_enter_array(b, "{sv}");
	for (; kv[0] && kv[1]; kv += 2) {
		bool byte = !strcmp(kv[0], "PrefixLength");
		uint8_t value = byte ? (uint8_t)strtoul(kv[1], NULL, 10) : 0;

		l_dbus_message_builder_enter_dict(b, "sv");
		l_dbus_message_builder_append_basic(b, 's', kv[0]);
		l_dbus_message_builder_enter_variant(b, byte ? "y" : "s");
		if (byte)
			l_dbus_message_builder_append_basic(b, 'y', &value);
		else
			l_dbus_message_builder_append_basic(b, 's', kv[1]);
		l_dbus_message_builder_leave_variant(b);
		l_dbus_message_builder_leave_dict(b);
	}
	l_dbus_message_builder_leave_array(b);
}

static bool is_option(const char *arg)
{
	return !strncmp(arg, "--", 2);
}

/* --ipv4 dhcp|off|manual ADDR MASK [GW]; returns arguments used or -1. */
static int parse_ipv4(int argc, char **argv, struct setting *s)
{
	static const char *const keys[] = { "Address", "Netmask", "Gateway" };
	int n = 0;

	if (argc < 1 || is_option(argv[0]))
		return -1;
	s->property = "IPv4.Configuration";
	s->signature = "a{sv}";
	s->append = append_string_dict;
	s->strv = l_strv_append(l_strv_append(NULL, "Method"), argv[0]);
	if (strcmp(argv[0], "manual"))
		return 1;
	while (n < 3 && 1 + n < argc && !is_option(argv[1 + n])) {
		s->strv = l_strv_append(s->strv, keys[n]);
		s->strv = l_strv_append(s->strv, argv[1 + n]);
		n++;
	}
	return n >= 2 ? 1 + n : -1;
}

static bool is_byte(const char *arg)
{
	size_t len = strlen(arg);

	return len > 0 && len <= 3 && strspn(arg, "0123456789") == len && atoi(arg) <= 255;
}

/* --ipv6 manual ADDR PREFIXLEN [GW], as connmanctl's. */
static int parse_ipv6_manual(int argc, char **argv, struct setting *s)
{
	static const char *const keys[] = { "Address", "PrefixLength", "Gateway" };
	int n = 0;

	while (n < 3 && 1 + n < argc && !is_option(argv[1 + n])) {
		s->strv = l_strv_append(s->strv, keys[n]);
		s->strv = l_strv_append(s->strv, argv[1 + n]);
		n++;
	}
	return n >= 2 && is_byte(argv[2]) ? 1 + n : -1;
}

/* --ipv6 auto [disabled|enabled|preferred] | manual ADDR PREFIXLEN [GW] |
 * off; the daemon judges the words, so its error is the one the user reads. */
static int parse_ipv6(int argc, char **argv, struct setting *s)
{
	if (argc < 1 || is_option(argv[0]))
		return -1;
	s->property = "IPv6.Configuration";
	s->signature = "a{sv}";
	s->append = append_string_dict;
	s->strv = l_strv_append(l_strv_append(NULL, "Method"), argv[0]);
	if (!strcmp(argv[0], "manual"))
		return parse_ipv6_manual(argc, argv, s);
	if (argc < 2 || is_option(argv[1]))
		return 1;
	s->strv = l_strv_append(s->strv, "Privacy");
	/* ConnMan's API spells it "prefered". */
	s->strv = l_strv_append(s->strv, strcmp(argv[1], "preferred") ? argv[1] : "prefered");
	return 2;
}

static const struct {
	const char *option;
	const char *property;
} list_options[] = {
	{ "--nameservers", "Nameservers.Configuration" },
	{ "--timeservers", "Timeservers.Configuration" },
	{ "--domains", "Domains.Configuration" },
};

/* Fills `s` from argv[0] (the option) on; returns arguments used or -1. */
static int parse_setting(int argc, char **argv, struct setting *s)
{
	int n;

	if (!strcmp(argv[0], "--ipv4")) {
		n = parse_ipv4(argc - 1, argv + 1, s);
		return n < 0 ? -1 : 1 + n;
	}
	if (!strcmp(argv[0], "--ipv6")) {
		n = parse_ipv6(argc - 1, argv + 1, s);
		return n < 0 ? -1 : 1 + n;
	}
	if (!strcmp(argv[0], "--autoconnect")) {
		int flag = argc > 1 ? parse_bool(argv[1]) : -1;

		*s = (struct setting){ "AutoConnect", "b", append_bool, flag == 1, NULL };
		return flag < 0 ? -1 : 2;
	}
	for (size_t i = 0; i < L_ARRAY_SIZE(list_options); i++) {
		if (strcmp(argv[0], list_options[i].option))
			continue;
		*s = (struct setting){ list_options[i].property, "as", append_strv, false,
				       l_new(char *, 1) };
		/* The list runs to the next option; none at all clears it. */
		for (n = 1; n < argc && !is_option(argv[n]); n++)
			s->strv = l_strv_append(s->strv, argv[n]);
		return n;
	}
	return -1;
}

static void settings_free(struct setting *settings, int count)
{
	for (int i = 0; i < count; i++)
		l_strv_free(settings[i].strv);
	l_free(settings);
}

static int apply_settings(struct ctl *c, const char *id, struct setting *settings, int count)
{
	struct l_queue *services = NULL;
	struct object *svc;
	int code = ctl_find_object(c, "GetServices", SERVICE_PREFIX, id, &services, &svc);

	for (int i = 0; code == EXIT_OK && i < count; i++) {
		struct setting *s = &settings[i];
		const void *data = s->append == append_bool ? (const void *)&s->flag
							     : (const void *)s->strv;

		code = ctl_set_property(c, svc->path, "Service", s->property, s->signature,
					s->append, data, svc->id);
	}
	if (services)
		object_list_free(services);
	return code;
}

int cmd_config(struct ctl *c, int argc, char **argv)
{
	struct setting *settings;
	int count = 0, i = 1, code;

	if (argc < 2)
		return usage_error("config takes a service and at least one option");
	settings = l_new(struct setting, argc);
	while (i < argc) {
		int used = parse_setting(argc - i, argv + i, &settings[count]);

		if (used < 0) {
			code = usage_error("config: bad or incomplete option '%s'", argv[i]);
			settings_free(settings, count + 1);
			return code;
		}
		count++;
		i += used;
	}
	code = apply_settings(c, argv[0], settings, count);
	settings_free(settings, count);
	return code;
}

static int service_call(struct ctl *c, int argc, char **argv, const char *method,
			int timeout_ms, const char *done)
{
	struct l_queue *services;
	struct object *s;
	struct l_dbus_message *reply;
	int code;

	if (argc != 1)
		return usage_error("%s takes one service", method);
	code = ctl_find_object(c, "GetServices", SERVICE_PREFIX, argv[0], &services, &s);
	if (code)
		return code;
	code = ctl_call(c, ctl_method(c, s->path, "Service", method), timeout_ms, s->id, &reply);
	if (code == EXIT_OK) {
		printf("%s %s\n", done, s->id);
		l_dbus_message_unref(reply);
	}
	object_list_free(services);
	return code;
}

int cmd_connect(struct ctl *c, int argc, char **argv)
{
	return service_call(c, argc, argv, "Connect", CONNECT_TIMEOUT_MS, "Connected");
}

int cmd_disconnect(struct ctl *c, int argc, char **argv)
{
	return service_call(c, argc, argv, "Disconnect", CALL_TIMEOUT_MS, "Disconnected");
}
