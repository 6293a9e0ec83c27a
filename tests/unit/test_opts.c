/* test_opts: command-line value parsers and the duration formatter. */
#include "check.h"
#include "parse/opts.h"

#include <stdint.h>

struct duration_case {
	const char *in;
	int ok;
	int64_t ms;
};

static const struct duration_case durations[] = {
	{ "0", 1, 0 },
	{ "0s", 1, 0 },
	{ "0ms", 1, 0 },
	{ "0m", 1, 0 },
	{ "1", 1, 1000 },
	{ "2s", 1, 2000 },
	{ "500ms", 1, 500 },
	{ "1m", 1, 60000 },
	{ "1.5s", 1, 1500 },
	{ "1.5", 1, 1500 },
	{ "0.2", 1, 200 },
	{ "0.25s", 1, 250 },
	{ "0.001", 1, 1 },
	{ "0.0010", 1, 1 },
	{ "2.000000000000s", 1, 2000 },
	{ "1.5m", 1, 90000 },
	{ "0.25m", 1, 15000 },
	{ "0.00005m", 1, 3 },
	{ "1.0ms", 1, 1 },
	{ "007s", 1, 7000 },
	{ "30s", 1, 30000 },
	{ "60", 1, 60000 },
	{ "9223372036854775807ms", 1, INT64_MAX },
	{ "9223372036854775s", 1, 9223372036854775000 },
	{ "9223372036854775.807s", 1, INT64_MAX },
	/* Refused. */
	{ "", 0, 0 },
	{ "s", 0, 0 },
	{ "ms", 0, 0 },
	{ "-1", 0, 0 },
	{ "-1s", 0, 0 },
	{ "+1s", 0, 0 },
	{ " 1s", 0, 0 },
	{ "1s ", 0, 0 },
	{ "1 s", 0, 0 },
	{ "1h", 0, 0 },
	{ "1S", 0, 0 },
	{ "1MS", 0, 0 },
	{ "1sec", 0, 0 },
	{ "1mss", 0, 0 },
	{ "1ss", 0, 0 },
	{ "1.", 0, 0 },
	{ ".5", 0, 0 },
	{ ".5s", 0, 0 },
	{ "1..5", 0, 0 },
	{ "1.5.2", 0, 0 },
	{ "1,5", 0, 0 },
	{ "1e3", 0, 0 },
	{ "0x10", 0, 0 },
	{ "abc", 0, 0 },
	{ "1.5ms", 0, 0 },
	{ "0.0001s", 0, 0 },
	{ "0.00001m", 0, 0 },
	{ "0.1234567s", 0, 0 },
	{ "9223372036854775808ms", 0, 0 },
	{ "9223372036854776s", 0, 0 },
	{ "9223372036854775.808s", 0, 0 },
	{ "153722867280912931m", 0, 0 },
	{ "99999999999999999999999", 0, 0 },
};

static void test_duration(void)
{
	for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
		const struct duration_case *c = &durations[i];
		int64_t ms = -42;
		int r = opt_duration_ms(c->in, &ms);
		if ((r == 0) != c->ok) {
			printf("  \"%s\": returned %d\n", c->in, r);
		}
		CHECK_INT(r, c->ok ? 0 : -1);
		CHECK_INT(ms, c->ok ? c->ms : -42);
	}
}

struct size_case {
	const char *in;
	int ok;
	uint64_t bytes;
};

