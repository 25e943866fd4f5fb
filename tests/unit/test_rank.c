/*
 * tc_rank_labels: the k most probable labels, ties broken by lower index, for k small and large;
 * tc_rank_kept: the same among the labels a mask leaves.
 */
#include "rank.h"
#include "test.h"
#include "textclf.h"

void test_rank(void);

/* 1 if label a ranks before label b by probs: higher, or equal and a lower index */
static int before(const float *probs, int a, int b)
{
    return probs[a] > probs[b] || (probs[a] == probs[b] && a < b);
}

void test_rank(void)
{
    static const float p[8] = {0.1f, 0.3f, 0.05f, 0.3f, 0.0f, 0.2f, 0.05f, 0.0f};
    int order[8];
    CHECK(tc_rank_labels(p, 8, 3, order) == 3);
    CHECK(order[0] == 1 && order[1] == 3 && order[2] == 5);     /* tie 1 vs 3: lower first */
    CHECK(tc_rank_labels(p, 8, 100, order) == 8);                 /* k > n: everything */
    static const int all[8] = {1, 3, 5, 0, 2, 6, 4, 7};
    int same = 1;
    for (int i = 0; i < 8; i++) same &= order[i] == all[i];
    CHECK(same);
    CHECK(tc_rank_labels(p, 8, 1, order) == 1 && order[0] == 1);
    CHECK(tc_rank_labels(p, 8, 0, order) == 0);
    /* many labels: agrees with a straightforward selection */
    enum { N = 1000 };
    static float q[N];
    static int big[N];
    unsigned s = 3;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        q[i] = (float)((s >> 16) % 50) / 50.0f;   /* many ties */
    }
    CHECK(tc_rank_labels(q, N, N, big) == N);
    int sorted = 1;
    for (int i = 1; i < N; i++) sorted &= before(q, big[i - 1], big[i]);
    CHECK(sorted);

    /* a mask: the ranking of everything with the masked labels taken out, for every k */
    static const unsigned char skip[8] = {0, 1, 0, 0, 1, 0, 0, 1};
    static const int kept[5] = {3, 5, 0, 2, 6};   /* all[] without 1, 4, 7 */
    for (int k = 0; k <= 8; k++) {
        int n = tc_rank_kept(p, 8, skip, k, order), same_k = n == (k < 5 ? k : 5);
        for (int i = 0; same_k && i < n; i++) same_k = order[i] == kept[i];
        CHECK(same_k);
    }
    static const unsigned char none[8] = {0};
    CHECK(tc_rank_kept(p, 8, none, 8, order) == 8 && order[0] == 1 && order[7] == 7);
    static unsigned char odd[N];
    for (int i = 0; i < N; i++) odd[i] = i % 2;
    int n = tc_rank_kept(q, N, odd, N, big), even = n == N / 2;
    for (int i = 0; even && i < n; i++)
        even = big[i] % 2 == 0 && (!i || before(q, big[i - 1], big[i]));
    CHECK(even);
}
