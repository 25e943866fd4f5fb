/*
 * Sessions grow their scratch with the documents (session.h, infer.h, forward.h, explain.c): a
 * session starts with none, takes what a document of T tokens needs (rounded up to a power of
 * two, at most max_len) and keeps it. Whatever a session has met before, its results must be
 * those of a fresh session, bit for bit: documents of 0 to 600 words in an order that grows,
 * shrinks and grows again go through one long-lived session and, each, through a new one, with
 * models/sentiment.json (max_len 512: scratch for 64, 128, 256 and 512 tokens; its attention
 * rows in blocks of TC_INFER_ROWS) and tests/models/tiny.json (max_len 16, less than the
 * smallest step), and tests/models/tiny-ngram.json (character n-grams: a session keeps the
 * pieces' mean n-gram vectors and their projections, check_ngram_cache). tc_classify, tc_tokenize and tc_explain (its
 * probabilities, words, effects, evidence and attention) are compared. Runs from the repository
 * root.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "textclf.h"

void test_session(void);

static const char *const words[] = {"the", "film", "was", "wonderful", "and", "boring", "a",
                                    "masterpiece", "terrible", "acting", "plot", "!", "not",
                                    "great", "worst", "loved", "it", "zyxwv", "é", "猫"};
enum { NWORDS = sizeof words / sizeof words[0] };

/* n words, varied (words[(i * 7 + n) % NWORDS]), separated by spaces; malloc'd */
static char *doc_make(int n, size_t *len)
{
    char *s = malloc((size_t)n * 16 + 1);
    if (!s) abort();
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        const char *w = words[(i * 7 + n) % NWORDS];
        if (i) s[k++] = ' ';
        memcpy(s + k, w, strlen(w));
        k += strlen(w);
    }
    s[k] = '\0';
    *len = k;
    return s;
}

/* 1 if explanations a and b (of the same model) are the same, bit for bit */
static int same_explanation(const tc_explanation *a, const tc_explanation *b, int C)
{
    if (a->top != b->top || a->num_tokens != b->num_tokens || a->num_words != b->num_words ||
        memcmp(&a->info, &b->info, sizeof a->info) != 0)
        return 0;
    size_t T = (size_t)a->num_tokens, n = (size_t)a->num_words;
    if (memcmp(a->probs, b->probs, (size_t)C * sizeof *a->probs) != 0 ||
        memcmp(a->ids, b->ids, T * sizeof *a->ids) != 0 ||
        memcmp(a->attention, b->attention, T * sizeof *a->attention) != 0 ||
        memcmp(a->probs_without, b->probs_without, n * C * sizeof *a->probs_without) != 0)
        return 0;
    for (size_t w = 0; w < n; w++) {
        const tc_explained_word *x = &a->words[w], *y = &b->words[w];
        if (strcmp(x->text, y->text) != 0 || x->first_token != y->first_token ||
            x->num_tokens != y->num_tokens || memcmp(&x->effect, &y->effect, sizeof x->effect) ||
            memcmp(&x->evidence, &y->evidence, sizeof x->evidence))
            return 0;
    }
    return 1;
}

