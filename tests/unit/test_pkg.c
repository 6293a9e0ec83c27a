/* test_pkg: package.json loading and toesctl check, on files in a temp folder. */
#include "check.h"
#include "parse/json.h"
#include "parse/pkg.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[64];

/* Write n bytes to tmp/name (creating it); returns 0 or -1. */
static int write_file(const char *name, const char *text, size_t n)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		return -1;
	}
	ssize_t w = write(fd, text, n);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

static int write_text(const char *name, const char *text)
{
	return write_file(name, text, strlen(text));
}

/* tmp/name, in a static buffer (one at a time). */
static const char *at(const char *name)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	return path;
}

static int make_dir(const char *name)
{
	return mkdir(at(name), 0755);
}

/* Each row: package.json text, then what pkg_load gives for it. NULL for
 * a string field means it must be NULL. */
static const struct {
	const char *json;
	int rc;
	const char *error;
	const char *toes;
	const char *icon;
	const char *tool;
} load_rows[] = {
	{ "{\"scripts\":{\"toes\":\"node index.js\"}}", 0, "", "node index.js", NULL, NULL },
	{ "\xef\xbb\xbf{\"scripts\": {\"toes\": \"bun run start\"}}\n", 0, "",
	  "bun run start", NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"sh -c \\\"a b\\\"\\t\\u00e9\"}}", 0, "",
	  "sh -c \"a b\"\t\xc3\xa9", NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"\"},\"scripts\":{\"toes\":\"last\"}}", 0, "", "last", NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":\"\\ud83d\\ude80\","
	  "\"tool\": {\"a\" : [1, 2]}}}", 0, "", "x", "\xf0\x9f\x9a\x80", "{\"a\":[1,2]}" },
	{ "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":5,\"tool\":null}}", 0, "", "x", NULL, "null" },
	{ "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":\"\"}}", 0, "", "x", "", NULL },
	{ "{\"scripts\":{\"toes\":\"x\"},\"toes\":\"not an object\"}", 0, "", "x", NULL, NULL },
	{ "{\"name\":\"x\"}", 1, "Missing scripts.toes in package.json", NULL, NULL, NULL },
	/* Keys compared decoded, at every level (the parse keeps only these). */
	{ "{\"\\u0073cripts\":{\"to\\u0065s\":\"x\"},\"t\\u006fes\":{\"icon\":\"i\"}}", 0, "", "x",
	  "i", NULL },
	/* Bounds (SPEC §2): 32 bytes of icon, 4 KiB of tool. */
	{ "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":\"\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80"
	  "\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\"}}",
	  0, "", "x", "\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80"
	  "\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80", NULL },
	{ "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":\"123456789012345678901234567890123\"}}",
	  1, "toes.icon must be at most 32 bytes of UTF-8", NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
	  "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}}",
	  1, "toes.icon must be at most 32 bytes of UTF-8", NULL, NULL, NULL },
	{ "{\"scripts\":\"x\"}", 1, "Missing scripts.toes in package.json", NULL, NULL, NULL },
	{ "{\"scripts\":{}}", 1, "Missing scripts.toes in package.json", NULL, NULL, NULL },
	{ "{\"scripts\":{\"Toes\":\"x\"}}", 1, "Missing scripts.toes in package.json", NULL, NULL, NULL },
	{ "[{\"scripts\":{\"toes\":\"x\"}}]", 1, "Missing scripts.toes in package.json", NULL, NULL, NULL },
	{ "\"just a string\"", 1, "Missing scripts.toes in package.json", NULL, NULL, NULL },
	{ "null", 1, "Missing scripts.toes in package.json", NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"\"}}", 1, "scripts.toes must be a non-empty string", NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":42}}", 1, "scripts.toes must be a non-empty string", NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":true}}", 1, "scripts.toes must be a non-empty string", NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":null}}", 1, "scripts.toes must be a non-empty string", NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":[\"a\"]}}", 1, "scripts.toes must be a non-empty string", NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"a\\u0000b\"}}", 1, "scripts.toes contains a NUL character",
	  NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":\"a\\u0000\"}}", 1,
	  "toes.icon contains a NUL character", NULL, NULL, NULL },
	/* The scripts.toes problem is reported first. */
	{ "{\"toes\":{\"icon\":\"\\u0000\"}}", 1, "Missing scripts.toes in package.json", NULL, NULL, NULL },
	/* Not an app, but icon and tool are still read. */
	{ "{\"toes\":{\"icon\":\"\xf0\x9f\x8c\xb5\",\"tool\":[1, {}]}}", 1,
	  "Missing scripts.toes in package.json", NULL, "\xf0\x9f\x8c\xb5", "[1,{}]" },
	{ "{\n  \"a\": 1\n  \"b\": 2\n}", 2,
	  "Invalid JSON in package.json: line 3, column 3: expected ',' or '}'", NULL, NULL, NULL },
	{ "", 2, "Invalid JSON in package.json: line 1, column 1: unexpected end of input",
	  NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"\\uD800\"}}", 2,
	  "Invalid JSON in package.json: line 1, column 21: lone surrogate in \\u escape",
	  NULL, NULL, NULL },
	{ "{\"scripts\":{\"toes\":\"\xc0\xaf\"}}", 2,
	  "Invalid JSON in package.json: line 1, column 21: invalid UTF-8", NULL, NULL, NULL },
};

