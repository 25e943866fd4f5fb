/*
 * model_tensors.c - the weight tensors: their table (model.h), and reading and validating them,
 * inline or from safetensors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "json_util.h"
#include "model.h"
#include "model_ref.h"

const tc_tensor_spec tc_tensor_specs[TC_NUM_TENSORS] = {
    [TC_W_EMBEDDING] = {"embedding.weight", 2, {TC_SIZE_VOCAB, TC_SIZE_DIM}, 1},
    /* decayed as the embedding table is: a table of vectors looked up by index */
    [TC_W_NGRAM] = {"ngram.weight", 2, {TC_SIZE_BUCKETS, TC_SIZE_DIM}, 1},
    [TC_W_POSITION] = {"position.weight", 2, {TC_SIZE_POSITIONS, TC_SIZE_DIM}, 1},
    [TC_W_IN_PROJ] = {"attn.in_proj_weight", 2, {TC_SIZE_3H, TC_SIZE_DIM}, 1},
    [TC_W_IN_PROJ_B] = {"attn.in_proj_bias", 1, {TC_SIZE_3H}, 0},
    [TC_W_OUT_PROJ] = {"attn.out_proj.weight", 2, {TC_SIZE_DIM, TC_SIZE_H}, 1},
    [TC_W_OUT_PROJ_B] = {"attn.out_proj.bias", 1, {TC_SIZE_DIM}, 0},
    [TC_W_HIDDEN] = {"hidden.weight", 2, {TC_SIZE_HIDDEN, TC_SIZE_DIM}, 1},
    [TC_W_HIDDEN_B] = {"hidden.bias", 1, {TC_SIZE_HIDDEN}, 0},
    [TC_W_CLS] = {"classifier.weight", 2, {TC_SIZE_LABELS, TC_SIZE_HIDDEN}, 1},
    [TC_W_CLS_B] = {"classifier.bias", 1, {TC_SIZE_LABELS}, 0},
};

int64_t tc_model_size(const tc_model *m, tc_size s)
{
    int64_t H = (int64_t)m->heads * m->head_dim;
    switch (s) {   /* no default: -Wswitch names a size added to tc_size and missing here */
    case TC_SIZE_VOCAB: return m->vocab.size;
    case TC_SIZE_BUCKETS: return m->tok.ngram_buckets;
    case TC_SIZE_POSITIONS: return m->position == TC_POSITION_LEARNED ? m->max_len : 0;
    case TC_SIZE_DIM: return m->dim;
    case TC_SIZE_H: return H;
    case TC_SIZE_3H: return 3 * H;
    case TC_SIZE_HIDDEN: return m->hidden;
    case TC_SIZE_LABELS: return m->num_labels;
    }
    return 0;
}

int tc_tensor_shape(const tc_model *m, tc_tensor_id id, int64_t shape[2])
{
    const tc_tensor_spec *t = &tc_tensor_specs[id];
    shape[1] = 0;
    for (int k = 0; k < t->rank; k++) shape[k] = tc_model_size(m, t->shape[k]);
    return t->rank;
}

void tc_model_tensor_sizes(const tc_model *m, size_t n[TC_NUM_TENSORS])
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        int64_t shape[2];
        n[i] = (size_t)(tc_tensor_shape(m, (tc_tensor_id)i, shape) == 1 ? shape[0]
                                                                        : shape[0] * shape[1]);
    }
}

/* One tensor being loaded: its spec's name and m's shape for it, where it goes, and what
 * load_one learnt of it. */
typedef struct {
    const char *name;
    int rank;
    int64_t shape[2];
    const float **dst;      /* &m->w[id] */
    const uint16_t **dst16; /* &m->w16[id] for a tensor that stays F16 or I8 (tc_row_resident),
                               else NULL */
    const int8_t **dst8;    /* &m->w8[id] likewise */
    float max_abs;      /* largest |w| of the loaded tensor (load_one, for check_range) */
} tensor_slot;

static int64_t numel_of(const tensor_slot *t)
{
    return t->rank == 1 ? t->shape[0] : t->shape[0] * t->shape[1];
}

