/*
 * model_save.c - the inverse of model_load.c: writes a model in either weights form (inline or
 * safetensors), its vocabulary inline or as a file, atomically.
 */
#include "model_save.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "train_backprop.h"
#include "error.h"
#include "fnv.h"
#include "json_util.h"
#include "quant.h"
#include "safetensors.h"
#include "splitmix.h"

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

/* x (finite) in buf[32] with the fewest significant digits that read back as x exactly ("0.5",
 * "0.1", "1"), as Python's repr: at most 17. Returns buf. */
static const char *shortest(char buf[32], double x)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, 32, "%.*g", digits, x);
        if (strtod(buf, NULL) == x) break;
    }
    return buf;
}

/* What the JSON refers to or embeds besides the model itself. */
typedef struct {
    const char *metadata;       /* a JSON value for "metadata", or NULL */
    const char *weights_file;   /* NULL for inline data, else the safetensors file name */
    const char *vocab_file;     /* NULL for an inline vocabulary, else the vocabulary file name */
    tc_dtype dtype;             /* the weights file's: F32, F16 (TC_SAVE_F16) or I8 (TC_SAVE_I8:
                                   matrices I8 with their scales, vectors F32) */
} save_refs;

/* The dtype tensor k of m is stored as in a weights file of dtype (F32, F16 or I8): I8 files
 * hold matrices as I8, vectors as F32. */
static tc_dtype stored_dtype(int k, tc_dtype dtype)
{
    return dtype == TC_DT_I8 && tc_tensor_specs[k].rank == 1 ? TC_DT_F32 : dtype;
}

