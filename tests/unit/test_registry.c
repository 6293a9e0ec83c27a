/* test_registry: apps added, renamed and removed 10,000 times while they
 * have processes, pipes and armed timers: every lookup stays right, and
 * the timers, their room and the descriptors end where they began (under
 * AddressSanitizer and LeakSanitizer in the sanitized build: no leak). */
#include "sm_harness.h"

#define ROUNDS 10000
#define NAMES 50

static int lookups_ok(const struct app *a)
{
	return app_find(a->name) == a && app_find_id(a->id) == a &&
	       (!a->run.pid || app_find_pid(a->run.pid) == a) &&
	       (!a->run.pgid || app_find_pgid(a->run.pgid) == a) &&
	       app_find_folder(a->dev, a->ino) == a;
}

static int sorted(void)
{
	for (size_t i = 1; i < app_count(); i++) {
		if (strcmp(app_at(i - 1)->name, app_at(i)->name) >= 0) {
			return 0;
		}
	}
	return 1;
}

/* One round: an app is born, started (pipes, timers), renamed while it
 * runs, then removed: stopped, reaped, forgotten, freed at the flush. */
static void round_trip(int i)
{
	char name[32], renamed[32];
	snprintf(name, sizeof name, "app%02d", i % NAMES);
	snprintf(renamed, sizeof renamed, "moved%05d", i);
	struct app *a = new_app(name);
	if (!a) {
		printf("  round %d: app_create failed: %s\n", i, strerror(errno));
		check_failures++;
		return;
	}
	uint32_t id = a->id;
	app_boot(a);
	if (a->state != APP_STARTING || !loop_timer_armed(&a->survival) || a->out_w.fd < 0) {
		printf("  round %d: not starting with its timers and pipes: %s %s\n", i, app_state_name(a->state), a->error ? a->error : "");
		check_failures++;
	}
	if (app_rename(a, renamed) < 0 || !lookups_ok(a) || app_find(name)) {
		printf("  round %d: lookups wrong after the rename\n", i);
		check_failures++;
	}
	pid_t pid = a->run.pid;
	if (i % 3 == 0) {
		/* Removed while it runs: stopped first. */
		app_request_remove(a);
		exit_pid(pid, SIGTERM);
	} else {
		/* Stopped, then removed. */
		stop_app(a);
		app_request_remove(a);
	}
	if (app_find(renamed) || app_find_id(id) || app_find_pid(pid)) {
		printf("  round %d: found after its removal\n", i);
		check_failures++;
	}
	if (i % 7 == 0) {
		advance(0); /* several removals may wait for one flush */
	}
}

static void test_add_rename_remove_10000(void)
{
	int fds = count_fds();
	size_t room = loop_timers_reserved();
	/* Some apps stay registered all along, so the indexes hold others. */
	struct app *keep[5];
	for (int k = 0; k < 5; k++) {
		char name[16];
		snprintf(name, sizeof name, "keep%d", k);
		keep[k] = new_app(name);
	}
	for (int i = 0; i < ROUNDS && check_failures < 5; i++) {
		round_trip(i);
	}
	advance(0);
	CHECK_INT(app_count(), 5);
	CHECK(sorted());
	for (int k = 0; k < 5; k++) {
		CHECK(lookups_ok(keep[k]));
	}
	CHECK_INT(app_count_with_process(), 0);
	CHECK_INT(loop_timers_armed(), 0);
	CHECK_INT(count_fds(), fds);
	CHECK_INT(loop_timers_reserved(), room + 5 * 4);
	registry_clear();
	CHECK_INT(loop_timers_reserved(), room);
}

int main(void)
{
	if (sm_setup("toes-registry") < 0) {
		printf("FAIL setup\n");
		return 1;
	}
	RUN_SM(test_add_rename_remove_10000);
	sm_teardown();
	return CHECK_EXIT();
}
