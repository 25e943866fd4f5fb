/*
 * The public API's pointer arguments (src/textclf.h, "Pointer arguments, exactly"): every
 * function of the header called with each required pointer NULL must refuse it, never follow
 * it: TC_ERR_ARG and the message "FUNCTION: ARG is NULL" for those returning a tc_status (with
 * err given and with err NULL), nothing else written (but *out set to NULL, or cleared, when
 * out is given); 0 or NULL or nothing for the others. Optional pointers (err, info, NULL text
 * with len 0, vocab and weights with a length of 0) work. Runs from the repository root.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "textclf.h"

void test_api(void);

#define MODEL "tests/models/tiny.json"

/* err says TC_ERR_ARG with exactly this message */
static int is_arg_error(tc_status st, const tc_error *err, const char *message)
{
    return st == TC_ERR_ARG && err->code == TC_ERR_ARG && strcmp(err->message, message) == 0 &&
           err->file[0] == '\0' && err->path[0] == '\0';
}

static void check_errors_and_models(void)
{
    tc_error err;
    char buf[64];

    /* tc_error_format: NULL err, NULL buf, size 0 */
    CHECK_STR(tc_error_format(NULL, buf, sizeof buf), "unknown error");
    memset(&err, 0, sizeof err);
    CHECK(tc_error_format(&err, NULL, 10) == NULL);
    buf[0] = 'x';
    CHECK(tc_error_format(&err, buf, 0) == buf && buf[0] == 'x');
    CHECK_STR(tc_status_string((tc_status)99), "unknown error");

    /* tc_model_load */
    tc_model *m = (tc_model *)&err;   /* not NULL: must be set to NULL */
    CHECK(is_arg_error(tc_model_load(NULL, &m, &err), &err, "tc_model_load: path is NULL"));
    CHECK(m == NULL);
    m = (tc_model *)&err;
    CHECK(is_arg_error(tc_model_load("", &m, &err), &err, "tc_model_load: path is empty"));
    CHECK(m == NULL);
    CHECK(is_arg_error(tc_model_load(MODEL, NULL, &err), &err, "tc_model_load: out is NULL"));
    CHECK(tc_model_load(MODEL, NULL, NULL) == TC_ERR_ARG);
    CHECK(tc_model_load(NULL, &m, NULL) == TC_ERR_ARG && m == NULL);

    /* tc_model_load_memory */
    static const char json[] = "{}";
    const char *fn = "tc_model_load_memory";
    char want[128];
    struct {
        const char *name, *json, *vocab;
        size_t vocab_len;
        const void *weights;
        size_t weights_len;
        const char *arg;
    } mem[] = {
        {NULL, json, NULL, 0, NULL, 0, "name is NULL"},
        {"m", NULL, NULL, 0, NULL, 0, "json is NULL"},
        {"m", json, NULL, 5, NULL, 0, "vocab is NULL but vocab_len is 5"},
        {"m", json, NULL, 0, NULL, 7, "weights is NULL but weights_len is 7"},
    };
    for (size_t i = 0; i < sizeof mem / sizeof *mem; i++) {
        snprintf(want, sizeof want, "%s: %s", fn, mem[i].arg);
        m = (tc_model *)&err;
        CHECK(is_arg_error(tc_model_load_memory(mem[i].name, mem[i].json, 2, mem[i].vocab,
                                                mem[i].vocab_len, mem[i].weights,
                                                mem[i].weights_len, &m, &err),
                           &err, want));
        CHECK(m == NULL);
        CHECK(tc_model_load_memory(mem[i].name, mem[i].json, 2, mem[i].vocab, mem[i].vocab_len,
                                   mem[i].weights, mem[i].weights_len, &m, NULL) == TC_ERR_ARG);
    }
    CHECK(is_arg_error(tc_model_load_memory("m", json, 2, NULL, 0, NULL, 0, NULL, &err), &err,
                       "tc_model_load_memory: out is NULL"));
    /* vocab and weights NULL with 0: "no such file", a model error for this JSON, not ARG */
    CHECK(tc_model_load_memory("m", json, 2, NULL, 0, NULL, 0, &m, &err) == TC_ERR_MODEL);

    /* accessors of no model */
    tc_model_free(NULL);
    tc_model_info info;
    memset(&info, 0xab, sizeof info);
    tc_model_get_info(NULL, &info);
    CHECK(info.dim == 0 && info.num_labels == 0 && info.vocab_size == 0 &&
          info.activation == NULL && info.normalize == NULL && info.split_scripts == NULL);
    CHECK(tc_model_num_labels(NULL) == 0);
    CHECK(tc_model_label(NULL, 0) == NULL);
    CHECK(tc_model_token(NULL, 0) == NULL);
    char *md = (char *)buf;   /* not NULL: must be set to NULL */
    CHECK(is_arg_error(tc_model_metadata(NULL, &md, &err), &err,
                       "tc_model_metadata: model is NULL"));
    CHECK(md == NULL);
    CHECK(tc_model_metadata(NULL, NULL, NULL) == TC_ERR_ARG);

    /* tc_rank_labels */
    float probs[3] = {0.2f, 0.5f, 0.3f};
    int order[3] = {-1, -1, -1};
    CHECK(tc_rank_labels(NULL, 3, 2, order) == 0 && order[0] == -1);
    CHECK(tc_rank_labels(probs, 3, 2, NULL) == 0);
    CHECK(tc_rank_labels(probs, 3, 2, order) == 2 && order[0] == 1 && order[1] == 2);

    /* tc_model_label_withheld, tc_rank_answers, tc_answer: model NULL */
    tc_doc_info doc = {.letter_words = 1};
    order[0] = -1;
    CHECK(tc_model_label_withheld(NULL, 0) == 0);
    CHECK(tc_rank_answers(NULL, 0, probs, 2, order) == 0 && order[0] == -1);
    CHECK(tc_answer(NULL, 0, probs, &doc) == -2);
}