static void write_model(FILE *f, const tc_model *m, const save_refs *r)
{
    const char *weights_file = r->weights_file;
    static const char *const acts[] = TC_ACTIVATION_NAMES;
    static const char *const forms[] = TC_NORM_FORM_NAMES;
    static const char *const cases[] = TC_CASE_MODE_NAMES;
    static const char *const pretoks[] = TC_PRETOK_NAMES;
    static const char *const scripts[] = TC_SCRIPT_NAMES;
    fprintf(f, "{\n\"format\": \"textclf-model\",\n\"version\": 1,\n");
    fprintf(f, "\"config\": {\"dim\": %d, \"heads\": %d, \"head_dim\": %d, \"max_len\": %d, "
               "\"hidden\": %d, \"activation\": \"%s\", \"residual\": %s",
            m->dim, m->heads, m->head_dim, m->max_len, m->hidden, acts[m->activation],
            m->residual ? "true" : "false");
    /* only when not learned: models with learned positions are written as before the key */
    if (m->position != TC_POSITION_LEARNED) {
        static const char *const positions[] = TC_POSITION_NAMES;
        fprintf(f, ", \"position\": \"%s\"", positions[m->position]);
    }
    /* only when multi-label: softmax models are written as before the key */
    if (m->output != TC_OUTPUT_SOFTMAX) {
        static const char *const outputs[] = TC_OUTPUT_NAMES;
        fprintf(f, ", \"output\": \"%s\"", outputs[m->output]);
    }
    /* only with n-grams: models without them are written exactly as before */
    if (m->tok.ngram_buckets)
        fprintf(f, ", \"ngram_buckets\": %lu, \"ngram_min\": %d, \"ngram_max\": %d",
                (unsigned long)m->tok.ngram_buckets, m->tok.ngram_min, m->tok.ngram_max);
    fprintf(f, "},\n");
    fprintf(f, "\"labels\": [");
    for (int i = 0; i < m->num_labels; i++) {
        if (i) fputs(", ", f);
        json_str(f, m->labels[i]);
    }
    fputc(']', f);
    if (m->abstain_label) {   /* only when there is one: models without it as before */
        char minp[32], maxu[32];
        fputs(",\n\"abstain\": {\"label\": ", f);
        json_str(f, m->abstain_label);
        fprintf(f, ", \"min_probability\": %s, \"max_unknown\": %s, \"letterless\": %s",
                shortest(minp, m->abstain_min_probability),
                shortest(maxu, m->abstain_max_unknown), m->abstain_letterless ? "true" : "false");
        if (m->num_withheld) {   /* only when there are: rules without them as before */
            fputs(", \"withheld\": [", f);
            for (int c = 0, n = 0; c < m->num_labels; c++) {
                if (!m->withheld[c]) continue;
                if (n++) fputs(", ", f);
                json_str(f, m->labels[c]);
            }
            fputc(']', f);
        }
        fputc('}', f);
    }
    const tc_tokenizer *t = &m->tok;
    fprintf(f, ",\n\"tokenizer\": {\"normalize\": \"%s\", \"case\": \"%s\", "
               "\"strip_accents\": %s, \"pretokenize\": \"%s\", \"split_scripts\": [",
            forms[t->norm.form], cases[t->norm.case_mode], t->norm.strip_accents ? "true" : "false",
            pretoks[t->norm.pretok]);
    for (int i = 0, n = 0; scripts[i]; i++)
        if (t->scripts & (1u << i)) fprintf(f, "%s\"%s\"", n++ ? ", " : "", scripts[i]);
    fprintf(f, "], \"unk_token\": ");
    json_str(f, t->unk_token);
    fprintf(f, ", \"continuation_prefix\": ");
    json_str(f, t->prefix);
    fprintf(f, ", \"max_word_chars\": %d", t->max_word_chars);
    /* only when set: models without it are written exactly as before */
    if (t->word_apostrophes) fprintf(f, ", \"word_apostrophes\": true");
    fprintf(f, "},\n\"vocab\": ");
    if (r->vocab_file) {   /* on one line: the Makefile finds a built-in model's file there */
        fputs("{\"file\": ", f);
        json_str(f, r->vocab_file);
        fputs("},\n", f);
    } else {
        fputc('[', f);
        for (int32_t i = 0; i < m->vocab.size; i++) {
            fputs(i ? (i % 16 ? ", " : ",\n") : "", f);
            json_str(f, tc_vocab_token(&m->vocab, i));
        }
        fprintf(f, "],\n");
    }
    if (weights_file) {
        fprintf(f, "\"weights_file\": ");
        json_str(f, weights_file);
        fprintf(f, ",\n");
    }
    fprintf(f, "\"tensors\": {\n");
    for (int k = 0, written = 0; k < TC_NUM_TENSORS; k++) {
        if (!tc_model_has_tensor(m, (tc_tensor_id)k)) continue;
        if (written++) fprintf(f, ",\n");
        int64_t shape[2];
        int rank = tc_tensor_shape(m, (tc_tensor_id)k, shape);
        int64_t n = rank == 2 ? shape[0] * shape[1] : shape[0];
        static const char *const dtypes[] = TC_DTYPE_NAMES;
        fprintf(f, "\"%s\": {\"dtype\": \"%s\", \"shape\": [%lld", tc_tensor_specs[k].name,
                dtypes[weights_file ? stored_dtype(k, r->dtype) : TC_DT_F32], (long long)shape[0]);
        if (rank == 2) fprintf(f, ", %lld", (long long)shape[1]);
        fprintf(f, "]");
        if (!weights_file) {
            fprintf(f, ", \"data\": [");
            for (int64_t i = 0; i < n; i++)
                fprintf(f, i ? (i % 16 ? ",%.9g" : ",\n%.9g") : "%.9g",
                        (double)tc_model_weight(m, (tc_tensor_id)k, (size_t)i));
            fprintf(f, "]");
        }
        fprintf(f, "}");
    }
    fprintf(f, "\n}");
    if (r->metadata) fprintf(f, ",\n\"metadata\": %s", r->metadata);
    fprintf(f, "\n}\n");
}

/* Where the writers send the bytes of a weights file's data: fn(ctx, bytes, len), block after
 * block. */
typedef void (*bytes_fn)(void *ctx, const void *bytes, size_t len);

/* The n weights of tensor k of m as float32 or F16 (f16; the caller has checked that every one
 * fits: tc_f32_to_f16), a block at a time to fn, little-endian as on every host we build for (a
 * big-endian host would need a byte swap here). A tensor m holds as F16 goes as its halves when
 * f16: the same bits as rounding their float32 values, which are halves already. */
