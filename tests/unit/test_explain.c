/*
 * tc_explain on the tiny test model (tests/models/tiny.json: English words push "en", French
 * "fr", CJK "zh") and on models/lang.json, checked against independent computations:
 *   - the document's probabilities and ids are tc_classify's and tc_tokenize's, bit for bit;
 *   - the words cover the tokens exactly, in order;
 *   - each word's row of probs_without is what tc_classify gives for the document rebuilt from
 *     the other words' texts (whose ids must be the document's minus that word's), bit for bit,
 *     and its effect and evidence follow from it;
 *   - the attention received equals a double-precision evaluation of the softmax weights
 *     written out here, and sums to 1;
 * plus word texts ([UNK] words, pieces, words cut at max_word_chars or by max_len), the planted
 * signal's signs, strict UTF-8, an empty document, and four threads explaining with sessions of
 * one model at once (the same results, bit for bit, as one thread). Runs from the repository
 * root.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "test.h"
#include "textclf.h"

void test_explain(void);

/* Attention received by each token of ids[0..T), averaged over heads and query positions, in
 * double precision from the weights (docs/model-format.md). */
static void attention_reference(const tc_model *m, const int32_t *ids, int T, double *received)
{
    int d = m->dim, hd = m->head_dim, H = m->heads * hd;
    double *qk = calloc((size_t)T * 2 * H, sizeof *qk), *a = calloc((size_t)T, sizeof *a);
    if (!qk || !a) abort();
    for (int t = 0; t < T; t++)
        for (int r = 0; r < 2 * H; r++) {   /* rows Wq | Wk of in_proj */
            const float *e = m->w[TC_W_EMBEDDING] + (size_t)ids[t] * d;
            const float *p = m->w[TC_W_POSITION] + (size_t)t * d;
            double s = m->w[TC_W_IN_PROJ_B][r];
            for (int i = 0; i < d; i++)
                s += (double)m->w[TC_W_IN_PROJ][(size_t)r * d + i] * ((double)e[i] + p[i]);
            qk[(size_t)t * 2 * H + r] = s;
        }
    for (int u = 0; u < T; u++) received[u] = 0;
    for (int j = 0; j < m->heads; j++)
        for (int t = 0; t < T; t++) {
            double max = -1e300, sum = 0;
            const double *q = qk + (size_t)t * 2 * H + j * hd;
            for (int u = 0; u < T; u++) {
                const double *k = qk + (size_t)u * 2 * H + H + j * hd;
                double s = 0;
                for (int e = 0; e < hd; e++) s += q[e] * k[e];
                a[u] = s / sqrt((double)hd);
                if (a[u] > max) max = a[u];
            }
            for (int u = 0; u < T; u++) sum += (a[u] = exp(a[u] - max));
            for (int u = 0; u < T; u++) received[u] += a[u] / sum / ((double)m->heads * T);
        }
    free(qk);
    free(a);
}

/* log(p_top / (1 - p_top)), 1 - p_top as the sum of the others (as explain.c). */
static double log_odds(const float *p, int C, int top)
{
    double rest = 0;
    for (int c = 0; c < C; c++)
        if (c != top) rest += p[c];
    return log((double)p[top]) - log(rest);
}

/* Words whose row of probs_without check_doc compared with the other words' text classified
 * from scratch: it skips truncated documents and words it cannot rebuild, and the suite checks
 * that this left some (else that comparison, the strongest, would pass having run never). */
static int words_rebuilt;

/* Explains text and checks everything the header promises about the result. Returns the number
 * of words (or -1 when the call failed). When want_top is not NULL, the predicted label must be
 * it; signs (if not NULL) gives each word's expected sign of effect ('+', '-', or '.' for any). */
