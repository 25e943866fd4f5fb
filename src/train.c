/*
 * train.c - `textclf train`: vocabulary, examples, the training loop, validation, saving.
 *
 * Determinism: weights, shuffling and dropout masks come from the seed (each document's dropout
 * stream is derived from the seed, the epoch and the document's index, so it does not depend on
 * which thread runs it). With several threads a batch is split into contiguous shards whose
 * gradients are summed in shard order, so the same seed, data and thread count give the same
 * model file; a different thread count changes the summation order and hence the last bits.
 */
#include "train.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "train_adamw.h"
#include "train_backprop.h"
#include "blas.h"
#include "error.h"
#include "forward.h"
#include "model.h"
#include "model_save.h"
#include "session.h"
#include "splitmix.h"
#include "strmap.h"
#include "train_data.h"
#include "train_pretrained.h"
#include "train_wordpiece.h"

/* One assignment per option (docs/train.md lists the same defaults). */
void tc_train_defaults(tc_train_options *o)
{
    memset(o, 0, sizeof *o);
    o->valid_fraction = 0.1;
    o->format = TC_FORMAT_AUTO;
    o->label_prefix = "__label__";
    o->vocab_size = 16000;
    o->min_count = 2;
    o->dim = 64;
    o->heads = 4;
    o->head_dim = 16;
    o->max_len = 128;
    o->hidden = 64;
    o->activation = TC_ACT_RELU;
    o->residual = 1;
    o->minn = 1;
    o->maxn = 4;
    o->epochs = 10;
    o->batch = 32;
    o->patience = 3;
    o->lr = 2e-3;
    o->warmup = 0.05;
    o->weight_decay = 0.01;
    o->dropout = 0.1;
    o->clip = 1.0;
    o->seed = 1;
    o->threads = 1;
}

/* ---- the training state -------------------------------------------------------------------- */

typedef struct {
    const tc_train_options *o;
    tc_model *m;
    tc_strmap labels;        /* the labels seen; after setup_labels, ids are the model's */
    int64_t *label_counts;   /* [labels_counted] training lines per label id */
    int32_t labels_counted;  /* entries of label_counts */
    tc_wp_counter *counter;   /* word counts of the first pass */
    tc_examples train, valid;   /* train: every training example, or the window being trained
                                 * on when the input has more than --window of them */
    int64_t n_train;            /* training examples in the input */
    tc_line_reader *reader;     /* the training input, read again each epoch with --window */
    int32_t metric_label;       /* the label whose F1 validation scores (o->metric_label), or -1 */
    int64_t valid_unknown;
    int64_t train_cut, valid_cut;   /* examples with more tokens than max_len (cut to it) */
    float *class_w;        /* [C] */
    uint8_t *word_start;   /* [V] 1 if the token starts a word (no continuation prefix), for crop */
    float *best[TC_NUM_TENSORS];
    int best_epoch;
    double best_acc, best_loss;
    tc_file_ref inputs[3];   /* -i, --valid and --pretrained-vectors: the model is never
                                written over them */
    int n_inputs;
} trainer;

const char *tc_train_metric_name(const tc_train_options *o)
{
    return o->metric_label ? "F1" : o->multi_label ? "micro-F1" : "accuracy";
}

const char *tc_train_metric_key(const tc_train_options *o)
{
    return o->metric_label ? "valid_f1" : o->multi_label ? "valid_micro_f1" : "valid_accuracy";
}

