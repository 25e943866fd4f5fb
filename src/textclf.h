/*
 * textclf.h - public API of the textclf library.
 *
 * A model (tc_model) is loaded once and does not change afterwards (apart from caches of
 * precomputed projections, filled under atomics as tokens are first seen): any number of threads
 * may use one model at the same time, each through its own tc_session (scratch memory for one
 * document at a time). Nothing in the library prints or exits; every function that can fail returns
 * a tc_status and, when given a tc_error, fills it with what went wrong and where.
 *
 * Threads, exactly:
 *   - On one model, from any number of threads at once: tc_session_init, tc_model_get_info,
 *     tc_model_num_labels, tc_model_label, tc_model_label_withheld, tc_model_token,
 *     tc_model_metadata, tc_rank_answers, tc_answer, and tc_classify / tc_tokenize / tc_explain /
 *     tc_embed
 *     on sessions of that model. On one machine a document's
 *     probabilities are the same, bit for bit, whichever thread classifies it, in whatever order,
 *     with the caches cold or warm (tests/unit/test_threads.c checks this under
 *     ThreadSanitizer: make tsan-test).
 *   - A session belongs to one thread at a time: calls on one session must not overlap (it may
 *     move to another thread between calls, handed over through a mutex, a join, ...). The ids
 *     tc_tokenize returns, and the explanation tc_explain fills in, belong to the session and
 *     change at its next call.
 *   - A tc_error is written by the call it is given to: give each thread its own.
 *   - tc_model_free must not overlap any other use of that model: free the model after its
 *     sessions, once every thread that used it is done (joined, or synchronised otherwise).
 *   - Loading: tc_model_load and tc_model_load_memory may run in several threads at once (the
 *     one global the JSON parser, cJSON, writes is behind a lock).
 *   - tc_error_format, tc_status_string and tc_rank_labels use only their arguments.
 *
 * Pointer arguments, exactly: each function's comment says which may be NULL (optional ones:
 * `err` everywhere, `info`, ...). A required pointer that is NULL is refused, never followed:
 * a function returning tc_status returns TC_ERR_ARG (err, if given, says "tc_classify: probs is
 * NULL") and writes nothing else but what its `out` points to, when out itself is given (set to
 * NULL; tc_explain's cleared); the others return their documented empty result (0, NULL) or do
 * nothing. A text pointer may be NULL only with a length of 0 (an empty document). A pointer
 * that is not NULL must point to what the comment says: the library cannot check that.
 *
 * Typical use: a complete function, with <stdio.h> and <stdlib.h> (make test compiles the
 * indented lines below as they are, warnings as errors, and runs them: tests/header/):
 *
 *     // Prints the most probable label of text[0..len) that the model whose JSON file is path
 *     // may answer (withheld labels aside), its probability, the number of tokens the model
 *     // used, and "abstains" when its abstain rule (if any) says so. Returns 0, or 1 after
 *     // printing what went wrong.
 *     int print_label(const char *path, const char *text, size_t len)
 *     {
 *         tc_error err;
 *         char msg[2048];
 *         tc_model *m;
 *         tc_session *s;
 *         if (tc_model_load(path, &m, &err) != TC_OK) {
 *             fprintf(stderr, "%s\n", tc_error_format(&err, msg, sizeof msg));
 *             return 1;
 *         }
 *         if (tc_session_init(m, &s, &err) != TC_OK) {
 *             fprintf(stderr, "%s\n", tc_error_format(&err, msg, sizeof msg));
 *             tc_model_free(m);
 *             return 1;
 *         }
 *         int n = tc_model_num_labels(m), best, status = 1;
 *         float *probs = malloc((size_t)n * sizeof *probs);   // one per label, in label order
 *         tc_doc_info info;                                   // what tokenisation saw
 *         if (!probs) {
 *             fprintf(stderr, "out of memory\n");
 *         } else if (tc_classify(s, text, len, 0, probs, &info, &err) != TC_OK) {
 *             fprintf(stderr, "%s\n", tc_error_format(&err, msg, sizeof msg));
 *         } else {
 *             tc_rank_answers(m, 0, probs, 1, &best);
 *             int abstains = tc_answer(m, 0, probs, &info) < 0;
 *             printf("%s\t%.6f\t%lld tokens%s\n", tc_model_label(m, best), probs[best],
 *                    (long long)info.tokens, abstains ? "\tabstains" : "");
 *             status = 0;
 *         }
 *         free(probs);
 *         tc_session_free(s);   // sessions before their model
 *         tc_model_free(m);
 *         return status;
 *     }
 */
