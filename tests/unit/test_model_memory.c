/*
 * tc_model_load_memory: the same model from memory and from files classifies identically; the
 * same validation applies (a damaged weights buffer is refused by name); a vocabulary or weights
 * file comes from memory when its bytes are given, and is refused otherwise (never read from
 * disk). Runs from the repository root (tests/run.sh does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "textclf.h"

void test_model_memory(void);

void test_model_memory(void)
{
    size_t jlen = 0, wlen = 0;
    char *json = test_read_file("tests/models/demo-lang.json", &jlen);
    char *w = test_read_file("tests/models/demo-lang.safetensors", &wlen);
    CHECK(json && w);
    if (!json || !w) { free(json); free(w); return; }

    tc_error err;
    tc_model *from_file = NULL, *from_mem = NULL;
    CHECK(tc_model_load("tests/models/demo-lang.json", &from_file, &err) == TC_OK);
    CHECK(tc_model_load_memory("(mem)", json, jlen, NULL, 0, w, wlen, &from_mem, &err) == TC_OK);
    if (from_file && from_mem) {
        static const char *docs[] = {"Le chat dort sur le canapé", "Кошка спит", "猫がソファで寝ている",
                                     "", "\xff\xfe broken"};
        enum { NDOCS = sizeof docs / sizeof docs[0] };
        int n = tc_model_num_labels(from_file);
        CHECK(n >= 2 && n == tc_model_num_labels(from_mem));
        tc_session *a = NULL, *b = NULL;
        CHECK(tc_session_init(from_file, &a, &err) == TC_OK);
        CHECK(tc_session_init(from_mem, &b, &err) == TC_OK);
        float *pa = malloc((size_t)n * sizeof *pa), *pb = malloc((size_t)n * sizeof *pb);
        CHECK(pa && pb);
        /* every document classified by both (each call's status checked) and every
         * probability compared: a failed call or a skipped comparison fails the counts */
        int classified = 0, compared = 0, same = 1;
        for (size_t i = 0; a && b && pa && pb && i < NDOCS; i++) {
            if (tc_classify(a, docs[i], strlen(docs[i]), 0, pa, NULL, &err) != TC_OK ||
                tc_classify(b, docs[i], strlen(docs[i]), 0, pb, NULL, &err) != TC_OK)
                continue;
            classified++;
            same &= memcmp(pa, pb, (size_t)n * sizeof *pa) == 0;
            compared += n;
        }
        CHECK(classified == NDOCS);
        CHECK(compared > 0 && compared == NDOCS * n);
        CHECK(same);
        free(pa);
        free(pb);
        tc_session_free(a);
        tc_session_free(b);
    }
    tc_model_free(from_file);
    tc_model_free(from_mem);

    /* weights lent to the memory loader and then overwritten, against its contract: the
     * classification that reads them fails (TC_ERR_MODEL) instead of answering NaN */
    void *lent = malloc(wlen);
    CHECK(lent != NULL);
    if (lent) {
        memcpy(lent, w, wlen);
        tc_model *lm = NULL;
        tc_session *ls = NULL;
        float *lp = NULL;
        CHECK(tc_model_load_memory("(mem)", json, jlen, NULL, 0, lent, wlen, &lm, &err) == TC_OK);
        if (lm) {
            CHECK((lp = malloc((size_t)tc_model_num_labels(lm) * sizeof *lp)) != NULL);
            CHECK(tc_session_init(lm, &ls, &err) == TC_OK);
        }
        if (ls && lp) {   /* each way here not taken has failed a CHECK above */
            CHECK(tc_classify(ls, "hello", 5, 0, lp, NULL, &err) == TC_OK);
            memset(lent, 0xFF, wlen);   /* every weight NaN; "bonjour" reads fresh rows */
            CHECK(tc_classify(ls, "bonjour le monde", 16, 0, lp, NULL, &err) == TC_ERR_MODEL);
            CHECK(strstr(err.message, "non-finite probability") != NULL);
        }
        free(lp);
        tc_session_free(ls);
        tc_model_free(lm);
        free(lent);
    }

    /* a truncated weights buffer: refused, named by the JSON's weights_file */
    tc_model *m = NULL;
    char msg[512];
    CHECK(tc_model_load_memory("(mem)", json, jlen, NULL, 0, w, wlen - 100, &m, &err) ==
          TC_ERR_MODEL);
    CHECK(m == NULL);
    tc_error_format(&err, msg, sizeof msg);
    CHECK(strstr(msg, "demo-lang.safetensors") != NULL);
    /* weights named but not given: refused, never read from the file system, even where a
     * file of that name is at hand (the working directory holds demo-lang.safetensors here) */
    CHECK(chdir("tests/models") == 0);
    CHECK(tc_model_load_memory("(mem)", json, jlen, NULL, 0, NULL, 0, &m, &err) == TC_ERR_MODEL);
    CHECK(chdir("../..") == 0);
    CHECK(m == NULL);
    tc_model_free(m);
    tc_error_format(&err, msg, sizeof msg);
    CHECK_STR(msg, "(mem): $.weights_file: a model loaded from memory needs its weights inline "
                   "or given");
    /* JSON syntax errors carry the given name */
    CHECK(tc_model_load_memory("(mem)", "{\"format\": ", 11, NULL, 0, NULL, 0, &m, &err) ==
          TC_ERR_MODEL);
    tc_error_format(&err, msg, sizeof msg);
    CHECK(strncmp(msg, "(mem):", 6) == 0);
    /* a vocabulary file given as bytes: the same model as from the files */
    size_t vjlen = 0, vlen = 0;
    char *vjson = test_read_file("tests/models/tiny-vocabfile.json", &vjlen);
    char *vocab = test_read_file("tests/models/tiny-vocab.txt", &vlen);
    CHECK(vjson && vocab);
    if (vjson && vocab) {
        tc_model *a = NULL, *b = NULL;
        CHECK(tc_model_load("tests/models/tiny-vocabfile.json", &a, &err) == TC_OK);
        CHECK(tc_model_load_memory("(mem)", vjson, vjlen, vocab, vlen, NULL, 0, &b, &err) == TC_OK);
        if (a && b) {
            tc_session *sa = NULL, *sb = NULL;
            float pa[64], pb[64];
            int n = tc_model_num_labels(a);
            CHECK(n >= 2 && n <= 64 && n == tc_model_num_labels(b));   /* something to compare */
            CHECK(tc_session_init(a, &sa, &err) == TC_OK && tc_session_init(b, &sb, &err) == TC_OK);
            CHECK(tc_classify(sa, "hello world", 11, 0, pa, NULL, &err) == TC_OK);
            CHECK(tc_classify(sb, "hello world", 11, 0, pb, NULL, &err) == TC_OK);
            CHECK(n >= 2 && n <= 64 && memcmp(pa, pb, (size_t)n * sizeof *pa) == 0);
            tc_session_free(sa);
            tc_session_free(sb);
        }
        tc_model_free(a);
        tc_model_free(b);
        /* the names follow the format's rule from memory too (a model is valid or not whichever
         * way it is loaded), though no file is opened */
        char *dots = malloc(vjlen + 4);
        char *at = strstr(vjson, "\"tiny-vocab.txt\"");
        CHECK(dots && at);
        if (dots && at) {
            size_t pre = (size_t)(at - vjson) + 1;
            memcpy(dots, vjson, pre);
            memcpy(dots + pre, "../", 3);
            memcpy(dots + pre + 3, at + 1, vjlen - pre);
            CHECK(tc_model_load_memory("(mem)", dots, vjlen + 3, vocab, vlen, NULL, 0, &b, &err) ==
                  TC_ERR_MODEL);
            tc_error_format(&err, msg, sizeof msg);
            CHECK_STR(msg, "(mem): $.vocab.file: \"../tiny-vocab.txt\" goes up a directory "
                           "(\"..\"); a model may name only files in its own directory");
            tc_model_free(b);
        }
        free(dots);
        /* a bad token in the given bytes is reported as a line of the named vocabulary file */
        CHECK(tc_model_load_memory("(mem)", vjson, vjlen, "a\n\nb\n", 5, NULL, 0, &b, &err) ==
              TC_ERR_MODEL);
        tc_error_format(&err, msg, sizeof msg);
        CHECK(strstr(msg, "tiny-vocab.txt:2:") != NULL);
    }
    free(vjson);
    free(vocab);
    /* a vocabulary file not given cannot come from memory */
    static const char vf[] =
        "{\"format\": \"textclf-model\", \"version\": 1, \"config\": {\"dim\": 4, "
        "\"heads\": 1, \"max_len\": 4, \"hidden\": 4}, \"labels\": [\"a\", \"b\"], "
        "\"tokenizer\": {}, \"vocab\": {\"file\": \"vocab.txt\"}, \"tensors\": {}}";
    CHECK(tc_model_load_memory("(mem)", vf, sizeof vf - 1, NULL, 0, NULL, 0, &m, &err) ==
          TC_ERR_MODEL);
    tc_error_format(&err, msg, sizeof msg);
    CHECK(strstr(msg, "$.vocab") && strstr(msg, "inline or given"));
    /* bytes given for files the model does not name are refused, not ignored: the caller meant
     * another model (tiny.json has its vocabulary and its weights inline) */
    size_t tlen = 0;
    char *tiny = test_read_file("tests/models/tiny.json", &tlen);
    CHECK(tiny != NULL);
    if (tiny) {
        CHECK(tc_model_load_memory("(mem)", tiny, tlen, NULL, 0, w, wlen, &m, &err) == TC_ERR_ARG);
        CHECK(m == NULL);
        tc_error_format(&err, msg, sizeof msg);
        CHECK(strstr(msg, "(mem): $.weights_file: a weights file's bytes were given") == msg);
        CHECK(tc_model_load_memory("(mem)", tiny, tlen, "a\nb\n", 4, NULL, 0, &m, &err) ==
              TC_ERR_ARG);
        tc_error_format(&err, msg, sizeof msg);
        CHECK(strstr(msg, "(mem): $.vocab: a vocabulary file's bytes were given") == msg);
        CHECK(tc_model_load_memory("(mem)", tiny, tlen, NULL, 0, NULL, 0, &m, &err) == TC_OK);
        tc_model_free(m);
    }
    free(tiny);
    free(json);
    free(w);
}
