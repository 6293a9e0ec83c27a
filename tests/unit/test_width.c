/* test_width: display columns of characters and text (base/width): wide
 * CJK and emoji, narrow emoji by their East Asian Width, zero-width marks
 * and joiners, sequences that join into one glyph, bytes that are not
 * UTF-8. */
#include "check.h"

#include "base/width.h"

static size_t w(const char *s)
{
	return width_text(s, strlen(s));
}

static void test_ascii_and_latin(void)
{
	CHECK_INT(w(""), 0);
	CHECK_INT(w("hello"), 5);
	CHECK_INT(w("caf\xc3\xa9"), 4);            /* café, é precomposed */
	CHECK_INT(w("\xc2\xa0"), 1);               /* no-break space */
	CHECK_INT(width_char('a'), 1);
	CHECK_INT(width_char(0x7F), 1);
}

static void test_wide(void)
{
	CHECK_INT(width_char(0x1F43E), 2);          /* 🐾 the default icon */
	CHECK_INT(w("\xf0\x9f\x90\xbe"), 2);
	CHECK_INT(w("\xf0\x9f\x9a\x80"), 2);        /* 🚀 */
	CHECK_INT(w("\xe2\x9c\x85"), 2);            /* ✅ U+2705 is W */
	CHECK_INT(w("\xe2\x8c\x9a"), 2);            /* ⌚ U+231A */
	CHECK_INT(w("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* 日本 */
	CHECK_INT(w("\xea\xb0\x80"), 2);            /* 가 */
	CHECK_INT(w("\xef\xbc\xa1"), 2);            /* Ａ fullwidth */
	CHECK_INT(w("\xf0\x9f\xa5\xb0"), 2);        /* 🥰 U+1F970 */
	CHECK_INT(w("\xf0\x9f\xab\xa0"), 2);        /* 🫠 U+1FAE0 (Unicode 14) */
	CHECK_INT(w("\xf0\xa0\x80\x80"), 2);        /* U+20000, plane 2 */
	CHECK_INT(width_char(0x1100), 2);           /* first and last of a range */
	CHECK_INT(width_char(0x115F), 2);
	CHECK_INT(width_char(0x1160), 0);
	CHECK_INT(width_char(0x3FFFD), 2);
	CHECK_INT(width_char(0x3FFFE), 1);
}

static void test_narrow_emoji(void)
{
	CHECK_INT(w("\xe2\x9d\xa4"), 1);            /* ❤ U+2764 is N */
	CHECK_INT(w("\xe2\x98\xba"), 1);            /* ☺ U+263A */
	CHECK_INT(w("\xe2\x9a\x99"), 1);            /* ⚙ U+2699 */
	CHECK_INT(w("\xe2\x9d\xa4\xef\xb8\x8f"), 1); /* ❤️ with VS16: still its own width */
	CHECK_INT(width_char(0x1F321), 1);          /* 🌡 inside a wide block, N */
}

static void test_zero_width(void)
{
	CHECK_INT(w("cafe\xcc\x81"), 4);            /* café with a combining acute */
	CHECK_INT(width_char(0x200D), 0);           /* ZWJ */
	CHECK_INT(width_char(0x200B), 0);
	CHECK_INT(width_char(0xFE0F), 0);           /* variation selectors */
	CHECK_INT(width_char(0xFE00), 0);
	CHECK_INT(width_char(0xE0100), 0);
	CHECK_INT(width_char(0xE0067), 0);          /* a tag */
	CHECK_INT(width_char(0x20DD), 0);           /* enclosing circle (Me) */
	CHECK_INT(w("1\xef\xb8\x8f\xe2\x83\xa3"), 1); /* 1️⃣ keycap */
}

static void test_joined(void)
{
	/* 👩‍💻: woman ZWJ laptop, one glyph. */
	CHECK_INT(w("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb"), 2);
	/* 👨‍👩‍👧 */
	CHECK_INT(w("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"), 2);
	/* 👍🏽: a skin tone joins the hand. */
	CHECK_INT(w("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"), 2);
	/* 🇫🇷: two regional indicators, one column each. */
	CHECK_INT(w("\xf0\x9f\x87\xab\xf0\x9f\x87\xb7"), 2);
	/* 🏴‍☠️ flag ZWJ skull-and-bones VS16 */
	CHECK_INT(w("\xf0\x9f\x8f\xb4\xe2\x80\x8d\xe2\x98\xa0\xef\xb8\x8f"), 2);
}

static void test_not_utf8(void)
{
	CHECK_INT(w("\xff"), 1);
	CHECK_INT(w("a\xc3"), 2);                   /* cut sequence */
	CHECK_INT(w("\xc0\xaf"), 2);                /* overlong */
	CHECK_INT(w("\xed\xa0\x80"), 3);            /* a surrogate */
	CHECK_INT(w("\xf4\x90\x80\x80"), 4);        /* past U+10FFFF */
	CHECK_INT(w("\xf0\x9f\x90"), 3);            /* cut emoji */
}

int main(void)
{
	RUN(test_ascii_and_latin);
	RUN(test_wide);
	RUN(test_narrow_emoji);
	RUN(test_zero_width);
	RUN(test_joined);
	RUN(test_not_utf8);
	return CHECK_EXIT();
}