static void emit(const trainer *t, tc_train_event *e)
{
    if (t->o->progress) t->o->progress(t->o->ctx, e);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* uniform in [0, 1): the next value of the stream whose state is *s (seeds and per-document
 * streams are tc_splitmix64 of what they depend on) */
static double rand_uniform(uint64_t *s)
{
    *s = tc_splitmix64(*s);
    return tc_unit_double(*s);
}

static double rand_normal(uint64_t *s)
{
    double u = rand_uniform(s), v = rand_uniform(s);
    return sqrt(-2.0 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

/* pretokenize callback of the vocabulary pass */
static int count_word(void *ctx, const int32_t *w, size_t n)
{
    return tc_wp_counter_add(ctx, w, n, NULL) == TC_OK ? 0 : -1;
}

static void data_event(const trainer *t, const tc_line_reader *r, int detected, int64_t unknown)
{
    tc_train_event e = {.kind = TC_EV_DATA, .file = r->path, .format = r->format,
                        .detected = detected, .lines = r->lineno, .examples = r->examples,
                        .unknown_label = unknown};
    memcpy(e.skipped, r->skipped, sizeof e.skipped);
    emit(t, &e);
}

/* Counts one training line of label s[0..n) in t->labels and t->label_counts. TC_OK;
 * TC_ERR_INPUT for a label past TC_MAX_LABELS; TC_ERR_NOMEM. path: the file, for the message. */
static tc_status count_label(trainer *t, const char *path, const char *s, size_t n,
                             tc_error *err)
{
    int32_t id = tc_strmap_insert(&t->labels, s, n);
    if (id == TC_STRMAP_FULL)
        return tc_fail(err, TC_ERR_INPUT, path, NULL, "more than %d labels", TC_MAX_LABELS);
    if (id < 0) return tc_fail_nomem(err, path);
    if (id >= t->labels_counted) {   /* a new label: the counts follow the map's capacity */
        int64_t *c = realloc(t->label_counts, (size_t)t->labels.cap * sizeof *c);
        if (!c) return tc_fail_nomem(err, path);
        memset(c + t->labels_counted, 0, (size_t)(t->labels.cap - t->labels_counted) * sizeof *c);
        t->label_counts = c;
        t->labels_counted = t->labels.cap;
    }
    t->label_counts[id]++;
    return TC_OK;
}

/* Pass 1: labels and word counts (into t->counter). */
static tc_status count_pass(trainer *t, tc_line_reader *r, tc_error *err)
{
    const tc_train_options *o = t->o;
    tc_status s = tc_wp_counter_init(&t->counter, err);
    if (s != TC_OK) return s;
    tc_wp_counter *counter = t->counter;
    tc_tokenizer *tok = &t->m->tok;
    tc_tok_scratch scratch;
    if ((s = tc_tok_scratch_init(&scratch, tok, 1, err)) != TC_OK) return s;
    tc_labeled_line l;
    int got;
    while ((got = tc_line_reader_next(r, &l, err)) == 1) {
        if (tc_held_out(o->seed, r->lineno, o->valid ? 0 : o->valid_fraction)) continue;
        size_t pos = 0, len;
        const char *label;
        while (s == TC_OK && tc_labeled_next(&l, &pos, &label, &len))
            s = count_label(t, r->path, label, len, err);
        if (s != TC_OK) break;
        s = tc_pretokenize(tok, &scratch, l.text, l.text_len, count_word, counter, err);
        if (s != TC_OK) break;
    }
    if (got < 0) s = err ? err->code : TC_ERR_IO;
    tc_tok_scratch_free(&scratch);
    return s;
}

/* The WordPiece vocabulary from the counted words, into the model. TC_OK; TC_ERR_NOMEM;
 * TC_ERR_ARG for options tc_wp_train refuses (a vocab_size over TC_VOCAB_MAX_SIZE);
 * TC_ERR_MODEL, an internal error, if the vocabulary learned could not be a model's (two equal
 * tokens: tc_wp_train promises none). */
static tc_status build_vocab(trainer *t, tc_error *err)
{
    const tc_train_options *o = t->o;
    tc_tokenizer *tok = &t->m->tok;
    tc_status s;
    char **tokens = NULL;
    int32_t count = 0;
    static const char *const specials[] = {"[UNK]"};
    tc_wp_options wo = {o->vocab_size, o->min_count, "##", specials, 1, tok->max_word_chars};
    s = tc_wp_train(t->counter, &wo, &tokens, &count, err);
    tc_wp_counter_free(t->counter);
    t->counter = NULL;
    if (s != TC_OK) return s;
    if ((s = tc_vocab_init(&t->m->vocab, count, err)) == TC_OK) {
        for (int32_t i = 0; i < count && s == TC_OK; i++)
            if (tc_vocab_add(&t->m->vocab, tokens[i], strlen(tokens[i])) != 0)
                s = tc_fail_nomem(err, NULL);
        int32_t a, b;
        int r = s == TC_OK ? tc_vocab_build_index(&t->m->vocab, &a, &b) : 0;
        if (r < 0) s = tc_fail_nomem(err, NULL);
        else if (r > 0)   /* a defect: tc_wp_train promises distinct tokens */
            s = tc_fail(err, TC_ERR_MODEL, NULL, NULL,
                        "internal error: the learned vocabulary has \"%.64s\" twice (ids %d "
                        "and %d)", tc_vocab_token(&t->m->vocab, b), (int)a, (int)b);
    }
    for (int32_t i = 0; i < count; i++) free(tokens[i]);
    free(tokens);
    if (s == TC_OK) tok->unk_id = tc_vocab_find(&t->m->vocab, "", 0, "[UNK]", 5);
    if (s == TC_OK && !(t->word_start = malloc((size_t)t->m->vocab.size)))
        s = tc_fail_nomem(err, NULL);
    for (int32_t i = 0; s == TC_OK && i < t->m->vocab.size; i++)
        t->word_start[i] =
            strncmp(tc_vocab_token(&t->m->vocab, i), tok->prefix, tok->prefix_len) != 0;
    return s;
}

/* setup_labels' order: label names by strcmp (an array of char *) */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Renumbers the labels by name (t->labels and t->label_counts: ids no longer depend on line
 * order), then gives them to the model with their class weights. TC_OK; TC_ERR_INPUT with fewer
 * than two labels (path names the input); TC_ERR_NOMEM. */
static tc_status setup_labels(trainer *t, const char *path, tc_error *err)
{
    tc_strmap *lm = &t->labels;
    int32_t C = lm->count;
    if (C < 2)
        return tc_fail(err, TC_ERR_INPUT, path, NULL, C == 0 ? "no usable labelled line"
                       : "only one label (\"%.64s\"): a classifier needs at least two",
                       C ? lm->names[0] : "");
    int64_t total = 0;
    char **sorted = malloc((size_t)C * sizeof *sorted);
    int64_t *counts = malloc((size_t)C * sizeof *counts);
    tc_strmap fresh;   /* ids are positions in sorted */
    tc_strmap_init(&fresh, C);
    int ok = sorted && counts;
    if (ok) {
        memcpy(sorted, lm->names, (size_t)C * sizeof *sorted);
        qsort(sorted, (size_t)C, sizeof *sorted, cmp_str);
    }
    for (int32_t i = 0; ok && i < C; i++) {
        size_t n = strlen(sorted[i]);
        counts[i] = t->label_counts[tc_strmap_find(lm, sorted[i], n)];
        total += counts[i];
        ok = tc_strmap_insert(&fresh, sorted[i], n) == i;
    }
    free(sorted);
    if (!ok) {
        free(counts);
        tc_strmap_free(&fresh);
        return tc_fail_nomem(err, NULL);
    }
    tc_strmap_free(lm);
    *lm = fresh;
    free(t->label_counts);
    t->label_counts = counts;
    t->labels_counted = C;

    tc_model *m = t->m;
    m->num_labels = C;
    m->labels = calloc((size_t)C, sizeof *m->labels);
    t->class_w = malloc((size_t)C * sizeof *t->class_w);
    if (!m->labels || !t->class_w) return tc_fail_nomem(err, NULL);
    for (int32_t i = 0; i < C; i++) {
        if (!(m->labels[i] = strdup(lm->names[i]))) return tc_fail_nomem(err, NULL);
        /* "balanced": N / (C · n_c); all 1 without --class-weights */
        t->class_w[i] = t->o->class_weights && counts[i]
                            ? (float)((double)total / ((double)C * counts[i])) : 1.0f;
    }
    return TC_OK;
}

/* What load_examples does with the training lines of the input (the --valid file's lines all go
 * to t->valid). */
typedef enum {
    LOAD_ALL,      /* pass 2: each counted in t->n_train and stored in t->train, up to --window
                    * of them (all without a window); held-out lines stored in t->valid */
    LOAD_WINDOW    /* an epoch's next window: the next --window of them stored in t->train (it
                    * stops there, *more set); held-out lines skipped, t->valid has them */
} load_mode;

/* Tokenises the usable lines of one file, from where r is, into t->train or t->valid (held out,
 * or is_valid) as `mode` says. *more is set to 1 when a window filled up before the end of the
 * input (LOAD_WINDOW), else 0. */
static tc_status load_examples(trainer *t, tc_line_reader *r, int is_valid, load_mode mode,
                               int *more, tc_error *err)
{
    int64_t window = t->o->window;
    *more = 0;
    tc_model *m = t->m;
    tc_session *sess;
    tc_status s = tc_session_init(m, &sess, err);
    if (s != TC_OK) return s;
    /* with n-grams, each document's lists (tc_examples keeps them with the ids) */
    tc_ngram_collect ng = {0};
    if (m->tok.ngram_buckets && !(ng.count = malloc((size_t)m->max_len * sizeof *ng.count))) {
        tc_session_free(sess);
        return tc_fail_nomem(err, NULL);
    }
    tc_labeled_line l;
    int got;
    int32_t *lids = NULL;   /* the line's label ids */
    size_t lcap = 0;
    while ((got = tc_line_reader_next(r, &l, err)) == 1) {
        int held =
            !is_valid && tc_held_out(t->o->seed, r->lineno, t->o->valid ? 0 : t->o->valid_fraction);
        if (mode == LOAD_WINDOW && held) continue;
        if ((size_t)l.n_labels > lcap) {
            int32_t *p = realloc(lids, (size_t)l.n_labels * sizeof *p);
            if (!p) { s = tc_fail_nomem(err, r->path); break; }
            lids = p;
            lcap = (size_t)l.n_labels;
        }
        size_t pos = 0, len;
        const char *label;
        int nl = 0;
        while (tc_labeled_next(&l, &pos, &label, &len) &&
               (lids[nl] = tc_strmap_find(&t->labels, label, len)) >= 0)
            nl++;
        if (nl < l.n_labels) {      /* only possible for validation lines */
            t->valid_unknown++;
            continue;
        }
        const int32_t *ids;
        int64_t n;
        tc_doc_info info;
        if (m->tok.ngram_buckets) {
            ng.n = ng.ntok = 0;
            s = tc_tokenize_ngrams(&m->tok, &m->vocab, m->max_len, &sess->tok, l.text,
                                   l.text_len, 0, NULL, NULL, tc_ngram_collect_add, NULL, &ng,
                                   &n, &info, err);
            ids = sess->tok.ids;
        } else {
            s = tc_tokenize(sess, l.text, l.text_len, 0, &ids, &n, &info, err);
        }
        if (s != TC_OK) break;
        int to_valid = is_valid || held;
        if (mode == LOAD_ALL && info.truncated) ++*(to_valid ? &t->valid_cut : &t->train_cut);
        if (!to_valid && mode == LOAD_ALL) t->n_train++;
        /* past the first window, pass 2 only counts (the examples and those cut) */
        if (to_valid || window == 0 || t->train.n < window)
            s = tc_examples_add(to_valid ? &t->valid : &t->train, ids, n, lids, nl,
                                m->tok.ngram_buckets ? &ng : NULL, err);
        if (s != TC_OK) break;
        if (mode == LOAD_WINDOW && t->train.n == window) {
            *more = 1;
            break;
        }
    }
    if (got < 0) s = err ? err->code : TC_ERR_IO;
    free(lids);
    free(ng.count);
    free(ng.bucket);
    tc_session_free(sess);
    return s;
}

/* How tensor id of m starts (PyTorch's schemes for nn.MultiheadAttention and nn.Linear; small
 * normal embeddings, positions smaller still so training starts close to a bag of words): *normal
 * is set to 1 for a normal draw with the returned standard deviation, else 0 for a uniform draw
 * in ±(the returned bound). A bias PyTorch zeroes has bound 0 but is still drawn, so that
 * the random stream of the tensors after it is what it always was. */
static double init_scale(const tc_model *m, tc_tensor_id id, int *normal)
{
    double d = m->dim, H = (double)m->heads * m->head_dim, hid = m->hidden;
    *normal = 0;
    switch (id) {   /* no default: -Wswitch names a tensor added to model.h and missing here */
    case TC_W_EMBEDDING: *normal = 1; return 1 / sqrt(d);
    /* as the embeddings: one n-gram's row is on an embedding row's scale, and a token's mean
     * of n rows smaller by √n, so training starts close to the model without n-grams
     * (fastText's ±1/d would leave the n-grams near 0 next to embeddings of 1/√d) */
    case TC_W_NGRAM: *normal = 1; return 1 / sqrt(d);
    case TC_W_POSITION: *normal = 1; return 0.1 / sqrt(d);
    case TC_W_IN_PROJ: return sqrt(6.0 / (d + 3 * H));   /* xavier_uniform_ */
    case TC_W_IN_PROJ_B: return 0;
    case TC_W_OUT_PROJ: return 1 / sqrt(H);
    case TC_W_OUT_PROJ_B: return 0;
    case TC_W_HIDDEN:
    case TC_W_HIDDEN_B: return 1 / sqrt(d);                 /* nn.Linear: 1/sqrt(fan_in) */
    case TC_W_CLS:
    case TC_W_CLS_B: return 1 / sqrt(hid);
    case TC_NUM_TENSORS: break;
    }
    return 0;
}

/* Random initial weights (init_scale), drawn tensor by tensor from the seed, into owned memory;
 * also allocates t->best. TC_OK or TC_ERR_NOMEM. */
static tc_status init_weights(trainer *t, tc_error *err)
{
    tc_model *m = t->m;
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_sizes(m, n);
    uint64_t rng = tc_splitmix64(t->o->seed);
    m->parameters = 0;
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        float *w = malloc((n[i] ? n[i] : 1) * sizeof *w);
        t->best[i] = malloc((n[i] ? n[i] : 1) * sizeof(float));
        if (!w || !t->best[i]) {
            free(w);
            return tc_fail_nomem(err, NULL);
        }
        int normal;
        double scale = init_scale(m, (tc_tensor_id)i, &normal);
        for (size_t k = 0; k < n[i]; k++)
            w[k] = (float)(normal ? scale * rand_normal(&rng)
                                  : scale * (2 * rand_uniform(&rng) - 1));
        m->owned[i] = w;
        m->w[i] = w;
        m->parameters += (int64_t)n[i];
    }
    return TC_OK;
}

/* ---- one batch on several threads ---------------------------------------------------------- */

typedef struct {
    trainer *t;
    tc_bp_state bp;
    tc_grads g;
    const int64_t *docs;    /* example indices of this shard (in t->train) */
    int64_t count;
    int64_t base;           /* the index in the input of t->train's first example (--window) */
    int epoch;
    double loss, wsum;
    int64_t tokens;
    /* the optimiser phase: this worker updates slice `part` of `parts` */
    tc_adamw *opt;
    float *const *params;
    const tc_grads *sum;   /* the batch gradient (worker 0's buffer after the reduction) */
    const float *wd;
    int part, parts;
} worker;

static void *run_shard(void *arg)
{
    worker *w = arg;
    trainer *t = w->t;
    tc_grads_zero(&w->g);
    w->loss = w->wsum = 0;
    w->tokens = 0;
    for (int64_t k = 0; k < w->count; k++) {
        int64_t i = w->docs[k];
        const tc_examples *e = &t->train;
        int T = (int)(e->start[i + 1] - e->start[i]);
        const int32_t *labels = e->label + e->label_start[i];
        int n_labels = (int)(e->label_start[i + 1] - e->label_start[i]);
        float wt = t->class_w[labels[0]];   /* all 1 with several labels (check_options) */
        uint64_t doc =
            tc_splitmix64((uint64_t)w->epoch * 0x100000001ULL + (uint64_t)(w->base + i));
        uint64_t rng = tc_splitmix64(t->o->seed ^ doc) | 1;
        const int32_t *ids = e->ids + e->start[i];
        int begin = 0;
        if (t->o->crop > 0 && rand_uniform(&rng) < t->o->crop) {
            double u1 = rand_uniform(&rng), u2 = rand_uniform(&rng);
            T = tc_crop_words(t->word_start, ids, T, u1, u2, &begin);
            ids += begin;
        }
        /* the kept tokens' n-gram lists go with them */
        tc_ngram_lists ng = {e->ng_start ? e->ng_start + e->start[i] + begin : NULL, e->ng};
        w->loss += wt * tc_backprop_doc(t->m, &w->bp, ids, e->ng_start ? &ng : NULL, T, labels,
                                        n_labels, wt, (float)t->o->dropout, &rng, &w->g);
        w->wsum += wt;
        w->tokens += T;
    }
    return NULL;
}

static void *run_update(void *arg)
{
    worker *w = arg;
    tc_adamw_update(w->opt, w->params, w->sum, w->wd, w->part, w->parts);
    return NULL;
}

/*
 * Runs fn(&w[k]) for k in [0, n): k >= 1 on threads of their own, k = 0 on this thread, and
 * returns when all are done. A worker whose thread cannot be created runs here instead, so a
 * shortage of threads slows training down but never changes its result.
 */
static void run_workers(void *(*fn)(void *), worker *w, int n, pthread_t *tid, int *running)
{
    for (int k = 1; k < n; k++) {
        running[k] = pthread_create(&tid[k], NULL, fn, &w[k]) == 0;
        if (!running[k]) fn(&w[k]);
    }
    fn(&w[0]);
    for (int k = 1; k < n; k++)
        if (running[k]) pthread_join(tid[k], NULL);
}

/* Validation loss and accuracy of the current weights; G[max_len, d] is scratch for the n-gram
 * vectors (NULL without n-grams). A sigmoid model's loss is the mean binary cross-entropy (the
 * training loss), its "accuracy" the micro-averaged F1 at probability 0.5, the threshold that
 * classification uses by default. With a metric label, *acc is that label's F1 instead: its
 * true positives against its predictions (the top label; with sigmoid, at 0.5) and its gold
 * examples. */
static void validate(trainer *t, tc_forward_state *rs, float *G, float *probs, double *loss,
                     double *acc)
{
    const tc_examples *e = &t->valid;
    int d = t->m->dim, C = t->m->num_labels;
    int sigmoid = t->m->output == TC_OUTPUT_SIGMOID;
    double l = 0;
    int64_t right = 0, predicted = 0, gold = 0;   /* sigmoid: TP, TP + FP, TP + FN */
    int32_t ml = t->metric_label;
    int64_t l_tp = 0, l_pred = 0, l_gold = 0;     /* the metric label's TP, TP + FP, TP + FN */
    for (int64_t i = 0; i < e->n; i++) {
        int T = (int)(e->start[i + 1] - e->start[i]);
        if (G)
            for (int k = 0; k < T; k++) {
                const int64_t *st = e->ng_start + e->start[i] + k;
                tc_ngram_mean(t->m->w[TC_W_NGRAM], d, e->ng + st[0], st[1] - st[0],
                              G + (size_t)k * d);
            }
        tc_forward(t->m, rs, e->ids + e->start[i], G, T, probs);
        const int32_t *y = e->label + e->label_start[i];
        int ny = (int)(e->label_start[i + 1] - e->label_start[i]);
        if (ml >= 0) {
            int is_gold = 0;
            for (int k = 0; k < ny; k++) is_gold |= y[k] == ml;
            int is_pred;
            if (sigmoid) {
                is_pred = probs[ml] >= 0.5f;
            } else {
                int top = 0;
                for (int c = 1; c < C; c++) if (probs[c] > probs[top]) top = c;
                is_pred = top == ml;
            }
            l_tp += is_gold && is_pred;
            l_pred += is_pred;
            l_gold += is_gold;
        }
        if (sigmoid) {
            double bce = 0;
            for (int c = 0; c < C; c++) {
                int pos = 0;
                for (int k = 0; k < ny; k++) pos |= y[k] == c;
                bce -= log(fmax(pos ? probs[c] : 1.0 - probs[c], 1e-30));
                predicted += probs[c] >= 0.5f;
                right += pos && probs[c] >= 0.5f;
            }
            l += bce / C;
            gold += ny;
            continue;
        }
        int best = 0;
        for (int c = 1; c < t->m->num_labels; c++) if (probs[c] > probs[best]) best = c;
        right += best == y[0];
        l -= log(fmax(probs[y[0]], 1e-30));
    }
    *loss = e->n ? l / e->n : NAN;
    if (ml >= 0)   /* F1 = 2TP / (2TP + FP + FN) */
        *acc = e->n ? (l_pred + l_gold ? 2.0 * l_tp / (double)(l_pred + l_gold) : 0) : NAN;
    else if (sigmoid)
        *acc = e->n ? (predicted + gold ? 2.0 * right / (double)(predicted + gold) : 0) : NAN;
    else
        *acc = e->n ? (double)right / e->n : NAN;
}

/* The model's "metadata" as JSON text (free with cJSON_free), or NULL when out of memory. */
static char *metadata_json(const trainer *t)
{
    const tc_train_options *o = t->o;
    cJSON *md = cJSON_CreateObject();
    int bad = !md;   /* each cJSON_Add* returns NULL when it runs out of memory */
    bad |= !cJSON_AddStringToObject(md, "trained_by", "textclf " TC_VERSION " train");
    bad |= !cJSON_AddNumberToObject(md, "train_examples", (double)t->n_train);
    bad |= !cJSON_AddNumberToObject(md, "valid_examples", (double)t->valid.n);
    bad |= !cJSON_AddNumberToObject(md, "best_epoch", t->best_epoch);
    if (t->valid.n) {
        /* a multi-label model's is micro-F1 at 0.5, a metric label's its F1 (validate) */
        bad |= !cJSON_AddNumberToObject(md, tc_train_metric_key(o), t->best_acc);
        bad |= !cJSON_AddNumberToObject(md, "valid_loss", t->best_loss);
    }
    cJSON *opt = cJSON_AddObjectToObject(md, "options");
    bad |= !opt;
    bad |= !cJSON_AddNumberToObject(opt, "vocab_size", o->vocab_size);
    bad |= !cJSON_AddNumberToObject(opt, "min_count", (double)o->min_count);
    if (o->buckets) {   /* only with n-grams: the metadata of other models as before */
        bad |= !cJSON_AddNumberToObject(opt, "buckets", o->buckets);
        bad |= !cJSON_AddNumberToObject(opt, "minn", o->minn);
        bad |= !cJSON_AddNumberToObject(opt, "maxn", o->maxn);
    }
    bad |= !cJSON_AddNumberToObject(opt, "epochs", o->epochs);
    bad |= !cJSON_AddNumberToObject(opt, "batch", o->batch);
    if (o->window > 0) bad |= !cJSON_AddNumberToObject(opt, "window", (double)o->window);
    bad |= !cJSON_AddNumberToObject(opt, "lr", o->lr);
    bad |= !cJSON_AddNumberToObject(opt, "warmup", o->warmup);
    bad |= !cJSON_AddNumberToObject(opt, "weight_decay", o->weight_decay);
    bad |= !cJSON_AddNumberToObject(opt, "dropout", o->dropout);
    if (o->crop > 0) bad |= !cJSON_AddNumberToObject(opt, "crop", o->crop);
    bad |= !cJSON_AddNumberToObject(opt, "clip", o->clip);
    bad |= !cJSON_AddBoolToObject(opt, "class_weights", o->class_weights);
    if (o->multi_label) bad |= !cJSON_AddTrueToObject(opt, "multi_label");
    if (o->metric_label) bad |= !cJSON_AddStringToObject(opt, "metric_label", o->metric_label);
    if (o->pretrained) bad |= !cJSON_AddStringToObject(opt, "pretrained_vectors", o->pretrained);
    bad |= !cJSON_AddNumberToObject(opt, "patience", o->patience);
    bad |= !cJSON_AddNumberToObject(opt, "seed", (double)o->seed);
    bad |= !cJSON_AddNumberToObject(opt, "threads", o->threads);
    char *s = bad ? NULL : cJSON_Print(md);
    cJSON_Delete(md);
    return s;
}

/* Shuffles order[0..n) in place (Fisher-Yates) from the stream *rng. */
static void shuffle(int64_t *order, int64_t n, uint64_t *rng)
{
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)(rand_uniform(rng) * (double)(i + 1));
        int64_t x = order[i]; order[i] = order[j]; order[j] = x;
    }
}

