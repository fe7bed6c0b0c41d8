/* A bounded window on a captive portal's page, fed as it is read, that
 * keeps what wispr_message_parse() needs and nothing more: a page of any
 * size (inline CSS, scripts, data: images) is read in fixed memory, its
 * <WISPAccessGatewayParam> element found wherever it is. Until the start
 * tag is seen only its length less one byte is kept (a tag cut across two
 * reads is still found); from the start tag on, the element is kept up to
 * PAGE_WINDOW_ELEMENT_MAX, and the window is done once its end tag is in.
 * The same tags as wispr.c, case and all: the first start tag, then the
 * first end tag after it. Pure: no I/O, no allocation. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The most of an element kept (a WISPr message is well under 2 KiB). */
#define PAGE_WINDOW_ELEMENT_MAX 16384
/* The most of a page read: a hostile endless page cannot hold the reader. */
#define PAGE_WINDOW_PAGE_MAX (1024 * 1024)

struct page_window {
	char buf[PAGE_WINDOW_ELEMENT_MAX + 1];	/* +1: the NUL after the kept bytes */
	size_t len;
	size_t fed;		/* bytes of the page taken so far */
	bool started;		/* buf begins with the start tag */
	bool complete;		/* ... and ends with the end tag */
	const char *cut;	/* given up, why: the page or the element too long */
};

void page_window_init(struct page_window *w);
/* Takes the next `len` bytes of the page. 1 when no more are wanted (the
 * element is complete, or the page or the element too long: see
 * page_window_cut()), 0 when more are. */
int page_window_feed(struct page_window *w, const char *data, size_t len);
/* What is kept, NUL-terminated: the element when it is complete, else a
 * tail of the page that holds none. */
const char *page_window_data(const struct page_window *w, size_t *len);
/* Why reading stopped short of the element, a sentence for the log; NULL
 * when it did not. */
const char *page_window_cut(const struct page_window *w);
