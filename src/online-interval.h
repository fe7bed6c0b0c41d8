/* How long to wait before the next online check after failed ones, in the
 * style main.conf's OnlineCheckIntervalStyle names. Pure. */
#pragma once

enum online_interval_style {
	ONLINE_INTERVAL_FIBONACCI,	/* each wait the sum of the two before */
	ONLINE_INTERVAL_GEOMETRIC,	/* each wait twice the one before */
};

/* "fibonacci" or "geometric" (config.c allows no other); -EINVAL else. */
int online_interval_style_parse(const char *name, enum online_interval_style *style);
/* Seconds after the failures-th failed check in a row (from 1): initial
 * first, then growing in style; never more than max. */
unsigned int online_retry_interval(enum online_interval_style style, unsigned int initial,
				   unsigned int max, unsigned int failures);
