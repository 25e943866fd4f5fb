/*
 * train_wordpiece.c - learning a WordPiece vocabulary: word counts, then BPE-style merges.
 *
 * The counter is an open-addressing hash table over the words' UTF-8 (one copy of each distinct
 * word in one byte block), so counting streams and memory follows the distinct words.
 *
 * Training (Hugging Face's WordPiece trainer, which is its BPE trainer with a continuation
 * prefix): every word is a sequence of token ids, first its characters; each step merges the most
 * frequent adjacent pair everywhere. Doing that naively rescans every word per merge, which is
 * hopeless for 30000 merges over a million words, so:
 *
 *   - each pair keeps its count (weighted by word counts) and the list of words it was seen in;
 *     a merge rescans only those words and adjusts the counts of the pairs around each replaced
 *     occurrence (x a b y: x·a, b·y lose, x·ab, ab·y gain). Lists are append-only, so they may
 *     name a word twice or a word that lost the pair; rescanning such a word changes nothing.
 *   - the best pair comes from a max-heap with lazy deletion. Invariant: every pair whose count
 *     reaches min_count has a heap entry whose key is >= its count. Falling counts leave their
 *     entries alone; a merge pushes a new entry for each pair whose count rose. A popped entry
 *     whose key is above the pair's count is pushed again with the count; one below it is dropped
 *     (the entry pushed when the count rose is still in the heap); one equal to it is the best
 *     pair, since no other pair can have a higher count than its own (higher) entry.
 *
 * Token ids double as tie-breakers (see train_wordpiece.h), which is why the output order is
 * fixed before merging starts: specials, characters in code point order, prefixed characters,
 * then pieces as they are made.
 */
#include "train_wordpiece.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fnv.h"
#include "utf8.h"
#include "vocab.h"

#define EMPTY UINT32_MAX
/* distinct words (and pairs) are indexed by uint32 with EMPTY as the free-slot mark, and hash
 * tables are kept at most half full */
#define MAX_ENTRIES (UINT32_MAX / 2)

/* ---- small helpers ------------------------------------------------------------------------ */

