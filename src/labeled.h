/*
 * labeled.h - parsing labelled text lines for training and evaluation (internal).
 *
 * Two formats: fastText's (label tokens such as "__label__spam" anywhere on the line, separated
 * by spaces or tabs; the rest of the line is the text) and TSV ("label<TAB>text"). The parser
 * never guesses silently: every line it cannot use gets a status the caller counts and reports.
 *
 * Multi-label lines (`train --multi-label`, `test` of a sigmoid model): fastText's several label
 * tokens, TSV's first field split at TC_TSV_LABEL_SEP ("a,b<TAB>text", spaces around each label
 * ignored). A label given twice on a line counts once.
 */
#ifndef TC_LABELED_H
#define TC_LABELED_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum { TC_FORMAT_AUTO = 0, TC_FORMAT_FASTTEXT, TC_FORMAT_TSV } tc_data_format;

typedef enum {
    TC_LINE_OK = 0,
    TC_LINE_BLANK,          /* empty or only whitespace: not an example */
    TC_LINE_NO_LABEL,       /* no label token (fastText) / no tab or empty label (TSV) */
    TC_LINE_MULTI_LABEL,    /* several different labels: we train single-label softmax */
    TC_LINE_NO_TEXT,        /* a label but no text */
    TC_LINE_BAD_UTF8,       /* invalid UTF-8 in the label or the text */
    /* a label the model format refuses (label.h): */
    TC_LINE_BAD_LABEL,      /* with a control character (Cc) */
    TC_LINE_INVISIBLE_LABEL,/* with a format character or a line/paragraph separator (Cf, Zl,
                             * Zp: invisible, or reordering the text) */
    TC_LINE_SPACED_LABEL,   /* starting or ending with a space (Zs) */
    TC_LINE_STATUS_COUNT
} tc_line_status;

/* Short names for reports ("no label", "several labels", ...). */
const char *tc_line_status_name(tc_line_status s);

/* The separator of TSV's labels on a multi-label line. */
#define TC_TSV_LABEL_SEP ','
/* The separator of the labels in tc_labeled_line.label when there are several: a control
 * character, which no label has (label.h). */
#define TC_LABEL_LIST_SEP '\n'

typedef struct {
    const char *label;      /* the label without its prefix; points into the line or text buf.
                             * Parsed as multi-label, the n_labels distinct labels in the order
                             * of the line, separated by TC_LABEL_LIST_SEP (tc_labeled_next) */
    size_t label_len;
    int n_labels;           /* 1, or more on a multi-label line */
    const char *text;       /* the text without label tokens */
    size_t text_len;
} tc_labeled_line;

/*
 * Parses line[0..len) (without its newline; a trailing CR is ignored) in format fmt (not AUTO).
 * prefix is the fastText label prefix (e.g. "__label__"). For fastText the text is rebuilt
 * without the label tokens into scratch, which out then points into. multi: several labels are
 * allowed (else a line with several different labels is TC_LINE_MULTI_LABEL), and out->label
 * lists them, in scratch. Every label must pass label.h's rule. Returns the line's status;
 * out is filled only for TC_LINE_OK. -1 is never returned; out of memory gives TC_LINE_BLANK
 * with *oom set.
 */
tc_line_status tc_parse_labeled(tc_data_format fmt, const char *prefix, int multi,
                                const char *line, size_t len, tc_buf *scratch,
                                tc_labeled_line *out, int *oom);

/* Walks the labels of l: *pos starts at 0; each call sets *label, *len to the next one and
 * returns 1, or returns 0 after the last. */
int tc_labeled_next(const tc_labeled_line *l, size_t *pos, const char **label, size_t *len);

/*
 * Guesses the format from a sample of lines (each NUL-free, without newline): fastText when at
 * least half of the non-blank lines contain a prefix token, else TSV when at least half contain
 * a tab, else TC_FORMAT_AUTO (cannot tell).
 */
tc_data_format tc_detect_format(const char *const *lines, const size_t *lens, size_t n,
                                const char *prefix);

#endif