/* s[id] = tensor id of tc_tensor_specs with m's sizes, to be loaded into m->w[id]. */
static void make_slots(tc_model *m, tensor_slot s[TC_NUM_TENSORS])
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        s[i].name = tc_tensor_specs[i].name;
        s[i].rank = tc_tensor_shape(m, (tc_tensor_id)i, s[i].shape);
        s[i].dst = &m->w[i];
        s[i].dst16 = tc_row_resident((tc_tensor_id)i) ? &m->w16[i] : NULL;
        s[i].dst8 = tc_row_resident((tc_tensor_id)i) ? &m->w8[i] : NULL;
        s[i].max_abs = 0;
    }
}

static void shape_str(char *buf, size_t size, int rank, const int64_t *shape)
{
    size_t o = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < rank && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%lld", i ? "," : "", (long long)shape[i]);
    if (o < size) snprintf(buf + o, size - o, "]");
}

/* Reads the JSON "shape" of a tensor entry into shape/rank. */
static tc_status read_shape(const cJSON *e, int *rank, int64_t *shape, const char *file,
                            const char *path, tc_error *err)
{
    char p[TC_PATH_MAX];
    tc_json_path_key(p, path, "shape");
    const cJSON *a = tc_json_get(e, "shape");
    if (!cJSON_IsArray(a))
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected an array of sizes, got %s",
                       tc_json_type_name(a));
    int r = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, a) {
        char q[TC_PATH_MAX];
        tc_json_path_index(q, p, r);
        if (r == TC_MAX_RANK)
            return tc_fail(err, TC_ERR_MODEL, file, p, "more than %d dimensions", TC_MAX_RANK);
        if (!cJSON_IsNumber(d) || d->valuedouble < 0 || d->valuedouble > 9.0e15 ||
            d->valuedouble != floor(d->valuedouble))
            return tc_fail(err, TC_ERR_MODEL, file, q, "expected a non-negative integer");
        shape[r++] = (int64_t)d->valuedouble;
    }
    *rank = r;
    return TC_OK;
}

/* Copies inline numbers (flat, or nested to match the shape) into out[numel]. */
static tc_status fill_inline(const cJSON *a, int level, const tensor_slot *t, float *out,
                             int64_t *pos, int64_t numel, const char *file, const char *path,
                             tc_error *err)
{
    int64_t i = 0;
    const cJSON *v;
    int nested = a->child && cJSON_IsArray(a->child);
    if (level == 0 && !nested) {          /* flat form */
        if (cJSON_GetArraySize(a) != numel)
            return tc_fail(err, TC_ERR_MODEL, file, path, "has %d numbers, shape needs %lld",
                           cJSON_GetArraySize(a), (long long)numel);
    } else if (level >= t->rank || level >= 2 || cJSON_GetArraySize(a) != t->shape[level]) {
        /* (level < rank <= 2 always holds: the recursion stops at rank - 1) */
        return tc_fail(err, TC_ERR_MODEL, file, path, "has %d entries, shape needs %lld",
                       cJSON_GetArraySize(a), (long long)t->shape[level < 2 ? level : 1]);
    }
    cJSON_ArrayForEach(v, a) {
        int leaf = level == 0 && !nested ? 1 : level == t->rank - 1;
        if (!leaf) {
            char q[TC_PATH_MAX];
            tc_json_path_index(q, path, i);
            if (!cJSON_IsArray(v))
                return tc_fail(err, TC_ERR_MODEL, file, q, "expected an array, got %s",
                               tc_json_type_name(v));
            tc_status s = fill_inline(v, level + 1, t, out, pos, numel, file, q, err);
            if (s != TC_OK) return s;
        } else {
            if (!cJSON_IsNumber(v) || !isfinite((float)v->valuedouble)) {
                char q[TC_PATH_MAX];
                tc_json_path_index(q, path, i);
                if (!cJSON_IsNumber(v))
                    return tc_fail(err, TC_ERR_MODEL, file, q, "expected a number, got %s",
                                   tc_json_type_name(v));
                return tc_fail(err, TC_ERR_MODEL, file, q, "value %.9g is out of float32 range",
                               v->valuedouble);
            }
            out[(*pos)++] = (float)v->valuedouble;
        }
        i++;
    }
    return TC_OK;
}

