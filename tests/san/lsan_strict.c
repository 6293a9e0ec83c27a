/* lsan_strict: linked into the sanitized toesd and unit tests only (never
 * the product): LeakSanitizer takes no global as a root, so whatever the
 * program still holds at its exit is reported (toesd frees all it owns
 * there). The C and C++ runtimes' own allocations are not ours: they are
 * suppressed by function name (every stack ends in libc's start, so a
 * library name would suppress all). Other programs the tests run keep the
 * default, faster mode: matching suppressions symbolizes every report. */

const char *__lsan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *__lsan_default_options(void)
{
	return "use_globals=0:print_suppressions=0";
}

const char *__lsan_default_suppressions(void)
{
	return
		/* glibc's time zone: gmtime_r reads it once; tzset_internal keeps
		 * its copy of TZ through an internal strdup the sanitizer does not
		 * wrap. */
		"leak:__tzstring_len\n"
		"leak:__tzfile_read\n"
		"leak:__GI___strdup\n"
		/* the environment array, grown by setenv and putenv */
		"leak:__add_to_environ\n"
		/* glibc's name service state (getpwuid_r, getgrouplist: the
		 * app's user when toesd runs as root), kept for the process */
		"leak:global_state_allocate\n"
		"leak:__nss_module_allocate\n"
		"leak:__nss_action_allocate\n"
		/* stdio buffers of the standard streams */
		"leak:_IO_file_doallocate\n"
		/* the libstdc++ emergency exception pool the sanitizer loads */
		"leak:libstdc++.so\n";
}
