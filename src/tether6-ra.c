#include <string.h>

#include "tether6-ra.h"

#define USEC_PER_SEC 1000000ull

/* Seconds left until `until`, at most `cap`. */
static uint32_t remaining(uint64_t until, uint64_t now, uint32_t cap)
{
	uint64_t s;

	if (until == UINT64_MAX)
		return cap;
	s = until > now ? (until - now) / USEC_PER_SEC : 0;
	return s < cap ? (uint32_t)s : cap;
}

static void drop_old(struct tether6_prefixes *p, unsigned int i)
{
	memmove(&p->old[i], &p->old[i + 1], (p->n_old - i - 1) * sizeof(p->old[0]));
	p->n_old--;
}

static void forget_old(struct tether6_prefixes *p, const struct in6_addr *prefix)
{
	for (unsigned int i = p->n_old; i-- > 0;)
		if (IN6_ARE_ADDR_EQUAL(&p->old[i].prefix, prefix))
			drop_old(p, i);
}

void tether6_prefixes_move(struct tether6_prefixes *p, const struct in6_addr *next,
			   uint64_t preferred_until, uint64_t valid_until, uint64_t now)
{
	uint64_t until = now + TETHER6_OLD_VALID_S * USEC_PER_SEC;

	if (!IN6_ARE_ADDR_EQUAL(&p->current, next)) {
		forget_old(p, &p->current);
		if (p->n_old == TETHER6_MAX_OLD)
			drop_old(p, 0);
		/* Never longer than it was still valid for. */
		if (p->valid_until < until)
			until = p->valid_until;
		p->old[p->n_old].prefix = p->current;
		p->old[p->n_old++].until = until;
		forget_old(p, next);
	}
	p->current = *next;
	p->preferred_until = preferred_until;
	p->valid_until = valid_until;
}

bool tether6_prefixes_expire(struct tether6_prefixes *p, uint64_t now, uint64_t *next)
{
	bool dropped = false;

	*next = UINT64_MAX;
	for (unsigned int i = p->n_old; i-- > 0;) {
		if (p->old[i].until <= now) {
			drop_old(p, i);
			dropped = true;
		} else if (p->old[i].until < *next) {
			*next = p->old[i].until;
		}
	}
	return dropped;
}

static void add(struct ra_content *ra, const struct in6_addr *prefix, uint32_t preferred,
		uint32_t valid)
{
	struct ra_prefix *r = &ra->prefixes[ra->n_prefixes++];

	memset(r, 0, sizeof(*r));
	r->prefix = *prefix;
	r->len = 64;
	r->on_link = true;
	r->autonomous = true;
	r->valid = valid;
	r->preferred = preferred < valid ? preferred : valid;
}

void tether6_prefixes_announce(const struct tether6_prefixes *p, uint64_t now,
			       struct ra_content *ra)
{
	ra->n_prefixes = 0;
	add(ra, &p->current, remaining(p->preferred_until, now, TETHER6_PREFERRED_S),
	    remaining(p->valid_until, now, TETHER6_VALID_S));
	for (unsigned int i = 0; i < p->n_old; i++)
		add(ra, &p->old[i].prefix, 0, remaining(p->old[i].until, now, TETHER6_OLD_VALID_S));
}