/* Points *dst at the safetensors data for t, converting to float32 into owned memory when the
 * data is not float32 or not aligned; or, for F16 data of a table that stays F16 (t->dst16),
 * points *dst16 at the halves, copied into owned16 memory when not 2-byte aligned. *in_place
 * counts the tensors left pointing into the file's bytes. */
static tc_status take_from_file(tc_model *m, int idx, const tensor_slot *t, tc_st_tensor *st,
                                int64_t numel, int *in_place, tc_error *err)
{
    const unsigned char *src = m->st.data + st->begin;
    if (st->dtype == TC_DT_F32 && ((uintptr_t)src % sizeof(float)) == 0) {
        *t->dst = (const float *)(const void *)src;   /* in place: no copy, no parse */
        (*in_place)++;
        return TC_OK;
    }
    if (st->dtype == TC_DT_F16 && t->dst16) {
        if ((uintptr_t)src % sizeof(uint16_t) == 0) {
            *t->dst16 = (const uint16_t *)(const void *)src;   /* in place, not even read */
            (*in_place)++;
            return TC_OK;
        }
        uint16_t *halves = malloc((size_t)(numel ? numel : 1) * sizeof *halves);
        if (!halves) return tc_fail_nomem(err, m->weights_file);
        memcpy(halves, src, (size_t)numel * sizeof *halves);
        m->owned16[idx] = halves;
        *t->dst16 = halves;
        return TC_OK;
    }
    float *out = malloc((size_t)(numel ? numel : 1) * sizeof *out);
    if (!out) return tc_fail_nomem(err, m->weights_file);
    /* one loop per dtype, each simple enough to vectorise (F16 models start in this loop) */
    switch (st->dtype) {
    case TC_DT_F32:   /* unaligned in the file */
        memcpy(out, src, (size_t)numel * 4);
        break;
    case TC_DT_F64:
        for (int64_t i = 0; i < numel; i++) {
            double d;
            memcpy(&d, src + (size_t)i * 8, 8);
            out[i] = (float)d;   /* out-of-range values become inf and fail the finite check */
        }
        break;
    case TC_DT_F16:
        for (int64_t i = 0; i < numel; i++)
            out[i] = tc_f16_to_f32((uint16_t)(src[2 * i] | src[2 * i + 1] << 8));
        break;
    case TC_DT_BF16:
        for (int64_t i = 0; i < numel; i++) {
            uint32_t bits = (uint32_t)(src[2 * i] | src[2 * i + 1] << 8) << 16;
            memcpy(&out[i], &bits, 4);
        }
        break;
    case TC_DT_I8:   /* take_i8's, never here */
        break;
    }
    m->owned[idx] = out;
    *t->dst = out;
    return TC_OK;
}

/* The largest |w[i]| as float bits without the sign. For finite floats the order of |w| is the
 * order of these bits, and NaN and ±Inf (exponent bits all ones, >= 0x7f800000) lie above every
 * finite value: one branch-free pass, which the compiler vectorises, both finds non-finite
 * weights and bounds the finite ones (check_range). */
static uint32_t max_abs_bits(const float *w, int64_t n)
{
    uint32_t big = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, w + i, sizeof b);
        b &= 0x7fffffffu;
        big = b > big ? b : big;
    }
    return big;
}

/* max_abs_bits's value for a half whose bits without the sign are big: its float32 bits, or
 * 0x7f800000 when it is not finite (NaN and ±Inf, exponent bits all ones, >= 0x7c00). */
static uint32_t half_abs_bits(uint16_t big)
{
    if (big >= 0x7c00u) return 0x7f800000u;
    float f = tc_f16_to_f32(big);
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}

/* max_abs_bits of the float32 values of the halves h[0..n): the same order holds for halves,
 * and the conversion keeps it, so half_abs_bits of the largest. */
static uint32_t max_abs_bits_f16(const uint16_t *h, int64_t n)
{
    uint16_t big = 0;
    for (int64_t i = 0; i < n; i++) {
        uint16_t b = h[i] & 0x7fffu;
        big = b > big ? b : big;
    }
    return half_abs_bits(big);
}

/* The numbers of t read from the JSON text (inline_data.h), checked as fill_inline checks the
 * same array in cJSON's tree, with the same messages in the same order: the outer length, then
 * each list's length in turn (their numbers are all finite float32 already). */
