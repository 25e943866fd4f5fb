/*
 * F16 conversion (safetensors.c): every one of the 65536 halves converts to float32 and back to
 * itself (NaNs to a NaN); values between two halves round to the nearer, ties to the even one;
 * overflow gives Inf at exactly IEEE's boundary (65520), underflow gives zero below 2^-25; the
 * results agree with the compiler's own _Float16 conversion where the compiler has one.
 *
 * F16 models (check_f16_model): the embedding and n-gram tables of an F16 weights file stay F16
 * in memory, in the file's bytes (kept for them) or, not 2-byte aligned, copied; every other
 * tensor is float32. Such a model classifies and explains bit for bit as its float32 form
 * (`convert --dtype F32`), with both loop sets of tc_infer; it saves back to the same F16 bytes,
 * directly and through float32; loaded from memory it uses the caller's bytes in place.
 */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "infer.h"
#include "model.h"
#include "model_save.h"
#include "safetensors.h"
#include "test.h"
#include "test_forms.h"

void test_f16(void);

static float next_up(float f) { return nextafterf(f, INFINITY); }

/* 1 if the tensors m holds as F16 are exactly the tables of an F16 file (embedding, n-grams),
 * f16 = 1, or none, f16 = 0; every other tensor float32 */
static int storage_is(const tc_model *m, int f16)
{
    int ok = 1;
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        if (!tc_model_has_tensor(m, (tc_tensor_id)i)) continue;
        int halves = f16 && tc_row_resident((tc_tensor_id)i);
        ok &= halves ? m->w16[i] != NULL && m->w[i] == NULL : m->w[i] != NULL && !m->w16[i];
    }
    return ok;
}

/* 1 if p lies in bytes[0..len) */
int forms_inside(const void *p, const void *bytes, size_t len)
{
    const char *c = p, *b = bytes;
    return p && bytes && c >= b && c < b + len;
}

static const char *const docs[] = {
    "hello world", "le chat est bon", "猫 狗 你好", "the cats and the dogs running, chien!",
    "bonjourment hellos worlding", "", "!!!", "zzzz qqqq xyzzy plugh",
    "the cat is good and the dog is good and le chien est bon et le chat est bon . 中文"};
enum { NDOCS = sizeof docs / sizeof docs[0] };

/* 1 if a and b (models with the same labels) give the same probabilities, bit for bit, for
 * every document, by tc_classify and by tc_explain (every number of the explanation) */
static int same_results(const tc_model *a, const tc_model *b)
{
    tc_error err;
    tc_session *sa = NULL, *sb = NULL;
    int C = tc_model_num_labels(a), same = C == tc_model_num_labels(b), compared = 0;
    float *pa = malloc((size_t)C * sizeof *pa), *pb = malloc((size_t)C * sizeof *pb);
    same &= pa && pb && tc_session_init(a, &sa, &err) == TC_OK &&
            tc_session_init(b, &sb, &err) == TC_OK;
    for (int i = 0; same && i < NDOCS; i++) {
        size_t len = strlen(docs[i]);
        same &= tc_classify(sa, docs[i], len, 0, pa, NULL, &err) == TC_OK &&
                tc_classify(sb, docs[i], len, 0, pb, NULL, &err) == TC_OK &&
                memcmp(pa, pb, (size_t)C * sizeof *pa) == 0;
        tc_explanation ea, eb;
        same &= tc_explain(sa, docs[i], len, 0, &ea, &err) == TC_OK &&
                tc_explain(sb, docs[i], len, 0, &eb, &err) == TC_OK;
        if (!same) break;
        int T = ea.num_tokens, W = ea.num_words;
        same &= T == eb.num_tokens && W == eb.num_words && ea.top == eb.top &&
                memcmp(ea.probs, eb.probs, (size_t)C * sizeof *ea.probs) == 0 &&
                memcmp(ea.attention, eb.attention, (size_t)T * sizeof *ea.attention) == 0 &&
                memcmp(ea.probs_without, eb.probs_without, (size_t)W * C * sizeof(float)) == 0;
        for (int w = 0; same && w < W; w++)
            same &= memcmp(&ea.words[w].effect, &eb.words[w].effect, sizeof(float)) == 0 &&
                    memcmp(&ea.words[w].evidence, &eb.words[w].evidence, sizeof(float)) == 0;
        compared++;
    }
    tc_session_free(sa);
    tc_session_free(sb);
    free(pa);
    free(pb);
    return same && compared == NDOCS;
}

/* same_results of a and the model at path (loaded afresh), with tc_infer's default loops (AVX2
 * on most machines), then the baseline ones (for good: a runs them from then on) */
int forms_same_results_both_loops(tc_model *a, const char *path)
{
    tc_model *b = NULL;
    tc_error err;
    int same = tc_model_load(path, &b, &err) == TC_OK && same_results(a, b);
    if (same) {
        tc_infer_cache_use_baseline(a->infer);
        tc_infer_cache_use_baseline(b->infer);
        same = same_results(a, b);
    }
    tc_model_free(b);
    return same;
}

