/*
 * test_metrics.c - every metric of `textclf test` against values computed by hand.
 *
 * The expected numbers are worked out in the comments from the confusion matrix, not re-derived
 * with the code under test.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "test.h"

#define TOL 1e-12

void test_metrics(void);

/*
 * Labels: A=0, B=1, C=2, D=3, E=4. C is never predicted, D is never a gold label, E is neither
 * (it must not count in the macro averages). Ten examples, gold label and the two best
 * predictions:
 *
 *   #   gold  top-2   top-1 right?  gold in top 2?
 *   1   A     A B     yes           yes
 *   2   A     A C     yes           yes
 *   3   A     B A     no (B)        yes
 *   4   A     D B     no (D)        no
 *   5   B     B A     yes           yes
 *   6   B     A B     no (A)        yes
 *   7   B     B D     yes           yes
 *   8   C     A C     no (A)        yes
 *   9   C     B A     no (B)        no
 *  10   C     D C     no (D)        yes
 *
 * Confusion matrix (rows gold, columns top-1):
 *
 *        A  B  C  D  E   support
 *   A    2  1  0  1  0   4
 *   B    1  2  0  0  0   3
 *   C    1  1  0  1  0   3
 *   D    0  0  0  0  0   0
 *   E    0  0  0  0  0   0
 *   pred 4  4  0  2  0
 *
 * accuracy = (2 + 2) / 10 = 0.4
 * hits@2 = examples 1 2 3 5 6 7 8 10 = 8: P@2 = 8 / (2 * 10) = 0.4, R@2 = 8 / 10 = 0.8
 *
 *   A: TP 2, predicted 4, support 4: P = 2/4 = 0.5, R = 2/4 = 0.5, F1 = 0.5
 *   B: TP 2, predicted 4, support 3: P = 0.5, R = 2/3, F1 = 2 * 0.5 * 2/3 / (0.5 + 2/3)
 *      = (2/3) / (7/6) = 4/7
 *   C: TP 0, predicted 0 (P = 0/0 -> 0), support 3: R = 0, F1 = 0
 *   D: TP 0, predicted 2: P = 0, support 0 (R = 0/0 -> 0), F1 = 0
 *   E: absent from gold and predictions: all 0, not present
 *
 * macro over the 4 present labels A B C D:
 *   P = (0.5 + 0.5 + 0 + 0) / 4 = 0.25
 *   R = (0.5 + 2/3 + 0 + 0) / 4 = (7/6) / 4 = 7/24
 *   F1 = (0.5 + 4/7 + 0 + 0) / 4 = (15/14) / 4 = 15/56
 * weighted by support (4, 3, 3, 0) over 10:
 *   P = (4 * 0.5 + 3 * 0.5) / 10 = 0.35
 *   R = (4 * 0.5 + 3 * 2/3) / 10 = 0.4 (weighted recall always equals accuracy)
 *   F1 = (4 * 0.5 + 3 * 4/7) / 10 = (2 + 12/7) / 10 = 13/35
 */
static const int ex_gold[10] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
static const int ex_top2[10][2] = {{0, 1}, {0, 2}, {1, 0}, {3, 1}, {1, 0},
                                   {0, 1}, {1, 3}, {0, 2}, {1, 0}, {3, 2}};

static tc_metrics *hand_example(int k)
{
    tc_metrics *m;
    CHECK(tc_metrics_new(5, k, &m) == TC_OK);
    for (int i = 0; i < 10; i++) CHECK(tc_metrics_add(m, ex_gold[i], ex_top2[i], 2) == TC_OK);
    return m;
}

static void check_label(const tc_metrics *m, int label, int64_t support, int64_t predicted,
                        int64_t correct, double p, double r, double f1, int present)
{
    tc_label_metrics l;
    tc_metrics_label_get(m, label, &l);
    CHECK(l.support == support);
    CHECK(l.predicted == predicted);
    CHECK(l.correct == correct);
    CHECK_NEAR(l.precision, p, TOL);
    CHECK_NEAR(l.recall, r, TOL);
    CHECK_NEAR(l.f1, f1, TOL);
    CHECK(l.present == present);
}

