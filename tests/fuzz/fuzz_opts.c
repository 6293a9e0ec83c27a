/* fuzz_opts: the option value parsers of opts.h. The input, up to its
 * first NUL, is given to each of them; a parsed duration written back by
 * opt_format_duration must parse to the same number of milliseconds. */
#include "fuzz.h"

#include "parse/config.h"
#include "parse/opts.h"

#define UNTOUCHED 0x5eed

static void check_duration(const char *s)
{
	int64_t ms = UNTOUCHED;
	if (opt_duration_ms(s, &ms) < 0) {
		FUZZ_CHECK(ms == UNTOUCHED, "*ms untouched on error");
		return;
	}
	FUZZ_CHECK(ms >= 0, "no sign, so never negative");
	char text[64];
	int64_t back = -1;
	opt_format_duration(text, sizeof text, ms);
	FUZZ_CHECK(opt_duration_ms(text, &back) == 0 && back == ms, text);
}

static void check_delays(const char *s, size_t cap)
{
	int64_t out[CONFIG_MAX_DELAYS];
	size_t n = UNTOUCHED;
	size_t commas = 0;
	for (const char *p = s; *p; p++) {
		commas += *p == ',';
	}
	if (opt_delays(s, out, cap, &n) < 0) {
		FUZZ_CHECK(n == UNTOUCHED, "*n untouched on error");
		return;
	}
	FUZZ_CHECK(n >= 1 && n <= cap && n == commas + 1, "one delay per item, at most cap");
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(out[i] >= 0, "delays are not negative");
	}
}

static void check_others(const char *s)
{
	uint64_t bytes;
	(void)opt_size_bytes(s, &bytes);
	int lo = 0, hi = 0;
	if (opt_port_range(s, &lo, &hi) == 0) {
		FUZZ_CHECK(lo >= 1 && lo <= hi && hi <= 65535, "1 <= lo <= hi <= 65535");
	}
	unsigned u;
	if (opt_uint(s, &u) == 0) {
		FUZZ_CHECK(s[0] && strspn(s, "0123456789") == strlen(s), "digits only");
	}
}

/* opt_format_duration of any value, into a buffer of any size. */
static void check_format(const uint8_t *data, size_t size)
{
	int64_t ms = 0;
	memcpy(&ms, data, size < sizeof ms ? size : sizeof ms);
	char text[32];
	size_t cap = size > 8 ? data[8] % (sizeof text + 1) : sizeof text;
	memset(text, 'x', sizeof text);
	opt_format_duration(text, cap, ms);
	FUZZ_CHECK(cap == 0 || memchr(text, '\0', cap) != NULL, "formatted text fits cap");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	if (!s) {
		return 0;
	}
	check_duration(s);
	check_delays(s, CONFIG_MAX_DELAYS);
	check_delays(s, 1 + (size ? data[0] % 4 : 0));
	check_others(s);
	check_format(data, size);
	free(s);
	return 0;
}
