/*
 * abstain.c - what tc_classify says about each document's words and its abstain rule, for
 * tests/parity/abstain_check.py (the CLI's output is another agent's: this harness reads the
 * library directly).
 *
 * Usage: parity_abstain MODEL.json TEXTS.bin
 *
 * Classifies each NUL-terminated document of TEXTS.bin and prints one line per document:
 *   LETTER_WORDS UNKNOWN_WORDS TOKENS TRUNCATED REASON TOP TOP_PROBABILITY ANSWER FIRST
 *   FIRST_PROBABILITY
 * REASON is tc_abstain_string's name, "-" for none; TOP the index of the most probable label
 * (tc_rank_labels), TOP_PROBABILITY its probability (%.9g: the float exactly); ANSWER what
 * tc_answer says (a label's index, -1: the model abstains); FIRST the most probable label the
 * model may answer (tc_rank_answers: not one its rule withholds), FIRST_PROBABILITY its
 * probability.
 * Exit status 0, or 1 with a message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "textclf.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: parity_abstain MODEL.json TEXTS.bin\n");
        return 2;
    }
    tc_error err;
    tc_model *m = NULL;
    tc_session *s = NULL;
    char msg[2048];
    if (tc_model_load(argv[1], &m, &err) != TC_OK || tc_session_init(m, &s, &err) != TC_OK) {
        fprintf(stderr, "parity_abstain: %s\n", tc_error_format(&err, msg, sizeof msg));
        tc_model_free(m);
        return 1;
    }
    size_t len = 0;
    char *docs = NULL;
    int C = tc_model_num_labels(m), status = 0;
    float *probs = malloc((size_t)C * sizeof *probs);
    if (tc_read_file(argv[2], (size_t)1 << 30, &docs, &len, &err) != TC_OK) {
        fprintf(stderr, "parity_abstain: %s\n", tc_error_format(&err, msg, sizeof msg));
        status = 1;
    } else if (!probs) {
        fprintf(stderr, "parity_abstain: out of memory\n");
        status = 1;
    }
    for (size_t at = 0; status == 0 && at < len;) {
        const char *end = memchr(docs + at, '\0', len - at);
        size_t n = end ? (size_t)(end - (docs + at)) : len - at;
        tc_doc_info info;
        int top = 0;
        if (tc_classify(s, docs + at, n, 0, probs, &info, &err) != TC_OK) {
            fprintf(stderr, "parity_abstain: %s\n", tc_error_format(&err, msg, sizeof msg));
            status = 1;
            break;
        }
        tc_rank_labels(probs, C, 1, &top);
        int first = 0;
        tc_rank_answers(m, 0, probs, 1, &first);
        const char *why = tc_abstain_string(info.abstain);
        printf("%lld %lld %lld %d %s %d %.9g %d %d %.9g\n", (long long)info.letter_words,
               (long long)info.unknown_words, (long long)info.tokens, info.truncated,
               why && *why ? why : "-", top, (double)probs[top], tc_answer(m, 0, probs, &info),
               first, (double)probs[first]);
        at += n + 1;
    }
    free(probs);
    free(docs);
    tc_session_free(s);
    tc_model_free(m);
    if (fflush(stdout) != 0 || ferror(stdout)) status = 1;
    return status;
}