static const struct size_case sizes[] = {
	{ "0", 1, 0 },
	{ "1", 1, 1 },
	{ "4096", 1, 4096 },
	{ "512K", 1, 512 * 1024 },
	{ "512k", 1, 512 * 1024 },
	{ "32M", 1, 32u * 1024 * 1024 },
	{ "32m", 1, 32u * 1024 * 1024 },
	{ "1G", 1, 1024u * 1024 * 1024 },
	{ "8g", 1, 8ull << 30 },
	{ "0K", 1, 0 },
	{ "18446744073709551615", 1, UINT64_MAX },
	{ "17179869183G", 1, 17179869183ull << 30 },
	{ "", 0, 0 },
	{ "K", 0, 0 },
	{ "-1", 0, 0 },
	{ "+1", 0, 0 },
	{ "1.5M", 0, 0 },
	{ "32MB", 0, 0 },
	{ "32MiB", 0, 0 },
	{ "1T", 0, 0 },
	{ "1 M", 0, 0 },
	{ " 1", 0, 0 },
	{ "1x", 0, 0 },
	{ "18446744073709551616", 0, 0 },
	{ "17179869184G", 0, 0 },
	{ "18014398509481984K", 0, 0 },
};

static void test_size(void)
{
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const struct size_case *c = &sizes[i];
		uint64_t b = 42;
		int r = opt_size_bytes(c->in, &b);
		if ((r == 0) != c->ok) {
			printf("  \"%s\": returned %d\n", c->in, r);
		}
		CHECK_INT(r, c->ok ? 0 : -1);
		CHECK(b == (c->ok ? c->bytes : 42));
	}
}

struct range_case {
	const char *in;
	int ok, lo, hi;
};

static const struct range_case ranges[] = {
	{ "3001-3100", 1, 3001, 3100 },
	{ "3001", 1, 3001, 3001 },
	{ "3001-3001", 1, 3001, 3001 },
	{ "1-65535", 1, 1, 65535 },
	{ "65535", 1, 65535, 65535 },
	{ "080-90", 1, 80, 90 },
	{ "", 0, 0, 0 },
	{ "-", 0, 0, 0 },
	{ "0", 0, 0, 0 },
	{ "0-10", 0, 0, 0 },
	{ "65536", 0, 0, 0 },
	{ "1-65536", 0, 0, 0 },
	{ "3100-3001", 0, 0, 0 },
	{ "3001-", 0, 0, 0 },
	{ "-3001", 0, 0, 0 },
	{ "3001 - 3100", 0, 0, 0 },
	{ "3001-3100-3200", 0, 0, 0 },
	{ "3001:3100", 0, 0, 0 },
	{ "+3001", 0, 0, 0 },
	{ "3001x", 0, 0, 0 },
	{ "99999999999999999999-1", 0, 0, 0 },
};

static void test_port_range(void)
{
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		const struct range_case *c = &ranges[i];
		int lo = -1, hi = -1;
		int r = opt_port_range(c->in, &lo, &hi);
		if ((r == 0) != c->ok) {
			printf("  \"%s\": returned %d\n", c->in, r);
		}
		CHECK_INT(r, c->ok ? 0 : -1);
		CHECK_INT(lo, c->ok ? c->lo : -1);
		CHECK_INT(hi, c->ok ? c->hi : -1);
	}
}

struct delays_case {
	const char *in;
	size_t cap;
	int ok;
	size_t n;
	int64_t want[8];
};

static const struct delays_case delays[] = {
	{ "1,2,4,8,16,32", 8, 1, 6, { 1000, 2000, 4000, 8000, 16000, 32000 } },
	{ "0", 8, 1, 1, { 0 } },
	{ "100ms,1s", 8, 1, 2, { 100, 1000 } },
	{ "0.5,1m", 8, 1, 2, { 500, 60000 } },
	{ "1,2,3", 3, 1, 3, { 1000, 2000, 3000 } },
	{ "1,2,3,4", 3, 0, 0, { 0 } },
	{ "1", 0, 0, 0, { 0 } },
	{ "", 8, 0, 0, { 0 } },
	{ ",", 8, 0, 0, { 0 } },
	{ "1,", 8, 0, 0, { 0 } },
	{ ",1", 8, 0, 0, { 0 } },
	{ "1,,2", 8, 0, 0, { 0 } },
	{ "1, 2", 8, 0, 0, { 0 } },
	{ "1;2", 8, 0, 0, { 0 } },
	{ "1,-2", 8, 0, 0, { 0 } },
	{ "1,2x", 8, 0, 0, { 0 } },
};

