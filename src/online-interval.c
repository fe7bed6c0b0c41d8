#include <errno.h>
#include <string.h>

#include "online-interval.h"

int online_interval_style_parse(const char *name, enum online_interval_style *style)
{
	if (!strcmp(name, "fibonacci"))
		*style = ONLINE_INTERVAL_FIBONACCI;
	else if (!strcmp(name, "geometric"))
		*style = ONLINE_INTERVAL_GEOMETRIC;
	else
		return -EINVAL;
	return 0;
}

static unsigned int next(enum online_interval_style style, unsigned int before,
			 unsigned int now)
{
	switch (style) {
	case ONLINE_INTERVAL_FIBONACCI:
		return before + now;
	case ONLINE_INTERVAL_GEOMETRIC:
		return 2 * now;
	}
	return now;
}

unsigned int online_retry_interval(enum online_interval_style style, unsigned int initial,
				   unsigned int max, unsigned int failures)
{
	/* Fibonacci starts initial, initial, 2 initial ...; geometric initial, 2 initial ... */
	unsigned int before = style == ONLINE_INTERVAL_FIBONACCI ? 0 : initial;
	unsigned int now = initial;

	/* Stops growing at max, so the sums never overflow. */
	for (unsigned int n = 1; n < failures && now < max; n++) {
		unsigned int grown = next(style, before, now);

		before = now;
		now = grown;
	}
	return now < max ? now : max;
}