#ifndef TEXTCLF_H
#define TEXTCLF_H

#include <stddef.h>
#include <stdint.h>

#define TC_VERSION "0.1.0"

/* Result codes; stable, documented in docs/cli.md through the CLI's exit codes. */
typedef enum {
    TC_OK = 0,
    TC_ERR_NOMEM = 1,   /* an allocation failed */
    TC_ERR_IO = 2,      /* a file could not be opened or read (errno text in the message) */
    TC_ERR_MODEL = 3,   /* the model (JSON, vocab file or safetensors) is invalid */
    TC_ERR_INPUT = 4,   /* the input text was rejected (only under TC_STRICT_UTF8) */
    TC_ERR_ARG = 5      /* a caller passed an invalid argument */
} tc_status;

/*
 * What went wrong and where. `file` is the file the problem is in ("" if none); `line` and
 * `column` are 1-based and 0 when unknown; `path` is a JSON path such as
 * $.tensors["attn.in_proj_weight"] ("" if none). tc_error_format() joins them the way a compiler
 * would: "file:line:col: message" or "file: path: message".
 */
typedef struct {
    tc_status code;
    int line;
    int column;
    char file[1024];
    char path[256];
    char message[512];
} tc_error;

/* Writes the one-line description of err into buf[0..size) (always NUL-terminated, cut to
 * fit); returns buf. err NULL: "unknown error". buf NULL or size 0: writes nothing. */
char *tc_error_format(const tc_error *err, char *buf, size_t size);

/* A short fixed description of a status code ("out of memory", ...). Never NULL. */
const char *tc_status_string(tc_status code);

/* ---- models ---------------------------------------------------------------------------- */

typedef struct tc_model tc_model;

/*
 * Loads and validates the model described by the JSON file at path (docs/model-format.md),
 * including the vocabulary file and safetensors file it names: regular files inside the JSON's
 * directory, else TC_ERR_MODEL before anything is read from them (model-format.md, "Files a
 * model names"; path itself may be any readable file or a pipe). The files are read into
 * memory: changing them afterwards does not affect the model. On success *out owns the model
 * (free with tc_model_free) and TC_OK is returned. On failure *out is NULL, err (if not NULL) says
 * why, and nothing is leaked. path and out are required (NULL or an empty path: TC_ERR_ARG);
 * err may be NULL.
 */
tc_status tc_model_load(const char *path, tc_model **out, tc_error *err);

/*
 * The same from memory, with the same checks: json[0..json_len) is the model document; if its
 * "vocab" names a file, vocab[0..vocab_len) are that file's bytes (else pass NULL, 0); if it has
 * a "weights_file", weights[0..weights_len) are that file's bytes (NULL, 0 for inline tensors).
 * Nothing is read from the file system: a document that names a vocabulary file or a
 * weights_file whose bytes are not given (NULL) is refused with TC_ERR_MODEL, naming the key
 * ($.vocab or $.weights_file); the names follow the format's rule (relative, no ".."), though
 * they are only used in messages. Bytes given for a file the document does not name (its
 * vocabulary or tensors are inline) are refused with TC_ERR_ARG, not ignored.
 * The weights are used in place, not copied: they must stay valid and unchanged until
 * tc_model_free (the vocabulary is copied). `name` stands for the model file in error messages.
 * This is how the textclf program carries its built-in default model. name, json and out are
 * required; vocab and weights may be NULL only with a length of 0 (no such file); err may be
 * NULL. Otherwise TC_ERR_ARG.
 */
tc_status tc_model_load_memory(const char *name, const char *json, size_t json_len,
                               const char *vocab, size_t vocab_len, const void *weights,
                               size_t weights_len, tc_model **out, tc_error *err);

/* Frees a model and everything it owns. NULL is a no-op. No session may still use it. */
void tc_model_free(tc_model *model);

/* Sizes and settings of a loaded model, for display (tc_model_get_info). Strings are owned by
 * the model. The caller allocates the struct, so before 1.0 a new field here means rebuilding
 * against this header. */