static tc_status check_lifted(const tc_inline_tensor *d, const tensor_slot *t, int64_t numel,
                              const char *file, const char *path, tc_error *err)
{
    char q[TC_PATH_MAX];
    if (!d->nested) {
        if (d->count != numel)
            return tc_fail(err, TC_ERR_MODEL, file, path, "has %lld numbers, shape needs %lld",
                           (long long)d->count, (long long)numel);
        return TC_OK;
    }
    if (d->rows != t->shape[0])
        return tc_fail(err, TC_ERR_MODEL, file, path, "has %lld entries, shape needs %lld",
                       (long long)d->rows, (long long)t->shape[0]);
    if (t->rank == 1) {   /* a vector written as a list of lists: its first entry is a list */
        tc_json_path_index(q, path, 0);
        return tc_fail(err, TC_ERR_MODEL, file, q, "expected a number, got an array");
    }
    int64_t row = d->row_len != t->shape[1] ? 0 : d->odd_row;
    if (row >= 0) {
        tc_json_path_index(q, path, row);
        return tc_fail(err, TC_ERR_MODEL, file, q, "has %lld entries, shape needs %lld",
                       (long long)(row == 0 ? d->row_len : d->odd_len), (long long)t->shape[1]);
    }
    return TC_OK;
}

/*
 * The I8 tensor t (tensor idx of m, st its int8 values in the weights file) with its scales, the
 * file's tensor "<name>.scale" (F32 [rows], each finite and >= 0; quant.h): copies the scales
 * into owned memory (m->scale8[idx]), then points *t->dst8 at the int8 values in the file's
 * bytes (a table read by row: *in_place counts it) or converts them into owned float32. Sets
 * t->max_abs to the largest |q * scale|; fails naming the first element that is not finite.
 */
static tc_status take_i8(tc_model *m, int idx, tensor_slot *t, const tc_st_tensor *st,
                         int *in_place, const char *weights_path, tc_error *err)
{
    char name[TC_PATH_MAX], sp[TC_PATH_MAX], tp[TC_PATH_MAX];
    snprintf(name, sizeof name, "%s.scale", t->name);
    tc_json_path_key(sp, "$", name);
    tc_json_path_key(tp, "$", t->name);
    int64_t rows = t->shape[0], cols = t->shape[1];
    tc_st_tensor *sc = tc_st_find(&m->st, name);
    if (!sc)
        return tc_fail(err, TC_ERR_MODEL, weights_path, tp, "I8 without its scales: no tensor "
                       "\"%s\" (F32 [%lld], one per row)", name, (long long)rows);
    sc->used = 1;
    if (sc->dtype != TC_DT_F32 || sc->rank != 1 || sc->shape[0] != rows) {
        static const char *const dtypes[] = TC_DTYPE_NAMES;
        char got[128];
        shape_str(got, sizeof got, sc->rank, sc->shape);
        return tc_fail(err, TC_ERR_MODEL, weights_path, sp, "%s %s, expected F32 [%lld] (the "
                       "scales of the I8 %s, one per row)", dtypes[sc->dtype], got,
                       (long long)rows, t->name);
    }
    float *scale = malloc((size_t)(rows ? rows : 1) * sizeof *scale);
    if (!scale) return tc_fail_nomem(err, weights_path);
    memcpy(scale, m->st.data + sc->begin, (size_t)rows * sizeof *scale);
    m->owned_scale[idx] = scale;
    m->scale8[idx] = scale;
    for (int64_t r = 0; r < rows; r++)
        if (!(scale[r] >= 0) || isinf(scale[r])) {
            char v[32];
            snprintf(v, sizeof v, isnan(scale[r]) ? "NaN" : isinf(scale[r]) ? "infinite"
                     : "%.9g", (double)scale[r]);
            return tc_fail(err, TC_ERR_MODEL, weights_path, sp, "element [%lld] is %s: a scale "
                           "must be finite and >= 0", (long long)r, v);
        }
    const int8_t *q = (const int8_t *)(const void *)(m->st.data + st->begin);
    float big = 0;
    for (int64_t r = 0; r < rows; r++) {
        const int8_t *row = q + (size_t)r * (size_t)cols;
        int most = 0;   /* the row's largest |q|: a loop without branches, vectorised */
        for (int64_t c = 0; c < cols; c++) {
            int a = row[c] < 0 ? -row[c] : row[c];
            most = a > most ? a : most;
        }
        float v = (float)most * scale[r];   /* the row's largest |q * scale| */
        if (isinf(v)) {
            int64_t at = 0;
            while (row[at] != most && row[at] != -most) at++;
            return tc_fail(err, TC_ERR_MODEL, weights_path, tp, "element [%lld,%lld] is infinite "
                           "(%d times the row's scale %.9g)", (long long)r, (long long)at,
                           row[at], (double)scale[r]);
        }
        big = v > big ? v : big;
    }
    t->max_abs = big;
    if (t->dst8) {
        *t->dst8 = q;   /* in place, read a row at a time */
        (*in_place)++;
        return TC_OK;
    }
    float *out = malloc((size_t)(rows * cols > 0 ? rows * cols : 1) * sizeof *out);
    if (!out) return tc_fail_nomem(err, weights_path);
    for (int64_t r = 0; r < rows; r++)
        tc_i8_to_f32_n(out + (size_t)r * (size_t)cols, q + (size_t)r * (size_t)cols, scale[r],
                       (size_t)cols);
    m->owned[idx] = out;
    *t->dst = out;
    return TC_OK;
}

