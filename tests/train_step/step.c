/*
 * step.c - training steps in C, for the comparison with PyTorch (tests/train_step/run.sh).
 *
 *   train_step MODEL.json BATCH.json OUT.json
 *
 * MODEL.json must hold inline weights (they are updated in place through m->owned). BATCH.json:
 *
 *   {"docs": [[ids...], ...],            token ids per document, 0 <= length <= max_len
 *    "labels": [c, ...],                 gold class per document; for a sigmoid model
 *                                        (config.output) each may be a list of classes instead
 *    "class_weights": [w, ...],          optional, one per class (default all 1)
 *    "lr": 1e-3,
 *    "weight_decay": {"embedding.weight": 0.01, ..., "classifier.bias": 0},   all ten tensors
 *    "betas": [0.9, 0.999], "eps": 1e-8, optional (these defaults)
 *    "clip": 1.0,                        optional, global L2 max norm; 0 = no clipping (default)
 *    "steps": 1}                         optional, steps on the same batch (default 1)
 *
 * Each step is what the trainer does with one batch: tc_backprop_doc per document (dropout 0,
 * weight class_weights[label]), every gradient scaled by 1 / Σ_i class_weights[label_i] (the
 * batch mean of torch.nn.CrossEntropyLoss(weight=w)), tc_clip_grad_norm when clip > 0, then
 * tc_adamw_step. OUT.json:
 *
 *   {"steps": [{"loss": L, "grad_norm": N,
 *               "grads": {name: [flat...]},          after scaling, before clipping
 *               "clipped_grads": {name: [flat...]},  only when clip > 0
 *               "weights": {name: [flat...]}},       after the update
 *              ...]}
 *
 * Numbers are written with %.9g (float32 round-trips exactly). Exit status 0 on success, 1 with a
 * message on stderr otherwise.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train_adamw.h"
#include "train_backprop.h"
#include "blas.h"
#include "json_util.h"
#include "model.h"

typedef struct {
    int ndocs;
    int32_t **ids;      /* [ndocs][len[i]] */
    int *len;
    int *labels;        /* [ndocs] the first gold class (class weights) */
    int32_t **sets;     /* [ndocs][nset[i]] every gold class */
    int *nset;
    float *class_w;     /* [C] */
    float lr, beta1, beta2, eps;
    float wd[TC_NUM_TENSORS];
    double clip;
    int steps;
} batch;

static int fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "train_step: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 1;
}

static void batch_free(batch *b)
{
    if (b->ids)
        for (int i = 0; i < b->ndocs; i++) free(b->ids[i]);
    free(b->ids);
    free(b->len);
    free(b->labels);
    for (int i = 0; b->sets && i < b->ndocs; i++) free(b->sets[i]);
    free(b->sets);
    free(b->nset);
    free(b->class_w);
    memset(b, 0, sizeof *b);
}