static int check_doc(tc_session *s, const tc_model *m, const char *text, const char *want_top,
                     const char *signs)
{
    size_t len = strlen(text);
    int C = tc_model_num_labels(m);
    tc_explanation ex;
    tc_error err;
    CHECK(tc_explain(s, text, len, 0, &ex, &err) == TC_OK);
    if (!ex.probs) return -1;

    /* the words' texts and tokens are copied first: the calls below reuse the session */
    int W = ex.num_words, T = ex.num_tokens;
    char **texts = calloc((size_t)W + 1, sizeof *texts);
    tc_explained_word *words = malloc(((size_t)W + 1) * sizeof *words);
    int32_t *ids = malloc(((size_t)T + 1) * sizeof *ids);
    float *probs = malloc((size_t)C * sizeof *probs), *without = malloc(((size_t)W + 1) * C * 4);
    float *attention = malloc(((size_t)T + 1) * sizeof *attention);
    double *want_att = malloc(((size_t)T + 1) * sizeof *want_att);
    if (!texts || !words || !ids || !probs || !without || !attention || !want_att) abort();
    memcpy(words, ex.words, (size_t)W * sizeof *words);
    memcpy(ids, ex.ids, (size_t)T * sizeof *ids);
    memcpy(probs, ex.probs, (size_t)C * sizeof *probs);
    memcpy(without, ex.probs_without, (size_t)W * C * sizeof *without);
    memcpy(attention, ex.attention, (size_t)T * sizeof *attention);
    for (int w = 0; w < W; w++) {
        CHECK(strlen(words[w].text) == words[w].text_len);
        texts[w] = strdup(words[w].text);
    }
    int top = ex.top, truncated = ex.info.truncated;

    /* probabilities and ids: tc_classify's and tc_tokenize's */
    float *want = malloc((size_t)C * sizeof *want);
    tc_doc_info info;
    CHECK(tc_classify(s, text, len, 0, want, &info, &err) == TC_OK);
    CHECK(memcmp(want, probs, (size_t)C * sizeof *want) == 0);
    CHECK(info.tokens == T && info.truncated == truncated);
    int order;
    tc_rank_labels(probs, C, 1, &order);
    CHECK(order == top);
    if (want_top) CHECK_STR(tc_model_label(m, top), want_top);
    const int32_t *tids;
    int64_t n;
    CHECK(tc_tokenize(s, text, len, 0, &tids, &n, NULL, &err) == TC_OK);
    CHECK(n == T && memcmp(tids, ids, (size_t)T * sizeof *ids) == 0);

    /* the words tile the tokens */
    int next = 0;
    for (int w = 0; w < W; w++) {
        CHECK(words[w].first_token == next && words[w].num_tokens >= 1);
        next += words[w].num_tokens;
    }
    CHECK(next == T);

    /* each word left out: the text of the others, classified from scratch */
    for (int w = 0; w < W; w++) {
        const float *row = without + (size_t)w * C;
        CHECK(words[w].effect == probs[top] - row[top]);
        CHECK_NEAR(words[w].evidence, log_odds(probs, C, top) - log_odds(row, C, top),
                   1e-4 * (1 + fabs(words[w].evidence)));
        if (truncated || words[w].text_len != strlen(texts[w])) continue;
        size_t cap = len + (size_t)W * 8 + 16, used = 0;
        char *rest = malloc(cap);
        int cut = 0;   /* a word shortened with "…" cannot be rebuilt */
        for (int v = 0; v < W && rest; v++) {
            if (v == w) continue;
            size_t l = strlen(texts[v]);
            cut |= l >= 3 && memcmp(texts[v] + l - 3, "\xE2\x80\xA6", 3) == 0;
            if (used + l + 2 > cap) {
                cap = 2 * (used + l + 2);
                rest = realloc(rest, cap);
                if (!rest) abort();
            }
            if (used) rest[used++] = ' ';
            memcpy(rest + used, texts[v], l);
            used += l;
        }
        if (cut) {
            free(rest);
            continue;
        }
        CHECK(tc_tokenize(s, rest, used, 0, &tids, &n, NULL, &err) == TC_OK);
        int a = words[w].first_token, k = words[w].num_tokens;
        CHECK(n == T - k && memcmp(tids, ids, (size_t)a * sizeof *ids) == 0 &&
              memcmp(tids + a, ids + a + k, (size_t)(T - a - k) * sizeof *ids) == 0);
        CHECK(tc_classify(s, rest, used, 0, want, NULL, &err) == TC_OK);
        CHECK(memcmp(want, row, (size_t)C * sizeof *want) == 0);
        words_rebuilt++;
        free(rest);
    }

    /* attention received: the weights written out in double precision */
    attention_reference(m, ids, T, want_att);
    double sum = 0;
    for (int t = 0; t < T; t++) {
        CHECK_NEAR(attention[t], want_att[t], 2e-6);
        sum += attention[t];
    }
    if (T) CHECK_NEAR(sum, 1.0, 1e-5);

    if (signs) {
        CHECK(strlen(signs) == (size_t)W);
        for (int w = 0; w < W && signs[w]; w++) {
            if (signs[w] == '+') CHECK(words[w].effect > 0 && words[w].evidence > 0);
            if (signs[w] == '-') CHECK(words[w].effect < 0 && words[w].evidence < 0);
        }
    }
    for (int w = 0; w < W; w++) free(texts[w]);
    free(texts); free(words); free(ids); free(probs); free(without); free(attention);
    free(want_att); free(want);
    return W;
}