static void test_hand_example_k2(void)
{
    tc_metrics *m = hand_example(2);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.examples == 10);
    CHECK(s.correct == 4);
    CHECK(s.num_labels == 5);
    CHECK(s.present_labels == 4);
    CHECK(s.k == 2);
    CHECK(s.hits_at_k == 8);
    CHECK_NEAR(s.accuracy, 0.4, TOL);
    CHECK_NEAR(s.precision_at_k, 0.4, TOL);
    CHECK_NEAR(s.recall_at_k, 0.8, TOL);
    CHECK_NEAR(s.macro_precision, 0.25, TOL);
    CHECK_NEAR(s.macro_recall, 7.0 / 24.0, TOL);
    CHECK_NEAR(s.macro_f1, 15.0 / 56.0, TOL);
    CHECK_NEAR(s.weighted_precision, 0.35, TOL);
    CHECK_NEAR(s.weighted_recall, 0.4, TOL);
    CHECK_NEAR(s.weighted_f1, 13.0 / 35.0, TOL);

    check_label(m, 0, 4, 4, 2, 0.5, 0.5, 0.5, 1);
    check_label(m, 1, 3, 4, 2, 0.5, 2.0 / 3.0, 4.0 / 7.0, 1);
    check_label(m, 2, 3, 0, 0, 0, 0, 0, 1);
    check_label(m, 3, 0, 2, 0, 0, 0, 0, 1);
    check_label(m, 4, 0, 0, 0, 0, 0, 0, 0);

    /* every cell of the matrix above */
    static const int64_t want[5][5] = {{2, 1, 0, 1, 0}, {1, 2, 0, 0, 0}, {1, 1, 0, 1, 0},
                                       {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}};
    int cells_ok = 1;
    for (int g = 0; g < 5; g++)
        for (int p = 0; p < 5; p++) cells_ok &= tc_metrics_cell(m, g, p) == want[g][p];
    CHECK(cells_ok);

    /* the confusions, most frequent first, ties by gold then predicted:
     * (A,B) 1, (A,D) 1, (B,A) 1, (C,A) 1, (C,B) 1, (C,D) 1 -- all 1, so row-major order */
    tc_confusion_cell *cells;
    size_t n;
    CHECK(tc_metrics_confusions(m, &cells, &n) == TC_OK);
    static const int want_cells[6][2] = {{0, 1}, {0, 3}, {1, 0}, {2, 0}, {2, 1}, {2, 3}};
    CHECK(n == 6);
    for (size_t i = 0; i < n && i < 6; i++) {
        CHECK(cells[i].gold == want_cells[i][0]);
        CHECK(cells[i].predicted == want_cells[i][1]);
        CHECK(cells[i].count == 1);
    }
    free(cells);
    tc_metrics_free(m);
}

/* The same examples with k = 1: only the first prediction of each list counts, so the hits are
 * the 4 correct examples: P@1 = R@1 = 4/10 = accuracy. */
static void test_hand_example_k1(void)
{
    tc_metrics *m = hand_example(1);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.hits_at_k == 4);
    CHECK_NEAR(s.precision_at_k, 0.4, TOL);
    CHECK_NEAR(s.recall_at_k, 0.4, TOL);
    CHECK_NEAR(s.macro_f1, 15.0 / 56.0, TOL);   /* top-1 metrics do not depend on k */
    tc_metrics_free(m);
}

/*
 * A gold label the model does not know is added on the fly (index 2 of a 2-label model) and can
 * never be predicted. Examples (gold -> top-1, top-2 of k = 2 given, both model labels):
 *   X -> X (Y)   Y -> X (Y)   Y -> Y (X)   U -> X (Y)   U -> Y (X)
 * matrix:        X  Y  U   support
 *           X    1  0  0   1
 *           Y    1  1  0   2
 *           U    1  1  0   2
 *      predicted 3  2  0
 *   X: P = 1/3, R = 1/1, F1 = 2 * (1/3) / (4/3) = 1/2
 *   Y: P = 1/2, R = 1/2, F1 = 1/2
 *   U: P = 0 (never predicted), R = 0/2 = 0, F1 = 0
 * accuracy 2/5; macro-F1 = (1/2 + 1/2 + 0) / 3 = 1/3; weighted-F1 = (1 * 1/2 + 2 * 1/2) / 5 = 0.3
 * hits@2: X, Y, Y (the two model labels are always both listed) = 3: P@2 = 3/10, R@2 = 3/5
 */