static void check_model(const char *path, int explain)
{
    static const int sizes[] = {0, 1, 5, 63, 64, 65, 3, 130, 600, 2, 257, 511, 512, 513, 100, 0,
                                40, 300};
    tc_error err;
    tc_model *m;
    CHECK(tc_model_load(path, &m, &err) == TC_OK);
    if (!m) return;
    int C = tc_model_num_labels(m);
    tc_session *kept;   /* lives through every document */
    CHECK(tc_session_init(m, &kept, &err) == TC_OK);
    float *p = malloc((size_t)C * sizeof *p), *q = malloc((size_t)C * sizeof *q);
    int32_t *ids = NULL;
    if (!p || !q || !kept) abort();
    int same_probs = 1, same_ids = 1, same_explain = 1, same_embed = 1, ok = 1;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t len;
        char *text = doc_make(sizes[i], &len);
        tc_session *fresh;
        ok &= tc_session_init(m, &fresh, &err) == TC_OK;
        if (!fresh) abort();
        /* tc_classify */
        ok &= tc_classify(kept, text, len, 0, p, NULL, &err) == TC_OK;
        ok &= tc_classify(fresh, text, len, 0, q, NULL, &err) == TC_OK;
        same_probs &= memcmp(p, q, (size_t)C * sizeof *p) == 0;
        /* tc_embed, both layers (the same tokens and forward pass as tc_classify) */
        for (int layer = TC_EMBED_POOLED; layer <= TC_EMBED_HIDDEN; layer++) {
            int n = tc_embed_dim(m, (tc_embed_layer)layer);
            float *u = calloc((size_t)n, sizeof *u), *v = calloc((size_t)n, sizeof *v);
            if (!u || !v) abort();
            ok &= tc_embed(kept, text, len, 0, (tc_embed_layer)layer, u, NULL, &err) == TC_OK;
            ok &= tc_embed(fresh, text, len, 0, (tc_embed_layer)layer, v, NULL, &err) == TC_OK;
            same_embed &= memcmp(u, v, (size_t)n * sizeof *u) == 0;
            free(u);
            free(v);
        }
        /* tc_tokenize (the ids of `kept` copied: the next call on it changes them) */
        const int32_t *a, *b;
        int64_t na, nb;
        ok &= tc_tokenize(kept, text, len, 0, &a, &na, NULL, &err) == TC_OK;
        free(ids);
        ids = malloc(((size_t)na + 1) * sizeof *ids);
        if (!ids) abort();
        memcpy(ids, a, (size_t)na * sizeof *ids);
        tc_session_free(fresh);
        ok &= tc_session_init(m, &fresh, &err) == TC_OK;
        if (!fresh) abort();
        ok &= tc_tokenize(fresh, text, len, 0, &b, &nb, NULL, &err) == TC_OK;
        same_ids &= na == nb && memcmp(ids, b, (size_t)na * sizeof *ids) == 0;
        /* tc_explain (on a new fresh session: the one above has tokenised only) */
        if (explain) {
            tc_session_free(fresh);
            ok &= tc_session_init(m, &fresh, &err) == TC_OK;
            if (!fresh) abort();
            tc_explanation x, y;
            ok &= tc_explain(kept, text, len, 0, &x, &err) == TC_OK;
            ok &= tc_explain(fresh, text, len, 0, &y, &err) == TC_OK;
            same_explain &= same_explanation(&x, &y, C);
        }
        tc_session_free(fresh);
        free(text);
    }
    CHECK(ok);
    CHECK(same_probs);
    CHECK(same_ids);
    CHECK(same_explain);
    CHECK(same_embed);
    free(ids);
    free(p);
    free(q);
    tc_session_free(kept);
    tc_model_free(m);
}

/* A session keeps the mean n-gram vectors of the pieces it has met and their projections
 * (ngram.h: by piece id and whether the piece starts and ends its word): tests/models/tiny-ngram.json's pieces in every
 * place, met again in other documents (a piece is cached when its document ends), must give a
 * fresh session's probabilities and explanations, bit for bit. "run" ends its word alone and not
 * in "running"; "##s" and "##ing" end words, "##ment" then "##e" make "##ment" not end one; an
 * unknown word (one unk_token, never cached) and a document longer than max_len (16) too. */
