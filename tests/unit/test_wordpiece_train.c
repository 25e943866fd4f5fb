/*
 * WordPiece training: the classic BPE example by hand, cut-offs, specials, the alphabet, CJK,
 * determinism, a brute-force reference on random corpora, and coverage through the real
 * tokenizer.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "tokenizer.h"
#include "utf8.h"
#include "vocab.h"
#include "train_wordpiece.h"

void test_wordpiece_train(void);

static const char *const UNK[] = {"[UNK]"};

/* Adds the ASCII/UTF-8 word w (decoded to code points) `times` times. */
static void add_word(tc_wp_counter *c, const char *w, int times)
{
    int32_t cps[256];
    size_t n = 0;
    for (size_t i = 0; w[i] && n < 256; n++) {
        const unsigned char *u = (const unsigned char *)w + i;
        if (u[0] < 0x80) { cps[n] = u[0]; i += 1; }
        else if (u[0] < 0xE0) { cps[n] = (u[0] & 0x1F) << 6 | (u[1] & 0x3F); i += 2;
        } else if (u[0] < 0xF0) {
            cps[n] = (u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
            i += 3;
        } else {
            cps[n] = (u[0] & 0x07) << 18 | (u[1] & 0x3F) << 12 | (u[2] & 0x3F) << 6 | (u[3] & 0x3F);
            i += 4;
        }
    }
    for (int k = 0; k < times; k++) CHECK(tc_wp_counter_add(c, cps, n, NULL) == TC_OK);
}

/* A counter holding words[i] counts[i] times each. */
static tc_wp_counter *counter_of(const char *const *words, const int *counts, int n)
{
    tc_wp_counter *c;
    CHECK(tc_wp_counter_init(&c, NULL) == TC_OK);
    for (int i = 0; i < n; i++) add_word(c, words[i], counts[i]);
    return c;
}

static tc_wp_options opts(int32_t vocab_size, int64_t min_count)
{
    return (tc_wp_options){vocab_size, min_count, "##", UNK, 1, 100};
}

static int index_of(char **toks, int32_t n, const char *s)
{
    for (int32_t i = 0; i < n; i++)
        if (strcmp(toks[i], s) == 0) return i;
    return -1;
}

/* Checks that toks[0..n) would load as a vocabulary: non-empty valid UTF-8 without control
 * characters, at most 1024 bytes, unique. */
static void check_loadable(char **toks, int32_t n)
{
    tc_vocab v;
    CHECK(tc_vocab_init(&v, n, NULL) == TC_OK);
    for (int32_t i = 0; i < n; i++) {
        size_t len = strlen(toks[i]);
        CHECK(len >= 1 && len <= TC_VOCAB_MAX_TOKEN && tc_utf8_valid(toks[i], len));
        for (size_t k = 0; k < len; k++) {
            unsigned char b = (unsigned char)toks[i][k];
            CHECK(b >= 0x20 && b != 0x7F);
        }
        CHECK(tc_vocab_add(&v, toks[i], len) == 0);
    }
    int32_t a, b;
    CHECK(tc_vocab_build_index(&v, &a, &b) == 0);
    tc_vocab_free(&v);
}

/* low x5, lower x2, newest x6, widest x3 (Sennrich et al.'s example), with ## pieces. */
static const char *const CLASSIC[] = {"low", "lower", "newest", "widest"};
static const int CLASSIC_N[] = {5, 2, 6, 3};

static void test_classic(void)
{
    static const char *const expect[] = {
        "[UNK]",
        "d", "e", "i", "l", "n", "o", "r", "s", "t", "w",
        "##d", "##e", "##i", "##o", "##r", "##s", "##t", "##w",
        /* ##e##s 9 beats ##s##t 9 on ids; then l##o 7 before ##o##w 7; n##e, ##e##w, ##w##est
         * all 6: smallest ids first; w##i, ##i##d, ##d##e(st) all 3 likewise */
        "##es", "##est", "lo", "low", "ne", "##west", "newest", "wi", "##dest", "widest",
        "##er", "lower"};
    int32_t n_expect = (int32_t)(sizeof expect / sizeof expect[0]);
    tc_wp_counter *c = counter_of(CLASSIC, CLASSIC_N, 4);
    CHECK(tc_wp_counter_size(c) == 4);
    char **toks;
    int32_t n;
    tc_wp_options o = opts(1000, 1);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == n_expect);
    for (int32_t i = 0; i < n && i < n_expect; i++) CHECK_STR(toks[i], expect[i]);
    check_loadable(toks, n);
    tc_wp_tokens_free(toks, n);

    /* min_count: ##er and lower occur twice */
    o = opts(1000, 3);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == n_expect - 2);
    CHECK(n > 0 && strcmp(toks[n - 1], "widest") == 0);
    tc_wp_tokens_free(toks, n);
    o = opts(1000, 7);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == 23);
    CHECK(n > 0 && strcmp(toks[n - 1], "low") == 0);
    tc_wp_tokens_free(toks, n);
    /* a min_count nothing reaches: the characters only */
    o = opts(1000, 1000);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == 19);
    tc_wp_tokens_free(toks, n);

    /* vocab_size: stops after two merges */
    o = opts(21, 1);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == 21);
    CHECK(n == 21 && strcmp(toks[19], "##es") == 0 && strcmp(toks[20], "##est") == 0);
    tc_wp_tokens_free(toks, n);

    /* a piece that is already a special adds no token, and keeps the special's id */
    static const char *const lo[] = {"[UNK]", "lo"};
    o = (tc_wp_options){1000, 1, "##", lo, 2, 100};
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == n_expect);
    CHECK(n == n_expect && strcmp(toks[1], "lo") == 0 && strcmp(toks[2], "d") == 0 &&
          strcmp(toks[21], "##est") == 0 && strcmp(toks[22], "low") == 0 &&
          strcmp(toks[n - 1], "lower") == 0);
    check_loadable(toks, n);
    tc_wp_tokens_free(toks, n);
    tc_wp_counter_free(c);
}

