#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "vpn-challenge.h"

#define NEED_AUTH ">PASSWORD:Need 'Auth' username/password"
#define STATIC_CHALLENGE " SC:"

int vpn_challenge_parse(const char *line, struct vpn_challenge *out)
{
	const char *rest, *comma;
	char *end;
	unsigned long flags;

	if (strncmp(line, NEED_AUTH, strlen(NEED_AUTH)))
		return -EINVAL;
	rest = line + strlen(NEED_AUTH);
	if (!*rest)
		return 0;
	if (strncmp(rest, STATIC_CHALLENGE, strlen(STATIC_CHALLENGE)))
		return -EINVAL;
	rest += strlen(STATIC_CHALLENGE);
	comma = strchr(rest, ',');
	/* FLAGS is a small decimal number: no sign, no spaces, some digits. */
	if (!comma || comma == rest || *rest < '0' || *rest > '9')
		return -EINVAL;
	errno = 0;
	flags = strtoul(rest, &end, 10);
	if (end != comma || errno || flags > 255)
		return -EINVAL;
	out->echo = flags & 1;
	out->text = l_strdup(comma + 1);
	return 1;
}

void vpn_challenge_clear(struct vpn_challenge *c)
{
	l_free(c->text);
	c->text = NULL;
}

/* base64 of a secret, or "" for an empty one; the caller wipes it. */
static char *encode(const char *secret)
{
	size_t len = strlen(secret);

	if (!len)
		return l_strdup("");
	return l_base64_encode((const uint8_t *)secret, len, 0);
}

static void wipe_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	l_free(s);
}

char *vpn_challenge_scrv1(const char *password, const char *response)
{
	char *pass = encode(password), *resp = encode(response);
	char *out = l_strdup_printf("SCRV1:%s:%s", pass, resp);

	wipe_free(pass);
	wipe_free(resp);
	return out;
}
