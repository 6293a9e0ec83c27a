/* index: an intrusive hash index from a 64-bit key to records that embed
 * an index_link (container_of gives the record). Room is reserved when a
 * record is created, so adding never allocates and never fails. */
#ifndef TOES_INDEX_H
#define TOES_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct index_link {
	struct index_link *next;
	int64_t key;
	unsigned char linked;
};

struct index {
	struct index_link **buckets;  /* a power of two of them */
	size_t n_buckets;
	size_t count;                 /* links in the index */
};

/* Make room for at least `room` links at once. -1 (ENOMEM) when the
 * buckets cannot grow; the index is unchanged then. */
int index_reserve(struct index *ix, size_t room);
/* Add a link under key (there must be room; a linked link moves). */
void index_add(struct index *ix, struct index_link *l, int64_t key);
/* Add under key when present, else remove: for a field that has a value
 * or none. */
void index_put(struct index *ix, struct index_link *l, int64_t key, int present);
/* Remove a link; one not linked is ignored. */
void index_remove(struct index *ix, struct index_link *l);
/* The first link under key, or NULL; index_next gives the others. */
struct index_link *index_find(const struct index *ix, int64_t key);
struct index_link *index_next(const struct index_link *l);
void index_free(struct index *ix);
/* A 64-bit hash of n bytes (FNV-1a), never 0: a key for bytes, or a
 * fingerprint of a text. */
uint64_t index_hash(const void *s, size_t n);

#endif
