/*
 * Forward passes on a small model against a direct double-precision evaluation of the formulas in
 * docs/model-format.md (the PyTorch parity test in tests/parity/ is the external reference):
 * tc_forward (the reference form) and tc_infer (classification's rearranged form; with and
 * without its projection tables, and from several threads filling the tables at once). With the
 * embedding held as F16 (as an F16 model's is), both give the float32 table's bits.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "infer.h"
#include "model.h"
#include "test.h"

void test_forward(void);

/* The sizes of a test model. The race below uses the tiny one, with its compile-time sizes. */
typedef struct {
    int V, D, HEADS, HD, L, HID, C;
} shape;

enum { V = 5, D = 4, HEADS = 2, HD = 3, HH = HEADS * HD, L = 6, HID = 5, C = 3 };

static const shape shapes[] = {
    {V, D, HEADS, HD, L, HID, C},   /* tiny: every loop's remainder path */
    /* d = 64 with 4 heads: the unrolled hd = 16 scores, keys in groups of 32 (T > 32) and a tail
     * of 8, layers 32 and 8 outputs wide with a remainder (hidden 42, 10 classes) */
    {60, 64, 4, 16, 45, 42, 10},
    /* d = 20: F16 rows converted 8 at a time and then 4 */
    {30, 20, 2, 6, 12, 9, 4},
};

/* A model's weights, malloc'd by model_init (model_free frees them). */
typedef struct {
    float *emb, *pos, *wi, *bi, *wo, *bo, *w1, *b1, *w2, *b2;
} weights;

static void fill(float *p, int n, unsigned *seed, float scale)
{
    for (int i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        p[i] = scale * (((*seed >> 8) & 0xffff) / 32768.0f - 1.0f);
    }
}

static float *filled(int n, unsigned *seed, float scale)
{
    float *p = malloc((size_t)n * sizeof *p);
    if (p) fill(p, n, seed, scale);
    return p;
}

/* Random weights of shape z in m (and w, which owns them). Weights into a layer of n inputs are
 * scaled by 2/√n, so that every shape's attention is far from uniform and its logits O(1). */
static int model_init(tc_model *m, weights *w, const shape *z)
{
    unsigned seed = 7;
    int hh = z->HEADS * z->HD;
    float k = 2.0f / sqrtf((float)z->D);
    w->emb = filled(z->V * z->D, &seed, 1);
    w->pos = filled(z->L * z->D, &seed, 0.5f);
    w->wi = filled(3 * hh * z->D, &seed, 1.5f * k);
    w->bi = filled(3 * hh, &seed, 0.5f);
    w->wo = filled(z->D * hh, &seed, 2.0f / sqrtf((float)hh));
    w->bo = filled(z->D, &seed, 0.5f);
    w->w1 = filled(z->HID * z->D, &seed, 0.5f * k);
    w->b1 = filled(z->HID, &seed, 0.5f);
    w->w2 = filled(z->C * z->HID, &seed, 1.0f / sqrtf((float)z->HID));
    w->b2 = filled(z->C, &seed, 0.5f);
    memset(m, 0, sizeof *m);
    m->dim = z->D; m->heads = z->HEADS; m->head_dim = z->HD; m->max_len = z->L;
    m->hidden = z->HID; m->num_labels = z->C;
    m->w[TC_W_EMBEDDING] = w->emb; m->w[TC_W_POSITION] = w->pos;
    m->w[TC_W_IN_PROJ] = w->wi; m->w[TC_W_IN_PROJ_B] = w->bi;
    m->w[TC_W_OUT_PROJ] = w->wo; m->w[TC_W_OUT_PROJ_B] = w->bo;
    m->w[TC_W_HIDDEN] = w->w1; m->w[TC_W_HIDDEN_B] = w->b1;
    m->w[TC_W_CLS] = w->w2; m->w[TC_W_CLS_B] = w->b2;
    m->vocab.size = z->V;   /* what the projection tables are sized by */
    tc_model_positions_init(m, NULL);   /* learned: points at w->pos, allocates nothing */
    return w->emb && w->pos && w->wi && w->bi && w->wo && w->bo && w->w1 && w->b1 && w->w2 &&
           w->b2;
}

static void model_free(weights *w)
{
    float **all[] = {&w->emb, &w->pos, &w->wi, &w->bi, &w->wo, &w->bo, &w->w1, &w->b1, &w->w2,
                     &w->b2};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) free(*all[i]);
}

static double act(double x, int a)
{
    if (a == 0) return x > 0 ? x : 0;
    if (a == 1) return 0.5 * x * (1 + erf(x / sqrt(2.0)));
    return tanh(x);
}

