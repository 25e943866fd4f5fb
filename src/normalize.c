/*
 * normalize.c - cleaning, case mapping and Unicode normalisation with utf8proc.
 *
 * The order is the spec's: clean, then case + normalisation form, then accent stripping. utf8proc
 * does folding, compatibility decomposition, composition and removal of default-ignorable code
 * points in one decompose/compose pass; Python's str.lower (used by BERT) needs context (final
 * sigma), so it runs as our own pass before utf8proc.
 */
#include "normalize.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int cp_reserve(tc_cpbuf *b, size_t n)
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

void tc_cpbuf_free(tc_cpbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void tc_norm_scratch_free(tc_norm_scratch *s)
{
    tc_buf_free(&s->utf8);
    tc_cpbuf_free(&s->tmp);
}

/* Decodes well-formed UTF-8 into out. */
static int decode(const char *s, size_t len, tc_cpbuf *out)
{
    if (cp_reserve(out, len + 1) != 0) return -1;
    size_t n = 0, i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0) { c = 0xFFFD; k = 1; }   /* unreachable: input is repaired first */
        out->data[n++] = c;
        i += (size_t)k;
    }
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
        if (cp_reserve(out, (size_t)n) != 0) return -1;
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

/* Python's rule: capital sigma at i lowers to final sigma after a cased letter (skipping
 * case-ignorables) when no cased letter follows (skipping case-ignorables). */
static int final_sigma(const int32_t *s, size_t n, size_t i)
{
    size_t j = i;
    while (j > 0 && is_case_ignorable(s[j - 1])) j--;
    if (j == 0 || !is_cased(s[j - 1])) return 0;
    j = i + 1;
    while (j < n && is_case_ignorable(s[j])) j++;
    return j == n || !is_cased(s[j]);
}

/* Cleans (BERT mode) and lower-cases (lower mode) in place on code points; grows for U+0130. */
static int prepass(const tc_norm_config *cfg, tc_cpbuf *cp, tc_cpbuf *tmp)
{
    size_t n = 0;
    if (cfg->pretok == TC_PRETOK_BERT) {
        for (size_t i = 0; i < cp->len; i++)
            if (!bert_junk(cp->data[i])) cp->data[n++] = cp->data[i];
        cp->len = n;
    }
    if (cfg->case_mode != TC_CASE_LOWER) return 0;
    if (cp_reserve(tmp, cp->len * 2 + 1) != 0) return -1;
    n = 0;
    for (size_t i = 0; i < cp->len; i++) {
        int32_t c = cp->data[i];
        if (c == 0x130) {            /* the one multi-character lowercase mapping */
            tmp->data[n++] = 'i';
            tmp->data[n++] = 0x307;
        } else if (c == 0x3A3) {
            tmp->data[n++] = final_sigma(cp->data, cp->len, i) ? 0x3C2 : 0x3C3;
        } else {
            tmp->data[n++] = utf8proc_tolower(c);
        }
    }
    tmp->len = n;
    tc_cpbuf t = *cp;   /* swap: result in cp */
    *cp = *tmp;
    *tmp = t;
    return 0;
}

/* ASCII text (log lines, code, most English) is its own NFC and NFKC form, has no accents and
 * no default-ignorable code points, and both case mappings take it only A-Z -> a-z; so it skips
 * utf8proc. (tests/tokenizer checks every code point, ASCII ones included, against Python.) */
static int normalize_ascii(const tc_norm_config *cfg, const char *text, size_t len, tc_cpbuf *out)
{
    if (cp_reserve(out, len) != 0) return -1;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int32_t c = (unsigned char)text[i];
        if (cfg->pretok == TC_PRETOK_BERT && bert_junk(c)) continue;
        if (cfg->case_mode != TC_CASE_KEEP && c >= 'A' && c <= 'Z') c += 'a' - 'A';
        out->data[n++] = c;
    }
    out->len = n;
    return 0;
}

int tc_normalize(const tc_norm_config *cfg, const char *text, size_t len, tc_cpbuf *out,
                 tc_norm_scratch *sc)
{
    size_t ascii = 0;
    while (ascii < len && (unsigned char)text[ascii] < 0x80) ascii++;
    if (ascii == len) return normalize_ascii(cfg, text, len, out);

    utf8proc_option_t opts = 0;
    if (cfg->form == TC_NORM_NFKC) opts |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_STABLE;
    if (cfg->form == TC_NORM_NFC) opts |= UTF8PROC_COMPOSE | UTF8PROC_STABLE;
    if (cfg->case_mode == TC_CASE_FOLD) opts |= UTF8PROC_CASEFOLD;
    if (cfg->pretok == TC_PRETOK_UNICODE) opts |= UTF8PROC_IGNORE;

    const char *src = text;
    size_t src_len = len;
    if (cfg->pretok == TC_PRETOK_BERT || cfg->case_mode == TC_CASE_LOWER) {
        if (decode(text, len, out) != 0 || prepass(cfg, out, &sc->tmp) != 0) return -1;
        if (opts == 0 && !cfg->strip_accents) return 0;
        if (encode(out->data, out->len, &sc->utf8) != 0) return -1;
        src = sc->utf8.data;
        src_len = sc->utf8.len;
    }
    if (opts == 0) {
        if (decode(src, src_len, out) != 0) return -1;
    } else if (run_utf8proc(src, src_len, opts, out) != 0) {
        return -1;
    }
    if (!cfg->strip_accents) return 0;

    /* strip accents: NFD, drop Mn, then recompose with the model's form (none: stay NFD) */
    if (encode(out->data, out->len, &sc->utf8) != 0) return -1;
    if (run_utf8proc(sc->utf8.data, sc->utf8.len, UTF8PROC_DECOMPOSE | UTF8PROC_STABLE, out) != 0)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < out->len; i++)
        if (utf8proc_category(out->data[i]) != UTF8PROC_CATEGORY_MN) out->data[n++] = out->data[i];
    out->len = n;
    if (cfg->form == TC_NORM_NONE) return 0;
    opts = UTF8PROC_COMPOSE | UTF8PROC_STABLE | (cfg->form == TC_NORM_NFKC ? UTF8PROC_COMPAT : 0);
    if (encode(out->data, out->len, &sc->utf8) != 0) return -1;
    return run_utf8proc(sc->utf8.data, sc->utf8.len, opts, out);
}