static void test_specials_and_alphabet(void)
{
    /* specials first, in order; a special that is also a character is not repeated */
    static const char *const w1[] = {"ab"};
    static const int n1[] = {3};
    static const char *const specials[] = {"[UNK]", "[PAD]", "b"};
    tc_wp_counter *c = counter_of(w1, n1, 1);
    tc_wp_options o = {100, 1, "##", specials, 3, 100};
    char **toks;
    int32_t n;
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    static const char *const expect1[] = {"[UNK]", "[PAD]", "b", "a", "##b", "ab"};
    CHECK(n == 6);
    for (int32_t i = 0; i < n && i < 6; i++) CHECK_STR(toks[i], expect1[i]);
    tc_wp_tokens_free(toks, n);
    /* exactly the specials */
    o.vocab_size = 3;
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == 3 && strcmp(toks[2], "b") == 0);
    tc_wp_tokens_free(toks, n);
    tc_wp_counter_free(c);

    /* an alphabet larger than vocab_size keeps the most frequent characters (ties: smaller code
     * point), each alone first, and learns nothing; a frequent CJK character stays */
    static const char *const w2[] = {"ab", "c", "\xE4\xB8\xAD"};   /* 中 */
    static const int n2[] = {10, 1, 5};
    c = counter_of(w2, n2, 3);
    o = opts(5, 1);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    static const char *const expect2[] = {"[UNK]", "a", "b", "\xE4\xB8\xAD", "##b"};
    CHECK(n == 5);
    for (int32_t i = 0; i < n && i < 5; i++) CHECK_STR(toks[i], expect2[i]);
    tc_wp_tokens_free(toks, n);
    o = opts(4, 1);   /* a, b, ##b (frequency 10) fill it */
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == 4 && index_of(toks, n, "\xE4\xB8\xAD") < 0 && index_of(toks, n, "##b") == 3);
    tc_wp_tokens_free(toks, n);
    o = opts(3, 1);   /* room for two: a, then b alone; not ##b */
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == 3 && strcmp(toks[1], "a") == 0 && strcmp(toks[2], "b") == 0);
    tc_wp_tokens_free(toks, n);
    /* all fit: c too, and a single merge */
    o = opts(7, 1);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == 7 && index_of(toks, n, "c") == 3 && strcmp(toks[6], "ab") == 0);
    tc_wp_tokens_free(toks, n);
    tc_wp_counter_free(c);

    /* a character seen only inside words still gets its alone form; one seen only at the start
     * gets no prefixed form */
    static const char *const w3[] = {"xy", "x"};
    static const int n3[] = {1, 1};
    c = counter_of(w3, n3, 2);
    o = opts(100, 5);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    static const char *const expect3[] = {"[UNK]", "x", "y", "##y"};
    CHECK(n == 4);
    for (int32_t i = 0; i < n && i < 4; i++) CHECK_STR(toks[i], expect3[i]);
    tc_wp_tokens_free(toks, n);
    tc_wp_counter_free(c);
}

