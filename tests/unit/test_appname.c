/* test_appname: the names rename gives (SPEC §9): ^[a-z][a-z0-9-]*$, at
 * most 64 bytes; each refusal says why. */
#include "check.h"

#include "parse/appname.h"

static char why[200];

static int ok(const char *name)
{
	why[0] = '\0';
	return appname_check(name, why, sizeof why) == 0;
}

static void test_accepted(void)
{
	CHECK(ok("web"));
	CHECK(ok("a"));
	CHECK(ok("my-app-2"));
	CHECK(ok("a-"));
	char longest[APPNAME_MAX + 1];
	memset(longest, 'a', APPNAME_MAX);
	longest[APPNAME_MAX] = '\0';
	CHECK(ok(longest));
}

static void test_refused(void)
{
	static const char *const bad[] = {
		"", "Web", "1web", "-web", "we_b", "we b", "..", ".", "a/b", "/", "web.", "wéb", "a\\b", "a\tb",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(!ok(bad[i]));
		CHECK(why[0] != '\0');
	}
	char too_long[APPNAME_MAX + 2];
	memset(too_long, 'a', APPNAME_MAX + 1);
	too_long[APPNAME_MAX + 1] = '\0';
	CHECK(!ok(too_long));
	CHECK_STR(why, "the new name is 65 bytes long; at most 64");
}

static void test_reasons(void)
{
	CHECK(!ok("Web"));
	CHECK_STR(why, "a name starts with a lowercase letter (a-z)");
	CHECK(!ok("we/b"));
	CHECK_STR(why, "a name holds only lowercase letters, digits and '-' (byte 3 is not one)");
	CHECK(!ok(""));
	CHECK_STR(why, "the new name is empty");
}

int main(void)
{
	RUN(test_accepted);
	RUN(test_refused);
	RUN(test_reasons);
	return CHECK_EXIT();
}
