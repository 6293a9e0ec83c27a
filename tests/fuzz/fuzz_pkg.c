/* fuzz_pkg: package.json extraction from memory (pkg_parse), SPEC §2. */
#include "fuzz.h"

#include "parse/json.h"
#include "parse/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkg p;
	int rc = pkg_parse((const char *)data, size, &p);
	FUZZ_CHECK(rc >= 0 && rc <= 2, "result 0, 1 or 2");
	FUZZ_CHECK(memchr(p.error, '\0', sizeof p.error) != NULL, "error terminated");
	if (rc == 0) {
		FUZZ_CHECK(p.error[0] == '\0', "no error for a valid app");
		FUZZ_CHECK(p.toes && p.toes[0], "scripts.toes non-empty");
		FUZZ_CHECK(json_utf8_valid(p.toes, strlen(p.toes)), "scripts.toes valid UTF-8");
	} else {
		FUZZ_CHECK(p.error[0] != '\0', "an error otherwise");
		FUZZ_CHECK(p.toes == NULL, "no script unless valid");
	}
	if (rc == 2) {
		FUZZ_CHECK(p.icon == NULL && p.tool == NULL, "nothing found in invalid JSON");
	}
	if (p.icon) {
		FUZZ_CHECK(json_utf8_valid(p.icon, strlen(p.icon)), "toes.icon valid UTF-8");
	}
	if (p.tool) {
		struct json_doc doc;
		FUZZ_CHECK(json_parse(&doc, p.tool, strlen(p.tool), NULL) == 0, "toes.tool is JSON");
		json_free(&doc);
	}
	pkg_free(&p);
	FUZZ_CHECK(!p.toes && !p.icon && !p.tool, "pkg_free clears");
	return 0;
}
