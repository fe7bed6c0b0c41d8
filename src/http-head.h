/* Reading the head of an HTTP/1.x response, as far as the online check needs:
 * the status code and ConnMan's X-ConnMan-Status header. Pure, fuzzed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct http_head {
	int status;
	bool has_connman_status;
	bool connman_online;	/* X-ConnMan-Status: online */
	char location[256];	/* Location header, for a portal's redirect */
};

/* 1: the head is complete and parsed; 0: more bytes needed; -EBADMSG. */
int http_head_parse(const char *buf, size_t len, struct http_head *head);

/* Whether the answer proves Internet access: status 204, or status 200 with
 * "X-ConnMan-Status: online". A 200 without that header is what a captive
 * portal's login page looks like, so it proves nothing. */
bool http_head_online(const struct http_head *head);