/* The network, written out with plain loops in double precision (z: the model's sizes). */
static void reference(const tc_model *m, const shape *z, const int32_t *ids, int T, double *probs)
{
    int D_ = z->D, HD_ = z->HD, HH_ = z->HEADS * z->HD, HID_ = z->HID, C_ = z->C;
    double *x = calloc((size_t)z->L * D_, sizeof *x), *qkv = calloc((size_t)z->L * 3 * HH_, 8);
    double *o = calloc((size_t)z->L * HH_, 8), *pooled = calloc((size_t)D_, 8);
    double *h = calloc((size_t)HID_, 8), *lg = calloc((size_t)C_, 8), *a = calloc((size_t)z->L, 8);
    if (!x || !qkv || !o || !pooled || !h || !lg || !a) abort();
    for (int t = 0; t < T; t++)
        for (int i = 0; i < D_; i++)
            x[t * D_ + i] = (double)m->w[TC_W_EMBEDDING][ids[t] * D_ + i] +
                            m->w[TC_W_POSITION][t * D_ + i];
    for (int t = 0; t < T; t++)
        for (int r = 0; r < 3 * HH_; r++) {
            double s = m->w[TC_W_IN_PROJ_B][r];
            for (int i = 0; i < D_; i++)
                s += (double)m->w[TC_W_IN_PROJ][r * D_ + i] * x[t * D_ + i];
            qkv[t * 3 * HH_ + r] = s;
        }
    for (int j = 0; j < z->HEADS; j++)
        for (int t = 0; t < T; t++) {
            double max = -1e300, sum = 0;
            for (int u = 0; u < T; u++) {
                double s = 0;
                for (int e = 0; e < HD_; e++)
                    s += qkv[t * 3 * HH_ + j * HD_ + e] * qkv[u * 3 * HH_ + HH_ + j * HD_ + e];
                a[u] = s / sqrt((double)HD_);
                if (a[u] > max) max = a[u];
            }
            for (int u = 0; u < T; u++) sum += (a[u] = exp(a[u] - max));
            for (int e = 0; e < HD_; e++) {
                double s = 0;
                for (int u = 0; u < T; u++)
                    s += a[u] / sum * qkv[u * 3 * HH_ + 2 * HH_ + j * HD_ + e];
                o[t * HH_ + j * HD_ + e] = s;
            }
        }
    for (int t = 0; t < T; t++)
        for (int i = 0; i < D_; i++) {
            double s = m->w[TC_W_OUT_PROJ_B][i];
            for (int e = 0; e < HH_; e++)
                s += (double)m->w[TC_W_OUT_PROJ][i * HH_ + e] * o[t * HH_ + e];
            if (m->residual) s += x[t * D_ + i];
            pooled[i] += s / T;
        }
    for (int r = 0; r < HID_; r++) {
        double s = m->w[TC_W_HIDDEN_B][r];
        for (int i = 0; i < D_; i++) s += (double)m->w[TC_W_HIDDEN][r * D_ + i] * pooled[i];
        h[r] = act(s, (int)m->activation);
    }
    double max = -1e300, sum = 0;
    for (int c = 0; c < C_; c++) {
        double s = m->w[TC_W_CLS_B][c];
        for (int r = 0; r < HID_; r++) s += (double)m->w[TC_W_CLS][c * HID_ + r] * h[r];
        lg[c] = s;
        if (s > max) max = s;
    }
    for (int c = 0; c < C_; c++) sum += exp(lg[c] - max);
    for (int c = 0; c < C_; c++) probs[c] = exp(lg[c] - max) / sum;
    free(x); free(qkv); free(o); free(pooled); free(h); free(lg); free(a);
}

typedef struct {
    const tc_model *m;
    const int32_t *ids;
    float (*want)[C];
    int same;
} racer;

/* classifies every prefix of ids many times; same = 1 if every result had want's bits */
static void *race(void *arg)
{
    racer *r = arg;
    tc_infer_state s;
    if (tc_infer_state_init(&s, r->m, NULL) != TC_OK) return NULL;
    int same = 1;
    for (int rep = 0; rep < 200; rep++)
        for (int T = L; T >= 0; T--) {
            float p[C];
            tc_infer(r->m, &s, r->ids, NULL, T, p);
            same &= memcmp(p, r->want[T], sizeof p) == 0;
        }
    tc_infer_state_free(&s);
    r->same = same;
    return NULL;
}