static int same(const char *got, const char *want)
{
	if (!want || !got) {
		return got == want;
	}
	return strcmp(got, want) == 0;
}

static void test_load_table(void)
{
	for (size_t i = 0; i < sizeof load_rows / sizeof load_rows[0]; i++) {
		CHECK_INT(write_text("package.json", load_rows[i].json), 0);
		struct pkg p;
		int rc = pkg_load(at("package.json"), &p);
		if (rc != load_rows[i].rc || !same(p.error, load_rows[i].error)
		    || !same(p.toes, load_rows[i].toes) || !same(p.icon, load_rows[i].icon)
		    || !same(p.tool, load_rows[i].tool)) {
			printf("  row %zu: rc %d error \"%s\" toes %s icon %s tool %s\n", i, rc,
			       p.error, p.toes ? p.toes : "NULL", p.icon ? p.icon : "NULL",
			       p.tool ? p.tool : "NULL");
			check_failures++;
		}
		pkg_free(&p);
		CHECK(p.toes == NULL && p.icon == NULL && p.tool == NULL);
		CHECK_STR(p.error, "");
	}
}

static void test_load_files(void)
{
	struct pkg p;
	CHECK_INT(pkg_load(at("nothing/package.json"), &p), 2);
	CHECK_STR(p.error, "Missing package.json");
	pkg_free(&p);
	CHECK_INT(write_text("plain", "{}"), 0);
	CHECK_INT(pkg_load(at("plain/package.json"), &p), 2); /* ENOTDIR */
	CHECK_STR(p.error, "Missing package.json");
	pkg_free(&p);
	CHECK_INT(make_dir("adir"), 0);
	CHECK_INT(pkg_load(at("adir"), &p), 2);
	CHECK_STR(p.error, "Cannot read package.json: Is a directory");
	pkg_free(&p);
	CHECK_INT(symlink("loop", at("loop")), 0);
	CHECK_INT(pkg_load(at("loop"), &p), 2);
	CHECK_STR(p.error, "Cannot read package.json: is a symbolic link, refused");
	pkg_free(&p);
	/* A FIFO must not block the caller. */
	CHECK_INT(mkfifo(at("fifo"), 0644), 0);
	CHECK_INT(pkg_load(at("fifo"), &p), 2);
	CHECK_STR(p.error, "Cannot read package.json: is not a regular file, refused");
	pkg_free(&p);
	/* Never through a link, even to a good file; never a device (opening
	 * /dev/watchdog arms it: a link must not lead root there). */
	CHECK_INT(write_text("good.json", "{\"scripts\":{\"toes\":\"run\"}}"), 0);
	CHECK_INT(symlink("good.json", at("link.json")), 0);
	CHECK_INT(pkg_load(at("link.json"), &p), 2);
	CHECK_STR(p.error, "Cannot read package.json: is a symbolic link, refused");
	pkg_free(&p);
	CHECK_INT(symlink("/dev/null", at("dev.json")), 0);
	CHECK_INT(pkg_load(at("dev.json"), &p), 2);
	CHECK_STR(p.error, "Cannot read package.json: is a symbolic link, refused");
	pkg_free(&p);
	CHECK_INT(pkg_load("/dev/null", &p), 2);
	CHECK_STR(p.error, "Cannot read package.json: is not a regular file, refused");
	pkg_free(&p);
	/* Out of descriptors is no verdict on the file. */
	struct rlimit was, low;
	CHECK_INT(getrlimit(RLIMIT_NOFILE, &was), 0);
	int probe = dup(0);
	low = was;
	low.rlim_cur = (rlim_t)probe;
	close(probe);
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &low), 0);
	CHECK_INT(pkg_load(at("good.json"), &p), PKG_AGAIN);
	CHECK_STR(p.error, "Cannot read package.json: Too many open files");
	pkg_free(&p);
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &was), 0);
	CHECK_INT(pkg_load(at("good.json"), &p), 0);
	pkg_free(&p);
	if (geteuid() != 0) {
		CHECK_INT(write_text("secret.json", "{}"), 0);
		CHECK_INT(chmod(at("secret.json"), 0), 0);
		CHECK_INT(pkg_load(at("secret.json"), &p), 2);
		CHECK_STR(p.error, "Cannot read package.json: Permission denied");
		pkg_free(&p);
	}
}

