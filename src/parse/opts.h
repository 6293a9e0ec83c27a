/* opts: parsers and a formatter for command-line values (SPEC §5, §12). */
#ifndef TOES_OPTS_H
#define TOES_OPTS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A duration: a decimal number, optionally with a fraction ("1.5"), and
 * a unit "ms", "s" or "m"; no unit means seconds ("0.2" is 200 ms). The
 * result must be a whole number of milliseconds ("1.5ms" and "0.0001s"
 * are refused). Returns 0, or -1 for an empty string, a sign, white
 * space, junk, or a value past INT64_MAX ms; *ms is untouched then.
 */
int opt_duration_ms(const char *s, int64_t *ms);

/* A size in bytes: decimal, optionally followed by K, M or G (either case;
 * binary multiples). Returns 0, or -1 for junk or overflow. */
int opt_size_bytes(const char *s, uint64_t *bytes);

/* A port range "A-B" with 1 <= A <= B <= 65535, or one port "A" (A-A).
 * Returns 0, or -1. */
int opt_port_range(const char *s, int *lo, int *hi);

/* Comma-separated durations ("1,2,4,8,16,32", "0", "100ms,1s"): at least
 * one, at most cap, no empty item. Fills out[0..*n). Returns 0, or -1
 * (then *n is untouched and out may hold a partial result). */
int opt_delays(const char *s, int64_t *out, size_t cap, size_t *n);

/* A plain decimal unsigned int: digits only, no sign, no overflow. */
int opt_uint(const char *s, unsigned *out);

/* Write ms as seconds without trailing zeros: "5s", "0.2s", "1.5s",
 * "0.005s", "0s" (a negative value gets a '-'). Truncated to fit cap. */
void opt_format_duration(char *buf, size_t cap, int64_t ms);

#endif