/* A well-mixed 64-bit hash of x (splitmix64's finaliser): pair keys are two small ids. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Writes the UTF-8 of the scalar value c to o[0..4); returns its length. */
static size_t utf8_put(int32_t c, char *o)
{
    unsigned char *u = (unsigned char *)o;
    if (c < 0x80) {
        u[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        u[0] = (unsigned char)(0xC0 | (c >> 6));
        u[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (c >> 12));
        u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (c >> 18));
    u[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/* Reads one code point from s into *c; returns its length. s must be well-formed UTF-8 (the
 * counter only stores what utf8_put wrote), so nothing is checked. */
static size_t utf8_get(const unsigned char *s, int32_t *c)
{
    if (s[0] < 0x80) {
        *c = s[0];
        return 1;
    }
    if (s[0] < 0xE0) {
        *c = (s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0) {
        *c = (s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    *c = (s[0] & 0x07) << 18 | (s[1] & 0x3F) << 12 | (s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    return 4;
}

/* 1 if c may appear in a token: a Unicode scalar value that is not C0, DEL or C1 (the model
 * loader rejects control characters in tokens). */
static int token_char_ok(int32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return 0;
    if (c >= 0xD800 && c <= 0xDFFF) return 0;
    return c <= 0x10FFFF;
}

/* Why s[0..len) cannot be a vocabulary token, or NULL if it can (the loader's rules, with
 * min_len 0 for the prefix, which may be empty). */
static const char *token_problem(const char *s, size_t len, size_t min_len, size_t max_len)
{
    if (len < min_len) return "is empty";
    if (len > max_len) return "is too long";
    if (!tc_utf8_valid(s, len)) return "is not valid UTF-8";
    for (size_t i = 0; i < len;) {
        int32_t c;
        i += utf8_get((const unsigned char *)s + i, &c);
        if (!token_char_ok(c)) return "contains a control character";
    }
    return NULL;
}

/* Grows *p (an array of *cap elements of size `size`) to hold at least `need` elements,
 * doubling. 0, or -1 if out of memory (then *p is unchanged). */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * size);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

/* A table of `size` (a power of two) EMPTY slots, or NULL if out of memory. */
static uint32_t *new_table(size_t size)
{
    uint32_t *t = malloc(size * sizeof *t);
    if (t) memset(t, 0xFF, size * sizeof *t);
    return t;
}

/* ---- the counter -------------------------------------------------------------------------- */

typedef struct {
    uint64_t off;      /* start of the word's UTF-8 in bytes */
    uint32_t len;      /* its length in bytes */
    uint32_t hash;
    int64_t count;
} word_entry;

struct tc_wp_counter {
    char *bytes;             /* every distinct word's UTF-8, back to back */
    size_t bytes_len, bytes_cap;
    word_entry *words;
    size_t n_words, words_cap;
    uint32_t *table;         /* slot -> index into words, EMPTY if free */
    size_t mask;             /* table size - 1 */
    char *enc;               /* [TC_WP_MAX_WORD_CHARS * 4]: the word being added, as UTF-8 */
};

tc_status tc_wp_counter_init(tc_wp_counter **out, tc_error *err)
{
    *out = NULL;
    tc_wp_counter *c = calloc(1, sizeof *c);
    if (!c) return tc_fail_nomem(err, NULL);
    c->mask = 1023;
    c->table = new_table(c->mask + 1);
    c->enc = malloc((size_t)TC_WP_MAX_WORD_CHARS * 4);
    if (!c->table || !c->enc) {
        tc_wp_counter_free(c);
        return tc_fail_nomem(err, NULL);
    }
    *out = c;
    return TC_OK;
}

/* Doubles the counter's hash table. 0, or -1 if out of memory (table unchanged). */
static int counter_rehash(tc_wp_counter *c)
{
    size_t size = (c->mask + 1) * 2;
    uint32_t *t = new_table(size);
    if (!t) return -1;
    for (size_t i = 0; i < c->n_words; i++) {
        size_t j = c->words[i].hash & (size - 1);
        while (t[j] != EMPTY) j = (j + 1) & (size - 1);
        t[j] = (uint32_t)i;
    }
    free(c->table);
    c->table = t;
    c->mask = size - 1;
    return 0;
}

tc_status tc_wp_counter_add(tc_wp_counter *c, const int32_t *word, size_t n, tc_error *err)
{
    if (n == 0 || n > TC_WP_MAX_WORD_CHARS) return TC_OK;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!token_char_ok(word[i]))
            return tc_fail(err, TC_ERR_ARG, NULL, NULL,
                           "word has a control character or invalid code point (0x%lX)",
                           (unsigned long)(uint32_t)word[i]);
        len += utf8_put(word[i], c->enc + len);
    }
    uint32_t h = (uint32_t)mix64(tc_fnv1a(TC_FNV_OFFSET, c->enc, len));
    size_t j = h & c->mask;
    for (; c->table[j] != EMPTY; j = (j + 1) & c->mask) {
        word_entry *e = &c->words[c->table[j]];
        if (e->hash == h && e->len == len && memcmp(c->bytes + e->off, c->enc, len) == 0) {
            e->count++;
            return TC_OK;
        }
    }

    /* a new word: make room everywhere first, so a failure leaves the counter as it was */
    if (c->n_words >= MAX_ENTRIES)
        return tc_fail(err, TC_ERR_NOMEM, NULL, NULL, "more than %lu distinct words",
                       (unsigned long)MAX_ENTRIES);
    if (grow((void **)&c->bytes, &c->bytes_cap, c->bytes_len + len, 1) != 0 ||
        grow((void **)&c->words, &c->words_cap, c->n_words + 1, sizeof *c->words) != 0)
        return tc_fail_nomem(err, NULL);
    if ((c->n_words + 1) * 2 > c->mask + 1) {
        if (counter_rehash(c) != 0) return tc_fail_nomem(err, NULL);
        for (j = h & c->mask; c->table[j] != EMPTY; j = (j + 1) & c->mask) {}
    }
    memcpy(c->bytes + c->bytes_len, c->enc, len);
    c->words[c->n_words] = (word_entry){c->bytes_len, (uint32_t)len, h, 1};
    c->table[j] = (uint32_t)c->n_words++;
    c->bytes_len += len;
    return TC_OK;
}

int tc_wp_counter_pretok_fn(void *ctx, const int32_t *word, size_t n)
{
    return tc_wp_counter_add(ctx, word, n, NULL) == TC_OK ? 0 : -1;
}

size_t tc_wp_counter_size(const tc_wp_counter *c)
{
    return c->n_words;
}

void tc_wp_counter_free(tc_wp_counter *c)
{
    if (!c) return;
    free(c->bytes);
    free(c->words);
    free(c->table);
    free(c->enc);
    free(c);
}

/* ---- training state ----------------------------------------------------------------------- */

typedef struct {
    int32_t cp;
    int inner;           /* occurs at a position > 0 of some word */
    int64_t freq;        /* occurrences, weighted by word counts */
    int32_t alone, cont; /* token ids of "c" and prefix+"c"; -1 = not in the vocabulary */
    int keep;            /* KEEP_ALONE | KEEP_CONT: the forms that fit in the vocabulary */
} char_info;

enum { KEEP_ALONE = 1, KEEP_CONT = 2 };

typedef struct {
    uint64_t off;        /* start of the token in trainer.str */
    uint32_t len;        /* its length in bytes */
} token;

typedef struct {
    int64_t count;
    uint32_t off;        /* start of the word's token ids in trainer.sym */
    uint32_t len;        /* current number of tokens (shrinks as pairs merge) */
} train_word;

/* Millions of these exist at once, hence the packing. */
typedef struct {
    uint64_t key;        /* a << 32 | b */
    int64_t count;       /* occurrences weighted by word counts */
    uint32_t n;          /* words seen with the pair, inline while cap <= 2 (most pairs are rare) */
    unsigned cap : 31;
    unsigned touched : 1;   /* in trainer.touched */
    union {
        uint32_t small[2];
        uint32_t *big;
    } w;
} pair_rec;

/* Pairs live in fixed blocks, so a pair never moves (no copy, no doubling slack). */
#define PAIR_BLOCK_BITS 16
#define PAIR_BLOCK (1u << PAIR_BLOCK_BITS)

typedef struct {
    int64_t count;
    uint64_t key;
} heap_entry;

typedef struct {
    const char *prefix;
    size_t plen;
    int64_t min_count;
    int32_t vocab_size;

    /* the vocabulary so far, id = position: strings back to back, each NUL-terminated */
    char *str;
    size_t str_len, str_cap;
    token *tok;
    size_t n_tok, tok_cap;
    uint32_t *tok_table;
    size_t tok_mask;

    char_info *chars;
    size_t n_chars, chars_cap;
    uint32_t *char_table;
    size_t char_mask;

    int32_t *sym;        /* token ids of all words with at least two characters */
    train_word *words;
    size_t n_words;

    pair_rec **blocks;   /* pair i is blocks[i >> PAIR_BLOCK_BITS][i % PAIR_BLOCK] */
    size_t n_pairs, n_blocks, blocks_cap;
    uint32_t *pair_table;
    size_t pair_mask;

    heap_entry *heap;
    size_t heap_len, heap_cap;
    uint32_t *touched;   /* pairs whose count rose during the current merge */
    size_t n_touched, touched_cap;
} trainer;

static pair_rec *pair_at(const trainer *t, uint32_t i)
{
    return &t->blocks[i >> PAIR_BLOCK_BITS][i & (PAIR_BLOCK - 1)];
}

static void trainer_free(trainer *t)
{
    free(t->str);
    free(t->tok);
    free(t->tok_table);
    free(t->chars);
    free(t->char_table);
    free(t->sym);
    free(t->words);
    for (size_t i = 0; i < t->n_pairs; i++)
        if (pair_at(t, (uint32_t)i)->cap > 2) free(pair_at(t, (uint32_t)i)->w.big);
    for (size_t i = 0; i < t->n_blocks; i++) free(t->blocks[i]);
    free(t->blocks);
    free(t->pair_table);
    free(t->heap);
    free(t->touched);
}

/* ---- tokens ------------------------------------------------------------------------------- */

static const char *tok_str(const trainer *t, int32_t id)
{
    return t->str + t->tok[id].off;
}

/* Slot of token s[0..len) in tok_table: its slot if present (*found = its id), else the free
 * slot to use (*found = -1). */
static size_t tok_probe(const trainer *t, const char *s, size_t len, int32_t *found)
{
    size_t j = tc_fnv1a(TC_FNV_OFFSET, s, len) & t->tok_mask;
    for (; t->tok_table[j] != EMPTY; j = (j + 1) & t->tok_mask) {
        uint32_t id = t->tok_table[j];
        if (t->tok[id].len == len && memcmp(tok_str(t, (int32_t)id), s, len) == 0) {
            *found = (int32_t)id;
            return j;
        }
    }
    *found = -1;
    return j;
}

static int32_t tok_find(const trainer *t, const char *s, size_t len)
{
    int32_t id;
    tok_probe(t, s, len, &id);
    return id;
}

/* Doubles tok_table. 0, or -1 if out of memory. */
static int tok_rehash(trainer *t)
{
    size_t size = (t->tok_mask + 1) * 2;
    uint32_t *tab = new_table(size);
    if (!tab) return -1;
    free(t->tok_table);
    t->tok_table = tab;
    t->tok_mask = size - 1;
    for (size_t i = 0; i < t->n_tok; i++) {
        int32_t dummy;
        tab[tok_probe(t, tok_str(t, (int32_t)i), t->tok[i].len, &dummy)] = (uint32_t)i;
    }
    return 0;
}

/* The id of token s[0..len), appended with the next id if new. 0, or -1 if out of memory.
 * s must not point into t->str (which may move). */
static int tok_intern(trainer *t, const char *s, size_t len, int32_t *id)
{
    size_t j = tok_probe(t, s, len, id);
    if (*id >= 0) return 0;
    if (grow((void **)&t->str, &t->str_cap, t->str_len + len + 1, 1) != 0 ||
        grow((void **)&t->tok, &t->tok_cap, t->n_tok + 1, sizeof *t->tok) != 0)
        return -1;
    if ((t->n_tok + 1) * 2 > t->tok_mask + 1) {
        if (tok_rehash(t) != 0) return -1;
        int32_t dummy;
        j = tok_probe(t, s, len, &dummy);
    }
    memcpy(t->str + t->str_len, s, len);
    t->str[t->str_len + len] = '\0';
    t->tok[t->n_tok].off = t->str_len;
    t->tok[t->n_tok].len = (uint32_t)len;
    t->str_len += len + 1;
    *id = (int32_t)t->n_tok;
    t->tok_table[j] = (uint32_t)t->n_tok++;
    return 0;
}

/* ---- characters --------------------------------------------------------------------------- */

/* Index of character cp in t->chars, adding it if new. 0, or -1 if out of memory. */
static int char_get(trainer *t, int32_t cp, uint32_t *idx)
{
    size_t j = mix64((uint64_t)cp) & t->char_mask;
    for (; t->char_table[j] != EMPTY; j = (j + 1) & t->char_mask)
        if (t->chars[t->char_table[j]].cp == cp) {
            *idx = t->char_table[j];
            return 0;
        }
    if (grow((void **)&t->chars, &t->chars_cap, t->n_chars + 1, sizeof *t->chars) != 0) return -1;
    if ((t->n_chars + 1) * 2 > t->char_mask + 1) {
        size_t size = (t->char_mask + 1) * 2;
        uint32_t *tab = new_table(size);
        if (!tab) return -1;
        for (size_t i = 0; i < t->n_chars; i++) {
            size_t k = mix64((uint64_t)t->chars[i].cp) & (size - 1);
            while (tab[k] != EMPTY) k = (k + 1) & (size - 1);
            tab[k] = (uint32_t)i;
        }
        free(t->char_table);
        t->char_table = tab;
        t->char_mask = size - 1;
        for (j = mix64((uint64_t)cp) & t->char_mask; t->char_table[j] != EMPTY;
             j = (j + 1) & t->char_mask) {}
    }
    t->chars[t->n_chars] = (char_info){cp, 0, 0, -1, -1, 0};
    *idx = (uint32_t)t->n_chars;
    t->char_table[j] = (uint32_t)t->n_chars++;
    return 0;
}

/* Rebuilds char_table after t->chars was reordered. */
static void char_reindex(trainer *t)
{
    memset(t->char_table, 0xFF, (t->char_mask + 1) * sizeof *t->char_table);
    for (size_t i = 0; i < t->n_chars; i++) {
        size_t k = mix64((uint64_t)t->chars[i].cp) & t->char_mask;
        while (t->char_table[k] != EMPTY) k = (k + 1) & t->char_mask;
        t->char_table[k] = (uint32_t)i;
    }
}

static int by_freq(const void *x, const void *y)
{
    const char_info *a = x, *b = y;
    if (a->freq != b->freq) return a->freq > b->freq ? -1 : 1;
    return (a->cp > b->cp) - (a->cp < b->cp);
}

static int by_cp(const void *x, const void *y)
{
    const char_info *a = x, *b = y;
    return (a->cp > b->cp) - (a->cp < b->cp);
}

/* Number of code points in the well-formed UTF-8 s[0..len). */
static size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/*
 * Collects the characters of the words of at most max_chars code points with their frequencies,
 * and counts the words of two or more characters (*n_words) and their code points (*n_syms).
 * 0, or -1 if out of memory.
 */
static int collect_chars(trainer *t, const tc_wp_counter *c, int max_chars, size_t *n_words,
                         size_t *n_syms)
{
    *n_words = *n_syms = 0;
    for (size_t w = 0; w < c->n_words; w++) {
        const word_entry *e = &c->words[w];
        const char *s = c->bytes + e->off;
        size_t n = utf8_count(s, e->len);
        if (n > (size_t)max_chars) continue;
        if (n >= 2) {
            (*n_words)++;
            *n_syms += n;
        }
        size_t k = 0;
        for (size_t i = 0; i < e->len; k++) {
            int32_t cp;
            uint32_t idx;
            i += utf8_get((const unsigned char *)s + i, &cp);
            if (char_get(t, cp, &idx) != 0) return -1;
            t->chars[idx].freq += e->count;
            if (k > 0) t->chars[idx].inner = 1;
        }
    }
    return 0;
}

/* 1 if token s[0..len) costs nothing (it is already a special) or fits in the room left, which
 * it then takes. */
static int fits(const trainer *t, const char *s, size_t len, size_t *room)
{
    if (tok_find(t, s, len) >= 0) return 1;
    if (*room == 0) return 0;
    (*room)--;
    return 1;
}

/*
 * Adds the character tokens (groups 2 and 3 of train_wordpiece.h) within the room vocab_size
 * leaves, most frequent characters first, and records their ids in t->chars (which ends up in
 * code point order). 0, or -1 if out of memory.
 */
static int add_chars(trainer *t)
{
    char buf[TC_VOCAB_MAX_TOKEN];
    memcpy(buf, t->prefix, t->plen);
    char *one = buf + t->plen;   /* the character alone; buf holds it with the prefix */

    qsort(t->chars, t->n_chars, sizeof *t->chars, by_freq);
    size_t room = (size_t)t->vocab_size - t->n_tok;
    for (size_t i = 0; i < t->n_chars; i++) {
        char_info *ch = &t->chars[i];
        size_t l = utf8_put(ch->cp, one);
        ch->keep = fits(t, one, l, &room) ? KEEP_ALONE : 0;
        /* with an empty prefix both forms are one string */
        if (ch->inner && (t->plen == 0 ? ch->keep : fits(t, buf, t->plen + l, &room)))
            ch->keep |= KEEP_CONT;
    }

    /* ids in code point order, all alone forms first */
    qsort(t->chars, t->n_chars, sizeof *t->chars, by_cp);
    char_reindex(t);
    for (size_t i = 0; i < t->n_chars; i++) {
        char_info *ch = &t->chars[i];
        if ((ch->keep & KEEP_ALONE) && tok_intern(t, one, utf8_put(ch->cp, one), &ch->alone))
            return -1;
    }
    for (size_t i = 0; i < t->n_chars; i++) {
        char_info *ch = &t->chars[i];
        if ((ch->keep & KEEP_CONT) &&
            tok_intern(t, buf, t->plen + utf8_put(ch->cp, one), &ch->cont) != 0)
            return -1;
    }
    return 0;
}

/* ---- pairs -------------------------------------------------------------------------------- */

/* Index of the pair with this key, or EMPTY. */
static uint32_t pair_find(const trainer *t, uint64_t key)
{
    for (size_t j = mix64(key) & t->pair_mask; t->pair_table[j] != EMPTY;
         j = (j + 1) & t->pair_mask)
        if (pair_at(t, t->pair_table[j])->key == key) return t->pair_table[j];
    return EMPTY;
}

/* Index of the pair with this key, adding it (count 0) if new. 0, or -1 if out of memory. */
static int pair_get(trainer *t, uint64_t key, uint32_t *idx)
{
    size_t j = mix64(key) & t->pair_mask;
    for (; t->pair_table[j] != EMPTY; j = (j + 1) & t->pair_mask)
        if (pair_at(t, t->pair_table[j])->key == key) {
            *idx = t->pair_table[j];
            return 0;
        }
    if (t->n_pairs >= MAX_ENTRIES) return -1;
    if (t->n_pairs == t->n_blocks * PAIR_BLOCK) {
        if (grow((void **)&t->blocks, &t->blocks_cap, t->n_blocks + 1, sizeof *t->blocks) != 0 ||
            !(t->blocks[t->n_blocks] = malloc(PAIR_BLOCK * sizeof **t->blocks)))
            return -1;
        t->n_blocks++;
    }
    if ((t->n_pairs + 1) * 2 > t->pair_mask + 1) {
        size_t size = (t->pair_mask + 1) * 2;
        uint32_t *tab = new_table(size);
        if (!tab) return -1;
        for (size_t i = 0; i < t->n_pairs; i++) {
            size_t k = mix64(pair_at(t, (uint32_t)i)->key) & (size - 1);
            while (tab[k] != EMPTY) k = (k + 1) & (size - 1);
            tab[k] = (uint32_t)i;
        }
        free(t->pair_table);
        t->pair_table = tab;
        t->pair_mask = size - 1;
        for (j = mix64(key) & t->pair_mask; t->pair_table[j] != EMPTY;
             j = (j + 1) & t->pair_mask) {}
    }
    pair_rec *p = pair_at(t, (uint32_t)t->n_pairs);
    memset(p, 0, sizeof *p);
    p->key = key;
    p->cap = 2;
    *idx = (uint32_t)t->n_pairs;
    t->pair_table[j] = (uint32_t)t->n_pairs++;
    return 0;
}

/*
 * 1 if a and b (b at a position > 0, so it starts with the prefix) may ever be merged: the piece
 * fits in a token, and it differs from b, which it would not if a's string were the prefix
 * itself (a merge must make its words shorter and never recreate its own pair).
 */
static int mergeable(const trainer *t, int32_t a, int32_t b)
{
    if ((size_t)t->tok[a].len + t->tok[b].len - t->plen > TC_VOCAB_MAX_TOKEN) return 0;
    return !(t->plen > 0 && t->tok[a].len == t->plen &&
             memcmp(tok_str(t, a), t->prefix, t->plen) == 0);
}

/* Records word w in p's word list unless it is the last one there. 0, or -1 if out of memory. */
static int pair_add_word(pair_rec *p, uint32_t w)
{
    uint32_t *list = p->cap > 2 ? p->w.big : p->w.small;
    if (p->n > 0 && list[p->n - 1] == w) return 0;
    if (p->n == p->cap) {
        if (p->cap >= 1u << 30) return -1;
        uint32_t cap = p->cap * 2;
        uint32_t *big = p->cap > 2 ? realloc(p->w.big, cap * sizeof *big)
                                   : malloc(cap * sizeof *big);
        if (!big) return -1;
        if (p->cap == 2) memcpy(big, p->w.small, sizeof p->w.small);
        p->w.big = big;
        p->cap = cap;
        list = big;
    }
    list[p->n++] = w;
    return 0;
}

/* Adds cnt occurrences of the pair (a, b) in word w. 0, or -1 if out of memory. */
static int pair_inc(trainer *t, int32_t a, int32_t b, int64_t cnt, uint32_t w)
{
    if (!mergeable(t, a, b)) return 0;   /* never tracked, so never chosen */
    uint32_t i;
    if (pair_get(t, (uint64_t)a << 32 | (uint32_t)b, &i) != 0) return -1;
    pair_rec *p = pair_at(t, i);
    p->count += cnt;
    if (pair_add_word(p, w) != 0) return -1;
    if (!p->touched) {
        p->touched = 1;
        if (grow((void **)&t->touched, &t->touched_cap, t->n_touched + 1, sizeof *t->touched))
            return -1;
        t->touched[t->n_touched++] = i;
    }
    return 0;
}

/* Removes cnt occurrences of the pair (a, b). */
static void pair_dec(trainer *t, int32_t a, int32_t b, int64_t cnt)
{
    uint32_t i = pair_find(t, (uint64_t)a << 32 | (uint32_t)b);
    if (i != EMPTY) pair_at(t, i)->count -= cnt;
}

/* ---- the heap ----------------------------------------------------------------------------- */

/* 1 if x is a better merge than y: higher count, then smaller ids. */
static int better(const heap_entry *x, const heap_entry *y)
{
    return x->count > y->count || (x->count == y->count && x->key < y->key);
}

/* 0, or -1 if out of memory. */
static int heap_push(trainer *t, int64_t count, uint64_t key)
{
    if (grow((void **)&t->heap, &t->heap_cap, t->heap_len + 1, sizeof *t->heap) != 0) return -1;
    heap_entry e = {count, key};
    size_t i = t->heap_len++;
    while (i > 0 && better(&e, &t->heap[(i - 1) / 2])) {
        t->heap[i] = t->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    t->heap[i] = e;
    return 0;
}

/* Removes and returns the best entry; the heap must not be empty. */
static heap_entry heap_pop(trainer *t)
{
    heap_entry top = t->heap[0], e = t->heap[--t->heap_len];
    size_t i = 0, n = t->heap_len;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && better(&t->heap[c + 1], &t->heap[c])) c++;
        if (!better(&t->heap[c], &e)) break;
        t->heap[i] = t->heap[c];
        i = c;
    }
    if (n > 0) t->heap[i] = e;
    return top;
}

/* Pushes every pair whose count rose in the current merge and reaches min_count, and starts the
 * next merge. 0, or -1 if out of memory. */
static int push_touched(trainer *t)
{
    for (size_t i = 0; i < t->n_touched; i++) {
        pair_rec *p = pair_at(t, t->touched[i]);
        p->touched = 0;
        if (p->count >= t->min_count && heap_push(t, p->count, p->key) != 0) return -1;
    }
    t->n_touched = 0;
    return 0;
}

/* ---- merging ------------------------------------------------------------------------------ */

/*
 * Turns the words of at most max_chars characters (two or more) into token ids and counts their
 * pairs. 0, or -1 if out of memory.
 */
static int load_words(trainer *t, const tc_wp_counter *c, int max_chars, size_t n_words,
                      size_t n_syms)
{
    /* word indices and symbol offsets are 32-bit to keep the per-word memory down */
    if (n_words > MAX_ENTRIES || n_syms > UINT32_MAX) return -1;
    t->words = malloc((n_words ? n_words : 1) * sizeof *t->words);
    t->sym = malloc((n_syms ? n_syms : 1) * sizeof *t->sym);
    t->pair_mask = 1023;
    t->pair_table = new_table(t->pair_mask + 1);
    if (!t->words || !t->sym || !t->pair_table) return -1;
    size_t off = 0;
    for (size_t w = 0; w < c->n_words; w++) {
        const word_entry *e = &c->words[w];
        const char *s = c->bytes + e->off;
        size_t n = utf8_count(s, e->len);
        if (n < 2 || n > (size_t)max_chars) continue;
        uint32_t wi = (uint32_t)t->n_words++;
        t->words[wi] = (train_word){e->count, (uint32_t)off, (uint32_t)n};
        for (size_t i = 0, k = 0; i < e->len; k++) {
            int32_t cp;
            uint32_t idx;
            i += utf8_get((const unsigned char *)s + i, &cp);
            if (char_get(t, cp, &idx) != 0) return -1;   /* present: no allocation */
            int32_t id = k == 0 ? t->chars[idx].alone : t->chars[idx].cont;
            t->sym[off + k] = id;
            if (k > 0 && pair_inc(t, t->sym[off + k - 1], id, e->count, wi) != 0) return -1;
        }
        off += n;
    }
    return push_touched(t);
}

/*
 * Replaces every occurrence of the pair (a, b) in word w by c, left to right, and moves the
 * counts of the neighbouring pairs (x a b y: x·a and b·y lose the word's count, x·c and c·y gain
 * it). The pair (a, b)'s own count is the caller's business. 0, or -1 if out of memory.
 */
static int merge_word(trainer *t, uint32_t w, int32_t a, int32_t b, int32_t c)
{
    train_word *wd = &t->words[w];
    int32_t *s = t->sym + wd->off;
    int64_t cnt = wd->count;
    uint32_t n = wd->len, o = 0;
    for (uint32_t i = 0; i < n;) {
        if (i + 1 < n && s[i] == a && s[i + 1] == b) {
            /* s[o - 1] is the already rewritten left neighbour (possibly c itself) */
            if (o > 0) {
                pair_dec(t, s[o - 1], a, cnt);
                if (pair_inc(t, s[o - 1], c, cnt, w) != 0) return -1;
            }
            if (i + 2 < n) {
                pair_dec(t, b, s[i + 2], cnt);
                if (pair_inc(t, c, s[i + 2], cnt, w) != 0) return -1;
            }
            s[o++] = c;
            i += 2;
        } else {
            s[o++] = s[i++];
        }
    }
    wd->len = o;
    return 0;
}

/* Merges the best pair until the vocabulary is full or no pair reaches min_count. 0, or -1 if
 * out of memory. */
static int merge_all(trainer *t)
{
    char buf[TC_VOCAB_MAX_TOKEN];
    while (t->n_tok < (size_t)t->vocab_size && t->heap_len > 0) {
        heap_entry e = heap_pop(t);
        uint32_t pi = pair_find(t, e.key);
        pair_rec *p = pair_at(t, pi);
        int64_t now = p->count;
        if (now != e.count) {
            if (now < e.count && now >= t->min_count && heap_push(t, now, e.key) != 0) return -1;
            continue;
        }
        int32_t a = (int32_t)(e.key >> 32), b = (int32_t)(uint32_t)e.key, c;
        size_t la = t->tok[a].len, lb = t->tok[b].len - t->plen;
        memcpy(buf, tok_str(t, a), la);
        memcpy(buf + la, tok_str(t, b) + t->plen, lb);
        if (tok_intern(t, buf, la + lb, &c) != 0) return -1;

        /* take the word list out of the pair: the pair's occurrences all go now, and should
         * later merges ever form it again, it starts a new list */
        uint32_t n = p->n, small[2] = {p->w.small[0], p->w.small[1]};
        uint32_t *list = p->cap > 2 ? p->w.big : small;
        p->n = 0;
        p->cap = 2;
        int r = 0;
        for (uint32_t i = 0; i < n && r == 0; i++) r = merge_word(t, list[i], a, b, c);
        if (list != small) free(list);
        if (r != 0) return -1;
        p->count = 0;
        if (push_touched(t) != 0) return -1;
    }
    return 0;
}

/* ---- the entry point ---------------------------------------------------------------------- */

/* Checks the options; TC_OK or TC_ERR_ARG. */
static tc_status check_options(const tc_wp_options *o, tc_error *err)
{
    if (o->n_specials < 0 || (o->n_specials > 0 && !o->specials))
        return tc_fail(err, TC_ERR_ARG, NULL, NULL, "bad list of special tokens");
    if (o->vocab_size < 1 || o->vocab_size > TC_VOCAB_MAX_SIZE || o->vocab_size < o->n_specials)
        return tc_fail(err, TC_ERR_ARG, NULL, NULL,
                       "vocabulary size %ld out of range (%d special tokens, at most %d)",
                       (long)o->vocab_size, o->n_specials, TC_VOCAB_MAX_SIZE);
    if (o->max_word_chars < 1 || o->max_word_chars > TC_WP_MAX_WORD_CHARS)
        return tc_fail(err, TC_ERR_ARG, NULL, NULL, "max_word_chars %d out of range (1..%d)",
                       o->max_word_chars, TC_WP_MAX_WORD_CHARS);
    if (!o->prefix) return tc_fail(err, TC_ERR_ARG, NULL, NULL, "no continuation prefix");
    const char *why = token_problem(o->prefix, strlen(o->prefix), 0, TC_VOCAB_MAX_TOKEN - 4);
    if (why) return tc_fail(err, TC_ERR_ARG, NULL, NULL, "continuation prefix %s", why);
    for (int i = 0; i < o->n_specials; i++) {
        const char *s = o->specials[i];
        if (!s) return tc_fail(err, TC_ERR_ARG, NULL, NULL, "special token %d is NULL", i);
        why = token_problem(s, strlen(s), 1, TC_VOCAB_MAX_TOKEN);
        if (why) return tc_fail(err, TC_ERR_ARG, NULL, NULL, "special token %d %s", i, why);
        for (int j = 0; j < i; j++)
            if (strcmp(o->specials[j], s) == 0)
                return tc_fail(err, TC_ERR_ARG, NULL, NULL, "special token \"%.64s\" repeated",
                               s);
    }
    return TC_OK;
}

/* Copies the vocabulary out as the array tc_wp_train returns. 0, or -1 if out of memory. */
static int export_tokens(const trainer *t, char ***tokens, int32_t *count)
{
    char **out = malloc((t->n_tok ? t->n_tok : 1) * sizeof *out);
    if (!out) return -1;
    for (size_t i = 0; i < t->n_tok; i++) {
        out[i] = malloc(t->tok[i].len + 1);
        if (!out[i]) {
            tc_wp_tokens_free(out, (int32_t)i);
            return -1;
        }
        memcpy(out[i], tok_str(t, (int32_t)i), t->tok[i].len + 1);
    }
    *tokens = out;
    *count = (int32_t)t->n_tok;
    return 0;
}

tc_status tc_wp_train(const tc_wp_counter *c, const tc_wp_options *o, char ***tokens,
                      int32_t *count, tc_error *err)
{
    *tokens = NULL;
    *count = 0;
    tc_status s = check_options(o, err);
    if (s != TC_OK) return s;

    trainer t;
    memset(&t, 0, sizeof t);
    t.prefix = o->prefix;
    t.plen = strlen(o->prefix);
    t.min_count = o->min_count < 1 ? 1 : o->min_count;
    t.vocab_size = o->vocab_size;
    t.tok_mask = t.char_mask = 1023;
    t.tok_table = new_table(t.tok_mask + 1);
    t.char_table = new_table(t.char_mask + 1);
    int r = !t.tok_table || !t.char_table ? -1 : 0;

    for (int i = 0; i < o->n_specials && r == 0; i++) {
        int32_t id;
        r = tok_intern(&t, o->specials[i], strlen(o->specials[i]), &id);
    }
    size_t n_words = 0, n_syms = 0;
    if (r == 0) r = collect_chars(&t, c, o->max_word_chars, &n_words, &n_syms);
    if (r == 0) r = add_chars(&t);
    /* characters that did not fit mean the vocabulary is full: nothing to merge */
    if (r == 0 && t.n_tok < (size_t)t.vocab_size) {
        r = load_words(&t, c, o->max_word_chars, n_words, n_syms);
        if (r == 0) r = merge_all(&t);
    }
    if (r == 0) r = export_tokens(&t, tokens, count);
    trainer_free(&t);
    return r == 0 ? TC_OK : tc_fail_nomem(err, NULL);
}

void tc_wp_tokens_free(char **tokens, int32_t count)
{
    if (!tokens) return;
    for (int32_t i = 0; i < count; i++) free(tokens[i]);
    free(tokens);
}
