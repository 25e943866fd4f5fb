/*
 * normalize.c - cleaning, case mapping and Unicode normalisation with utf8proc.
 *
 * The order is the spec's: clean, then case + normalisation form, then accent stripping. utf8proc
 * does folding, compatibility decomposition, composition and removal of default-ignorable code
 * points in one decompose/compose pass; Python's str.lower (used by BERT) needs context (final
 * sigma), so it runs as our own pass before utf8proc, after our own cleaning.
 *
 * utf8proc puts combining marks in canonical order with an insertion sort over the whole text,
 * quadratic in a run of marks (a line of 80,000 marks took 22 s). Steps 3-4 therefore run on
 * stream-safe segments (UAX #15, section 13): a segment ends wherever a run of non-starters would
 * pass 30, which is what Unicode's Stream-Safe Text Format does by inserting U+034F there.
 * Ordinary text never has such a run and is one segment, normalised exactly as before.
 */
#include "normalize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "utf8.h"

int tc_cpbuf_reserve(tc_cpbuf *b, size_t n)
{
    if (n <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < n) cap *= 2;
    int32_t *p = realloc(b->data, cap * sizeof *p);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

/* Appends src[0..n) to b. Returns 0, or -1 if out of memory. */
static int cp_append(tc_cpbuf *b, const int32_t *src, size_t n)
{
    if (tc_cpbuf_reserve(b, b->len + n) != 0) return -1;
    if (n) memcpy(b->data + b->len, src, n * sizeof *src);
    b->len += n;
    return 0;
}

void tc_cpbuf_free(tc_cpbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void tc_norm_scratch_free(tc_norm_scratch *s)
{
    tc_buf_free(&s->utf8);
    tc_buf_free(&s->utf8b);
    tc_cpbuf_free(&s->tmp);
    tc_cpbuf_free(&s->seg);
}

/* Decodes well-formed UTF-8 into out. */
static int decode(const char *s, size_t len, tc_cpbuf *out)
{
    if (tc_cpbuf_reserve(out, len + 1) != 0) return -1;
    size_t n = 0;
    for (size_t i = 0; i < len; n++)
        i += tc_utf8_next((const unsigned char *)s + i, len - i, &out->data[n]);
    out->len = n;
    return 0;
}

/* Encodes cps into b (replacing its contents). */
static int encode(const int32_t *cps, size_t n, tc_buf *b)
{
    tc_buf_reset(b);
    if (tc_buf_reserve(b, n * 4 + 1) != 0) return -1;
    for (size_t i = 0; i < n; i++)
        b->len += (size_t)utf8proc_encode_char(cps[i], (utf8proc_uint8_t *)b->data + b->len);
    return 0;
}

/* Runs utf8proc's decompose (+ compose when asked) over UTF-8 s into out. */
static int run_utf8proc(const char *s, size_t len, utf8proc_option_t opts, tc_cpbuf *out)
{
    for (;;) {
        utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s,
                                                (utf8proc_ssize_t)len, out->data,
                                                (utf8proc_ssize_t)out->cap, opts);
        if (n < 0) return -1;
        if ((size_t)n <= out->cap) {
            if (opts & UTF8PROC_COMPOSE) {
                n = utf8proc_normalize_utf32(out->data, n, opts);
                if (n < 0) return -1;
            }
            out->len = (size_t)n;
            return 0;
        }
        if (tc_cpbuf_reserve(out, (size_t)n) != 0) return -1;
    }
}

/* BERT's _clean_text: drop NUL, U+FFFD and category C* except tab, LF, CR. */
static int bert_junk(int32_t c)
{
    if (c == '\t' || c == '\n' || c == '\r') return 0;
    if (c == 0 || c == 0xFFFD) return 1;
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF ||
           cat == UTF8PROC_CATEGORY_CS || cat == UTF8PROC_CATEGORY_CO ||
           cat == UTF8PROC_CATEGORY_CN;
}

int tc_norm_survives_cleaning(const tc_norm_config *cfg, int32_t c)
{
    if (cfg->pretok == TC_PRETOK_BERT) return !bert_junk(c);
    return !utf8proc_get_property(c)->ignorable;
}

/* Unicode's Cased property, approximated from utf8proc's data (see docs/model-format.md). */
static int is_cased(int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
        cat == UTF8PROC_CATEGORY_LT)
        return 1;
    if (c == 0xAA || c == 0xBA || (c >= 0x1F130 && c <= 0x1F149) ||
        (c >= 0x1F150 && c <= 0x1F169) || (c >= 0x1F170 && c <= 0x1F189))
        return 1;
    return utf8proc_tolower(c) != c || utf8proc_toupper(c) != c;
}

