/*
 * cli_output.c - result records. One record per document, always one line, so that output
 * lines correspond to input documents one to one.
 */
#include "cli_output.h"

#include <stdlib.h>
#include <string.h>

/* Probabilities are printed with 6 decimals: never above 1 (softmax is computed so that each
 * value is <= 1 before rounding) and easy to compare with sort -g or awk. */
#define PROB_FMT "%.6f"

void out_tsv_field(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", f); break;
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        default: fputc(*s, f);
        }
    }
}

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

void out_json_string(FILE *f, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    fputc('"', f);
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') { fputc('\\', f); fputc(c, f); i++; }
        else if (c == '\n') { fputs("\\n", f); i++; }
        else if (c == '\t') { fputs("\\t", f); i++; }
        else if (c == '\r') { fputs("\\r", f); i++; }
        else if (c < 0x20 || c == 0x7f) { fprintf(f, "\\u%04x", c); i++; }
        else {
            size_t n = utf8_len(s + i, len - i);
            if (n == 0) { fputs("\\ufffd", f); i++; }
            else { fwrite(s + i, 1, n, f); i += n; }
        }
    }
    fputc('"', f);
}

void out_write_record(FILE *f, const out_options *o, const tc_model *m, const out_record *r,
                      int *order)
{
    int C = tc_model_num_labels(m);
    int k = o->k < C ? o->k : C;
    tc_rank_labels(r->probs, C, k, order);
    int shown = 0;   /* those at or above the threshold: a prefix, since order is sorted */
    while (shown < k && r->probs[order[shown]] >= o->threshold) shown++;

    if (o->format == FORMAT_TSV) {
        const char *sep = "";
        if (o->with_filename) { out_tsv_field(f, r->file); sep = "\t"; }
        if (o->with_number) { fprintf(f, "%s%lld", sep, (long long)r->number); sep = "\t"; }
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
    if (o->with_filename) {
        fputs("\"file\":", f);
        out_json_string(f, r->file, strlen(r->file));
        fputc(',', f);
    }
    if (o->with_number) fprintf(f, "\"record\":%lld,", (long long)r->number);
    if (shown > 0) {
        const char *l = tc_model_label(m, order[0]);
        fputs("\"label\":", f);
        out_json_string(f, l, strlen(l));
        fprintf(f, ",\"probability\":" PROB_FMT, r->probs[order[0]]);
    } else {
        fputs("\"label\":null,\"probability\":null", f);
    }
    if (k > 1 || o->show_threshold) {
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
        for (int c = 0; c < C; c++) {
            const char *l = tc_model_label(m, c);
            if (c) fputc(',', f);
            out_json_string(f, l, strlen(l));
            fprintf(f, ":" PROB_FMT, r->probs[c]);
        }
        fputc('}', f);
    }
    fprintf(f, ",\"tokens\":%lld,\"truncated\":%s}\n", (long long)r->info->tokens,
            r->info->truncated ? "true" : "false");
}
