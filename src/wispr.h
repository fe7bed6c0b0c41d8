/* WISPr 1.0 (Wi-Fi Alliance's "Best Current Practices for WISP Roaming"),
 * as far as a hotspot login needs: the <WISPAccessGatewayParam> XML that a
 * captive portal embeds in its page (a Redirect message: where to post the
 * credentials) and in its answer to the login (an AuthenticationReply), and
 * the login form. Pure: no I/O, no allocation the caller does not free.
 * Portal pages come from the network, so any bytes are taken (fuzzed). */
#pragma once

#include <stddef.h>

#define WISPR_URL_MAX 1024

/* Message types and response codes that matter here. */
#define WISPR_MSG_REDIRECT 100
#define WISPR_MSG_AUTH_REPLY 120
#define WISPR_MSG_AUTH_POLL_REPLY 140
#define WISPR_CODE_NO_ERROR 0
#define WISPR_CODE_LOGIN_SUCCEEDED 50
#define WISPR_CODE_LOGIN_FAILED 100

struct wispr_message {
	int message_type;		/* -1 when absent */
	int response_code;		/* -1 when absent */
	char access_procedure[16];	/* "1.0" */
	char login_url[WISPR_URL_MAX];	/* entities decoded; "" when absent */
	char logoff_url[WISPR_URL_MAX];
};

/* Finds the first <WISPAccessGatewayParam> element in `page` (HTML, XML, a
 * comment around it: all the same) and reads its message, whichever it is
 * (Redirect, AuthenticationReply, ...). 1 found, 0 none (or an element
 * without an end), -EINVAL for a URL longer than WISPR_URL_MAX. */
int wispr_message_parse(const char *page, size_t len, struct wispr_message *msg);

/* A Redirect the client can act on: MessageType 100, AccessProcedure 1.0
 * and a LoginURL. */
int wispr_is_login_redirect(const struct wispr_message *msg);
/* An AuthenticationReply (or its poll reply) saying the login succeeded. */
int wispr_is_login_success(const struct wispr_message *msg);

/* The login POST's body (application/x-www-form-urlencoded), with the
 * fields WISPr 1.0 names: UserName, Password, button=Login, FNAME=0 and
 * OriginatingServer. Returns the length written (NUL included in `size`),
 * or -ENOSPC. The caller wipes `out` after use: it holds the password. */
int wispr_login_form(const char *username, const char *password, const char *origin,
		     char *out, size_t size);
