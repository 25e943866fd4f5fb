/*
 * Gradient check: every weight tensor's analytic gradient (train_backprop.c) against central finite
 * differences of the loss, for documents of length 0, 1, several and max_len, with and without
 * the residual, for each activation, with a class weight. float32 throughout, so the step and
 * tolerances are chosen for it: eps = 1e-2 gives truncation error ~1e-5 and rounding error ~1e-5
 * on losses of order 1. Also: without dropout, the probabilities of training's forward half are
 * tc_forward's (forward.h: two arrangements of one function), up to float rounding. Each case
 * runs again with character n-grams (4 buckets; lists with a bucket twice, an empty list), so
 * ngram.weight's gradient (dX / list length to each bucket) is checked element by element.
 * A sigmoid model (config.output "sigmoid") is checked the same way with its loss, the mean
 * binary cross-entropy over the labels, for gold sets of one, two and every label.
 */
#include <stdlib.h>
#include <string.h>

#include "train_backprop.h"
#include "forward.h"
#include "test.h"

void test_backprop(void);

enum { V = 7, D = 6, HEADS = 2, HD = 4, HH = HEADS * HD, L = 5, HID = 5, C = 3, B = 4 };

static float w_all[V * D + B * D + L * D + 3 * HH * D + 3 * HH + D * HH + D + HID * D + HID +
                   C * HID + C];

/* The documents' n-gram lists (token t: bucket[start[t] .. start[t+1])): bucket 1 twice in
 * token 0's, none for token 1 */
static const int64_t ng_start[L + 1] = {0, 3, 3, 4, 8, 9};
static const uint32_t ng_bucket[9] = {1, 1, 3, 0, 2, 3, 1, 0, 3};
static const tc_ngram_lists ng_lists = {ng_start, ng_bucket};

static void build(tc_model *m, int residual, tc_activation act, int ngrams, tc_position position,
                  tc_output output)
{
    memset(m, 0, sizeof *m);
    m->output = output;
    m->dim = D; m->heads = HEADS; m->head_dim = HD; m->max_len = L; m->hidden = HID;
    m->num_labels = C; m->residual = residual; m->activation = act; m->position = position;
    m->vocab.size = V;
    m->tok.ngram_buckets = ngrams ? B : 0;
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_sizes(m, n);
    float *p = w_all;
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        m->owned[i] = p;     /* writable view for the finite differences (not freed here) */
        m->w[i] = p;
        p += n[i];
    }
    CHECK(tc_model_positions_init(m, NULL) == TC_OK);   /* the fixed tables (m->pos_table) */
}

static double loss_of(const tc_model *m, tc_bp_state *s, tc_grads *scratch, const int32_t *ids,
                      int T, const int32_t *labels, int nl, float weight)
{
    uint64_t rng = 1;
    const tc_ngram_lists *ng = m->tok.ngram_buckets ? &ng_lists : NULL;
    tc_grads_zero(scratch);
    return weight * tc_backprop_doc(m, s, ids, ng, T, labels, nl, weight, 0.0f, &rng,
                                    scratch);
}

