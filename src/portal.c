#include <errno.h>
#include <string.h>
#include <strings.h>
#include <ell/ell.h>

#include "agents.h"
#include "http-head.h"
#include "https-fetch.h"
#include "online.h"
#include "portal.h"
#include "service.h"
#include "wispr.h"

#define FORM_MAX 2048

/* What a page fetch or a login POST brought, over http: or https:. */
struct page {
	int result;		/* 1 the answer proves access, 0 a page, <0 none */
	const char *body;	/* NULL with no page */
	size_t body_len;
	const char *why;	/* with no page: the reason */
	const char *cut;	/* why the page was read no further; NULL */
};

struct portal;
typedef void (*page_cb_t)(struct portal *p, const struct page *page);

struct portal {
	struct agents *agents;
	struct service *svc;
	unsigned int timeout_ms;
	int family;
	char *ca_file;		/* https:'s trust; NULL: the system's store */
	char *check_url;
	char *browser_url;	/* where a user logs in by hand */
	char *login_url;	/* WISPr's, once a Redirect was found */
	int request;		/* the agent request under way, 0 none */
	/* The page fetch or login POST under way, by its scheme, and what
	 * is done with its answer. */
	struct online_check *http;
	struct https_fetch *https;
	page_cb_t answered;
};

static void check_again(struct portal *p, const char *why)
{
	l_info("%s: %s: checking again", service_id(p->svc), why);
	service_check_online_now(p->svc);
}

static void browser_done(int result, void *data)
{
	struct portal *p = data;

	p->request = 0;
	if (result == 0)
		check_again(p, "the agent is done with the portal's page");
}

static void ask_browser(struct portal *p)
{
	int id = agents_request_browser(p->agents, p->svc, p->browser_url, browser_done, p);

	l_info("%s: behind a captive portal: %s", service_id(p->svc), p->browser_url);
	if (id < 0)
		l_info("%s: no agent to open the portal's page", service_id(p->svc));
	else
		p->request = id;
}

static void http_answered(int result, const struct online_answer *answer, void *data)
{
	struct portal *p = data;
	struct page page = { .result = result, .why = result < 0 ? strerror(-result) : NULL };

	p->http = NULL;
	if (answer) {
		page.body = answer->body;
		page.body_len = answer->body_len;
		page.cut = answer->cut;
	}
	p->answered(p, &page);
}

static void https_answered(int result, const struct https_reply *reply, const char *why,
			   void *data)
{
	struct portal *p = data;
	struct page page = { .result = result, .why = why };

	p->https = NULL;
	if (reply) {
		page.result = reply->status == 204;	/* as the online check takes it */
		page.body = reply->body;
		page.body_len = reply->body_len;
		page.cut = reply->cut;
	}
	p->answered(p, &page);
}

/* What connd reads a portal's page or posts a login over: a password
 * goes over nothing else. */