/* Unicode's Case_Ignorable property: Mn, Me, Cf, Lm, Sk and the word-break MidLetter,
 * MidNumLet and Single_Quote characters. */
static int is_case_ignorable(int32_t c)
{
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_SK:
        return 1;
    default:
        break;
    }
    switch (c) {
    case 0x27: case 0x2E: case 0x3A: case 0xB7: case 0x387: case 0x55F: case 0x5F4:
    case 0x2018: case 0x2019: case 0x2024: case 0x2027: case 0xFE13: case 0xFE52: case 0xFE55:
    case 0xFF07: case 0xFF0E: case 0xFF1A:
        return 1;
    default:
        return 0;
    }
}

/* ---- stream-safe segments ------------------------------------------------------------ */

/* The non-starters (canonical combining class > 0) that c's NFKD form begins and ends with,
 * and its length. */
static void nonstarters(int32_t c, unsigned *lead, unsigned *trail, unsigned *len)
{
    utf8proc_int32_t d[32];   /* the longest decomposition (U+FDFA) has 18 code points */
    int bc = 0;
    utf8proc_ssize_t n =
        utf8proc_decompose_char(c, d, 32, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &bc);
    if (n < 1 || n > 32) {   /* not a code point: cannot happen for decoded text */
        n = 1;
        d[0] = c;
    }
    unsigned i = 0, j = 0;
    while (i < (unsigned)n && utf8proc_get_property(d[i])->combining_class) i++;
    while (j < (unsigned)n && utf8proc_get_property(d[n - 1 - j])->combining_class) j++;
    *lead = i;
    *trail = j;
    *len = (unsigned)n;
}

/* Two bits for each BMP code point, so that the stream-safe scan of ordinary text costs a table
 * look-up instead of a utf8proc call: SIMPLE, a starter that does not decompose (it ends any run
 * of non-starters); IGNORABLE, a default-ignorable code point (cleaning removes it). Filled once,
 * by the first thread that needs it. */
enum { SIMPLE = 1, IGNORABLE = 2 };
static unsigned char bmp_bits[0x10000 / 4];
static pthread_once_t bmp_once = PTHREAD_ONCE_INIT;

static void bmp_init(void)
{
    for (int32_t c = 0; c < 0x10000; c++) {
        const utf8proc_property_t *p = utf8proc_get_property(c);
        unsigned bits = (p->combining_class == 0 && p->decomp_seqindex == UINT16_MAX ? SIMPLE : 0) |
                        (p->ignorable ? IGNORABLE : 0);
        bmp_bits[c >> 2] |= (unsigned char)(bits << 2 * (c & 3));
    }
}

/* SIMPLE | IGNORABLE bits of c, or -1 beyond the BMP (ask utf8proc). bmp_once must have run. */
static int bmp_lookup(int32_t c)
{
    return c < 0x10000 ? (bmp_bits[c >> 2] >> 2 * (c & 3)) & 3 : -1;
}

/* tc_stream_safe_next for c with property p (looked up once by the callers) */
static int stream_safe_step(tc_stream_safe *ss, int32_t c, const utf8proc_property_t *p)
{
    unsigned lead, trail, len = 1;
    if (p->decomp_seqindex == UINT16_MAX)   /* no decomposition (a Hangul syllable's: starters) */
        lead = trail = p->combining_class != 0;
    else
        nonstarters(c, &lead, &trail, &len);
    int cut = ss->nonstarters + lead > TC_STREAM_SAFE_MAX;
    if (cut) ss->nonstarters = 0;
    ss->nonstarters = lead == len ? ss->nonstarters + len : trail;
    return cut;
}

int tc_stream_safe_resets(const tc_norm_config *cfg, int32_t c)
{
    pthread_once(&bmp_once, bmp_init);
    /* (U+0130 lowers to i + U+0307, which ends with a non-starter: no reset) */
    if (cfg->case_mode == TC_CASE_LOWER && c != 0x130) c = utf8proc_tolower(c);
    int bits = bmp_lookup(c);
    const utf8proc_property_t *p = bits < 0 ? utf8proc_get_property(c) : NULL;
    int simple = p ? p->combining_class == 0 && p->decomp_seqindex == UINT16_MAX : bits & SIMPLE;
    return simple && tc_norm_survives_cleaning(cfg, c);
}

