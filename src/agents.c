#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "agents.h"
#include "dbus-util.h"
#include "log-excerpt.h"
#include "rtnl.h"
#include "service.h"
#include "ticker.h"

#define AGENT_INTERFACE "net.connman.Agent"
#define COUNTER_INTERFACE "net.connman.Counter"

/* An object a client registered: an agent or a counter. */
struct client_object {
	struct agents *agents;		/* NULL once agents_free ran */
	struct l_dbus *dbus;
	char *owner;
	char *path;
	unsigned int watch;
	/* counters only */
	uint32_t period;
	struct tick *timer;		/* on the shared ticker: no descriptor each */
	struct l_hashmap *last;		/* service path → struct usage sent last */
};

struct agents {
	struct l_dbus *dbus;
	struct ticker *ticker;
	struct l_queue *agent_list;	/* the first is the default agent */
	struct l_queue *counters;
	struct l_queue *requests;	/* struct agent_request awaiting a reply */
	unsigned int input_timeout;	/* seconds; 0: none */
	const struct l_queue *(*services)(void *);
	usage_fn read_usage;
	void *usage_data;
};

struct agents *agents_new(struct l_dbus *dbus, struct ticker *ticker)
{
	struct agents *a = l_new(struct agents, 1);

	a->dbus = dbus;
	a->ticker = ticker;
	a->agent_list = l_queue_new();
	a->counters = l_queue_new();
	a->requests = l_queue_new();
	return a;
}

static void call_client(struct agents *a, struct client_object *obj, const char *interface,
			const char *method, struct l_dbus_message_builder **builder_out,
			struct l_dbus_message **msg_out)
{
	*msg_out = l_dbus_message_new_method_call(a->dbus, obj->owner, obj->path, interface, method);
	*builder_out = l_dbus_message_builder_new(*msg_out);
}

static void send_no_reply(struct agents *a, struct l_dbus_message *msg,
			  struct l_dbus_message_builder *b)
{
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	l_dbus_message_set_no_reply(msg, true);
	l_dbus_send(a->dbus, msg);
}

static void send_release(struct agents *a, struct client_object *obj, const char *interface)
{
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	if (!a->dbus)
		return;
	call_client(a, obj, interface, "Release", &b, &msg);
	send_no_reply(a, msg, b);
}

static void object_free(void *data)
{
	struct client_object *obj = data;

	if (obj->watch && obj->dbus)
		l_dbus_remove_watch(obj->dbus, obj->watch);
	tick_remove(obj->timer);
	if (obj->last)
		l_hashmap_destroy(obj->last, l_free);
	l_free(obj->owner);
	l_free(obj->path);
	l_free(obj);
}

static bool same_owner_and_path(const void *a, const void *b)
{
	const struct client_object *x = a, *y = b;

	return !strcmp(x->owner, y->owner) && !strcmp(x->path, y->path);
}

static bool same_owner(const void *a, const void *b)
{
	return !strcmp(((const struct client_object *)a)->owner, b);
}

/* As ConnMan: the agent of the client whose Connect is under way, if it
 * registered one, else the default agent. */
static struct client_object *agent_for(struct agents *a, const struct service *svc)
{
	const char *requester = service_connect_requester(svc);
	struct client_object *agent = requester ?
		l_queue_find(a->agent_list, same_owner, requester) : NULL;

	return agent ? agent : l_queue_peek_head(a->agent_list);
}

/* A call about `svc` to its agent (agent_for), the service's path in
 * already; NULL without an agent. */
static struct client_object *call_agent(struct agents *a, struct service *svc, const char *method,
					struct l_dbus_message_builder **b,
					struct l_dbus_message **msg)
{
	struct client_object *agent = agent_for(a, svc);

	if (!agent || !a->dbus)
		return NULL;
	call_client(a, agent, AGENT_INTERFACE, method, b, msg);
	l_dbus_message_builder_append_basic(*b, 'o', service_path(svc));
	return agent;
}

