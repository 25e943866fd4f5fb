/*
 * label.h - which strings may be class labels (internal): the one rule that the model loader
 * (model_load.c) and the training-data parser (labeled.c, so `textclf train` and `textclf test`)
 * both apply, so that training never makes a model the loader refuses. docs/model-format.md
 * states it for users; tools/textclf_ref.py applies the same rule.
 *
 * A label is printed in a TSV field, in JSON, on a terminal: it must be non-empty, valid UTF-8,
 * and visible text on one line, so that what a reader sees is the label. Refused, by Unicode
 * general category (utf8proc, Unicode 15):
 *   - Cc, control characters (U+0000-U+001F, U+007F-U+009F): they end lines and fields, or
 *     drive the terminal (ESC);
 *   - Cf, format characters: invisible ones (U+200B ZERO WIDTH SPACE, U+FEFF, U+00AD SOFT
 *     HYPHEN, U+2060 WORD JOINER, U+200D ZERO WIDTH JOINER, tags, ...) make two different labels
 *     look the same; the bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
 *     U+2066-U+2069) reorder the text shown after them;
 *   - Zl, Zp, the line and paragraph separators U+2028 and U+2029: a line break to many viewers;
 *   - a space separator (Zs: U+0020, U+00A0 NO-BREAK SPACE, U+3000, ...) as the first or last
 *     character: invisible in output, and "en " would be a label other than "en".
 * Spaces inside a label ("new york") are fine.
 */
#ifndef TC_LABEL_H
#define TC_LABEL_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TC_LABEL_OK = 0,
    TC_LABEL_EMPTY,
    TC_LABEL_BAD_UTF8,
    TC_LABEL_CONTROL,       /* Cc anywhere */
    TC_LABEL_BIDI,          /* a bidirectional control (Cf) anywhere */
    TC_LABEL_INVISIBLE,     /* another format character (Cf) anywhere */
    TC_LABEL_SEPARATOR,     /* Zl or Zp anywhere */
    TC_LABEL_LEADING_SPACE, /* Zs first */
    TC_LABEL_TRAILING_SPACE /* Zs last */
} tc_label_verdict;

/* What is wrong with s[0..len) as a label: the first problem in reading order (TC_LABEL_OK if
 * none). For the verdicts about a character, *cp (if not NULL) receives it and *offset (if not
 * NULL) its byte offset in s. */
tc_label_verdict tc_label_check(const char *s, size_t len, int32_t *cp, size_t *offset);

/* The character's kind in a message, after "the": "control character", "bidirectional control",
 * "invisible format character", "line separator" or "paragraph separator" (by cp), "space";
 * "" for the other verdicts. */
const char *tc_label_char_kind(tc_label_verdict v, int32_t cp);

#endif
