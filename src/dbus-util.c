#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dbus-util.h"

struct l_dbus_message *dbus_error_v(struct l_dbus_message *msg, const char *prefix,
				    const char *name, const char *fmt, va_list ap)
{
	char full[128], text[512];

	vsnprintf(text, sizeof(text), fmt, ap);
	snprintf(full, sizeof(full), "%s.%s", prefix, name);
	return l_dbus_message_new_error(msg, full, "%s", text);
}

struct l_dbus_message *dbus_error(struct l_dbus_message *msg, const char *name,
				  const char *fmt, ...)
{
	struct l_dbus_message *reply;
	va_list ap;

	va_start(ap, fmt);
	reply = dbus_error_v(msg, CONND_ERROR, name, fmt, ap);
	va_end(ap);
	return reply;
}

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ ESRCH, "NotRegistered" }, { ENXIO, "NotFound" }, { EPERM, "PermissionDenied" },
	{ EACCES, "PermissionDenied" }, { EEXIST, "AlreadyExists" }, { EINVAL, "InvalidArguments" },
	{ ENOSYS, "NotImplemented" }, { ENOLINK, "NoCarrier" }, { ENOTUNIQ, "NotUnique" },
	{ EOPNOTSUPP, "NotSupported" }, { ECONNABORTED, "OperationAborted" },
	{ EISCONN, "AlreadyConnected" }, { ENOTCONN, "NotConnected" }, { ECONNREFUSED, "NotConnected" },
	{ ETIMEDOUT, "OperationTimeout" }, { EALREADY, "InProgress" }, { EINPROGRESS, "InProgress" },
	{ ENOKEY, "PassphraseRequired" }, { ECANCELED, "OperationCanceled" },
};

struct l_dbus_message *dbus_error_errno(struct l_dbus_message *msg, int err)
{
	const char *name = "Failed";

	if (err < 0)
		err = -err;
	for (size_t i = 0; i < L_ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			name = errno_names[i].name;
	return dbus_error(msg, name, "%s", strerror(err));
}

struct l_dbus_message *dbus_error_invalid_args(struct l_dbus_message *msg, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return dbus_error(msg, "InvalidArguments", "%s", text);
}

struct l_dbus_message *dbus_error_invalid_property(struct l_dbus_message *msg, const char *name)
{
	return dbus_error(msg, "InvalidProperty", "Unknown or read-only property '%s'", name);
}

struct l_dbus_message *dbus_check_client_path(struct l_dbus_message *msg, const char *what,
					      const char *path)
{
	size_t len = strlen(path);

	if (len <= DBUS_CLIENT_PATH_MAX)
		return NULL;
	return dbus_error_invalid_args(msg, "%s path has %zu characters, at most %u are allowed",
				       what, len, DBUS_CLIENT_PATH_MAX);
}

static void append_property(struct l_dbus_message_builder *b, const struct dbus_property *p,
			    void *object)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', p->name);
	l_dbus_message_builder_enter_variant(b, p->signature);
	p->append(b, object);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

void dbus_append_property_entries(struct l_dbus_message_builder *b,
				  const struct dbus_property *table, void *object)
{
	for (const struct dbus_property *p = table; p->name; p++)
		if (!p->present || p->present(object))
			append_property(b, p, object);
}

void dbus_append_properties(struct l_dbus_message_builder *b,
			    const struct dbus_property *table, void *object)
{
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_append_property_entries(b, table, object);
	l_dbus_message_builder_leave_array(b);
}

struct l_dbus_message *dbus_reply_properties(struct l_dbus_message *msg,
					     const struct dbus_property *table, void *object)
{
	struct l_dbus_message *reply = l_dbus_message_new_method_return(msg);
	struct l_dbus_message_builder *b = l_dbus_message_builder_new(reply);

	dbus_append_properties(b, table, object);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return reply;
}

void dbus_emit_property_changed(struct l_dbus *dbus, const char *path, const char *interface,
				const struct dbus_property *table, const char *name, void *object)
{
	struct l_dbus_message *signal;
	struct l_dbus_message_builder *b;
	const struct dbus_property *p;

	for (p = table; p->name && strcmp(p->name, name); p++)
		;
	if (!dbus || !p->name || (p->present && !p->present(object)))
		return;
	signal = l_dbus_message_new_signal(dbus, path, interface, "PropertyChanged");
	b = l_dbus_message_builder_new(signal);
	l_dbus_message_builder_append_basic(b, 's', p->name);
	l_dbus_message_builder_enter_variant(b, p->signature);
	p->append(b, object);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	l_dbus_send(dbus, signal);
}

static void dict_basic(struct l_dbus_message_builder *b, const char *key, char type,
		       const char *sig, const void *value)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', key);
	l_dbus_message_builder_enter_variant(b, sig);
	l_dbus_message_builder_append_basic(b, type, value);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

void dbus_dict_str(struct l_dbus_message_builder *b, const char *key, const char *value)
{
	dict_basic(b, key, 's', "s", value);
}

void dbus_dict_bool(struct l_dbus_message_builder *b, const char *key, bool value)
{
	dict_basic(b, key, 'b', "b", &value);
}

void dbus_dict_u8(struct l_dbus_message_builder *b, const char *key, uint8_t value)
{
	dict_basic(b, key, 'y', "y", &value);
}

void dbus_dict_u16(struct l_dbus_message_builder *b, const char *key, uint16_t value)
{
	dict_basic(b, key, 'q', "q", &value);
}

void dbus_dict_u32(struct l_dbus_message_builder *b, const char *key, uint32_t value)
{
	dict_basic(b, key, 'u', "u", &value);
}

void dbus_dict_u64(struct l_dbus_message_builder *b, const char *key, uint64_t value)
{
	dict_basic(b, key, 't', "t", &value);
}

void dbus_append_strv(struct l_dbus_message_builder *b, char *const *strv)
{
	l_dbus_message_builder_enter_array(b, "s");
	for (; strv && *strv; strv++)
		l_dbus_message_builder_append_basic(b, 's', *strv);
	l_dbus_message_builder_leave_array(b);
}

void dbus_dict_strv(struct l_dbus_message_builder *b, const char *key, char *const *strv)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', key);
	l_dbus_message_builder_enter_variant(b, "as");
	dbus_append_strv(b, strv);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

int dbus_parse_strv(struct l_dbus_message_iter *value, bool (*valid)(const char *),
		      char ***out, const char **bad)
{
	struct l_dbus_message_iter array;
	const char *text;
	char **strv = NULL;

	if (!l_dbus_message_iter_get_variant(value, "as", &array))
		return -EINVAL;
	while (l_dbus_message_iter_next_entry(&array, &text)) {
		if (*text && !valid(text)) {
			*bad = text;
			l_strv_free(strv);
			return -EINVAL;
		}
		strv = l_strv_append(strv, text);
	}
	*out = strv;
	return 0;
}
