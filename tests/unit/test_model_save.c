/*
 * Model writer: save → load gives the same model, bit for bit; saving over an existing file is
 * atomic (a failed save leaves the old file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backprop.h"
#include "model_save.h"
#include "test.h"

void test_model_save(void);

static void same_models(const tc_model *a, const tc_model *b)
{
    CHECK(a->dim == b->dim && a->heads == b->heads && a->head_dim == b->head_dim);
    CHECK(a->max_len == b->max_len && a->hidden == b->hidden && a->residual == b->residual);
    CHECK(a->activation == b->activation && a->num_labels == b->num_labels);
    for (int i = 0; i < a->num_labels && i < b->num_labels; i++)
        CHECK_STR(a->labels[i], b->labels[i]);
    CHECK(a->vocab.size == b->vocab.size);
    int vocab_same = 1;
    for (int32_t i = 0; i < a->vocab.size && i < b->vocab.size; i++)
        vocab_same &= strcmp(tc_vocab_token(&a->vocab, i), tc_vocab_token(&b->vocab, i)) == 0;
    CHECK(vocab_same);
    CHECK(memcmp(&a->tok.norm, &b->tok.norm, sizeof a->tok.norm) == 0);
    CHECK(a->tok.scripts == b->tok.scripts && a->tok.unk_id == b->tok.unk_id);
    const float *wa[TC_NUM_TENSORS], *wb[TC_NUM_TENSORS];
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_ptrs(a, wa);
    tc_model_tensor_ptrs(b, wb);
    tc_model_tensor_sizes(a, n);
    for (int t = 0; t < TC_NUM_TENSORS; t++) CHECK(memcmp(wa[t], wb[t], n[t] * sizeof(float)) == 0);
}

void test_model_save(void)
{
    const char *sources[] = {"tests/models/tiny.json", "tests/models/tiny-st.json",
                             "tests/models/tiny-vocabfile.json"};
    char path[] = "/tmp/textclf-save-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    for (size_t k = 0; k < sizeof sources / sizeof sources[0]; k++) {
        tc_model *a = NULL;
        tc_error err;
        CHECK(tc_model_load(sources[k], &a, &err) == TC_OK);
        if (!a) continue;
        for (int form = 0; form < 2; form++) {   /* inline, then safetensors */
            tc_model *b = NULL;
            CHECK(tc_model_save(a, path, "{\"note\": \"test\"}", form == 0, &err) == TC_OK);
            CHECK(tc_model_load(path, &b, &err) == TC_OK);
            if (b) same_models(a, b);
            tc_model_free(b);
        }
        tc_model_free(a);
    }
    /* a save that cannot complete leaves the previous file as it was */
    tc_model *a = NULL, *b = NULL;
    tc_error err;
    CHECK(tc_model_load("tests/models/tiny.json", &a, &err) == TC_OK);
    if (!a) return;
    CHECK(tc_model_save(a, "/nonexistent-dir/m.json", NULL, 1, &err) == TC_ERR_IO);
    CHECK(tc_model_save(a, "/nonexistent-dir/m.json", NULL, 0, &err) == TC_ERR_IO);

    /* saving other weights over a safetensors-form model replaces its weights file */
    char w1[600] = "", w2[600] = "";
    tc_model_info info;
    CHECK(tc_model_save(a, path, NULL, 0, &err) == TC_OK);
    CHECK(tc_model_load(path, &b, &err) == TC_OK);
    if (b) {
        tc_model_get_info(b, &info);
        snprintf(w1, sizeof w1, "/tmp/%s", info.weights_file ? info.weights_file : "?");
        tc_model_free(b);
        b = NULL;
    }
    a->owned[9][0] += 1.0f;   /* tiny.json is inline: its weights are ours to change */
    CHECK(tc_model_save(a, path, NULL, 0, &err) == TC_OK);
    CHECK(tc_model_load(path, &b, &err) == TC_OK);
    if (b) {
        tc_model_get_info(b, &info);
        snprintf(w2, sizeof w2, "/tmp/%s", info.weights_file ? info.weights_file : "?");
        CHECK(b->cls_b[0] == a->owned[9][0]);
        tc_model_free(b);
    }
    CHECK(strcmp(w1, w2) != 0);
    CHECK(access(w1, F_OK) != 0);   /* the replaced weights are gone */
    CHECK(access(w2, F_OK) == 0);
    tc_model_free(a);
    unlink(w2);
    unlink(path);
}