static void check_ngram_cache(void)
{
    static const char *const docs[] = {
        "run", "running runs run", "the cat is running", "run the dog",
        "chienmente chienment chien", "le chat est bon , et le chien est bon",
        "hello world and the dog is running and the cat runs and the dog runs again and again",
        "zyxwv run", "猫 你好 中文 run .", "runs running run the cat !", "chien chienment"};
    tc_error err;
    tc_model *m;
    CHECK(tc_model_load("tests/models/tiny-ngram.json", &m, &err) == TC_OK);
    if (!m) return;
    int C = tc_model_num_labels(m), ok = 1, same_probs = 1, same_explain = 1;
    tc_session *kept;
    CHECK(tc_session_init(m, &kept, &err) == TC_OK);
    float *p = malloc((size_t)C * sizeof *p), *q = malloc((size_t)C * sizeof *q);
    if (!p || !q || !kept) abort();
    for (int round = 0; round < 2; round++)   /* the second round meets every piece again */
        for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
            size_t len = strlen(docs[i]);
            tc_session *fresh;
            ok &= tc_session_init(m, &fresh, &err) == TC_OK;
            if (!fresh) abort();
            ok &= tc_classify(kept, docs[i], len, 0, p, NULL, &err) == TC_OK;
            ok &= tc_classify(fresh, docs[i], len, 0, q, NULL, &err) == TC_OK;
            same_probs &= memcmp(p, q, (size_t)C * sizeof *p) == 0;
            tc_session_free(fresh);
            ok &= tc_session_init(m, &fresh, &err) == TC_OK;
            if (!fresh) abort();
            tc_explanation x, y;
            ok &= tc_explain(kept, docs[i], len, 0, &x, &err) == TC_OK;
            ok &= tc_explain(fresh, docs[i], len, 0, &y, &err) == TC_OK;
            same_explain &= same_explanation(&x, &y, C);
            tc_session_free(fresh);
        }
    CHECK(ok);
    CHECK(same_probs);
    CHECK(same_explain);
    free(p);
    free(q);
    tc_session_free(kept);
    tc_model_free(m);
}

/* tc_embed's arguments and sizes: tc_embed_dim is dim and hidden; a NULL out, an unknown layer
 * and a NULL session are TC_ERR_ARG with nothing written; an empty document's pooled vector is
 * zeros, and its hidden vector act(b) (relu of the hidden bias: not all zero on tiny.json). */
static void check_embed_api(void)
{
    tc_error err;
    tc_model *m;
    tc_session *s;
    CHECK(tc_model_load("tests/models/tiny.json", &m, &err) == TC_OK);
    if (!m) return;
    CHECK(tc_session_init(m, &s, &err) == TC_OK);
    if (!s) abort();
    tc_model_info mi;
    tc_model_get_info(m, &mi);
    CHECK(tc_embed_dim(m, TC_EMBED_POOLED) == mi.dim);
    CHECK(tc_embed_dim(m, TC_EMBED_HIDDEN) == mi.hidden);
    CHECK(tc_embed_dim(m, (tc_embed_layer)2) == 0);
    CHECK(tc_embed_dim(NULL, TC_EMBED_POOLED) == 0);
    float v[64];
    for (int i = 0; i < 64; i++) v[i] = 7.0f;
    CHECK(tc_embed(s, "a b", 3, 0, TC_EMBED_POOLED, NULL, NULL, &err) == TC_ERR_ARG);
    CHECK(tc_embed(s, "a b", 3, 0, (tc_embed_layer)2, v, NULL, &err) == TC_ERR_ARG);
    CHECK(tc_embed(NULL, "a b", 3, 0, TC_EMBED_POOLED, v, NULL, &err) == TC_ERR_ARG);
    CHECK(v[0] == 7.0f);
    tc_doc_info info;
    CHECK(tc_embed(s, NULL, 0, 0, TC_EMBED_POOLED, v, &info, &err) == TC_OK);
    int zeros = 1;
    for (int i = 0; i < mi.dim; i++) zeros &= v[i] == 0.0f;
    CHECK(zeros);
    CHECK(info.tokens == 0 && info.abstain == TC_ABSTAIN_NONE);
    CHECK(tc_embed(s, "\xff", 1, TC_STRICT_UTF8, TC_EMBED_HIDDEN, v, NULL, &err) == TC_ERR_INPUT);
    tc_session_free(s);
    tc_model_free(m);
}

void test_session(void)
{
    check_embed_api();
    check_model("models/sentiment.json", 1);
    check_model("tests/models/tiny.json", 1);
    check_model("tests/models/tiny-ngram.json", 1);
    check_ngram_cache();
}
