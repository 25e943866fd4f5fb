/*
 * inline_data.h - the numbers of inline tensors ($.tensors.NAME.data), read straight from the
 * JSON text before cJSON parses it (internal).
 *
 * cJSON spends about 80 bytes (a 64-byte node and its allocation) on every number it parses,
 * several times the number's text: a 48 MB inline model peaked at 343 MB, nearly all of it
 * nodes for numbers that end up as 4-byte floats. tc_inline_lift finds each $.tensors.NAME.data
 * array that holds only numbers, as one flat list or a list of lists, converts the numbers to
 * float32 exactly as the cJSON path does ((float)strtod of the same characters, in the same
 * order), and blanks the array in the text: "0" and spaces, its newlines kept, so that every
 * line:column cJSON or the loader reports afterwards is the same. Anything else is left in the
 * text for cJSON and for the checks of model_tensors.c, with their usual messages: other values,
 * strings or deeper nesting inside the array, numbers beyond float32 (their message prints the
 * double), numbers cJSON would read otherwise (JSON's strict grammar, at most 63 characters).
 * The scan follows JSON's grammar at least as strictly as cJSON and stops at the first thing it
 * does not accept: whatever it blanked lies in a part of the text cJSON parses the same way.
 */
#ifndef TC_INLINE_DATA_H
#define TC_INLINE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "textclf.h"

/* One "data" array read from the text: the value of "data" in the member number `member`
 * (0-based, in document order) of the top-level "tensors" object. */
typedef struct {
    int member;
    float *values;      /* owned until taken (NULL then): the numbers in document order */
    int64_t count;      /* how many */
    int nested;         /* 0: a flat list of numbers; 1: a list of lists of numbers */
    int64_t rows;       /* nested: entries of the outer list */
    int64_t row_len;    /* nested: numbers in its first list (0 when there is none) */
    int64_t odd_row;    /* nested: the first list of another length than the first, or -1 */
    int64_t odd_len;    /* nested: that list's length */
} tc_inline_tensor;

typedef struct {
    tc_inline_tensor *t;   /* owned [n] */
    int n;
} tc_inline_set;

/*
 * Reads and blanks the inline tensor data of the model JSON text[0..len) (text[len] is '\0'),
 * as described above; `file` names it in messages. On TC_OK, *set (caller-owned:
 * tc_inline_free) lists what was read, possibly nothing. Fails only with TC_ERR_NOMEM (then
 * *set is empty, and the text may be partly blanked: the load has failed anyway).
 */
tc_status tc_inline_lift(char *text, size_t len, const char *file, tc_inline_set *set,
                         tc_error *err);

/* The data read for member number `member` of $.tensors, or NULL. */
tc_inline_tensor *tc_inline_find(const tc_inline_set *set, int member);

/* Frees what set still owns. Safe on an empty set. */
void tc_inline_free(tc_inline_set *set);

#endif
