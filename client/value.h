/* D-Bus values decoded into a small tree, so that one printer serves
 * ConnMan-style text and JSON alike. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <ell/ell.h>

enum value_kind {
	VALUE_STRING,	/* s, o, g */
	VALUE_BOOL,
	VALUE_INT,	/* n, i, x */
	VALUE_UINT,	/* y, q, u, t */
	VALUE_DOUBLE,
	VALUE_ARRAY,
	VALUE_DICT,	/* a{sv} or a{s<basic>}, in wire order */
	VALUE_UNSUPPORTED,
};

struct value {
	enum value_kind kind;
	union {
		char *str;
		bool b;
		int64_t i;
		uint64_t u;
		double d;
		struct l_queue *items;	/* struct value (array), struct value_entry (dict) */
	};
};

struct value_entry {
	char *key;
	struct value *value;
};

/* Decodes what a variant iterator holds; never NULL. */
struct value *value_from_variant(struct l_dbus_message_iter *variant);
/* Decodes an a{sv} iterator (already entered) into a VALUE_DICT. */
struct value *value_from_dict(struct l_dbus_message_iter *dict);
struct value *value_new_string(const char *s);
struct value *value_new_uint(uint64_t u);
struct value *value_new_dict(void);
struct value *value_new_array(void);
void value_dict_add(struct value *dict, const char *key, struct value *v);
void value_array_add(struct value *array, struct value *v);
void value_free(struct value *v);

/* The entry's value, or NULL; `key` may name a nested entry as "Ethernet.Interface"
 * only through value_dict_get twice: dots are part of ConnMan's names. */
const struct value *value_dict_get(const struct value *dict, const char *key);
const char *value_dict_str(const struct value *dict, const char *key);
bool value_dict_bool(const struct value *dict, const char *key, bool fallback);

/* connmanctl's rendering: strings bare, True/False, arrays and dicts as
 * "[ a, b ]" and "[ Key=value, ... ]". */
void value_print_text(FILE *out, const struct value *v);
/* Each dict entry as "  Key = value" on its own line. */
void value_print_properties(FILE *out, const struct value *dict);
void value_print_json(FILE *out, const struct value *v);
void json_print_string(FILE *out, const char *s);