typedef struct {
    int dim, heads, head_dim, max_len, hidden;
    int num_labels;
    int64_t vocab_size;
    int residual;                   /* 0 or 1 */
    const char *activation;         /* "relu", "gelu" or "tanh" */
    int64_t parameters;             /* number of weights */
    const char *weights_file;       /* safetensors path as given in the JSON, or NULL if inline */
    const char *vocab_file;         /* vocab path as given in the JSON, or NULL if inline */
    /* tokenizer */
    const char *normalize, *case_mode, *pretokenize, *unk_token, *continuation_prefix;
    int strip_accents;
    int max_word_chars;
    const char *split_scripts;      /* comma-separated list, "" if none */
    int word_apostrophes;           /* 0 or 1 */
    /* the abstain rule (docs/model-format.md, "abstain"): abstain_label is NULL when the model
     * has none, and the three numbers are then 0; its withheld labels: tc_model_label_withheld */
    const char *abstain_label;      /* e.g. "und" */
    double abstain_min_probability; /* abstain when the answer's probability is below it */
    double abstain_max_unknown;     /* ... when more than this share of letter words is [UNK] */
    int abstain_letterless;         /* ... when the document has no letter word (0 or 1) */
    /* character n-grams (docs/model-format.md): buckets 0 when the model has none, and min and
     * max are then 0 */
    int64_t ngram_buckets;          /* rows of ngram.weight */
    int ngram_min, ngram_max;       /* n-gram lengths, in code points */
    /* where position vectors come from (docs/model-format.md, "config.position"): "learned",
     * "none", "sinusoidal" or "sinusoidal-halves" */
    const char *position;
    /* what the probabilities are (docs/model-format.md, "config.output"): "softmax" (one label
     * per document; they sum to 1) or "sigmoid" (multi-label: each label's on its own) */
    const char *output;
} tc_model_info;

/* The probability a label of a multi-label model (tc_model_info.output "sigmoid") must reach for
 * `textclf` to answer it unless told otherwise (-t), and the one `train` validates with. */
#define TC_MULTI_LABEL_THRESHOLD 0.5

/* Fills *info with model's sizes and settings. info NULL: does nothing; model NULL: *info is all
 * zeros and NULL strings. */
void tc_model_get_info(const tc_model *model, tc_model_info *info);
/* The number of labels (>= 2); 0 when model is NULL. */
int tc_model_num_labels(const tc_model *model);
/* The label of class i (0 <= i < num_labels); owned by the model, valid UTF-8. NULL when i is
 * out of range or model is NULL. */
const char *tc_model_label(const tc_model *model, int i);
/* 1 if the model's abstain rule withholds label i (docs/model-format.md, "abstain": a class of
 * the network that the model never answers while the rule is on: tc_rank_answers, tc_answer);
 * 0 for any other label, and when i is out of range or model is NULL. */
int tc_model_label_withheld(const tc_model *model, int i);
/* The token string of vocabulary id i, owned by the model; NULL if out of range or model is
 * NULL. */
const char *tc_model_token(const tc_model *model, int64_t id);
/*
 * The model file's "metadata" (any JSON value; `textclf train` writes its options and results
 * there: docs/model-format.md) as compact JSON text in *json, which the caller frees with
 * free(); *json is NULL when the model has none. TC_OK; TC_ERR_NOMEM (*json NULL) when out of
 * memory; TC_ERR_ARG when model or json is NULL.
 */
tc_status tc_model_metadata(const tc_model *model, char **json, tc_error *err);

/* ---- classifying ----------------------------------------------------------------------- */

typedef struct tc_session tc_session;

/* Per-call options (bit flags). */
enum {
    TC_STRICT_UTF8 = 1,  /* reject invalid UTF-8 with TC_ERR_INPUT instead of replacing it */
    TC_NO_ABSTAIN = 2    /* never abstain: tc_doc_info.abstain stays TC_ABSTAIN_NONE, and
                          * withheld labels are answered like the others */
};

/*
 * Why a model abstains on a document (tc_doc_info.abstain): a model may carry an abstain rule
 * (docs/model-format.md, "abstain"; a language identifier's label for it is "und"), checked in
 * this order. The probabilities are computed and returned all the same: abstaining is a verdict
 * on them, for the caller to show instead of the label the model answers (tc_answer).
 */
