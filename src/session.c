/*
 * session.c - sessions (session.h): per-thread scratch, the public classify/tokenize calls, and
 * tc_session_run, the forward pass a session runs (tc_explain's too).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "abstain.h"
#include "error.h"
#include "session.h"

tc_status tc_session_init(const tc_model *m, tc_session **out, tc_error *err)
{
    if (!out) return tc_fail_null(err, "tc_session_init", "out");
    *out = NULL;
    if (!m) return tc_fail_null(err, "tc_session_init", "model");
    tc_session *s = calloc(1, sizeof *s);
    if (!s) return tc_fail_nomem(err, NULL);
    s->model = m;
    /* s->forward and s->infer stay empty (calloc): tc_session_run sizes them for each document */
    tc_status st = tc_tok_scratch_init(&s->tok, &m->tok, m->max_len, err);
    if (st != TC_OK) {
        tc_session_free(s);
        return st;
    }
    *out = s;
    return TC_OK;
}

void tc_session_free(tc_session *s)
{
    if (!s) return;
    tc_tok_scratch_free(&s->tok);
    tc_forward_state_free(&s->forward);
    tc_infer_state_free(&s->infer);
    tc_ngram_acc_free(&s->ngram);
    tc_explain_state_free(s->explain);
    free(s->embed_probs);
    free(s);
}

tc_status tc_session_check_doc(const char *fn, const tc_session *s, const char **text,
                               size_t len, tc_error *err)
{
    if (!s) return tc_fail_null(err, fn, "session");
    if (!*text) {
        if (len) return tc_fail(err, TC_ERR_ARG, NULL, NULL, "%s: text is NULL but len is %zu",
                                fn, len);
        *text = "";
    }
    return TC_OK;
}

/* tc_tokenize after its argument checks: s->tok.ids[0..*count) */
static tc_status tokenize(tc_session *s, const char *text, size_t len, int flags, int64_t *count,
                          tc_doc_info *info, tc_error *err)
{
    const tc_model *m = s->model;
    return tc_tokenize_ids(&m->tok, &m->vocab, m->max_len, &s->tok, text, len,
                           flags & TC_STRICT_UTF8, count, info, err);
}

tc_status tc_tokenize(tc_session *s, const char *text, size_t len, int flags,
                      const int32_t **ids, int64_t *count, tc_doc_info *info, tc_error *err)
{
    tc_status st = tc_session_check_doc("tc_tokenize", s, &text, len, err);
    if (st != TC_OK) return st;
    if (!ids) return tc_fail_null(err, "tc_tokenize", "ids");
    if (!count) return tc_fail_null(err, "tc_tokenize", "count");
    if ((st = tokenize(s, text, len, flags, count, info, err)) != TC_OK) return st;
    *ids = s->tok.ids;
    return TC_OK;
}

tc_status tc_session_tokenize(tc_session *s, const char *text, size_t len, int flags,
                              tc_word_fn word, void *ctx, int64_t *count, const float **ng,
                              tc_doc_info *info, tc_error *err)
{
    const tc_model *m = s->model;
    *ng = NULL;
    if (!m->tok.ngram_buckets)
        return tc_tokenize_words(&m->tok, &m->vocab, m->max_len, &s->tok, text, len,
                                 flags & TC_STRICT_UTF8, word, ctx, count, info, err);
    tc_ngram_acc_begin(&s->ngram, m);
    tc_status st = tc_tokenize_ngrams(&m->tok, &m->vocab, m->max_len, &s->tok, text, len,
                                      flags & TC_STRICT_UTF8, word, ctx, tc_ngram_acc_add,
                                      tc_ngram_acc_known, &s->ngram, count, info, err);
    if (st == TC_OK && !(*ng = tc_ngram_acc_finish(&s->ngram, (int)*count, err)))
        st = TC_ERR_NOMEM;
    return st;
}

/* tc_session_run; with cached 1 the tokens are the session's last tokenised document (s->ngram
 * holds its n-gram cache rows): the projections G·Wqkᵀ the cache holds are used, and those it
 * did not hold are kept for the next documents */
static tc_status session_run(tc_session *s, const int32_t *ids, const float *ng, int cached,
                             int T, float *probs, tc_error *err)
{
    const tc_model *m = s->model;
    tc_status st;
    if (m->infer) {
        if ((st = tc_infer_state_reserve(&s->infer, m, T, err)) != TC_OK) return st;
        if (ng && cached) {
            tc_infer_gq(m, &s->infer, ids, ng, s->ngram.gq, s->ngram.known, T, probs);
            tc_ngram_acc_store(&s->ngram, T);
        } else {
            tc_infer(m, &s->infer, ids, ng, T, probs);
        }
    } else {
        if ((st = tc_forward_state_reserve(&s->forward, m, T, err)) != TC_OK) return st;
        tc_forward(m, &s->forward, ids, ng, T, probs);
    }
    return TC_OK;
}

const float *tc_session_logits(const tc_session *s)
{
    return s->model->infer ? s->infer.logits : s->forward.logits;
}

/* One document through tc_session_tokenize and session_run with the n-gram cache: probs[C],
 * and the pass's state (its pooled vector and hidden layer) left in s. tc_classify's and
 * tc_embed's work after their argument checks. */
