/*
 * strmap.c - strings to ids (strmap.h).
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "fnv.h"

void tc_strmap_init(tc_strmap *m, int32_t limit)
{
    memset(m, 0, sizeof *m);
    m->limit = limit > 0 ? limit : 0;
}

int32_t tc_strmap_find(const tc_strmap *m, const char *s, size_t n)
{
    if (!m->slots) return TC_STRMAP_ABSENT;
    for (uint64_t i = tc_fnv1a(TC_FNV_OFFSET, s, n) & m->mask;; i = (i + 1) & m->mask) {
        int32_t id = m->slots[i];
        if (id < 0) return TC_STRMAP_ABSENT;
        if (m->lens[id] == n && memcmp(m->names[id], s, n) == 0) return id;
    }
}

/* Puts id, whose string is s[0..n), into the first empty slot of its probe sequence in
 * slots[mask + 1] (there is one: the table is at most half full). */
static void place(int32_t *slots, uint64_t mask, const char *s, size_t n, int32_t id)
{
    uint64_t i = tc_fnv1a(TC_FNV_OFFSET, s, n) & mask;
    while (slots[i] >= 0) i = (i + 1) & mask;
    slots[i] = id;
}

/* Makes room for one more string: a table twice as large (64 slots at first) once it would be
 * more than half full, and longer names and lens. 0, or -1 when out of memory (the map is as it
 * was, but maybe with longer arrays: cap says how long). */
static int reserve_one(tc_strmap *m)
{
    if (2 * ((uint64_t)m->count + 1) > m->mask) {
        uint64_t slots = m->mask ? (m->mask + 1) * 2 : 64;
        int32_t *t = slots <= SIZE_MAX / sizeof *t ? malloc(slots * sizeof *t) : NULL;
        if (!t) return -1;
        memset(t, 0xff, slots * sizeof *t);   /* every slot -1: empty */
        for (int32_t id = 0; id < m->count; id++)
            place(t, slots - 1, m->names[id], m->lens[id], id);
        free(m->slots);
        m->slots = t;
        m->mask = slots - 1;
    }
    if (m->count == m->cap) {
        /* count < limit here, so cap stays an int32_t */
        size_t cap = m->cap ? 2 * (size_t)m->cap : 16;
        if (cap > (size_t)m->limit) cap = (size_t)m->limit;
        char **names = realloc(m->names, cap * sizeof *names);
        if (names) m->names = names;
        size_t *lens = realloc(m->lens, cap * sizeof *lens);
        if (lens) m->lens = lens;
        if (!names || !lens) return -1;
        m->cap = (int32_t)cap;
    }
    return 0;
}

int32_t tc_strmap_insert(tc_strmap *m, const char *s, size_t n)
{
    int32_t id = tc_strmap_find(m, s, n);
    if (id >= 0) return id;
    if (m->count >= m->limit) return TC_STRMAP_FULL;
    char *copy = n < SIZE_MAX ? malloc(n + 1) : NULL;
    if (!copy || reserve_one(m) != 0) {
        free(copy);
        return TC_STRMAP_NOMEM;
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    id = m->count++;
    m->names[id] = copy;
    m->lens[id] = n;
    place(m->slots, m->mask, s, n, id);
    return id;
}

void tc_strmap_free(tc_strmap *m)
{
    for (int32_t i = 0; i < m->count; i++) free(m->names[i]);
    free(m->names);
    free(m->lens);
    free(m->slots);
    memset(m, 0, sizeof *m);
}
