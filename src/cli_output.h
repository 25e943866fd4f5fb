/*
 * cli_output.h - formatting one result record as TSV or JSON Lines.
 */
#ifndef TC_CLI_OUTPUT_H
#define TC_CLI_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "textclf.h"

typedef enum { FORMAT_TSV, FORMAT_JSONL } out_format;

typedef struct {
    out_format format;
    int k;                /* labels per record (top-k); num_labels when --all */
    int all;              /* --all: JSON also gets "scores" in label order */
    double threshold;     /* labels below it are not printed; 0 = none */
    int show_threshold;   /* a threshold was given (JSON then always has "top") */
    int with_filename;
    int with_number;
    const char *abstain_label;   /* the model's abstain rule's label (tc_model_info), NULL if none:
                                  * shown for a document whose tc_doc_info.abstain is set */
    int flags;            /* tc_classify's flags: the labels shown are those the model may
                           * answer under them (tc_rank_answers: not its withheld labels
                           * unless TC_NO_ABSTAIN) */
} out_options;

typedef struct {
    const char *file;     /* display name of the input */
    int64_t number;       /* record number within the input */
    const float *probs;   /* [num_labels] */
    const tc_doc_info *info;
} out_record;

/*
 * Writes one record line to f. order is scratch of num_labels ints. The labels are those the
 * model may answer under o->flags, ranked (tc_rank_answers), as if it had no others; their
 * probabilities are the real ones. When r->info->abstain is set
 * (and o->abstain_label too), the answer is the abstain label (docs/cli.md, "Abstaining"): TSV
 * puts it first with an empty probability field, before the pairs printed anyway; JSON gives it
 * as "label" with "probability" null and the reason as "abstain", and always has "top".
 */
void out_write_record(FILE *f, const out_options *o, const tc_model *m, const out_record *r,
                      int *order);

/*
 * Text that is not ours (file names above all; also labels, words, model paths in messages)
 * is shown so that it cannot lie to the reader: no character of it may end a line or a field,
 * drive the terminal, hide, or reorder what follows (docs/cli.md, "How names are written").
 * Such characters are the control characters (Unicode category Cc: C0, DEL, C1), the format
 * characters (Cf: invisible ones such as U+200B and U+FEFF, the bidirectional controls such as
 * U+202E) and the line and paragraph separators (Zl, Zp: U+2028, U+2029); with them, bytes
 * that are not valid UTF-8.
 */

/* Writes s as a JSON string literal: `"` and `\` escaped, tab, newline, CR as \t \n \r, every
 * other character of the kinds above as \uXXXX (a surrogate pair above U+FFFF), so that the
 * JSON decodes to the exact name; invalid UTF-8 bytes become U+FFFD (JSON text is UTF-8). */
void out_json_string(FILE *f, const char *s, size_t len);

/* Writes s[0..len) escaped for a reader: tab, newline, CR as \t \n \r; every byte of any other
 * character of the kinds above, and every byte of an ill-formed UTF-8 sequence, as \xHH (two
 * lowercase hex digits); with backslash set, `\` as \\ too, so that the escaping can be undone
 * (names, TSV fields). Everything else as is. */
void out_escaped(FILE *f, const char *s, size_t len, int backslash);

/* Writes the NUL-terminated s for a TSV field or as a name: out_escaped with backslash set. */
void out_tsv_field(FILE *f, const char *s);

/* The fields a record starts with, each when o asks for it (with_filename, with_number): TSV
 * "FILE<TAB>NUMBER<TAB>" (a record of one or more fields follows: tokenize, embed), JSON
 * "\"file\":FILE,\"record\":NUMBER," (after the record's '{'). */
void out_tsv_prefix(FILE *f, const out_options *o, const char *file, int64_t number);
void out_json_prefix(FILE *f, const out_options *o, const char *file, int64_t number);

#endif
