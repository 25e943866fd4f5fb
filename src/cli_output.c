/*
 * cli_output.c - result records. One record per document, always one line, so that output
 * lines correspond to input documents one to one.
 */
#include "cli_output.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Probabilities are printed with 6 decimals: never above 1 (softmax is computed so that each
 * value is <= 1 before rounding) and easy to compare with sort -g or awk. */
#define PROB_FMT "%.6f"

static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    if (need == 0 || need > n) return 0;
    for (size_t i = 1; i < need; i++) if ((s[i] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;
    if (c == 0xED && s[1] > 0x9F) return 0;
    if (c == 0xF0 && s[1] < 0x90) return 0;
    if (c == 0xF4 && s[1] > 0x8F) return 0;
    return need;
}

/* The code point of the well-formed n-byte sequence at s */
static int32_t decode(const unsigned char *s, size_t n)
{
    utf8proc_int32_t c = -1;
    utf8proc_iterate(s, (utf8proc_ssize_t)n, &c);
    return c;
}

/* 1 if code point c must not reach a reader as it is (cli_output.h): Cc, Cf, Zl, Zp */
static int hidden(int32_t c)
{
    if (c < 0x80) return c < 0x20 || c == 0x7f;   /* most text: no table lookup */
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: return 1;
    default: return 0;
    }
}

/* The length of the character at s[0..n) (n >= 1), its code point in *cp, and in *escape
 * whether it must be escaped (cli_output.h). An ill-formed byte: length 1, *cp -1, escaped. */
static size_t next_char(const unsigned char *s, size_t n, int32_t *cp, int *escape)
{
    size_t len = utf8_len(s, n);
    if (len == 0) {
        *cp = -1;
        *escape = 1;
        return 1;
    }
    *cp = len == 1 ? s[0] : decode(s, len);
    *escape = hidden(*cp);
    return len;
}

void out_escaped(FILE *f, const char *str, size_t len, int backslash)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t plain = 0;   /* s[plain..i) is written as it is, at once */
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int escape;
        size_t n = next_char(s + i, len - i, &cp, &escape);
        const char *short_form = cp == '\t' ? "\\t" : cp == '\n' ? "\\n" : cp == '\r' ? "\\r"
                               : cp == '\\' && backslash ? "\\\\" : NULL;
        if (!escape && !short_form) {
            i += n;
            continue;
        }
        fwrite(s + plain, 1, i - plain, f);
        if (short_form) fputs(short_form, f);
        else
            for (size_t k = 0; k < n; k++) fprintf(f, "\\x%02x", s[i + k]);
        i += n;
        plain = i;
    }
    fwrite(s + plain, 1, len - plain, f);
}

void out_tsv_field(FILE *f, const char *s)
{
    out_escaped(f, s, strlen(s), 1);
}

void out_json_string(FILE *f, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t plain = 0;   /* s[plain..i) is written as it is, at once */
    fputc('"', f);
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int escape;
        size_t n = next_char(s + i, len - i, &cp, &escape);
        const char *short_form = cp == '\t' ? "\\t" : cp == '\n' ? "\\n" : cp == '\r' ? "\\r"
                               : cp == '\\' ? "\\\\" : cp == '"' ? "\\\"" : NULL;
        if (!escape && !short_form) {
            i += n;
            continue;
        }
        fwrite(s + plain, 1, i - plain, f);
        if (short_form) fputs(short_form, f);
        else if (cp < 0) fputs("\\ufffd", f);   /* an ill-formed byte: JSON text is UTF-8 */
        else if (cp < 0x10000) fprintf(f, "\\u%04x", (unsigned)cp);
        else   /* a UTF-16 surrogate pair, as JSON spells characters above U+FFFF */
            fprintf(f, "\\u%04x\\u%04x", 0xD800u + ((unsigned)(cp - 0x10000) >> 10),
                    0xDC00u + ((unsigned)(cp - 0x10000) & 0x3FF));
        i += n;
        plain = i;
    }
    fwrite(s + plain, 1, len - plain, f);
    fputc('"', f);
}

