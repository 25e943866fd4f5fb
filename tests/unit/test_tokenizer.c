/*
 * Tokenizer: normalisation, splitting, WordPiece, truncation, invalid UTF-8, chunking, the
 * counts of the abstain rule around links.
 * (The exhaustive per-code-point comparison with the Python reference is tests/tokenizer/.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "test.h"
#include "tokenizer.h"

void test_tokenizer(void);

typedef struct {
    tc_tokenizer tok;
    tc_vocab vocab;
    tc_tok_scratch scratch;
    int max_len;
} fixture;

static void setup(fixture *f, const char *const *toks, int n, int bert, int max_len)
{
    memset(f, 0, sizeof *f);
    CHECK(tc_vocab_init(&f->vocab, n, NULL) == TC_OK);
    for (int i = 0; i < n; i++) CHECK(tc_vocab_add(&f->vocab, toks[i], strlen(toks[i])) == 0);
    int32_t a, b;
    CHECK(tc_vocab_build_index(&f->vocab, &a, &b) == 0);
    tc_tokenizer *t = &f->tok;
    if (bert) {
        t->norm = (tc_norm_config){TC_NORM_NONE, TC_CASE_LOWER, TC_PRETOK_BERT, 1};
        t->scripts = TC_SCRIPT_HAN;
    } else {
        t->norm = (tc_norm_config){TC_NORM_NFKC, TC_CASE_FOLD, TC_PRETOK_UNICODE, 0};
        t->scripts = TC_SCRIPT_HAN | TC_SCRIPT_KANA | TC_SCRIPT_THAI;
    }
    t->unk_token = strdup("[UNK]");
    t->prefix = strdup("##");
    t->prefix_len = 2;
    t->max_word_chars = 100;
    t->unk_id = tc_vocab_find(&f->vocab, "", 0, "[UNK]", 5);
    f->max_len = max_len;
    CHECK(tc_tok_scratch_init(&f->scratch, t, max_len, NULL) == TC_OK);
}

static void teardown(fixture *f)
{
    tc_tok_scratch_free(&f->scratch);
    tc_tokenizer_free(&f->tok);
    tc_vocab_free(&f->vocab);
}

/* Tokens of text[0..len) joined by spaces (static buffer). */
static const char *tok_n(fixture *f, const char *text, size_t len, tc_doc_info *info)
{
    static char out[65536];
    int64_t n = 0;
    tc_doc_info dummy;
    tc_status s = tc_tokenize_ids(&f->tok, &f->vocab, f->max_len, &f->scratch, text, len, 0, &n,
                                  info ? info : &dummy, NULL);
    CHECK(s == TC_OK);
    size_t o = 0;
    out[0] = '\0';
    for (int64_t i = 0; i < n && o + 64 < sizeof out; i++) {
        const char *t = tc_vocab_token(&f->vocab, f->scratch.ids[i]);
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? " " : "", t);
    }
    return out;
}

static const char *tok(fixture *f, const char *text)
{
    return tok_n(f, text, strlen(text), NULL);
}

static void test_bert_examples(void)
{
    /* BERT's own WordPiece test vocabulary and expectations */
    static const char *const v[] = {"[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa",
                                    "un", "runn", "##ing", "hello", "!", "how", "are", "you", "?",
                                    "\xE5\x8D\x9A", "\xE6\x8E\xA8", "ah", "zz", "οδος", "i"};
    fixture f;
    setup(&f, v, (int)(sizeof v / sizeof v[0]), 1, 512);
    CHECK_STR(tok(&f, ""), "");
    CHECK_STR(tok(&f, "unwanted running"), "un ##want ##ed runn ##ing");
    CHECK_STR(tok(&f, "unwantedX running"), "[UNK] runn ##ing");
    CHECK_STR(tok(&f, " \tHeLLo!how  \n Are yoU?  "), "hello ! how are you ?");
    CHECK_STR(tok(&f, "H\xC3\xA9llo"), "hello");                          /* accent stripped */
    CHECK_STR(tok(&f, "ah\xE5\x8D\x9A\xE6\x8E\xA8zz"), "ah \xE5\x8D\x9A \xE6\x8E\xA8 zz");
    CHECK_STR(tok(&f, "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3"), "οδος");        /* ΟΔΟΣ: final sigma */
    CHECK_STR(tok(&f, "\xC4\xB0"), "i"); /* İ -> i + U+0307 -> i */
    CHECK_STR(tok(&f, "hello\xEF\xBF\xBD"
                      "you"),
              "[UNK]"); /* U+FFFD removed: "helloyou" */
    teardown(&f);
}

