/* OpenVPN's static challenge (the client's --static-challenge), as its
 * management interface asks it and wants it answered: pure text codecs, no
 * I/O. The request is ">PASSWORD:Need 'Auth' username/password SC:FLAGS,TEXT"
 * (FLAGS' bit 0: echo the response); the answer's password is
 * "SCRV1:base64(password):base64(response)". */
#pragma once

#include <stdbool.h>

struct vpn_challenge {
	bool echo;		/* the response may be shown as typed */
	char *text;		/* what to ask the user (the config's TEXT) */
};

/* `line` is a whole management line. 1 and *out filled (free text with
 * vpn_challenge_clear) when it asks for credentials with a static
 * challenge; 0 when it asks for credentials without one; -EINVAL for any
 * other line or a malformed challenge. */
int vpn_challenge_parse(const char *line, struct vpn_challenge *out);
void vpn_challenge_clear(struct vpn_challenge *c);

/* "SCRV1:base64(password):base64(response)", newly allocated: a secret, the
 * caller wipes it (explicit_bzero) before freeing it. */
char *vpn_challenge_scrv1(const char *password, const char *response);