/* Reads the tensor entry e at path into t (tensor idx of m): its inline numbers (lifted from the
 * text, or in e's tree), or its data in the weights file; then checks that every weight is
 * finite and records the largest magnitude in t->max_abs (with program_data, an F16 table used
 * in place is neither: its bound is F16's, tc_model_load_program_data in model.h). */
static tc_status load_one(tc_model *m, int idx, tensor_slot *t, const cJSON *e,
                          tc_inline_tensor *lifted, const char *file, const char *weights_path,
                          const char *path, int program_data, int *in_place, tc_error *err)
{
    static const char *const keys[] = {"dtype", "shape", "data", NULL};
    static const char *const dtypes[] = TC_DTYPE_NAMES;
    tc_status s = tc_json_check_object(e, keys, file, path, err);
    if (s != TC_OK) return s;
    int dt;
    if (!tc_json_get(e, "dtype")) {
        char p[TC_PATH_MAX];
        tc_json_path_key(p, path, "dtype");
        return tc_fail(err, TC_ERR_MODEL, file, p, "missing (required)");
    }
    if ((s = tc_json_get_choice(e, "dtype", dtypes, 0, &dt, file, path, err)) != TC_OK)
        return s;
    int rank = 0;
    int64_t shape[TC_MAX_RANK] = {0};
    if ((s = read_shape(e, &rank, shape, file, path, err)) != TC_OK) return s;
    if (rank != t->rank || memcmp(shape, t->shape, sizeof(int64_t) * (size_t)rank) != 0) {
        char got[128], want[64];
        shape_str(got, sizeof got, rank, shape);
        shape_str(want, sizeof want, t->rank, t->shape);
        return tc_fail(err, TC_ERR_MODEL, file, path, "shape %s, expected %s", got, want);
    }
    if (dt == TC_DT_I8 && rank != 2) {
        char p[TC_PATH_MAX];
        tc_json_path_key(p, path, "dtype");
        return tc_fail(err, TC_ERR_MODEL, file, p, "I8 is for matrices (one scale per row): a "
                       "vector is F32, F16, BF16 or F64");
    }
    int64_t numel = numel_of(t);

    const cJSON *data = tc_json_get(e, "data");
    if (data) {
        char p[TC_PATH_MAX];
        tc_json_path_key(p, path, "data");
        if (dt != TC_DT_F32)
            return tc_fail(err, TC_ERR_MODEL, file, path, "inline data must have dtype F32, not %s",
                           dtypes[dt]);
        if (lifted) {   /* read from the text already: "data" is a placeholder in the tree */
            m->owned[idx] = lifted->values;   /* the model's now, checked or not */
            lifted->values = NULL;
            if ((s = check_lifted(lifted, t, numel, file, p, err)) != TC_OK) return s;
        } else {
            if (!cJSON_IsArray(data))
                return tc_fail(err, TC_ERR_MODEL, file, p, "expected an array of numbers, got %s",
                               tc_json_type_name(data));
            if (!(m->owned[idx] = malloc((size_t)(numel ? numel : 1) * sizeof(float))))
                return tc_fail_nomem(err, file);
            int64_t pos = 0;
            s = fill_inline(data, 0, t, m->owned[idx], &pos, numel, file, p, err);
            if (s != TC_OK) return s;
        }
        *t->dst = m->owned[idx];
    } else {
        if (!weights_path)
            return tc_fail(err, TC_ERR_MODEL, file, path,
                           "no \"data\" and the model has no \"weights_file\"");
        tc_st_tensor *st = tc_st_find(&m->st, t->name);
        if (!st)
            return tc_fail(err, TC_ERR_MODEL, file, path, "not found in %s", weights_path);
        st->used = 1;
        char sp[TC_PATH_MAX];
        tc_json_path_key(sp, "$", t->name);
        if ((int)st->dtype != dt)
            return tc_fail(err, TC_ERR_MODEL, weights_path, sp, "dtype %s, the model JSON says %s",
                           dtypes[st->dtype], dtypes[dt]);
        if (st->rank != rank || memcmp(st->shape, shape, sizeof(int64_t) * (size_t)rank) != 0) {
            char got[128], want[64];
            shape_str(got, sizeof got, st->rank, st->shape);
            shape_str(want, sizeof want, rank, shape);
            return tc_fail(err, TC_ERR_MODEL, weights_path, sp, "shape %s, the model JSON says %s",
                           got, want);
        }
        if (dt == TC_DT_I8) return take_i8(m, idx, t, st, in_place, weights_path, err);
        if ((s = take_from_file(m, idx, t, st, numel, in_place, err)) != TC_OK) return s;
    }
    const uint16_t *halves = t->dst16 ? *t->dst16 : NULL;
    /* the program's own table is not read through (tc_model_load_program_data): its bound is
     * that of any finite half, the largest (0x7bff, 65504) */
    uint32_t big = !halves ? max_abs_bits(*t->dst, numel)
                   : program_data ? half_abs_bits(0x7bffu) : max_abs_bits_f16(halves, numel);
    if (big < 0x7f800000u) {
        memcpy(&t->max_abs, &big, sizeof big);
        return TC_OK;
    }
    for (int64_t i = 0; i < numel; i++) {
        float w = tc_model_weight(m, (tc_tensor_id)idx, (size_t)i);
        if (!isfinite(w)) {
            char where[64];
            if (t->rank == 2)
                snprintf(where, sizeof where, "[%lld,%lld]", (long long)(i / t->shape[1]),
                         (long long)(i % t->shape[1]));
            else
                snprintf(where, sizeof where, "[%lld]", (long long)i);
            char sp[TC_PATH_MAX];
            tc_json_path_key(sp, "$", t->name);
            return tc_fail(err, TC_ERR_MODEL, data ? file : weights_path, data ? path : sp,
                           "element %s is %s", where, isnan(w) ? "NaN" : "infinite");
        }
    }
    return TC_OK;
}

