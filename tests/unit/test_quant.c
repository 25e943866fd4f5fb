/*
 * I8 weights (quant.h, model_tensors.c, model_save.c).
 *
 * The writer's rounding: scale = max|w| / 127, q = w / scale to nearest, ties to even, clamped
 * to [-127, 127]; a row of zeros has scale 0 and q 0; a range of an I8 matrix converts across
 * row ends with each row's scale.
 *
 * I8 models (check_i8_model), from a float32 model: the embedding and n-gram tables stay
 * int8, in the weights file's bytes (in place at any address, also from memory); every other
 * matrix is float32 with its scales kept, vectors are float32 without scales. Each weight is
 * within half its row's scale of the original (rounding, not truncation: a wrong scale or
 * rounding fails), and some change. The model classifies and explains bit for bit as its
 * float32 form (convert --dtype F32), with both loop sets of tc_infer; it saves back to the same
 * I8 bytes, directly and through float32, also when its rows do not reach +-127 (the scales it
 * was loaded with are kept).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_save.h"
#include "quant.h"
#include "test.h"
#include "test_forms.h"

void test_quant(void);

/* 1 if the tensors m holds as int8 are exactly the tables (embedding, n-grams) and every matrix
 * has scales (i8 = 1), or none of either (i8 = 0); every other tensor float32 */
static int storage_is(const tc_model *m, int i8)
{
    int ok = 1;
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        if (!tc_model_has_tensor(m, (tc_tensor_id)i)) continue;
        int table = i8 && tc_row_resident((tc_tensor_id)i);
        int matrix = tc_tensor_specs[i].rank == 2;
        ok &= table ? m->w8[i] != NULL && m->w[i] == NULL : m->w[i] != NULL && !m->w8[i];
        ok &= !m->w16[i] && (m->scale8[i] != NULL) == (i8 && matrix);
    }
    return ok;
}

/* 1 if every weight of tensor id of q (an I8 model) is within half its row's scale of the same
 * weight of f (float32), and sets *changed when one differs */
static int within_half_scale(const tc_model *q, const tc_model *f, tc_tensor_id id, int *changed)
{
    int64_t shape[2];
    if (tc_tensor_shape(q, id, shape) != 2) return 1;
    int ok = 1;
    for (int64_t r = 0; r < shape[0]; r++) {
        float s = q->scale8[id][r];
        for (int64_t c = 0; c < shape[1]; c++) {
            size_t i = (size_t)(r * shape[1] + c);
            float a = tc_model_weight(q, id, i), b = tc_model_weight(f, id, i);
            ok &= fabsf(a - b) <= s * 0.5f * (1 + 1e-5f) + 1e-30f;
            *changed |= a != b;
        }
    }
    return ok;
}

