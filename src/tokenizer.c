/*
 * tokenizer.c - splitting normalised text into words and words into WordPiece ids.
 *
 * Long documents are processed in chunks of about CHUNK_BYTES, cut where the tokens cannot change
 * (chunk_end): so the work and the memory follow what the result needs (we stop as soon as
 * max_len tokens are known, and whether the run of text they end in is a link: links.h), not
 * the length of the document or of its longest line without spaces. Chunking gives the same
 * tokens and counts as processing the whole text (tests/tokenizer checks it with chunks of one
 * byte).
 */
#include "tokenizer.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "error.h"
#include "fnv.h"
#include "utf8.h"

#define CHUNK_BYTES 8192   /* the chunk size of tc_tok_scratch_init */

typedef enum { CH_SPACE, CH_PUNCT, CH_SPLIT, CH_WORD } char_class;

static int in_script(int32_t c, unsigned scripts)
{
    if ((scripts & TC_SCRIPT_HAN) &&
        ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F)))
        return 1;
    if ((scripts & TC_SCRIPT_KANA) &&
        ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
         (c >= 0xFF65 && c <= 0xFF9F) || (c >= 0x1B000 && c <= 0x1B16F)))
        return 1;
    if ((scripts & TC_SCRIPT_THAI) && c >= 0x0E00 && c <= 0x0E7F) return 1;
    if ((scripts & TC_SCRIPT_LAO) && c >= 0x0E80 && c <= 0x0EFF) return 1;
    if ((scripts & TC_SCRIPT_KHMER) &&
        ((c >= 0x1780 && c <= 0x17FF) || (c >= 0x19E0 && c <= 0x19FF)))
        return 1;
    if ((scripts & TC_SCRIPT_MYANMAR) && c >= 0x1000 && c <= 0x109F) return 1;
    return 0;
}

static char_class classify_char(const tc_tokenizer *t, int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    if (t->norm.pretok == TC_PRETOK_UNICODE) {
        switch (cat) {
        case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        case UTF8PROC_CATEGORY_CC:
            return CH_SPACE;
        case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
        case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
        case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC:
        case UTF8PROC_CATEGORY_SK: case UTF8PROC_CATEGORY_SO:
            return CH_PUNCT;
        default:
            break;
        }
    } else {
        /* BERT cleans \t\n\r and Zs to spaces, and its final str.split() also splits on
         * U+2028/U+2029 (Zl, Zp); other whitespace controls were removed by the cleaning */
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || cat == UTF8PROC_CATEGORY_ZS ||
            cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP)
            return CH_SPACE;
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
            (c >= 123 && c <= 126))
            return CH_PUNCT;
        if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) return CH_PUNCT;
    }
    return in_script(c, t->scripts) ? CH_SPLIT : CH_WORD;
}

tc_status tc_tok_scratch_init(tc_tok_scratch *s, const tc_tokenizer *t, int max_len,
                              tc_error *err)
{
    memset(s, 0, sizeof *s);
    s->char_off = malloc(((size_t)t->max_word_chars + 1) * sizeof *s->char_off);
    s->ids = malloc(((size_t)max_len + 1) * sizeof *s->ids);
    if (t->ngram_buckets)
        s->piece_end = malloc(((size_t)t->max_word_chars + 1) * sizeof *s->piece_end);
    s->chunk_bytes = CHUNK_BYTES;
    if (!s->char_off || !s->ids || (t->ngram_buckets && !s->piece_end)) {
        tc_tok_scratch_free(s);
        return tc_fail_nomem(err, NULL);
    }
    /* most text is mostly ASCII: its classes once, instead of a utf8proc lookup per character */
    for (int32_t c = 0; c < 128; c++) s->ascii_class[c] = (unsigned char)classify_char(t, c);
    return TC_OK;
}

void tc_tok_scratch_free(tc_tok_scratch *s)
{
    tc_buf_free(&s->repaired);
    tc_cpbuf_free(&s->cps);
    tc_cpbuf_free(&s->carry);
    tc_norm_scratch_free(&s->norm);
    tc_buf_free(&s->word);
    free(s->char_off);
    free(s->piece_end);
    free(s->ids);
    memset(s, 0, sizeof *s);
}