/* The loop: epochs of shuffled batches, validation, best weights, early stopping. With more
 * training examples than --window, each epoch reads the input again a window at a time
 * (load_examples' LOAD_WINDOW) and shuffles each window on its own. */
static tc_status train_loop(trainer *t, tc_error *err)
{
    const tc_train_options *o = t->o;
    tc_model *m = t->m;
    int nt = o->threads < 1 ? 1 : o->threads;
    /* W: the examples in memory at once, all N of them unless a window is smaller */
    int64_t N = t->n_train, W = t->train.n;
    int windowed = W < N;
    int64_t per_window = (W + o->batch - 1) / o->batch;
    int64_t steps_per_epoch =
        windowed ? N / W * per_window + (N % W + o->batch - 1) / o->batch : per_window;
    int64_t total = steps_per_epoch * o->epochs, warm = (int64_t)llround(o->warmup * (double)total);
    worker *w = calloc((size_t)nt, sizeof *w);
    int64_t *order = malloc((size_t)W * sizeof *order);
    float *probs = malloc((size_t)m->num_labels * sizeof *probs);
    /* validation's n-gram vectors, with n-grams */
    float *G = m->tok.ngram_buckets ? malloc((size_t)m->max_len * m->dim * sizeof *G) : NULL;
    tc_adamw opt = {0};
    tc_forward_state rs = {0};
    pthread_t *tid = calloc((size_t)nt, sizeof *tid);
    int *running = calloc((size_t)nt, sizeof *running);
    tc_status s = TC_OK;
    if (!w || !order || !probs || !tid || !running || (m->tok.ngram_buckets && !G)) {
        s = tc_fail_nomem(err, NULL);
        goto done;
    }
    for (int k = 0; k < nt && s == TC_OK; k++) {
        w[k].t = t;
        s = tc_bp_state_init(&w[k].bp, m, err);
        if (s == TC_OK) s = tc_grads_init(&w[k].g, m, err);
    }
    if (s == TC_OK) s = tc_adamw_init(&opt, w[0].g.n, err);
    if (s == TC_OK) s = tc_forward_state_init(&rs, m, err);
    if (s != TC_OK) goto done;
    float wd[TC_NUM_TENSORS];   /* decay on the weight matrices and embeddings, not on biases */
    for (int i = 0; i < TC_NUM_TENSORS; i++)
        wd[i] = tc_tensor_specs[i].decay ? (float)o->weight_decay : 0.0f;
    float *params[TC_NUM_TENSORS];
    for (int i = 0; i < TC_NUM_TENSORS; i++) params[i] = m->owned[i];
    for (int64_t i = 0; i < W; i++) order[i] = i;
    uint64_t shuffle_rng = tc_splitmix64(o->seed ^ 0x5eed);
    int64_t step = 0, bad_epochs = 0;
    t->best_epoch = 0;
    t->best_acc = -1;
    t->best_loss = INFINITY;
    const char *reason = NULL;
    for (int epoch = 1; epoch <= o->epochs && !reason; epoch++) {
        if (!windowed) shuffle(order, N, &shuffle_rng);   /* the whole set, every epoch */
        else if ((s = tc_line_reader_rewind(t->reader, err)) != TC_OK) goto done;
        double t0 = now(), loss_sum = 0, wsum_epoch = 0;
        int64_t tokens = 0;
        int partial = 0;   /* stopped before the epoch's last batch */
        int64_t base = 0;  /* examples of the epoch before this window */
        int64_t eb = 0;    /* batches of the epoch before this one */
        int more = windowed;
        for (;;) {         /* the windows of the epoch: one without --window */
            int64_t n = W;     /* examples in this window */
            if (windowed) {
                tc_examples_clear(&t->train);
                s = load_examples(t, t->reader, 0, LOAD_WINDOW, &more, err);
                if (s != TC_OK) goto done;
                n = t->train.n;
                if (base + n > N || (!more && base + n != N)) {
                    s = tc_fail(err, TC_ERR_INPUT, o->input, NULL, "the file changed during "
                                "training: it had %lld training examples, epoch %d read %lld",
                                (long long)N, epoch, (long long)(base + n));
                    goto done;
                }
                for (int64_t i = 0; i < n; i++) order[i] = i;
                shuffle(order, n, &shuffle_rng);
            }
            for (int64_t b = 0; b < (n + o->batch - 1) / o->batch; b++, eb++) {
                if (o->stop && *o->stop) {
                    reason = "interrupted";
                    partial = 1;
                    break;
                }
                int64_t begin = b * o->batch, end = begin + o->batch < n ? begin + o->batch : n;
                int64_t per = (end - begin + nt - 1) / nt;
                int used = 0;
                for (int k = 0; k < nt; k++) {
                    int64_t sb = begin + k * per, se = sb + per < end ? sb + per : end;
                    if (sb >= se) break;
                    w[k].docs = order + sb;
                    w[k].count = se - sb;
                    w[k].base = base;
                    w[k].epoch = epoch;
                    used++;
                }
                run_workers(run_shard, w, used, tid, running);
                double wsum = w[0].wsum, lsum = w[0].loss;
                tokens += w[0].tokens;
                for (int k = 1; k < used; k++) {
                    tc_grads_add(&w[0].g, &w[k].g);   /* in shard order: deterministic */
                    wsum += w[k].wsum;
                    lsum += w[k].loss;
                    tokens += w[k].tokens;
                }
                tc_grads_div(&w[0].g, (float)wsum);   /* mean over the batch, as PyTorch */
                if (o->clip > 0) tc_clip_grad_norm(&w[0].g, o->clip);
                step++;
                double lr = step <= warm
                                ? o->lr * (double)step / (double)warm
                                : o->lr * (double)(total - step + 1) / (double)(total - warm + 1);
                /* AdamW visits every parameter (V·d of them) each step: split it over the
                 * threads */
                tc_adamw_next(&opt, (float)lr);
                for (int k = 0; k < nt; k++) {
                    w[k].opt = &opt;
                    w[k].params = params;
                    w[k].sum = &w[0].g;
                    w[k].wd = wd;
                    w[k].part = k;
                    w[k].parts = nt;
                }
                run_workers(run_update, w, nt, tid, running);
                loss_sum += lsum;
                wsum_epoch += wsum;
                if (o->progress && (eb % 16 == 15 || eb + 1 == steps_per_epoch)) {
                    double el = now() - t0;
                    tc_train_event e = {.kind = TC_EV_PROGRESS, .epoch = epoch, .epochs = o->epochs,
                                        .step = eb + 1, .steps = steps_per_epoch,
                                        .loss = loss_sum / wsum_epoch, .lr = lr, .seconds = el,
                                        .tokens_per_s = el > 0 ? tokens / el : 0};
                    emit(t, &e);
                }
            }
            base += n;
            if (partial || !more) break;
        }
        /* A partial epoch is neither validated nor a candidate for the best: its weights saw
         * only part of the data (and are often far worse, mid-way through a warm-up or a
         * reshuffle), so the model written is the best *complete* epoch's, or nothing. */
        if (partial) break;
        double vloss = NAN, vacc = NAN;
        validate(t, &rs, G, probs, &vloss, &vacc);
        /* best epoch: highest validation accuracy, then lowest loss; without validation, last */
        int improved = t->valid.n == 0 || vacc > t->best_acc ||
                       (vacc == t->best_acc && vloss < t->best_loss);
        if (improved) {
            t->best_epoch = epoch;
            t->best_acc = vacc;
            t->best_loss = vloss;
            for (int i = 0; i < TC_NUM_TENSORS; i++)
                memcpy(t->best[i], m->owned[i], w[0].g.n[i] * sizeof(float));
            bad_epochs = 0;
        } else if (++bad_epochs >= o->patience && o->patience > 0) {
            reason = o->metric_label ? "early stopping: no improvement in the validation F1"
                     : m->output == TC_OUTPUT_SIGMOID
                         ? "early stopping: no improvement in validation micro-F1"
                         : "early stopping: no improvement in validation accuracy";
        }
        double el = now() - t0;
        tc_train_event e = {.kind = TC_EV_EPOCH, .epoch = epoch, .epochs = o->epochs,
                            .loss = wsum_epoch ? loss_sum / wsum_epoch : NAN, .seconds = el,
                            .tokens_per_s = el > 0 ? tokens / el : 0, .valid_loss = vloss,
                            .valid_acc = vacc, .valid_examples = t->valid.n,
                            .improved = improved, .best_epoch = t->best_epoch};
        emit(t, &e);
    }
    if (reason) {
        tc_train_event e = {.kind = TC_EV_STOPPED, .reason = reason, .best_epoch = t->best_epoch};
        emit(t, &e);
    }
    if (t->best_epoch == 0) {   /* interrupted before the first epoch ended: nothing to save */
        s = tc_fail(err, TC_ERR_INPUT, NULL, NULL, "interrupted before the first epoch ended; "
                    "no model written");
        goto done;
    }
    for (int i = 0; i < TC_NUM_TENSORS; i++)
        memcpy(m->owned[i], t->best[i], w[0].g.n[i] * sizeof(float));
    char *md = metadata_json(t);
    s = md ? tc_model_save(m, o->output, md, o->inline_weights, t->inputs, t->n_inputs, err)
           : tc_fail_nomem(err, NULL);
    cJSON_free(md);
    if (s == TC_OK) {
        tc_train_event e = {.kind = TC_EV_SAVED, .file = o->output, .best_epoch = t->best_epoch,
                            .valid_acc = t->best_acc, .valid_loss = t->best_loss};
        emit(t, &e);
    }
done:
    for (int k = 0; w && k < nt; k++) {
        tc_bp_state_free(&w[k].bp);
        tc_grads_free(&w[k].g);
    }
    free(w);
    free(tid);
    free(running);
    free(order);
    free(probs);
    free(G);
    tc_adamw_free(&opt);
    tc_forward_state_free(&rs);
    return s;
}

