/*
 * explain.c - tc_explain: which words drove a classification, by occlusion.
 *
 * The effect of a word is p_top(document) - p_top(document without the word's tokens), top
 * being the label the model answers for the whole document (the most probable one it may
 * answer: tc_rank_answers). Occlusion measures what the model does
 * when the word is missing, which attention weights do not (Jain & Wallace 2019, "Attention is
 * not Explanation"): the weights say where the attention looks, not what the classifier needs.
 * They are still reported, per token, from the reference forward pass (forward.c).
 *
 * A probability difference saturates: in a document the model is sure of (p = 0.99999), leaving
 * out any one word leaves it sure, and every effect rounds to 0. The change in log-odds does
 * not (0.99999 -> 0.999 is 4.6 nats), so each word also gets that, its "evidence": in nats, the
 * log of the factor by which the word multiplies the odds of the predicted label (I. J. Good's
 * weight of evidence). 1 - p is taken as the sum of the other labels' probabilities, which
 * keeps its precision when p rounds to 1. A multi-label model's (config.output "sigmoid")
 * label has its own p = σ(z), whose log-odds are exactly its logit z: the evidence is then the
 * drop of the label's logit.
 *
 * Every probability here comes from the same code as tc_classify's (tc_session_run), so the
 * document's probabilities are tc_classify's exactly, and each row of probs_without is what
 * classifying that id sequence gives.
 */
#include "explain.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "abstain.h"
#include "blas.h"
#include "buf.h"
#include "error.h"
#include "session.h"

/* Sized for the documents met, not for max_len (as the session's scratch, session.h): the
 * per-token arrays grow to the document's T (explain_state_reserve), the words as they come
 * (add_word). */
struct tc_explain_state {
    tc_forward_state forward;    /* the reference forward pass, for the attention weights */
    int cap;                     /* tokens kept, attention and without hold */
    int32_t *kept;               /* [cap]         the document's ids without one word */
    float *kept_ng;              /* [cap, d]      and their n-gram vectors (G), with n-grams */
    float *probs;                /* [C]           the document's probabilities */
    float *ref_probs;            /* [C]           the reference pass's (not reported) */
    float *attention;            /* [cap]         attention received per token */
    float *without;              /* [cap, C]      probabilities without word w, row w */
    int words_cap;               /* words and text_off hold */
    tc_explained_word *words;    /* [words_cap]   at most one word per token */
    size_t *text_off;            /* [words_cap]   offset of each word's text in `text` */
    tc_buf text;                 /* the words' text, each NUL-terminated */
    int num_words;
    int max_word_chars;
    int max_len;
};

void tc_explain_state_free(tc_explain_state *e)
{
    if (!e) return;
    tc_forward_state_free(&e->forward);
    free(e->kept);
    free(e->kept_ng);
    free(e->probs);
    free(e->ref_probs);
    free(e->attention);
    free(e->without);
    free(e->words);
    free(e->text_off);
    tc_buf_free(&e->text);
    free(e);
}

/* The state for model m in *out, its per-token arrays still empty. TC_OK or TC_ERR_NOMEM (*out
 * NULL, nothing leaked). */
static tc_status explain_state_new(const tc_model *m, tc_explain_state **out, tc_error *err)
{
    size_t C = (size_t)m->num_labels;
    tc_explain_state *e = calloc(1, sizeof *e);
    *out = NULL;
    if (!e) return tc_fail_nomem(err, NULL);
    e->max_word_chars = m->tok.max_word_chars;
    e->max_len = m->max_len;
    e->probs = malloc(C * sizeof *e->probs);
    e->ref_probs = malloc(C * sizeof *e->ref_probs);
    if (!e->probs || !e->ref_probs) {
        tc_explain_state_free(e);
        return tc_fail_nomem(err, NULL);
    }
    *out = e;
    return TC_OK;
}

/* Makes e's per-token arrays (and its reference pass's scratch) hold a document of T tokens,
 * 0 <= T <= max_len. Contents are not kept. TC_OK, or TC_ERR_NOMEM (e still valid: the arrays
 * are then empty). */
static tc_status explain_state_reserve(tc_explain_state *e, const tc_model *m, int T,
                                       tc_error *err)
{
    tc_status st = tc_forward_state_reserve(&e->forward, m, T, err);
    if (st != TC_OK || (e->kept && T <= e->cap)) return st;
    size_t cap = (size_t)tc_token_capacity(T, m->max_len), C = (size_t)m->num_labels;
    size_t ng = m->tok.ngram_buckets ? cap * (size_t)m->dim : 0;
    free(e->kept);
    free(e->kept_ng);
    free(e->attention);
    free(e->without);
    e->cap = (int)cap;
    e->kept = malloc(cap * sizeof *e->kept);
    e->kept_ng = ng ? malloc(ng * sizeof *e->kept_ng) : NULL;
    e->attention = malloc(cap * sizeof *e->attention);
    e->without = malloc(cap * C * sizeof *e->without);
    if (!e->kept || (ng && !e->kept_ng) || !e->attention || !e->without) {
        free(e->kept);
        free(e->kept_ng);
        free(e->attention);
        free(e->without);
        e->kept = NULL;
        e->kept_ng = NULL;
        e->attention = NULL;
        e->without = NULL;
        e->cap = 0;
        return tc_fail_nomem(err, NULL);
    }
    return TC_OK;
}

/* The log-odds of label top in probs[C], log(p / (1 - p)), from probabilities floored at the
 * smallest float (so within about ±103.3); with a sigmoid, logits[top] (the last pass's). */