typedef enum {
    TC_ABSTAIN_NONE = 0,          /* the model answers (or has no abstain rule) */
    TC_ABSTAIN_NO_LETTERS,        /* no word of the document has a letter, outside links
                                   * (digits, punctuation, emoji, URLs, e-mail addresses ...)
                                   * and the rule says "letterless" */
    TC_ABSTAIN_UNKNOWN_WORDS,     /* more than max_unknown of its letter words are [UNK]: letters
                                   * the vocabulary has never seen (a script it does not know) */
    TC_ABSTAIN_LOW_PROBABILITY    /* the probability of the label it answers (the most
                                   * probable one that is not withheld) is below
                                   * min_probability */
} tc_abstain;

/* "no-letters", "unknown-words", "low-probability"; "" for TC_ABSTAIN_NONE; NULL for a value
 * that is none of these. */
const char *tc_abstain_string(tc_abstain reason);

/* What tokenisation saw in one document. */
typedef struct {
    int64_t tokens;          /* tokens used (after truncation to max_len) */
    int truncated;           /* 1 if the document had more than max_len tokens */
    int64_t invalid_utf8;    /* ill-formed sequences replaced with U+FFFD */
    int64_t invalid_offset;  /* byte offset of the first ill-formed sequence, -1 if none */
    int64_t letter_words;    /* words (step 5 of the tokenizer) with a letter (Unicode L*), among
                              * those whose tokens were used, and not in a link (a URL or an
                              * e-mail address: docs/model-format.md, "abstain") */
    int64_t unknown_words;   /* of those, the words WordPiece made the one token [UNK] */
    tc_abstain abstain;      /* tc_classify and tc_explain: the model's abstain rule applied to
                              * this document and its probabilities; tc_tokenize: always NONE */
} tc_doc_info;

/*
 * Creates the scratch state for classifying with model; *out is owned by the caller (free with
 * tc_session_free). The model must outlive the session. One session per thread. A new session
 * holds little (the tokenizer's buffers, max_len + 1 ids): each call grows its scratch to the
 * document's tokens when it needs more, and keeps it for the next calls, so memory follows the
 * longest document seen, not max_len. A call that cannot grow it returns TC_ERR_NOMEM and the
 * session stays usable. model and out are required (TC_ERR_ARG); err may be NULL. On failure
 * *out is NULL.
 */
tc_status tc_session_init(const tc_model *model, tc_session **out, tc_error *err);
/* Frees a session and what it handed out. NULL is a no-op. */
void tc_session_free(tc_session *session);

/*
 * Classifies one document: text[0..len) (any bytes; NUL is an ordinary character). Writes the
 * probability of every label, in label order, into probs[num_labels]: each in [0,1], summing to 1
 * within float rounding. info (may be NULL) receives what tokenisation saw. Returns TC_OK, or
 * TC_ERR_INPUT (invalid UTF-8 under TC_STRICT_UTF8; probs untouched) or TC_ERR_NOMEM (probs
 * untouched), or TC_ERR_MODEL when a probability came out NaN or infinite (probs then
 * unspecified): the loader's checks rule that out, unless weights lent to tc_model_load_memory
 * changed after loading. session and probs are required, and text unless len is 0; err may be
 * NULL. Otherwise TC_ERR_ARG, with nothing written.
 */
tc_status tc_classify(tc_session *session, const char *text, size_t len, int flags, float *probs,
                      tc_doc_info *info, tc_error *err);

/*
 * tc_classify over n documents in one call: document i is text[offsets[i] .. offsets[i+1])
 * (offsets has n + 1 entries, non-decreasing), its probabilities go to probs[i·C .. (i+1)·C)
 * (C = the model's labels) and, when infos is not NULL, its tc_doc_info to infos[i]. Each
 * document gets exactly what tc_classify gives it. The calls stop at the first document that
 * fails: its status is returned, err says why, and *done (may be NULL) is its index; on success
 * *done = n. For bindings (docs/python.md): one call per batch instead of one per document, so
 * that a language whose calls cost microseconds, or that holds a lock between calls (Python's
 * GIL), spends its time here. session and offsets are required, text unless every document is
 * empty, probs unless n is 0; err may be NULL. Otherwise, or when offsets decrease, TC_ERR_ARG
 * with nothing classified (*done = 0).
 */