/* toes.tool past 4 KiB of compact JSON, scripts.toes past 32 KiB: invalid;
 * at the bound: valid (white space does not count). */
static void test_bounds(void)
{
	struct buf b = { 0 };
	struct pkg p;
	buf_adds(&b, "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"tool\":  \"");
	for (int i = 0; i < PKG_TOOL_MAX - 2; i++) {
		buf_addc(&b, 'a');
	}
	buf_adds(&b, "\"  }}");
	CHECK_INT(pkg_parse(b.data, b.len, &p), 0);
	CHECK(p.tool && strlen(p.tool) == PKG_TOOL_MAX);
	pkg_free(&p);
	buf_reset(&b);
	buf_adds(&b, "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"tool\":[");
	for (int i = 0; i < PKG_TOOL_MAX / 2; i++) {
		buf_adds(&b, i ? ",1" : "1");
	}
	buf_adds(&b, "]}}");
	CHECK_INT(pkg_parse(b.data, b.len, &p), 1);
	CHECK_STR(p.error, "toes.tool is larger than 4 KiB");
	pkg_free(&p);
	buf_reset(&b);
	buf_adds(&b, "{\"scripts\":{\"toes\":\"");
	for (int i = 0; i <= PKG_TOES_MAX; i++) {
		buf_addc(&b, 'x');
	}
	buf_adds(&b, "\"}}");
	CHECK_INT(pkg_parse(b.data, b.len, &p), 1);
	CHECK_STR(p.error, "scripts.toes is longer than 32 KiB");
	pkg_free(&p);
	buf_free(&b);
}

/* toes.health (SPEC §2): a path from /, at most 256 bytes, no space or
 * control character; or false; anything else is invalid. */