static void test_max_word_chars(void)
{
    static const char *const w[] = {"abc", "xyzxyzxyzxy", "pqrstuvwxz"};
    static const int cnt[] = {2, 50, 1};
    tc_wp_counter *c = counter_of(w, cnt, 3);
    tc_wp_options o = opts(1000, 1);
    o.max_word_chars = 10;   /* the 11-character word is ignored, characters and all */
    char **toks;
    int32_t n;
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(index_of(toks, n, "y") < 0 && index_of(toks, n, "##y") < 0);
    CHECK(index_of(toks, n, "abc") >= 0 && index_of(toks, n, "pqrstuvwxz") >= 0);
    tc_wp_tokens_free(toks, n);
    o.max_word_chars = 11;
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(index_of(toks, n, "xyzxyzxyzxy") >= 0);
    tc_wp_tokens_free(toks, n);
    tc_wp_counter_free(c);
}

static void test_errors(void)
{
    tc_wp_counter *c;
    tc_error err;
    CHECK(tc_wp_counter_init(&c, NULL) == TC_OK);
    int32_t bad[][2] = {{'a', 0xD800}, {'a', 0x85}, {'a', 0x110000}, {'a', -1}, {0x7F, 'a'},
                        {'\n', 'a'}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(tc_wp_counter_add(c, bad[i], 2, &err) == TC_ERR_ARG);
    int32_t ok[] = {'a', 0x10FFFF};
    CHECK(tc_wp_counter_add(c, ok, 0, NULL) == TC_OK);   /* empty: ignored */
    CHECK(tc_wp_counter_size(c) == 0);
    CHECK(tc_wp_counter_add(c, ok, 2, NULL) == TC_OK);
    CHECK(tc_wp_counter_pretok_fn(c, ok, 1) == 0);
    CHECK(tc_wp_counter_size(c) == 2);
    /* longer than any model's max_word_chars: not even stored */
    int32_t *huge = malloc((TC_WP_MAX_WORD_CHARS + 1) * sizeof *huge);
    if (!huge) abort();
    for (int i = 0; i <= TC_WP_MAX_WORD_CHARS; i++) huge[i] = 'q';
    CHECK(tc_wp_counter_add(c, huge, TC_WP_MAX_WORD_CHARS + 1, NULL) == TC_OK);
    CHECK(tc_wp_counter_size(c) == 2);
    free(huge);

    static const char *const dup[] = {"[UNK]", "[UNK]"};
    static const char *const ctl[] = {"[UN\nK]"};
    static const char *const empty[] = {""};
    static const char *const badutf[] = {"\xFF"};
    static const char *const c1[] = {"x\xC2\x85"};
    char longs[1030];
    memset(longs, 'x', 1025);
    longs[1025] = '\0';
    const char *const toolong[] = {longs};
    tc_wp_options o[] = {
        {0, 1, "##", NULL, 0, 100},        {1, 1, "##", dup, 2, 100},
        {10, 1, "##", dup, 2, 100},        {10, 1, "##", ctl, 1, 100},
        {10, 1, "##", empty, 1, 100},      {10, 1, "##", badutf, 1, 100},
        {10, 1, "##", c1, 1, 100},         {10, 1, "##", toolong, 1, 100},
        {10, 1, "#\t", UNK, 1, 100},       {10, 1, NULL, UNK, 1, 100},
        {10, 1, "##", UNK, 1, 0},          {10, 1, "##", UNK, 1, TC_WP_MAX_WORD_CHARS + 1},
        {TC_VOCAB_MAX_SIZE + 1, 1, "##", UNK, 1, 100}, {10, 1, "##", NULL, 1, 100},
        {10, 1, longs, UNK, 1, 100},
    };
    for (size_t i = 0; i < sizeof o / sizeof o[0]; i++) {
        char **toks = (char **)1;
        int32_t n = 7;
        CHECK(tc_wp_train(c, &o[i], &toks, &n, &err) == TC_ERR_ARG);
        CHECK(toks == NULL && n == 0 && err.code == TC_ERR_ARG);
    }
    /* an empty prefix is fine: both forms of a character are one token */
    tc_wp_options e = {10, 1, "", UNK, 1, 100};
    char **toks;
    int32_t n;
    add_word(c, "aaa", 1);
    CHECK(tc_wp_train(c, &e, &toks, &n, NULL) == TC_OK);
    check_loadable(toks, n);
    CHECK(n >= 4 && strcmp(toks[1], "a") == 0 && strcmp(toks[2], "\xF4\x8F\xBF\xBF") == 0 &&
          strcmp(toks[3], "aa") == 0);
    tc_wp_tokens_free(toks, n);
    tc_wp_counter_free(c);
}

/* ---- a brute-force reference ---------------------------------------------------------------- */

#define REF_MAX 64   /* longest string in the random tests */

typedef struct {
    char tok[512][REF_MAX];
    int n_tok;
} ref_vocab;

static int ref_id(const ref_vocab *v, const char *s)
{
    for (int i = 0; i < v->n_tok; i++)
        if (strcmp(v->tok[i], s) == 0) return i;
    return -1;
}

static void ref_add(ref_vocab *v, const char *s)
{
    if (ref_id(v, s) < 0) strcpy(v->tok[v->n_tok++], s);
}

/*
 * The definition in train_wordpiece.h, computed the slow way (ASCII words, no alphabet
 * truncation): recount every pair before every merge.
 */
static void ref_train(const char *const *words, const int *counts, int n_words, const char *pre,
                      const char *const *specials, int n_specials, int vocab_size, int min_count,
                      ref_vocab *v)
{
    static char seg[64][16][REF_MAX];   /* words as token strings */
    int len[64];
    size_t plen = strlen(pre);
    v->n_tok = 0;
    for (int i = 0; i < n_specials; i++) ref_add(v, specials[i]);
    char s[REF_MAX];
    for (int ch = 1; ch < 128; ch++)
        for (int w = 0; w < n_words; w++)
            if (strchr(words[w], ch)) {
                snprintf(s, sizeof s, "%c", ch);
                ref_add(v, s);
                break;
            }
    for (int ch = 1; ch < 128; ch++)
        for (int w = 0; w < n_words; w++)
            if (words[w][0] && strchr(words[w] + 1, ch)) {
                snprintf(s, sizeof s, "%s%c", pre, ch);
                ref_add(v, s);
                break;
            }
    for (int w = 0; w < n_words; w++) {
        len[w] = (int)strlen(words[w]);
        for (int i = 0; i < len[w]; i++)
            snprintf(seg[w][i], REF_MAX, "%s%c", i ? pre : "", words[w][i]);
    }
    while (v->n_tok < vocab_size) {
        int best_a = -1, best_b = -1;
        long best = 0;
        for (int w = 0; w < n_words; w++)
            for (int i = 0; i + 1 < len[w]; i++) {
                int a = ref_id(v, seg[w][i]), b = ref_id(v, seg[w][i + 1]);
                long cnt = 0;
                for (int x = 0; x < n_words; x++)
                    for (int k = 0; k + 1 < len[x]; k++)
                        if (ref_id(v, seg[x][k]) == a && ref_id(v, seg[x][k + 1]) == b)
                            cnt += counts[x];
                if (cnt > best || (cnt == best && (a < best_a || (a == best_a && b < best_b)))) {
                    best = cnt;
                    best_a = a;
                    best_b = b;
                }
            }
        if (best_a < 0 || best < min_count) break;
        char merged[REF_MAX];
        snprintf(merged, sizeof merged, "%s%s", v->tok[best_a], v->tok[best_b] + plen);
        char a[REF_MAX], b[REF_MAX];
        strcpy(a, v->tok[best_a]);
        strcpy(b, v->tok[best_b]);
        ref_add(v, merged);
        for (int w = 0; w < n_words; w++) {
            int o = 0;
            for (int i = 0; i < len[w];) {
                if (i + 1 < len[w] && strcmp(seg[w][i], a) == 0 && strcmp(seg[w][i + 1], b) == 0) {
                    strcpy(seg[w][o++], merged);
                    i += 2;
                } else {
                    if (o != i) memmove(seg[w][o], seg[w][i], REF_MAX);
                    o++;
                    i++;
                }
            }
            len[w] = o;
        }
    }
}

static void test_reference(void)
{
    uint32_t rng = 12345;
    static const char *const prefixes[] = {"##", "", "@"};
    int mismatches = 0;
    for (int round = 0; round < 150; round++) {
        char buf[40][16];
        const char *words[40];
        int counts[40];
        int n_words = 5 + round % 30;
        int letters = 2 + round % 3;   /* small alphabets: many overlaps (aaa), reused pieces */
        for (int w = 0; w < n_words; w++) {
            rng = rng * 1103515245 + 12345;
            int len = 1 + (int)(rng >> 16) % 9;
            for (int i = 0; i < len; i++) {
                rng = rng * 1103515245 + 12345;
                buf[w][i] = (char)('a' + (rng >> 16) % (unsigned)letters);
            }
            buf[w][len] = '\0';
            words[w] = buf[w];
            rng = rng * 1103515245 + 12345;
            counts[w] = 1 + (int)(rng >> 16) % 4;
        }
        const char *pre = prefixes[round % 3];
        /* at least the specials and the alphabet: the reference does not truncate it */
        int vocab_size = 12 + round % 50, min_count = 1 + round % 3;
        /* specials that are also pieces: merges that make them add no token */
        char cont_aa[8];
        snprintf(cont_aa, sizeof cont_aa, "%saa", pre);
        const char *specials[] = {"[UNK]", "ab", cont_aa, "ba"};
        int n_specials = round % 4 == 0 ? 1 : 4;

        static ref_vocab ref;
        ref_train(words, counts, n_words, pre, specials, n_specials, vocab_size, min_count, &ref);
        tc_wp_counter *c = counter_of(words, counts, n_words);   /* repeats add up */
        tc_wp_options o = {vocab_size, min_count, pre, specials, n_specials, 100};
        char **toks;
        int32_t n;
        CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
        int same = n == ref.n_tok;
        for (int32_t i = 0; same && i < n; i++) same = strcmp(toks[i], ref.tok[i]) == 0;
        if (!same && mismatches++ < 3) {
            printf("reference mismatch, round %d:", round);
            for (int32_t i = 0; i < n; i++) printf(" %s", toks[i]);
            printf("\n  expected:");
            for (int i = 0; i < ref.n_tok; i++) printf(" %s", ref.tok[i]);
            printf("\n");
        }
        CHECK(same);
        check_loadable(toks, n);
        tc_wp_tokens_free(toks, n);
        tc_wp_counter_free(c);
    }
}

/* ---- through the real tokenizer ------------------------------------------------------------- */

static const char *const CORPUS[] = {
    "The quick brown fox jumps over the lazy dog.",
    "Straße, naïve café: ÉCOLE élève — 12345 apples & 67 pears!",
    "東京は日本の首都です。北京是中国的首都。",
    "Lower lowest newer newest wider widest; unbelievable, unbreakable, rebuild.",
    "hello 🙂 world, hello again; ελληνικά κείμενα και русский текст.",
    "ﬁne ＡＢＣ full-width and ligatures; aaaa aaaaa aaaaaaaa mississippi",
};
#define N_CORPUS (sizeof CORPUS / sizeof CORPUS[0])

typedef struct {
    tc_tokenizer tok;
    tc_tok_scratch scratch;
} tok_fixture;

static void tok_setup(tok_fixture *f)
{
    memset(f, 0, sizeof *f);
    f->tok.norm = (tc_norm_config){TC_NORM_NFKC, TC_CASE_FOLD, TC_PRETOK_UNICODE, 0};
    f->tok.scripts = TC_SCRIPT_HAN | TC_SCRIPT_KANA | TC_SCRIPT_THAI;
    f->tok.unk_token = strdup("[UNK]");
    f->tok.prefix = strdup("##");
    f->tok.prefix_len = 2;
    f->tok.max_word_chars = 100;
    CHECK(tc_tok_scratch_init(&f->scratch, &f->tok, 512, NULL) == TC_OK);
}

static tc_wp_counter *count_corpus(tok_fixture *f, int reverse)
{
    tc_wp_counter *c;
    CHECK(tc_wp_counter_init(&c, NULL) == TC_OK);
    for (size_t k = 0; k < N_CORPUS; k++) {
        const char *line = CORPUS[reverse ? N_CORPUS - 1 - k : k];
        CHECK(tc_pretokenize(&f->tok, &f->scratch, line, strlen(line), tc_wp_counter_pretok_fn,
                             c, NULL) == TC_OK);
    }
    return c;
}

/* Tokenises text with the vocabulary toks[0..n); returns the number of [UNK] ids (-1 on error)
 * and the number of ids in *n_ids. */
static int count_unk(tok_fixture *f, char **toks, int32_t n, const char *text, int64_t *n_ids)
{
    tc_vocab v;
    CHECK(tc_vocab_init(&v, n, NULL) == TC_OK);
    for (int32_t i = 0; i < n; i++) CHECK(tc_vocab_add(&v, toks[i], strlen(toks[i])) == 0);
    int32_t a, b;
    CHECK(tc_vocab_build_index(&v, &a, &b) == 0);
    f->tok.unk_id = tc_vocab_find(&v, "", 0, "[UNK]", 5);
    CHECK(f->tok.unk_id == 0);
    tc_doc_info info;
    int unk = -1;
    if (tc_tokenize_ids(&f->tok, &v, 512, &f->scratch, text, strlen(text), 0, n_ids, &info,
                        NULL) == TC_OK) {
        unk = 0;
        for (int64_t i = 0; i < *n_ids; i++) unk += f->scratch.ids[i] == f->tok.unk_id;
    }
    tc_vocab_free(&v);
    return unk;
}

static int same_tokens(char **x, int32_t nx, char **y, int32_t ny)
{
    if (nx != ny) return 0;
    for (int32_t i = 0; i < nx; i++)
        if (strcmp(x[i], y[i]) != 0) return 0;
    return 1;
}

static void test_with_tokenizer(void)
{
    tok_fixture f;
    tok_setup(&f);
    tc_wp_counter *c = count_corpus(&f, 0);

    /* the characters alone, to size the real run */
    char **toks;
    int32_t n_alpha, n;
    tc_wp_options o = opts(100000, 1000000);
    CHECK(tc_wp_train(c, &o, &toks, &n_alpha, NULL) == TC_OK);
    tc_wp_tokens_free(toks, n_alpha);

    /* a vocabulary with a few pieces: most words are split, none is [UNK] */
    o = opts(n_alpha + 25, 2);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    CHECK(n == n_alpha + 25);
    check_loadable(toks, n);
    int64_t ids;
    for (size_t k = 0; k < N_CORPUS; k++) {
        CHECK(count_unk(&f, toks, n, CORPUS[k], &ids) == 0);
        CHECK(ids > 0);
    }
    /* unseen and misspelled words over seen characters */
    CHECK(count_unk(&f, toks, n, "teh qiuck borwn fxo, wolrd elevé", &ids) == 0);
    CHECK(ids >= 6);
    CHECK(count_unk(&f, toks, n, "zazy", &ids) == 0);   /* z, ##a, ##z, ##y are all seen */
    /* q was only seen starting a word, so there is no ##q (by design: split-script characters
     * and punctuation would otherwise waste a token each on a form that can never match) */
    CHECK(count_unk(&f, toks, n, "zzzq", &ids) == 1);
    CHECK(count_unk(&f, toks, n, "€", &ids) == 1);      /* an unseen character */
    /* CJK characters are there, alone */
    static const char *const cjk[] = {"東", "京", "日", "本", "首", "都", "北", "中", "国",
                                      "は", "の", "で", "す"};
    for (size_t i = 0; i < sizeof cjk / sizeof cjk[0]; i++) CHECK(index_of(toks, n, cjk[i]) > 0);
    CHECK(index_of(toks, n, "##東") < 0);   /* never inside a word: split scripts */
    /* normalised forms only: folded, NFKC */
    CHECK(index_of(toks, n, "T") < 0 && index_of(toks, n, "t") > 0);
    CHECK(index_of(toks, n, "\xEF\xAC\x81") < 0 && index_of(toks, n, "f") > 0);   /* ﬁ */

    /* deterministic: the same counts twice, and the words seen in another order */
    char **again;
    int32_t n_again;
    CHECK(tc_wp_train(c, &o, &again, &n_again, NULL) == TC_OK);
    CHECK(same_tokens(toks, n, again, n_again));
    tc_wp_tokens_free(again, n_again);
    tc_wp_counter *r = count_corpus(&f, 1);
    CHECK(tc_wp_train(r, &o, &again, &n_again, NULL) == TC_OK);
    CHECK(same_tokens(toks, n, again, n_again));
    tc_wp_tokens_free(again, n_again);
    tc_wp_counter_free(r);
    tc_wp_tokens_free(toks, n);

    /* everything learnable: every corpus word is one token */
    o = opts(100000, 1);
    CHECK(tc_wp_train(c, &o, &toks, &n, NULL) == TC_OK);
    check_loadable(toks, n);
    CHECK(index_of(toks, n, "mississippi") > 0 && index_of(toks, n, "strasse") > 0);
    CHECK(count_unk(&f, toks, n, CORPUS[3], &ids) == 0);
    CHECK(ids == 13);   /* 9 words, 2 commas, ; and . */
    tc_wp_tokens_free(toks, n);

    tc_wp_counter_free(c);
    tc_tok_scratch_free(&f.scratch);
    tc_tokenizer_free(&f.tok);
}

void test_wordpiece_train(void)
{
    test_classic();
    test_specials_and_alphabet();
    test_max_word_chars();
    test_errors();
    test_reference();
    test_with_tokenizer();
}