tc_status tc_classify_batch(tc_session *session, const char *text, const size_t *offsets,
                            size_t n, int flags, float *probs, tc_doc_info *infos, size_t *done,
                            tc_error *err);

/*
 * Writes into order[0..min(k,n)) the indices of the most probable of probs[0..n), most probable
 * first; equal probabilities rank by lower index, so every caller shows the same order. Returns
 * the number written: 0 when probs or order is NULL, or n or k is not positive. O(n log k), no
 * allocation, thread-safe.
 */
int tc_rank_labels(const float *probs, int n, int k, int *order);

/*
 * tc_rank_labels over the labels model may answer under flags (TC_NO_ABSTAIN, as given to
 * tc_classify): while its abstain rule is on, every label but those it withholds
 * (tc_model_label_withheld); with TC_NO_ABSTAIN, or without withheld labels, every label, as
 * tc_rank_labels. probs[num_labels] are a document's probabilities (tc_classify's). Writes into
 * order[0..min(k, labels it may answer)) their indices, most probable first, equal
 * probabilities by lower index; returns the number written: 0 when model, probs or order is
 * NULL or k is not positive. O(num_labels log k), no allocation.
 */
int tc_rank_answers(const tc_model *model, int flags, const float *probs, int k, int *order);

/*
 * The answer of model to a document: the index of the label it answers, or -1 when it abstains
 * (then it answers its abstain label, tc_model_info.abstain_label). The label is the most
 * probable one it may answer (tc_rank_answers' first: with TC_NO_ABSTAIN or without an abstain
 * rule, tc_rank_labels' first); the abstain rule (docs/model-format.md, "abstain") is applied to
 * probs[num_labels] and to info's letter_words and unknown_words (tc_classify's, or
 * tc_tokenize's for the same text and flags; info->abstain is not read), so the answer is -1
 * exactly when tc_classify with these flags gives a verdict other than TC_ABSTAIN_NONE. -2 when
 * model, probs or info is NULL.
 */
int tc_answer(const tc_model *model, int flags, const float *probs, const tc_doc_info *info);

/* The vectors tc_embed can give for a document. */
typedef enum {
    TC_EMBED_POOLED = 0,   /* the pooled vector [dim]: the mean over the tokens of the attention
                            * block's output (with the residual, if the model has one), which
                            * the hidden layer reads; fastText's sentence vector's place */
    TC_EMBED_HIDDEN = 1    /* the hidden layer's output [hidden], after its activation */
} tc_embed_layer;

/* The number of floats tc_embed writes for layer: the model's dim or hidden; 0 when model is
 * NULL or layer is not a tc_embed_layer. */
int tc_embed_dim(const tc_model *model, tc_embed_layer layer);

/*
 * One document's vector: tokenises text[0..len) as tc_classify would, runs the network, and
 * writes the vector of layer into out[tc_embed_dim(model, layer)] (an empty document, no tokens:
 * a pooled vector of zeros, and the hidden layer's value for it). flags as tc_classify's
 * (TC_STRICT_UTF8; TC_NO_ABSTAIN means nothing here); info (may be NULL) receives what
 * tokenisation saw, abstain always TC_ABSTAIN_NONE. Returns TC_OK, TC_ERR_INPUT (invalid UTF-8
 * under TC_STRICT_UTF8), TC_ERR_NOMEM, or TC_ERR_MODEL when a value came out NaN or infinite
 * (as tc_classify); out is untouched on an error but TC_ERR_MODEL. session and out are
 * required, and text unless len is 0, and layer must be a tc_embed_layer; err may be NULL.
 * Otherwise TC_ERR_ARG, with nothing written.
 */
tc_status tc_embed(tc_session *session, const char *text, size_t len, int flags,
                   tc_embed_layer layer, float *out, tc_doc_info *info, tc_error *err);

/*
 * Tokenises one document as tc_classify would and exposes the token ids: on TC_OK, *ids points
 * to *count ids owned by the session, valid until the next call on it. info (may be NULL) as
 * for tc_classify. session, ids and count are required, and text unless len is 0; err may be
 * NULL. Otherwise TC_ERR_ARG, with nothing written. Also TC_ERR_INPUT, TC_ERR_NOMEM.
 */
