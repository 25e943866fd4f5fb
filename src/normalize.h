/*
 * normalize.h - Unicode normalisation of one document (internal).
 *
 * Implements steps 2-4 of docs/model-format.md "Tokenisation, exactly": cleaning, case mapping,
 * NFKC/NFC and accent stripping, on well-formed UTF-8, producing code points. Steps 3-4 run on
 * stream-safe segments (UAX #15): no run of more than 30 non-starters is normalised as one, so
 * the cost stays linear in the text whatever it holds.
 *
 * The tokenizer normalises a long document in pieces; tc_norm_cut_before says where a piece may
 * end, and a tc_norm_context carries what the final-sigma rule of `lower` needs across pieces.
 */
#ifndef TC_NORMALIZE_H
#define TC_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The tokenizer's choices; the model JSON's names for them (tokenizer.normalize, .case,
 * .pretokenize) are in enum order, NULL-terminated. */
typedef enum { TC_NORM_NFKC = 0, TC_NORM_NFC, TC_NORM_NONE } tc_norm_form;
#define TC_NORM_FORM_NAMES {"nfkc", "nfc", "none", NULL}
typedef enum { TC_CASE_FOLD = 0, TC_CASE_LOWER, TC_CASE_KEEP } tc_case_mode;
#define TC_CASE_MODE_NAMES {"fold", "lower", "keep", NULL}
typedef enum { TC_PRETOK_UNICODE = 0, TC_PRETOK_BERT } tc_pretok_mode;
#define TC_PRETOK_NAMES {"unicode", "bert", NULL}

typedef struct {
    tc_norm_form form;
    tc_case_mode case_mode;
    tc_pretok_mode pretok;     /* decides how text is cleaned (step 2) */
    int strip_accents;
} tc_norm_config;

/* A growable array of code points. */
typedef struct {
    int32_t *data;
    size_t len, cap;
} tc_cpbuf;

/* Scratch memory reused across documents. */
typedef struct {
    tc_buf utf8;       /* intermediate UTF-8 */
    tc_buf utf8b;      /* a second one, for accent stripping */
    tc_cpbuf tmp;      /* intermediate code points */
    tc_cpbuf seg;      /* one segment's result, when the text has several */
} tc_norm_scratch;

/*
 * The text around a piece of a longer document, for the one rule of steps 2-4 that looks beyond
 * a character: Python's str.lower maps a capital sigma to a final sigma by the letters around it
 * (case `lower` only; other modes ignore the context).
 */
typedef struct {
    int cased_before;     /* in: whether the last code point before the piece that survives
                           * cleaning and is not case-ignorable is cased (0 if there is none);
                           * out: the same for the text up to the end of the piece */
    const char *after;    /* the document's bytes after the piece, as given (may be invalid
                           * UTF-8): read only to decide a sigma near the piece's end */
    size_t after_len;
} tc_norm_context;

/* The longest run of non-starters a segment holds (UAX #15's limit). */
#define TC_STREAM_SAFE_MAX 30

/* The state of the stream-safe segmentation: non-starters at the end of the text so far. */
typedef struct {
    unsigned nonstarters;
} tc_stream_safe;

/*
 * Feeds code point c to the stream-safe segmentation (UAX #15, section 13, counted in NFKD):
 * returns 1 when a segment ends before c (the text so far ends with non-starters that, with
 * those c's decomposition begins with, would be more than TC_STREAM_SAFE_MAX), else 0.
 * Feed the code points that steps 3-4 see: after cleaning (and `lower`'s mapping).
 */
int tc_stream_safe_next(tc_stream_safe *ss, int32_t c);

/*
 * tc_stream_safe_next for code point c of the text before step 2: skips it when cleaning removes
 * it, feeds its `lower` mapping in that mode. Returns 1 when a segment ends before c.
 */
int tc_stream_safe_feed(tc_stream_safe *ss, const tc_norm_config *cfg, int32_t c);

/*
 * 1 if the well-formed code point c, where it survives cleaning (after `lower`'s mapping), is a
 * starter that does not decompose: the stream-safe state is 0 just after it, whatever came before.
 */
int tc_stream_safe_resets(const tc_norm_config *cfg, int32_t c);

/*
 * 1 if a document may be cut just before the well-formed code point c and each side normalised
 * on its own (with a tc_norm_context) to the same code points as the whole: c survives cleaning,
 * and c, its `lower` mapping and their decompositions begin with a starter that no composition
 * takes as its second character and that accent stripping keeps. Depends only on cfg and c.
 */
int tc_norm_cut_before(const tc_norm_config *cfg, int32_t c);

/*
 * 1 if step 2 keeps code point c (`unicode`: not a default-ignorable code point; `bert`: not
 * NUL, U+FFFD or a C* character other than tab, LF and CR).
 */
int tc_norm_survives_cleaning(const tc_norm_config *cfg, int32_t c);

/*
 * Normalises the well-formed UTF-8 text[0..len) into out (replacing its contents). ctx (may be
 * NULL: the text is a whole document) places the text inside a longer document and is updated
 * for the piece after it. Returns 0, or -1 if out of memory.
 */
int tc_normalize(const tc_norm_config *cfg, const char *text, size_t len, tc_cpbuf *out,
                 tc_norm_scratch *scratch, tc_norm_context *ctx);

void tc_norm_scratch_free(tc_norm_scratch *s);
void tc_cpbuf_free(tc_cpbuf *b);

/* Makes room for n code points in b (its contents kept). Returns 0, or -1 if out of memory. */
int tc_cpbuf_reserve(tc_cpbuf *b, size_t n);

#endif
