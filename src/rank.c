/*
 * rank.c - the k most probable labels, in a fixed order shared by every command.
 */
#include "rank.h"
#include "textclf.h"

/* a ranks before b: higher probability, or equal probability and lower index */
static int better(const float *p, int a, int b)
{
    return p[a] > p[b] || (p[a] == p[b] && a < b);
}

/* Restores the heap property below i in a heap whose root is the worst kept label. */
static void sift_down(const float *p, int *h, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && better(p, h[w], h[l])) w = l;
        if (r < n && better(p, h[w], h[r])) w = r;
        if (w == i) return;
        int t = h[i]; h[i] = h[w]; h[w] = t;
        i = w;
    }
}

int tc_rank_kept(const float *probs, int n, const unsigned char *skip, int k, int *order)
{
    if (!probs || !order || n <= 0 || k <= 0) return 0;
    if (k > n) k = n;
    /* a heap of the k best so far, worst at the root: O(n log k), no allocation */
    int size = 0;   /* labels in the heap */
    for (int c = 0; c < n; c++) {
        if (skip && skip[c]) continue;
        if (size < k) {
            order[size] = c;
            for (int i = size++; i > 0;) {   /* sift up */
                int parent = (i - 1) / 2;
                if (!better(probs, order[parent], order[i])) break;
                int t = order[i]; order[i] = order[parent]; order[parent] = t;
                i = parent;
            }
        } else if (better(probs, c, order[0])) {
            order[0] = c;
            sift_down(probs, order, k, 0);
        }
    }
    /* heap sort: repeatedly move the worst to the end, leaving best first */
    for (int end = size - 1; end > 0; end--) {
        int t = order[0]; order[0] = order[end]; order[end] = t;
        sift_down(probs, order, end, 0);
    }
    return size;
}

int tc_rank_labels(const float *probs, int n, int k, int *order)
{
    return tc_rank_kept(probs, n, NULL, k, order);
}
