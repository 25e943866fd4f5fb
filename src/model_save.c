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
#include "json_util.h"

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

static const char *const tensor_names[TC_NUM_TENSORS] = {
    "embedding.weight", "position.weight", "attn.in_proj_weight", "attn.in_proj_bias",
    "attn.out_proj.weight", "attn.out_proj.bias", "hidden.weight", "hidden.bias",
    "classifier.weight", "classifier.bias"};

/* shapes[k] of m's tensors; the second size is 0 for vectors */
static void tensor_shapes(const tc_model *m, int64_t shapes[TC_NUM_TENSORS][2])
{
    int64_t V = m->vocab.size, d = m->dim, H = (int64_t)m->heads * m->head_dim;
    int64_t s[TC_NUM_TENSORS][2] = {{V, d}, {m->max_len, d}, {3 * H, d}, {3 * H, 0},
                                    {d, H}, {d, 0}, {m->hidden, d}, {m->hidden, 0},
                                    {m->num_labels, m->hidden}, {m->num_labels, 0}};
    memcpy(shapes, s, sizeof s);
}

/* weights_file: NULL for inline data, else the safetensors file name to reference */
static void write_model(FILE *f, const tc_model *m, const char *metadata, const char *weights_file)
{
    static const char *const acts[] = TC_ACTIVATION_NAMES;
    static const char *const forms[] = {"nfkc", "nfc", "none"};
    static const char *const cases[] = {"fold", "lower", "keep"};
    static const char *const pretoks[] = {"unicode", "bert"};
    static const char *const scripts[] = TC_SCRIPT_NAMES;
    int64_t shapes[TC_NUM_TENSORS][2];
    tensor_shapes(m, shapes);
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
    fprintf(f, "],\n");
    if (weights_file) {
        fprintf(f, "\"weights_file\": ");
        json_str(f, weights_file);
        fprintf(f, ",\n");
    }
    fprintf(f, "\"tensors\": {\n");
    const float *w[TC_NUM_TENSORS];
    tc_model_tensor_ptrs(m, w);
    for (int k = 0; k < TC_NUM_TENSORS; k++) {
        int64_t n = shapes[k][1] ? shapes[k][0] * shapes[k][1] : shapes[k][0];
        fprintf(f, "\"%s\": {\"dtype\": \"F32\", \"shape\": [%lld", tensor_names[k],
                (long long)shapes[k][0]);
        if (shapes[k][1]) fprintf(f, ", %lld", (long long)shapes[k][1]);
        fprintf(f, "]");
        if (!weights_file) {
            fprintf(f, ", \"data\": [");
            for (int64_t i = 0; i < n; i++)
                fprintf(f, i ? (i % 16 ? ",%.9g" : ",\n%.9g") : "%.9g", (double)w[k][i]);
            fprintf(f, "]");
        }
        fprintf(f, "}%s\n", k + 1 < TC_NUM_TENSORS ? "," : "");
    }
    fprintf(f, "}");
    if (metadata) fprintf(f, ",\n\"metadata\": %s", metadata);
    fprintf(f, "\n}\n");
}

/* Writes a safetensors file of m's weights (little-endian float32, as on every host we build for;
 * a big-endian host would need a byte swap here). */
static void write_safetensors(FILE *f, const tc_model *m)
{
    int64_t shapes[TC_NUM_TENSORS][2];
    tensor_shapes(m, shapes);
    char header[4096];
    size_t o = (size_t)snprintf(header, sizeof header, "{\"__metadata__\":{\"format\":\"pt\"}");
    uint64_t off = 0;
    for (int k = 0; k < TC_NUM_TENSORS; k++) {
        uint64_t n = (uint64_t)(shapes[k][1] ? shapes[k][0] * shapes[k][1] : shapes[k][0]);
        o += (size_t)snprintf(header + o, sizeof header - o, ",\"%s\":{\"dtype\":\"F32\",\"shape\":[%lld",
                              tensor_names[k], (long long)shapes[k][0]);
        if (shapes[k][1]) o += (size_t)snprintf(header + o, sizeof header - o, ",%lld", (long long)shapes[k][1]);
        o += (size_t)snprintf(header + o, sizeof header - o, "],\"data_offsets\":[%llu,%llu]}",
                              (unsigned long long)off, (unsigned long long)(off + 4 * n));
        off += 4 * n;
    }
    o += (size_t)snprintf(header + o, sizeof header - o, "}");
    while (o % 8) header[o++] = ' ';   /* the format pads the header to 8 bytes */
    unsigned char len[8];
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)((uint64_t)o >> (8 * i));
    fwrite(len, 1, 8, f);
    fwrite(header, 1, o, f);
    const float *w[TC_NUM_TENSORS];
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_ptrs(m, w);
    tc_model_tensor_sizes(m, n);
    for (int k = 0; k < TC_NUM_TENSORS; k++) fwrite(w[k], sizeof(float), n[k], f);
}

