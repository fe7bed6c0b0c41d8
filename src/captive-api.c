/* A service's Captive Portal API: URIs by source, the fetch, the verdict,
 * the episode and the session's re-check. See captive-api.h. */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "capport-json.h"
#include "captive-api.h"
#include "https-fetch.h"
#include "ticker.h"

#define UNRESTRICTED "urn:ietf:params:capport:unrestricted"
#define MEDIA_TYPE "application/captive+json"

struct captive_api {
	const struct captive_api_env *env;
	char *name;			/* the service's, for logs */
	char *uri[CAPTIVE_SOURCES];
	captive_api_cb_t cb;
	void *data;
	struct https_fetch *fetch;
	struct tick *recheck;		/* the session's end is near */
	bool told;			/* LOCKED reported in this episode */
	int said;			/* the last verdict, logged when it changes */
	bool failing;			/* warned about; again only after a success */
	/* What the last check went through, for the re-check. */
	int family;
	char *ifname;
	char **nameservers;
};

unsigned int captive_api_recheck_delay(unsigned long long remaining)
{
	/* Never sooner than 2 s: a server that keeps saying 0 is not polled
	 * in a tight loop. */
	if (remaining > 60)
		return remaining > 86400 ? 86400 - 30 : remaining - 30;
	if (remaining > 5)
		return remaining - 2;
	return remaining + 1 > 2 ? remaining + 1 : 2;
}

struct captive_api *captive_api_new(const struct captive_api_env *env, const char *name,
				    captive_api_cb_t cb, void *data)
{
	struct captive_api *api = l_new(struct captive_api, 1);

	api->env = env;
	api->name = l_strdup(name);
	api->cb = cb;
	api->data = data;
	api->said = -1;
	return api;
}

void captive_api_stop(struct captive_api *api)
{
	https_fetch_cancel(api->fetch);
	api->fetch = NULL;
	tick_remove(api->recheck);
	api->recheck = NULL;
}

void captive_api_reset(struct captive_api *api)
{
	captive_api_stop(api);
	api->told = false;
	api->said = -1;
	api->failing = false;
}

void captive_api_free(struct captive_api *api)
{
	if (!api)
		return;
	captive_api_stop(api);
	for (int i = 0; i < CAPTIVE_SOURCES; i++)
		l_free(api->uri[i]);
	l_strv_free(api->nameservers);
	l_free(api->ifname);
	l_free(api->name);
	l_free(api);
}

const char *captive_api_uri(const struct captive_api *api)
{
	const char *uri = api->uri[CAPTIVE_FROM_DHCP] ? api->uri[CAPTIVE_FROM_DHCP] :
							 api->uri[CAPTIVE_FROM_RA];

	return uri && strcmp(uri, UNRESTRICTED) ? uri : NULL;
}

bool captive_api_set_uri(struct captive_api *api, enum captive_source source, const char *uri)
{
	const char *before = captive_api_uri(api);
	char *was = before ? l_strdup(before) : NULL;
	bool changed;

	l_free(api->uri[source]);
	api->uri[source] = uri && *uri ? l_strdup(uri) : NULL;
	changed = !l_streq0(was, captive_api_uri(api));
	if (changed)
		l_info("%s: Captive Portal API %s", api->name,
		       captive_api_uri(api) ? captive_api_uri(api) : "gone");
	l_free(was);
	return changed;
}

static void report(struct captive_api *api, enum captive_verdict verdict, const char *user_url)
{
	bool first = verdict == CAPTIVE_LOCKED && !api->told;

	if (verdict == CAPTIVE_LOCKED)
		api->told = true;
	else if (verdict == CAPTIVE_OPEN)
		api->told = false;	/* the episode is over */
	api->cb(verdict, user_url, first, api->data);
}

static void recheck_due(struct tick *tick, void *data)
{
	struct captive_api *api = data;

	tick_remove(api->recheck);
	api->recheck = NULL;
	l_debug("%s: session nearly over: asking the Captive Portal API again", api->name);
	if (captive_api_check(api, api->family, api->ifname, api->nameservers) < 0)
		report(api, CAPTIVE_UNKNOWN, NULL);
}

static void open_session(struct captive_api *api, const struct capport_info *info)
{
	unsigned int delay;

	if (!info->has_seconds_remaining)
		return;
	delay = captive_api_recheck_delay(info->seconds_remaining);
	l_debug("%s: %llu s left, asking again in %u s", api->name,
		(unsigned long long)info->seconds_remaining, delay);
	api->recheck = tick_add(api->env->ticker, delay * 1000ULL, recheck_due, api, NULL);
}

/* Warned once in a run of failures (the online check retries while the
 * network is down, and asks the API each time), then in debug. */
static void unusable(struct captive_api *api, const char *why)
{
	if (api->failing)
		l_debug("%s: Captive Portal API still not usable: %s", api->name, why);
	else
		l_warn("%s: Captive Portal API %s not usable: %s; using the online check",
		       api->name, captive_api_uri(api), why);
	api->failing = true;
	api->said = -1;
	report(api, CAPTIVE_UNKNOWN, NULL);
}

/* Anything but a 200 with JSON that parses is no answer: no trust is put
 * in it, and the online check decides. */
static void fetched(int result, const struct https_reply *reply, const char *why, void *data)
{
	struct captive_api *api = data;
	struct capport_info info;

	api->fetch = NULL;
	if (result < 0) {
		unusable(api, why);
		return;
	}
	if (reply->status != 200 || capport_json_parse(reply->body, reply->body_len, &info) < 0) {
		char *what = l_strdup_printf("HTTP %d (%s) with no usable JSON", reply->status,
					     reply->content_type[0] ? reply->content_type :
								      "no type");

		unusable(api, what);
		l_free(what);
		return;
	}
	api->failing = false;
	if (api->said != info.captive)
		l_info("%s: Captive Portal API: %s%s%s", api->name,
		       info.captive ? "captive" : "open", info.user_portal_url[0] ? ", portal " : "",
		       info.user_portal_url);
	else
		l_debug("%s: Captive Portal API: still %s", api->name,
			info.captive ? "captive" : "open");
	api->said = info.captive;
	if (!info.captive)
		open_session(api, &info);
	report(api, info.captive ? CAPTIVE_LOCKED : CAPTIVE_OPEN,
	       info.user_portal_url[0] ? info.user_portal_url : NULL);
}

/* Keeps what the check goes through, for the re-check: copied before the
 * old copies go, as the arguments may be those very copies. */
static void keep_path(struct captive_api *api, int family, const char *ifname,
		      char *const *nameservers)
{
	char **servers = l_strv_copy((char **)nameservers);
	char *name = l_strdup(ifname);

	l_strv_free(api->nameservers);
	l_free(api->ifname);
	api->nameservers = servers;
	api->ifname = name;
	api->family = family;
}

int captive_api_check(struct captive_api *api, int family, const char *ifname,
		      char *const *nameservers)
{
	struct https_fetch_params params = {
		.url = captive_api_uri(api), .accept = MEDIA_TYPE, .family = family,
		.ca_file = api->env->ca_file, .timeout_ms = api->env->timeout_ms,
	};

	if (!params.url)
		return -ENOENT;
	if (api->fetch)
		return -EBUSY;
	tick_remove(api->recheck);
	api->recheck = NULL;
	keep_path(api, family, ifname, nameservers);
	params.ifname = api->ifname;
	params.nameservers = api->nameservers;
	api->fetch = https_fetch_start(&params, fetched, api);
	return 0;
}