static void drop_gone_object(void *user_data)
{
	object_free(user_data);
}

/* Freed from the main loop: freeing removes the very watch that called. */
static void agent_owner_gone(struct l_dbus *dbus, void *user_data)
{
	struct client_object *obj = user_data;
	char path[LOG_EXCERPT_SIZE];

	l_queue_remove(obj->agents->agent_list, obj);
	l_queue_remove(obj->agents->counters, obj);
	l_info("%s %s left the bus", obj->owner, log_excerpt(path, sizeof(path), obj->path));
	tick_remove(obj->timer);
	obj->timer = NULL;
	l_idle_oneshot(drop_gone_object, obj, NULL);
}

static struct client_object *new_object(struct agents *a, const char *owner, const char *path)
{
	struct client_object *obj = l_new(struct client_object, 1);

	obj->agents = a;
	obj->dbus = a->dbus;
	obj->owner = l_strdup(owner);
	obj->path = l_strdup(path);
	if (a->dbus)
		obj->watch = l_dbus_add_disconnect_watch(a->dbus, owner, agent_owner_gone, obj, NULL);
	return obj;
}

int agents_register_agent(struct agents *a, const char *owner, const char *path)
{
	char text[LOG_EXCERPT_SIZE];

	if (l_queue_find(a->agent_list, same_owner, owner))
		return -EEXIST;	/* one agent per client, as ConnMan */
	l_queue_push_tail(a->agent_list, new_object(a, owner, path));
	l_info("agent %s %s registered", owner, log_excerpt(text, sizeof(text), path));
	return 0;
}

int agents_unregister_agent(struct agents *a, const char *owner, const char *path)
{
	struct client_object key = { .owner = (char *)owner, .path = (char *)path };
	struct client_object *obj = l_queue_remove_if(a->agent_list, same_owner_and_path, &key);

	if (!obj)
		return -ENOENT;
	object_free(obj);
	return 0;
}

/* A method call to the agent that waits for its reply. */
struct agent_request {
	struct agents *agents;
	char *owner;
	char *path;
	uint32_t serial;
	bool login;
	bool error;			/* ReportError */
	union {
		agents_browser_fn browser;
		agents_login_fn login;
		agents_input_fn input;
		agents_error_fn error;
	} done;
	char **fields;			/* RequestInput of these fields (input only) */
	struct agents_field spec[AGENTS_INPUT_MAX];	/* their requirements */
	struct l_timeout *timeout;	/* input and error only: the user did not answer */
	void *data;
};

static void request_free(void *user_data)
{
	struct agent_request *r = user_data;

	l_queue_remove(r->agents->requests, r);
	l_timeout_remove(r->timeout);
	l_strv_free(r->fields);
	l_free(r->owner);
	l_free(r->path);
	l_free(r);
}

/* D-Bus serials are positive and fit an int for a long while; the id is
 * only compared. */
static int request_id(const struct agent_request *r)
{
	return (int)(r->serial & 0x7fffffff);
}

/* SSIDs are at most 32 bytes: one more is kept, so a longer answer still
 * reads as too long to whoever checks it. */
#define SSID_READ_MAX 33

/* A field's value: a string, or for an "ssid" field the bytes in hex
 * (into `hex`, which outlives the callback). */
static bool read_value(struct l_dbus_message_iter *value, const struct agents_field *f,
		       char *hex, const char **out)
{
	struct l_dbus_message_iter bytes;
	uint8_t byte;
	size_t n = 0;

	if (strcmp(f->type, "ssid"))
		return l_dbus_message_iter_get_variant(value, "s", out);
	if (!l_dbus_message_iter_get_variant(value, "ay", &bytes))
		return false;
	while (n < SSID_READ_MAX && l_dbus_message_iter_next_entry(&bytes, &byte)) {
		snprintf(hex + 2 * n, 3, "%02x", byte);
		n++;
	}
	hex[2 * n] = '\0';
	*out = hex;
	return true;
}

/* The asked fields' values from the reply's a{sv}, in their order;
 * -EPROTO unless every mandatory one is there or its alternate is. */
