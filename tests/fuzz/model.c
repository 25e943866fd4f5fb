/*
 * fuzz/model.c - libFuzzer harness for the model loader (JSON with inline tensors, vocabulary
 * files, safetensors weights), through tc_model_load_memory, then one classification with every
 * model that loads (a model that passes validation must be safe to run), and its answer
 * (tc_answer: -1 exactly when the abstain rule gives a verdict, else a label not withheld).
 *
 * Input: up to three sections separated by the bytes FF FE (never in valid UTF-8, so never
 * inside a JSON document or a vocabulary file): the JSON, the vocabulary file's bytes, the
 * safetensors file's bytes. A missing section is passed as (NULL, 0).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textclf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next section of data[*pos..size): its start and length; *pos moves past its separator. */
static const uint8_t *section(const uint8_t *data, size_t size, size_t *pos, size_t *len)
{
    if (*pos > size) {
        *len = 0;
        return NULL;
    }
    const uint8_t *start = data + *pos;
    size_t n = size - *pos;
    for (size_t i = 0; i + 1 < n; i++)
        if (start[i] == 0xFF && start[i + 1] == 0xFE) {
            *len = i;
            *pos += i + 2;
            return start;
        }
    *len = n;
    *pos = size + 1;
    return start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pos = 0, jlen, vlen, wlen;
    const uint8_t *json = section(data, size, &pos, &jlen);
    const uint8_t *vocab = section(data, size, &pos, &vlen);
    const uint8_t *weights = section(data, size, &pos, &wlen);
    /* the weights are used in place and must be aligned as a file read into memory would be */
    void *w = NULL;
    if (weights && wlen) {
        w = malloc(wlen);
        if (!w) return 0;
        memcpy(w, weights, wlen);
    }
    tc_model *m = NULL;
    tc_error err;
    tc_status st = tc_model_load_memory("fuzz.json", (const char *)json, jlen,
                                        (const char *)vocab, vocab ? vlen : 0, w, w ? wlen : 0,
                                        &m, &err);
    if (st == TC_OK) {
        tc_session *s = NULL;
        if (tc_session_init(m, &s, &err) == TC_OK) {
            int n = tc_model_num_labels(m);
            float *probs = malloc((size_t)n * sizeof *probs);
            static const char text[] = "Le chat dort sur le canapé. 猫が寝ている xyz";
            tc_doc_info info;
            if (probs && tc_classify(s, text, sizeof text - 1, 0, probs, &info, &err) == TC_OK) {
                float sum = 0;
                for (int i = 0; i < n; i++) {
                    if (!(probs[i] >= 0 && probs[i] <= 1)) abort();   /* also catches NaN */
                    sum += probs[i];
                }
                if (sum < 0.999f || sum > 1.001f) abort();
                int a = tc_answer(m, 0, probs, &info);
                if ((a == -1) != (info.abstain != TC_ABSTAIN_NONE) || a < -1 || a >= n ||
                    (a >= 0 && tc_model_label_withheld(m, a)))
                    abort();
            }
            free(probs);
            tc_session_free(s);
        }
        tc_model_free(m);
    } else if (m != NULL || err.message[0] == '\0') {
        abort();   /* a failure must leave *out NULL and say why */
    }
    free(w);
    return 0;
}
