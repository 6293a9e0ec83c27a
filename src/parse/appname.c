/* appname: ^[a-z][a-z0-9-]*$, at most 64 bytes. */
#include "parse/appname.h"

#include <stdio.h>
#include <string.h>

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_name_char(char c)
{
	return is_lower(c) || (c >= '0' && c <= '9') || c == '-';
}

int appname_check(const char *name, char *why, size_t cap)
{
	size_t len = strlen(name);
	if (len == 0) {
		snprintf(why, cap, "the new name is empty");
		return -1;
	}
	if (len > APPNAME_MAX) {
		snprintf(why, cap, "the new name is %zu bytes long; at most %d", len, APPNAME_MAX);
		return -1;
	}
	if (!is_lower(name[0])) {
		snprintf(why, cap, "a name starts with a lowercase letter (a-z)");
		return -1;
	}
	for (size_t i = 1; i < len; i++) {
		if (!is_name_char(name[i])) {
			snprintf(why, cap, "a name holds only lowercase letters, digits and '-' "
				 "(byte %zu is not one)", i + 1);
			return -1;
		}
	}
	return 0;
}