static int read_input(struct l_dbus_message *reply, const struct agent_request *r,
		      const char **values, char *hex)
{
	struct l_dbus_message_iter dict, value;
	const char *key;
	unsigned int n = l_strv_length(r->fields);
	unsigned int i, j;

	if (!l_dbus_message_get_arguments(reply, "a{sv}", &dict))
		return -EPROTO;
	while (l_dbus_message_iter_next_entry(&dict, &key, &value)) {
		for (i = 0; i < n && strcmp(r->fields[i], key); i++)
			;
		if (i < n && !read_value(&value, &r->spec[i], hex, &values[i]))
			values[i] = NULL;
	}
	for (i = 0; i < n; i++) {
		if (values[i] || r->spec[i].is_alternate)
			continue;
		for (j = 0; r->spec[i].alternate && j < n; j++)
			if (!strcmp(r->fields[j], r->spec[i].alternate) && values[j])
				break;
		if (!r->spec[i].alternate || j == n)
			return -EPROTO;
	}
	return 0;
}

static void input_replied(struct agent_request *r, struct l_dbus_message *reply, bool error)
{
	const char *values[AGENTS_INPUT_MAX] = { NULL };
	char hex[2 * SSID_READ_MAX + 1];
	int result = error ? -ECANCELED : read_input(reply, r, values, hex);

	r->done.input(result, values, r->data);
}

/* Username and Password from the reply's a{sv}; other keys are ignored. */
static int read_login(struct l_dbus_message *reply, const char **username, const char **password)
{
	struct l_dbus_message_iter dict, value;
	const char *key, *text;

	if (!l_dbus_message_get_arguments(reply, "a{sv}", &dict))
		return -EPROTO;
	while (l_dbus_message_iter_next_entry(&dict, &key, &value)) {
		if (!l_dbus_message_iter_get_variant(&value, "s", &text))
			continue;
		if (!strcmp(key, "Username"))
			*username = text;
		else if (!strcmp(key, "Password"))
			*password = text;
	}
	return *username && *password ? 0 : -EPROTO;
}

static void request_replied(struct l_dbus_message *reply, void *user_data)
{
	struct agent_request *r = user_data;
	const char *name = NULL, *username = NULL, *password = NULL;
	int result = 0;

	/* Answered: no longer cancellable, even from its own callback. */
	l_queue_remove(r->agents->requests, r);
	if (r->error) {
		bool retry = l_dbus_message_get_error(reply, &name, NULL) &&
			     !strcmp(name, AGENT_INTERFACE ".Error.Retry");

		r->done.error(request_id(r), retry, r->data);
		return;
	}
	if (r->fields) {
		if (l_dbus_message_get_error(reply, &name, NULL))
			l_info("agent %s: %s", r->owner, name);
		input_replied(r, reply, name != NULL);
		return;
	}
	if (l_dbus_message_get_error(reply, &name, NULL)) {
		l_info("agent %s: %s", r->owner, name);
		result = !strcmp(name, "net.connman.Agent.Error.LaunchBrowser") && r->login ?
			1 : -ECANCELED;
	} else if (r->login) {
		result = read_login(reply, &username, &password);
	}
	if (r->login)
		r->done.login(result, username, password, r->data);
	else
		r->done.browser(result, r->data);
}

static int send_request(struct agents *a, struct l_dbus_message *msg,
			struct l_dbus_message_builder *b, struct client_object *agent,
			struct agent_request *r)
{
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	r->agents = a;
	r->owner = l_strdup(agent->owner);
	r->path = l_strdup(agent->path);
	r->serial = l_dbus_send_with_reply(a->dbus, msg, request_replied, r, request_free);
	if (!r->serial) {
		l_free(r->owner);
		l_free(r->path);
		l_free(r);
		return -EIO;
	}
	l_queue_push_tail(a->requests, r);
	return request_id(r);
}

static bool has_id(const void *data, const void *id)
{
	return request_id(data) == L_PTR_TO_INT(id);
}

