/*
 * model_save.c - the inverse of model_load.c for inline models.
 */
#include "model_save.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backprop.h"
#include "error.h"

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static void write_model(FILE *f, const tc_model *m, const char *metadata)
{
    static const char *const names[TC_NUM_TENSORS] = {
        "embedding.weight", "position.weight", "attn.in_proj_weight", "attn.in_proj_bias",
        "attn.out_proj.weight", "attn.out_proj.bias", "hidden.weight", "hidden.bias",
        "classifier.weight", "classifier.bias"};
    static const char *const acts[] = TC_ACTIVATION_NAMES;
    static const char *const forms[] = {"nfkc", "nfc", "none"};
    static const char *const cases[] = {"fold", "lower", "keep"};
    static const char *const pretoks[] = {"unicode", "bert"};
    static const char *const scripts[] = TC_SCRIPT_NAMES;
    int64_t V = m->vocab.size, d = m->dim, H = (int64_t)m->heads * m->head_dim;
    int64_t shapes[TC_NUM_TENSORS][2] = {{V, d}, {m->max_len, d}, {3 * H, d}, {3 * H, 0},
                                         {d, H}, {d, 0}, {m->hidden, d}, {m->hidden, 0},
                                         {m->num_labels, m->hidden}, {m->num_labels, 0}};
    fprintf(f, "{\n\"format\": \"textclf-model\",\n\"version\": 1,\n");
    fprintf(f, "\"config\": {\"dim\": %d, \"heads\": %d, \"head_dim\": %d, \"max_len\": %d, "
               "\"hidden\": %d, \"activation\": \"%s\", \"residual\": %s},\n",
            m->dim, m->heads, m->head_dim, m->max_len, m->hidden, acts[m->activation],
            m->residual ? "true" : "false");
    fprintf(f, "\"labels\": [");
    for (int i = 0; i < m->num_labels; i++) {
        if (i) fputs(", ", f);
        json_str(f, m->labels[i]);
    }
    const tc_tokenizer *t = &m->tok;
    fprintf(f, "],\n\"tokenizer\": {\"normalize\": \"%s\", \"case\": \"%s\", "
               "\"strip_accents\": %s, \"pretokenize\": \"%s\", \"split_scripts\": [",
            forms[t->norm.form], cases[t->norm.case_mode], t->norm.strip_accents ? "true" : "false",
            pretoks[t->norm.pretok]);
    for (int i = 0, n = 0; scripts[i]; i++)
        if (t->scripts & (1u << i)) fprintf(f, "%s\"%s\"", n++ ? ", " : "", scripts[i]);
    fprintf(f, "], \"unk_token\": ");
    json_str(f, t->unk_token);
    fprintf(f, ", \"continuation_prefix\": ");
    json_str(f, t->prefix);
    fprintf(f, ", \"max_word_chars\": %d},\n\"vocab\": [", t->max_word_chars);
    for (int32_t i = 0; i < m->vocab.size; i++) {
        fputs(i ? (i % 16 ? ", " : ",\n") : "", f);
        json_str(f, tc_vocab_token(&m->vocab, i));
    }
    fprintf(f, "],\n\"tensors\": {\n");
    const float *w[TC_NUM_TENSORS];
    tc_model_tensor_ptrs(m, w);
    for (int k = 0; k < TC_NUM_TENSORS; k++) {
        int64_t n = shapes[k][1] ? shapes[k][0] * shapes[k][1] : shapes[k][0];
        fprintf(f, "\"%s\": {\"dtype\": \"F32\", \"shape\": [%lld", names[k],
                (long long)shapes[k][0]);
        if (shapes[k][1]) fprintf(f, ", %lld", (long long)shapes[k][1]);
        fprintf(f, "], \"data\": [");
        for (int64_t i = 0; i < n; i++)
            fprintf(f, i ? (i % 16 ? ",%.9g" : ",\n%.9g") : "%.9g", (double)w[k][i]);
        fprintf(f, "]}%s\n", k + 1 < TC_NUM_TENSORS ? "," : "");
    }
    fprintf(f, "}");
    if (metadata) fprintf(f, ",\n\"metadata\": %s", metadata);
    fprintf(f, "\n}\n");
}

tc_status tc_model_save(const tc_model *m, const char *path, const char *metadata_json,
                        tc_error *err)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) return tc_fail_nomem(err, path);
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        tc_status s = tc_fail(err, TC_ERR_IO, path, NULL, "cannot write model: %s: %s", tmp,
                              strerror(errno));
        free(tmp);
        return s;
    }
    write_model(f, m, metadata_json);
    int failed = ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0;
    int saved_errno = errno;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        saved_errno = errno;
    }
    if (!failed && rename(tmp, path) != 0) {
        failed = 1;
        saved_errno = errno;
    }
    tc_status s = TC_OK;
    if (failed) {
        unlink(tmp);
        s = tc_fail(err, TC_ERR_IO, path, NULL, "cannot write model: %s",
                    strerror(saved_errno ? saved_errno : EIO));
    }
    free(tmp);
    return s;
}
