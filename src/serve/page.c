/* page: the HTML of the status page, every name and line escaped. */
#include "serve/page.h"

#include "app/registry.h"

#include <string.h>

/* Text as HTML: & < > " ' escaped. */
static void html(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default: buf_addc(out, *s); break;
		}
	}
}

void page_render(struct buf *out, struct status_time t)
{
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		      "<title>toesd</title></head><body><table><thead><tr><th>app</th><th>state</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < app_count(); i++) {
		const struct app *a = app_at(i);
		char state[128];
		status_state_text(state, sizeof state, a, t);
		buf_adds(out, "<tr data-app=\"");
		html(out, a->name);
		buf_adds(out, "\"><td>");
		html(out, a->icon ? a->icon : "\xf0\x9f\x90\xbe");
		buf_adds(out, " ");
		html(out, a->name);
		buf_adds(out, "</td><td>");
		html(out, state);
		buf_adds(out, "</td></tr>\n");
	}
	buf_adds(out, "</tbody></table></body></html>\n");
}
