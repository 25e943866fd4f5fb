/*
 * strmap.h - a map from strings to small ids (internal): ids 0, 1, 2, ... in the order the
 * strings were first inserted. The labels of training (train.c) and of `textclf test`
 * (cli_test.c).
 *
 * The map copies every string it is given and owns the copies. Lookups hash with FNV-1a
 * (fnv.h) into an open-addressing table kept at most half full.
 *
 *     tc_strmap m;
 *     tc_strmap_init(&m, 1000);
 *     int32_t id = tc_strmap_insert(&m, s, len);   // >= 0, or TC_STRMAP_NOMEM / _FULL
 *     ... m.names[id] ...
 *     tc_strmap_free(&m);
 */
#ifndef TC_STRMAP_H
#define TC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

/* What tc_strmap_find and tc_strmap_insert return instead of an id. */
enum {
    TC_STRMAP_ABSENT = -1,   /* find: the string is not in the map */
    TC_STRMAP_NOMEM = -2,    /* insert: out of memory (the map is unchanged) */
    TC_STRMAP_FULL = -3      /* insert: the map already holds its limit of strings */
};

/* The fields are for reading; only the functions below change them. */
typedef struct {
    char **names;      /* [count] owned copies of the strings, NUL-terminated: names[id] */
    size_t *lens;      /* [count] their lengths in bytes (a string may hold a NUL) */
    int32_t count;     /* strings held: ids 0 .. count - 1 */
    int32_t cap;       /* entries allocated in names and lens */
    int32_t limit;     /* the most strings tc_strmap_insert adds */
    int32_t *slots;    /* [mask + 1] the hash table: an id, or -1 for an empty slot */
    uint64_t mask;     /* slots - 1 (a power of two less one), 0 before the first insert */
} tc_strmap;

/* Starts an empty map that will hold at most limit strings (negative: 0). Allocates nothing,
 * so it cannot fail. A zeroed tc_strmap may be given to tc_strmap_free, but not filled. */
void tc_strmap_init(tc_strmap *m, int32_t limit);

/* The id of s[0..n), or TC_STRMAP_ABSENT. */
int32_t tc_strmap_find(const tc_strmap *m, const char *s, size_t n);

/* The id of s[0..n): the one it has, or else the next one (count), with a copy of s added.
 * TC_STRMAP_FULL when s would be the (limit + 1)th string, TC_STRMAP_NOMEM when out of memory;
 * the map is unchanged then, and the earlier ids and names stay valid. An insert may move
 * names and lens (pointers taken from names[] stay valid: the strings themselves never move). */
int32_t tc_strmap_insert(tc_strmap *m, const char *s, size_t n);

/* Frees the strings and the table; m is zeroed (init it again before reuse). */
void tc_strmap_free(tc_strmap *m);

#endif