static void tensor_bytes(const tc_model *m, int k, size_t n, int f16, bytes_fn fn, void *ctx)
{
    if (f16 && m->w16[k]) {
        fn(ctx, m->w16[k], n * sizeof *m->w16[k]);
        return;
    }
    float buf[4096];
    uint16_t half[4096];
    for (size_t i = 0; i < n; i += 4096) {
        size_t b = n - i < 4096 ? n - i : 4096;
        const float *w = tc_model_floats(m, (tc_tensor_id)k, i, b, buf);
        if (!f16) {
            fn(ctx, w, b * sizeof *w);
            continue;
        }
        for (size_t j = 0; j < b; j++) half[j] = tc_f32_to_f16(w[j]);
        fn(ctx, half, b * sizeof *half);
    }
}

/* The scale of row r of matrix k of m ([rows, cols]) for an I8 file: the scale it was loaded
 * with when the model file stored it as I8 (its values are q * scale: the same q come back),
 * else tc_quant_scale of its largest |w|. */
static float row_scale(const tc_model *m, int k, size_t r, size_t cols)
{
    if (m->scale8[k]) return m->scale8[k][r];
    float buf[1024], big = 0;
    for (size_t i = 0; i < cols; i += 1024) {
        size_t b = cols - i < 1024 ? cols - i : 1024;
        const float *w = tc_model_floats(m, (tc_tensor_id)k, r * cols + i, b, buf);
        for (size_t j = 0; j < b; j++) big = fabsf(w[j]) > big ? fabsf(w[j]) : big;
    }
    return tc_quant_scale(big);
}

/* Matrix k of m ([rows, cols]) as an I8 file stores it: its int8 values (scales 0) or its
 * scales, float32 [rows] (scales 1), a block at a time to fn. A table m holds as I8 goes as it
 * is. */
static void i8_bytes(const tc_model *m, int k, size_t rows, size_t cols, int scales, bytes_fn fn,
                     void *ctx)
{
    if (scales) {
        float sc[1024];
        for (size_t r = 0; r < rows; r += 1024) {
            size_t b = rows - r < 1024 ? rows - r : 1024;
            for (size_t j = 0; j < b; j++) sc[j] = row_scale(m, k, r + j, cols);
            fn(ctx, sc, b * sizeof *sc);
        }
        return;
    }
    if (m->w8[k]) {
        fn(ctx, m->w8[k], rows * cols);
        return;
    }
    float buf[1024];
    int8_t q[1024];
    for (size_t r = 0; r < rows; r++) {
        float s = row_scale(m, k, r, cols);
        for (size_t i = 0; i < cols; i += 1024) {
            size_t b = cols - i < 1024 ? cols - i : 1024;
            tc_quantize_n(tc_model_floats(m, (tc_tensor_id)k, r * cols + i, b, buf), b, s, q);
            fn(ctx, q, b);
        }
    }
}

/* One tensor of a weights file: tensor k of m, or its I8 scales (scales 1). */
typedef struct {
    int k, scales;
    tc_dtype dtype;
    int rank;
    int64_t shape[2];
    uint64_t begin, end;   /* data_offsets */
} stored_tensor;

/* Lists in t (room for 2 * TC_NUM_TENSORS) the tensors a weights file of dtype holds for m, in
 * the order of the header (m's tensors in id order, each I8 matrix followed by its scales
 * "<name>.scale"), with their data offsets; returns how many. The data is laid out float32
 * first (an I8 file's vectors and scales), then I8, so that every float32 tensor starts 4-byte
 * aligned (the loader uses an aligned one in place) without a gap between tensors, which the
 * format's other readers refuse. */
static int stored_tensors(const tc_model *m, tc_dtype dtype, stored_tensor *t)
{
    int n = 0;
    for (int k = 0; k < TC_NUM_TENSORS; k++) {
        if (!tc_model_has_tensor(m, (tc_tensor_id)k)) continue;
        stored_tensor e = {k, 0, stored_dtype(k, dtype), 0, {0, 0}, 0, 0};
        e.rank = tc_tensor_shape(m, (tc_tensor_id)k, e.shape);
        t[n++] = e;
        if (e.dtype == TC_DT_I8) {
            stored_tensor sc = {k, 1, TC_DT_F32, 1, {e.shape[0], 0}, 0, 0};
            t[n++] = sc;
        }
    }
    uint64_t off = 0;
    for (int pass = 0; pass < 2; pass++)   /* float32 and F16, then I8 */
        for (int i = 0; i < n; i++) {
            if ((t[i].dtype == TC_DT_I8) != pass) continue;
            uint64_t count = (uint64_t)(t[i].rank == 2 ? t[i].shape[0] * t[i].shape[1]
                                                       : t[i].shape[0]);
            t[i].begin = off;
            t[i].end = off += count * tc_dtype_size(t[i].dtype);
        }
    return n;
}

