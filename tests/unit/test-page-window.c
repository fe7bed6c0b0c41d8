/* The window on a portal's page: the WISPr element found wherever it is in
 * a page of any size, in whatever pieces the page comes, in fixed memory;
 * what it keeps parses as the whole page does. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "page-window.h"
#include "wispr.h"

#define ELEMENT "<WISPAccessGatewayParam xmlns:xsi=\"x\"><Redirect>" \
	"<AccessProcedure>1.0</AccessProcedure><LoginURL>http://hotspot/login?a=1&amp;b=2</LoginURL>" \
	"<MessageType>100</MessageType><ResponseCode>0</ResponseCode></Redirect>" \
	"</WISPAccessGatewayParam>"

/* `pad` bytes of filler (as inline CSS), the element in a comment, more filler. */
static char *page_with(size_t pad, size_t *len)
{
	const char *tail = "<!--" ELEMENT "--></body></html>\n";
	char *page = malloc(pad + strlen(tail) + 1);

	for (size_t i = 0; i < pad; i++)
		page[i] = "a{b:c}<WISP\n"[i % 12];	/* tag-like bytes that are not the tag */
	strcpy(page + pad, tail);
	*len = pad + strlen(tail);
	return page;
}

/* Feeds `page` in pieces of `piece` bytes; returns what feed said last. */
static int feed_in_pieces(struct page_window *w, const char *page, size_t len, size_t piece)
{
	int ret = 0;

	page_window_init(w);
	for (size_t at = 0; at < len && ret == 0; at += piece)
		ret = page_window_feed(w, page + at, len - at < piece ? len - at : piece);
	return ret;
}

static int parse_window(const struct page_window *w, struct wispr_message *msg)
{
	size_t len;
	const char *data = page_window_data(w, &len);

	return wispr_message_parse(data, len, msg);
}

/* Past 16 and 64 KiB, in pieces of every size around the tag's length (a
 * tag cut anywhere), and whole: the element only is kept, complete. */
static void test_found_anywhere(void)
{
	static const size_t pads[] = { 0, 5, 20000, 70000, 1000000 };
	static const size_t pieces[] = { 1, 2, 7, 22, 23, 24, 25, 26, 4096, 100000, 2000000 };
	static struct page_window w;
	struct wispr_message msg;

	for (size_t i = 0; i < sizeof(pads) / sizeof(pads[0]); i++) {
		size_t len;
		char *page = page_with(pads[i], &len);

		for (size_t k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
			if (pads[i] > 100000 && pieces[k] < 4096)
				continue;	/* the same, slower */
			CHECK_INT(feed_in_pieces(&w, page, len, pieces[k]), 1);
			CHECK(page_window_cut(&w) == NULL);
			CHECK_INT(w.len, strlen(ELEMENT));
			CHECK_INT(parse_window(&w, &msg), 1);
			CHECK_STR(msg.login_url, "http://hotspot/login?a=1&b=2");
			CHECK(wispr_is_login_redirect(&msg));
		}
		free(page);
	}
}

/* Reading stops at the end tag: what follows is not even looked at. */
static void test_stops_at_end_tag(void)
{
	static struct page_window w;
	const char page[] = ELEMENT "</WISPAccessGatewayParam> more";

	page_window_init(&w);
	CHECK_INT(page_window_feed(&w, page, strlen(ELEMENT) - 1), 0);
	CHECK_INT(page_window_feed(&w, page + strlen(ELEMENT) - 1, sizeof(page) - strlen(ELEMENT)),
		  1);
	CHECK_INT(w.fed, sizeof(page) - 1);
	CHECK_STR(w.buf, ELEMENT);
}

/* No element: a few bytes only, and the page's end is no error. */
static void test_none(void)
{
	static struct page_window w;
	size_t len;
	char *page = page_with(30000, &len);
	struct wispr_message msg;

	page[30000 + 4] = 'w';	/* <wISPAccessGatewayParam: wispr.c's case rules */
	CHECK_INT(feed_in_pieces(&w, page, len, 1000), 0);
	CHECK(page_window_cut(&w) == NULL);
	CHECK(w.len < 23);
	CHECK_INT(parse_window(&w, &msg), 0);
	free(page);
}

/* The start tag with no end: kept up to 16 KiB, then given up. */
static void test_element_too_long(void)
{
	static struct page_window w;
	static char page[40000];
	size_t len;

	memset(page, 'x', sizeof(page));
	memcpy(page + 100, "<WISPAccessGatewayParam>", 24);
	CHECK_INT(feed_in_pieces(&w, page, sizeof(page), 3000), 1);
	CHECK_STR(page_window_cut(&w), "the portal's WISPr message is longer than 16 KiB");
	page_window_data(&w, &len);
	CHECK_INT(len, PAGE_WINDOW_ELEMENT_MAX);
	CHECK(w.fed < 100 + PAGE_WINDOW_ELEMENT_MAX + 3000);
}

/* A page of exactly the most read is read whole; one byte more, no more is
 * taken, and the window says why. */
static void test_page_too_long(void)
{
	static struct page_window w;
	size_t len, at;
	char *page = page_with(PAGE_WINDOW_PAGE_MAX, &len);

	CHECK_INT(feed_in_pieces(&w, page, PAGE_WINDOW_PAGE_MAX, 4096), 0);
	CHECK(page_window_cut(&w) == NULL);
	CHECK_INT(feed_in_pieces(&w, page, len, 4096), 1);
	CHECK_STR(page_window_cut(&w),
		  "no WISPr message in the first 1024 KiB of the portal's page");
	CHECK_INT(w.fed, PAGE_WINDOW_PAGE_MAX);
	/* Once given up, nothing more is taken. */
	at = w.fed;
	CHECK_INT(page_window_feed(&w, "x", 1), 1);
	CHECK_INT(w.fed, at);
	free(page);
}

int main(void)
{
	test_found_anywhere();
	test_stops_at_end_tag();
	test_none();
	test_element_too_long();
	test_page_too_long();
	CHECK_DONE();
}