static void test_default_settings(void)
{
    static const char *const v[] = {"[UNK]", "hello", ",", "world", "!", "abc", "fi", "prefix",
                                    "中", "文", "カ", "タ", "ナ", "a", "b", "\xF0\x9F\x98\x80",
                                    "ss", "stra", "##sse", "e\xCC\x81", "\xC3\xA9t\xC3\xA9"};
    fixture f;
    setup(&f, v, (int)(sizeof v / sizeof v[0]), 0, 512);
    CHECK_STR(tok(&f, "Hello, WORLD!"), "hello , world !");
    CHECK_STR(tok(&f, "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3"), "abc");     /* fullwidth ＡＢＣ */
    CHECK_STR(tok(&f, "\xEF\xAC\x81"), "fi");                               /* ligature ﬁ */
    CHECK_STR(tok(&f, "pre\xC2\xAD" "fix"), "prefix");                      /* soft hyphen */
    CHECK_STR(tok(&f, "pre\xE2\x80\x8B" "fix"), "prefix");                  /* zero-width space */
    CHECK_STR(tok(&f, "\xE4\xB8\xAD\xE6\x96\x87"), "中 文");
    CHECK_STR(tok(&f, "\xE3\x82\xAB\xE3\x82\xBF\xE3\x82\xAB\xE3\x83\x8A"), "カ タ カ ナ");
    CHECK_STR(tok(&f, "a\xF0\x9F\x98\x80" "b"), "a \xF0\x9F\x98\x80 b");     /* emoji split off */
    CHECK_STR(tok(&f, "Stra\xC3\x9F" "e"), "stra ##sse");                  /* ß folds to ss */
    CHECK_STR(tok(&f, "\xC3\x89t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");           /* composed, folded */
    CHECK_STR(tok(&f, "E\xCC\x81t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");          /* decomposed input */
    CHECK_STR(tok(&f, "a\tb\x01" "a\xE2\x80\xA8" "b"), "a b a b");          /* tab, control, LS */
    CHECK_STR(tok(&f, "   "), "");
    CHECK_STR(tok(&f, "\xC2\xAD"), "");                                     /* only ignorable */
    CHECK_STR(tok(&f, "zzz"), "[UNK]");

    /* a word longer than max_word_chars is [UNK] at once */
    char longw[202];
    memset(longw, 'a', 201);
    longw[201] = '\0';
    CHECK_STR(tok(&f, longw), "[UNK]");

    /* invalid UTF-8: replaced (U+FFFD is a symbol: its own token, [UNK] here), counted */
    tc_doc_info info;
    CHECK_STR(tok_n(&f, "a\xFF" "b", 3, &info), "a [UNK] b");
    CHECK(info.invalid_utf8 == 1 && info.invalid_offset == 1);
    int64_t n;
    tc_error err;
    CHECK(tc_tokenize_ids(&f.tok, &f.vocab, f.max_len, &f.scratch, "a\xFF", 2, 1, &n, &info,
                          &err) == TC_ERR_INPUT);
    teardown(&f);
}

static void test_truncation_and_chunks(void)
{
    static const char *const v[] = {"[UNK]", "a", "b"};
    fixture f;
    setup(&f, v, 3, 0, 4);
    tc_doc_info info;
    CHECK_STR(tok_n(&f, "a b a b", 7, &info), "a b a b");
    CHECK(info.tokens == 4 && !info.truncated);
    CHECK_STR(tok_n(&f, "a b a b a", 9, &info), "a b a b");
    CHECK(info.tokens == 4 && info.truncated);
    teardown(&f);

    /* a long document crosses many chunk boundaries: every token is kept in order */
    setup(&f, v, 3, 0, 30000);
    size_t words = 20000, len = words * 2;
    char *doc = malloc(len + 1);
    if (!doc) abort();
    for (size_t i = 0; i < words; i++) {
        doc[2 * i] = i % 3 == 0 ? 'b' : 'a';
        doc[2 * i + 1] = i % 7 == 0 ? '\n' : ' ';
    }
    int64_t n = 0;
    CHECK(tc_tokenize_ids(&f.tok, &f.vocab, f.max_len, &f.scratch, doc, len, 0, &n, &info,
                          NULL) == TC_OK);
    CHECK(n == (int64_t)words);
    int ok = 1;
    for (size_t i = 0; i < words && ok; i++) ok = f.scratch.ids[i] == (i % 3 == 0 ? 2 : 1);
    CHECK(ok);
    teardown(&f);
    /* invalid UTF-8 after the truncation point is still counted */
    doc[len - 1] = (char)0xFF;
    setup(&f, v, 3, 0, 4);
    CHECK(tc_tokenize_ids(&f.tok, &f.vocab, f.max_len, &f.scratch, doc, len, 0, &n, &info,
                          NULL) == TC_OK);
    CHECK(info.invalid_utf8 == 1 && info.invalid_offset == (int64_t)len - 1 && info.truncated);
    free(doc);
    teardown(&f);
}

/*
 * The abstain rule's counts leave out the words of links (docs/model-format.md, "abstain"), which a
 * run may show only at its end: after truncation the rest of the run is read to its end, chunk
 * after chunk, in a chunk's memory however long the run (20 MB without a space here) and without
 * being held (the tokenizer keeps a few counters of it). Chunks of a few bytes count as one.
 */
static void test_link_runs(void)
{
    static const char *const v[] = {"[UNK]", "a", "b"};
    static const struct {
        const char *end;        /* after the 20 MB of a/a/a/... or aaa... */
        int64_t letters, unknown;
    } ends[] = {
        {"b@x.org", 0, 0},      /* an e-mail address: a link */
        {"b@xorg", 2, 0},       /* not one: a and a of the four tokens a / a / */
        {" b@x.org", 2, 0},     /* the link is another run */
        {"a://x", 0, 0},
    };
    fixture f;
    setup(&f, v, 3, 0, 4);
    size_t n = (size_t)20 << 20;
    char *doc = malloc(n + 16);
    if (!doc) abort();
    for (size_t i = 0; i < n; i++) doc[i] = i % 2 ? '/' : 'a';
    tc_doc_info info;
    for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
        size_t len = n + strlen(ends[e].end);
        memcpy(doc + n, ends[e].end, len - n);
        int64_t count = 0;
        CHECK(tc_tokenize_ids(&f.tok, &f.vocab, f.max_len, &f.scratch, doc, len, 0, &count, &info,
                              NULL) == TC_OK);
        CHECK(count == 4 && info.truncated);
        CHECK(info.letter_words == ends[e].letters && info.unknown_words == ends[e].unknown);
        size_t saved = f.scratch.chunk_bytes;
        for (size_t chunk = 1; chunk <= 3; chunk++) {   /* the last 100 bytes, in small chunks */
            f.scratch.chunk_bytes = chunk;
            tc_doc_info small;
            CHECK(tc_tokenize_ids(&f.tok, &f.vocab, f.max_len, &f.scratch, doc + n - 100,
                                  len - n + 100, 0, &count, &small, NULL) == TC_OK);
            CHECK(small.letter_words == ends[e].letters && small.unknown_words == ends[e].unknown);
        }
        f.scratch.chunk_bytes = saved;
    }
    /* one word of 20 MB ([UNK], a letter word), in a link or not */
    memset(doc, 'a', n);
    memcpy(doc + n, "@x.y", 4);
    CHECK(tc_tokenize_ids(&f.tok, &f.vocab, f.max_len, &f.scratch, doc, n + 4, 0, &(int64_t){0},
                          &info, NULL) == TC_OK);
    CHECK(info.letter_words == 0 && info.unknown_words == 0 && info.truncated);
    memcpy(doc + n, "@xy", 3);
    CHECK(tc_tokenize_ids(&f.tok, &f.vocab, f.max_len, &f.scratch, doc, n + 3, 0, &(int64_t){0},
                          &info, NULL) == TC_OK);
    CHECK(info.letter_words == 2 && info.unknown_words == 2);   /* aaa... [UNK], xy [UNK] */
    /* the scratch buffers hold a chunk and a shortened word, not the run */
    CHECK(f.scratch.cps.cap < 65536 && f.scratch.carry.cap < 65536 &&
          f.scratch.repaired.cap < 65536);
    free(doc);
    teardown(&f);
}

/* What tc_tokenize_words reports, one line per word: its first max_word_chars + 1 code points
 * (what can be shown of a word), whether it is longer, and its ids' place. */
typedef struct {
    char text[8192];
    size_t len;
    int max_chars;
} word_log;

static int log_word(void *ctx, const int32_t *word, size_t n, int64_t first, int64_t count)
{
    word_log *l = ctx;
    size_t shown = n > (size_t)l->max_chars + 1 ? (size_t)l->max_chars + 1 : n;
    int w = snprintf(l->text + l->len, sizeof l->text - l->len, "%lld+%lld long=%d:",
                     (long long)first, (long long)count, n > (size_t)l->max_chars);
    l->len += w > 0 ? (size_t)w : 0;
    for (size_t i = 0; i < shown && l->len + 12 < sizeof l->text; i++)
        l->len +=
            (size_t)snprintf(l->text + l->len, sizeof l->text - l->len, " %x", (unsigned)word[i]);
    if (l->len + 1 < sizeof l->text) l->text[l->len++] = '\n';
    l->text[l->len] = '\0';
    return 0;
}

/* Words that cross chunk boundaries (a chunk of 1 byte cuts wherever the tokenizer allows) are
 * reported once, whole, as without chunks: long words, apostrophes, marks, a split script. */
static void test_words_across_chunks(void)
{
    static const char *const v[] = {"[UNK]", "ab", "'", "cd", "##ef", "x", "##x", "y", "z"};
    const char *doc =
        "ab cd'ef xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxx'y z e\xcc\x81\xcc\x81\xcc\x81\xcc\x96 \xe4\xb8\xad\xe6\x96\x87"
        "end' "
        "x'x''y\xef\xbc\x87z";
    fixture f;
    setup(&f, v, 9, 0, 1000);
    f.tok.word_apostrophes = 1;
    f.tok.max_word_chars = 100;
    static word_log whole, cut;
    whole = (word_log){.max_chars = 100};
    int64_t n1 = 0, n2 = 0;
    size_t len = strlen(doc);
    CHECK(tc_tokenize_words(&f.tok, &f.vocab, f.max_len, &f.scratch, doc, len, 0, log_word,
                            &whole, &n1, NULL, NULL) == TC_OK);
    for (size_t chunk = 1; chunk <= 5; chunk++) {
        f.scratch.chunk_bytes = chunk;
        cut = (word_log){.max_chars = 100};
        CHECK(tc_tokenize_words(&f.tok, &f.vocab, f.max_len, &f.scratch, doc, len, 0, log_word,
                                &cut, &n2, NULL, NULL) == TC_OK);
        CHECK(n1 == n2);
        CHECK_STR(cut.text, whole.text);
    }
    CHECK(strstr(whole.text, "long=1") != NULL);   /* the long word is reported as such */
    teardown(&f);
}

/* --- character n-grams ------------------------------------------------------------------ */

typedef struct {
    int64_t n, cap;
    int64_t *token;
    uint32_t *bucket;
} ngram_log;

static int log_ngram(void *ctx, int64_t token, uint32_t bucket)
{
    ngram_log *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->token = realloc(l->token, (size_t)l->cap * sizeof *l->token);
        l->bucket = realloc(l->bucket, (size_t)l->cap * sizeof *l->bucket);
        if (!l->token || !l->bucket) return -1;
    }
    l->token[l->n] = token;
    l->bucket[l->n++] = bucket;
    return 0;
}