/* FNV-1a over m's weights: names the safetensors file by its content */
static uint64_t weights_hash(const tc_model *m)
{
    const float *w[TC_NUM_TENSORS];
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_ptrs(m, w);
    tc_model_tensor_sizes(m, n);
    uint64_t h = 1469598103934665603ULL;
    for (int k = 0; k < TC_NUM_TENSORS; k++) {
        const unsigned char *p = (const unsigned char *)w[k];
        for (size_t i = 0; i < n[k] * sizeof(float); i++) h = (h ^ p[i]) * 1099511628211ULL;
    }
    return h;
}

typedef void (*writer_fn)(FILE *f, const tc_model *m, const char *metadata, const char *weights);

/* Writes path atomically with fn: temp file in the same directory, fsync, rename. */
static tc_status write_atomic(const char *path, writer_fn fn, const tc_model *m,
                              const char *metadata, const char *weights, const char *report_as,
                              tc_error *err)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) return tc_fail_nomem(err, path);
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        tc_status s = errno == ENOMEM ? tc_fail_nomem(err, report_as)
                      : tc_fail(err, TC_ERR_IO, report_as, NULL, "cannot write model: %s: %s",
                                tmp, strerror(errno));
        free(tmp);
        return s;
    }
    fn(f, m, metadata, weights);
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
        s = tc_fail(err, TC_ERR_IO, report_as, NULL, "cannot write model: %s",
                    strerror(saved_errno ? saved_errno : EIO));
    }
    free(tmp);
    return s;
}

static void write_weights(FILE *f, const tc_model *m, const char *metadata, const char *weights)
{
    (void)metadata;
    (void)weights;
    write_safetensors(f, m);
}

/* Sets *out to the weights_file named by the JSON model at path (malloc'd), or to NULL when
 * there is no such file or it is not a small safetensors-form model. Fails only when out of
 * memory: then the old weights file could not be cleaned up after the new model is written. */
static tc_status old_weights_file(const char *path, char **out, tc_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    cJSON *root = NULL;
    tc_error e;
    tc_status s = tc_read_file(path, (size_t)64 << 20, &text, &len, &e);
    if (s == TC_OK) {
        s = tc_json_parse(text, len, path, &root, &e);
        free(text);
    }
    if (s != TC_OK) return s == TC_ERR_NOMEM ? tc_fail_nomem(err, path) : TC_OK;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "weights_file");
    if (cJSON_IsString(w) && !strchr(w->valuestring, '/') && !(*out = strdup(w->valuestring)))
        s = tc_fail_nomem(err, path);
    cJSON_Delete(root);
    return s;
}

tc_status tc_model_save(const tc_model *m, const char *path, const char *metadata_json,
                        int inline_weights, tc_error *err)
{
    if (inline_weights) return write_atomic(path, write_model, m, metadata_json, NULL, path, err);

    /* <dir>/<stem>-<hash>.safetensors, referenced by its base name */
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dir_len = (size_t)(base - path), stem_len = strlen(base);
    if (stem_len > 5 && strcmp(base + stem_len - 5, ".json") == 0) stem_len -= 5;
    size_t n = strlen(path) + 64;
    char *wpath = malloc(n), *wname = malloc(n);
    if (!wpath || !wname) {
        free(wpath);
        free(wname);
        return tc_fail_nomem(err, path);
    }
    snprintf(wname, n, "%.*s-%016llx.safetensors", (int)stem_len, base,
             (unsigned long long)weights_hash(m));
    snprintf(wpath, n, "%.*s%s", (int)dir_len, path, wname);
    char *old;
    tc_status s = old_weights_file(path, &old, err);
    if (s == TC_OK) s = write_atomic(wpath, write_weights, m, NULL, NULL, path, err);
    if (s == TC_OK) {
        s = write_atomic(path, write_model, m, metadata_json, wname, path, err);
        /* the JSON was not replaced: nothing refers to the new weights, unless they are the old
         * model's own (the same weights have the same name) */
        if (s != TC_OK && !(old && strcmp(old, wname) == 0)) unlink(wpath);
    }
    if (s == TC_OK && old && strcmp(old, wname) != 0 && strlen(old) == stem_len + 29 &&
               strncmp(old, base, stem_len) == 0 && old[stem_len] == '-' &&
               strcmp(old + stem_len + 17, ".safetensors") == 0) {
        /* only a weights file this function wrote for this JSON: never someone else's */
        snprintf(wpath, n, "%.*s%s", (int)dir_len, path, old);   /* the replaced model's weights */
        if (strlen(old) < n - dir_len) unlink(wpath);
    }
    free(old);
    free(wpath);
    free(wname);
    return s;
}
