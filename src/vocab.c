/*
 * vocab.c - vocabulary storage and lookup.
 *
 * Tokens live in one string block; the index is an open-addressing table of ids keyed by a
 * FNV-1a hash, each slot with 32 more bits of that hash. WordPiece looks up "##" + substring many
 * times per word, most of them absent, so tc_vocab_find hashes the prefix and the substring as one
 * string without building it, and compares strings only when the 32 bits match.
 */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fnv.h"
#include "hugemem.h"

tc_status tc_vocab_init(tc_vocab *v, int64_t expected, tc_error *err)
{
    memset(v, 0, sizeof *v);
    if (expected < 1 || expected > TC_VOCAB_MAX_SIZE)
        return tc_fail(err, TC_ERR_ARG, NULL, NULL, "bad vocabulary size");
    v->offset = malloc((size_t)expected * sizeof *v->offset);
    v->length = malloc((size_t)expected * sizeof *v->length);
    if (!v->offset || !v->length) {
        tc_vocab_free(v);
        return tc_fail_nomem(err, NULL);
    }
    return TC_OK;
}

/* Slot of prefix+s in the table: its id's slot if present, else the empty slot to use. */
static uint64_t probe(const tc_vocab *v, const char *prefix, size_t plen, const char *s,
                      size_t len, int32_t *found)
{
    uint64_t h = tc_fnv1a(tc_fnv1a(TC_FNV_OFFSET, prefix, plen), s, len);
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint64_t i = h & v->mask;; i = (i + 1) & v->mask) {
        int32_t id = v->table[i].id;
        if (id < 0) {
            *found = -1;
            return i;
        }
        if (v->table[i].tag != tag) continue;
        const char *t = v->strings + v->offset[id];
        if (v->length[id] == plen + len && memcmp(t, prefix, plen) == 0 &&
            memcmp(t + plen, s, len) == 0) {
            *found = id;
            return i;
        }
    }
}

static uint32_t tag_of(const char *s, size_t len)
{
    return (uint32_t)(tc_fnv1a(TC_FNV_OFFSET, s, len) >> 32);
}

int tc_vocab_add(tc_vocab *v, const char *s, size_t len)
{
    size_t need = v->strings_len + len + 1;
    if (need > v->strings_cap) {
        size_t cap = v->strings_cap ? v->strings_cap : 4096;
        while (cap < need) cap *= 2;
        char *p = realloc(v->strings, cap);
        if (!p) return -1;
        v->strings = p;
        v->strings_cap = cap;
    }
    memcpy(v->strings + v->strings_len, s, len);
    v->strings[v->strings_len + len] = '\0';
    v->offset[v->size] = (uint32_t)v->strings_len;
    v->length[v->size] = (uint32_t)len;
    v->strings_len = need;
    if (len > v->max_len) v->max_len = (uint32_t)len;
    v->size++;
    return 0;
}

int tc_vocab_build_index(tc_vocab *v, int32_t *first, int32_t *second)
{
    uint64_t slots = 16;
    while (slots < (uint64_t)v->size * 2) slots *= 2;
    free(v->table);
    v->table = malloc(slots * sizeof *v->table);
    if (!v->table) return -1;
    tc_prefault(v->table, slots * sizeof *v->table);   /* written whole just below */
    for (uint64_t i = 0; i < slots; i++) v->table[i] = (tc_vocab_slot){-1, 0};
    v->mask = slots - 1;
    for (int32_t id = 0; id < v->size; id++) {
        int32_t found;
        uint64_t slot = probe(v, "", 0, v->strings + v->offset[id], v->length[id], &found);
        if (found >= 0) {
            *first = found;
            *second = id;
            return 1;
        }
        v->table[slot] = (tc_vocab_slot){id, tag_of(v->strings + v->offset[id], v->length[id])};
    }
    return 0;
}

int32_t tc_vocab_find(const tc_vocab *v, const char *prefix, size_t prefix_len, const char *s,
                      size_t len)
{
    if (prefix_len + len > v->max_len) return -1;
    int32_t found;
    probe(v, prefix, prefix_len, s, len, &found);
    return found;
}

void tc_vocab_free(tc_vocab *v)
{
    free(v->strings);
    free(v->offset);
    free(v->length);
    free(v->table);
    memset(v, 0, sizeof *v);
}