tc_status tc_tokenize(tc_session *session, const char *text, size_t len, int flags,
                      const int32_t **ids, int64_t *count, tc_doc_info *info, tc_error *err);

/* ---- explaining ------------------------------------------------------------------------ */

/*
 * One word of an explained document. A word is what the tokenizer splits text into before
 * WordPiece (docs/model-format.md, step 5): a run of letters and digits, or one punctuation
 * mark, or one character of a split script (a Han character is a word of its own).
 */
typedef struct {
    const char *text;     /* the word as the model saw it: normalised (case-folded, ...) UTF-8,
                           * NUL-terminated. The tokenizer does not map normalised text back to
                           * input bytes, so this is not a span of the input. A word longer than
                           * max_word_chars characters (one [UNK] token) is cut there, with
                           * "…" (U+2026) appended. */
    size_t text_len;      /* bytes, without the NUL */
    int first_token;      /* its tokens are ids[first_token .. first_token + num_tokens) */
    int num_tokens;       /* >= 1; fewer than its pieces when max_len cut the document there */
    float effect;         /* probs[top] - (probability of top without this word's tokens):
                           * > 0 the word supports the decision, < 0 it speaks against it;
                           * exactly 0 when the two are the same float, as near 1 (a float
                           * cannot tell 1 - 1e-10 from 1), whatever the word did: then only
                           * evidence tells */
    float evidence;       /* the same change in log-odds, log(p/(1-p)) of top, in nats: the
                           * log of the factor by which the word multiplies the odds of the
                           * predicted label (same sign as a non-zero effect; unlike it, not
                           * squashed to 0 when the label is near-certain with or without the
                           * word, as 1 - p is taken as the sum of the other labels') */
} tc_explained_word;

/*
 * Why the model classified a document as it did (tc_explain). Every pointer is owned by the
 * session and valid until its next call (or tc_session_free).
 */
typedef struct {
    const float *probs;         /* [num_labels]: exactly what tc_classify gives */
    int top;                    /* the label explained: the most probable one the model may
                                 * answer (tc_rank_answers(..., 1)'s choice, under the flags
                                 * given), also where it abstains */
    int num_tokens;             /* tokens the model used (after truncation to max_len) */
    const int32_t *ids;         /* [num_tokens] their vocabulary ids (tc_model_token names them) */
    const float *attention;     /* [num_tokens] attention each token receives, averaged over
                                 * heads and query positions; sums to 1 (not an attribution:
                                 * docs/cli.md, textclf explain) */
    int num_words;
    const tc_explained_word *words;   /* [num_words], in document order; their tokens cover
                                       * ids[0..num_tokens) exactly */
    const float *probs_without; /* [num_words, num_labels]: row w = the probabilities of the
                                 * document without word w's tokens (the later tokens move up one
                                 * position per token removed), for an effect on any label */
    tc_doc_info info;           /* as tc_classify's */
} tc_explanation;

/*
 * Explains the classification of text[0..len) by occlusion: for each word, the document is
 * classified again without that word's tokens, and the word's effect is how much the explained
 * label's (out->top's) probability drops (probs[top] - probs_without[w][top]), its evidence how
 * much the label's log-odds drop. One forward pass per word (at most max_len) plus one for the
 * document and one for the attention weights. Fills *out (see
 * tc_explanation for what it owns). flags: TC_STRICT_UTF8 and TC_NO_ABSTAIN as for tc_classify.
 * The attention weights come from the reference forward pass, which uses OpenBLAS: the first
 * call loads libopenblas.so.0 (as training does).
 * Returns TC_OK, TC_ERR_INPUT (invalid UTF-8 under TC_STRICT_UTF8), TC_ERR_NOMEM, or TC_ERR_IO
 * when OpenBLAS cannot be loaded; on failure *out is cleared (its info kept what tokenisation
 * saw). session and out are required, and text unless len is 0; err may be NULL. Otherwise
 * TC_ERR_ARG (*out cleared when out is given).
 */
tc_status tc_explain(tc_session *session, const char *text, size_t len, int flags,
                     tc_explanation *out, tc_error *err);

#endif /* TEXTCLF_H */