/*
 * Refuses weights so large that some input could overflow float arithmetic (and give NaN
 * probabilities): bounds every activation of the network (docs/model-format.md) from the
 * largest weight of each tensor, in double, and fails naming the tensor whose stage would pass
 * 1e37 (float's largest is 3.4e38; score differences must fit too). Trained models are many
 * orders of magnitude below: their bounds are products of small numbers.
 */
static tc_status check_range(const tc_model *m, const tensor_slot *t, const char *file,
                             tc_error *err)
{
    double mx[TC_NUM_TENSORS];
    for (int i = 0; i < TC_NUM_TENSORS; i++) mx[i] = t[i].max_abs;
    double d = m->dim, hd = m->head_dim, H = (double)m->heads * m->head_dim;
    /* x = E[id] + G + P[t], G a mean of n-gram rows (0 without n-grams: max_abs 0); P learned,
     * sinusoidal (|sin|, |cos| <= 1) or none (0, as a tensor the model does not have) */
    if (tc_position_fixed(m->position)) mx[TC_W_POSITION] = 1;
    double x = mx[TC_W_EMBEDDING] + mx[TC_W_NGRAM] + mx[TC_W_POSITION];
    double qkv = d * mx[TC_W_IN_PROJ] * x + mx[TC_W_IN_PROJ_B];       /* q, k, v = W x + b */
    /* attention outputs average v; pooled = out_proj(them) + b (+ x), averaged over tokens */
    double pooled = H * mx[TC_W_OUT_PROJ] * qkv + mx[TC_W_OUT_PROJ_B] + (m->residual ? x : 0);
    double h = d * mx[TC_W_HIDDEN] * pooled + mx[TC_W_HIDDEN_B];      /* |act(z)| <= |z| */
    struct {
        double bound;
        tc_tensor_id tensor;
        const char *what;
    } stage[5] = {
        /* named by its largest part when that is the n-grams (else as before they existed) */
        {x, mx[TC_W_NGRAM] > mx[TC_W_EMBEDDING] && mx[TC_W_NGRAM] > mx[TC_W_POSITION]
                ? TC_W_NGRAM : TC_W_EMBEDDING,
         m->tok.ngram_buckets ? "embeddings plus n-grams plus positions"
                              : "embeddings plus positions"},
        {hd * qkv * qkv / sqrt(hd), TC_W_IN_PROJ, "attention scores"},
        {pooled, TC_W_OUT_PROJ, "pooled vectors"},
        {h, TC_W_HIDDEN, "hidden activations"},
        {m->hidden * mx[TC_W_CLS] * h + mx[TC_W_CLS_B], TC_W_CLS, "logits"},
    };
    for (int i = 0; i < 5; i++)
        if (!(stage[i].bound < 1e37)) {
            char p[TC_PATH_MAX];
            tc_json_path_key(p, "$.tensors", t[stage[i].tensor].name);
            return tc_fail(err, TC_ERR_MODEL, file, p, "weights too large: the %s could reach "
                           "%.1e, beyond the range of float arithmetic", stage[i].what,
                           stage[i].bound);
        }
    return TC_OK;
}

