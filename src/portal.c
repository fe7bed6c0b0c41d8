#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "agents.h"
#include "http-head.h"
#include "online.h"
#include "portal.h"
#include "service.h"
#include "wispr.h"

#define FORM_MAX 2048

struct portal {
	struct agents *agents;
	struct service *svc;
	unsigned int timeout_ms;
	int family;
	char *check_url;
	char *browser_url;	/* where a user logs in by hand */
	char *login_url;	/* WISPr's, once a Redirect was found */
	int request;		/* the agent request under way, 0 none */
	struct online_check *http;	/* the page fetch or login POST under way */
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

/* Over the service's own link and nameservers, as the online check. */
static struct online_check *fetch(struct portal *p, const char *url, const char *form,
				  online_check_cb_t cb)
{
	char **servers = service_online_nameservers(p->svc);
	struct online_check *c = form ?
		online_post_start(url, p->family, service_ifname(p->svc), servers,
				  p->timeout_ms, form, cb, p) :
		online_check_start(url, p->family, service_ifname(p->svc), servers,
				   p->timeout_ms, cb, p);

	l_strv_free(servers);
	return c;
}

static void login_answered(int result, const struct online_answer *answer, void *data)
{
	struct portal *p = data;
	struct wispr_message msg;

	p->http = NULL;
	if (answer && wispr_message_parse(answer->body, answer->body_len, &msg) == 1 &&
	    wispr_is_login_success(&msg)) {
		check_again(p, "WISPr login accepted");
		return;
	}
	l_info("%s: WISPr login refused (%s)", service_id(p->svc),
	       answer ? "no success in the reply" : strerror(-result));
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
	p->http = fetch(p, p->login_url, form, login_answered);
	explicit_bzero(form, sizeof(form));
}

/* Only http: the check has no TLS, and a login must not go out in clear
 * to an https: LoginURL either. */
static void ask_credentials(struct portal *p, const struct wispr_message *msg)
{
	int id;

	if (strncmp(msg->login_url, "http://", 7)) {
		l_info("%s: WISPr LoginURL not over http:, left to a browser", service_id(p->svc));
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

/* 1 when the page carries a WISPr Redirect (acted upon), else 0. */
static int try_wispr(struct portal *p, const struct online_answer *answer)
{
	struct wispr_message msg;

	if (!answer || wispr_message_parse(answer->body, answer->body_len, &msg) != 1 ||
	    !wispr_is_login_redirect(&msg))
		return 0;
	ask_credentials(p, &msg);
	return 1;
}

static void page_fetched(int result, const struct online_answer *answer, void *data)
{
	struct portal *p = data;

	p->http = NULL;
	if (result == 1)
		check_again(p, "the portal's page says online");
	else if (!try_wispr(p, answer))
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
			    const char *check_url, int family, const struct online_answer *answer)
{
	struct portal *p = l_new(struct portal, 1);

	p->agents = agents;
	p->svc = svc;
	p->timeout_ms = timeout_ms;
	p->family = family;
	p->check_url = l_strdup(check_url);
	p->browser_url = browser_url(check_url, answer);
	if (try_wispr(p, answer))
		return p;
	/* WISPr gateways often put their message in the login page only. */
	if (strcmp(p->browser_url, check_url) && !strncmp(p->browser_url, "http://", 7))
		p->http = fetch(p, p->browser_url, NULL, page_fetched);
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
	l_free(p->check_url);
	l_free(p->browser_url);
	l_free(p->login_url);
	l_free(p);
}
