/*
 * train_data.c - streaming labelled lines and storing tokenised examples.
 */
#include "train_data.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "splitmix.h"

int tc_ngram_collect_add(void *ctx, int64_t token, uint32_t bucket)
{
    tc_ngram_collect *c = ctx;
    while (c->ntok <= token) c->count[c->ntok++] = 0;
    if (c->n == c->cap) {
        int64_t cap = c->cap ? 2 * c->cap : 1024;
        uint32_t *b = realloc(c->bucket, (size_t)cap * sizeof *b);
        if (!b) return -1;
        c->bucket = b;
        c->cap = cap;
    }
    c->bucket[c->n++] = bucket;
    c->count[token]++;
    return 0;
}

/* Appends document n's lists (its n tokens) to e's n-gram arrays. */
static tc_status add_ngrams(tc_examples *e, int64_t n, const tc_ngram_collect *ng, tc_error *err)
{
    if (e->n_ng + ng->n > e->cap_ng) {
        int64_t cap = e->cap_ng ? e->cap_ng : 65536;
        while (cap < e->n_ng + ng->n) cap *= 2;
        uint32_t *p = realloc(e->ng, (size_t)cap * sizeof *p);
        if (!p) return tc_fail_nomem(err, NULL);
        e->ng = p;
        e->cap_ng = cap;
    }
    memcpy(e->ng + e->n_ng, ng->bucket, (size_t)ng->n * sizeof *ng->bucket);
    int64_t first = e->n_ids - n;   /* the document's first token */
    for (int64_t t = 0; t < n; t++)
        e->ng_start[first + t + 1] = e->ng_start[first + t] + (t < ng->ntok ? ng->count[t] : 0);
    e->n_ng += ng->n;
    return TC_OK;
}

tc_status tc_examples_add(tc_examples *e, const int32_t *ids, int64_t n, const int32_t *labels,
                          int n_labels, const tc_ngram_collect *ng, tc_error *err)
{
    if (e->n + 1 >= e->cap) {
        int64_t cap = e->cap ? e->cap * 2 : 1024;
        int64_t *s = realloc(e->start, (size_t)(cap + 1) * sizeof *s);
        if (s) e->start = s;
        int64_t *ls = realloc(e->label_start, (size_t)(cap + 1) * sizeof *ls);
        if (ls) e->label_start = ls;
        if (!s || !ls) return tc_fail_nomem(err, NULL);
        if (e->cap == 0) e->start[0] = e->label_start[0] = 0;
        e->cap = cap;
    }
    if (e->n_labels + n_labels > e->cap_labels) {
        int64_t cap = e->cap_labels ? e->cap_labels : 1024;
        while (cap < e->n_labels + n_labels) cap *= 2;
        int32_t *l = realloc(e->label, (size_t)cap * sizeof *l);
        if (!l) return tc_fail_nomem(err, NULL);
        e->label = l;
        e->cap_labels = cap;
    }
    if (e->n_ids + n > e->cap_ids || (ng && !e->ng_start)) {
        int64_t cap = e->cap_ids ? e->cap_ids : 65536;
        while (cap < e->n_ids + n) cap *= 2;
        int32_t *p = realloc(e->ids, (size_t)cap * sizeof *p);
        if (!p) return tc_fail_nomem(err, NULL);
        e->ids = p;
        if (ng) {
            int64_t *q = realloc(e->ng_start, (size_t)(cap + 1) * sizeof *q);
            if (!q) return tc_fail_nomem(err, NULL);
            if (!e->ng_start) q[0] = 0;
            e->ng_start = q;
        }
        e->cap_ids = cap;
    }
    memcpy(e->ids + e->n_ids, ids, (size_t)n * sizeof *ids);
    e->n_ids += n;
    if (ng) {
        tc_status s = add_ngrams(e, n, ng, err);
        if (s != TC_OK) {
            e->n_ids -= n;
            return s;
        }
    }
    memcpy(e->label + e->n_labels, labels, (size_t)n_labels * sizeof *labels);
    e->n_labels += n_labels;
    e->label_start[e->n + 1] = e->n_labels;
    e->start[++e->n] = e->n_ids;
    return TC_OK;
}

void tc_examples_clear(tc_examples *e)
{
    /* start[0], label_start[0] and ng_start[0] stay 0 */
    e->n = e->n_ids = e->n_labels = e->n_ng = 0;
}

void tc_examples_free(tc_examples *e)
{
    free(e->ids);
    free(e->start);
    free(e->label);
    free(e->label_start);
    free(e->ng);
    free(e->ng_start);
    memset(e, 0, sizeof *e);
}

int tc_held_out(uint64_t seed, int64_t lineno, double fraction)
{
    if (fraction <= 0) return 0;
    /* splitmix64's output at state seed·GAMMA + lineno (tc_splitmix64 adds the GAMMA itself) */
    uint64_t state = seed * TC_SPLITMIX64_GAMMA + (uint64_t)lineno - TC_SPLITMIX64_GAMMA;
    return tc_unit_double(tc_splitmix64(state)) < fraction;
}

/* Reads the next line into r->line (without its newline). Returns 1, 0 at the end, -1 on an
 * error (errno set; getline sets ENOMEM without the stream's error flag). */
