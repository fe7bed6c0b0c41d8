/* A captive-portal episode of one service: from the online check's first
 * answer by a portal until the service comes online, changes its link or
 * routes, or leaves ready. It asks the default agent, once per episode:
 *  - a page with a WISPr 1.0 Redirect (the check's answer, or the page its
 *    redirect points to, fetched over http: or https:): RequestInput for
 *    Username and Password, POSTs them to the LoginURL, and on an
 *    AuthenticationReply of success checks again at once; a refusal is
 *    reported (ReportError "login-failed") and the browser asked for, as is
 *    an agent's LaunchBrowser answer. An https: LoginURL (or page) is used
 *    only when its certificate is trusted (the system's store, or
 *    `ca_file`) for its host: otherwise nothing is sent to it and the
 *    browser is asked for; a LoginURL of any other scheme goes to the
 *    browser at once;
 *  - any other portal: RequestBrowser with the portal's URL (the redirect's
 *    Location, else the check URL); when the agent answers (the user is
 *    done) the service is checked again at once.
 * The credentials are never logged nor kept past their POST. */
#pragma once

struct agents;
struct online_answer;
struct portal;
struct service;

/* ca_file: PEM, the trust for https: (main.conf's CaptivePortalCAFile);
 * NULL: the system's store. */
struct portal *portal_start(struct agents *agents, struct service *svc, unsigned int timeout_ms,
			    const char *ca_file, const char *check_url, int family,
			    const struct online_answer *answer);
/* Cancels what is under way (agent requests, HTTP). Accepts NULL. */
void portal_free(struct portal *portal);
