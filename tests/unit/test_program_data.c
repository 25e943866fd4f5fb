/*
 * tc_model_load_program_data (model.h), the loader of the program's built-in model: it skips one
 * check, reading an F16 table used in place through for non-finite halves, and nothing else.
 * The same F16 model loads from memory either way with identical probabilities; with every
 * embedding half NaN, tc_model_load_memory refuses it by element while the program-data loader
 * takes it. Nothing later catches that model: ReLU turns the NaN rows into zeros and it answers
 * finite, wrong probabilities. So the Makefile's check of the built-in model (both loads, when
 * the program is built) is what stands in for the scan.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "model_save.h"
#include "safetensors.h"
#include "test.h"

void test_program_data(void);

/* The byte range [*begin, *end) of tensor name in the safetensors bytes w[0..len), as the
 * loader's own reader finds it; 0 when it does not. */
static int tensor_bytes(const unsigned char *w, size_t len, const char *name, size_t *begin,
                        size_t *end)
{
    tc_safetensors st;
    tc_error err;
    if (tc_st_open_memory(w, len, "(test)", &st, &err) != TC_OK) return 0;
    const tc_st_tensor *t = tc_st_find(&st, name);
    size_t data = t ? (size_t)(st.data - w) : 0;
    if (t) {
        *begin = data + (size_t)t->begin;
        *end = data + (size_t)t->end;
    }
    tc_st_close(&st);
    return t != NULL && *begin < *end;
}

/* tc_classify of doc with a session of its own: its status */
static int classify(tc_model *m, const char *doc, float *p, tc_error *err)
{
    tc_session *s = NULL;
    tc_status st = tc_session_init(m, &s, err);
    if (st == TC_OK) st = tc_classify(s, doc, strlen(doc), 0, p, NULL, err);
    tc_session_free(s);
    return st;
}

void test_program_data(void)
{
    tc_error err;
    tc_model *src = NULL;
    char dir[] = "/tmp/textclf-progdata-XXXXXX", path[600], wpath[700];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/m.json", dir);
    /* the demo model in F16 with a weights file: its embedding table stays F16, used in place */
    CHECK(tc_model_load("tests/models/demo-lang.json", &src, &err) == TC_OK);
    CHECK(src && tc_model_save(src, path, NULL, TC_SAVE_F16, NULL, 0, &err) == TC_OK);
    tc_model_free(src);
    tc_model *saved = NULL;
    tc_model_info info;
    CHECK(tc_model_load(path, &saved, &err) == TC_OK);
    if (!saved) return;
    tc_model_get_info(saved, &info);
    CHECK(info.weights_file != NULL);
    snprintf(wpath, sizeof wpath, "%s/%s", dir, info.weights_file ? info.weights_file : "?");
    tc_model_free(saved);
    size_t jlen = 0, wlen = 0, b = 0, e = 0;
    char *json = test_read_file(path, &jlen);
    unsigned char *w = (unsigned char *)test_read_file(wpath, &wlen);
    CHECK(json && w && tensor_bytes(w, wlen, "embedding.weight", &b, &e));
    unlink(wpath);
    unlink(path);
    rmdir(dir);
    if (!json || !w || e == 0) { free(json); free(w); return; }

    /* clean: both loaders, the same probabilities */
    tc_model *a = NULL, *c = NULL;
    float pa[64], pc[64];
    CHECK(tc_model_load_memory("(mem)", json, jlen, NULL, 0, w, wlen, &a, &err) == TC_OK);
    CHECK(tc_model_load_program_data("(prog)", json, jlen, NULL, 0, w, wlen, &c, &err) == TC_OK);
    if (a && c) {
        int n = tc_model_num_labels(a);
        CHECK(n >= 2 && n <= 64);
        CHECK(classify(a, "Le chat dort sur le canapé", pa, &err) == TC_OK);
        CHECK(classify(c, "Le chat dort sur le canapé", pc, &err) == TC_OK);
        CHECK(n >= 2 && n <= 64 && memcmp(pa, pc, (size_t)n * sizeof *pa) == 0);
    }
    tc_model_free(a);
    tc_model_free(c);

    /* every embedding half NaN (0x7e00) */
    for (size_t i = b; i + 1 < e; i += 2) {
        w[i] = 0x00;
        w[i + 1] = 0x7e;
    }
    a = c = NULL;
    char msg[512];
    CHECK(tc_model_load_memory("(mem)", json, jlen, NULL, 0, w, wlen, &a, &err) == TC_ERR_MODEL);
    CHECK(a == NULL);
    tc_error_format(&err, msg, sizeof msg);
    CHECK(strstr(msg, "$[\"embedding.weight\"]: element [0,0] is NaN") != NULL);
    CHECK(tc_model_load_program_data("(prog)", json, jlen, NULL, 0, w, wlen, &c, &err) == TC_OK);
    /* taken as it is: the NaN is in the model, unread until a row is used */
    CHECK(c != NULL && isnan(tc_model_weight(c, TC_W_EMBEDDING, 7)));
    tc_model_free(a);
    tc_model_free(c);
    free(json);
    free(w);
}