void agents_cancel(struct agents *a, int id)
{
	struct agent_request *r = l_queue_find(a->requests, has_id, L_INT_TO_PTR(id));
	struct l_dbus_message *msg;

	if (!r)
		return;
	msg = l_dbus_message_new_method_call(a->dbus, r->owner, r->path, AGENT_INTERFACE, "Cancel");
	l_dbus_message_set_arguments(msg, "");
	l_dbus_message_set_no_reply(msg, true);
	l_dbus_send(a->dbus, msg);
	l_dbus_cancel(a->dbus, r->serial);	/* runs request_free */
}

int agents_request_browser(struct agents *a, struct service *svc, const char *url,
			   agents_browser_fn done, void *data)
{
	struct client_object *agent;
	struct agent_request *r;
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	agent = call_agent(a, svc, "RequestBrowser", &b, &msg);
	if (!agent)
		return -ENOENT;
	l_dbus_message_builder_append_basic(b, 's', url);
	r = l_new(struct agent_request, 1);
	r->done.browser = done;
	r->data = data;
	return send_request(a, msg, b, agent, r);
}

/* ConnMan's field names and types for a hotspot login (agent-api.txt). */
static void login_field(struct l_dbus_message_builder *b, const char *name, const char *type)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', name);
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_str(b, "Type", type);
	dbus_dict_str(b, "Requirement", "mandatory");
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

int agents_request_login(struct agents *a, struct service *svc, agents_login_fn done,
			 void *data)
{
	struct client_object *agent;
	struct agent_request *r;
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	agent = call_agent(a, svc, "RequestInput", &b, &msg);
	if (!agent)
		return -ENOENT;
	l_dbus_message_builder_enter_array(b, "{sv}");
	login_field(b, "Username", "string");
	login_field(b, "Password", "passphrase");
	l_dbus_message_builder_leave_array(b);
	r = l_new(struct agent_request, 1);
	r->login = true;
	r->done.login = done;
	r->data = data;
	return send_request(a, msg, b, agent, r);
}

/* One field's dictionary, as agent-api.txt shows them. */
static void input_field(struct l_dbus_message_builder *b, const struct agents_field *f)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', f->name);
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_str(b, "Type", f->type);
	dbus_dict_str(b, "Requirement", f->is_alternate ? "alternate" : "mandatory");
	if (f->alternate) {
		char *alternates[] = { (char *)f->alternate, NULL };

		dbus_dict_strv(b, "Alternates", alternates);
	}
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

/* A request the user answers: unanswered after InputRequestTimeout, it
 * ends in timed_out. */
static int send_timed_request(struct agents *a, struct l_dbus_message *msg,
			      struct l_dbus_message_builder *b, struct client_object *agent,
			      struct agent_request *r, l_timeout_notify_cb_t timed_out)
{
	int id = send_request(a, msg, b, agent, r);

	if (id > 0 && a->input_timeout)
		r->timeout = l_timeout_create(a->input_timeout, timed_out, r, NULL);
	return id;
}

/* Unanswered: the agent is told Cancel, the caller -ETIMEDOUT. */
static void input_timed_out(struct l_timeout *timeout, void *user_data)
{
	struct agent_request *r = user_data;
	agents_input_fn done = r->done.input;
	const char *values[AGENTS_INPUT_MAX] = { NULL };
	void *data = r->data;

	l_info("agent %s did not answer in %u s", r->owner, r->agents->input_timeout);
	agents_cancel(r->agents, request_id(r));	/* frees r */
	done(-ETIMEDOUT, values, data);
}

/* Unanswered: the agent is told Cancel, the caller "no retry". */
static void error_timed_out(struct l_timeout *timeout, void *user_data)
{
	struct agent_request *r = user_data;
	agents_error_fn done = r->done.error;
	void *data = r->data;
	int id = request_id(r);

	l_info("agent %s did not answer ReportError in %u s", r->owner, r->agents->input_timeout);
	agents_cancel(r->agents, id);	/* frees r */
	done(id, false, data);
}