int tc_stream_safe_next(tc_stream_safe *ss, int32_t c)
{
    pthread_once(&bmp_once, bmp_init);
    int bits = bmp_lookup(c);
    if (bits >= 0 && (bits & SIMPLE)) {   /* most text, quickly */
        ss->nonstarters = 0;
        return 0;
    }
    return stream_safe_step(ss, c, utf8proc_get_property(c));
}

int tc_stream_safe_feed(tc_stream_safe *ss, const tc_norm_config *cfg, int32_t c)
{   /* as prepass maps it */
    if (!tc_norm_survives_cleaning(cfg, c)) return 0;
    if (cfg->case_mode != TC_CASE_LOWER) return tc_stream_safe_next(ss, c);
    if (c != 0x130) return tc_stream_safe_next(ss, utf8proc_tolower(c));
    int ends = tc_stream_safe_next(ss, 'i');
    tc_stream_safe_next(ss, 0x307);
    return ends;
}

/* ---- where a document may be cut ----------------------------------------------------- */

/* 1 if c is the second character of a canonical composition (Hangul V and T jamo included) */
static int composes_as_second(int32_t c, const utf8proc_property_t *p)
{
    if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2)) return 1;
    return p->comb_index != UINT16_MAX && p->comb_index >= 0x8000;
}

/* 1 if c begins a piece that nothing before it can reach in steps 3-4: a starter (reordering
 * stops there), not a composition's second character (composition cannot join it to what is
 * before), not a mark (accent stripping keeps it), not removed by cleaning. */
static int plain_starter(int32_t c)
{
    const utf8proc_property_t *p = utf8proc_get_property(c);
    utf8proc_propval_t cat = p->category;
    return p->combining_class == 0 && cat != UTF8PROC_CATEGORY_MN &&
           cat != UTF8PROC_CATEGORY_MC && cat != UTF8PROC_CATEGORY_ME &&
           !composes_as_second(c, p) && !p->ignorable;
}

int tc_norm_cut_before(const tc_norm_config *cfg, int32_t c)
{
    if (!tc_norm_survives_cleaning(cfg, c)) return 0;
    int32_t x = c;
    if (cfg->case_mode == TC_CASE_LOWER) x = c == 0x130 ? 'i' : utf8proc_tolower(c);
    if (!plain_starter(x)) return 0;
    /* the first code point of x's decomposition under every option steps 3-4 may use */
    static const utf8proc_option_t forms[] = {
        UTF8PROC_CASEFOLD, UTF8PROC_DECOMPOSE, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        utf8proc_int32_t d[32];
        int bc = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(x, d, 32, forms[i], &bc);
        if (n < 1 || n > 32 || !plain_starter(d[0])) return 0;
    }
    return 1;
}

/* ---- case mapping -------------------------------------------------------------------- */

/* Whether the first code point of ctx->after that survives cleaning and is not case-ignorable
 * is cased (0 if there is none). Invalid UTF-8 there stands for U+FFFD, as step 1 makes it. */
static int cased_after(const tc_norm_config *cfg, const tc_norm_context *ctx)
{
    const unsigned char *p = (const unsigned char *)ctx->after;
    for (size_t i = 0, n = ctx->after_len; i < n;) {
        int32_t c;
        i += tc_utf8_next(p + i, n - i, &c);
        if (tc_norm_survives_cleaning(cfg, c) && !is_case_ignorable(c)) return is_cased(c);
    }
    return 0;
}

/* Python's rule: capital sigma at s[i] lowers to final sigma after a cased letter (skipping
 * case-ignorables) when no cased letter follows (skipping case-ignorables); ctx (or NULL) says
 * what lies beyond s[0..n). */
static int final_sigma(const tc_norm_config *cfg, const int32_t *s, size_t n, size_t i,
                       const tc_norm_context *ctx)
{
    size_t j = i;
    while (j > 0 && is_case_ignorable(s[j - 1])) j--;
    if (!(j > 0 ? is_cased(s[j - 1]) : ctx && ctx->cased_before)) return 0;
    j = i + 1;
    while (j < n && is_case_ignorable(s[j])) j++;
    if (j < n) return !is_cased(s[j]);
    return !(ctx && cased_after(cfg, ctx));
}

/* Records in ctx (if any) whether the last code point of s[0..n) that is not case-ignorable
 * is cased; nothing when there is none. */
