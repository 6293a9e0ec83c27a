/* test_statefile: the state file's text (SPEC §11): round trips, and every
 * way a file can be wrong (each one refused whole, with its line). */
#include "check.h"
#include "parse/statefile.h"

#include <stdlib.h>

/* Parse text: 0 or -1; err holds the reason. */
static int parse(const char *text, struct statefile *s, char *err, size_t cap)
{
	err[0] = '\0';
	return statefile_parse(text, strlen(text), s, err, cap);
}

/* The text must be refused with an error holding want. */
static void refused(const char *text, const char *want)
{
	struct statefile s;
	char err[256];
	int r = parse(text, &s, err, sizeof err);
	CHECK_INT(r, -1);
	CHECK_INT(s.n, 0);
	CHECK(s.entries == NULL);
	if (!strstr(err, want)) {
		printf("  error \"%s\" lacks \"%s\" (text: %s)\n", err, want, text);
		check_failures++;
	}
}

static void test_round_trip(void)
{
	struct state_entry in[] = {
		{ .name = "0first", .port = 3004 },
		{ .name = "a", .port = 3001 },
		{ .name = "b", .port = 3002, .stopped = 1 },
		{ .name = "never-ran", .port = 0, .stopped = 1 },
		{ .name = "odd\tname\nwith\\all\r", .port = 65535 },
	};
	size_t n = sizeof in / sizeof in[0];
	struct buf text = { 0 };
	statefile_format(&text, in, n);
	CHECK(!text.failed);
	CHECK(strstr(buf_str(&text), "toesd-state 1\n0first\t3004\tup\na\t3001\tup\nb\t3002\tstopped\n") ==
	      buf_str(&text));
	CHECK(strstr(buf_str(&text), "never-ran\t-\tstopped\n") != NULL);
	CHECK(strstr(buf_str(&text), "odd\\tname\\nwith\\\\all\\r\t65535\tup\nend\n") != NULL);

	struct statefile s;
	char err[256];
	CHECK_INT(statefile_parse(text.data, text.len, &s, err, sizeof err), 0);
	CHECK_INT(s.n, n);
	/* Sorted by name: "0first" < "a" < "b" < "never-ran" < "odd..." */
	for (size_t i = 0; i < n && i < s.n; i++) {
		CHECK_STR(s.entries[i].name, in[i].name);
		CHECK_INT(s.entries[i].port, in[i].port);
		CHECK_INT(s.entries[i].stopped, in[i].stopped);
		CHECK_INT(s.entries[i].line, i + 2);
	}
	const struct state_entry *b = statefile_find(&s, "b");
	CHECK(b && b->port == 3002 && b->stopped);
	CHECK(statefile_find(&s, "odd\tname\nwith\\all\r") != NULL);
	CHECK(statefile_find(&s, "c") == NULL);
	CHECK(statefile_find(&s, "") == NULL);

	/* Written again, it is the same text. */
	struct buf again = { 0 };
	statefile_format(&again, s.entries, s.n);
	CHECK_STR(buf_str(&again), buf_str(&text));
	struct statefile t;
	CHECK_INT(statefile_parse(again.data, again.len, &t, err, sizeof err), 0);
	CHECK(statefile_same(&s, &t));
	t.entries[1].port = 3009;
	CHECK(!statefile_same(&s, &t));
	statefile_free(&t);
	statefile_free(&s);
	buf_free(&again);
	buf_free(&text);
}

static void test_empty_and_unsorted(void)
{
	struct statefile s;
	char err[256];
	CHECK_INT(parse("toesd-state 1\nend\n", &s, err, sizeof err), 0);
	CHECK_INT(s.n, 0);
	struct statefile none = { NULL, 0 };
	CHECK(statefile_same(&s, &none));
	CHECK(statefile_find(&s, "a") == NULL);
	statefile_free(&s);
	/* Lines in any order come out sorted. */
	CHECK_INT(parse("toesd-state 1\nzz\t3003\tup\nmm\t-\tstopped\naa\t3001\tup\nend\n", &s, err, sizeof err), 0);
	CHECK_INT(s.n, 3);
	if (s.n == 3) {
		CHECK_STR(s.entries[0].name, "aa");
		CHECK_INT(s.entries[0].line, 4);
		CHECK_STR(s.entries[1].name, "mm");
		CHECK_STR(s.entries[2].name, "zz");
	}
	statefile_free(&s);
	struct buf text = { 0 };
	statefile_format(&text, NULL, 0);
	CHECK_STR(buf_str(&text), "toesd-state 1\nend\n");
	buf_free(&text);
}

static void test_header(void)
{
	refused("", "empty");
	refused("toesd-state 1", "line 1: cut short");
	refused("toesd-state 2\nend\n", "line 1: version '2' is unknown");
	refused("toesd-state 1 \nend\n", "version '1 ' is unknown");
	refused("hello\nend\n", "line 1: not a toesd state file");
	refused("\x7f" "ELF\x02\x01\x01\n", "not a toesd state file");
	refused("a\t3001\tup\nend\n", "line 1: not a toesd state file");
}

static void test_truncated(void)
{
	/* Cut in a line, at a line's end, in the end line, in the header. */
	refused("toesd-state 1\na\t3001\tup\nb\t30", "line 3: cut short (no newline): the file is truncated");
	refused("toesd-state 1\na\t3001\tup\n", "no 'end' line after line 2: the file is truncated");
	refused("toesd-state 1\na\t3001\tup\nen", "line 3: cut short");
	refused("toesd-state 1\na\t3001\tup\nend", "line 3: cut short");
	refused("toesd-state 1\n", "no 'end' line after line 1");
	refused("toesd-st", "line 1: cut short");
	refused("toesd-state 1\nend\nend\n", "line 3: text after the 'end' line");
	refused("toesd-state 1\nend\n\n", "line 3: text after the 'end' line");
}