/* Reads the weights file weights_name of the model file into m->st: from weights_mem when
 * given (a model loaded from memory), else from the file it names (model_ref.h's rule).
 * *weights_path is set to how messages name the file (malloc'd; NULL when out of memory). */
static tc_status open_weights(tc_model *m, const char *file, const char *weights_name,
                              const void *weights_mem, size_t weights_len, char **weights_path,
                              tc_error *err)
{
    *weights_path = weights_mem ? strdup(weights_name) : tc_ref_path(file, weights_name);
    if (!*weights_path) return tc_fail_nomem(err, file);
    if (weights_mem)
        return tc_st_open_memory(weights_mem, weights_len, *weights_path, &m->st, err);
    int fd;
    tc_status s = tc_ref_open(file, weights_name, "$.weights_file", &fd, err);
    if (s != TC_OK) return s;
    s = tc_st_read(fd, *weights_path, &m->st, err);
    close(fd);
    if (s == TC_ERR_IO) {   /* say which model and key named the unreadable file */
        char prefix[1100];
        snprintf(prefix, sizeof prefix, "cannot read %s: ", *weights_path);
        tc_error_rewrap(err, file, "$.weights_file", prefix);
    }
    return s;
}

/* The position of member e among the members of obj (0-based). */
static int member_index(const cJSON *obj, const cJSON *e)
{
    int k = 0;
    for (const cJSON *c = obj->child; c && c != e; c = c->next) k++;
    return k;
}