static tc_status check_options(const tc_train_options *o, tc_error *err)
{
    const char *bad = NULL;
    tc_position_fit fit = tc_position_check((tc_position)o->position, o->max_len, o->dim);
    if (!o->input || !o->output) bad = "input and output files are required";
    else if (o->dim < 1 || o->dim > 65536 || o->heads < 1 || o->heads > 1024 ||
             o->head_dim < 1 || (int64_t)o->heads * o->head_dim > 65536 || o->max_len < 1 ||
             o->max_len > 65536 || o->hidden < 1 || o->hidden > 65536)
        bad = "model sizes out of range";
    else if (o->epochs < 1 || o->batch < 1) bad = "epochs and batch must be >= 1";
    else if (o->window < 0) bad = "window must be >= 0";
    else if (!(o->lr > 0) || o->warmup < 0 || o->warmup > 1 || o->weight_decay < 0 ||
             o->dropout < 0 || o->dropout >= 1 || o->clip < 0 || !(o->crop >= 0 && o->crop <= 1))
        bad = "learning rate, warmup, weight decay, dropout, crop or clip out of range";
    else if (o->valid_fraction < 0 || o->valid_fraction >= 1)
        bad = "validation fraction must be in [0, 1)";
    else if (o->vocab_size < 2 || o->min_count < 1)
        bad = "vocabulary size must be >= 2 and min count >= 1";
    else if (o->threads < 1 || o->threads > 256) bad = "threads must be in 1..256";
    else if (o->buckets < 0 || o->buckets > TC_NGRAM_MAX_BUCKETS || o->minn < 1 ||
             o->maxn < o->minn || o->maxn > TC_NGRAM_MAX_LEN)
        bad = "n-gram buckets must be in 0..16777216 and 1 <= minn <= maxn <= 16";
    else if (o->position < TC_POSITION_LEARNED || o->position > TC_POSITION_SINUSOIDAL_HALVES)
        bad = "position must be learned, none, sinusoidal or sinusoidal-halves";
    else if (fit == TC_POSITION_ODD_DIM) bad = "position sinusoidal-halves needs an even dim";
    else if (fit == TC_POSITION_TOO_LARGE)
        bad = "a sinusoidal position table of max_len x dim values is more than 16777216";
    else if (o->multi_label && o->class_weights)
        bad = "class weights are for single-label training, not with multi-label";
    return bad ? tc_fail(err, TC_ERR_ARG, NULL, NULL, "%s", bad) : TC_OK;
}