/* The n-grams of text with buckets B, lengths lo..hi, chunks of `chunk` bytes, into *l (emptied
 * first); returns the token count. */
static int64_t ngrams_of(fixture *f, const char *text, uint32_t B, int lo, int hi, size_t chunk,
                         ngram_log *l)
{
    f->tok.ngram_buckets = B;
    f->tok.ngram_min = lo;
    f->tok.ngram_max = hi;
    f->scratch.chunk_bytes = chunk;
    l->n = 0;
    int64_t n = 0;
    tc_doc_info info;
    CHECK(tc_tokenize_ngrams(&f->tok, &f->vocab, f->max_len, &f->scratch, text, strlen(text), 0,
                             NULL, NULL, log_ngram, NULL, l, &n, &info, NULL) == TC_OK);
    return n;
}

/* Hand-computed lists (docs/model-format.md, "Character n-grams"). B = 2^24: a bucket is the low
 * 24 bits of the FNV-1a hash, so the hashes show. FNV-1a 32 of "a", by hand: offset basis
 * 2166136261 = 0x811C9DC5, xor 'a' (0x61) = 0x811C9DA4, times 16777619 (0x01000193) modulo 2^32 =
 * 0x811C9DA4·0x193 + (0x811C9DA4 << 24) = 0xCB14A8C2C + 0xA4000000 (mod 2^32) = 0xE40C292C. */