static void test_unknown_gold_label(void)
{
    tc_metrics *m;
    CHECK(tc_metrics_new(2, 2, &m) == TC_OK);
    static const int xy[2] = {0, 1}, yx[2] = {1, 0};
    CHECK(tc_metrics_add(m, 2, xy, 2) == TC_ERR_ARG);   /* U is not known yet */
    CHECK(tc_metrics_add_labels(m, 1) == TC_OK);
    CHECK(tc_metrics_num_labels(m) == 3);
    CHECK(tc_metrics_add(m, 0, xy, 2) == TC_OK);
    CHECK(tc_metrics_add(m, 1, xy, 2) == TC_OK);
    CHECK(tc_metrics_add(m, 1, yx, 2) == TC_OK);
    CHECK(tc_metrics_add(m, 2, xy, 2) == TC_OK);
    CHECK(tc_metrics_add(m, 2, yx, 2) == TC_OK);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.examples == 5);
    CHECK(s.present_labels == 3);
    CHECK_NEAR(s.accuracy, 0.4, TOL);
    CHECK_NEAR(s.macro_f1, 1.0 / 3.0, TOL);
    CHECK_NEAR(s.weighted_f1, 0.3, TOL);
    CHECK(s.hits_at_k == 3);
    CHECK_NEAR(s.precision_at_k, 0.3, TOL);
    CHECK_NEAR(s.recall_at_k, 0.6, TOL);
    check_label(m, 0, 1, 3, 1, 1.0 / 3.0, 1.0, 0.5, 1);
    check_label(m, 1, 2, 2, 1, 0.5, 0.5, 0.5, 1);
    check_label(m, 2, 2, 0, 0, 0, 0, 0, 1);
    CHECK(tc_metrics_cell(m, 2, 0) == 1);
    CHECK(tc_metrics_cell(m, 2, 1) == 1);
    CHECK(tc_metrics_cell(m, 2, 2) == 0);
    tc_metrics_free(m);
}

/* Confusions are sorted by count: 3 x (B->A), 1 x (A->B), 2 x (C->A); diagonal cells never
 * appear. Expected order: (B,A) 3, (C,A) 2, (A,B) 1. */
static void test_confusions_order(void)
{
    tc_metrics *m;
    CHECK(tc_metrics_new(3, 1, &m) == TC_OK);
    static const int a[1] = {0}, b[1] = {1};
    for (int i = 0; i < 3; i++) CHECK(tc_metrics_add(m, 1, a, 1) == TC_OK);
    CHECK(tc_metrics_add(m, 0, b, 1) == TC_OK);
    CHECK(tc_metrics_add(m, 2, a, 1) == TC_OK);
    CHECK(tc_metrics_add(m, 2, a, 1) == TC_OK);
    CHECK(tc_metrics_add(m, 0, a, 1) == TC_OK);   /* diagonal */
    tc_confusion_cell *cells;
    size_t n;
    CHECK(tc_metrics_confusions(m, &cells, &n) == TC_OK);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(cells[0].gold == 1 && cells[0].predicted == 0 && cells[0].count == 3);
        CHECK(cells[1].gold == 2 && cells[1].predicted == 0 && cells[1].count == 2);
        CHECK(cells[2].gold == 0 && cells[2].predicted == 1 && cells[2].count == 1);
    }
    free(cells);
    tc_metrics_free(m);
}

/* A perfect classifier: every score is 1. No example at all: every number is 0 (no division
 * by zero), no label is present and there is no confusion. */