tc_status tc_model_load_tensors(tc_model *m, const cJSON *tensors, const char *file,
                                const char *weights_name, const void *weights_mem,
                                size_t weights_len, int program_data, tc_inline_set *inl,
                                tc_error *err)
{
    tensor_slot slots[TC_NUM_TENSORS];
    make_slots(m, slots);
    const char *names[TC_NUM_TENSORS + 1];
    for (int i = 0; i < TC_NUM_TENSORS; i++) names[i] = slots[i].name;
    names[TC_NUM_TENSORS] = NULL;

    if (!cJSON_IsObject(tensors))
        return tc_fail(err, TC_ERR_MODEL, file, "$.tensors", "expected an object, got %s",
                       tc_json_type_name(tensors));
    tc_status s = tc_json_check_object(tensors, NULL, file, "$.tensors", err);
    if (s != TC_OK) return s;
    const cJSON *e;
    cJSON_ArrayForEach(e, tensors) {
        int known = 0;
        for (int i = 0; i < TC_NUM_TENSORS; i++) known |= strcmp(names[i], e->string) == 0;
        if (!known) {
            char p[TC_PATH_MAX];
            tc_json_path_key(p, "$.tensors", e->string);
            return tc_fail(err, TC_ERR_MODEL, file, p, "unexpected tensor (this architecture "
                           "has embedding, %sposition, attn, hidden and classifier tensors)",
                           m->tok.ngram_buckets ? "ngram, " : "");
        }
        if (!tc_model_has_tensor(m, TC_W_POSITION) &&
            strcmp(e->string, names[TC_W_POSITION]) == 0) {
            static const char *const modes[] = TC_POSITION_NAMES;
            char p[TC_PATH_MAX];
            tc_json_path_key(p, "$.tensors", e->string);
            return tc_fail(err, TC_ERR_MODEL, file, p, "unexpected tensor: the model's "
                           "positions are not learned ($.config.position is \"%s\")",
                           modes[m->position]);
        }
        if (!tc_model_has_tensor(m, TC_W_NGRAM) && strcmp(e->string, names[TC_W_NGRAM]) == 0) {
            char p[TC_PATH_MAX];
            tc_json_path_key(p, "$.tensors", e->string);
            return tc_fail(err, TC_ERR_MODEL, file, p, "unexpected tensor: the model has no "
                           "character n-grams ($.config.ngram_buckets is 0 or absent)");
        }
    }
    char *weights_path = NULL;   /* the weights file in messages */
    if (weights_name &&
        (s = open_weights(m, file, weights_name, weights_mem, weights_len, &weights_path, err)) !=
        TC_OK)
        goto done;

    m->parameters = 0;
    int in_place = 0;   /* tensors used where they lie in the weights file's bytes */
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        if (!tc_model_has_tensor(m, (tc_tensor_id)i)) continue;
        char p[TC_PATH_MAX];
        tc_json_path_key(p, "$.tensors", slots[i].name);
        e = tc_json_get(tensors, slots[i].name);
        if (!e) {
            s = tc_fail(err, TC_ERR_MODEL, file, p, i == TC_W_NGRAM ? "missing tensor (the "
                        "model has character n-grams: $.config.ngram_buckets is %lld)"
                        : i == TC_W_POSITION ? "missing tensor (the model's positions are "
                        "learned: $.config.position is \"learned\" or absent)"
                        : "missing tensor", (long long)m->tok.ngram_buckets);
            goto done;
        }
        s = load_one(m, i, &slots[i], e, tc_inline_find(inl, member_index(tensors, e)), file,
                     weights_path, p, program_data, &in_place, err);
        if (s != TC_OK) goto done;
        m->parameters += numel_of(&slots[i]);
    }
    for (int i = 0; i < m->st.count; i++)
        if (!m->st.tensors[i].used) {
            char p[TC_PATH_MAX];
            const char *name = m->st.tensors[i].name;
            size_t len = strlen(name);
            tc_json_path_key(p, "$", name);
            /* "<name>.scale" beside a tensor that is not I8 (take_i8 claims an I8 one's) */
            char base[TC_PATH_MAX];
            snprintf(base, sizeof base, "%.*s", (int)(len > 6 ? len - 6 : 0), name);
            const tc_st_tensor *of = len > 6 && strcmp(name + len - 6, ".scale") == 0
                                     ? tc_st_find(&m->st, base) : NULL;
            if (of && of->used) {
                static const char *const dtypes[] = TC_DTYPE_NAMES;
                s = tc_fail(err, TC_ERR_MODEL, weights_path, p, "scales of %s, which is %s, not "
                            "I8 (only an I8 matrix has scales)", base, dtypes[of->dtype]);
            } else {
                s = tc_fail(err, TC_ERR_MODEL, weights_path, p,
                            "tensor not described by the model JSON %s", file);
            }
            goto done;
        }
    /* every tensor converted or copied (F16, BF16, F64, I8 matrices, unaligned): the file's
     * bytes are not needed */
    if (in_place == 0) tc_st_release_bytes(&m->st);
    s = check_range(m, slots, file, err);
    if (s == TC_OK) s = tc_model_positions_init(m, err);
done:
    free(weights_path);
    return s;
}
