#include <string.h>

#include "page-window.h"

/* As wispr.c reads them. */
#define TAG_OPEN "<WISPAccessGatewayParam"
#define TAG_CLOSE "</WISPAccessGatewayParam>"
#define OPEN_LEN (sizeof(TAG_OPEN) - 1)
#define CLOSE_LEN (sizeof(TAG_CLOSE) - 1)

void page_window_init(struct page_window *w)
{
	memset(w, 0, sizeof(*w));
}

/* Keeps the last `keep` bytes only. */
static void keep_tail(struct page_window *w, size_t keep)
{
	if (w->len > keep) {
		memmove(w->buf, w->buf + w->len - keep, keep);
		w->len = keep;
	}
}

/* Before the start tag: moves it to the front once it is in, else keeps
 * what could be its beginning. The window then holds at most that much
 * before the new bytes: it is searched whole. */
static void seek_start(struct page_window *w)
{
	const char *open = memmem(w->buf, w->len, TAG_OPEN, OPEN_LEN);

	if (!open) {
		keep_tail(w, OPEN_LEN - 1);
		return;
	}
	w->len -= open - w->buf;
	memmove(w->buf, open, w->len);
	w->started = true;
}

/* Inside the element: done at its end tag; too long when the window is
 * full without it. `from`: where a new end tag could start. */
static void seek_end(struct page_window *w, size_t from)
{
	const char *close = memmem(w->buf + from, w->len - from, TAG_CLOSE, CLOSE_LEN);

	if (close) {
		w->len = close + CLOSE_LEN - w->buf;
		w->complete = true;
	} else if (w->len == PAGE_WINDOW_ELEMENT_MAX) {
		w->cut = "the portal's WISPr message is longer than 16 KiB";
	}
}

/* Appends what fits and looks at it: the tags are searched in the new
 * bytes and the few before them that could begin one, never twice over. */
static size_t take(struct page_window *w, const char *data, size_t len)
{
	size_t n = PAGE_WINDOW_ELEMENT_MAX - w->len, old = w->len;

	n = n < len ? n : len;
	memcpy(w->buf + w->len, data, n);
	w->len += n;
	if (!w->started) {
		seek_start(w);
		if (!w->started)
			return n;
		old = 0;	/* the end tag may be in the same bytes */
	}
	seek_end(w, old > CLOSE_LEN - 1 ? old - (CLOSE_LEN - 1) : 0);
	return n;
}

int page_window_feed(struct page_window *w, const char *data, size_t len)
{
	while (len && !w->complete && !w->cut) {
		size_t room = PAGE_WINDOW_PAGE_MAX - w->fed, n;

		/* Only once more than the most is offered: a page of
		 * exactly that size was read whole. */
		if (!room) {
			w->cut = "no WISPr message in the first 1024 KiB of the portal's page";
			break;
		}
		n = take(w, data, len < room ? len : room);
		w->fed += n;
		data += n;
		len -= n;
	}
	w->buf[w->len] = '\0';
	return w->complete || w->cut != NULL;
}

const char *page_window_data(const struct page_window *w, size_t *len)
{
	*len = w->len;
	return w->buf;
}

const char *page_window_cut(const struct page_window *w)
{
	return w->cut;
}