static void test_corrupt_lines(void)
{
	refused("toesd-state 1\ngarbage\nend\n", "line 2: expected NAME<TAB>PORT<TAB>up|stopped");
	refused("toesd-state 1\na\t3001\nend\n", "line 2: expected NAME");
	refused("toesd-state 1\na\t3001\tup\textra\nend\n", "line 2: expected NAME");
	refused("toesd-state 1\n\nend\n", "line 2: expected NAME");
	refused("toesd-state 1\na 3001 up\nend\n", "line 2: expected NAME");
	refused("toesd-state 1\na\t3001\tdown\nend\n", "line 2: bad mark 'down' (expected up or stopped)");
	refused("toesd-state 1\na\t3001\tup\r\nend\n", "line 2: bad mark");
	refused("toesd-state 1\na\t3001\t\nend\n", "line 2: bad mark");
	refused("toesd-state 1\n\t3001\tup\nend\n", "line 2: empty app name");
	refused("toesd-state 1\na/b\t3001\tup\nend\n", "line 2: 'a/b' is not a folder name");
	refused("toesd-state 1\n..\t3001\tup\nend\n", "is not a folder name");
	refused("toesd-state 1\n.\t3001\tup\nend\n", "is not a folder name");
	refused("toesd-state 1\nb\\x\t3001\tup\nend\n", "line 2: bad escape in the app name");
	refused("toesd-state 1\nb\\\t3001\tup\nend\n", "line 2: bad escape");
	/* A NUL byte (strlen would stop there: the length is given). */
	static const char nul[] = "toesd-state 1\na\0b\t3001\tup\nend\n";
	struct statefile s;
	char err[256];
	CHECK_INT(statefile_parse(nul, sizeof nul - 1, &s, err, sizeof err), -1);
	CHECK(strstr(err, "line 2: a NUL byte") != NULL);
	/* A name just long enough, and one byte too long. */
	char line[600];
	char name[STATEFILE_NAME_MAX + 2];
	memset(name, 'n', sizeof name - 1);
	name[STATEFILE_NAME_MAX] = '\0';
	snprintf(line, sizeof line, "toesd-state 1\n%s\t3001\tup\nend\n", name);
	CHECK_INT(parse(line, &s, err, sizeof err), 0);
	statefile_free(&s);
	name[STATEFILE_NAME_MAX] = 'n';
	name[STATEFILE_NAME_MAX + 1] = '\0';
	snprintf(line, sizeof line, "toesd-state 1\n%s\t3001\tup\nend\n", name);
	refused(line, "line 2: app name longer than 255 bytes");
}

static void test_bad_ports(void)
{
	static const char *const bad[] = {
		"0", "65536", "99999", "123456", "03001", "-1", "+3001", "30a1", "", "--", " 3001", "3001 ",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128], want[64];
		snprintf(text, sizeof text, "toesd-state 1\na\t%s\tup\nend\n", bad[i]);
		snprintf(want, sizeof want, "line 2: bad port '%s' (expected 1-65535, or - for none)", bad[i]);
		refused(text, want);
	}
	struct statefile s;
	char err[256];
	CHECK_INT(parse("toesd-state 1\na\t1\tup\nb\t65535\tstopped\nc\t-\tup\nend\n", &s, err, sizeof err), 0);
	CHECK_INT(s.n, 3);
	if (s.n == 3) {
		CHECK_INT(s.entries[0].port, 1);
		CHECK_INT(s.entries[1].port, 65535);
		CHECK_INT(s.entries[2].port, 0);
	}
	statefile_free(&s);
	/* A long bad port is quoted cut short. */
	refused("toesd-state 1\na\t1234567890123456789012345678901234567890\tup\nend\n",
		"bad port '12345678901234567890123456789012' (expected");
}

static void test_twice(void)
{
	refused("toesd-state 1\nb\t3001\tup\na\t3002\tup\nb\t3003\tstopped\nend\n",
		"line 4: app 'b' is listed twice (first on line 2)");
	refused("toesd-state 1\nb\t3001\tup\nc\t3002\tup\na\t3001\tstopped\nend\n",
		"line 4: port 3001 is booked twice (first on line 2)");
	/* Several without a port are no booking twice. */
	struct statefile s;
	char err[256];
	CHECK_INT(parse("toesd-state 1\na\t-\tstopped\nb\t-\tstopped\nend\n", &s, err, sizeof err), 0);
	CHECK_INT(s.n, 2);
	statefile_free(&s);
	/* Escaped names that unescape alike are the same name. */
	refused("toesd-state 1\na\\tb\t3001\tup\na\\tb\t3002\tup\nend\n", "line 3: app 'a\tb' is listed twice");
}

static void test_error_fits(void)
{
	struct statefile s;
	char err[16];
	CHECK_INT(parse("toesd-state 1\na\t0\tup\nend\n", &s, err, sizeof err), -1);
	CHECK_INT(strlen(err), sizeof err - 1);
}

int main(void)
{
	RUN(test_round_trip);
	RUN(test_empty_and_unsorted);
	RUN(test_header);
	RUN(test_truncated);
	RUN(test_corrupt_lines);
	RUN(test_bad_ports);
	RUN(test_twice);
	RUN(test_error_fits);
	return CHECK_EXIT();
}