static double log_odds(const tc_model *m, const float *logits, const float *probs, int C, int top)
{
    if (m->output == TC_OUTPUT_SIGMOID) return logits[top];
    double rest = 0;
    for (int c = 0; c < C; c++)
        if (c != top) rest += probs[c];
    double p = probs[top];
    if (p < FLT_TRUE_MIN) p = FLT_TRUE_MIN;
    if (rest < FLT_TRUE_MIN) rest = FLT_TRUE_MIN;
    return log(p) - log(rest);
}

/* tc_tokenize_words callback: records the word (its text, cut at max_word_chars characters,
 * and its tokens). Returns 0, or -1 when out of memory. */
static int add_word(void *ctx, const int32_t *word, size_t n, int64_t first, int64_t count)
{
    static const char ellipsis[] = "\xE2\x80\xA6";   /* U+2026 */
    tc_explain_state *e = ctx;
    size_t shown = n > (size_t)e->max_word_chars ? (size_t)e->max_word_chars : n;
    tc_buf *b = &e->text;
    if (e->num_words == e->words_cap) {   /* room for one more (at most one word per token) */
        size_t cap = (size_t)tc_token_capacity(e->num_words + 1, e->max_len);
        tc_explained_word *words = realloc(e->words, cap * sizeof *words);
        if (!words) return -1;
        e->words = words;
        size_t *off = realloc(e->text_off, cap * sizeof *off);
        if (!off) return -1;
        e->text_off = off;
        e->words_cap = (int)cap;
    }
    if (tc_buf_reserve(b, shown * 4 + sizeof ellipsis) != 0) return -1;
    size_t start = b->len;
    for (size_t i = 0; i < shown; i++)
        b->len += (size_t)utf8proc_encode_char(word[i], (utf8proc_uint8_t *)b->data + b->len);
    if (shown < n) {
        memcpy(b->data + b->len, ellipsis, sizeof ellipsis - 1);
        b->len += sizeof ellipsis - 1;
    }
    b->data[b->len++] = '\0';
    tc_explained_word *w = &e->words[e->num_words];
    e->text_off[e->num_words] = start;
    w->text_len = b->len - 1 - start;
    w->first_token = (int)first;
    w->num_tokens = (int)count;
    w->effect = 0.0f;
    w->evidence = 0.0f;
    e->num_words++;
    return 0;
}

tc_status tc_explain(tc_session *s, const char *text, size_t len, int flags,
                     tc_explanation *out, tc_error *err)
{
    if (!out) return tc_fail_null(err, "tc_explain", "out");
    memset(out, 0, sizeof *out);
    tc_status st = tc_session_check_doc("tc_explain", s, &text, len, err);
    if (st != TC_OK) return st;
    const tc_model *m = s->model;
    int C = m->num_labels;
    st = tc_blas_load(err);
    if (st == TC_OK && !s->explain) st = explain_state_new(m, &s->explain, err);
    if (st != TC_OK) return st;
    tc_explain_state *e = s->explain;
    tc_buf_reset(&e->text);
    e->num_words = 0;

    /* ids[T] and the words over them; scratch for T tokens; probs[C]: the document, as
     * tc_classify */
    int64_t count = 0;
    const float *ng = NULL;   /* G[T, d] with n-grams */
    st = tc_session_tokenize(s, text, len, flags, add_word, e, &count, &ng, &out->info, err);
    const int32_t *ids = s->tok.ids;
    int T = (int)count;
    if (st == TC_OK) st = explain_state_reserve(e, m, T, err);
    if (st == TC_OK) st = tc_session_run(s, ids, ng, T, e->probs, err);
    if (st != TC_OK) {
        tc_doc_info info = out->info;   /* what was seen before the failure, as tc_classify */
        memset(out, 0, sizeof *out);
        out->info = info;
        return st;
    }

    int top;   /* the label explained: the one the model answers (or would, abstaining) */
    tc_rank_answers(m, flags, e->probs, 1, &top);
    out->info.abstain = tc_abstain_verdict(m, flags, e->probs, &out->info);
    /* attention[T]: the reference pass's weights */
    tc_forward_attention(m, &e->forward, ids, ng, T, e->ref_probs, e->attention);
    double odds = log_odds(m, tc_session_logits(s), e->probs, C, top);

    /* without[w, C]: the document without word w's tokens ids[a .. a+n) */
    for (int w = 0; w < e->num_words; w++) {
        tc_explained_word *word = &e->words[w];
        int a = word->first_token, n = word->num_tokens;
        memcpy(e->kept, ids, (size_t)a * sizeof *ids);
        memcpy(e->kept + a, ids + a + n, (size_t)(T - a - n) * sizeof *ids);
        if (ng) {   /* the kept tokens keep their n-gram vectors */
            size_t d = (size_t)m->dim;
            memcpy(e->kept_ng, ng, (size_t)a * d * sizeof *ng);
            memcpy(e->kept_ng + (size_t)a * d, ng + (size_t)(a + n) * d,
                   (size_t)(T - a - n) * d * sizeof *ng);
        }
        float *p = e->without + (size_t)w * C;
        /* cannot fail: the session's scratch already holds T > T - n tokens */
        tc_session_run(s, e->kept, ng ? e->kept_ng : NULL, T - n, p, NULL);
        word->effect = e->probs[top] - p[top];
        word->evidence = (float)(odds - log_odds(m, tc_session_logits(s), p, C, top));
        word->text = e->text.data + e->text_off[w];
    }

    out->probs = e->probs;
    out->top = top;
    out->num_tokens = T;
    out->ids = ids;
    out->attention = e->attention;
    out->num_words = e->num_words;
    out->words = e->words;
    out->probs_without = e->without;
    return TC_OK;
}
