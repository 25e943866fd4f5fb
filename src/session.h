/*
 * session.h - the layout of the opaque tc_session (internal): session.c creates sessions,
 * explain.c also works in them.
 */
#ifndef TC_SESSION_H
#define TC_SESSION_H

#include "explain.h"
#include "forward.h"
#include "infer.h"
#include "model.h"
#include "ngram.h"
#include "tokenizer.h"

/* The forward pass's scratch (forward or infer) starts empty and grows with the documents
 * (tc_session_run): a model's max_len says how long a document may be, not how long they are. */
struct tc_session {
    const tc_model *model;
    tc_tok_scratch tok;
    tc_forward_state forward;    /* for a model without tc_infer's tables: none that
                                    tc_model_load makes (training's model has none, but train.c
                                    validates with tc_forward itself); stays empty otherwise */
    tc_infer_state infer;        /* for a loaded model */
    tc_ngram_acc ngram;          /* G, the tokens' mean n-gram vectors, for a model with
                                    character n-grams (tc_session_tokenize); empty otherwise */
    tc_explain_state *explain;   /* tc_explain's scratch and results, made at its first call */
    float *embed_probs;          /* [num_labels] tc_embed's probabilities (not returned), made
                                    at its first call */
};

/* The checks of a public call on one document, fn's (named in the message): s not NULL, and
 * *text not NULL unless len is 0 (then *text becomes "": an empty document). TC_OK or
 * TC_ERR_ARG. */
tc_status tc_session_check_doc(const char *fn, const tc_session *s, const char **text,
                               size_t len, tc_error *err);

/* Tokenises text[0..len) into s->tok.ids[0..*count) as tc_tokenize_words does (word and ctx may
 * be NULL), and, for a model with character n-grams, sets *ng to G[*count, d], the tokens' mean
 * n-gram vectors (in s->ngram; valid until the next call), else to NULL. Same statuses. */
tc_status tc_session_tokenize(tc_session *s, const char *text, size_t len, int flags,
                              tc_word_fn word, void *ctx, int64_t *count, const float **ng,
                              tc_doc_info *info, tc_error *err);

/* probs[C] = the model on ids[0..T), 0 <= T <= max_len, with ng[T, d] the tokens' mean n-gram
 * vectors (NULL for a model without n-grams), by the session's forward pass (tc_infer for a
 * loaded model, tc_forward for one without projection tables): what tc_classify computes after
 * tokenising. Grows the session's scratch to T tokens first: TC_OK, or TC_ERR_NOMEM (probs
 * untouched; the session stays usable). */
tc_status tc_session_run(tc_session *s, const int32_t *ids, const float *ng, int T, float *probs,
                         tc_error *err);

/* The logits [C] of the last tc_session_run on s (in the scratch of the pass it ran): valid until
 * the next call on s. */
const float *tc_session_logits(const tc_session *s);

#endif