/* The data section of a weights file of dtype for m, in file order, to fn. */
static void weights_data(const tc_model *m, tc_dtype dtype, bytes_fn fn, void *ctx)
{
    stored_tensor t[2 * TC_NUM_TENSORS];
    int n = stored_tensors(m, dtype, t);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            if ((t[i].dtype == TC_DT_I8) != pass) continue;   /* stored_tensors' order */
            if (t[i].scales || t[i].dtype == TC_DT_I8) {
                int64_t cols = tc_model_size(m, tc_tensor_specs[t[i].k].shape[1]);
                i8_bytes(m, t[i].k, (size_t)t[i].shape[0], (size_t)cols, t[i].scales, fn, ctx);
                continue;
            }
            size_t count = (size_t)(t[i].rank == 2 ? t[i].shape[0] * t[i].shape[1] : t[i].shape[0]);
            if (count) tensor_bytes(m, t[i].k, count, t[i].dtype == TC_DT_F16, fn, ctx);
        }
}

/* bytes_fn: the bytes written to the FILE *ctx */
static void bytes_write(void *ctx, const void *bytes, size_t len)
{
    fwrite(bytes, 1, len, ctx);
}

/* bytes_fn: the uint64_t *ctx carried on over the bytes (tc_fnv1a) */
static void bytes_hash(void *ctx, const void *bytes, size_t len)
{
    uint64_t *h = ctx;
    *h = tc_fnv1a(*h, bytes, len);
}

/* Writes a safetensors file of m's weights (float32, F16 or I8: stored_tensors). */
static void write_safetensors(FILE *f, const tc_model *m, tc_dtype dtype)
{
    static const char *const dtypes[] = TC_DTYPE_NAMES;
    stored_tensor t[2 * TC_NUM_TENSORS];
    int n = stored_tensors(m, dtype, t);
    char header[8192];
    size_t o = (size_t)snprintf(header, sizeof header, "{\"__metadata__\":{\"format\":\"pt\"}");
    for (int i = 0; i < n; i++) {
        o += (size_t)snprintf(header + o, sizeof header - o,
                              ",\"%s%s\":{\"dtype\":\"%s\",\"shape\":[%lld",
                              tc_tensor_specs[t[i].k].name, t[i].scales ? ".scale" : "",
                              dtypes[t[i].dtype], (long long)t[i].shape[0]);
        if (t[i].rank == 2)
            o += (size_t)snprintf(header + o, sizeof header - o, ",%lld",
                                  (long long)t[i].shape[1]);
        o += (size_t)snprintf(header + o, sizeof header - o, "],\"data_offsets\":[%llu,%llu]}",
                              (unsigned long long)t[i].begin, (unsigned long long)t[i].end);
    }
    o += (size_t)snprintf(header + o, sizeof header - o, "}");
    while (o % 8) header[o++] = ' ';   /* the format pads the header to 8 bytes */
    unsigned char len[8];
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)((uint64_t)o >> (8 * i));
    fwrite(len, 1, 8, f);
    fwrite(header, 1, o, f);
    weights_data(m, dtype, bytes_write, f);
}

/* FNV-1a over m's weights as the file stores them: names the safetensors file by its content */
static uint64_t weights_hash(const tc_model *m, tc_dtype dtype)
{
    uint64_t h = TC_FNV_OFFSET;
    weights_data(m, dtype, bytes_hash, &h);
    return h;
}

int tc_model_quantized(const tc_model *m)
{
    for (int k = 0; k < TC_NUM_TENSORS; k++)
        if (m->scale8[k]) return 1;
    return 0;
}

/* TC_OK when every weight of m is within F16's range (it rounds to a finite half), else
 * TC_ERR_ARG naming the first tensor and element that is not: such a model must stay float32. */
