/* Small helpers shared by the D-Bus twins: ConnMan's error names, a{sv}
 * dictionaries, and ConnMan-style PropertyChanged signals. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <ell/ell.h>

#define CONND_SERVICE "net.connman"
#define CONND_ERROR CONND_SERVICE ".Error"

struct l_dbus_message *dbus_error(struct l_dbus_message *msg, const char *name,
				  const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same under another interface's error prefix (net.connman.vpn.Error). */
struct l_dbus_message *dbus_error_v(struct l_dbus_message *msg, const char *prefix,
				    const char *name, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* ConnMan's errno → error-name mapping; the message is strerror's text. */
struct l_dbus_message *dbus_error_errno(struct l_dbus_message *msg, int err);
struct l_dbus_message *dbus_error_invalid_args(struct l_dbus_message *msg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct l_dbus_message *dbus_error_invalid_property(struct l_dbus_message *msg, const char *name);

/* The longest object path connd takes from a client (a session's notifier, an
 * agent, a counter): D-Bus sets no bound, and connd keeps, repeats and logs them. */
#define DBUS_CLIENT_PATH_MAX 255
/* NULL when `path` is short enough, else an InvalidArguments error naming `what`. */
struct l_dbus_message *dbus_check_client_path(struct l_dbus_message *msg, const char *what,
					      const char *path);

/* Appends one property's value as a variant. */
typedef void (*dbus_append_fn)(struct l_dbus_message_builder *b, void *object);

struct dbus_property {
	const char *name;
	const char *signature;
	dbus_append_fn append;
	bool (*present)(void *object);	/* NULL: always present */
};

/* Appends `{name: value}` entries for every present property of the table. */
void dbus_append_properties(struct l_dbus_message_builder *b,
			    const struct dbus_property *table, void *object);
/* The same entries inside an a{sv} the caller opened (to add more after). */
void dbus_append_property_entries(struct l_dbus_message_builder *b,
				  const struct dbus_property *table, void *object);
void dbus_emit_property_changed(struct l_dbus *dbus, const char *path, const char *interface,
				const struct dbus_property *table, const char *name, void *object);
struct l_dbus_message *dbus_reply_properties(struct l_dbus_message *msg,
					     const struct dbus_property *table, void *object);

/* Dictionary entries inside an open a{sv} array. */
void dbus_dict_str(struct l_dbus_message_builder *b, const char *key, const char *value);
void dbus_dict_bool(struct l_dbus_message_builder *b, const char *key, bool value);
void dbus_dict_u8(struct l_dbus_message_builder *b, const char *key, uint8_t value);
void dbus_dict_u16(struct l_dbus_message_builder *b, const char *key, uint16_t value);
void dbus_dict_u32(struct l_dbus_message_builder *b, const char *key, uint32_t value);
void dbus_dict_u64(struct l_dbus_message_builder *b, const char *key, uint64_t value);
void dbus_dict_strv(struct l_dbus_message_builder *b, const char *key, char *const *strv);
void dbus_append_strv(struct l_dbus_message_builder *b, char *const *strv);
/* Reads an `as` variant into *out (NULL for an empty array); every
 * non-empty entry must pass `valid`, else *bad names the first that fails
 * (-EINVAL either way when it is not an `as`). */
int dbus_parse_strv(struct l_dbus_message_iter *value, bool (*valid)(const char *), char ***out,
		    const char **bad);
