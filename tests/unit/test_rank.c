/*
 * tc_rank_labels: the k most probable labels, ties broken by lower index, for k small and large.
 */
#include "test.h"
#include "textclf.h"

void test_rank(void);

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
    for (int i = 1; i < N; i++)
        sorted &= q[big[i - 1]] > q[big[i]] || (q[big[i - 1]] == q[big[i]] && big[i - 1] < big[i]);
    CHECK(sorted);
}