void tc_tokenizer_free(tc_tokenizer *t)
{
    free(t->unk_token);
    free(t->prefix);
    memset(t, 0, sizeof *t);
}

/* Output state of one document. */
typedef struct {
    int32_t *ids;
    int64_t n;        /* ids written */
    int64_t limit;    /* max_len + 1: one past max_len tells us the text was truncated */
} id_sink;

static void emit(id_sink *o, int32_t id)
{
    if (o->n < o->limit) o->ids[o->n++] = id;
}

/* WordPiece on cps[0..n) (one word). Returns 1 when the word became one unk_token (too long
 * or uncoverable), 0 when it became pieces (with n-grams, s->piece_end[k] is where piece k
 * ends), -1 when out of memory. */
static int wordpiece(const tc_tokenizer *t, const tc_vocab *v, tc_tok_scratch *s,
                     const int32_t *cps, size_t n, id_sink *o)
{
    if (n > (size_t)t->max_word_chars) {
        emit(o, t->unk_id);
        return 1;
    }
    tc_buf *w = &s->word;
    tc_buf_reset(w);
    if (tc_buf_reserve(w, n * 4) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        s->char_off[i] = w->len;
        w->len += (size_t)utf8proc_encode_char(cps[i], (utf8proc_uint8_t *)w->data + w->len);
    }
    s->char_off[n] = w->len;

    int64_t mark = o->n;   /* pieces are dropped again if the word cannot be covered */
    size_t start = 0, pieces = 0;
    while (start < n) {
        int32_t id = -1;
        size_t end = n;
        const char *pre = start ? t->prefix : "";
        size_t plen = start ? t->prefix_len : 0;
        for (; end > start; end--) {
            size_t b = s->char_off[start], e = s->char_off[end];
            id = tc_vocab_find(v, pre, plen, w->data + b, e - b);
            if (id >= 0) break;
        }
        if (id < 0) {
            o->n = mark;
            emit(o, t->unk_id);
            return 1;
        }
        emit(o, id);
        if (s->ng.fn) s->piece_end[pieces++] = end;
        start = end;
    }
    return 0;
}

/* --- character n-grams (docs/model-format.md, "Character n-grams") ---------------------------
 * A token's n-gram string g goes through s->ng one code point at a time (ngram_feed): once
 * ngram_max code points from start i are known, the n-grams starting at i are made, n ascending;
 * ngram_end makes those of the last starts. So the list comes out in its order (i ascending, then
 * n) whatever the length of g, with a window of TC_NGRAM_MAX_LEN code points. */

/* The n-grams of g[i .. i+n), n = ngram_min .. min(ngram_max, fed - i), of s->ng's token. */
static int ngram_start(const tc_tokenizer *t, tc_tok_scratch *s, int64_t i)
{
    tc_ngram_stream *g = &s->ng;
    int64_t room = g->fed - i;
    int top = room < t->ngram_max ? (int)room : t->ngram_max;
    uint32_t h = TC_FNV32_OFFSET;
    for (int k = 0; k < top; k++) {
        int32_t c = g->win[(i + k) % TC_NGRAM_MAX_LEN];
        utf8proc_uint8_t u[4];
        h = tc_fnv1a32(h, u, (size_t)utf8proc_encode_char(c, u));
        if (k + 1 < t->ngram_min || (k == 0 && (c == '<' || c == '>'))) continue;
        if (g->fn(g->ctx, g->token, h % t->ngram_buckets) != 0) return -1;
    }
    return 0;
}

static int ngram_feed(const tc_tokenizer *t, tc_tok_scratch *s, int32_t c)
{
    tc_ngram_stream *g = &s->ng;
    g->win[g->fed % TC_NGRAM_MAX_LEN] = c;
    g->fed++;
    return g->fed >= t->ngram_max ? ngram_start(t, s, g->fed - t->ngram_max) : 0;
}

static int ngram_feed_all(const tc_tokenizer *t, tc_tok_scratch *s, const int32_t *cps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ngram_feed(t, s, cps[i]) != 0) return -1;
    return 0;
}