static void test_ngram_lists(void)
{
    static const char *const toks[] = {"[UNK]", "ab", "a", "##b", "##c", "##de", "<", "x"};
    fixture f;
    setup(&f, toks, 8, 0, 16);
    tc_tok_scratch_free(&f.scratch);   /* again with n-grams: the piece ends are kept */
    f.tok.ngram_buckets = 1u << 24;
    CHECK(tc_tok_scratch_init(&f.scratch, &f.tok, f.max_len, NULL) == TC_OK);
    ngram_log l = {0};
    const uint32_t B = 1u << 24, M = B - 1;
    CHECK(tc_fnv1a32(TC_FNV32_OFFSET, "a", 1) == 0xE40C292Cu);
    CHECK(tc_fnv1a32(TC_FNV32_OFFSET, "", 0) == 2166136261u);

    /* "ab", one token covering [0, 2): g = "<ab>"; i ascending, then n: "<" skipped, "<a", "a",
     * "ab", "b", "b>", ">" skipped */
    CHECK(ngrams_of(&f, "ab", B, 1, 2, 8192, &l) == 1);
    static const uint32_t ab[] = {0x68F6DC6Eu, 0xE40C292Cu, 0x4D2505CAu, 0xE70C2DE5u, 0x932C2FC1u};
    CHECK(l.n == 5);
    for (int k = 0; k < 5 && k < l.n; k++) {
        CHECK(l.token[k] == 0);
        CHECK(l.bucket[k] == (ab[k] & M));
    }
    /* "ac": pieces a [0,1) g = "<a" ("<a", "a") and ##c [1,2) g = "c>" ("c", "c>") */
    CHECK(ngrams_of(&f, "ac", B, 1, 2, 8192, &l) == 2);
    CHECK(l.n == 4);
    if (l.n == 4) {
        CHECK(l.token[0] == 0 && l.bucket[0] == (0x68F6DC6Eu & M));
        CHECK(l.token[1] == 0 && l.bucket[1] == (0xE40C292Cu & M));
        CHECK(l.token[2] == 1 && l.bucket[2] == (tc_fnv1a32(TC_FNV32_OFFSET, "c", 1) & M));
        CHECK(l.token[3] == 1 && l.bucket[3] == (tc_fnv1a32(TC_FNV32_OFFSET, "c>", 2) & M));
    }
    /* the word "<" (punctuation, a word of its own): g = "<<>": "<<", "<<>", "<>" */
    CHECK(ngrams_of(&f, "<", B, 1, 4, 8192, &l) == 1);
    CHECK(l.n == 3);
    if (l.n == 3) {
        CHECK(l.bucket[0] == (0x95F72345u & M));
        CHECK(l.bucket[1] == (0x8F0CDAA1u & M));
        CHECK(l.bucket[2] == (0x93F7201Fu & M));
    }
    /* min = max = 3: "acde" = a ##c ##de: "<a" and "c" are too short (empty lists, tokens 0
     * and 1 get no call), "de>" is one 3-gram */
    CHECK(ngrams_of(&f, "acde", B, 3, 3, 8192, &l) == 3);
    CHECK(l.n == 1);
    if (l.n == 1) CHECK(l.token[0] == 2 && l.bucket[0] == (0x9D593F94u & M));
    /* B = 1: every n-gram in bucket 0; duplicates count ("xx": "<x", "x", "x", "x>") */
    CHECK(ngrams_of(&f, "x xx", 1, 1, 2, 8192, &l) == 2);
    CHECK(l.n == 3 + 5);   /* "<x","x","x>" and "<x","x","xx","x","x>" */
    for (int k = 0; k < l.n; k++) CHECK(l.bucket[k] == 0);
    /* truncation: only the first max_len tokens have n-grams */
    f.max_len = 2;
    CHECK(ngrams_of(&f, "x x x x", B, 1, 1, 8192, &l) == 2);
    CHECK(l.n == 2 && l.token[l.n - 1] == 1);
    f.max_len = 16;
    free(l.token);
    free(l.bucket);
    teardown(&f);
}