static void check_labels(int residual, tc_activation act, int T, const int32_t *labels, int nl,
                         float weight, int ngrams, tc_position position, tc_output output)
{
    tc_model m;
    build(&m, residual, act, ngrams, position, output);
    const tc_ngram_lists *ng = ngrams ? &ng_lists : NULL;
    unsigned seed = 11u + (unsigned)T * 7u + (unsigned)act * 3u + (unsigned)residual +
                    (unsigned)ngrams * 1000u + (unsigned)position * 100000u +
                    (unsigned)output * 10000000u;
    for (size_t i = 0; i < sizeof w_all / sizeof w_all[0]; i++) {
        seed = seed * 1103515245u + 12345u;
        w_all[i] = (((seed >> 8) & 0xffff) / 32768.0f - 1.0f) * 0.8f;
    }
    static const int32_t ids[L] = {3, 0, 6, 3, 2};
    tc_bp_state s;
    tc_grads g, scratch;
    CHECK(tc_bp_state_init(&s, &m, NULL) == TC_OK);
    CHECK(tc_grads_init(&g, &m, NULL) == TC_OK);
    CHECK(tc_grads_init(&scratch, &m, NULL) == TC_OK);
    uint64_t rng = 1;
    tc_backprop_doc(&m, &s, ids, ng, T, labels, nl, weight, 0.0f, &rng, &g);
    tc_forward_state rs;
    float ref[C], G[L * D];
    for (int t = 0; t < L; t++)
        tc_ngram_mean(m.w[TC_W_NGRAM], D, ng_bucket + ng_start[t], ng_start[t + 1] - ng_start[t],
                      G + t * D);
    CHECK(tc_forward_state_init(&rs, &m, NULL) == TC_OK);
    tc_forward(&m, &rs, ids, ngrams ? G : NULL, T, ref);
    for (int c = 0; c < C; c++) CHECK_NEAR(s.probs[c], ref[c], 1e-6);
    tc_forward_state_free(&rs);

    float eps = act == TC_ACT_RELU ? 2e-3f : 1e-2f;
    int bad = 0, checked = 0;
    for (int t = 0; t < TC_NUM_TENSORS; t++) {
        float *w = m.owned[t];
        size_t step = g.n[t] > 40 ? g.n[t] / 40 : 1;   /* a spread sample of each tensor */
        for (size_t i = 0; i < g.n[t]; i += step) {
            float keep = w[i];
            w[i] = keep + eps;
            double up = loss_of(&m, &s, &scratch, ids, T, labels, nl, weight);
            w[i] = keep - eps;
            double down = loss_of(&m, &s, &scratch, ids, T, labels, nl, weight);
            w[i] = keep;
            double num = (up - down) / (2.0 * eps), ana = g.g[t][i];
            double tol = 2e-3 + 2e-2 * fabs(num);
            checked++;
            if (fabs(num - ana) > tol) {
                if (bad++ < 5)
                    printf(
                        "  tensor %d elem %zu: analytic %.6g numeric %.6g (res %d act %d T %d "
                        "output %d)\n", t, i, ana, num, residual, (int)act, T, (int)output);
            }
        }
    }
    CHECK(bad == 0);
    CHECK(checked > 100);
    if (ngrams && T > 0) {   /* the n-gram rows the document's lists reach have gradients */
        double sum = 0;
        for (int i = 0; i < B * D; i++) sum += fabs(g.g[TC_W_NGRAM][i]);
        if (!(sum > 1e-4)) printf("  no n-gram gradient (res %d act %d T %d)\n", residual, (int)act, T);
        CHECK(sum > 1e-4);
    }
    tc_grads_free(&g);
    tc_grads_free(&scratch);
    tc_bp_state_free(&s);
    free(m.pos_table);
}

static void check_case(int residual, tc_activation act, int T, int label, float weight,
                       int ngrams, tc_position position)
{
    int32_t l = label;
    check_labels(residual, act, T, &l, 1, weight, ngrams, position, TC_OUTPUT_SOFTMAX);
}

void test_backprop(void)
{
    static const int lengths[] = {0, 1, 3, L};
    for (int residual = 0; residual <= 1; residual++)
        for (int act = 0; act < 3; act++)
            for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++)
                for (int ngrams = 0; ngrams <= 1; ngrams++)
                    check_case(residual, (tc_activation)act, lengths[k], (int)k % C,
                               k == 2 ? 2.5f : 1.0f, ngrams, TC_POSITION_LEARNED);
    /* the other position modes: no position.weight (and no gradient for it); the embeddings'
     * gradients go through the fixed table (with n-grams too) */
    for (int pos = TC_POSITION_NONE; pos <= TC_POSITION_SINUSOIDAL_HALVES; pos++)
        for (int act = 0; act < 3; act += 2)
            for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++)
                check_case(1, (tc_activation)act, lengths[k], (int)k % C, 1.0f, (int)k & 1,
                           (tc_position)pos);
    /* sigmoid: gold sets of one label, two, all of them (C = 3) */
    static const int32_t sets[3][3] = {{1}, {2, 0}, {0, 1, 2}};
    for (int act = 0; act < 3; act++)
        for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++)
            check_labels(act & 1, (tc_activation)act, lengths[k], sets[k % 3], (int)(k % 3) + 1,
                         k == 2 ? 2.5f : 1.0f, (int)k & 1, TC_POSITION_LEARNED,
                         TC_OUTPUT_SIGMOID);
}
