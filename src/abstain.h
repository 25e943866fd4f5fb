/*
 * abstain.h - a model's abstain rule applied to one document (internal; the rule is
 * docs/model-format.md's "abstain", the API textclf.h's tc_abstain, tc_answer and
 * tc_rank_answers).
 */
#ifndef TC_ABSTAIN_H
#define TC_ABSTAIN_H

#include "model.h"

/*
 * The verdict of m's abstain rule on a document whose tokenisation gave info (its letter_words
 * and unknown_words) and whose probabilities are probs[num_labels]: TC_ABSTAIN_NONE when m has
 * no rule or flags has TC_NO_ABSTAIN; else the first reason that holds, in the order of
 * tc_abstain (no letters, unknown words, low probability: the probability of the label the
 * model answers, tc_rank_answers' first), or TC_ABSTAIN_NONE.
 */
tc_abstain tc_abstain_verdict(const tc_model *m, int flags, const float *probs,
                              const tc_doc_info *info);

#endif