static int read_line(tc_line_reader *r, size_t *len)
{
    errno = 0;
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n < 0) return ferror(r->f) || (errno && !feof(r->f)) ? -1 : 0;
    size_t l = (size_t)n;
    if (l && r->line[l - 1] == '\n') l--;
    *len = l;
    r->lineno++;
    return 1;
}

/* The error of a failed read_line or fopen, from errno. */
static tc_status read_error(const char *path, tc_error *err)
{
    if (errno == ENOMEM) return tc_fail_nomem(err, path);
    return tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(errno ? errno : EIO));
}

tc_status tc_line_reader_open(tc_line_reader *r, const char *path, tc_data_format fmt,
                              const char *prefix, int *detected, tc_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->prefix = prefix;
    r->f = fopen(path, "rb");
    if (!r->f) return read_error(path, err);
    struct stat sb;
    if (fstat(fileno(r->f), &sb) == 0 && !S_ISREG(sb.st_mode)) {
        tc_line_reader_close(r);
        return tc_fail(err, TC_ERR_IO, path, NULL, "not a regular file (training data is read "
                       "twice, so it cannot be a pipe or a directory)");
    }
    *detected = 0;
    if (fmt == TC_FORMAT_AUTO) {
        enum { SAMPLE = 1000 };
        char **lines = calloc(SAMPLE, sizeof *lines);
        size_t *lens = calloc(SAMPLE, sizeof *lens), n = 0, len;
        if (!lines || !lens) {
            free(lines);
            free(lens);
            tc_line_reader_close(r);
            return tc_fail_nomem(err, path);
        }
        int got = 0;
        while (n < SAMPLE && (got = read_line(r, &len)) == 1) {
            lines[n] = malloc(len + 1);
            if (!lines[n]) break;
            memcpy(lines[n], r->line, len);
            lens[n++] = len;
        }
        tc_status s = TC_OK;
        if (got == 1 && n < SAMPLE) s = tc_fail_nomem(err, path);   /* a copy failed */
        else if (got < 0) s = read_error(path, err);
        else fmt = tc_detect_format((const char *const *)lines, lens, n, prefix);
        for (size_t i = 0; i < n; i++) free(lines[i]);
        free(lines);
        free(lens);
        *detected = 1;
        if (s == TC_OK) s = tc_line_reader_rewind(r, err);
        if (s != TC_OK) {
            tc_line_reader_close(r);
            return s;
        }
        if (fmt == TC_FORMAT_AUTO && n == 0) {
            tc_line_reader_close(r);
            return tc_fail(err, TC_ERR_INPUT, path, NULL, "empty file: no labelled lines");
        }
        if (fmt == TC_FORMAT_AUTO) {
            tc_line_reader_close(r);
            return tc_fail(err, TC_ERR_INPUT, path, NULL,
                           "cannot tell the format: fewer than half of the first lines have a "
                           "\"%s\" label or a tab; use --format fasttext or --format tsv", prefix);
        }
    }
    r->format = fmt;
    return TC_OK;
}

int tc_line_reader_next(tc_line_reader *r, tc_labeled_line *out, tc_error *err)
{
    for (;;) {
        size_t len;
        int got = read_line(r, &len);
        if (got == 0) return 0;
        if (got < 0) {
            read_error(r->path, err);
            return -1;
        }
        int oom;
        tc_line_status s = tc_parse_labeled(r->format, r->prefix, r->multi, r->line, len,
                                            &r->scratch, out, &oom);
        if (oom) {
            tc_fail_nomem(err, r->path);
            return -1;
        }
        if (s == TC_LINE_OK) {
            r->examples++;
            return 1;
        }
        r->skipped[s]++;
    }
}

tc_status tc_line_reader_rewind(tc_line_reader *r, tc_error *err)
{
    if (fseek(r->f, 0, SEEK_SET) != 0)
        return tc_fail(err, TC_ERR_IO, r->path, NULL, "cannot rewind: %s", strerror(errno));
    clearerr(r->f);
    r->lineno = 0;
    r->examples = 0;
    memset(r->skipped, 0, sizeof r->skipped);
    return TC_OK;
}

void tc_line_reader_close(tc_line_reader *r)
{
    if (r->f) fclose(r->f);
    free(r->line);
    tc_buf_free(&r->scratch);
    memset(r, 0, sizeof *r);
}

int tc_crop_words(const uint8_t *word_start, const int32_t *ids, int T, double u1, double u2,
                  int *begin)
{
    int words = 0;
    for (int i = 0; i < T; i++) words += word_start[ids[i]];
    *begin = 0;
    if (words < 2) return T;
    int most = words < 8 ? words : 8;
    int k = 1 + (int)(u1 * most);
    if (k > most) k = most;
    int first = (int)(u2 * (words - k + 1));
    if (first > words - k) first = words - k;
    int end = T, w = -1;
    for (int i = 0; i < T; i++) {
        if (!word_start[ids[i]]) continue;
        w++;
        if (w == first) *begin = i;
        if (w == first + k) { end = i; break; }
    }
    return end - *begin;
}
