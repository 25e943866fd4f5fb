/*
 * train_pretrained.c - `textclf train --pretrained-vectors FILE.vec`: a fastText text vector file
 * starts the token embeddings of the vocabulary entries it names (docs/train.md).
 *
 * The format is fastText's (`fasttext ... -dim D` writes MODEL.vec): a first line "N D" (the
 * number of vectors, their dimension), then N lines "WORD v1 ... vD" separated by spaces (fastText
 * ends each with a space). A word names the vocabulary entry it tokenises to when that is one
 * whole-word entry: the model's own tokenizer decides (normalisation, case folding), so "The"
 * and "the" both name `the`, and the first of them in the file (fastText writes the most frequent
 * first) gives its row; a word that becomes several pieces, [UNK] or a continuation piece names
 * nothing. The values are copied as they are.
 */
#include "train_pretrained.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "tokenizer.h"

/* The most vectors a header may announce (a check on the file, not a limit of the format). */
#define MAX_VECTORS 100000000LL

/* *v = the integer at s (after blanks), *end past it; 0, or -1 when there is none or it does not
 * fit in 0..max */
static int parse_count(const char *s, char **end, long long max, long long *v)
{
    while (*s == ' ' || *s == '\t') s++;
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    *v = strtoll(s, end, 10);
    return errno || *v < 0 || *v > max ? -1 : 0;
}

tc_status tc_train_pretrained_header(const char *path, FILE *f, int dim, int64_t *vectors,
                                     tc_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    long long n = 0, d = 0;
    char *p;
    tc_status s = TC_OK;
    if (getline(&line, &cap, f) < 0)
        s = ferror(f) ? tc_fail(err, TC_ERR_INPUT, path, NULL, "read error: %s", strerror(errno))
                      : tc_fail(err, TC_ERR_INPUT, path, NULL, "empty file: expected a first "
                                "line \"N D\" (fastText's .vec)");
    else if (parse_count(line, &p, MAX_VECTORS, &n) != 0 || parse_count(p, &p, 1 << 20, &d) != 0 ||
             strspn(p, " \t\r\n") != strlen(p))
        s = tc_fail_at(err, TC_ERR_INPUT, path, 1, 1, "expected \"N D\" (the number of vectors "
                       "and their dimension, fastText's .vec header)");
    else if (d != dim)
        s = tc_fail_at(err, TC_ERR_INPUT, path, 1, 1, "the vectors have %lld values, the model's "
                       "--dim is %d: give --dim %lld", d, dim, d);
    free(line);
    *vectors = n;
    return s;
}

tc_status tc_train_pretrained(tc_model *m, const char *path, FILE *f, int64_t n, int64_t *read,
                              int64_t *matched, tc_error *err)
{
    *read = *matched = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    tc_tok_scratch scratch;
    unsigned char *taken = NULL;   /* [V]: a row already given by an earlier word */
    float *vec = NULL;
    tc_status s = tc_tok_scratch_init(&scratch, &m->tok, m->max_len, err);
    if (s != TC_OK) return s;
    int d = m->dim;
    char *p;
    taken = calloc((size_t)m->vocab.size, 1);
    vec = malloc((size_t)d * sizeof *vec);
    if (!taken || !vec) {
        s = tc_fail_nomem(err, NULL);
        goto done;
    }
    float *E = m->owned[TC_W_EMBEDDING];   /* [V, d], drawn at random by the caller */
    for (int lineno = 2; (len = getline(&line, &cap, f)) >= 0; lineno++) {
        if (*read == n) {
            s = tc_fail_at(err, TC_ERR_INPUT, path, lineno, 1, "more vectors than the %lld the "
                           "first line announces", (long long)n);
            goto done;
        }
        size_t wlen = strcspn(line, " \t\r\n");
        if (wlen == 0) {
            s = tc_fail_at(err, TC_ERR_INPUT, path, lineno, 1, "expected a word, then %d values", d);
            goto done;
        }
        p = line + wlen;
        for (int i = 0; i < d; i++) {
            char *end;
            vec[i] = strtof(p, &end);   /* overflow is inf, refused below */
            p += strspn(p, " \t");
            int column = (int)(p - line) + 1;
            if (end <= p) {   /* no number at p (strtof read nothing, or only blanks) */
                s = *p == '\n' || *p == '\r' || *p == '\0'
                        ? tc_fail_at(err, TC_ERR_INPUT, path, lineno, column,
                                     "expected %d values after the word, got %d", d, i)
                        : tc_fail_at(err, TC_ERR_INPUT, path, lineno, column,
                                     "value %d of %d is not a number", i + 1, d);
                goto done;
            }
            if (!(*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r' || *end == '\0') ||
                !isfinite(vec[i])) {
                s = tc_fail_at(err, TC_ERR_INPUT, path, lineno, column,
                               "value %d of %d is not a finite number", i + 1, d);
                goto done;
            }
            p = end;
        }
        if (strspn(p, " \t\r\n") != strlen(p)) {
            s = tc_fail_at(err, TC_ERR_INPUT, path, lineno, (int)(p - line) + 1,
                           "more than %d values after the word", d);
            goto done;
        }
        ++*read;
        /* the entry the word tokenises to, when that is one whole word */
        int64_t count;
        if ((s = tc_tokenize_ids(&m->tok, &m->vocab, m->max_len, &scratch, line, wlen, 0, &count,
                                 NULL, err)) != TC_OK)
            goto done;
        if (count != 1) continue;
        int32_t id = scratch.ids[0];
        const char *tok = tc_vocab_token(&m->vocab, id);
        if (id == m->tok.unk_id || taken[id] ||
            strncmp(tok, m->tok.prefix, m->tok.prefix_len) == 0)
            continue;
        taken[id] = 1;
        memcpy(E + (size_t)id * d, vec, (size_t)d * sizeof *vec);
        ++*matched;
    }
    if (ferror(f)) {
        s = tc_fail(err, TC_ERR_INPUT, path, NULL, "read error: %s", strerror(errno));
        goto done;
    }
    if (*read != n)
        s = tc_fail(err, TC_ERR_INPUT, path, NULL, "the first line announces %lld vectors, the "
                    "file has %lld", (long long)n, (long long)*read);
done:
    free(line);
    free(taken);
    free(vec);
    tc_tok_scratch_free(&scratch);
    return s;
}