static void test_health(void)
{
	static const struct {
		const char *value;
		int rc;
		const char *health;
		int no_health;
	} rows[] = {
		{ "\"/\"", 0, "/", 0 },
		{ "\"/healthz?full=1\"", 0, "/healthz?full=1", 0 },
		{ "false", 0, NULL, 1 },
		{ "\"no-slash\"", 1, NULL, 0 },
		{ "\"/a b\"", 1, NULL, 0 },
		{ "\"/a\\tb\"", 1, NULL, 0 },
		{ "\"\"", 1, NULL, 0 },
		{ "true", 1, NULL, 0 },
		{ "null", 1, NULL, 0 },
		{ "404", 1, NULL, 0 },
	};
	char text[512];
	struct pkg p;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(text, sizeof text, "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"health\":%s}}", rows[i].value);
		int rc = pkg_parse(text, strlen(text), &p);
		if (rc != rows[i].rc || !same(p.health, rows[i].health) || p.no_health != rows[i].no_health ||
		    (rc == 1 && strcmp(p.error, "toes.health must be a path starting with / or false") != 0)) {
			printf("  row %zu (%s): rc %d health %s no_health %d error \"%s\"\n", i, rows[i].value, rc,
			       p.health ? p.health : "NULL", p.no_health, p.error);
			check_failures++;
		}
		pkg_free(&p);
	}
	/* 256 bytes is the bound. */
	char path[300];
	memset(path, 'a', sizeof path);
	path[0] = '/';
	snprintf(text, sizeof text, "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"health\":\"%.256s\"}}", path);
	CHECK_INT(pkg_parse(text, strlen(text), &p), 0);
	pkg_free(&p);
	snprintf(text, sizeof text, "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"health\":\"%.257s\"}}", path);
	CHECK_INT(pkg_parse(text, strlen(text), &p), 1);
	pkg_free(&p);
}

/* A valid package.json of exactly n bytes, padded with spaces. */
static int write_padded(const char *name, size_t n)
{
	const char *head = "{\"scripts\":{\"toes\":\"run\"}}";
	char *text = malloc(n);
	if (!text) {
		return -1;
	}
	memset(text, ' ', n);
	memcpy(text, head, strlen(head));
	int rc = write_file(name, text, n);
	free(text);
	return rc;
}

static void test_load_size(void)
{
	struct pkg p;
	CHECK_INT(write_padded("big.json", JSON_MAX_LEN), 0);
	CHECK_INT(pkg_load(at("big.json"), &p), 0);
	CHECK_STR(p.toes, "run");
	pkg_free(&p);
	CHECK_INT(write_padded("big.json", JSON_MAX_LEN + 1), 0);
	CHECK_INT(pkg_load(at("big.json"), &p), 2);
	CHECK_STR(p.error, "Cannot read package.json: file too large");
	pkg_free(&p);
	CHECK_INT(unlink(at("big.json")), 0);
}

/* Run pkg_check on tmp/name; check the exit code, out and err. */
static void expect_check(const char *name, int rc, const char *out, const char *err)
{
	struct buf o = { 0 }, e = { 0 };
	int got = pkg_check(at(name), &o, &e);
	if (got != rc || strcmp(buf_str(&o), out) != 0 || strcmp(buf_str(&e), err) != 0) {
		printf("  check %s: rc %d out \"%s\" err \"%s\"\n", name, got, buf_str(&o), buf_str(&e));
		check_failures++;
	}
	buf_free(&o);
	buf_free(&e);
}