/* tc_classify_batch: each document's probabilities and info are tc_classify's, bit for bit;
 * it stops at the first failure and says where; bad arguments classify nothing. */
static void check_batch(tc_session *s, int C)
{
    enum { N = 6 };
    /* an empty document, invalid UTF-8 (document 3), a NUL inside one, a long one */
    static const char text[] = "the cat is good" "" "le chat est bon" "bad \xff byte"
                               "a\0b" "hello world and the dog is running and running";
    const size_t offsets[N + 1] = {0, 15, 15, 30, 40, 43, sizeof text - 1};
    float probs[N * 8], one[8];
    tc_doc_info infos[N], info;
    size_t done = 99;
    tc_error err;
    for (int flags = 0; flags <= TC_NO_ABSTAIN; flags += TC_NO_ABSTAIN) {
        memset(probs, 0, sizeof probs);
        CHECK(tc_classify_batch(s, text, offsets, N, flags, probs, infos, &done, &err) == TC_OK &&
              done == N);
        int same = 1;
        for (int i = 0; i < N; i++) {
            CHECK(tc_classify(s, text + offsets[i], offsets[i + 1] - offsets[i], flags, one,
                              &info, &err) == TC_OK);
            const tc_doc_info *b = &infos[i];   /* field by field: the struct has padding */
            same &= memcmp(one, probs + i * C, (size_t)C * sizeof *one) == 0 &&
                    info.tokens == b->tokens && info.truncated == b->truncated &&
                    info.invalid_utf8 == b->invalid_utf8 &&
                    info.invalid_offset == b->invalid_offset &&
                    info.letter_words == b->letter_words &&
                    info.unknown_words == b->unknown_words && info.abstain == b->abstain;
        }
        CHECK(same);
    }
    CHECK(infos[3].invalid_utf8 == 1 && infos[1].tokens == 0);
    /* infos and done may be NULL */
    CHECK(tc_classify_batch(s, text, offsets, N, 0, probs, NULL, NULL, NULL) == TC_OK);
    /* TC_STRICT_UTF8: documents 0-2 done, document 3 fails */
    CHECK(tc_classify_batch(s, text, offsets, N, TC_STRICT_UTF8, probs, infos, &done, &err) ==
              TC_ERR_INPUT && done == 3 && err.code == TC_ERR_INPUT);
    /* bad arguments: nothing classified, done 0 */
    const size_t back[3] = {0, 15, 10};
    done = 99;
    CHECK(is_arg_error(tc_classify_batch(s, text, back, 2, 0, probs, infos, &done, &err), &err,
                       "tc_classify_batch: offsets[2] = 10 is less than offsets[1] = 15") &&
          done == 0);
    CHECK(is_arg_error(tc_classify_batch(NULL, text, offsets, N, 0, probs, NULL, NULL, &err),
                       &err, "tc_classify_batch: session is NULL"));
    CHECK(is_arg_error(tc_classify_batch(s, text, NULL, N, 0, probs, NULL, NULL, &err), &err,
                       "tc_classify_batch: offsets is NULL"));
    CHECK(is_arg_error(tc_classify_batch(s, text, offsets, N, 0, NULL, NULL, NULL, &err), &err,
                       "tc_classify_batch: probs is NULL"));
    char want[100];
    snprintf(want, sizeof want, "tc_classify_batch: text is NULL but the documents hold %zu bytes",
             sizeof text - 1);
    CHECK(is_arg_error(tc_classify_batch(s, NULL, offsets, N, 0, probs, NULL, NULL, &err), &err,
                       want));
    /* nothing to do: no text, no probs needed; empty documents with a NULL text */
    const size_t empties[3] = {5, 5, 5};
    CHECK(tc_classify_batch(s, NULL, offsets, 0, 0, NULL, NULL, &done, &err) == TC_OK && done == 0);
    CHECK(tc_classify_batch(s, NULL, empties, 2, 0, probs, infos, &done, &err) == TC_OK &&
          done == 2 && infos[1].tokens == 0);
}