/* The texts and token counts of text's words, space-separated as "text/k ...". */
static void word_summary(tc_session *s, const char *text, char *out, size_t cap)
{
    tc_explanation ex;
    size_t used = 0;
    out[0] = '\0';
    if (tc_explain(s, text, strlen(text), 0, &ex, NULL) != TC_OK) return;
    for (int w = 0; w < ex.num_words && used < cap; w++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s/%d", w ? " " : "",
                                 ex.words[w].text, ex.words[w].num_tokens);
}

static void test_tiny(void)
{
    tc_model *m;
    tc_session *s;
    tc_error err;
    CHECK(tc_model_load("tests/models/tiny.json", &m, &err) == TC_OK);
    CHECK(tc_session_init(m, &s, &err) == TC_OK);
    if (!s) return;

    /* the planted signal, in documents mixing languages: the words of the predicted label's
     * language support it, the others' oppose it (within one language the signs say which words
     * are stronger than the document's average: mean pooling) */
    CHECK(check_doc(s, m, "le chat and the dog", "en", "--+++") == 5);
    CHECK(check_doc(s, m, "Le chien est bon, the cat", "en", "----.++") == 7);
    CHECK(check_doc(s, m, "猫 and 狗 你好", "zh", "+-+++") == 5);
    /* pieces, [UNK], punctuation; empty and blank documents */
    CHECK(check_doc(s, m, "runs dogs xyzzy!", NULL, NULL) == 4);
    CHECK(check_doc(s, m, "", NULL, NULL) == 0);
    CHECK(check_doc(s, m, "  \t ", NULL, NULL) == 0);
    CHECK(check_doc(s, m, "bonjour", "fr", "+") == 1);
    /* past max_len (16): truncated, the last word cut to the piece that fits */
    CHECK(check_doc(s, m, "the cat the dog the cat the dog the cat the dog the cat the runs",
                    "en", NULL) == 16);
    /* invalid UTF-8 is replaced, as tc_classify does */
    CHECK(check_doc(s, m, "le chat \xff\xfe est bon", "fr", NULL) == 6);

    /* texts are normalised; "running" is one [UNK] (the vocabulary has no "##ning") */
    char got[512];
    word_summary(s, "Runs DOGS running xyzzy, 猫!", got, sizeof got);
    CHECK_STR(got, "runs/2 dogs/2 running/1 xyzzy/1 ,/1 猫/1 !/1");
    word_summary(s, "the cat the dog the cat the dog the cat the dog the cat the runs", got,
                 sizeof got);
    CHECK(strlen(got) > 10 && strcmp(got + strlen(got) - 6, "runs/1") == 0);

    /* a word longer than max_word_chars (100) is one [UNK], shown cut with "…" */
    char longw[160];
    memset(longw, 'a', 150);
    memcpy(longw + 150, " the", 5);
    tc_explanation ex;
    CHECK(tc_explain(s, longw, strlen(longw), 0, &ex, &err) == TC_OK);
    CHECK(ex.num_words == 2 && ex.words[0].num_tokens == 1 && ex.words[0].text_len == 103);
    CHECK(ex.num_words == 2 && strncmp(ex.words[0].text, longw, 100) == 0 &&
          strcmp(ex.words[0].text + 100, "\xE2\x80\xA6") == 0);
    CHECK(check_doc(s, m, longw, NULL, NULL) == 2);

    /* strict UTF-8: rejected, nothing filled in but what tokenisation saw */
    CHECK(tc_explain(s, "le \xff", 4, TC_STRICT_UTF8, &ex, &err) == TC_ERR_INPUT);
    CHECK(ex.probs == NULL && ex.num_words == 0 && ex.info.invalid_utf8 == 1);
    CHECK(ex.info.invalid_offset == 3);

    tc_session_free(s);
    tc_model_free(m);
}