static void note_cased(const int32_t *s, size_t n, tc_norm_context *ctx)
{
    if (!ctx) return;
    while (n > 0 && is_case_ignorable(s[n - 1])) n--;
    if (n > 0) ctx->cased_before = is_cased(s[n - 1]);
}

/* Cleans (step 2) and lower-cases (lower mode) in place on code points; grows for U+0130. */
static int prepass(const tc_norm_config *cfg, tc_cpbuf *cp, tc_cpbuf *tmp, tc_norm_context *ctx)
{
    size_t n = 0;
    for (size_t i = 0; i < cp->len; i++)
        if (tc_norm_survives_cleaning(cfg, cp->data[i])) cp->data[n++] = cp->data[i];
    cp->len = n;
    if (cfg->case_mode != TC_CASE_LOWER) return 0;
    if (tc_cpbuf_reserve(tmp, cp->len * 2 + 1) != 0) return -1;
    n = 0;
    for (size_t i = 0; i < cp->len; i++) {
        int32_t c = cp->data[i];
        if (c == 0x130) {            /* the one multi-character lowercase mapping */
            tmp->data[n++] = 'i';
            tmp->data[n++] = 0x307;
        } else if (c == 0x3A3) {
            tmp->data[n++] = final_sigma(cfg, cp->data, cp->len, i, ctx) ? 0x3C2 : 0x3C3;
        } else {
            tmp->data[n++] = utf8proc_tolower(c);
        }
    }
    tmp->len = n;
    note_cased(cp->data, cp->len, ctx);
    tc_cpbuf t = *cp;   /* swap: result in cp */
    *cp = *tmp;
    *tmp = t;
    return 0;
}

/* ASCII text (log lines, code, most English) is its own NFC and NFKC form, has no accents and
 * no default-ignorable code points, and both case mappings take it only A-Z -> a-z; so it skips
 * utf8proc. (tests/tokenizer checks every code point, ASCII ones included, against Python.) */
static int normalize_ascii(const tc_norm_config *cfg, const char *text, size_t len, tc_cpbuf *out,
                           tc_norm_context *ctx)
{
    if (tc_cpbuf_reserve(out, len) != 0) return -1;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int32_t c = (unsigned char)text[i];
        if (cfg->pretok == TC_PRETOK_BERT && bert_junk(c)) continue;
        if (cfg->case_mode != TC_CASE_KEEP && c >= 'A' && c <= 'Z') c += 'a' - 'A';
        out->data[n++] = c;
    }
    out->len = n;
    if (cfg->case_mode == TC_CASE_LOWER) note_cased(out->data, n, ctx);
    return 0;
}

/* ---- steps 3-4 ----------------------------------------------------------------------- */

/* Steps 3-4 (utf8proc with opts, then accent stripping) on one segment, the well-formed UTF-8
 * s[0..len), into out (replacing its contents). s must not be in sc->utf8b. */
static int normalize_segment(const tc_norm_config *cfg, utf8proc_option_t opts, const char *s,
                             size_t len, tc_cpbuf *out, tc_norm_scratch *sc)
{
    if (opts == 0) {
        if (decode(s, len, out) != 0) return -1;
    } else if (run_utf8proc(s, len, opts, out) != 0) {
        return -1;
    }
    if (!cfg->strip_accents) return 0;

    /* strip accents: NFD, drop Mn, then recompose with the model's form (none: stay NFD) */
    if (encode(out->data, out->len, &sc->utf8b) != 0) return -1;
    if (run_utf8proc(sc->utf8b.data, sc->utf8b.len, UTF8PROC_DECOMPOSE | UTF8PROC_STABLE, out) != 0)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < out->len; i++)
        if (utf8proc_category(out->data[i]) != UTF8PROC_CATEGORY_MN) out->data[n++] = out->data[i];
    out->len = n;
    if (cfg->form == TC_NORM_NONE) return 0;
    opts = UTF8PROC_COMPOSE | UTF8PROC_STABLE | (cfg->form == TC_NORM_NFKC ? UTF8PROC_COMPAT : 0);
    if (encode(out->data, out->len, &sc->utf8b) != 0) return -1;
    return run_utf8proc(sc->utf8b.data, sc->utf8b.len, opts, out);
}

