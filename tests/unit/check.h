/* A few assertion macros for unit tests: failures are counted and reported
 * with file and line, and the test exits non-zero if any failed. */
#pragma once

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		check_failures++; \
	} \
} while (0)

#define CHECK_INT(a, b) do { \
	long long _a = (a), _b = (b); \
	if (_a != _b) { \
		fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, _a, _b); \
		check_failures++; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b)) { \
		fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
			_a ? _a : "(null)", _b ? _b : "(null)"); \
		check_failures++; \
	} \
} while (0)

#define CHECK_DONE() do { \
	if (check_failures) \
		fprintf(stderr, "%d check(s) failed\n", check_failures); \
	return check_failures ? 1 : 0; \
} while (0)
