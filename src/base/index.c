/* index: separate chaining over a power-of-two table of buckets. */
#include "base/index.h"

#include <errno.h>
#include <stdlib.h>

static size_t bucket_of(const struct index *ix, int64_t key)
{
	/* Fibonacci hashing: pids and inodes are close together, the top
	 * bits of the product are not. */
	uint64_t h = (uint64_t)key * UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h >> 32) & (ix->n_buckets - 1);
}

int index_reserve(struct index *ix, size_t room)
{
	if (room <= ix->n_buckets) {
		return 0;
	}
	size_t n = ix->n_buckets ? ix->n_buckets : 16;
	while (n < room) {
		n *= 2;
	}
	struct index_link **b = calloc(n, sizeof *b);
	if (!b) {
		errno = ENOMEM;
		return -1;
	}
	struct index old = *ix;
	ix->buckets = b;
	ix->n_buckets = n;
	for (size_t i = 0; i < old.n_buckets; i++) {
		struct index_link *l = old.buckets[i];
		while (l) {
			struct index_link *next = l->next;
			size_t k = bucket_of(ix, l->key);
			l->next = ix->buckets[k];
			ix->buckets[k] = l;
			l = next;
		}
	}
	free(old.buckets);
	return 0;
}

void index_add(struct index *ix, struct index_link *l, int64_t key)
{
	index_remove(ix, l);
	if (!ix->n_buckets) {
		return; /* no room was reserved: a bug the registry never makes */
	}
	size_t k = bucket_of(ix, key);
	l->key = key;
	l->next = ix->buckets[k];
	l->linked = 1;
	ix->buckets[k] = l;
	ix->count++;
}

void index_put(struct index *ix, struct index_link *l, int64_t key, int present)
{
	if (present) {
		index_add(ix, l, key);
	} else {
		index_remove(ix, l);
	}
}

void index_remove(struct index *ix, struct index_link *l)
{
	if (!l->linked) {
		return;
	}
	for (struct index_link **p = &ix->buckets[bucket_of(ix, l->key)]; *p; p = &(*p)->next) {
		if (*p == l) {
			*p = l->next;
			break;
		}
	}
	l->next = NULL;
	l->linked = 0;
	ix->count--;
}

static struct index_link *first_from(struct index_link *l, int64_t key)
{
	while (l && l->key != key) {
		l = l->next;
	}
	return l;
}

struct index_link *index_find(const struct index *ix, int64_t key)
{
	return ix->n_buckets ? first_from(ix->buckets[bucket_of(ix, key)], key) : NULL;
}

struct index_link *index_next(const struct index_link *l)
{
	return first_from(l->next, l->key);
}

void index_free(struct index *ix)
{
	free(ix->buckets);
	ix->buckets = NULL;
	ix->n_buckets = ix->count = 0;
}

uint64_t index_hash(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ p[i]) * 1099511628211ULL;
	}
	return h ? h : 1;
}