static tc_status check_f16(const tc_model *m, const char *path, tc_error *err)
{
    size_t n[TC_NUM_TENSORS];
    tc_model_tensor_sizes(m, n);
    for (int k = 0; k < TC_NUM_TENSORS; k++) {
        if (m->w16[k]) continue;   /* held as F16: halves already, finite (the loader checked) */
        for (size_t i = 0; i < n[k]; i++) {
            float w = tc_model_weight(m, (tc_tensor_id)k, i);
            if (tc_f16_is_nonfinite(tc_f32_to_f16(w)))
                return tc_fail(err, TC_ERR_ARG, path, NULL,
                               "cannot write F16 weights: %s[%zu] is %.9g, beyond F16's range "
                               "(largest 65504): keep float32", tc_tensor_specs[k].name, i,
                               (double)w);
        }
    }
    return TC_OK;
}

/* Writes the vocabulary file: one token per line, LF (docs/model-format.md, "vocab"). */
static void write_vocab(FILE *f, const tc_model *m, const save_refs *r)
{
    (void)r;
    for (int32_t i = 0; i < m->vocab.size; i++) {
        fputs(tc_vocab_token(&m->vocab, i), f);
        fputc('\n', f);
    }
}

/* FNV-1a over the bytes write_vocab writes: names the vocabulary file by its content */
static uint64_t vocab_hash(const tc_model *m)
{
    uint64_t h = TC_FNV_OFFSET;
    for (int32_t i = 0; i < m->vocab.size; i++) {
        const char *t = tc_vocab_token(&m->vocab, i);
        h = tc_fnv1a(tc_fnv1a(h, t, strlen(t)), "\n", 1);
    }
    return h;
}

/* ---- what a model may be written over ----------------------------------------------------- */

int tc_file_ref_init(tc_file_ref *r, const char *path, const char *what)
{
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    r->dev = st.st_dev;
    r->ino = st.st_ino;
    r->path = path;
    r->what = what;
    return 0;
}

/* the entry of refs[0..n) that is the file st describes, or NULL */
static const tc_file_ref *find_ref(const struct stat *st, const tc_file_ref *refs, int n)
{
    for (int i = 0; i < n; i++)
        if (refs[i].dev == st->st_dev && refs[i].ino == st->st_ino) return &refs[i];
    return NULL;
}

const tc_file_ref *tc_file_ref_find(const char *path, const tc_file_ref *refs, int n)
{
    struct stat st;
    return stat(path, &st) == 0 ? find_ref(&st, refs, n) : NULL;
}

