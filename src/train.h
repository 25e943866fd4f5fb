/*
 * train.h - training a model from a labelled text file (the library side of `textclf train`).
 *
 * tc_train reads the training file twice (streaming: once to learn the vocabulary, once to
 * tokenise the examples into one compact id array; with a window, again every epoch), trains with mini-batch backpropagation and
 * AdamW on `threads` threads, validates after every epoch, keeps the best epoch, and writes the
 * model atomically. It reports what happens through a callback and never prints.
 */
#ifndef TC_TRAIN_H
#define TC_TRAIN_H

#include <stdint.h>

#include "labeled.h"
#include "textclf.h"

struct tc_train_event;

typedef struct {
    const char *input;          /* training file (must be a regular file: it is read twice) */
    const char *valid;          /* validation file, or NULL */
    double valid_fraction;      /* held out from input when valid is NULL; 0 = no validation */
    tc_data_format format;      /* TC_FORMAT_AUTO: detect */
    const char *label_prefix;   /* fastText label prefix */
    int32_t vocab_size;         /* WordPiece vocabulary size limit */
    int64_t min_count;          /* minimum count of a learned piece */
    int dim, heads, head_dim, max_len, hidden, activation, residual;
    int position;               /* config.position: a tc_position (position.h) */
    int epochs, batch, patience;
    int64_t window;             /* training examples held in memory at once: 0 = all of them
                                   (each epoch shuffles the whole set); else the input is read
                                   again every epoch, `window` examples at a time, each window
                                   shuffled on its own (memory bounded by window, not by the
                                   data). An input that fits in one window trains as with 0. */
    double lr, warmup, weight_decay, dropout, clip;
    double crop;                /* share of training documents cut to a run of 1..8 words, per
                                   epoch */
    int class_weights;          /* weight classes by inverse frequency ("balanced") */
    int multi_label;            /* several labels per line, a sigmoid per label with binary
                                   cross-entropy: config.output "sigmoid" (not with
                                   class_weights) */
    const char *metric_label;   /* NULL: validation scores accuracy (micro-F1 at 0.5 with
                                   multi_label); else the F1 of this label (by the top label, or
                                   at 0.5 with multi_label), which then also chooses the best
                                   epoch (autotune's f1:LABEL) */
    int word_apostrophes;       /* the model's tokenizer.word_apostrophes (docs/model-format.md) */
    int buckets;                /* character n-gram buckets (config.ngram_buckets); 0 = none */
    int minn, maxn;             /* n-gram lengths (config.ngram_min, ngram_max), with buckets */
    const char *pretrained;     /* fastText .vec file starting the token embeddings, or NULL
                                   (train_pretrained.h) */
    uint64_t seed;
    int threads;
    const char *output;         /* model JSON path */
    int inline_weights;         /* weights inside the JSON instead of a safetensors file */
    volatile const int *stop;   /* set (e.g. by SIGINT): stop after the batch and save the best
                                   complete epoch; the interrupted epoch is neither validated nor
                                   kept, so before the first epoch ends nothing is written */
    void (*progress)(void *ctx, const struct tc_train_event *e);
    void *ctx;
} tc_train_options;

/* Fills o with the documented defaults (docs/train.md); input/output are left NULL. */
void tc_train_defaults(tc_train_options *o);

/* What validation scores under options o, for messages: "accuracy", "micro-F1" (multi_label)
 * or "F1" (metric_label's); and its key in --log and the model's metadata: "valid_accuracy",
 * "valid_micro_f1" or "valid_f1". Static strings. */
const char *tc_train_metric_name(const tc_train_options *o);
const char *tc_train_metric_key(const tc_train_options *o);

typedef enum {
    TC_EV_DATA,      /* a data file was read: file, format, detected, lines, examples, skipped */
    TC_EV_VOCAB,     /* examples are ready: vocab_size, num_labels, examples, valid_examples,
                        cut and valid_cut */
    TC_EV_PRETRAINED,/* --pretrained-vectors was read: file, vectors, matched, vocab_size */
    TC_EV_PROGRESS,  /* during an epoch: epoch, step, steps, loss, tokens_per_s, lr */
    TC_EV_EPOCH,     /* an epoch ended: train loss, valid_loss, valid_acc, improved, best_epoch */
    TC_EV_STOPPED,   /* early stopping or interruption: reason */
    TC_EV_SAVED      /* the model was written: file, best_epoch */
} tc_train_event_kind;

typedef struct tc_train_event {
    tc_train_event_kind kind;
    const char *file;
    tc_data_format format;
    int detected;                               /* format was auto-detected */
    int64_t lines, examples;
    int64_t skipped[TC_LINE_STATUS_COUNT];      /* lines not used, by reason */
    int64_t unknown_label;                      /* validation lines with a label not in training */
    int32_t vocab_size;
    int num_labels;
    int epoch, epochs;
    int64_t step, steps;                        /* within the epoch */
    double loss, tokens_per_s, lr, seconds;
    double valid_loss, valid_acc;               /* NaN without validation */
    int64_t valid_examples;
    int64_t vectors, matched;                   /* pretrained vectors read, embedding rows given */
    int64_t cut, valid_cut;                     /* training / validation examples longer than
                                                   max_len tokens, cut to it */
    int improved, best_epoch;
    const char *reason;
} tc_train_event;

/*
 * Checks o without reading any data: the options, and that o->output can take a model
 * (tc_model_check_output: not the same file as o->input or o->valid, not a directory, a device or
 * a FIFO, in an existing writable directory). TC_OK, TC_ERR_ARG (a bad option, or the output is
 * an input), TC_ERR_IO (the output cannot be written; err's file is o->output) or TC_ERR_NOMEM.
 * tc_train makes these checks first; a caller that opens files of its own for the run (a log)
 * calls this before, so that a refused run changes nothing.
 */
tc_status tc_train_check(const tc_train_options *o, tc_error *err);

/* Trains and writes o->output. Errors: those of tc_train_check, before anything is read;
 * TC_ERR_IO (also: OpenBLAS cannot be loaded), TC_ERR_INPUT (no usable data, one class only,
 * undetectable format, more than 100000 labels), TC_ERR_NOMEM; when saving, TC_ERR_ARG if a
 * companion file of the model (named after the weights' hash, so only known then) would be
 * written over o->input or o->valid. TC_ERR_MODEL only for an internal error: the model being
 * built came out invalid (a defect, not the data's fault). The model is never written over
 * o->input or o->valid. */
tc_status tc_train(const tc_train_options *o, tc_error *err);

#endif
