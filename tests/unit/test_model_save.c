/*
 * Model writer: save → load gives the same model, bit for bit; saving over an existing file is
 * atomic (a failed save leaves the old file); what a model may be written over (issue 18): never
 * a file to keep (an input), whatever its name, nor a directory, a device or a FIFO.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "train_backprop.h"
#include "model_save.h"
#include "safetensors.h"
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
    CHECK((a->abstain_label == NULL) == (b->abstain_label == NULL));
    if (a->abstain_label && b->abstain_label) CHECK_STR(a->abstain_label, b->abstain_label);
    CHECK(a->abstain_min_probability == b->abstain_min_probability &&
          a->abstain_max_unknown == b->abstain_max_unknown &&
          a->abstain_letterless == b->abstain_letterless);
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_sizes(a, n);
    for (int t = 0; t < TC_NUM_TENSORS; t++)
        CHECK(n[t] == 0 || memcmp(a->w[t], b->w[t], n[t] * sizeof(float)) == 0);
}

/* writes text to path (replacing it) */
static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* 1 if the file at path holds exactly text */
static int holds(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    return f && strcmp(buf, text) == 0;
}

/* the number of entries of dir whose name contains s */
static int entries_with(const char *dir, const char *s)
{
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) n += strstr(e->d_name, s) != NULL;
    if (d) closedir(d);
    return n;
}

/*
 * The library's own refusals, with model a: tc_model_save never writes over a file to keep,
 * even under a companion file's name (known only while saving: here an "input" named like the
 * very weights file the save writes), never removes one as the replaced model's companion, and
 * replaces only regular files; tc_model_check_output names the cause.
 */
static void test_model_save_refusals(const tc_model *a)
{
    char dir[] = "/tmp/textclf-keep-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char json[600], wfile[700], path[700];
    tc_error err;
    tc_model *b = NULL;
    tc_model_info info;
    snprintf(json, sizeof json, "%s/m.json", dir);
    CHECK(tc_model_save(a, json, NULL, 0, NULL, 0, &err) == TC_OK);   /* learn the weights name */
    CHECK(tc_model_load(json, &b, &err) == TC_OK);
    if (!b) return;
    tc_model_get_info(b, &info);
    snprintf(wfile, sizeof wfile, "%s/%s", dir, info.weights_file);
    tc_model_free(b);
    unlink(json);

    /* an input under the weights file's name: refused, kept, nothing written or left */
    put(wfile, "training data\n");
    tc_file_ref keep;
    CHECK(tc_file_ref_init(&keep, wfile, "the training data") == 0);
    CHECK(tc_model_save(a, json, NULL, 0, &keep, 1, &err) == TC_ERR_ARG);
    CHECK(strstr(err.message, "is the training data") != NULL);
    CHECK_STR(err.file, wfile);
    CHECK(holds(wfile, "training data\n"));
    CHECK(access(json, F_OK) != 0);
    CHECK(entries_with(dir, ".tmp.") == 0);
    /* the same file through another name (a hard link) is the same input */
    snprintf(path, sizeof path, "%s/data.txt", dir);
    CHECK(link(wfile, path) == 0);
    CHECK(tc_file_ref_init(&keep, path, "the training data") == 0);
    CHECK(tc_model_save(a, json, NULL, 0, &keep, 1, &err) == TC_ERR_ARG);
    CHECK(holds(wfile, "training data\n"));
    /* the JSON itself an input */
    CHECK(tc_model_save(a, path, NULL, 1, &keep, 1, &err) == TC_ERR_ARG);
    CHECK(holds(path, "training data\n"));
    CHECK(tc_model_check_output(path, &keep, 1, &err) == TC_ERR_ARG);
    unlink(path);

    /* the replaced model names the input as its own weights file: it is not removed after the
     * save (without the input to keep, it is, as the replaced model's companion file) */
    char old[900];
    snprintf(old, sizeof old, "{\"weights_file\": \"%s\"}\n", strrchr(wfile, '/') + 1);
    put(json, old);
    CHECK(tc_file_ref_init(&keep, wfile, "the training data") == 0);
    CHECK(tc_model_save(a, json, NULL, TC_SAVE_INLINE_WEIGHTS, &keep, 1, &err) == TC_OK);
    CHECK(holds(wfile, "training data\n"));
    put(json, old);
    CHECK(tc_model_save(a, json, NULL, TC_SAVE_INLINE_WEIGHTS, NULL, 0, &err) == TC_OK);
    CHECK(access(wfile, F_OK) != 0);
    unlink(json);

    /* not a regular file: a FIFO in the JSON's place, a directory in the weights file's */
    snprintf(path, sizeof path, "%s/fifo.json", dir);
    CHECK(mkfifo(path, 0666) == 0);
    CHECK(tc_model_save(a, path, NULL, 1, NULL, 0, &err) == TC_ERR_IO);
    CHECK(strstr(err.message, "it is a FIFO, not a regular file") != NULL);
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISFIFO(st.st_mode));
    unlink(path);
    CHECK(mkdir(wfile, 0777) == 0);
    CHECK(tc_model_save(a, json, NULL, 0, NULL, 0, &err) == TC_ERR_IO);
    CHECK(strstr(err.message, "is a directory") != NULL);
    CHECK(access(json, F_OK) != 0);
    rmdir(wfile);

    /* tc_model_check_output names the cause */
    CHECK(tc_model_check_output(dir, NULL, 0, &err) == TC_ERR_IO);
    CHECK(strstr(err.message, "it is a directory; name a file in it") != NULL);
    snprintf(path, sizeof path, "%s/", dir);
    CHECK(tc_model_check_output(path, NULL, 0, &err) == TC_ERR_IO);
    CHECK(strstr(err.message, "the name ends in '/'") != NULL);
    snprintf(path, sizeof path, "%s/no/m.json", dir);
    CHECK(tc_model_check_output(path, NULL, 0, &err) == TC_ERR_IO);
    CHECK(strstr(err.message, "/no: No such file or directory") != NULL);
    CHECK(tc_model_check_output("", NULL, 0, &err) == TC_ERR_ARG);
    CHECK(tc_model_check_output(json, NULL, 0, &err) == TC_OK);
    CHECK(entries_with(dir, "") == 2);   /* . and ..: nothing left */
    rmdir(dir);
}