static tc_status run_text(tc_session *s, const char *text, size_t len, int flags, float *probs,
                          tc_doc_info *info, tc_error *err)
{
    int64_t n;
    const float *ng;
    tc_status st = tc_session_tokenize(s, text, len, flags, NULL, NULL, &n, &ng, info, err);
    return st != TC_OK ? st : session_run(s, s->tok.ids, ng, 1, (int)n, probs, err);
}

/* TC_OK, or TC_ERR_MODEL when one of v[0..n) is NaN or infinite ("the model gave a non-finite
 * WHAT"). Defence in depth. The loader bounds every stage of the network from the weights, so a
 * loaded model's values are finite; they are not when memory the model reads changed after
 * loading (weights lent to tc_model_load_memory and then overwritten, against its contract) or
 * after a bug. An error, then, rather than NaN that a caller prints ("-nan" is not JSON) or
 * ranks. n comparisons per document: nothing next to the forward pass. */
static tc_status check_finite(const float *v, int n, const char *what, tc_error *err)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return tc_fail(err, TC_ERR_MODEL, NULL, NULL,
                           "the model gave a non-finite %s (its weights changed in memory after "
                           "loading?)", what);
    return TC_OK;
}

tc_status tc_classify(tc_session *s, const char *text, size_t len, int flags, float *probs,
                      tc_doc_info *info, tc_error *err)
{
    tc_status st = tc_session_check_doc("tc_classify", s, &text, len, err);
    if (st != TC_OK) return st;
    if (!probs) return tc_fail_null(err, "tc_classify", "probs");
    if ((st = run_text(s, text, len, flags, probs, info, err)) != TC_OK ||
        (st = check_finite(probs, s->model->num_labels, "probability", err)) != TC_OK)
        return st;
    if (info) info->abstain = tc_abstain_verdict(s->model, flags, probs, info);
    return TC_OK;
}

tc_status tc_classify_batch(tc_session *s, const char *text, const size_t *offsets, size_t n,
                            int flags, float *probs, tc_doc_info *infos, size_t *done,
                            tc_error *err)
{
    static const char fn[] = "tc_classify_batch";
    if (done) *done = 0;
    if (!s) return tc_fail_null(err, fn, "session");
    if (!offsets) return tc_fail_null(err, fn, "offsets");
    if (n && !probs) return tc_fail_null(err, fn, "probs");
    for (size_t i = 0; i < n; i++)   /* every range checked before any document is classified */
        if (offsets[i + 1] < offsets[i])
            return tc_fail(err, TC_ERR_ARG, NULL, NULL, "%s: offsets[%zu] = %zu is less than "
                           "offsets[%zu] = %zu", fn, i + 1, offsets[i + 1], i, offsets[i]);
    if (!text && n && offsets[n] > offsets[0])
        return tc_fail(err, TC_ERR_ARG, NULL, NULL, "%s: text is NULL but the documents hold "
                       "%zu bytes", fn, offsets[n] - offsets[0]);
    size_t C = (size_t)s->model->num_labels;
    for (size_t i = 0; i < n; i++) {
        size_t len = offsets[i + 1] - offsets[i];
        tc_status st = tc_classify(s, len ? text + offsets[i] : NULL, len, flags, probs + i * C,
                                   infos ? infos + i : NULL, err);
        if (st != TC_OK) {
            if (done) *done = i;
            return st;
        }
    }
    if (done) *done = n;
    return TC_OK;
}

tc_status tc_session_run(tc_session *s, const int32_t *ids, const float *ng, int T, float *probs,
                         tc_error *err)
{
    return session_run(s, ids, ng, 0, T, probs, err);
}

int tc_embed_dim(const tc_model *m, tc_embed_layer layer)
{
    if (!m) return 0;
    switch (layer) {
    case TC_EMBED_POOLED: return m->dim;
    case TC_EMBED_HIDDEN: return m->hidden;
    }
    return 0;
}

tc_status tc_embed(tc_session *s, const char *text, size_t len, int flags, tc_embed_layer layer,
                   float *out, tc_doc_info *info, tc_error *err)
{
    tc_status st = tc_session_check_doc("tc_embed", s, &text, len, err);
    if (st != TC_OK) return st;
    if (!out) return tc_fail_null(err, "tc_embed", "out");
    const tc_model *m = s->model;
    int n_out = tc_embed_dim(m, layer);
    if (n_out == 0)
        return tc_fail(err, TC_ERR_ARG, NULL, NULL, "tc_embed: layer %d is not a tc_embed_layer",
                       (int)layer);
    if (!s->embed_probs && !(s->embed_probs = malloc((size_t)m->num_labels * sizeof(float))))
        return tc_fail_nomem(err, NULL);
    if ((st = run_text(s, text, len, flags, s->embed_probs, info, err)) != TC_OK) return st;
    /* the pass that ran left the head's input and hidden layer in its state */
    const float *v = m->infer ? (layer == TC_EMBED_POOLED ? s->infer.pooled : s->infer.h)
                              : (layer == TC_EMBED_POOLED ? s->forward.pooled : s->forward.h);
    memcpy(out, v, (size_t)n_out * sizeof *out);
    if ((st = check_finite(out, n_out, "value", err)) != TC_OK) return st;
    if (info) info->abstain = TC_ABSTAIN_NONE;
    return TC_OK;
}