/* what a file that is not a regular file is, for messages */
static const char *file_kind(mode_t mode)
{
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

/*
 * Checks the existing file (stat st) that target would replace: it must not be one of keep, and
 * must be a regular file (rename would put a regular file in a device's or a FIFO's place, and
 * fails on a directory after all the work). target is the model JSON, report_as (the file of a
 * TC_ERR_IO error), or one of its companion files.
 */
static tc_status check_replaced(const char *target, const struct stat *st, const char *report_as,
                                const tc_file_ref *keep, int n_keep, tc_error *err)
{
    const tc_file_ref *k = find_ref(st, keep, n_keep);
    int json = strcmp(target, report_as) == 0;
    if (k)
        return tc_fail(err, TC_ERR_ARG, target, NULL,
                       "is %s %s (the same file): writing the model there would destroy it",
                       k->what, k->path);
    if (S_ISDIR(st->st_mode))
        return json ? tc_fail(err, TC_ERR_IO, report_as, NULL, "cannot write model: it is a "
                              "directory; name a file in it, such as %s/model.json", target)
                    : tc_fail(err, TC_ERR_IO, report_as, NULL,
                              "cannot write model: %s is a directory", target);
    if (!S_ISREG(st->st_mode))
        return json ? tc_fail(err, TC_ERR_IO, report_as, NULL, "cannot write model: it is %s, "
                              "not a regular file", file_kind(st->st_mode))
                    : tc_fail(err, TC_ERR_IO, report_as, NULL, "cannot write model: %s is %s, "
                              "not a regular file", target, file_kind(st->st_mode));
    return TC_OK;
}

/* Checks that path's directory exists, is a directory and can take new files. */
static tc_status check_dir(const char *path, tc_error *err)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 1;
    while (slash && n > 0 && path[n - 1] == '/') n--;   /* "a//m.json": a */
    if (slash && n == 0) n = 1;                          /* "/m.json": / */
    if (n >= sizeof dir)
        return tc_fail(err, TC_ERR_IO, path, NULL, "cannot write model: %s",
                       strerror(ENAMETOOLONG));
    memcpy(dir, slash ? path : ".", n);
    dir[n] = '\0';
    struct stat st;
    int e = stat(dir, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR
            : access(dir, W_OK | X_OK) != 0 ? errno : 0;
    return e ? tc_fail(err, e == ENOMEM ? TC_ERR_NOMEM : TC_ERR_IO, path, NULL,
                       "cannot write model: directory %s: %s", dir, strerror(e))
             : TC_OK;
}

tc_status tc_model_check_output(const char *path, const tc_file_ref *keep, int n_keep,
                                tc_error *err)
{
    size_t len = strlen(path);
    if (len == 0) return tc_fail(err, TC_ERR_ARG, NULL, NULL, "empty model file name");
    if (path[len - 1] == '/')
        return tc_fail(err, TC_ERR_IO, path, NULL, "cannot write model: the name ends in '/', "
                       "as a directory's; name a file, such as %smodel.json", path);
    struct stat st;
    if (stat(path, &st) == 0) {
        tc_status s = check_replaced(path, &st, path, keep, n_keep, err);
        return s != TC_OK ? s : check_dir(path, err);
    }
    /* a missing file is what a new model is; a missing or non-directory parent: check_dir says
     * which (both give ENOENT or ENOTDIR here) */
    if (errno != ENOENT && errno != ENOTDIR)
        return errno == ENOMEM ? tc_fail_nomem(err, path)
               : tc_fail(err, TC_ERR_IO, path, NULL, "cannot write model: %s", strerror(errno));
    return check_dir(path, err);
}

typedef void (*writer_fn)(FILE *f, const tc_model *m, const save_refs *r);


/*
 * Creates a new file beside path, named <path>.tmp.<6 random letters or digits>, opened with
 * O_CREAT | O_EXCL | O_NOFOLLOW: a name that already exists (a file, or a symbolic link planted
 * there to make us write over its target) is never opened, and another name is tried. The mode
 * is 0666 less the umask, as fopen("w") creates a file: mkstemp's 0600 would make a model
 * unreadable to the users who could read the one it replaces. The name is random, not
 * <path>.tmp.<pid> (which anyone can predict), so that a planted name costs at most a retry.
 * Returns the stream and sets *tmp (malloc'd, for the caller to free); else NULL with errno set
 * (ENOMEM included) and *tmp NULL.
 */
static FILE *create_temp(const char *path, char **tmp)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    size_t len = strlen(path), n = len + sizeof ".tmp.XXXXXX";
    char *name = malloc(n);
    *tmp = NULL;
    if (!name) return NULL;
    memcpy(name, path, len);
    memcpy(name + len, ".tmp.", 5);
    name[n - 1] = '\0';
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t fallback =
        tc_splitmix64((uint64_t)getpid() << 32 ^ (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec);
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char r[6];
        if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
            /* unpredictable enough: O_EXCL does the guarding */
            fallback = tc_splitmix64(fallback);
            memcpy(r, &fallback, sizeof r);
        }
        for (int i = 0; i < 6; i++) name[len + 5 + i] = chars[r[i] % (sizeof chars - 1)];
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0) {
            if (errno == EEXIST) continue;
            break;
        }
        FILE *f = fdopen(fd, "wb");
        if (!f) {
            int e = errno;
            close(fd);
            unlink(name);
            errno = e;
            break;
        }
        *tmp = name;
        return f;
    }
    int e = errno;
    free(name);
    errno = e;
    return NULL;
}

/* Writes path atomically with fn: a new temporary file in the same directory (create_temp),
 * fsync, rename. An existing path must pass check_replaced (not one of keep, a regular file).
 * On failure the temporary file is removed and path is as it was. */
