/*
 * metrics.h - evaluation metrics of a single-label classifier (internal; the library side of
 * `textclf test`).
 *
 * The caller feeds one (gold label, ranked predictions) pair per test example; labels are plain
 * indices 0..num_labels-1, so the caller decides what they mean (model labels first, then gold
 * labels the model does not know, which can be added while examples arrive). Pure computation:
 * no I/O, no knowledge of models or files.
 *
 * Definitions (docs/cli.md, `textclf test`): with TP, FP, FN counted on the top-1 prediction,
 * precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2PR/(P+R), each 0 when its denominator is 0
 * (scikit-learn's zero_division=0). Macro averages are unweighted means over the labels that occur
 * in the gold labels or in the top-1 predictions (scikit-learn's default label set); weighted
 * averages weight each label by its support. P@k = hits / (k x examples) and R@k = hits / examples,
 * where a hit is an example whose gold label is among its k best predictions (fastText's
 * definitions for one gold label per example).
 *
 * Multi-label examples (tc_metrics_add_set: a set of gold labels, a set of predicted ones):
 * a label's TP, FP and FN count its occurrences in the sets, so the per-label and macro numbers
 * keep their definitions; accuracy is the share of examples whose predicted set is exactly the
 * gold set (subset accuracy); the micro averages pool every label's counts: micro precision =
 * ΣTP/ΣTP+FP, micro recall = ΣTP/ΣTP+FN, micro F1 = 2·ΣTP/(2·ΣTP+ΣFP+ΣFN); P@k = the gold
 * labels among the k best of each example / (k x examples), R@k = the same / the gold labels
 * (fastText's `test` for several labels per line). With one label per example these are the
 * single-label definitions (micro P = R = F1 = accuracy). No confusion matrix, no calibration.
 *
 * Calibration: the expected calibration error (Guo et al. 2017) over TC_ECE_BINS equal-width bins
 * of the top-1 probability p, bin b holding (b/B, (b+1)/B] (p = 0 goes to the first bin):
 * ECE = sum over bins of (n_b / n) |accuracy_b - mean p_b|. 0 is perfectly calibrated; a model
 * that says 0.9 and is right 60% of the time there adds 0.3 times that bin's share.
 */
#ifndef TC_METRICS_H
#define TC_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "textclf.h"

#define TC_ECE_BINS 15

typedef struct tc_metrics tc_metrics;

/* Counts and scores of one label. */
typedef struct {
    int64_t support;     /* examples whose gold label it is: TP + FN */
    int64_t predicted;   /* examples whose top-1 prediction it is: TP + FP */
    int64_t correct;     /* TP */
    double precision, recall, f1;
    int present;         /* support or predicted > 0: counted in the macro averages */
} tc_label_metrics;

/* The whole-test-set numbers. */
typedef struct {
    int num_labels;                 /* labels known to the accumulator */
    int present_labels;             /* labels averaged by the macro averages */
    int k;                          /* the k of P@k and R@k */
    int64_t examples, correct;      /* correct: top-1 prediction = gold label (sets: the
                                     * predicted set = the gold set) */
    int64_t hits_at_k;              /* examples with their gold label among the k best (sets:
                                     * gold labels among the k best) */
    int64_t gold, predicted, true_positives;   /* Σ support, Σ predicted, Σ TP over the labels */
    int64_t no_prediction;          /* examples whose predicted set was empty (sets only) */
    double micro_precision, micro_recall, micro_f1;
    double accuracy;                /* correct / examples */
    double precision_at_k, recall_at_k;
    double macro_precision, macro_recall, macro_f1;
    double weighted_precision, weighted_recall, weighted_f1;
    int64_t calibrated;             /* examples given to tc_metrics_add_confidence */
    double mean_confidence;         /* mean top-1 probability over them */
    double ece;                     /* expected calibration error over them (0 when none) */
} tc_metrics_summary;

