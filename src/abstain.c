/*
 * abstain.c - the abstain rule's verdict on a document, and the names of its reasons.
 */
#include "abstain.h"

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
    int top = 0;
    tc_rank_labels(probs, m->num_labels, 1, &top);
    if ((double)probs[top] < m->abstain_min_probability) return TC_ABSTAIN_LOW_PROBABILITY;
    return TC_ABSTAIN_NONE;
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