/* Steps 3-4 on the cleaned (and lower-cased) code points in out, segment by segment, into out. */
static int normalize_cps(const tc_norm_config *cfg, utf8proc_option_t opts, tc_cpbuf *out,
                         tc_norm_scratch *sc)
{
    tc_stream_safe ss = {0};
    size_t cut = 0;
    while (cut < out->len && !tc_stream_safe_next(&ss, out->data[cut])) cut++;
    if (cut == out->len) {   /* one segment: the usual case */
        if (encode(out->data, out->len, &sc->utf8) != 0) return -1;
        return normalize_segment(cfg, opts, sc->utf8.data, sc->utf8.len, out, sc);
    }
    tc_cpbuf src = *out;   /* the segments are read from here (the old out); out is rebuilt */
    *out = sc->tmp;
    sc->tmp = src;
    out->len = 0;
    for (size_t from = 0;;) {   /* src[from..cut) is a segment; src[cut] was fed already */
        if (encode(src.data + from, cut - from, &sc->utf8) != 0 ||
            normalize_segment(cfg, opts, sc->utf8.data, sc->utf8.len, &sc->seg, sc) != 0 ||
            cp_append(out, sc->seg.data, sc->seg.len) != 0)
            return -1;
        if (cut == src.len) return 0;
        from = cut++;
        while (cut < src.len && !tc_stream_safe_next(&ss, src.data[cut])) cut++;
    }
}

/* normalize_segment on text[from..to) into out: directly when it is the first segment (from 0),
 * else appended through sc->seg. */
static int add_segment(const tc_norm_config *cfg, utf8proc_option_t opts, const char *text,
                       size_t from, size_t to, tc_cpbuf *out, tc_norm_scratch *sc)
{
    if (from == 0) return normalize_segment(cfg, opts, text, to, out, sc);
    if (normalize_segment(cfg, opts, text + from, to - from, &sc->seg, sc) != 0) return -1;
    return cp_append(out, sc->seg.data, sc->seg.len);
}

/* Steps 2-4 on the well-formed UTF-8 text[0..len) when utf8proc does the cleaning (`unicode`,
 * without `lower`): segments are found on the text itself, skipping what cleaning removes. */
static int normalize_text(const tc_norm_config *cfg, utf8proc_option_t opts, const char *text,
                          size_t len, tc_cpbuf *out, tc_norm_scratch *sc)
{
    tc_stream_safe ss = {0};
    size_t from = 0;
    out->len = 0;
    pthread_once(&bmp_once, bmp_init);
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        if (u[i] < 0x80) {   /* ASCII: starters */
            ss.nonstarters = 0;
            i++;
            continue;
        }
        int32_t c;
        i += tc_utf8_next(u + i, len - i, &c);
        int bits = bmp_lookup(c);
        if (bits == SIMPLE) {
            ss.nonstarters = 0;
            continue;
        }
        const utf8proc_property_t *p = utf8proc_get_property(c);
        if (!p->ignorable && stream_safe_step(&ss, c, p) && at > from) {
            if (add_segment(cfg, opts, text, from, at, out, sc) != 0) return -1;
            from = at;
        }
    }
    return add_segment(cfg, opts, text, from, len, out, sc);
}

int tc_normalize(const tc_norm_config *cfg, const char *text, size_t len, tc_cpbuf *out,
                 tc_norm_scratch *sc, tc_norm_context *ctx)
{
    size_t ascii = 0;
    while (ascii < len && (unsigned char)text[ascii] < 0x80) ascii++;
    if (ascii == len) return normalize_ascii(cfg, text, len, out, ctx);

    utf8proc_option_t opts = 0;
    if (cfg->form == TC_NORM_NFKC) opts |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_STABLE;
    if (cfg->form == TC_NORM_NFC) opts |= UTF8PROC_COMPOSE | UTF8PROC_STABLE;
    if (cfg->case_mode == TC_CASE_FOLD) opts |= UTF8PROC_CASEFOLD;
    /* compatibility decomposition can produce default-ignorables (U+FFA0 -> U+3164): utf8proc
     * removes those too */
    if (cfg->pretok == TC_PRETOK_UNICODE) opts |= UTF8PROC_IGNORE;

    if (cfg->pretok == TC_PRETOK_BERT || cfg->case_mode == TC_CASE_LOWER) {
        if (decode(text, len, out) != 0 || prepass(cfg, out, &sc->tmp, ctx) != 0) return -1;
        if (!(opts & ~UTF8PROC_IGNORE) && !cfg->strip_accents) return 0;
        return normalize_cps(cfg, opts, out, sc);
    }
    return normalize_text(cfg, opts, text, len, out, sc);
}
