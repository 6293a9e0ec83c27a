/* httpstatus: a byte-at-a-time state machine for "HTTP/1.x NNN reason\r\n". */
#include "parse/httpstatus.h"

static const char prefix[] = "HTTP/1.";
#define PREFIX_LEN ((int)sizeof prefix - 1)

/* States after the prefix; states 0..PREFIX_LEN-1 match the prefix bytes. */
enum {
	ST_MINOR = PREFIX_LEN,  /* the '0' or '1' after "HTTP/1." */
	ST_SPACE,               /* the one space before the code */
	ST_DIGIT1,
	ST_DIGIT2,
	ST_DIGIT3,
	ST_AFTER_CODE,          /* space, CR or LF */
	ST_REASON,              /* up to CR LF or LF */
	ST_LF,                  /* after a CR: only LF */
	ST_DONE,
	ST_BAD,
};

void httpstatus_init(struct httpstatus *p)
{
	p->state = 0;
	p->code = 0;
	p->seen = 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int after_code(char c)
{
	switch (c) {
	case ' ': return ST_REASON;
	case '\r': return ST_LF;
	case '\n': return ST_DONE;
	default: return ST_BAD;
	}
}

static int after_reason(char c)
{
	switch (c) {
	case '\r': return ST_LF;
	case '\n': return ST_DONE;
	default: return ST_REASON;
	}
}

/* The state after byte c; p->code collects the digits. */
static int step(struct httpstatus *p, char c)
{
	int s = p->state;
	if (s < PREFIX_LEN) {
		return c == prefix[s] ? s + 1 : ST_BAD;
	}
	switch (s) {
	case ST_MINOR:
		return c == '0' || c == '1' ? ST_SPACE : ST_BAD;
	case ST_SPACE:
		return c == ' ' ? ST_DIGIT1 : ST_BAD;
	case ST_DIGIT1:
		/* The first digit alone keeps the code within 100..599. */
		if (c < '1' || c > '5') {
			return ST_BAD;
		}
		p->code = c - '0';
		return ST_DIGIT2;
	case ST_DIGIT2:
	case ST_DIGIT3:
		if (!is_digit(c)) {
			return ST_BAD;
		}
		p->code = p->code * 10 + (c - '0');
		return s + 1;
	case ST_AFTER_CODE:
		return after_code(c);
	case ST_REASON:
		return after_reason(c);
	case ST_LF:
		return c == '\n' ? ST_DONE : ST_BAD;
	default:
		return ST_BAD;
	}
}

static enum httpstatus_result result_of(int state)
{
	switch (state) {
	case ST_DONE: return HTTPSTATUS_DONE;
	case ST_BAD: return HTTPSTATUS_BAD;
	default: return HTTPSTATUS_MORE;
	}
}

enum httpstatus_result httpstatus_feed(struct httpstatus *p, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p->state == ST_DONE || p->state == ST_BAD) {
			break;
		}
		p->seen++;
		p->state = step(p, data[i]);
		if (p->seen >= HTTPSTATUS_MAX && p->state != ST_DONE) {
			p->state = ST_BAD;
		}
	}
	return result_of(p->state);
}
