/*
 * train_data.h - labelled examples for training: reading, label sets, tokenised storage
 * (internal to train.c).
 */
#ifndef TC_TRAIN_DATA_H
#define TC_TRAIN_DATA_H

#include <stdint.h>
#include <stdio.h>

#include "labeled.h"
#include "tokenizer.h"
#include "train.h"
#include "vocab.h"

/* Tokenised examples: document i is ids[start[i] .. start[i+1]) with classes
 * label[label_start[i] .. label_start[i+1]) (one, or with --multi-label one or more, distinct,
 * in the order of the line). With character n-grams, token k (of all of ids) has the list
 * ng[ng_start[k] .. ng_start[k+1]). */
typedef struct {
    int32_t *ids;
    int64_t n_ids, cap_ids;
    int64_t *start;     /* [n + 1] */
    int32_t *label;     /* [n_labels] */
    int64_t *label_start;   /* [n + 1] */
    int64_t n_labels, cap_labels;
    int64_t n, cap;
    uint32_t *ng;       /* the n-gram buckets of every token, token after token; NULL without */
    int64_t n_ng, cap_ng;
    int64_t *ng_start;  /* [n_ids + 1] (room for cap_ids + 1); NULL without n-grams */
} tc_examples;

/* One document's n-gram lists as the tokenizer gives them (tc_ngram_collect_add): count[t]
 * buckets for each token t < ntok (tokens past ntok have none), bucket[] all of them in order.
 * Buffers are kept from document to document. */
typedef struct {
    int64_t *count;     /* [max_len] */
    uint32_t *bucket;
    int64_t n, cap, ntok;
} tc_ngram_collect;

/* tc_ngram_fn (tokenizer.h) into a tc_ngram_collect ctx whose count holds max_len tokens. */
int tc_ngram_collect_add(void *ctx, int64_t token, uint32_t bucket);

/* Adds document ids[0..n) with classes labels[0..n_labels) (n_labels >= 1); ng (NULL without
 * n-grams) holds its tokens' lists (every example then needs them). */
tc_status tc_examples_add(tc_examples *e, const int32_t *ids, int64_t n, const int32_t *labels,
                          int n_labels, const tc_ngram_collect *ng, tc_error *err);
/* Empties e, keeping its memory for the next examples (--window). */
void tc_examples_clear(tc_examples *e);
void tc_examples_free(tc_examples *e);

/* Reads labelled lines from one file. */
typedef struct {
    FILE *f;
    const char *path;
    tc_data_format format;
    const char *prefix;
    int multi;          /* several labels per line (tc_parse_labeled); set after opening */
    char *line;
    size_t cap;
    tc_buf scratch;
    int64_t lineno;
    int64_t examples;
    int64_t skipped[TC_LINE_STATUS_COUNT];
} tc_line_reader;

/* Opens path and settles the format (detecting it from the first 1000 lines when fmt is AUTO;
 * *detected says so). TC_ERR_IO, TC_ERR_NOMEM, or TC_ERR_INPUT when the format cannot be
 * told. */
tc_status tc_line_reader_open(tc_line_reader *r, const char *path, tc_data_format fmt,
                              const char *prefix, int *detected, tc_error *err);

/* Next usable example (lines that cannot be used are counted in r->skipped). Returns 1, 0 at
 * the end, -1 on a read error or out of memory (err set). */
int tc_line_reader_next(tc_line_reader *r, tc_labeled_line *out, tc_error *err);

/* Back to the first line, counts reset (for the second pass). */
tc_status tc_line_reader_rewind(tc_line_reader *r, tc_error *err);
void tc_line_reader_close(tc_line_reader *r);

/* 1 if line number lineno (1-based) of the training file is held out for validation. */
int tc_held_out(uint64_t seed, int64_t lineno, double fraction);

/* Chooses a run of 1..8 whole words of the document ids[0..T) (a word: a token that starts one,
 * word_start[id] = 1, plus the continuation pieces after it) from two uniform numbers in [0, 1):
 * u1 picks how many words, u2 which. Sets *begin and returns the run's length in tokens; a
 * document of fewer than two words is returned whole. Used by --crop: language ID is most used
 * on short text, and a fresh random run each epoch shows the model many short views of each
 * sentence, so that it does not rest its decision on a single piece. */
int tc_crop_words(const uint8_t *word_start, const int32_t *ids, int T, double u1, double u2,
                  int *begin);

#endif