void out_tsv_prefix(FILE *f, const out_options *o, const char *file, int64_t number)
{
    if (o->with_filename) {
        out_tsv_field(f, file);
        fputc('\t', f);
    }
    if (o->with_number) fprintf(f, "%lld\t", (long long)number);
}

void out_json_prefix(FILE *f, const out_options *o, const char *file, int64_t number)
{
    if (o->with_filename) {
        fputs("\"file\":", f);
        out_json_string(f, file, strlen(file));
        fputc(',', f);
    }
    if (o->with_number) fprintf(f, "\"record\":%lld,", (long long)number);
}

void out_write_record(FILE *f, const out_options *o, const tc_model *m, const out_record *r,
                      int *order)
{
    int C = tc_model_num_labels(m);
    int k = tc_rank_answers(m, o->flags, r->probs, o->k < C ? o->k : C, order);
    int shown = 0;   /* those at or above the threshold: a prefix, since order is sorted */
    while (shown < k && r->probs[order[shown]] >= o->threshold) shown++;
    /* the model abstains: its answer is the rule's label, the real ranking follows it */
    int abstain = r->info->abstain != TC_ABSTAIN_NONE && o->abstain_label;

    if (o->format == FORMAT_TSV) {
        const char *sep = "";
        if (o->with_filename) { out_tsv_field(f, r->file); sep = "\t"; }
        if (o->with_number) { fprintf(f, "%s%lld", sep, (long long)r->number); sep = "\t"; }
        if (abstain) {   /* field 1 is the answer; its empty probability marks an abstention */
            fprintf(f, "%s", sep);
            out_tsv_field(f, o->abstain_label);
            fputc('\t', f);
            sep = "\t";
        }
        for (int i = 0; i < shown; i++) {
            fprintf(f, "%s", sep);
            out_tsv_field(f, tc_model_label(m, order[i]));
            fprintf(f, "\t" PROB_FMT, r->probs[order[i]]);
            sep = "\t";
        }
        fputc('\n', f);
        return;
    }
    fputc('{', f);
    out_json_prefix(f, o, r->file, r->number);
    if (abstain) {
        const char *why = tc_abstain_string(r->info->abstain);
        fputs("\"label\":", f);
        out_json_string(f, o->abstain_label, strlen(o->abstain_label));
        fprintf(f, ",\"probability\":null,\"abstain\":\"%s\"", why ? why : "");
    } else if (shown > 0) {
        const char *l = tc_model_label(m, order[0]);
        fputs("\"label\":", f);
        out_json_string(f, l, strlen(l));
        fprintf(f, ",\"probability\":" PROB_FMT, r->probs[order[0]]);
    } else {
        fputs("\"label\":null,\"probability\":null", f);
    }
    if (k > 1 || o->show_threshold || abstain) {   /* abstaining: the real labels are in top */
        fputs(",\"top\":[", f);
        for (int i = 0; i < shown; i++) {
            const char *l = tc_model_label(m, order[i]);
            fputs(i ? ",{\"label\":" : "{\"label\":", f);
            out_json_string(f, l, strlen(l));
            fprintf(f, ",\"probability\":" PROB_FMT "}", r->probs[order[i]]);
        }
        fputc(']', f);
    }
    if (o->all) {
        fputs(",\"scores\":{", f);
        const char *sep = "";
        for (int c = 0; c < C; c++) {
            if (!(o->flags & TC_NO_ABSTAIN) && tc_model_label_withheld(m, c)) continue;
            const char *l = tc_model_label(m, c);
            fputs(sep, f);
            sep = ",";
            out_json_string(f, l, strlen(l));
            fprintf(f, ":" PROB_FMT, r->probs[c]);
        }
        fputc('}', f);
    }
    fprintf(f, ",\"tokens\":%lld,\"truncated\":%s}\n", (long long)r->info->tokens,
            r->info->truncated ? "true" : "false");
}