/* The bytes of m's weights file (m loaded from dir): malloc'd, *len its size; NULL if none. */
char *forms_weights_of(const tc_model *m, const char *dir, size_t *len)
{
    tc_model_info info;
    char path[512];
    tc_model_get_info(m, &info);
    if (!info.weights_file) return NULL;
    snprintf(path, sizeof path, "%s/%s", dir, info.weights_file);
    return test_read_file(path, len);
}

/* Saves m at dir/name.json with flags and loads it again: the loaded model, or NULL. */
tc_model *forms_resave(const tc_model *m, const char *dir, const char *name, int flags)
{
    char path[512];
    tc_error err;
    tc_model *out = NULL;
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    CHECK(tc_model_save(m, path, NULL, flags | TC_SAVE_KEEP_METADATA, NULL, 0, &err) == TC_OK);
    CHECK(tc_model_load(path, &out, &err) == TC_OK);
    return out;
}

/* 1 if files a and b (of a_len and b_len bytes) are the same bytes */
int forms_same_bytes(const char *a, size_t a_len, const char *b, size_t b_len)
{
    return a && b && a_len == b_len && memcmp(a, b, a_len) == 0;
}

/* Checks the F16 form of the model at src and its float32 form, saved in dir (the header says
 * what). */
static void check_f16_model(const char *src, const char *dir)
{
    tc_error err;
    tc_model *orig = NULL;
    CHECK(tc_model_load(src, &orig, &err) == TC_OK);
    if (!orig) return;
    /* h: F16; f: h's float32 form (convert --dtype F32); g: f as F16 again; h2: h saved as F16 */
    tc_model *h = forms_resave(orig, dir, "h", TC_SAVE_F16);
    tc_model *f = h ? forms_resave(h, dir, "f", 0) : NULL;
    tc_model *g = f ? forms_resave(f, dir, "g", TC_SAVE_F16) : NULL;
    tc_model *h2 = h ? forms_resave(h, dir, "h2", TC_SAVE_F16) : NULL;
    tc_model_free(orig);
    if (!h || !f || !g || !h2) goto done;

    /* the tables are F16 in h, in its weights file's bytes, which it keeps; none in f */
    CHECK(storage_is(h, 1) && storage_is(h2, 1) && storage_is(g, 1));
    CHECK(storage_is(f, 0));
    CHECK(forms_inside(h->w16[TC_W_EMBEDDING], h->st.bytes, h->st.len));
    CHECK(!tc_model_has_tensor(h, TC_W_NGRAM) ||
          forms_inside(h->w16[TC_W_NGRAM], h->st.bytes, h->st.len));

    /* F16 -> F16 and F16 -> F32 -> F16: the same file, name and bytes */
    size_t hl = 0, h2l = 0, gl = 0;
    char *hb = forms_weights_of(h, dir, &hl), *h2b = forms_weights_of(h2, dir, &h2l);
    char *gb = forms_weights_of(g, dir, &gl);
    tc_model_info hi, h2i, gi;
    tc_model_get_info(h, &hi);
    tc_model_get_info(h2, &h2i);
    tc_model_get_info(g, &gi);
    CHECK(forms_same_bytes(hb, hl, h2b, h2l) && forms_same_bytes(hb, hl, gb, gl));
    /* (the names: stem-HASH, the stems h, h2, g differ) */
    CHECK(strcmp(strchr(hi.weights_file, '-'), strchr(h2i.weights_file, '-')) == 0 &&
          strcmp(strchr(hi.weights_file, '-'), strchr(gi.weights_file, '-')) == 0);

    /* the same numbers from F16 tables as from float32 ones */
    char path[512], f_path[512];
    snprintf(f_path, sizeof f_path, "%s/f.json", dir);
    CHECK(forms_same_results_both_loops(h, f_path));

    /* from memory (as the program's built-in model): the F16 tables in the caller's bytes when
     * 2-byte aligned, copied when not; the same numbers both ways */
    size_t jl = 0;
    snprintf(path, sizeof path, "%s/h.json", dir);
    char *json = test_read_file(path, &jl), *odd = malloc(hl + 1);
    CHECK(json && hb && odd);
    if (json && hb && odd) {
        tc_model *mem = NULL, *copied = NULL;
        memcpy(odd + 1, hb, hl);   /* the data at an odd address (the header: 8 bytes + 8k) */
        CHECK(tc_model_load_memory("(mem)", json, jl, NULL, 0, hb, hl, &mem, &err) == TC_OK);
        CHECK(tc_model_load_memory("(mem)", json, jl, NULL, 0, odd + 1, hl, &copied, &err) ==
              TC_OK);
        if (mem && copied) {
            CHECK(storage_is(mem, 1) && storage_is(copied, 1));
            CHECK(forms_inside(mem->w16[TC_W_EMBEDDING], hb, hl));
            CHECK(mem->owned16[TC_W_EMBEDDING] == NULL);
            CHECK(copied->w16[TC_W_EMBEDDING] == copied->owned16[TC_W_EMBEDDING]);
            CHECK(!forms_inside(copied->w16[TC_W_EMBEDDING], odd, hl + 1));
            CHECK(copied->st.bytes == NULL);   /* nothing in place: released (not freed: lent) */
            CHECK(forms_same_results_both_loops(mem, f_path));
            CHECK(forms_same_results_both_loops(copied, f_path));
        }
        tc_model_free(mem);
        tc_model_free(copied);
    }
    free(json);
    free(odd);
    free(hb);
    free(h2b);
    free(gb);
done:
    tc_model_free(h);
    tc_model_free(f);
    tc_model_free(g);
    tc_model_free(h2);
}