/* Every prefix of ids[0..z->L), through tc_forward and tc_infer (with and without tables, both
 * loop sets, each activation, with and without the residual), against the reference. */
static void check_shape(const shape *z)
{
    tc_model m;
    weights w;
    CHECK(model_init(&m, &w, z));
    int32_t *ids = malloc((size_t)z->L * sizeof *ids);
    float *p = malloc((size_t)z->C * sizeof *p), *q = malloc((size_t)z->C * sizeof *q);
    double *want = malloc((size_t)z->C * sizeof *want);
    CHECK(ids && p && q && want);
    for (int t = 0; t < z->L; t++) ids[t] = (int32_t)((t * 7 + t * t) % z->V);   /* repeats */
    /* m16: m with its embedding held as F16, the halves of m's, which are rounded to them */
    size_t ne = (size_t)z->V * z->D;
    uint16_t *emb16 = malloc(ne * sizeof *emb16);
    float *p16 = malloc((size_t)z->C * sizeof *p16), *q16 = malloc((size_t)z->C * sizeof *q16);
    CHECK(emb16 && p16 && q16);
    for (size_t i = 0; i < ne; i++) {
        emb16[i] = tc_f32_to_f16(w.emb[i]);
        w.emb[i] = tc_f16_to_f32(emb16[i]);
    }
    tc_model m16 = m;
    m16.w[TC_W_EMBEDDING] = NULL;
    m16.w16[TC_W_EMBEDDING] = emb16;
    int same16 = 1;
    tc_forward_state rs;
    CHECK(tc_forward_state_init(&rs, &m, NULL) == TC_OK);
    tc_infer_state is;
    CHECK(tc_infer_state_init(&is, &m, NULL) == TC_OK);
    double worst = 0;
    for (int tables = 0; tables <= 1; tables++)
        for (int baseline = 0; baseline <= 1; baseline++)
            for (int residual = 0; residual <= 1; residual++)
                for (int a = 0; a < 3; a++) {
                    m.residual = m16.residual = residual;
                    m.activation = m16.activation = (tc_activation)a;
                    CHECK(tc_infer_cache_init(&m, tables ? TC_INFER_TABLE_MAX : 0, NULL) == TC_OK);
                    CHECK(tc_infer_cache_init(&m16, tables ? TC_INFER_TABLE_MAX : 0, NULL) ==
                          TC_OK);
                    if (baseline) tc_infer_cache_use_baseline(m.infer);
                    if (baseline) tc_infer_cache_use_baseline(m16.infer);
                    for (int pass = 0; pass < 2; pass++)   /* tables empty, then filled */
                        for (int T = 0; T <= z->L; T++) {
                            double sum = 0;
                            tc_forward(&m, &rs, ids, NULL, T, p);
                            tc_infer(&m, &is, ids, NULL, T, q);
                            tc_forward(&m16, &rs, ids, NULL, T, p16);
                            tc_infer(&m16, &is, ids, NULL, T, q16);
                            same16 &= memcmp(p, p16, (size_t)z->C * sizeof *p) == 0 &&
                                      memcmp(q, q16, (size_t)z->C * sizeof *q) == 0;
                            reference(&m, z, ids, T, want);
                            for (int c = 0; c < z->C; c++) {
                                worst = fmax(worst, fabs(q[c] - want[c]));
                                CHECK_NEAR(p[c], want[c], 2e-6);
                                CHECK_NEAR(q[c], want[c], 2e-6);
                                CHECK(p[c] >= 0 && p[c] <= 1);
                                sum += p[c];
                            }
                            CHECK_NEAR(sum, 1, 1e-6);
                        }
                    tc_infer_cache_free(m.infer);
                    tc_infer_cache_free(m16.infer);
                    m.infer = m16.infer = NULL;
                }
    CHECK(same16);
    if (worst > 1e-6) printf("  forward d=%d: tc_infer %.2g from the reference\n", z->D, worst);
    tc_forward_state_free(&rs);
    tc_infer_state_free(&is);
    free(ids); free(p); free(q); free(want);
    free(emb16); free(p16); free(q16);
    model_free(&w);
}

/* A vocabulary whose projection table spans whole 2 MiB pieces (6,000 rows of 2H = 128 floats:
 * 3 MB), which are collapsed into huge pages as they fill (infer.c, hugemem.h), by two threads at
 * once: every document's probabilities have the bits of the same model without a table, before,
 * during and after the collapse. Whether the kernel made a huge page is not checked: that is
 * the machine's setting, and the results must not depend on it. */