/* Starts token's g: "<" when it starts its word. */
static int ngram_begin(const tc_tokenizer *t, tc_tok_scratch *s, int64_t token, int word_start)
{
    s->ng.token = token;
    s->ng.fed = 0;
    return word_start ? ngram_feed(t, s, '<') : 0;
}

/* Ends the g being made (">" when its token ends its word): the n-grams of its last starts. */
static int ngram_end(const tc_tokenizer *t, tc_tok_scratch *s, int word_end)
{
    tc_ngram_stream *g = &s->ng;
    if (word_end && ngram_feed(t, s, '>') != 0) return -1;
    int64_t i = g->fed >= t->ngram_max ? g->fed - t->ngram_max + 1 : 0;
    for (; i < g->fed; i++)
        if (ngram_start(t, s, i) != 0) return -1;
    g->active = 0;
    return 0;
}

/* The n-gram lists of a word's tokens ids[first ..) among the first max_len: word[0..n) after
 * wordpiece (unk 1: one unk_token covering it all, else s->piece_end). A long word that
 * keep_carry already fed in part (s->ng.active) goes on from there: it is the carry's start. */
static int word_ngrams(const tc_tokenizer *t, tc_tok_scratch *s, const int32_t *word, size_t n,
                       int64_t first, int64_t end, int unk)
{
    tc_ngram_stream *g = &s->ng;
    if (unk) {
        size_t from = 0;
        if (g->active && word == s->carry.data && g->token == first && g->unfed <= n) {
            from = g->unfed;
        } else if (ngram_begin(t, s, first, 1) != 0) {
            return -1;
        }
        g->active = 0;
        return ngram_feed_all(t, s, word + from, n - from) || ngram_end(t, s, 1) ? -1 : 0;
    }
    g->active = 0;
    for (int64_t k = 0; first + k < end; k++) {
        size_t a = k ? s->piece_end[k - 1] : 0, b = s->piece_end[k];
        if (g->known) {
            int r = g->known(g->ctx, first + k, s->ids[first + k], a == 0, b == n);
            if (r < 0) return -1;
            if (r) continue;
        }
        if (ngram_begin(t, s, first + k, a == 0) != 0 || ngram_feed_all(t, s, word + a, b - a) ||
            ngram_end(t, s, b == n))
            return -1;
    }
    return 0;
}

/* The class of code point c (without the word_apostrophes rule). */
static char_class class_of(const tc_tokenizer *t, const tc_tok_scratch *s, int32_t c)
{
    return c >= 0 && c < 128 ? (char_class)s->ascii_class[c] : classify_char(t, c);
}