/* Removes every file of dir, then dir. */
void forms_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    char path[512];
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    if (d) closedir(d);
    rmdir(dir);
}

void forms_each_model(const char *dir_template, void (*check)(const char *src, const char *dir))
{
    /* with character n-grams (d = 8) and without (d = 48, trained in PyTorch, 4,000+ tokens) */
    static const char *const sources[] = {"tests/models/tiny-ngram.json",
                                          "tests/models/demo-lang.json"};
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        char dir[64];
        snprintf(dir, sizeof dir, "%s", dir_template);
        CHECK(mkdtemp(dir) != NULL);
        check(sources[i], dir);
        forms_remove_dir(dir);
    }
}

void test_f16(void)
{
    int round_trip = 1, nan_ok = 1;
    for (uint32_t h = 0; h < 65536; h++) {
        float f = tc_f16_to_f32((uint16_t)h);
        uint16_t back = tc_f32_to_f16(f);
        if (tc_f16_is_nonfinite((uint16_t)h) && (h & 0x3ff)) nan_ok &= isnan(f) && (back & 0x3ff) && tc_f16_is_nonfinite(back);
        else round_trip &= back == h;
    }
    CHECK(round_trip);
    CHECK(nan_ok);

    /* halfway between two halves: ties to even; a hair above rounds up */
    int ties = 1;
    for (uint32_t h = 0; h < 0x7bff; h++) {                 /* finite, positive, not the largest */
        float lo = tc_f16_to_f32((uint16_t)h), hi = tc_f16_to_f32((uint16_t)(h + 1));
        float mid = lo + (hi - lo) / 2;                      /* exact in float32 */
        uint16_t even = (h & 1) ? (uint16_t)(h + 1) : (uint16_t)h;
        ties &= tc_f32_to_f16(mid) == even && tc_f32_to_f16(next_up(mid)) == h + 1 &&
                tc_f32_to_f16(-mid) == (0x8000 | even);
    }
    CHECK(ties);

    CHECK(tc_f32_to_f16(65504.0f) == 0x7bff);               /* the largest half */
    CHECK(tc_f32_to_f16(65519.99f) == 0x7bff);              /* below the midpoint to 65536 */
    CHECK(tc_f32_to_f16(65520.0f) == 0x7c00);               /* the midpoint: to even = Inf */
    CHECK(tc_f32_to_f16(-1e9f) == 0xfc00 && tc_f16_is_nonfinite(tc_f32_to_f16(-1e9f)));
    CHECK(tc_f32_to_f16(INFINITY) == 0x7c00);
    CHECK(tc_f32_to_f16(ldexpf(1, -25)) == 0);              /* half the least subnormal: to even 0 */
    CHECK(tc_f32_to_f16(next_up(ldexpf(1, -25))) == 1);
    CHECK(tc_f32_to_f16(ldexpf(1, -26)) == 0 && tc_f32_to_f16(-ldexpf(1, -30)) == 0x8000);
    CHECK(tc_f32_to_f16(ldexpf(1, -14)) == 0x400);          /* the least normal */
    CHECK(tc_f32_to_f16(1.0f) == 0x3c00 && tc_f32_to_f16(-2.0f) == 0xc000);
    CHECK(tc_f32_to_f16(0.1f) == 0x2e66);                   /* numpy.float16(0.1).view('u2') */

#ifdef __FLT16_MAX__
    /* the compiler's conversion (IEEE, round to nearest even) over a sweep of float32 values */
    int agree = 1;
    for (uint32_t x = 0; x < 0x80000000u; x += 4099) {
        float f;
        memcpy(&f, &x, 4);
        if (isnan(f)) continue;
        _Float16 g = (_Float16)f;
        uint16_t want;
        memcpy(&want, &g, 2);
        agree &= tc_f32_to_f16(f) == want && tc_f32_to_f16(-f) == (want | 0x8000);
    }
    CHECK(agree);
#endif

    forms_each_model("/tmp/textclf-f16-XXXXXX", check_f16_model);
}
