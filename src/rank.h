/*
 * rank.h - the k most probable labels (internal; the API's tc_rank_labels and tc_rank_answers).
 */
#ifndef TC_RANK_H
#define TC_RANK_H

/*
 * tc_rank_labels over the labels c of probs[0..n) with skip[c] == 0 (skip NULL: every label):
 * writes into order[0..min(k, kept)) the indices of the most probable of them, most probable
 * first, equal probabilities by lower index. Returns the number written (0 when probs or order
 * is NULL, or n or k is not positive). O(n log k), no allocation.
 */
int tc_rank_kept(const float *probs, int n, const unsigned char *skip, int k, int *order);

#endif