static void test_perfect_and_empty(void)
{
    tc_metrics *m;
    CHECK(tc_metrics_new(3, 1, &m) == TC_OK);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.examples == 0 && s.present_labels == 0);
    CHECK(s.accuracy == 0 && s.macro_f1 == 0 && s.weighted_f1 == 0);
    CHECK(s.precision_at_k == 0 && s.recall_at_k == 0);
    tc_confusion_cell *cells = (tc_confusion_cell *)1;
    size_t n = 99;
    CHECK(tc_metrics_confusions(m, &cells, &n) == TC_OK);
    CHECK(cells == NULL && n == 0);
    CHECK(tc_metrics_cell(m, 0, 0) == 0);

    for (int c = 0; c < 3; c++) CHECK(tc_metrics_add(m, c, &c, 1) == TC_OK);
    tc_metrics_summary_get(m, &s);
    CHECK(s.accuracy == 1 && s.macro_f1 == 1 && s.weighted_f1 == 1);
    CHECK(s.macro_precision == 1 && s.macro_recall == 1);
    CHECK(s.precision_at_k == 1 && s.recall_at_k == 1);
    CHECK(tc_metrics_confusions(m, &cells, &n) == TC_OK);
    CHECK(cells == NULL && n == 0);
    tc_metrics_free(m);
}

/* Bad arguments are refused and record nothing. */
static void test_bad_arguments(void)
{
    tc_metrics *m = (tc_metrics *)1;
    CHECK(tc_metrics_new(3, 0, &m) == TC_ERR_ARG && m == NULL);
    CHECK(tc_metrics_new(-1, 1, &m) == TC_ERR_ARG && m == NULL);
    CHECK(tc_metrics_new(3, 2, &m) == TC_OK);
    static const int ok[2] = {0, 1}, bad[2] = {0, 3}, neg[2] = {-1, 0};
    CHECK(tc_metrics_add(m, 3, ok, 2) == TC_ERR_ARG);    /* gold out of range */
    CHECK(tc_metrics_add(m, -1, ok, 2) == TC_ERR_ARG);
    CHECK(tc_metrics_add(m, 0, bad, 2) == TC_ERR_ARG);   /* prediction out of range */
    CHECK(tc_metrics_add(m, 0, neg, 2) == TC_ERR_ARG);
    CHECK(tc_metrics_add(m, 0, ok, 1) == TC_ERR_ARG);    /* fewer than k predictions */
    CHECK(tc_metrics_add_labels(m, -1) == TC_ERR_ARG);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.examples == 0 && s.hits_at_k == 0);
    CHECK(tc_metrics_cell(m, 0, 0) == 0);
    tc_metrics_free(m);
}

/*
 * tc_metrics_add_top: the top-1 answer is not the ranking's first (`textclf test` with a model
 * that abstains: labels X=0, Y=1 of the model, U=2 its abstain label). Examples (gold, top,
 * ranked with k = 1):
 *   X, X, [X]   right, hit@1      U, U, [X]   right (an abstention on text in no language), no hit
 *   X, U, [X]   wrong (abstained), hit@1      Y, X, [X]   wrong, no hit
 * accuracy 2/4; hits@1 = 2; cells: (X,X) 1, (X,U) 1, (U,U) 1, (Y,X) 1.
 */
static void test_add_top(void)
{
    tc_metrics *m;
    CHECK(tc_metrics_new(3, 1, &m) == TC_OK);
    static const int x[1] = {0}, bad[1] = {3};
    CHECK(tc_metrics_add_top(m, 0, 0, x, 1) == TC_OK);
    CHECK(tc_metrics_add_top(m, 2, 2, x, 1) == TC_OK);
    CHECK(tc_metrics_add_top(m, 0, 2, x, 1) == TC_OK);
    CHECK(tc_metrics_add_top(m, 1, 0, x, 1) == TC_OK);
    CHECK(tc_metrics_add_top(m, 0, 3, x, 1) == TC_ERR_ARG);    /* top out of range */
    CHECK(tc_metrics_add_top(m, 0, -1, x, 1) == TC_ERR_ARG);
    CHECK(tc_metrics_add_top(m, 0, 0, bad, 1) == TC_ERR_ARG);  /* ranking out of range */
    CHECK(tc_metrics_add_top(m, 0, 0, x, 0) == TC_ERR_ARG);    /* fewer than k */
    CHECK(tc_metrics_add(m, 0, x, 0) == TC_ERR_ARG);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.examples == 4 && s.correct == 2 && s.hits_at_k == 2);
    CHECK_NEAR(s.accuracy, 0.5, TOL);
    CHECK(tc_metrics_cell(m, 0, 0) == 1 && tc_metrics_cell(m, 0, 2) == 1);
    CHECK(tc_metrics_cell(m, 2, 2) == 1 && tc_metrics_cell(m, 1, 0) == 1);
    CHECK(tc_metrics_cell(m, 2, 0) == 0);
    tc_metrics_free(m);
}

