/*
 * normalize.h - Unicode normalisation of one document (internal).
 *
 * Implements steps 2-4 of docs/model-format.md "Tokenisation, exactly": cleaning, case mapping,
 * NFKC/NFC and accent stripping, on well-formed UTF-8, producing code points.
 */
#ifndef TC_NORMALIZE_H
#define TC_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum { TC_NORM_NFKC = 0, TC_NORM_NFC, TC_NORM_NONE } tc_norm_form;
typedef enum { TC_CASE_FOLD = 0, TC_CASE_LOWER, TC_CASE_KEEP } tc_case_mode;
typedef enum { TC_PRETOK_UNICODE = 0, TC_PRETOK_BERT } tc_pretok_mode;

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
    tc_cpbuf tmp;      /* intermediate code points */
} tc_norm_scratch;

/*
 * Normalises the well-formed UTF-8 text[0..len) into out (replacing its contents).
 * Returns 0, or -1 if out of memory.
 */
int tc_normalize(const tc_norm_config *cfg, const char *text, size_t len, tc_cpbuf *out,
                 tc_norm_scratch *scratch);

void tc_norm_scratch_free(tc_norm_scratch *s);
void tc_cpbuf_free(tc_cpbuf *b);

#endif
