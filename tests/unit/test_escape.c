/* test_escape: what reaches a terminal or a log is clean. Controls (C0 but
 * TAB, DEL, C1) and bytes outside valid UTF-8 become visible \xHH escapes;
 * TAB, backslashes and valid UTF-8 stay; a cut falls between whole
 * escapes; JSON strings escape the same characters as \u00XX. */
#include "check.h"

#include "base/escape.h"

/* s escaped into a static buffer of cap bytes (at most 256). */
static const char *esc_cap(const char *s, size_t cap)
{
	static char out[256];
	size_t n = escape_to(out, cap, s, strlen(s));
	CHECK_INT(strlen(out), n);
	return out;
}

static const char *esc(const char *s)
{
	return esc_cap(s, 256);
}

static int needed(const char *s)
{
	return escape_needed(s, strlen(s));
}

static void test_clean_text_kept(void)
{
	CHECK_STR(esc("hello world"), "hello world");
	CHECK_STR(esc("a\tb"), "a\tb");
	CHECK_STR(esc("C:\\apps\\x1b"), "C:\\apps\\x1b");
	CHECK_STR(esc("caf\xc3\xa9 \xf0\x9f\x90\xbe \xe2\x82\xac"), "caf\xc3\xa9 \xf0\x9f\x90\xbe \xe2\x82\xac");
	CHECK_STR(esc("\xc2\xa0nbsp"), "\xc2\xa0nbsp");
	CHECK_STR(esc(""), "");
	CHECK(!needed("plain \xf0\x9f\x90\xbe\t\\"));
	CHECK(!needed(""));
}