/* Many labels and cells: the sparse matrix grows and keeps every count. 2000 labels; example
 * i has gold i % 2000 and prediction (i * 7) % 2000 for i < 20000, so each of the 2000 rows gets
 * 10 examples (i = g + 2000j), all predicted 7i mod 2000 = 7g mod 2000: one cell of count 10 per
 * row. The diagonal is hit when 7g = g mod 2000, i.e. 6g = 0 mod 2000, i.e. g is a multiple of
 * 2000 / gcd(6, 2000) = 1000: g = 0 and g = 1000. So correct = 2 * 10 = 20 and the other 1998
 * rows have one confusion each. */
static void test_many_labels(void)
{
    tc_metrics *m;
    CHECK(tc_metrics_new(0, 1, &m) == TC_OK);
    for (int i = 0; i < 2000; i++) CHECK(tc_metrics_add_labels(m, 1) == TC_OK);
    CHECK(tc_metrics_num_labels(m) == 2000);
    int ok = 1;
    for (int i = 0; i < 20000; i++) {
        int p = (i * 7) % 2000;
        ok &= tc_metrics_add(m, i % 2000, &p, 1) == TC_OK;
    }
    CHECK(ok);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.examples == 20000);
    CHECK(s.correct == 20);
    CHECK(tc_metrics_cell(m, 3, 21) == 10);
    CHECK(tc_metrics_cell(m, 1000, 1000) == 10);
    CHECK(tc_metrics_cell(m, 3, 3) == 0);
    tc_confusion_cell *cells;
    size_t n;
    CHECK(tc_metrics_confusions(m, &cells, &n) == TC_OK);
    CHECK(n == 1998);
    free(cells);
    tc_metrics_free(m);
}

/* Expected calibration error by hand. 15 bins, bin b = (b/15, (b+1)/15]:
 *   p = 0.95 right, 0.95 wrong, 0.96 right, 1.0 right  -> bin 14: n 4, right 3, sum p 3.86
 *   p = 0.5 right                                      -> bin 7:  n 1, right 1, sum p 0.5
 *   p = 0 wrong                                        -> bin 0:  n 1, right 0, sum p 0
 * ECE = (|3 - 3.86| + |1 - 0.5| + |0 - 0|) / 6 = 1.36 / 6; mean confidence = 4.36 / 6. */
static void test_calibration(void)
{
    tc_metrics *m;
    CHECK(tc_metrics_new(2, 1, &m) == TC_OK);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.calibrated == 0 && s.ece == 0 && s.mean_confidence == 0);
    CHECK(tc_metrics_add_confidence(m, 0.95, 1) == TC_OK);
    CHECK(tc_metrics_add_confidence(m, 0.95, 0) == TC_OK);
    CHECK(tc_metrics_add_confidence(m, 0.96, 1) == TC_OK);
    CHECK(tc_metrics_add_confidence(m, 1.0, 1) == TC_OK);
    CHECK(tc_metrics_add_confidence(m, 0.5, 1) == TC_OK);
    CHECK(tc_metrics_add_confidence(m, 0.0, 0) == TC_OK);
    CHECK(tc_metrics_add_confidence(m, 1.5, 1) == TC_ERR_ARG);
    CHECK(tc_metrics_add_confidence(m, -0.1, 1) == TC_ERR_ARG);
    CHECK(tc_metrics_add_confidence(m, NAN, 1) == TC_ERR_ARG);
    tc_metrics_summary_get(m, &s);
    CHECK(s.calibrated == 6);
    CHECK_NEAR(s.ece, 1.36 / 6, TOL);
    CHECK_NEAR(s.mean_confidence, 4.36 / 6, TOL);
    CHECK(s.examples == 0);   /* independent of tc_metrics_add */
    tc_metrics_free(m);
}