static tc_status write_atomic(const char *path, writer_fn fn, const tc_model *m,
                              const save_refs *refs, const char *report_as,
                              const tc_file_ref *keep, int n_keep, tc_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        tc_status s = check_replaced(path, &st, report_as, keep, n_keep, err);
        if (s != TC_OK) return s;
    }
    char *tmp;
    FILE *f = create_temp(path, &tmp);
    if (!f)
        return errno == ENOMEM ? tc_fail_nomem(err, report_as)
               : tc_fail(err, TC_ERR_IO, report_as, NULL,
                         "cannot write model: cannot create a temporary file beside %s: %s", path,
                         strerror(errno));
    fn(f, m, refs);
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

static void write_weights(FILE *f, const tc_model *m, const save_refs *r)
{
    write_safetensors(f, m, r->dtype);
}

/* 1 if text[0..len) contains the string s */
static int contains(const char *text, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = text, *end = text + len; (size_t)(end - p) >= n; p++) {
        if (!(p = memchr(p, s[0], (size_t)(end - p) - n + 1))) return 0;
        if (memcmp(p, s, n) == 0) return 1;
    }
    return 0;
}

/* Sets *weights and *vocab to the weights_file and vocabulary file named by the JSON model at
 * path (malloc'd), each NULL when there is no such file, it is not in the JSON's directory or
 * path is not a small JSON model. Fails only when out of memory: then the old files could not be
 * cleaned up after the new model is written. */
static tc_status old_files(const char *path, char **weights, char **vocab, tc_error *err)
{
    *weights = *vocab = NULL;
    char *text;
    size_t len;
    cJSON *root = NULL;
    tc_error e;
    tc_status s = tc_read_file(path, (size_t)64 << 20, &text, &len, &e);
    if (s == TC_OK && !contains(text, len, ".safetensors\"") &&
        !contains(text, len, ".vocab.txt\"")) {
        free(text);   /* names no companion file: spare parsing an inline model (64 B a number) */
        return TC_OK;
    }
    if (s == TC_OK) {
        s = tc_json_parse(text, len, path, &root, &e);
        free(text);
    }
    if (s != TC_OK) return s == TC_ERR_NOMEM ? tc_fail_nomem(err, path) : TC_OK;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "weights_file");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "vocab");
    v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, "file") : NULL;
    s = TC_OK;
    if (cJSON_IsString(w) && !strchr(w->valuestring, '/') && !(*weights = strdup(w->valuestring)))
        s = tc_fail_nomem(err, path);
    if (s == TC_OK && cJSON_IsString(v) && !strchr(v->valuestring, '/') &&
        !(*vocab = strdup(v->valuestring)))
        s = tc_fail_nomem(err, path);
    cJSON_Delete(root);
    if (s != TC_OK) {
        free(*weights);
        free(*vocab);
        *weights = *vocab = NULL;
    }
    return s;
}

/* 1 if name is <stem>-<16 hex digits><suffix>: a companion file this writer (or
 * tools/models/vocab_file.py) named for the JSON of that stem, never someone else's file */
static int own_companion(const char *name, const char *stem, size_t stem_len, const char *suffix)
{
    size_t n = strlen(name), sl = strlen(suffix);
    if (n != stem_len + 17 + sl || strncmp(name, stem, stem_len) != 0 || name[stem_len] != '-' ||
        strcmp(name + stem_len + 17, suffix) != 0)
        return 0;
    for (size_t i = stem_len + 1; i < stem_len + 17; i++)
        if (!strchr("0123456789abcdef", name[i])) return 0;
    return 1;
}

/* Removes the replaced model's companion file dir/old, if it is one of its own, not the new
 * model's (cur, may be NULL) and not one of keep (an input that happens to have such a name).
 * buf has room for n bytes. */
static void remove_old(const char *path, size_t dir_len, const char *stem, size_t stem_len,
                       const char *old, const char *cur, const char *suffix,
                       const tc_file_ref *keep, int n_keep, char *buf, size_t n)
{
    if (!old || (cur && strcmp(old, cur) == 0) || !own_companion(old, stem, stem_len, suffix))
        return;
    if ((size_t)snprintf(buf, n, "%.*s%s", (int)dir_len, path, old) < n &&
        !tc_file_ref_find(buf, keep, n_keep))
        unlink(buf);
}

