/*
 * abstain.c - the abstain rule: the labels a model may answer, its answer and its verdict on a
 * document, and the names of the verdict's reasons.
 */
#include "abstain.h"
#include "rank.h"

/* The labels m never answers under flags, as tc_rank_kept's skip: its withheld labels while
 * its rule is on, else none (NULL). */
static const unsigned char *withheld(const tc_model *m, int flags)
{
    return m->abstain_label && !(flags & TC_NO_ABSTAIN) ? m->withheld : NULL;
}

int tc_rank_answers(const tc_model *m, int flags, const float *probs, int k, int *order)
{
    return m ? tc_rank_kept(probs, m->num_labels, withheld(m, flags), k, order) : 0;
}

tc_abstain tc_abstain_verdict(const tc_model *m, int flags, const float *probs,
                              const tc_doc_info *info)
{
    if (!m->abstain_label || (flags & TC_NO_ABSTAIN)) return TC_ABSTAIN_NONE;
    if (m->abstain_letterless && info->letter_words == 0) return TC_ABSTAIN_NO_LETTERS;
    /* the share as a double: both counts are exact in a double (< 2^53) and the quotient is
     * correctly rounded, as Python's int / int (tools/textclf_ref.py) */
    if (info->letter_words > 0 &&
        (double)info->unknown_words / (double)info->letter_words > m->abstain_max_unknown)
        return TC_ABSTAIN_UNKNOWN_WORDS;
    int answer = 0;   /* a label is left to answer: the loader refuses a rule withholding all */
    tc_rank_answers(m, flags, probs, 1, &answer);
    if ((double)probs[answer] < m->abstain_min_probability) return TC_ABSTAIN_LOW_PROBABILITY;
    return TC_ABSTAIN_NONE;
}

int tc_answer(const tc_model *m, int flags, const float *probs, const tc_doc_info *info)
{
    if (!m || !probs || !info) return -2;
    if (tc_abstain_verdict(m, flags, probs, info) != TC_ABSTAIN_NONE) return -1;
    int answer = 0;
    tc_rank_answers(m, flags, probs, 1, &answer);
    return answer;
}

const char *tc_abstain_string(tc_abstain reason)
{
    switch (reason) {
    case TC_ABSTAIN_NONE: return "";
    case TC_ABSTAIN_NO_LETTERS: return "no-letters";
    case TC_ABSTAIN_UNKNOWN_WORDS: return "unknown-words";
    case TC_ABSTAIN_LOW_PROBABILITY: return "low-probability";
    }
    return NULL;
}