/* TC_SAVE_F16: the reloaded weights are the originals rounded to F16, every one; saving the
 * reloaded model again writes the same file (name and bytes); with inline weights, or a weight
 * beyond F16's range, nothing is written and the error says why. a's weights are its own (it was
 * loaded from inline data). */
static void test_model_save_f16(tc_model *a, const char *path)
{
    tc_model *b = NULL, *c = NULL;
    tc_error err;
    tc_model_info info;
    char w1[600] = "", w2[600] = "";
    CHECK(tc_model_save(a, path, NULL, TC_SAVE_F16, NULL, 0, &err) == TC_OK);
    CHECK(tc_model_load(path, &b, &err) == TC_OK);
    if (!b) return;
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_sizes(a, n);
    int rounded = 1, changed = 0;
    for (int k = 0; k < TC_NUM_TENSORS; k++)
        for (size_t i = 0; i < n[k]; i++) {
            float w = tc_model_weight(b, (tc_tensor_id)k, i);   /* b's tables are F16 */
            rounded &= w == tc_f16_to_f32(tc_f32_to_f16(a->w[k][i]));
            changed |= w != a->w[k][i];
        }
    CHECK(rounded);
    CHECK(changed);   /* tiny.json's weights are not all halves: the test sees the rounding */
    tc_model_get_info(b, &info);
    snprintf(w1, sizeof w1, "/tmp/%s", info.weights_file ? info.weights_file : "?");
    struct stat st;
    CHECK(stat(w1, &st) == 0 && st.st_size < 8 + 1024 + 2 * (off_t)a->parameters);
    CHECK(tc_model_save(b, path, NULL, TC_SAVE_F16, NULL, 0, &err) == TC_OK);
    CHECK(tc_model_load(path, &c, &err) == TC_OK);
    if (c) {
        tc_model_get_info(c, &info);
        snprintf(w2, sizeof w2, "/tmp/%s", info.weights_file ? info.weights_file : "?");
        CHECK_STR(w1, w2);
        for (int k = 0; k < TC_NUM_TENSORS; k++) {
            int same = 1;
            for (size_t i = 0; i < n[k]; i++)
                same &= tc_model_weight(b, (tc_tensor_id)k, i) ==
                        tc_model_weight(c, (tc_tensor_id)k, i);
            CHECK(same);
        }
    }
    tc_model_free(b);
    tc_model_free(c);

    CHECK(tc_model_save(a, path, NULL, TC_SAVE_F16 | TC_SAVE_INLINE_WEIGHTS, NULL, 0, &err) ==
          TC_ERR_ARG);
    CHECK(strstr(err.message, "F16 weights need a weights file") != NULL);
    float keep = a->owned[TC_W_HIDDEN_B][1];
    a->owned[TC_W_HIDDEN_B][1] = 65520.0f;   /* the first value that rounds to Inf */
    CHECK(tc_model_save(a, path, NULL, TC_SAVE_F16, NULL, 0, &err) == TC_ERR_ARG);
    CHECK(strstr(err.message, "hidden.bias[1] is 65520, beyond F16's range") != NULL);
    a->owned[TC_W_HIDDEN_B][1] = 65504.0f;   /* the largest half: fine */
    CHECK(tc_model_save(a, path, NULL, TC_SAVE_F16, NULL, 0, &err) == TC_OK);
    a->owned[TC_W_HIDDEN_B][1] = keep;
    CHECK(tc_model_load(path, &b, &err) == TC_OK);
    if (b) {
        tc_model_get_info(b, &info);
        snprintf(w2, sizeof w2, "/tmp/%s", info.weights_file ? info.weights_file : "?");
        CHECK(b->w[TC_W_HIDDEN_B][1] == 65504.0f);
        tc_model_free(b);
    }
    unlink(w2);
    unlink(w1);
    unlink(path);
}