/* One cell of the confusion matrix (row = gold label, column = top-1 prediction). */
typedef struct {
    int gold, predicted;
    int64_t count;
} tc_confusion_cell;

/*
 * Creates an empty accumulator over num_labels labels (>= 0) for P@k/R@k with k >= 1 (the
 * caller caps k at the number of labels it can predict: k is the number of predictions it makes
 * per example). *out is owned by the caller (tc_metrics_free). Returns TC_OK, TC_ERR_ARG or
 * TC_ERR_NOMEM.
 */
tc_status tc_metrics_new(int num_labels, int k, tc_metrics **out);

/* Frees an accumulator; NULL is a no-op. */
void tc_metrics_free(tc_metrics *m);

/*
 * Adds n more labels (indices num_labels..num_labels+n-1), e.g. a gold label seen in the test set
 * but unknown to the model. Returns TC_OK, TC_ERR_ARG (n < 0 or too many labels) or TC_ERR_NOMEM
 * (nothing changed).
 */
tc_status tc_metrics_add_labels(tc_metrics *m, int n);

int tc_metrics_num_labels(const tc_metrics *m);

/*
 * Records one example: gold label and ranked[0..n) its predictions, best first (n >= 1; ranked[0]
 * is the top-1 prediction; only the first k count for P@k/R@k, and n must be at least k so that
 * every example makes k predictions). Returns TC_OK, TC_ERR_ARG (an index out of range, n < k;
 * nothing recorded) or TC_ERR_NOMEM (nothing recorded).
 */
tc_status tc_metrics_add(tc_metrics *m, int gold, const int *ranked, int n);

/*
 * tc_metrics_add with a top-1 prediction other than ranked[0]: top counts for accuracy, the
 * per-label scores and the confusion matrix, ranked[0..k) for P@k/R@k (`textclf test` with a
 * model that abstains: top is the abstain label, ranked the model's real ranking). Same returns.
 */
tc_status tc_metrics_add_top(tc_metrics *m, int gold, int top, const int *ranked, int n);

/*
 * Records one multi-label example: its gold labels gold[0..ngold) (ngold >= 1) and predicted
 * labels predicted[0..npred) (npred >= 0: those that passed the threshold), each without
 * repetitions, and ranked[0..n) all of its predictions, best first (n >= k, the first k count
 * for P@k/R@k). Returns TC_OK or TC_ERR_ARG (an index out of range, a bad count; nothing
 * recorded).
 */
tc_status tc_metrics_add_set(tc_metrics *m, const int *gold, int ngold, const int *predicted,
                             int npred, const int *ranked, int n);

/*
 * Records the top-1 probability p (0..1) of one example and whether that prediction was right,
 * for the calibration numbers. Independent of tc_metrics_add (call both for each example).
 * Returns TC_OK, or TC_ERR_ARG when p is not within [0,1] (nothing recorded).
 */
tc_status tc_metrics_add_confidence(tc_metrics *m, double p, int correct);

/* Computes the summary of everything recorded so far (all zeros when there is no example). */
void tc_metrics_summary_get(const tc_metrics *m, tc_metrics_summary *s);

/* Computes the counts and scores of label (0 <= label < num_labels). */
void tc_metrics_label_get(const tc_metrics *m, int label, tc_label_metrics *out);

/* The confusion matrix cell (gold, predicted): how many examples of gold had predicted as top-1. */
int64_t tc_metrics_cell(const tc_metrics *m, int gold, int predicted);

/*
 * The non-zero off-diagonal cells (the confusions), most frequent first (ties: by gold label,
 * then predicted label). On TC_OK *cells is a malloc'ed array of *n cells (NULL when n is 0) that
 * the caller frees. Returns TC_OK or TC_ERR_NOMEM.
 */
tc_status tc_metrics_confusions(const tc_metrics *m, tc_confusion_cell **cells, size_t *n);

#endif