/* Reads key of o (in file) as a number into *out (def when absent and def_ok). */
static int get_num(const char *file, const cJSON *o, const char *key, int def_ok, double def,
                   double *out)
{
    char what[1400];
    snprintf(what, sizeof what, "%s: \"%s\"", file, key);
    const cJSON *v = tc_json_get(o, key);
    if (!v) {
        if (!def_ok) return fail("%s: missing", what);
        *out = def;
        return 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return fail("%s must be a finite number", what);
    *out = v->valuedouble;
    return 0;
}

static int read_batch(const char *path, const tc_model *m, batch *b)
{
    memset(b, 0, sizeof *b);
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    tc_error err;
    char msg[1600];
    if (tc_read_file(path, (size_t)1 << 30, &text, &len, &err) != TC_OK ||
        tc_json_parse(text, len, path, &root, &err) != TC_OK) {
        free(text);
        return fail("%s", tc_error_format(&err, msg, sizeof msg));
    }
    free(text);
    int rc = 1;
    int C = m->num_labels;
    const cJSON *docs = tc_json_get(root, "docs"), *labels = tc_json_get(root, "labels");
    const cJSON *cw = tc_json_get(root, "class_weights"), *wd = tc_json_get(root, "weight_decay");
    const cJSON *betas = tc_json_get(root, "betas"), *v;
    double x;
    if (!cJSON_IsArray(docs) || !cJSON_IsArray(labels) ||
        cJSON_GetArraySize(docs) != cJSON_GetArraySize(labels) || cJSON_GetArraySize(docs) < 1) {
        fail("%s: \"docs\" and \"labels\" must be arrays of the same non-zero length", path);
        goto done;
    }
    b->ndocs = cJSON_GetArraySize(docs);
    b->ids = calloc((size_t)b->ndocs, sizeof *b->ids);
    b->len = calloc((size_t)b->ndocs, sizeof *b->len);
    b->labels = calloc((size_t)b->ndocs, sizeof *b->labels);
    b->sets = calloc((size_t)b->ndocs, sizeof *b->sets);
    b->nset = calloc((size_t)b->ndocs, sizeof *b->nset);
    b->class_w = calloc((size_t)C, sizeof *b->class_w);
    if (!b->ids || !b->len || !b->labels || !b->sets || !b->nset || !b->class_w) {
        fail("%s", "out of memory");
        goto done;
    }
    int i = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, docs) {
        int n = cJSON_GetArraySize(d);
        if (!cJSON_IsArray(d) || n > m->max_len) {
            fail("%s: a document is not an array of at most max_len ids", path);
            goto done;
        }
        b->len[i] = n;
        if (!(b->ids[i] = malloc((size_t)(n ? n : 1) * sizeof(int32_t)))) {
            fail("%s", "out of memory");
            goto done;
        }
        int t = 0;
        cJSON_ArrayForEach(v, d) {
            if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
                v->valuedouble < 0 || v->valuedouble >= (double)m->vocab.size) {
                fail("%s: a token id is not an integer in 0..vocab_size-1", path);
                goto done;
            }
            b->ids[i][t++] = (int32_t)v->valuedouble;
        }
        i++;
    }
    i = 0;
    cJSON_ArrayForEach(v, labels) {
        /* a class, or (sigmoid) a non-empty list of distinct classes */
        int multi = cJSON_IsArray(v) && m->output == TC_OUTPUT_SIGMOID;
        int n = multi ? cJSON_GetArraySize(v) : 1;
        if (n < 1 || n > C || !(b->sets[i] = malloc((size_t)n * sizeof(int32_t)))) {
            fail("%s: a label list is empty, too long, or out of memory", path);
            goto done;
        }
        const cJSON *e = multi ? v->child : v;
        for (int k = 0; k < n; k++, e = e->next) {
            if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) ||
                e->valuedouble < 0 || e->valuedouble >= C) {
                fail("%s: a label is not an integer in 0..num_labels-1", path);
                goto done;
            }
            b->sets[i][k] = (int32_t)e->valuedouble;
        }
        b->nset[i] = n;
        b->labels[i] = b->sets[i][0];
        i++;
    }
    for (int c = 0; c < C; c++) b->class_w[c] = 1.0f;
    if (cw) {
        if (!cJSON_IsArray(cw) || cJSON_GetArraySize(cw) != C) {
            fail("%s: \"class_weights\" must be an array of num_labels numbers", path);
            goto done;
        }
        int c = 0;
        cJSON_ArrayForEach(v, cw) {
            if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0)) {
                fail("%s: class weights must be non-negative numbers", path);
                goto done;
            }
            b->class_w[c++] = (float)v->valuedouble;
        }
    }
    if (get_num(path, root, "lr", 0, 0, &x)) goto done;
    b->lr = (float)x;
    if (get_num(path, root, "eps", 1, 1e-8, &x)) goto done;
    b->eps = (float)x;
    if (get_num(path, root, "clip", 1, 0, &x)) goto done;
    b->clip = x;
    if (get_num(path, root, "steps", 1, 1, &x)) goto done;
    if (x != floor(x) || x < 1 || x > 1000) {
        fail("%s: \"steps\" must be an integer in 1..1000", path);
        goto done;
    }
    b->steps = (int)x;
    b->beta1 = 0.9f;
    b->beta2 = 0.999f;
    if (betas) {
        if (!cJSON_IsArray(betas) || cJSON_GetArraySize(betas) != 2 ||
            !cJSON_IsNumber(cJSON_GetArrayItem(betas, 0)) ||
            !cJSON_IsNumber(cJSON_GetArrayItem(betas, 1))) {
            fail("%s: \"betas\" must be [beta1, beta2]", path);
            goto done;
        }
        b->beta1 = (float)cJSON_GetArrayItem(betas, 0)->valuedouble;
        b->beta2 = (float)cJSON_GetArrayItem(betas, 1)->valuedouble;
    }
    if (!cJSON_IsObject(wd)) {
        fail("%s: \"weight_decay\" must be an object naming every tensor", path);
        goto done;
    }
    for (int t = 0; t < TC_NUM_TENSORS; t++) {
        b->wd[t] = 0;   /* ngram.weight, position.weight: only in the models that have them */
        if (!tc_model_has_tensor(m, (tc_tensor_id)t)) continue;
        if (get_num(path, wd, tc_tensor_specs[t].name, 0, 0, &x)) goto done;
        b->wd[t] = (float)x;
    }
    rc = 0;
done:
    cJSON_Delete(root);
    if (rc) batch_free(b);
    return rc;
}