/* The tensor table (model.h) has a row for every id (its designated initialisers would leave a
 * forgotten one zeroed), with distinct names, and its shapes are the loaded model's. */
static void test_tensor_table(const tc_model *m)
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        const tc_tensor_spec *t = &tc_tensor_specs[i];
        CHECK(t->name != NULL && (t->rank == 1 || t->rank == 2));
        for (int j = 0; t->name && j < i; j++) CHECK(strcmp(t->name, tc_tensor_specs[j].name) != 0);
    }
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_sizes(m, n);
    int64_t total = 0;
    for (int i = 0; i < TC_NUM_TENSORS; i++) total += (int64_t)n[i];
    CHECK(total == m->parameters);   /* the loader counted what it read */
    int64_t shape[2];
    CHECK(tc_tensor_shape(m, TC_W_IN_PROJ, shape) == 2);
    CHECK(shape[0] == 3 * (int64_t)m->heads * m->head_dim && shape[1] == m->dim);
    CHECK(tc_tensor_shape(m, TC_W_CLS_B, shape) == 1);
    CHECK(shape[0] == m->num_labels && shape[1] == 0);
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
        if (k == 0) test_tensor_table(a);
        for (int form = 0; form < 2; form++) {   /* inline, then safetensors */
            tc_model *b = NULL;
            CHECK(tc_model_save(a, path, "{\"note\": \"test\"}", form == 0, NULL, 0, &err) ==
                  TC_OK);
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
    CHECK(tc_model_save(a, "/nonexistent-dir/m.json", NULL, 1, NULL, 0, &err) == TC_ERR_IO);
    CHECK(tc_model_save(a, "/nonexistent-dir/m.json", NULL, 0, NULL, 0, &err) == TC_ERR_IO);

    /* saving other weights over a safetensors-form model replaces its weights file */
    char w1[600] = "", w2[600] = "";
    tc_model_info info;
    CHECK(tc_model_save(a, path, NULL, 0, NULL, 0, &err) == TC_OK);
    CHECK(tc_model_load(path, &b, &err) == TC_OK);
    if (b) {
        tc_model_get_info(b, &info);
        snprintf(w1, sizeof w1, "/tmp/%s", info.weights_file ? info.weights_file : "?");
        tc_model_free(b);
        b = NULL;
    }
    a->owned[TC_W_CLS_B][0] += 1.0f;   /* tiny.json is inline: its weights are ours to change */
    CHECK(tc_model_save(a, path, NULL, 0, NULL, 0, &err) == TC_OK);
    CHECK(tc_model_load(path, &b, &err) == TC_OK);
    if (b) {
        tc_model_get_info(b, &info);
        snprintf(w2, sizeof w2, "/tmp/%s", info.weights_file ? info.weights_file : "?");
        CHECK(b->w[TC_W_CLS_B][0] == a->owned[TC_W_CLS_B][0]);
        tc_model_free(b);
    }
    CHECK(strcmp(w1, w2) != 0);
    CHECK(access(w1, F_OK) != 0);   /* the replaced weights are gone */
    CHECK(access(w2, F_OK) == 0);
    unlink(w2);
    unlink(path);
    test_model_save_f16(a, path);
    test_model_save_refusals(a);
    tc_model_free(a);
}