/* Fills refs with the files training reads (those that exist): -i, --valid, then
 * --pretrained-vectors. Returns how many. A file that cannot be stat'ed is left out: the reader
 * will report it, and a file that does not exist cannot be written over. */
static int train_inputs(const tc_train_options *o, tc_file_ref refs[3])
{
    int n = 0;
    if (o->input && tc_file_ref_init(&refs[n], o->input, "the training data") == 0) n++;
    if (o->valid && tc_file_ref_init(&refs[n], o->valid, "the validation data") == 0) n++;
    if (o->pretrained && tc_file_ref_init(&refs[n], o->pretrained, "the pretrained vectors") == 0)
        n++;
    return n;
}

tc_status tc_train_check(const tc_train_options *o, tc_error *err)
{
    tc_status s = check_options(o, err);
    if (s != TC_OK) return s;
    tc_file_ref in[3];
    int n = train_inputs(o, in);
    return tc_model_check_output(o->output, in, n, err);
}

tc_status tc_train(const tc_train_options *o, tc_error *err)
{
    tc_error_clear(err);
    tc_status s = tc_train_check(o, err);    /* the output first: nothing is read in vain */
    if (s == TC_OK) s = tc_blas_load(err);   /* before any work, so a missing library fails fast */
    if (s != TC_OK) return s;
    /* the vectors' file is opened first: a path that cannot be read fails before any work */
    FILE *pf = NULL;
    int64_t pretrained_n = 0;
    if (o->pretrained) {
        if (!(pf = fopen(o->pretrained, "r")))
            return tc_fail(err, TC_ERR_INPUT, o->pretrained, NULL, "cannot open: %s",
                           strerror(errno));
        if ((s = tc_train_pretrained_header(o->pretrained, pf, o->dim, &pretrained_n, err)) !=
            TC_OK) {
            fclose(pf);
            return s;
        }
    }
    trainer t = {.o = o, .metric_label = -1};
    tc_strmap_init(&t.labels, TC_MAX_LABELS);
    t.n_inputs = train_inputs(o, t.inputs);
    tc_line_reader r = {0}, vr = {0};
    t.m = calloc(1, sizeof *t.m);
    if (!t.m) {
        if (pf) fclose(pf);
        return tc_fail_nomem(err, NULL);
    }
    tc_model *m = t.m;
    /* the model's config, from the options (tc_model_get_info copies the same fields out) */
    m->dim = o->dim;
    m->heads = o->heads;
    m->head_dim = o->head_dim;
    m->max_len = o->max_len;
    m->hidden = o->hidden;
    m->residual = o->residual;
    m->position = (tc_position)o->position;
    m->activation = (tc_activation)o->activation;
    m->output = o->multi_label ? TC_OUTPUT_SIGMOID : TC_OUTPUT_SOFTMAX;
    m->tok.norm = (tc_norm_config){TC_NORM_NFKC, TC_CASE_FOLD, TC_PRETOK_UNICODE, 0};
    m->tok.scripts = TC_SCRIPTS_DEFAULT;
    m->tok.unk_token = strdup("[UNK]");
    m->tok.prefix = strdup("##");
    m->tok.prefix_len = 2;
    m->tok.max_word_chars = 100;
    m->tok.word_apostrophes = o->word_apostrophes ? 1 : 0;
    m->tok.ngram_buckets = (uint32_t)o->buckets;
    m->tok.ngram_min = o->minn;
    m->tok.ngram_max = o->maxn;
    tc_model_list_scripts(m);
    if (!m->tok.unk_token || !m->tok.prefix) { s = tc_fail_nomem(err, NULL); goto done; }

    int detected;
    s = tc_line_reader_open(&r, o->input, o->format, o->label_prefix, &detected, err);
    if (s != TC_OK) goto done;
    r.multi = o->multi_label;
    if ((s = count_pass(&t, &r, err)) != TC_OK) goto done;
    data_event(&t, &r, detected, 0);
    if ((s = setup_labels(&t, o->input, err)) != TC_OK) goto done;
    if (o->metric_label && (t.metric_label = tc_strmap_find(&t.labels, o->metric_label,
                                                            strlen(o->metric_label))) < 0) {
        s = tc_fail(err, TC_ERR_ARG, o->input, NULL, "the validation metric's label '%s' is not "
                    "a label of the training data", o->metric_label);
        goto done;
    }
    if ((s = build_vocab(&t, err)) != TC_OK) goto done;
    if ((s = tc_line_reader_rewind(&r, err)) != TC_OK) goto done;
    int more;
    if ((s = load_examples(&t, &r, 0, LOAD_ALL, &more, err)) != TC_OK) goto done;
    t.reader = &r;
    if (o->valid) {
        int vdet;
        if ((s = tc_line_reader_open(&vr, o->valid,
                                     o->format == TC_FORMAT_AUTO ? r.format : o->format,
                                     o->label_prefix, &vdet, err)) != TC_OK)
            goto done;
        vr.multi = o->multi_label;
        if ((s = load_examples(&t, &vr, 1, LOAD_ALL, &more, err)) != TC_OK) goto done;
        data_event(&t, &vr, 0, t.valid_unknown);
    }
    tc_train_event ve = {.kind = TC_EV_VOCAB, .vocab_size = m->vocab.size,
                         .cut = t.train_cut, .valid_cut = t.valid_cut,
                         .num_labels = m->num_labels, .examples = t.n_train,
                         .valid_examples = t.valid.n};
    emit(&t, &ve);
    if (t.n_train == 0) {
        s = tc_fail(err, TC_ERR_INPUT, o->input, NULL, "no training examples left");
        goto done;
    }
    if ((s = init_weights(&t, err)) != TC_OK) goto done;
    if ((s = tc_model_positions_init(m, err)) != TC_OK) goto done;
    if (pf) {
        tc_train_event pe = {.kind = TC_EV_PRETRAINED, .file = o->pretrained,
                             .vocab_size = m->vocab.size};
        if ((s = tc_train_pretrained(m, o->pretrained, pf, pretrained_n, &pe.vectors, &pe.matched,
                                     err)) != TC_OK)
            goto done;
        emit(&t, &pe);
    }
    s = train_loop(&t, err);
done:
    if (pf) fclose(pf);
    tc_line_reader_close(&r);
    tc_line_reader_close(&vr);
    tc_examples_free(&t.train);
    tc_examples_free(&t.valid);
    tc_strmap_free(&t.labels);
    free(t.label_counts);
    tc_wp_counter_free(t.counter);
    free(t.class_w);
    free(t.word_start);
    for (int i = 0; i < TC_NUM_TENSORS; i++) free(t.best[i]);
    tc_model_free(m);
    return s;
}