int agents_report_error(struct agents *a, struct service *svc, const char *error,
			agents_error_fn done, void *data)
{
	struct client_object *agent;
	struct agent_request *r;
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	agent = call_agent(a, svc, "ReportError", &b, &msg);
	if (!agent)
		return -ENOENT;
	l_dbus_message_builder_append_basic(b, 's', error);
	if (!done) {
		send_no_reply(a, msg, b);
		return 0;
	}
	r = l_new(struct agent_request, 1);
	r->error = true;
	r->done.error = done;
	r->data = data;
	return send_timed_request(a, msg, b, agent, r, error_timed_out);
}

void agents_set_input_timeout(struct agents *a, unsigned int seconds)
{
	a->input_timeout = seconds;
}

int agents_request_input(struct agents *a, struct service *svc,
			 const struct agents_field *fields, unsigned int n, agents_input_fn done,
			 void *data)
{
	struct client_object *agent;
	struct agent_request *r;
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	if (n == 0 || n > AGENTS_INPUT_MAX)
		return -EINVAL;
	agent = call_agent(a, svc, "RequestInput", &b, &msg);
	if (!agent)
		return -ENOENT;
	l_dbus_message_builder_enter_array(b, "{sv}");
	r = l_new(struct agent_request, 1);
	for (unsigned int i = 0; i < n; i++) {
		input_field(b, &fields[i]);
		r->fields = l_strv_append(r->fields, fields[i].name);
		r->spec[i] = fields[i];
	}
	l_dbus_message_builder_leave_array(b);
	r->done.input = done;
	r->data = data;
	return send_timed_request(a, msg, b, agent, r, input_timed_out);
}

/* What a counter was last told of a service. */
struct usage {
	struct link_counters link;
	uint32_t time;			/* seconds connected */
};

static void usage_entry(struct l_dbus_message_builder *b, const char *key, uint64_t now,
			uint64_t before, bool first)
{
	/* ConnMan's counters are u32 and wrap. */
	if (first || (uint32_t)now != (uint32_t)before)
		dbus_dict_u32(b, key, (uint32_t)now);
}

/* One Usage dictionary: every key the first time, then what changed. */
static void append_usage(struct l_dbus_message_builder *b, const struct usage *now,
			 const struct usage *was, bool first)
{
	l_dbus_message_builder_enter_array(b, "{sv}");
	usage_entry(b, "RX.Packets", now->link.rx_packets, was->link.rx_packets, first);
	usage_entry(b, "TX.Packets", now->link.tx_packets, was->link.tx_packets, first);
	usage_entry(b, "RX.Bytes", now->link.rx_bytes, was->link.rx_bytes, first);
	usage_entry(b, "TX.Bytes", now->link.tx_bytes, was->link.tx_bytes, first);
	usage_entry(b, "RX.Errors", now->link.rx_errors, was->link.rx_errors, first);
	usage_entry(b, "TX.Errors", now->link.tx_errors, was->link.tx_errors, first);
	usage_entry(b, "RX.Dropped", now->link.rx_dropped, was->link.rx_dropped, first);
	usage_entry(b, "TX.Dropped", now->link.tx_dropped, was->link.tx_dropped, first);
	usage_entry(b, "Time", now->time, was->time, first);
	l_dbus_message_builder_leave_array(b);
}

/* ConnMan's Time: the seconds the service has been connected, here those
 * of its current connection. */
static uint32_t connected_seconds(const struct service *svc)
{
	uint64_t at = service_connected_at(svc);

	return at ? (uint32_t)(l_time_diff(at, l_time_now()) / L_USEC_PER_SEC) : 0;
}

