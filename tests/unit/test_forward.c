/*
 * Forward passes on a small model against a direct double-precision evaluation of the formulas in
 * docs/model-format.md (the PyTorch parity test in tests/parity/ is the external reference):
 * tc_forward (the reference form) and tc_infer (classification's rearranged form; with and
 * without its projection tables, and from several threads filling the tables at once).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "infer.h"
#include "model.h"
#include "test.h"

void test_forward(void);

enum { V = 5, D = 4, HEADS = 2, HD = 3, HH = HEADS * HD, L = 6, HID = 5, C = 3 };

static float emb[V * D], pos[L * D], wi[3 * HH * D], bi[3 * HH], wo[D * HH], bo[D];
static float w1[HID * D], b1[HID], w2[C * HID], b2[C];

static void fill(float *p, int n, unsigned *seed, float scale)
{
    for (int i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        p[i] = scale * (((*seed >> 8) & 0xffff) / 32768.0f - 1.0f);
    }
}

static double act(double x, int a)
{
    if (a == 0) return x > 0 ? x : 0;
    if (a == 1) return 0.5 * x * (1 + erf(x / sqrt(2.0)));
    return tanh(x);
}

/* The network, written out with plain loops in double precision. */
static void reference(const tc_model *m, const int32_t *ids, int T, double *probs)
{
    double x[L][D], qkv[L][3 * HH], o[L][HH], pooled[D] = {0}, h[HID], z[C];
    for (int t = 0; t < T; t++)
        for (int i = 0; i < D; i++) x[t][i] = (double)emb[ids[t] * D + i] + pos[t * D + i];
    for (int t = 0; t < T; t++)
        for (int r = 0; r < 3 * HH; r++) {
            double s = bi[r];
            for (int i = 0; i < D; i++) s += (double)wi[r * D + i] * x[t][i];
            qkv[t][r] = s;
        }
    for (int j = 0; j < HEADS; j++)
        for (int t = 0; t < T; t++) {
            double a[L], max = -1e300, sum = 0;
            for (int u = 0; u < T; u++) {
                double s = 0;
                for (int e = 0; e < HD; e++) s += qkv[t][j * HD + e] * qkv[u][HH + j * HD + e];
                a[u] = s / sqrt((double)HD);
                if (a[u] > max) max = a[u];
            }
            for (int u = 0; u < T; u++) sum += (a[u] = exp(a[u] - max));
            for (int e = 0; e < HD; e++) {
                double s = 0;
                for (int u = 0; u < T; u++) s += a[u] / sum * qkv[u][2 * HH + j * HD + e];
                o[t][j * HD + e] = s;
            }
        }
    for (int t = 0; t < T; t++)
        for (int i = 0; i < D; i++) {
            double s = bo[i];
            for (int e = 0; e < HH; e++) s += (double)wo[i * HH + e] * o[t][e];
            if (m->residual) s += x[t][i];
            pooled[i] += s / T;
        }
    for (int r = 0; r < HID; r++) {
        double s = b1[r];
        for (int i = 0; i < D; i++) s += (double)w1[r * D + i] * pooled[i];
        h[r] = act(s, (int)m->activation);
    }
    double max = -1e300, sum = 0;
    for (int c = 0; c < C; c++) {
        double s = b2[c];
        for (int r = 0; r < HID; r++) s += (double)w2[c * HID + r] * h[r];
        z[c] = s;
        if (s > max) max = s;
    }
    for (int c = 0; c < C; c++) sum += exp(z[c] - max);
    for (int c = 0; c < C; c++) probs[c] = exp(z[c] - max) / sum;
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
            tc_infer(r->m, &s, r->ids, T, p);
            same &= memcmp(p, r->want[T], sizeof p) == 0;
        }
    tc_infer_state_free(&s);
    r->same = same;
    return NULL;
}

void test_forward(void)
{
    unsigned seed = 7;
    fill(emb, V * D, &seed, 1);
    fill(pos, L * D, &seed, 0.5f);
    fill(wi, 3 * HH * D, &seed, 1.5f);   /* large enough that attention is far from uniform */
    fill(bi, 3 * HH, &seed, 0.5f);
    fill(wo, D * HH, &seed, 1);
    fill(bo, D, &seed, 0.5f);
    fill(w1, HID * D, &seed, 1);
    fill(b1, HID, &seed, 0.5f);
    fill(w2, C * HID, &seed, 1);
    fill(b2, C, &seed, 0.5f);
    tc_model m;
    memset(&m, 0, sizeof m);
    m.dim = D; m.heads = HEADS; m.head_dim = HD; m.max_len = L; m.hidden = HID; m.num_labels = C;
    m.embedding = emb; m.position = pos; m.in_proj_w = wi; m.in_proj_b = bi;
    m.out_proj_w = wo; m.out_proj_b = bo; m.hidden_w = w1; m.hidden_b = b1;
    m.cls_w = w2; m.cls_b = b2;
    m.vocab.size = V;   /* what the projection tables are sized by */
    tc_run_state rs;
    CHECK(tc_run_state_init(&rs, &m, NULL) == TC_OK);
    tc_infer_state is;
    CHECK(tc_infer_state_init(&is, &m, NULL) == TC_OK);

    static const int32_t ids[L] = {1, 4, 2, 2, 0, 3};
    for (int tables = 0; tables <= 1; tables++)
        for (int residual = 0; residual <= 1; residual++)
            for (int a = 0; a < 3; a++) {
                m.residual = residual;
                m.activation = (tc_activation)a;
                CHECK(tc_qk_cache_init(&m, tables ? TC_QK_CACHE_MAX : 0, NULL) == TC_OK);
                for (int pass = 0; pass < 2; pass++)   /* tables empty, then filled */
                    for (int T = 0; T <= L; T++) {
                        float p[C], q[C];
                        double want[C], sum = 0;
                        tc_forward(&m, &rs, ids, T, p);
                        tc_infer(&m, &is, ids, T, q);
                        reference(&m, ids, T, want);
                        for (int c = 0; c < C; c++) {
                            CHECK_NEAR(p[c], want[c], 2e-6);
                            CHECK_NEAR(q[c], want[c], 2e-6);
                            CHECK(p[c] >= 0 && p[c] <= 1);
                            sum += p[c];
                        }
                        CHECK_NEAR(sum, 1, 1e-6);
                    }
                tc_qk_cache_free(m.qk);
                m.qk = NULL;
            }
    tc_run_state_free(&rs);
    tc_infer_state_free(&is);

    /* threads racing to fill the tables get the single-threaded bits */
    m.residual = 1;
    m.activation = TC_ACT_RELU;
    CHECK(tc_qk_cache_init(&m, TC_QK_CACHE_MAX, NULL) == TC_OK);
    float want[L + 1][C];
    CHECK(tc_infer_state_init(&is, &m, NULL) == TC_OK);
    for (int T = 0; T <= L; T++) tc_infer(&m, &is, ids, T, want[T]);
    tc_infer_state_free(&is);
    tc_qk_cache_free(m.qk);
    CHECK(tc_qk_cache_init(&m, TC_QK_CACHE_MAX, NULL) == TC_OK);   /* empty tables again */
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
    tc_qk_cache_free(m.qk);
    m.qk = NULL;
}