static bool fetchable(const char *url)
{
	return !strncmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

/* Over the service's own link and nameservers, as the online check; an
 * https: server's certificate verified before anything is sent. */
static void fetch(struct portal *p, const char *url, const char *form, page_cb_t answered)
{
	char **servers = service_online_nameservers(p->svc);
	const char *ifname = service_ifname(p->svc);
	struct https_fetch_params params = {
		.url = url, .family = p->family, .ifname = ifname, .nameservers = servers,
		.ca_file = p->ca_file, .timeout_ms = p->timeout_ms, .form = form,
		.wispr_window = true,
	};

	p->answered = answered;
	if (strncmp(url, "http://", 7))
		p->https = https_fetch_start(&params, https_answered, p);
	else if (form)
		p->http = online_post_start(url, p->family, ifname, servers, p->timeout_ms, form,
					    http_answered, p);
	else
		p->http = online_check_start(url, p->family, ifname, servers, p->timeout_ms,
					     http_answered, p);
	l_strv_free(servers);
}

static void login_answered(struct portal *p, const struct page *page)
{
	struct wispr_message msg;

	if (page->body && wispr_message_parse(page->body, page->body_len, &msg) == 1 &&
	    wispr_is_login_success(&msg)) {
		check_again(p, "WISPr login accepted");
		return;
	}
	/* The hotspot said nothing: no refusal to report. */
	if (page->result == -EKEYREJECTED) {
		l_info("%s: WISPr login not sent: %s; left to a browser", service_id(p->svc),
		       page->why);
		ask_browser(p);
		return;
	}
	l_info("%s: WISPr login refused (%s)", service_id(p->svc),
	       !page->body ? page->why : page->cut ? page->cut : "no success in the reply");
	agents_report_error(p->agents, p->svc, "login-failed", NULL, NULL);
	ask_browser(p);
}

static void credentials_given(int result, const char *username, const char *password,
			      void *data)
{
	struct portal *p = data;
	char form[FORM_MAX];

	p->request = 0;
	if (result == 1) {
		ask_browser(p);
		return;
	}
	if (result < 0) {
		l_info("%s: no WISPr credentials from the agent", service_id(p->svc));
		return;
	}
	if (wispr_login_form(username, password, p->check_url, form, sizeof(form)) < 0) {
		l_info("%s: WISPr credentials too long", service_id(p->svc));
		ask_browser(p);
		return;
	}
	l_info("%s: WISPr login as the agent's user", service_id(p->svc));
	fetch(p, p->login_url, form, login_answered);
	explicit_bzero(form, sizeof(form));
}

/* http: as ConnMan, https: with the certificate verified; a password
 * goes over no other scheme. */
static void ask_credentials(struct portal *p, const struct wispr_message *msg)
{
	int id;

	if (!fetchable(msg->login_url)) {
		l_info("%s: WISPr LoginURL neither http: nor https:, left to a browser",
		       service_id(p->svc));
		ask_browser(p);
		return;
	}
	l_free(p->login_url);
	p->login_url = l_strdup(msg->login_url);
	id = agents_request_login(p->agents, p->svc, credentials_given, p);
	if (id < 0)
		l_info("%s: WISPr hotspot, no agent to ask for credentials", service_id(p->svc));
	else
		p->request = id;
}

/* 1 when the page carries a WISPr Redirect (acted upon), else 0. `cut`:
 * why the page was read no further, said when that hid the message. */
static int try_wispr(struct portal *p, const char *body, size_t len, const char *cut)
{
	struct wispr_message msg;

	if (!body || wispr_message_parse(body, len, &msg) != 1 || !wispr_is_login_redirect(&msg)) {
		if (body && cut)
			l_info("%s: %s: read no further", service_id(p->svc), cut);
		return 0;
	}
	ask_credentials(p, &msg);
	return 1;
}

static void page_fetched(struct portal *p, const struct page *page)
{
	if (page->result == 1) {
		check_again(p, "the portal's page says online");
		return;
	}
	if (!page->body)
		l_info("%s: the portal's page not read: %s", service_id(p->svc), page->why);
	if (!try_wispr(p, page->body, page->body_len, page->cut))
		ask_browser(p);
}

static char *browser_url(const char *check_url, const struct online_answer *answer)
{
	char url[HTTP_LOCATION_MAX];
	struct http_head head = { .status = answer->status };

	l_strlcpy(head.location, answer->location, sizeof(head.location));
	if (http_head_redirect(&head) &&
	    http_location_resolve(check_url, answer->location, url, sizeof(url)) == 0)
		return l_strdup(url);
	return l_strdup(check_url);
}

struct portal *portal_start(struct agents *agents, struct service *svc, unsigned int timeout_ms,
			    const char *ca_file, const char *check_url, int family,
			    const struct online_answer *answer)
{
	struct portal *p = l_new(struct portal, 1);

	p->agents = agents;
	p->svc = svc;
	p->timeout_ms = timeout_ms;
	p->family = family;
	p->ca_file = l_strdup(ca_file);
	p->check_url = l_strdup(check_url);
	p->browser_url = browser_url(check_url, answer);
	if (try_wispr(p, answer->body, answer->body_len, answer->cut))
		return p;
	/* WISPr gateways often put their message in the login page only,
	 * which ConnMan follows over http: and https: alike. */
	if (strcmp(p->browser_url, check_url) && fetchable(p->browser_url))
		fetch(p, p->browser_url, NULL, page_fetched);
	else
		ask_browser(p);
	return p;
}

void portal_free(struct portal *p)
{
	if (!p)
		return;
	if (p->request)
		agents_cancel(p->agents, p->request);
	online_check_cancel(p->http);
	https_fetch_cancel(p->https);
	l_free(p->ca_file);
	l_free(p->check_url);
	l_free(p->browser_url);
	l_free(p->login_url);
	l_free(p);
}