static void test_lang(void)
{
    static const char *const docs[] = {
        "Le chat dort sur le canapé", "The cat is asleep on the sofa, mais le chien dort",
        "Die Katze schläft auf dem Sofa", "猫はソファで寝ています",
        "貓在沙發上睡覺",
        "Кошка спит на диване", "a", "!!!",
    };
    tc_model *m;
    tc_session *s;
    tc_error err;
    CHECK(tc_model_load("models/lang.json", &m, &err) == TC_OK);
    CHECK(tc_session_init(m, &s, &err) == TC_OK);
    if (!s) return;
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        CHECK(check_doc(s, m, docs[i], NULL, NULL) > 0);
    CHECK(check_doc(s, m, docs[0], "fr", NULL) == 6);
    tc_session_free(s);
    tc_model_free(m);
}

/* ---- threads: sessions of one model explaining at once (make tsan-test runs this) ---------- */

enum { NTHREADS = 4, NDOCS = 6 };

static const char *const thread_docs[NDOCS] = {
    "Le chat dort sur le canapé", "The cat is asleep on the sofa", "猫はソファで寝ています",
    "Кошка спит на диване", "", "Die Katze schläft auf dem Sofa, the cat",
};

/* What one explanation gave, to compare bit for bit. */
typedef struct {
    float effect[64], evidence[64], attention[64], top_p;
    int words, tokens;
} summary;

typedef struct {
    const tc_model *m;
    summary got[NDOCS];
    int ok;
} explainer;

static int summarize(tc_session *s, const char *text, summary *out)
{
    tc_explanation ex;
    memset(out, 0, sizeof *out);
    if (tc_explain(s, text, strlen(text), 0, &ex, NULL) != TC_OK) return 0;
    out->words = ex.num_words;
    out->tokens = ex.num_tokens;
    out->top_p = ex.probs[ex.top];
    for (int w = 0; w < ex.num_words && w < 64; w++) {
        out->effect[w] = ex.words[w].effect;
        out->evidence[w] = ex.words[w].evidence;
    }
    for (int t = 0; t < ex.num_tokens && t < 64; t++) out->attention[t] = ex.attention[t];
    return 1;
}

static void *explain_all(void *arg)
{
    explainer *e = arg;
    tc_session *s;
    e->ok = tc_session_init(e->m, &s, NULL) == TC_OK;
    for (int i = 0; e->ok && i < NDOCS; i++) e->ok = summarize(s, thread_docs[i], &e->got[i]);
    tc_session_free(s);   /* NULL when tc_session_init failed */
    return NULL;
}

static void test_threads_explain(void)
{
    tc_model *m;
    tc_error err;
    CHECK(tc_model_load("models/lang.json", &m, &err) == TC_OK);
    if (!m) return;
    static explainer e[NTHREADS];
    pthread_t tid[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        e[k].m = m;
        CHECK(pthread_create(&tid[k], NULL, explain_all, &e[k]) == 0);
    }
    for (int k = 0; k < NTHREADS; k++) pthread_join(tid[k], NULL);
    explainer alone = {.m = m};
    explain_all(&alone);
    CHECK(alone.ok);
    for (int k = 0; k < NTHREADS; k++)
        CHECK(e[k].ok && memcmp(e[k].got, alone.got, sizeof alone.got) == 0);
    tc_model_free(m);
}

void test_explain(void)
{
    words_rebuilt = 0;
    test_tiny();
    test_lang();
    if (words_rebuilt < 40) printf("  explain: only %d words rebuilt\n", words_rebuilt);
    CHECK(words_rebuilt >= 40);   /* 85 when written */
    test_threads_explain();
}