/* Multi-label examples as sets (tc_metrics_add_set), k = 2, by hand:
 *   gold {0,1} predicted {0}    ranked 0 2 1
 *   gold {2}   predicted {2,1}  ranked 2 1 0
 *   gold {1}   predicted {}     ranked 0 1 2
 * TP 2 (0 and 2 once each), 3 predicted, 4 gold: micro P 2/3, R 1/2, F1 4/7; no exact match;
 * gold labels in the top 2: 1 + 1 + 1 = 3, P@2 3/6, R@2 3/4; per label F1 1, 0, 1. */
static void test_sets(void)
{
    tc_metrics *m;
    CHECK(tc_metrics_new(3, 2, &m) == TC_OK);
    static const int g1[] = {0, 1}, p1[] = {0}, r1[] = {0, 2, 1};
    static const int g2[] = {2}, p2[] = {2, 1}, r2[] = {2, 1, 0};
    static const int g3[] = {1}, r3[] = {0, 1, 2};
    CHECK(tc_metrics_add_set(m, g1, 2, p1, 1, r1, 3) == TC_OK);
    CHECK(tc_metrics_add_set(m, g2, 1, p2, 2, r2, 3) == TC_OK);
    CHECK(tc_metrics_add_set(m, g3, 1, NULL, 0, r3, 3) == TC_OK);
    /* refused: no gold label, an index out of range, fewer than k ranked */
    CHECK(tc_metrics_add_set(m, g1, 0, p1, 1, r1, 3) == TC_ERR_ARG);
    CHECK(tc_metrics_add_set(m, r1, 3, p2, 2, (const int[]){0, 3}, 2) == TC_ERR_ARG);
    CHECK(tc_metrics_add_set(m, g1, 2, p1, 1, r1, 1) == TC_ERR_ARG);
    tc_metrics_summary s;
    tc_metrics_summary_get(m, &s);
    CHECK(s.examples == 3 && s.gold == 4 && s.predicted == 3 && s.true_positives == 2);
    CHECK(s.correct == 0 && s.no_prediction == 1 && s.hits_at_k == 3);
    CHECK_NEAR(s.micro_precision, 2.0 / 3.0, TOL);
    CHECK_NEAR(s.micro_recall, 0.5, TOL);
    CHECK_NEAR(s.micro_f1, 4.0 / 7.0, TOL);
    CHECK_NEAR(s.precision_at_k, 0.5, TOL);
    CHECK_NEAR(s.recall_at_k, 0.75, TOL);
    CHECK_NEAR(s.macro_f1, 2.0 / 3.0, TOL);
    CHECK_NEAR(s.weighted_f1, 0.5, TOL);
    check_label(m, 0, 1, 1, 1, 1, 1, 1, 1);
    check_label(m, 1, 2, 1, 0, 0, 0, 0, 1);
    check_label(m, 2, 1, 1, 1, 1, 1, 1, 1);
    /* an exact set, in another order, counts as exact */
    static const int g4[] = {1, 0}, p4[] = {0, 1};
    CHECK(tc_metrics_add_set(m, g4, 2, p4, 2, r1, 3) == TC_OK);
    tc_metrics_summary_get(m, &s);
    CHECK(s.correct == 1);
    CHECK_NEAR(s.accuracy, 0.25, TOL);
    tc_metrics_free(m);
}

void test_metrics(void)
{
    test_sets();
    test_calibration();
    test_hand_example_k2();
    test_hand_example_k1();
    test_unknown_gold_label();
    test_confusions_order();
    test_perfect_and_empty();
    test_bad_arguments();
    test_add_top();
    test_many_labels();
}