tc_status tc_model_save(const tc_model *m, const char *path, const char *metadata_json,
                        int flags, const tc_file_ref *keep, int n_keep, tc_error *err)
{
    if ((flags & (TC_SAVE_F16 | TC_SAVE_I8)) && (flags & TC_SAVE_INLINE_WEIGHTS))
        return tc_fail(err, TC_ERR_ARG, path, NULL, "%s weights need a weights file: inline "
                       "weights are float32", flags & TC_SAVE_F16 ? "F16" : "I8");
    if ((flags & TC_SAVE_F16) && (flags & TC_SAVE_I8))
        return tc_fail(err, TC_ERR_ARG, path, NULL, "F16 and I8 weights exclude each other");
    tc_status s = tc_model_check_output(path, keep, n_keep, err);
    if (s != TC_OK) return s;
    if ((flags & TC_SAVE_F16) && (s = check_f16(m, path, err)) != TC_OK) return s;
    /* companion files: <dir>/<stem>-<hash>.safetensors and .vocab.txt, referenced by base name */
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dir_len = (size_t)(base - path), stem_len = strlen(base);
    if (stem_len > 5 && strcmp(base + stem_len - 5, ".json") == 0) stem_len -= 5;
    size_t n = strlen(path) + 64;
    char *wpath = malloc(n), *wname = malloc(n), *vpath = malloc(n), *vname = malloc(n);
    char *old_w = NULL, *old_v = NULL;
    int wrote_w = 0, wrote_v = 0;
    save_refs refs = {NULL, NULL, NULL, flags & TC_SAVE_F16 ? TC_DT_F16
                                        : flags & TC_SAVE_I8 ? TC_DT_I8 : TC_DT_F32};
    if (!wpath || !wname || !vpath || !vname) {
        s = tc_fail_nomem(err, path);
        goto done;
    }
    refs.metadata = metadata_json;
    if ((flags & TC_SAVE_KEEP_METADATA) && m->metadata) {
        refs.metadata = cJSON_Print(m->metadata);   /* freed below (it is not metadata_json) */
        if (!refs.metadata) {
            s = tc_fail_nomem(err, path);
            goto done;
        }
    }
    snprintf(wname, n, "%.*s-%016llx.safetensors", (int)stem_len, base,
             (unsigned long long)weights_hash(m, refs.dtype));
    snprintf(wpath, n, "%.*s%s", (int)dir_len, path, wname);
    snprintf(vname, n, "%.*s-%016llx.vocab.txt", (int)stem_len, base,
             (unsigned long long)vocab_hash(m));
    snprintf(vpath, n, "%.*s%s", (int)dir_len, path, vname);
    if ((s = old_files(path, &old_w, &old_v, err)) != TC_OK) goto done;
    if (!(flags & TC_SAVE_INLINE_WEIGHTS)) {
        refs.weights_file = wname;
        if ((s = write_atomic(wpath, write_weights, m, &refs, path, keep, n_keep, err)) != TC_OK)
            goto done;
        wrote_w = 1;
    }
    if (flags & TC_SAVE_VOCAB_FILE) {
        refs.vocab_file = vname;
        if ((s = write_atomic(vpath, write_vocab, m, &refs, path, keep, n_keep, err)) != TC_OK)
            goto done;
        wrote_v = 1;
    }
    s = write_atomic(path, write_model, m, &refs, path, keep, n_keep, err);
done:
    if (s != TC_OK) {
        /* the JSON was not replaced: nothing refers to the new files, unless they are the old
         * model's own (the same content has the same name) */
        if (wrote_w && !(old_w && strcmp(old_w, wname) == 0)) unlink(wpath);
        if (wrote_v && !(old_v && strcmp(old_v, vname) == 0)) unlink(vpath);
    } else {
        /* the replaced model's own companion files that the new one does not use */
        remove_old(path, dir_len, base, stem_len, old_w, refs.weights_file, ".safetensors",
                   keep, n_keep, wpath, n);
        remove_old(path, dir_len, base, stem_len, old_v, refs.vocab_file, ".vocab.txt",
                   keep, n_keep, vpath, n);
    }
    if (refs.metadata != metadata_json) cJSON_free((char *)refs.metadata);
    free(old_w);
    free(old_v);
    free(wpath);
    free(wname);
    free(vpath);
    free(vname);
    return s;
}