static void send_usage(struct agents *a, struct client_object *counter, struct service *svc,
		       const struct link_counters *link)
{
	struct usage *last = l_hashmap_lookup(counter->last, service_path(svc));
	struct usage now = { .link = *link, .time = connected_seconds(svc) };
	static const struct usage zero;
	bool first = !last;
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	if (!first && !memcmp(&now.link, &last->link, sizeof(now.link)) && now.time == last->time)
		return;
	call_client(a, counter, COUNTER_INTERFACE, "Usage", &b, &msg);
	l_dbus_message_builder_append_basic(b, 'o', service_path(svc));
	append_usage(b, &now, last ? last : &zero, first);
	/* No bearer of connd's roams (cellular would): as ConnMan does for a
	 * home network, the roaming dictionary is all zeros the first time,
	 * then empty. */
	append_usage(b, &zero, &zero, first);
	send_no_reply(a, msg, b);
	if (!last) {
		last = l_new(struct usage, 1);
		l_hashmap_insert(counter->last, service_path(svc), last);
	}
	*last = now;
}

static void counter_tick(struct tick *timer, void *user_data)
{
	struct client_object *counter = user_data;
	struct agents *a = counter->agents;
	const struct l_queue_entry *e;

	tick_modify(timer, counter->period * 1000ULL);
	if (!a->services || !a->dbus)
		return;
	for (e = l_queue_get_entries(a->services(a->usage_data)); e; e = e->next) {
		struct link_counters now;

		if (!service_state_is_connected(service_get_state(e->data)))
			continue;
		if (a->read_usage(e->data, &now, a->usage_data) == 0)
			send_usage(a, counter, e->data, &now);
	}
}

int agents_register_counter(struct agents *a, const char *owner, const char *path,
			    uint32_t accuracy, uint32_t period)
{
	struct client_object *obj;
	struct client_object key = { .owner = (char *)owner, .path = (char *)path };
	char text[LOG_EXCERPT_SIZE];

	if (period == 0 || period > AGENTS_COUNTER_PERIOD_MAX)
		return -EINVAL;
	if (l_queue_find(a->counters, same_owner_and_path, &key))
		return -EEXIST;
	obj = new_object(a, owner, path);
	obj->period = period;
	obj->last = l_hashmap_string_new();
	obj->timer = tick_add(a->ticker, period * 1000ULL, counter_tick, obj, NULL);
	l_queue_push_tail(a->counters, obj);
	l_info("counter %s %s registered, every %us", owner,
	       log_excerpt(text, sizeof(text), path), period);
	return 0;
}

int agents_unregister_counter(struct agents *a, const char *owner, const char *path)
{
	struct client_object key = { .owner = (char *)owner, .path = (char *)path };
	struct client_object *obj = l_queue_find(a->counters, same_owner_and_path, &key);

	if (!obj) {
		/* A counter of another client: ConnMan answers PermissionDenied. */
		for (const struct l_queue_entry *e = l_queue_get_entries(a->counters); e; e = e->next)
			if (!strcmp(((struct client_object *)e->data)->path, path))
				return -EPERM;
		return -ENOENT;
	}
	l_queue_remove(a->counters, obj);
	object_free(obj);
	return 0;
}

void agents_set_usage_source(struct agents *a, const struct l_queue *(*services)(void *),
			     usage_fn read_usage, void *data)
{
	a->services = services;
	a->read_usage = read_usage;
	a->usage_data = data;
}

static void release_all(struct agents *a, struct l_queue *list, const char *interface)
{
	struct client_object *obj;

	while ((obj = l_queue_pop_head(list))) {
		send_release(a, obj, interface);
		object_free(obj);
	}
	l_queue_destroy(list, NULL);
}

void agents_free(struct agents *a)
{
	if (!a)
		return;
	release_all(a, a->agent_list, AGENT_INTERFACE);
	release_all(a, a->counters, COUNTER_INTERFACE);
	/* Their owners (portal episodes) went first and cancelled them; a
	 * request left now would call back into freed state. */
	while (!l_queue_isempty(a->requests))
		l_dbus_cancel(a->dbus, ((struct agent_request *)l_queue_peek_head(a->requests))->serial);
	l_queue_destroy(a->requests, NULL);
	l_free(a);
}