static void check_i8_model(const char *src, const char *dir)
{
    tc_error err;
    tc_model *orig = NULL;
    CHECK(tc_model_load(src, &orig, &err) == TC_OK);
    if (!orig) return;
    /* q: I8; f: q's float32 form (convert --dtype F32); g: f as I8 again; q2: q saved as I8 */
    tc_model *q = forms_resave(orig, dir, "q", TC_SAVE_I8);
    tc_model *f = q ? forms_resave(q, dir, "f", 0) : NULL;
    tc_model *g = f ? forms_resave(f, dir, "g", TC_SAVE_I8) : NULL;
    tc_model *q2 = q ? forms_resave(q, dir, "q2", TC_SAVE_I8) : NULL;
    if (!q || !f || !g || !q2) goto done;
    CHECK(tc_model_quantized(q) && tc_model_quantized(g) && !tc_model_quantized(f) &&
          !tc_model_quantized(orig));

    CHECK(storage_is(q, 1) && storage_is(q2, 1) && storage_is(g, 1));
    CHECK(storage_is(f, 0));
    CHECK(forms_inside(q->w8[TC_W_EMBEDDING], q->st.bytes, q->st.len));
    CHECK(!tc_model_has_tensor(q, TC_W_NGRAM) ||
          forms_inside(q->w8[TC_W_NGRAM], q->st.bytes, q->st.len));

    /* rounded to the nearest multiple of the row's scale, and not a no-op */
    int near = 1, changed = 0;
    for (int i = 0; i < TC_NUM_TENSORS; i++)
        if (tc_model_has_tensor(q, (tc_tensor_id)i))
            near &= within_half_scale(q, orig, (tc_tensor_id)i, &changed);
    CHECK(near);
    CHECK(changed);

    /* I8 -> I8 and I8 -> F32 -> I8: the same bytes */
    size_t ql = 0, q2l = 0, gl = 0;
    char *qb = forms_weights_of(q, dir, &ql), *q2b = forms_weights_of(q2, dir, &q2l);
    char *gb = forms_weights_of(g, dir, &gl);
    CHECK(forms_same_bytes(qb, ql, q2b, q2l) && forms_same_bytes(qb, ql, gb, gl));

    /* the same numbers from int8 tables as from float32 ones */
    char path[512], f_path[512];
    snprintf(f_path, sizeof f_path, "%s/f.json", dir);
    CHECK(forms_same_results_both_loops(q, f_path));

    /* from memory, at an odd address: the int8 tables in the caller's bytes (no alignment
     * needed), the same numbers */
    size_t jl = 0;
    snprintf(path, sizeof path, "%s/q.json", dir);
    char *json = test_read_file(path, &jl), *odd = malloc(ql + 1);
    CHECK(json && qb && odd);
    if (json && qb && odd) {
        tc_model *mem = NULL;
        memcpy(odd + 1, qb, ql);
        CHECK(tc_model_load_memory("(mem)", json, jl, NULL, 0, odd + 1, ql, &mem, &err) == TC_OK);
        if (mem) {
            CHECK(storage_is(mem, 1));
            CHECK(forms_inside(mem->w8[TC_W_EMBEDDING], odd + 1, ql));
            CHECK(forms_same_results_both_loops(mem, f_path));
        }
        tc_model_free(mem);

        /* a file whose rows do not reach +-127 (another writer's): every int8 value halved.
         * Saved as I8 again, it is the same bytes: each row keeps the scale it came with */
        char *half = malloc(ql);
        CHECK(half != NULL);
        if (half) {
            memcpy(half, qb, ql);
            size_t base = (size_t)(q->st.data - (const unsigned char *)q->st.bytes);
            for (int i = 0; i < q->st.count; i++)
                if (q->st.tensors[i].dtype == TC_DT_I8)
                    for (uint64_t b = q->st.tensors[i].begin; b < q->st.tensors[i].end; b++)
                        half[base + b] = (char)((int8_t)half[base + b] / 2);
            CHECK(tc_model_load_memory("(mem)", json, jl, NULL, 0, half, ql, &mem, &err) ==
                  TC_OK);
            tc_model *h = mem ? forms_resave(mem, dir, "h", TC_SAVE_I8) : NULL;
            size_t hl = 0;
            char *hb = h ? forms_weights_of(h, dir, &hl) : NULL;
            CHECK(forms_same_bytes(half, ql, hb, hl));
            free(hb);
            tc_model_free(h);
            tc_model_free(mem);
            free(half);
        }
    }
    free(json);
    free(odd);
    free(qb);
    free(q2b);
    free(gb);
done:
    tc_model_free(orig);
    tc_model_free(q);
    tc_model_free(f);
    tc_model_free(g);
    tc_model_free(q2);
}

void test_quant(void)
{
    /* the largest |w| gets +-127; ties to even (scale 1: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2) */
    float w[] = {127, 2.5f, 3.5f, -2.5f, -127, 0.49f, -0.51f, 126.5f};
    int8_t q[8];
    float s = tc_quant_scale(127);
    CHECK(s == 1.0f);
    tc_quantize_n(w, 8, s, q);
    static const int8_t want[] = {127, 2, 4, -2, -127, 0, -1, 126};
    CHECK(memcmp(q, want, sizeof want) == 0);

    /* beyond the scale's range: clamped to +-127, never -128 */
    float big[] = {300, -300, -128.4f};
    tc_quantize_n(big, 3, 1.0f, q);
    CHECK(q[0] == 127 && q[1] == -127 && q[2] == -127);

    /* a row of zeros: scale 0, q 0 */
    float zero[] = {0, -0.0f, 0};
    q[0] = q[1] = q[2] = 5;
    CHECK(tc_quant_scale(0) == 0);
    tc_quantize_n(zero, 3, 0, q);
    CHECK(q[0] == 0 && q[1] == 0 && q[2] == 0);

    /* a small scale: the row's largest gets 127 exactly, the rest round to the nearest step */
    float row[] = {0.003f, -0.0014f, 0.001f};
    s = tc_quant_scale(0.003f);
    tc_quantize_n(row, 3, s, q);
    CHECK(q[0] == 127 && q[1] == -59 && q[2] == 42);   /* -59.27 -> -59, 42.33 -> 42 */

    /* a range across rows: each element with its own row's scale */
    int8_t m[] = {1, 2, 3, -4, -5, -6, 7, 8, 9};
    float scales[] = {0.5f, 2.0f, 0.25f}, out[5];
    tc_i8_to_f32_range(out, m, scales, 3, 2, 5);
    CHECK(out[0] == 1.5f && out[1] == -8.0f && out[2] == -10.0f && out[3] == -12.0f &&
          out[4] == 1.75f);

    forms_each_model("/tmp/textclf-i8-XXXXXX", check_i8_model);
}