static void test_check_output(void)
{
	CHECK_INT(make_dir("c"), 0);
	CHECK_INT(write_text("c/valid.json", "{\"name\": \"web\", \"scripts\": {\"toes\": "
			     "\"node a.js\"}, \"toes\": {\"icon\": \"\xf0\x9f\x9a\x80\", "
			     "\"tool\": { \"x\" : true }}}"), 0);
	expect_check("c/valid.json", 0, "{\"name\":\"web\",\"toes\":\"node a.js\","
		     "\"icon\":\"\xf0\x9f\x9a\x80\",\"tool\":{\"x\":true}}\n", "");
	CHECK_INT(write_text("c/bare.json", "{\"scripts\":{\"toes\":\"a\\u0041\"}}"), 0);
	expect_check("c/bare.json", 0,
		     "{\"name\":null,\"toes\":\"a\\u0041\",\"icon\":null,\"tool\":null}\n", "");
	CHECK_INT(write_text("c/notapp.json", "{\"name\": \"lib\"}"), 0);
	expect_check("c/notapp.json", 1,
		     "{\"name\":\"lib\",\"toes\":null,\"icon\":null,\"tool\":null}\n",
		     "Missing scripts.toes in package.json\n");
	CHECK_INT(write_text("c/number.json", "{\"scripts\": {\"toes\": 42}, \"toes\": {\"icon\": 7}}"), 0);
	expect_check("c/number.json", 1,
		     "{\"name\":null,\"toes\":42,\"icon\":7,\"tool\":null}\n",
		     "scripts.toes must be a non-empty string\n");
	CHECK_INT(write_text("c/array.json", "[1, 2]"), 0);
	expect_check("c/array.json", 1,
		     "{\"name\":null,\"toes\":null,\"icon\":null,\"tool\":null}\n",
		     "Missing scripts.toes in package.json\n");
	CHECK_INT(write_text("c/nulicon.json", "{\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":\"\\u0000\"}}"), 0);
	expect_check("c/nulicon.json", 1,
		     "{\"name\":null,\"toes\":\"x\",\"icon\":\"\\u0000\",\"tool\":null}\n",
		     "toes.icon contains a NUL character\n");
	CHECK_INT(write_text("c/bad.json", "{\n  \"a\": 1\n  \"b\": 2\n}"), 0);
	expect_check("c/bad.json", 2, "",
		     "Invalid JSON in package.json: line 3, column 3: expected ',' or '}'\n");
	expect_check("c/none.json", 2, "", "Missing package.json\n");
}

static void test_check_paths(void)
{
	const char *app = "{\"name\":\"app\",\"scripts\":{\"toes\":\"run\"}}";
	const char *want = "{\"name\":\"app\",\"toes\":\"run\",\"icon\":null,\"tool\":null}\n";
	/* A folder holding package.json. */
	CHECK_INT(make_dir("p"), 0);
	CHECK_INT(write_text("p/package.json", app), 0);
	expect_check("p", 0, want, "");
	expect_check("p/", 0, want, "");
	expect_check("p/package.json", 0, want, "");
	/* An app folder: current is a relative symlink to a version folder. */
	CHECK_INT(make_dir("web"), 0);
	CHECK_INT(make_dir("web/20261121-101500"), 0);
	CHECK_INT(write_text("web/20261121-101500/package.json",
			     "{\"name\":\"web\",\"scripts\":{\"toes\":\"v2\"}}"), 0);
	CHECK_INT(symlink("20261121-101500", at("web/current")), 0);
	expect_check("web", 0, "{\"name\":\"web\",\"toes\":\"v2\",\"icon\":null,\"tool\":null}\n", "");
	/* PATH/package.json wins over current/. */
	CHECK_INT(write_text("web/package.json", "{\"name\":\"top\"}"), 0);
	expect_check("web", 1, "{\"name\":\"top\",\"toes\":null,\"icon\":null,\"tool\":null}\n",
		     "Missing scripts.toes in package.json\n");
	/* A folder with neither. */
	CHECK_INT(make_dir("empty"), 0);
	expect_check("empty", 2, "", "Missing package.json\n");
	/* current pointing nowhere. */
	CHECK_INT(make_dir("dangling"), 0);
	CHECK_INT(symlink("gone", at("dangling/current")), 0);
	expect_check("dangling", 2, "", "Missing package.json\n");
	/* package.json that is a folder. */
	CHECK_INT(make_dir("odd"), 0);
	CHECK_INT(make_dir("odd/package.json"), 0);
	expect_check("odd", 2, "", "Cannot read package.json: Is a directory\n");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/test_pkg.XXXXXX");
	if (!mkdtemp(tmp)) {
		printf("FAIL main: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	RUN(test_load_table);
	RUN(test_load_files);
	RUN(test_load_size);
	RUN(test_bounds);
	RUN(test_health);
	RUN(test_check_output);
	RUN(test_check_paths);
	nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return CHECK_EXIT();
}