static void test_delays(void)
{
	for (size_t i = 0; i < sizeof delays / sizeof delays[0]; i++) {
		const struct delays_case *c = &delays[i];
		int64_t out[8];
		size_t n = 99;
		int r = opt_delays(c->in, out, c->cap, &n);
		if ((r == 0) != c->ok) {
			printf("  \"%s\": returned %d\n", c->in, r);
		}
		CHECK_INT(r, c->ok ? 0 : -1);
		if (!c->ok || r != 0) {
			CHECK_INT(n, 99);
			continue;
		}
		CHECK_INT(n, c->n);
		for (size_t k = 0; k < c->n && k < n; k++) {
			CHECK_INT(out[k], c->want[k]);
		}
	}
}

struct uint_case {
	const char *in;
	int ok;
	unsigned v;
};

static const struct uint_case uints[] = {
	{ "0", 1, 0 },
	{ "3", 1, 3 },
	{ "007", 1, 7 },
	{ "4294967295", 1, 4294967295u },
	{ "4294967296", 0, 0 },
	{ "99999999999999999999", 0, 0 },
	{ "", 0, 0 },
	{ "-1", 0, 0 },
	{ "+1", 0, 0 },
	{ " 1", 0, 0 },
	{ "1 ", 0, 0 },
	{ "1.0", 0, 0 },
	{ "1e2", 0, 0 },
	{ "0x10", 0, 0 },
	{ "3s", 0, 0 },
};

static void test_uint(void)
{
	for (size_t i = 0; i < sizeof uints / sizeof uints[0]; i++) {
		const struct uint_case *c = &uints[i];
		unsigned v = 42;
		int r = opt_uint(c->in, &v);
		if ((r == 0) != c->ok) {
			printf("  \"%s\": returned %d\n", c->in, r);
		}
		CHECK_INT(r, c->ok ? 0 : -1);
		CHECK_INT(v, c->ok ? c->v : 42);
	}
}

struct format_case {
	int64_t ms;
	const char *want;
};

static const struct format_case formats[] = {
	{ 0, "0s" },
	{ 5, "0.005s" },
	{ 10, "0.01s" },
	{ 50, "0.05s" },
	{ 200, "0.2s" },
	{ 250, "0.25s" },
	{ 999, "0.999s" },
	{ 1000, "1s" },
	{ 1001, "1.001s" },
	{ 1500, "1.5s" },
	{ 5000, "5s" },
	{ 32000, "32s" },
	{ 60000, "60s" },
	{ 90500, "90.5s" },
	{ -1500, "-1.5s" },
	{ -5, "-0.005s" },
	{ INT64_MAX, "9223372036854775.807s" },
	{ INT64_MIN, "-9223372036854775.808s" },
};

static void test_format(void)
{
	char buf[64];
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		opt_format_duration(buf, sizeof buf, formats[i].ms);
		CHECK_STR(buf, formats[i].want);
	}
	/* Truncated, still terminated. */
	memset(buf, 'z', sizeof buf);
	opt_format_duration(buf, 3, 32000);
	CHECK_STR(buf, "32");
	opt_format_duration(buf, 0, 32000);
	CHECK(buf[0] == '3');
}

/* Every formatted duration parses back to itself. */
static void test_format_round_trip(void)
{
	static const int64_t values[] = { 0, 1, 7, 20, 100, 999, 1000, 1234, 30000, 86400000 };
	char buf[64];
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		int64_t back = -1;
		opt_format_duration(buf, sizeof buf, values[i]);
		CHECK_INT(opt_duration_ms(buf, &back), 0);
		CHECK_INT(back, values[i]);
	}
}

int main(void)
{
	RUN(test_duration);
	RUN(test_size);
	RUN(test_port_range);
	RUN(test_delays);
	RUN(test_uint);
	RUN(test_format);
	RUN(test_format_round_trip);
	return CHECK_EXIT();
}