static void check_sessions(void)
{
    tc_error err;
    tc_model *m;
    CHECK(tc_model_load(MODEL, &m, &err) == TC_OK);
    if (!m) return;
    tc_model_get_info(m, NULL);   /* nothing to fill: nothing happens */

    /* tc_rank_answers, tc_answer: probs, order, info NULL */
    const float given[3] = {0.2f, 0.5f, 0.3f};
    int order[3] = {-1, -1, -1};
    tc_doc_info doc = {.letter_words = 1};
    CHECK(tc_rank_answers(m, 0, NULL, 2, order) == 0 && order[0] == -1);
    CHECK(tc_rank_answers(m, 0, given, 2, NULL) == 0);
    CHECK(tc_answer(m, 0, NULL, &doc) == -2 && tc_answer(m, 0, given, NULL) == -2);
    CHECK(tc_answer(m, 0, given, &doc) == 1);

    /* tc_model_metadata: json NULL refused; the tiny model's metadata as compact JSON */
    CHECK(is_arg_error(tc_model_metadata(m, NULL, &err), &err, "tc_model_metadata: json is NULL"));
    char *md = NULL;
    CHECK(tc_model_metadata(m, &md, &err) == TC_OK && err.code == TC_OK);
    CHECK_STR(md ? md : "(null)",
              "{\"purpose\":\"textclf golden tests (tests/models/make_models.py)\"}");
    free(md);

    /* tc_session_init */
    tc_session *s = (tc_session *)&err;
    CHECK(is_arg_error(tc_session_init(NULL, &s, &err), &err, "tc_session_init: model is NULL"));
    CHECK(s == NULL);
    CHECK(is_arg_error(tc_session_init(m, NULL, &err), &err, "tc_session_init: out is NULL"));
    CHECK(tc_session_init(m, NULL, NULL) == TC_ERR_ARG);
    tc_session_free(NULL);
    CHECK(tc_session_init(m, &s, &err) == TC_OK);
    if (!s) {
        tc_model_free(m);
        return;
    }

    /* tc_classify: nothing written on TC_ERR_ARG */
    int C = tc_model_num_labels(m);
    float probs[8], empty[8];
    CHECK(C >= 2 && C <= 8);   /* the arrays above hold the probabilities; something to compare */
    if (C < 2 || C > 8) {
        tc_session_free(s);
        tc_model_free(m);
        return;
    }
    tc_doc_info info, untouched;
    memset(&untouched, 0x5a, sizeof untouched);
    for (int c = 0; c < C; c++) probs[c] = -1.0f;
    info = untouched;
    CHECK(is_arg_error(tc_classify(NULL, "hello", 5, 0, probs, &info, &err), &err,
                       "tc_classify: session is NULL"));
    CHECK(is_arg_error(tc_classify(s, "hello", 5, 0, NULL, &info, &err), &err,
                       "tc_classify: probs is NULL"));
    CHECK(is_arg_error(tc_classify(s, NULL, 5, 0, probs, &info, &err), &err,
                       "tc_classify: text is NULL but len is 5"));
    CHECK(tc_classify(NULL, "hello", 5, 0, probs, NULL, NULL) == TC_ERR_ARG);
    CHECK(tc_classify(s, "hello", 5, 0, NULL, NULL, NULL) == TC_ERR_ARG);
    CHECK(probs[0] == -1.0f && memcmp(&info, &untouched, sizeof info) == 0);
    /* optional: NULL text with len 0 is the empty document; info and err may be NULL */
    CHECK(tc_classify(s, "", 0, 0, empty, NULL, NULL) == TC_OK);
    CHECK(tc_classify(s, NULL, 0, 0, probs, &info, NULL) == TC_OK);
    CHECK(memcmp(probs, empty, (size_t)C * sizeof *probs) == 0 && info.tokens == 0);
    check_batch(s, C);

    /* tc_tokenize */
    const int32_t *ids = (const int32_t *)&err;
    int64_t count = -7;
    CHECK(is_arg_error(tc_tokenize(NULL, "hello", 5, 0, &ids, &count, NULL, &err), &err,
                       "tc_tokenize: session is NULL"));
    CHECK(is_arg_error(tc_tokenize(s, "hello", 5, 0, NULL, &count, NULL, &err), &err,
                       "tc_tokenize: ids is NULL"));
    CHECK(is_arg_error(tc_tokenize(s, "hello", 5, 0, &ids, NULL, NULL, &err), &err,
                       "tc_tokenize: count is NULL"));
    CHECK(is_arg_error(tc_tokenize(s, NULL, 1, 0, &ids, &count, NULL, &err), &err,
                       "tc_tokenize: text is NULL but len is 1"));
    CHECK(tc_tokenize(s, "hello", 5, 0, NULL, NULL, NULL, NULL) == TC_ERR_ARG);
    CHECK(ids == (const int32_t *)&err && count == -7);
    CHECK(tc_tokenize(s, NULL, 0, 0, &ids, &count, NULL, NULL) == TC_OK && count == 0);

    /* tc_explain: *out cleared whenever out is given */
    tc_explanation ex;
    CHECK(is_arg_error(tc_explain(s, "hello", 5, 0, NULL, &err), &err,
                       "tc_explain: out is NULL"));
    memset(&ex, 0x5a, sizeof ex);
    CHECK(is_arg_error(tc_explain(NULL, "hello", 5, 0, &ex, &err), &err,
                       "tc_explain: session is NULL"));
    CHECK(ex.probs == NULL && ex.num_words == 0 && ex.info.tokens == 0);
    memset(&ex, 0x5a, sizeof ex);
    CHECK(is_arg_error(tc_explain(s, NULL, 2, 0, &ex, &err), &err,
                       "tc_explain: text is NULL but len is 2"));
    CHECK(ex.probs == NULL && ex.num_words == 0);
    CHECK(tc_explain(NULL, "hello", 5, 0, NULL, NULL) == TC_ERR_ARG);
    CHECK(tc_explain(s, NULL, 0, 0, &ex, NULL) == TC_OK);
    CHECK(ex.num_tokens == 0 && ex.num_words == 0 && ex.probs &&
          memcmp(ex.probs, empty, (size_t)C * sizeof *empty) == 0);

    tc_session_free(s);
    tc_model_free(m);
}

void test_api(void)
{
    check_errors_and_models();
    check_sessions();
}