/* 1 if c is a letter: Unicode general category L (Lu, Ll, Lt, Lm, Lo). */
static int is_letter(int32_t c)
{
    if (c < 128) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

/* The index of the first letter of cps[0..n), or n if it has none. */
static size_t find_letter(const int32_t *cps, size_t n)
{
    size_t i = 0;
    while (i < n && !is_letter(cps[i])) i++;
    return i;
}

/* U+0027 APOSTROPHE, U+2019 RIGHT SINGLE QUOTATION MARK, U+02BC MODIFIER LETTER APOSTROPHE */
static int is_apostrophe(int32_t c)
{
    return c == 0x27 || c == 0x2019 || c == 0x2BC;
}

/* Gives code point c, of class k, to the runs of s->links (docs/model-format.md, "abstain"): a
 * space or a split-script character ends a run. */
static void links_feed(tc_tok_scratch *s, char_class k, int32_t c)
{
    if (k == CH_SPACE || k == CH_SPLIT) tc_links_cut(&s->links);
    else tc_links_char(&s->links, c);
}

/*
 * Splits normalised code points into words (step 5) and calls fn(ctx, word, length) on each, in
 * order, until fn returns non-zero (which is returned). cps[0..n) is the text of a document up to
 * some point; when final is 0 the document goes on after it, so the words that may continue there
 * are not reported: *rest receives where they start (n if none), for the next call to begin with.
 * Each code point from cps[fed] on goes to s->links before the word it ends is reported (the
 * ones before were, by the call that left them); when fn stops the split, *rest receives where
 * the code points not given yet begin.
 */
static int split_words(const tc_tokenizer *t, tc_tok_scratch *s, const int32_t *cps, size_t n,
                       size_t fed, int final, size_t *rest,
                       int (*fn)(void *ctx, const int32_t *word, size_t len), void *ctx)
{
    size_t word = 0;   /* start of the current run of word characters */
    *rest = n;
    for (size_t i = 0; i <= n; i++) {
        if (i == n && !final) {   /* the run at the end may go on */
            *rest = word;
            return 0;
        }
        char_class k = CH_SPACE;   /* after the text's last code point, the last word ends */
        if (i < n) {
            k = class_of(t, s, cps[i]);
            if (i >= fed) links_feed(s, k, cps[i]);
        }
        /* word_apostrophes: an apostrophe whose neighbours (by their own class) are both word
         * characters is one too; at the end of a text that goes on, that is not known yet */
        if (k != CH_WORD && t->word_apostrophes && i > 0 && i < n && is_apostrophe(cps[i]) &&
            class_of(t, s, cps[i - 1]) == CH_WORD) {
            if (i + 1 == n && !final) {
                *rest = word;
                return 0;
            }
            if (i + 1 < n && class_of(t, s, cps[i + 1]) == CH_WORD) k = CH_WORD;
        }
        if (k == CH_WORD) continue;
        int r = 0;
        if (i > word) r = fn(ctx, cps + word, i - word);
        if (!r && (k == CH_PUNCT || k == CH_SPLIT)) r = fn(ctx, cps + i, 1);
        if (r) {
            *rest = i < fed ? fed : i < n ? i + 1 : n;
            return r;
        }
        word = i + 1;
    }
    return 0;
}

/*
 * Makes src[0..n), what split_words left for the next chunk (a word, perhaps with an apostrophe
 * after it), the contents of s->carry; src may lie in s->carry. A word longer than max_word_chars
 * is one [UNK] whatever its length, so a long one keeps only its first max_word_chars + 1 code
 * points (enough for that, and for what explain shows of it), one letter of the rest if those
 * have none (whether the word has a letter is counted: tc_doc_info.letter_words), and its last
 * word character and apostrophe (what step 5 looks at next): the carry stays small however long
 * the word.
 */
static int keep_carry(const tc_tokenizer *t, tc_tok_scratch *s, const int32_t *src, size_t n)
{
    tc_cpbuf *c = &s->carry;
    size_t head = n, tail = 0, letter = 0;   /* letter: 1 to keep src[at] after the head */
    int shortened = 0;
    size_t at = 0;
    size_t end_apostrophe = t->word_apostrophes && n >= 2 && is_apostrophe(src[n - 1]) &&
                            class_of(t, s, src[n - 1]) != CH_WORD;
    if (n > (size_t)t->max_word_chars + 2 + end_apostrophe) {
        shortened = 1;
        head = (size_t)t->max_word_chars + 1;
        tail = 1 + end_apostrophe;
        /* a letter in the middle, which is dropped, when the head and tail have none (the
         * middle is all word characters, so the letter changes nothing else) */
        if (find_letter(src, head) == head && find_letter(src + n - tail, tail) == tail) {
            at = head + find_letter(src + head, n - tail - head);
            letter = at < n - tail;
        }
    }
    /* n-grams: the word will be one unk_token covering all of it, and its middle is dropped
     * now: feed the word's g up to the tail, which is kept (what follows it is not known yet) */
    tc_ngram_stream *g = &s->ng;
    if (shortened && g->fn && g->next_token < g->max_len) {
        size_t from = g->active ? g->unfed : 0;
        if (!g->active && ngram_begin(t, s, g->next_token, 1) != 0) return -1;
        if (ngram_feed_all(t, s, src + from, n - tail - from) != 0) return -1;
        g->active = 1;
        g->unfed = head + letter;
    }
    c->len = 0;
    if (n == 0) return 0;
    if (tc_cpbuf_reserve(c, head + letter + tail) != 0) return -1;
    int32_t kept = letter ? src[at] : 0;
    memmove(c->data, src, head * sizeof *src);
    memmove(c->data + head + letter, src + n - tail, tail * sizeof *src);
    if (letter) c->data[head] = kept;
    c->len = head + letter + tail;
    return 0;
}

/* split_words callback of tokenisation: WordPiece into the id sink; stops when it is full. */
typedef struct {
    const tc_tokenizer *t;
    const tc_vocab *v;
    tc_tok_scratch *s;
    id_sink *o;
    tc_word_fn fn;        /* tc_tokenize_words' callback, or NULL */
    void *fn_ctx;
    int64_t max_len;
} wp_ctx;

static int wordpiece_cb(void *ctx, const int32_t *word, size_t len)
{
    wp_ctx *w = ctx;
    int64_t first = w->o->n;
    int unk = wordpiece(w->t, w->v, w->s, word, len, w->o);
    if (unk < 0) return -1;
    if (w->s->ng.fn) {
        int64_t end = w->o->n < w->max_len ? w->o->n : w->max_len;
        if (first < end && word_ngrams(w->t, w->s, word, len, first, end, unk) != 0) return -1;
        w->s->ng.active = 0;
        w->s->ng.next_token = w->o->n;
    }
    /* tc_doc_info's counts, over the words whose first id is used (and outside links: the
     * word's run decides; a split-script character is in none). The ids sink holds one id past
     * max_len, so a word cut by truncation after its first id still shows two: n - first == 1
     * is WordPiece's whole result */
    if (first < w->max_len && find_letter(word, len) < len)
        tc_links_word(&w->s->links, len > 1 || class_of(w->t, w->s, word[0]) != CH_SPLIT, 1,
                      w->o->n - first == 1 && w->o->ids[first] == w->t->unk_id);
    return w->o->n >= w->o->limit ? 1 : 0;
}

/* The same, also reporting the word and its ids to w->fn (the one-past-max_len id that only
 * detects truncation is not the word's). */
static int word_cb(void *ctx, const int32_t *word, size_t len)
{
    wp_ctx *w = ctx;
    int64_t first = w->o->n;
    int r = wordpiece_cb(ctx, word, len);
    if (r < 0) return r;
    int64_t end = w->o->n < w->max_len ? w->o->n : w->max_len;
    if (first < end) {
        int f = w->fn(w->fn_ctx, word, len, first, end - first);
        if (f) return f < 0 ? -1 : 1;
    }
    return r;
}

static int is_ascii_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Where the stream-safe state is known to be 0 at or before want (from < want): just after the
 * last code point that resets it (tc_stream_safe_resets) in the 64 bytes before want, else from,
 * the chunk's start. Ordinary text has one a few bytes back; in a long run of marks there is
 * none, and looking further back would only double the walk from the chunk's start. */
static size_t reset_point(const tc_tokenizer *t, const char *text, size_t len, size_t from,
                          size_t want)
{
    const unsigned char *u = (const unsigned char *)text;
    for (size_t end = want; end > from && want - end < 64;) {
        size_t q = end - 1;   /* the last byte of a code point, if one ends at `end` */
        while (q > from && end - q < 4 && (u[q] & 0xC0) == 0x80) q--;
        int32_t c;
        if (tc_utf8_next(u + q, len - q, &c) == end - q && (c != 0xFFFD || u[q] == 0xEF) &&
            tc_stream_safe_resets(&t->norm, c))   /* a well-formed code point, ending at end */
            return end;
        end = q;
    }
    return from;
}

/*
 * Where the chunk starting at text[from] ends when no ASCII whitespace comes soon after
 * text[want] (want > from): at the first code point at or after want where the text may be cut
 * without changing its tokens (the word there goes on in the next chunk: split_words keeps it):
 * after ASCII whitespace, where a stream-safe segment ends (a long run of marks), or before a
 * code point that tc_norm_cut_before allows; the end of the text if there is none.
 */
static size_t cut_point(const tc_tokenizer *t, const char *text, size_t len, size_t from,
                        size_t want)
{
    const tc_norm_config *cfg = &t->norm;
    tc_stream_safe ss = {0};   /* as tc_normalize will follow it from the chunk's start */
    for (size_t i = reset_point(t, text, len, from, want); i < len;) {
        int32_t c;   /* U+FFFD for an ill-formed sequence, as in the repaired chunk */
        size_t k = tc_utf8_next((const unsigned char *)text + i, len - i, &c);
        int segment_ends = tc_stream_safe_feed(&ss, cfg, c);
        if (i >= want &&
            (is_ascii_space(text[i - 1]) || segment_ends || tc_norm_cut_before(cfg, c)))
            return i;
        i += k;
    }
    return len;
}

/* End of the chunk starting at text[from]: the whole text when it is short; else just after an
 * ASCII whitespace byte found within chunk/8 bytes after text[from + chunk] (such a byte is a
 * separator in every mode and no normalisation context crosses it), else cut_point's. So a
 * chunk holds at most about chunk bytes, unless the text holds no place to cut. */
static size_t chunk_end(const tc_tokenizer *t, const char *text, size_t len, size_t from,
                        size_t chunk)
{
    if (len - from <= chunk) return len;
    size_t want = from + chunk, window = chunk / 8;
    size_t lim = len - want > window ? want + window : len;
    for (size_t i = want; i < lim; i++)
        if (is_ascii_space(text[i])) return i + 1;
    if (lim == len) return len;
    return cut_point(t, text, len, from, want);
}

/* Steps 1-4 on the chunk text[from..to): its code points into s->cps. 0, or -1 when out of
 * memory. */
static int normalize_chunk(const tc_tokenizer *t, tc_tok_scratch *s, const char *text, size_t len,
                           size_t from, size_t to, tc_norm_context *nc)
{
    int64_t replaced = 0, ignore = -1;
    tc_buf_reset(&s->repaired);
    nc->after = text + to;
    nc->after_len = len - to;
    if (tc_utf8_repair(text + from, to - from, &s->repaired, &replaced, &ignore, 0) != 0 ||
        tc_normalize(&t->norm, s->repaired.data, s->repaired.len, &s->cps, &s->norm, nc) != 0)
        return -1;
    return 0;
}

/*
 * After the words stopped (at max_len tokens): the run being read goes on in cps[0..n), the
 * rest of the chunk that ends at text[from], and the chunks after it; they go to s->links until
 * the run ends, or it is known to be a link, or the text ends (tc_links_undecided): a link's
 * words do not count, however late in its run it shows. 0, or -1 when out of memory.
 */
static int finish_run(const tc_tokenizer *t, tc_tok_scratch *s, const char *text, size_t len,
                      size_t from, const int32_t *cps, size_t n, tc_norm_context *nc)
{
    for (;;) {
        for (size_t i = 0; i < n && tc_links_undecided(&s->links); i++)
            links_feed(s, class_of(t, s, cps[i]), cps[i]);
        if (!tc_links_undecided(&s->links) || from == len) return 0;
        size_t to = chunk_end(t, text, len, from, s->chunk_bytes);
        if (normalize_chunk(t, s, text, len, from, to, nc) != 0) return -1;
        cps = s->cps.data;
        n = s->cps.len;
        from = to;
    }
}

/*
 * Steps 1-5 over text[0..len), chunk by chunk: calls fn(ctx, word, length) on each word, in
 * order, until fn returns non-zero (which is returned); -1 when out of memory. A word may span
 * chunks: split_words leaves it for the next one, which s->carry brings it to. s->links follows
 * the runs (tc_links_end is the caller's).
 */
static int for_each_word(const tc_tokenizer *t, tc_tok_scratch *s, const char *text, size_t len,
                         int (*fn)(void *ctx, const int32_t *word, size_t len), void *ctx)
{
    tc_norm_context nc = {0, NULL, 0};
    s->carry.len = 0;
    s->ng.active = 0;
    s->ng.next_token = 0;
    tc_links_reset(&s->links);
    for (size_t from = 0; from < len;) {
        size_t to = chunk_end(t, text, len, from, s->chunk_bytes);
        if (normalize_chunk(t, s, text, len, from, to, &nc) != 0) return -1;
        const tc_cpbuf *w = &s->cps;
        size_t fed = s->carry.len;   /* the carry went to s->links with its chunk */
        if (s->carry.len) {   /* the word the last chunk ended with goes on here */
            if (tc_cpbuf_reserve(&s->carry, s->carry.len + s->cps.len) != 0) return -1;
            if (s->cps.len)
                memcpy(s->carry.data + s->carry.len, s->cps.data, s->cps.len * sizeof *s->cps.data);
            s->carry.len += s->cps.len;
            w = &s->carry;
        }
        size_t rest;
        int r = split_words(t, s, w->data, w->len, fed, to == len, &rest, fn, ctx);
        if (r > 0 && finish_run(t, s, text, len, to, w->data + rest, w->len - rest, &nc) != 0)
            return -1;
        if (r) return r;
        if (keep_carry(t, s, w->data + rest, w->len - rest) != 0) return -1;
        from = to;
    }
    return 0;
}

tc_status tc_tokenize_ids(const tc_tokenizer *t, const tc_vocab *v, int max_len,
                          tc_tok_scratch *s, const char *text, size_t len, int strict,
                          int64_t *count, tc_doc_info *info, tc_error *err)
{
    return tc_tokenize_words(t, v, max_len, s, text, len, strict, NULL, NULL, count, info, err);
}

tc_status tc_tokenize_words(const tc_tokenizer *t, const tc_vocab *v, int max_len,
                            tc_tok_scratch *s, const char *text, size_t len, int strict,
                            tc_word_fn fn, void *fn_ctx, int64_t *count, tc_doc_info *info,
                            tc_error *err)
{
    return tc_tokenize_ngrams(t, v, max_len, s, text, len, strict, fn, fn_ctx, NULL, NULL, NULL,
                              count, info, err);
}

tc_status tc_tokenize_ngrams(const tc_tokenizer *t, const tc_vocab *v, int max_len,
                             tc_tok_scratch *s, const char *text, size_t len, int strict,
                             tc_word_fn fn, void *fn_ctx, tc_ngram_fn ngram,
                             tc_ngram_known_fn known, void *ngram_ctx, int64_t *count,
                             tc_doc_info *info, tc_error *err)
{
    int64_t first_bad = -1;
    int64_t bad = tc_utf8_count_invalid(text, len, &first_bad, 0);
    if (info) {
        info->invalid_utf8 = bad;
        info->invalid_offset = first_bad;
        info->tokens = 0;
        info->truncated = 0;
        info->letter_words = 0;
        info->unknown_words = 0;
        info->abstain = TC_ABSTAIN_NONE;
    }
    if (bad && strict)
        return tc_fail(err, TC_ERR_INPUT, NULL, NULL, "invalid UTF-8 at byte %lld",
                       (long long)first_bad);

    id_sink o = {s->ids, 0, (int64_t)max_len + 1};
    wp_ctx w = {t, v, s, &o, fn, fn_ctx, max_len};
    s->ng.fn = t->ngram_buckets && s->piece_end ? ngram : NULL;
    s->ng.known = known;
    s->ng.ctx = ngram_ctx;
    s->ng.max_len = max_len;
    int r = for_each_word(t, s, text, len, fn ? word_cb : wordpiece_cb, &w);
    s->ng.fn = NULL;
    if (r < 0) return tc_fail_nomem(err, NULL);
    tc_links_end(&s->links);
    int truncated = o.n > max_len;
    if (truncated) o.n = max_len;
    *count = o.n;
    if (info) {
        info->tokens = o.n;
        info->truncated = truncated;
        info->letter_words = s->links.letter_words;
        info->unknown_words = s->links.unknown_words;
    }
    return TC_OK;
}

tc_status tc_pretokenize(const tc_tokenizer *t, tc_tok_scratch *s, const char *text, size_t len,
                         int (*fn)(void *ctx, const int32_t *word, size_t len), void *ctx,
                         tc_error *err)
{
    s->ng.fn = NULL;
    return for_each_word(t, s, text, len, fn, ctx) < 0 ? tc_fail_nomem(err, NULL) : TC_OK;
}
