/* fuzz: what the libFuzzer targets share (tests/fuzz/README.md). */
#ifndef TOES_FUZZ_H
#define TOES_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The entry points libFuzzer calls. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken promise of a header is a crash, so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, what) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, what); \
		abort(); \
	} \
} while (0)

/* The input as a malloc'd C string (it ends at the first NUL byte it holds). */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* How many bytes to feed next, from the byte at the current position, so
 * the split changes with the input: mostly short chunks, some of a few
 * hundred bytes, a few longer than the parsers' 8 KiB limits. Never 0. */
static inline size_t fuzz_chunk(const uint8_t *data, size_t size, size_t pos)
{
	if (pos >= size) {
		return 1;
	}
	unsigned b = data[pos];
	size_t n;
	if (b < 160) {
		n = 1 + b % 16;
	} else if (b < 240) {
		n = 1 + (b * 37u) % 1024;
	} else {
		n = 1 + (b * 331u) % 12000;
	}
	return n < size - pos ? n : size - pos;
}

#endif