static void write_floats(FILE *f, const char *key, const float *const a[TC_NUM_TENSORS],
                         const size_t n[TC_NUM_TENSORS])
{
    fprintf(f, ",\n  \"%s\": {", key);
    for (int t = 0, written = 0; t < TC_NUM_TENSORS; t++) {
        if (n[t] == 0) continue;   /* a tensor the model lacks (n-grams; positions not learned) */
        fprintf(f, "%s\n   \"%s\": [", written++ ? "," : "", tc_tensor_specs[t].name);
        for (size_t i = 0; i < n[t]; i++) {
            if (isfinite(a[t][i])) fprintf(f, "%s%.9g", i ? "," : "", (double)a[t][i]);
            else fprintf(f, "%snull", i ? "," : "");   /* JSON has no NaN: the comparison fails */
        }
        fputc(']', f);
    }
    fputs("}", f);
}

static int run(const char *model_path, const char *batch_path, const char *out_path)
{
    tc_error err;
    char msg[1600];
    tc_model *m = NULL;
    if (tc_model_load(model_path, &m, &err) != TC_OK)
        return fail("%s", tc_error_format(&err, msg, sizeof msg));
    for (int t = 0; t < TC_NUM_TENSORS; t++)
        if (tc_model_has_tensor(m, (tc_tensor_id)t) && !m->owned[t]) {
            tc_model_free(m);
            return fail("%s: weights must be inline (writable)", model_path);
        }
    batch b;
    if (read_batch(batch_path, m, &b)) {
        tc_model_free(m);
        return 1;
    }
    int rc = 1;
    FILE *f = NULL;
    tc_bp_state st;
    tc_grads g;
    tc_adamw opt;
    int have_st = 0, have_g = 0, have_opt = 0;
    if (tc_bp_state_init(&st, m, &err) != TC_OK) goto oom;
    have_st = 1;
    if (tc_grads_init(&g, m, &err) != TC_OK) goto oom;
    have_g = 1;
    if (tc_adamw_init(&opt, g.n, &err) != TC_OK) goto oom;
    have_opt = 1;
    opt.beta1 = b.beta1;
    opt.beta2 = b.beta2;
    opt.eps = b.eps;

    double wsum = 0;
    for (int i = 0; i < b.ndocs; i++) wsum += b.class_w[b.labels[i]];
    if (!(wsum > 0)) {
        fail("%s: the class weights of the batch sum to 0", batch_path);
        goto out;
    }
    if (!(f = fopen(out_path, "w"))) {
        snprintf(msg, sizeof msg, "%s: %s", out_path, strerror(errno));
        fail("cannot write %s", msg);
        goto out;
    }
    float *w[TC_NUM_TENSORS];
    const float *cw[TC_NUM_TENSORS], *cg[TC_NUM_TENSORS];
    for (int t = 0; t < TC_NUM_TENSORS; t++) {
        w[t] = m->owned[t];
        cw[t] = m->owned[t];
        cg[t] = g.g[t];
    }
    fputs("{\"steps\": [", f);
    for (int step = 0; step < b.steps; step++) {
        tc_grads_zero(&g);
        uint64_t rng = 0x9E3779B97F4A7C15ULL;   /* unused: dropout 0 */
        double loss = 0;
        for (int i = 0; i < b.ndocs; i++) {
            float cwi = b.class_w[b.labels[i]];
            float l = tc_backprop_doc(m, &st, b.ids[i], NULL, b.len[i], b.sets[i], b.nset[i], cwi,
                                      0.0f, &rng, &g);
            loss += (double)cwi * l;
        }
        loss /= wsum;
        float scale = (float)(1.0 / wsum);
        for (int t = 0; t < TC_NUM_TENSORS; t++)
            for (size_t i = 0; i < g.n[t]; i++) g.g[t][i] *= scale;
        fprintf(f, "%s\n {\"loss\": %.9g", step ? "," : "", loss);
        write_floats(f, "grads", cg, g.n);
        double norm;
        if (b.clip > 0) {
            norm = tc_clip_grad_norm(&g, b.clip);
            write_floats(f, "clipped_grads", cg, g.n);
        } else {
            norm = tc_clip_grad_norm(&g, 0);   /* max_norm 0: only measures */
        }
        fprintf(f, ",\n  \"grad_norm\": %.9g", norm);
        tc_adamw_step(&opt, w, &g, b.lr, b.wd);
        write_floats(f, "weights", cw, g.n);
        fputs("}", f);
    }
    fputs("\n]}\n", f);
    if (ferror(f)) {
        fail("error writing %s", out_path);
        goto out;
    }
    rc = 0;
    goto out;
oom:
    fail("%s", tc_error_format(&err, msg, sizeof msg));
out:
    if (f && fclose(f) != 0 && rc == 0) rc = fail("error writing %s", out_path);
    if (have_opt) tc_adamw_free(&opt);
    if (have_g) tc_grads_free(&g);
    if (have_st) tc_bp_state_free(&st);
    batch_free(&b);
    tc_model_free(m);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s MODEL.json BATCH.json OUT.json\n", argv[0]);
        return 2;
    }
    tc_error err;
    if (tc_blas_load(&err) != TC_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    return run(argv[1], argv[2], argv[3]);
}
