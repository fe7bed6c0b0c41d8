/* Decoding D-Bus data of any shape ConnMan sends into a value tree, and
 * printing it. ELL reads a container element by element with a varargs
 * call per element, so each element's signature decides what to pass. */
#include <inttypes.h>
#include <string.h>
#include "value.h"

union basic {
	const char *s;
	bool b;
	uint8_t y;
	int16_t n;
	uint16_t q;
	int32_t i;
	uint32_t u;
	int64_t x;
	uint64_t t;
	double d;
};

static struct value *value_new(enum value_kind kind)
{
	struct value *v = l_new(struct value, 1);

	v->kind = kind;
	if (kind == VALUE_ARRAY || kind == VALUE_DICT)
		v->items = l_queue_new();
	return v;
}

struct value *value_new_string(const char *s)
{
	struct value *v = value_new(VALUE_STRING);

	v->str = l_strdup(s);
	return v;
}

struct value *value_new_uint(uint64_t u)
{
	struct value *v = value_new(VALUE_UINT);

	v->u = u;
	return v;
}

struct value *value_new_dict(void)
{
	return value_new(VALUE_DICT);
}

struct value *value_new_array(void)
{
	return value_new(VALUE_ARRAY);
}

void value_dict_add(struct value *dict, const char *key, struct value *v)
{
	struct value_entry *e = l_new(struct value_entry, 1);

	e->key = l_strdup(key);
	e->value = v;
	l_queue_push_tail(dict->items, e);
}

void value_array_add(struct value *array, struct value *v)
{
	l_queue_push_tail(array->items, v);
}

static void entry_free(void *data)
{
	struct value_entry *e = data;

	l_free(e->key);
	value_free(e->value);
	l_free(e);
}

static void value_destroy(void *data)
{
	value_free(data);
}

void value_free(struct value *v)
{
	if (!v)
		return;
	if (v->kind == VALUE_STRING)
		l_free(v->str);
	else if (v->kind == VALUE_ARRAY)
		l_queue_destroy(v->items, value_destroy);
	else if (v->kind == VALUE_DICT)
		l_queue_destroy(v->items, entry_free);
	l_free(v);
}

static bool is_basic(char type)
{
	return type && strchr("sogbynqiuxtd", type);
}

static struct value *from_basic(char type, const union basic *b)
{
	struct value *v;

	switch (type) {
	case 's': case 'o': case 'g': return value_new_string(b->s);
	case 'b': v = value_new(VALUE_BOOL); v->b = b->b; return v;
	case 'y': return value_new_uint(b->y);
	case 'q': return value_new_uint(b->q);
	case 'u': return value_new_uint(b->u);
	case 't': return value_new_uint(b->t);
	case 'd': v = value_new(VALUE_DOUBLE); v->d = b->d; return v;
	}
	v = value_new(VALUE_INT);
	v->i = type == 'n' ? b->n : type == 'i' ? b->i : b->x;
	return v;
}

static struct value *decode_array(struct l_dbus_message_iter *array, const char *elem_sig);

/* One dict entry "{k...}": the key must be a string; the value any basic type,
 * variant or array. */
static bool decode_entry(struct l_dbus_message_iter *array, const char *value_sig,
			 struct value *dict)
{
	struct l_dbus_message_iter sub;
	union basic b = { 0 };
	const char *key;

	if (is_basic(*value_sig)) {
		if (!l_dbus_message_iter_next_entry(array, &key, &b))
			return false;
		value_dict_add(dict, key, from_basic(*value_sig, &b));
		return true;
	}
	if (!l_dbus_message_iter_next_entry(array, &key, &sub))
		return false;
	value_dict_add(dict, key, *value_sig == 'v' ? value_from_variant(&sub)
						    : decode_array(&sub, value_sig + 1));
	return true;
}

static struct value *decode_dict(struct l_dbus_message_iter *array, const char *elem_sig)
{
	struct value *dict = value_new(VALUE_DICT);
	char *value_sig = l_strndup(elem_sig + 2, strlen(elem_sig) - 3);

	if (elem_sig[1] != 's' || !(is_basic(*value_sig) || strchr("va", *value_sig))) {
		value_free(dict);
		dict = value_new(VALUE_UNSUPPORTED);
	} else {
		while (decode_entry(array, value_sig, dict))
			;
	}
	l_free(value_sig);
	return dict;
}

static struct value *decode_array(struct l_dbus_message_iter *array, const char *elem_sig)
{
	struct l_dbus_message_iter sub;
	struct value *list;
	union basic b = { 0 };