/* The list of a word longer than max_word_chars (one [UNK] covering it all) as a naive loop over
 * its whole g computes it: tokens carried across chunks get their lists streamed (tokenizer.c's
 * keep_carry), which must not change a bucket. */
static void naive_word_list(const char *word, uint32_t B, int lo, int hi, ngram_log *l)
{
    size_t n = strlen(word);   /* ASCII: one byte per code point */
    char *g = malloc(n + 3);
    g[0] = '<';
    memcpy(g + 1, word, n);
    g[n + 1] = '>';
    size_t len = n + 2;
    l->n = 0;
    for (size_t i = 0; i < len; i++)
        for (int k = lo; k <= hi && i + (size_t)k <= len; k++) {
            if (k == 1 && (g[i] == '<' || g[i] == '>')) continue;
            log_ngram(l, 0, tc_fnv1a32(TC_FNV32_OFFSET, g + i, (size_t)k) % B);
        }
    free(g);
}

static void test_ngram_chunks(void)
{
    static const char *const toks[] = {"[UNK]", "ab", "a", "##b", "x", "##x"};
    fixture f;
    setup(&f, toks, 6, 0, 16);
    tc_tok_scratch_free(&f.scratch);
    f.tok.ngram_buckets = 1000;
    CHECK(tc_tok_scratch_init(&f.scratch, &f.tok, f.max_len, NULL) == TC_OK);
    /* a word of 700 letters (no space: it spans chunks), alone and among others */
    char word[701];
    for (int i = 0; i < 700; i++) word[i] = "abcdefghij"[(i * 7 + i / 13) % 10];
    word[700] = '\0';
    ngram_log want = {0}, got = {0}, again = {0};
    naive_word_list(word, 1000, 2, 5, &want);
    CHECK(ngrams_of(&f, word, 1000, 2, 5, 8192, &got) == 1);
    CHECK(got.n == want.n && memcmp(got.bucket, want.bucket, (size_t)want.n * 4) == 0);
    CHECK(ngrams_of(&f, word, 1000, 2, 5, 1, &got) == 1);   /* a chunk per byte */
    CHECK(got.n == want.n && memcmp(got.bucket, want.bucket, (size_t)want.n * 4) == 0);
    /* several words, two long ones back to back: the same lists whatever the chunks */
    char doc[2000];
    snprintf(doc, sizeof doc, "ab xx %s x%s ab", word, word);
    int64_t T = ngrams_of(&f, doc, 1000, 1, 4, 8192, &got);
    for (size_t chunk = 1; chunk <= 64; chunk *= 4) {
        CHECK(ngrams_of(&f, doc, 1000, 1, 4, chunk, &again) == T);
        CHECK(again.n == got.n);
        if (again.n == got.n) {
            CHECK(memcmp(again.bucket, got.bucket, (size_t)got.n * 4) == 0);
            CHECK(memcmp(again.token, got.token, (size_t)got.n * 8) == 0);
        }
    }
    free(want.token), free(want.bucket), free(got.token), free(got.bucket);
    free(again.token), free(again.bucket);
    teardown(&f);
}

void test_tokenizer(void)
{
    test_bert_examples();
    test_default_settings();
    test_truncation_and_chunks();
    test_link_runs();
    test_words_across_chunks();
    test_ngram_lists();
    test_ngram_chunks();
}
