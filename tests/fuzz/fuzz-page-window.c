// sources: src/page-window.c src/wispr.c
/* A portal's page, fed to the window in pieces (their size: the first
 * byte): what the window keeps must parse as the whole page does, unless
 * the window said it gave up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "page-window.h"
#include "wispr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const struct wispr_message *a, const struct wispr_message *b)
{
	return a->message_type == b->message_type && a->response_code == b->response_code &&
	       !strcmp(a->access_procedure, b->access_procedure) &&
	       !strcmp(a->login_url, b->login_url) && !strcmp(a->logoff_url, b->logoff_url);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct page_window w;
	struct wispr_message whole = { 0 }, kept = { 0 };
	const char *page = (const char *)data + 1, *window;
	size_t piece, len;
	int ret = 0, expect;

	if (!size)
		return 0;
	piece = data[0] + 1;
	size--;
	page_window_init(&w);
	for (size_t at = 0; at < size && ret == 0; at += piece)
		ret = page_window_feed(&w, page + at, size - at < piece ? size - at : piece);
	window = page_window_data(&w, &len);
	if (window[len] != '\0' || len > PAGE_WINDOW_ELEMENT_MAX)
		abort();
	if (page_window_cut(&w))
		return 0;
	expect = wispr_message_parse(page, size, &whole);
	if (wispr_message_parse(window, len, &kept) != expect || (expect == 1 && !same(&whole, &kept)))
		abort();
	return 0;
}