typedef struct {
    const tc_model *m;
    const float *want;   /* [NDOC, C] */
    int first, same;
} big_racer;

enum { BIG_DOCS = 600, BIG_T = 20, BIG_C = 10 };

static void big_doc(int k, int32_t *ids, int V_)
{
    for (int t = 0; t < BIG_T; t++) ids[t] = (int32_t)(((long)k * BIG_T + t) * 7919 % V_);
}

static void *big_race(void *arg)
{
    big_racer *r = arg;
    tc_infer_state s;
    if (tc_infer_state_init(&s, r->m, NULL) != TC_OK) return NULL;
    int same = 1;
    for (int n = 0; n < BIG_DOCS; n++) {
        int k = (r->first + n) % BIG_DOCS;   /* the two threads start at different documents */
        int32_t ids[BIG_T];
        float p[BIG_C];
        big_doc(k, ids, r->m->vocab.size);
        tc_infer(r->m, &s, ids, NULL, BIG_T, p);
        same &= memcmp(p, r->want + (size_t)k * BIG_C, sizeof p) == 0;
    }
    tc_infer_state_free(&s);
    r->same = same;
    return NULL;
}

static void check_big_table(void)
{
    static const shape z = {6000, 64, 4, 16, BIG_T, 42, BIG_C};
    tc_model m;
    weights w;
    CHECK(model_init(&m, &w, &z));
    m.residual = 1;
    m.activation = TC_ACT_GELU;
    float *want = malloc((size_t)BIG_DOCS * BIG_C * sizeof *want);
    CHECK(want != NULL);
    tc_infer_state s;
    CHECK(tc_infer_cache_init(&m, 0, NULL) == TC_OK);   /* no table */
    CHECK(tc_infer_state_init(&s, &m, NULL) == TC_OK);
    for (int k = 0; k < BIG_DOCS; k++) {
        int32_t ids[BIG_T];
        big_doc(k, ids, z.V);
        tc_infer(&m, &s, ids, NULL, BIG_T, want + (size_t)k * BIG_C);
    }
    tc_infer_state_free(&s);
    tc_infer_cache_free(m.infer);
    /* 600 documents of 20 tokens fill ~5,000 of the 6,000 rows: the first piece's 4,096 rows
     * pass the collapse point (1/8 of them) */
    CHECK(tc_infer_cache_init(&m, TC_INFER_TABLE_MAX, NULL) == TC_OK);
    big_racer r[2] = {{.m = &m, .want = want, .first = 0}, {.m = &m, .want = want, .first = 300}};
    pthread_t tid[2];
    for (int k = 0; k < 2; k++) CHECK(pthread_create(&tid[k], NULL, big_race, &r[k]) == 0);
    for (int k = 0; k < 2; k++) {
        pthread_join(tid[k], NULL);
        CHECK(r[k].same);
    }
    big_race(&r[0]);   /* the table full: again */
    CHECK(r[0].same);
    tc_infer_cache_free(m.infer);
    m.infer = NULL;
    free(want);
    model_free(&w);
}

void test_forward(void)
{
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) check_shape(&shapes[i]);
    check_big_table();

    tc_model m;
    weights w;
    CHECK(model_init(&m, &w, &shapes[0]));
    static const int32_t ids[L] = {1, 4, 2, 2, 0, 3};
    tc_infer_state is;

    /* threads racing to fill the tables get the single-threaded bits */
    m.residual = 1;
    m.activation = TC_ACT_RELU;
    CHECK(tc_infer_cache_init(&m, TC_INFER_TABLE_MAX, NULL) == TC_OK);
    float want[L + 1][C];
    CHECK(tc_infer_state_init(&is, &m, NULL) == TC_OK);
    for (int T = 0; T <= L; T++) tc_infer(&m, &is, ids, NULL, T, want[T]);
    tc_infer_state_free(&is);
    tc_infer_cache_free(m.infer);
    CHECK(tc_infer_cache_init(&m, TC_INFER_TABLE_MAX, NULL) == TC_OK);   /* empty tables again */
    enum { NT = 4 };
    racer r[NT];
    pthread_t tid[NT];
    for (int k = 0; k < NT; k++) {
        r[k] = (racer){.m = &m, .ids = ids, .want = want, .same = 0};
        CHECK(pthread_create(&tid[k], NULL, race, &r[k]) == 0);
    }
    for (int k = 0; k < NT; k++) {
        pthread_join(tid[k], NULL);
        CHECK(r[k].same);
    }
    tc_infer_cache_free(m.infer);
    m.infer = NULL;
    model_free(&w);
}