	if (*elem_sig == '{')
		return decode_dict(array, elem_sig);
	if (!is_basic(*elem_sig) && *elem_sig != 'v' && *elem_sig != 'a')
		return value_new(VALUE_UNSUPPORTED);
	list = value_new(VALUE_ARRAY);
	if (is_basic(*elem_sig)) {
		while (l_dbus_message_iter_next_entry(array, &b))
			value_array_add(list, from_basic(*elem_sig, &b));
		return list;
	}
	while (l_dbus_message_iter_next_entry(array, &sub))
		value_array_add(list, *elem_sig == 'v' ? value_from_variant(&sub)
						       : decode_array(&sub, elem_sig + 1));
	return list;
}

struct value *value_from_variant(struct l_dbus_message_iter *variant)
{
	char *sig = l_strndup(variant->sig_start, variant->sig_len);
	struct l_dbus_message_iter sub;
	struct value *v = NULL;
	union basic b = { 0 };

	if (is_basic(*sig)) {
		if (l_dbus_message_iter_next_entry(variant, &b))
			v = from_basic(*sig, &b);
	} else if (*sig == 'a' || *sig == 'v') {
		if (l_dbus_message_iter_next_entry(variant, &sub))
			v = *sig == 'v' ? value_from_variant(&sub) : decode_array(&sub, sig + 1);
	}
	l_free(sig);
	return v ? v : value_new(VALUE_UNSUPPORTED);
}

struct value *value_from_dict(struct l_dbus_message_iter *dict)
{
	return decode_dict(dict, "{sv}");
}

static bool entry_has_key(const void *a, const void *b)
{
	return !strcmp(((const struct value_entry *)a)->key, b);
}

const struct value *value_dict_get(const struct value *dict, const char *key)
{
	const struct value_entry *e;

	if (!dict || dict->kind != VALUE_DICT)
		return NULL;
	e = l_queue_find(dict->items, entry_has_key, key);
	return e ? e->value : NULL;
}

const char *value_dict_str(const struct value *dict, const char *key)
{
	const struct value *v = value_dict_get(dict, key);

	return v && v->kind == VALUE_STRING ? v->str : NULL;
}

bool value_dict_bool(const struct value *dict, const char *key, bool fallback)
{
	const struct value *v = value_dict_get(dict, key);

	return v && v->kind == VALUE_BOOL ? v->b : fallback;
}

void value_print_text(FILE *out, const struct value *v)
{
	const struct l_queue_entry *e;
	const char *sep = "";

	switch (v->kind) {
	case VALUE_STRING: fputs(v->str, out); return;
	case VALUE_BOOL: fputs(v->b ? "True" : "False", out); return;
	case VALUE_INT: fprintf(out, "%" PRId64, v->i); return;
	case VALUE_UINT: fprintf(out, "%" PRIu64, v->u); return;
	case VALUE_DOUBLE: fprintf(out, "%g", v->d); return;
	case VALUE_UNSUPPORTED: fputs("<unsupported>", out); return;
	case VALUE_ARRAY:
	case VALUE_DICT:
		break;
	}
	fputs("[ ", out);
	for (e = l_queue_get_entries(v->items); e; e = e->next, sep = ", ") {
		fputs(sep, out);
		if (v->kind == VALUE_DICT) {
			const struct value_entry *entry = e->data;

			fprintf(out, "%s=", entry->key);
			value_print_text(out, entry->value);
		} else {
			value_print_text(out, e->data);
		}
	}
	fputs(" ]", out);
}

void value_print_properties(FILE *out, const struct value *dict)
{
	const struct l_queue_entry *e;

	if (dict->kind != VALUE_DICT)
		return;
	for (e = l_queue_get_entries(dict->items); e; e = e->next) {
		const struct value_entry *entry = e->data;

		fprintf(out, "  %s = ", entry->key);
		value_print_text(out, entry->value);
		fputc('\n', out);
	}
}

void json_print_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void value_print_json(FILE *out, const struct value *v)
{
	const struct l_queue_entry *e;
	const char *sep = "";

	switch (v->kind) {
	case VALUE_STRING: json_print_string(out, v->str); return;
	case VALUE_BOOL: fputs(v->b ? "true" : "false", out); return;
	case VALUE_INT: fprintf(out, "%" PRId64, v->i); return;
	case VALUE_UINT: fprintf(out, "%" PRIu64, v->u); return;
	case VALUE_DOUBLE: fprintf(out, "%.17g", v->d); return;
	case VALUE_UNSUPPORTED: fputs("null", out); return;
	case VALUE_ARRAY:
	case VALUE_DICT:
		break;
	}
	fputc(v->kind == VALUE_DICT ? '{' : '[', out);
	for (e = l_queue_get_entries(v->items); e; e = e->next, sep = ",") {
		fputs(sep, out);
		if (v->kind == VALUE_DICT) {
			const struct value_entry *entry = e->data;

			json_print_string(out, entry->key);
			fputc(':', out);
			value_print_json(out, entry->value);
		} else {
			value_print_json(out, e->data);
		}
	}
	fputc(v->kind == VALUE_DICT ? '}' : ']', out);
}