static void test_terminal_sequences(void)
{
	CHECK_STR(esc("\x1b[2Jcleared"), "\\x1b[2Jcleared");
	CHECK_STR(esc("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
	CHECK_STR(esc("\x1b]52;c;aGVsbG8=\x07"), "\\x1b]52;c;aGVsbG8=\\x07");
	CHECK_STR(esc("ok\r[2026-01-01T00:00:00.000Z] [system] Forged"),
		  "ok\\x0d[2026-01-01T00:00:00.000Z] [system] Forged");
	CHECK_STR(esc("bad\nname"), "bad\\x0aname");
	CHECK_STR(esc("bell\x07 del\x7f"), "bell\\x07 del\\x7f");
	CHECK_STR(esc("\x01\x1f"), "\\x01\\x1f");
	CHECK(needed("\x1b"));
	CHECK(needed("x\r"));
	CHECK(needed("\x7f"));
}

static void test_c1_controls(void)
{
	/* U+009B, CSI in one character; U+0080 and U+009F the range's ends. */
	CHECK_STR(esc("\xc2\x9b" "31m"), "\\xc2\\x9b31m");
	CHECK_STR(esc("\xc2\x80|\xc2\x9f|\xc2\xa0"), "\\xc2\\x80|\\xc2\\x9f|\xc2\xa0");
	CHECK(needed("\xc2\x9b"));
	CHECK(!needed("\xc2\xa0"));
}

static void test_invalid_utf8(void)
{
	CHECK_STR(esc("\x9b" "2J"), "\\x9b2J");          /* 8-bit CSI alone */
	CHECK_STR(esc("\xff\xfe"), "\\xff\\xfe");
	CHECK_STR(esc("\xc3"), "\\xc3");                 /* cut short */
	CHECK_STR(esc("\xc3x"), "\\xc3x");
	CHECK_STR(esc("\xc0\xaf"), "\\xc0\\xaf");        /* overlong "/" */
	CHECK_STR(esc("\xe0\x80\xaf"), "\\xe0\\x80\\xaf"); /* overlong */
	CHECK_STR(esc("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* a surrogate */
	CHECK_STR(esc("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
	CHECK_STR(esc("\xf0\x9f\x90"), "\\xf0\\x9f\\x90"); /* an emoji cut short */
	CHECK(needed("\x9b"));
	CHECK(needed("ok\xf0\x9f\x90"));
}

static void test_nul_escaped(void)
{
	char out[32];
	CHECK_INT(escape_to(out, sizeof out, "a\0b", 3), 6);
	CHECK_STR(out, "a\\x00b");
	CHECK(escape_needed("a\0b", 3));
}

static void test_escaping_twice_changes_nothing(void)
{
	const char *raw = "\x1b[2J\r\xc2\x9b\x9b\xf0\x9f\x90\xbe\\x";
	char once[128];
	escape_to(once, sizeof once, raw, strlen(raw));
	CHECK(!needed(once));
	CHECK_STR(esc(once), once);
}

static void test_truncation(void)
{
	/* cap counts the NUL: "ab" then an escape needs 2 + 4 + 1. */
	CHECK_STR(esc_cap("ab\x1b", 7), "ab\\x1b");
	CHECK_STR(esc_cap("ab\x1b", 6), "ab");
	CHECK_STR(esc_cap("ab\x1b", 3), "ab");
	CHECK_STR(esc_cap("ab\x1b", 2), "a");
	CHECK_STR(esc_cap("ab\x1b", 1), "");
	/* A character is never cut: the emoji takes 4 bytes or none. */
	CHECK_STR(esc_cap("a\xf0\x9f\x90\xbe", 5), "a");
	CHECK_STR(esc_cap("a\xf0\x9f\x90\xbe", 6), "a\xf0\x9f\x90\xbe");
	/* C1 is two escapes: the first may fit alone. */
	CHECK_STR(esc_cap("\xc2\x9b", 8), "\\xc2");
	char out[4] = "xyz";
	CHECK_INT(escape_to(out, 0, "a", 1), 0);
	CHECK_STR(out, "xyz");
}

static void test_buf(void)
{
	struct buf b = { 0 };
	escape_buf(&b, "clean", 5);
	CHECK_STR(buf_str(&b), "clean");
	const char *osc = " \x1b]52;c;aGVsbG8=\x07\xc2\x9b\xff\xf0\x9f\x90\xbe";
	escape_buf(&b, osc, strlen(osc));
	CHECK_STR(buf_str(&b), "clean \\x1b]52;c;aGVsbG8=\\x07\\xc2\\x9b\\xff\xf0\x9f\x90\xbe");
	buf_reset(&b);
	escape_buf(&b, "", 0);
	CHECK_STR(buf_str(&b), "");
	buf_free(&b);
}

/* The JSON forms' output, freed at the end of main. */
static struct buf jb;

static const char *json(const char *s, size_t n)
{
	buf_reset(&jb);
	escape_json(&jb, s, n);
	return buf_str(&jb);
}

static void test_json_string(void)
{
	CHECK_STR(json("a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	CHECK_STR(json("\t\r\n", 3), "\"\\t\\r\\n\"");
	CHECK_STR(json("\x1b[2J\x07\0", 6), "\"\\u001b[2J\\u0007\\u0000\"");
	CHECK_STR(json("\x7f", 1), "\"\\u007f\"");
	CHECK_STR(json("\xc2\x80\xc2\x9b\xc2\x9f\xc2\xa0", 8), "\"\\u0080\\u009b\\u009f\xc2\xa0\"");
	CHECK_STR(json("\x9b\xff\xc3", 3), "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(json("\xf0\x9f\x90\xbe caf\xc3\xa9", 10), "\"\xf0\x9f\x90\xbe caf\xc3\xa9\"");
}

static const char *json_text(const char *s)
{
	buf_reset(&jb);
	escape_json_text(&jb, s, strlen(s));
	return buf_str(&jb);
}

static void test_json_text(void)
{
	CHECK_STR(json_text("{\"a\":[1,\"x\\u001b\"]}"), "{\"a\":[1,\"x\\u001b\"]}");
	CHECK_STR(json_text("\"\x7f\xc2\x9b\x9b\xf0\x9f\x90\xbe\""),
		  "\"\\u007f\\u009b\\ufffd\xf0\x9f\x90\xbe\"");
	CHECK_STR(json_text("{ \"a\" :\n1 }"), "{ \"a\" :\n1 }");
}

int main(void)
{
	RUN(test_clean_text_kept);
	RUN(test_terminal_sequences);
	RUN(test_c1_controls);
	RUN(test_invalid_utf8);
	RUN(test_nul_escaped);
	RUN(test_escaping_twice_changes_nothing);
	RUN(test_truncation);
	RUN(test_buf);
	RUN(test_json_string);
	RUN(test_json_text);
	buf_free(&jb);
	return CHECK_EXIT();
}
