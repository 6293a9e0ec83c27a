/* fuzz_statefile: the $TOES_DIR/state parser (SPEC §11): what it accepts
 * is sorted, in range, and written back as a file that parses to the same
 * entries; what it refuses holds no memory and says why. */
#include "fuzz.h"

#include "base/buf.h"
#include "parse/statefile.h"

static void check_entries(const struct statefile *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct state_entry *e = &s->entries[i];
		FUZZ_CHECK(e->name && strlen(e->name) <= STATEFILE_NAME_MAX, "a name within bounds");
		FUZZ_CHECK(e->port >= 0 && e->port <= 65535, "a port in range");
		FUZZ_CHECK(i == 0 || strcmp(s->entries[i - 1].name, e->name) < 0, "sorted, no name twice");
		FUZZ_CHECK(statefile_find(s, e->name) == e, "found by its name");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct statefile s, again;
	char err[200];
	if (statefile_parse((const char *)data, size, &s, err, sizeof err) < 0) {
		FUZZ_CHECK(s.n == 0 && s.entries == NULL, "a refused file holds nothing");
		FUZZ_CHECK(err[0] != '\0', "a refusal says why");
		return 0;
	}
	check_entries(&s);
	struct buf out = { 0 };
	statefile_format(&out, s.entries, s.n);
	if (!out.failed) {
		int rc = statefile_parse(buf_str(&out), out.len, &again, err, sizeof err);
		FUZZ_CHECK(rc == 0, err);
		FUZZ_CHECK(statefile_same(&s, &again), "written back, read the same");
		statefile_free(&again);
	}
	buf_free(&out);
	statefile_free(&s);
	return 0;
}
