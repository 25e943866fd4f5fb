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
} out_options;

typedef struct {
    const char *file;     /* display name of the input */
    int64_t number;       /* record number within the input */
    const float *probs;   /* [num_labels] */
    const tc_doc_info *info;
} out_record;

/* Writes one record line to f. order is scratch of num_labels ints. */
void out_write_record(FILE *f, const out_options *o, const tc_model *m, const out_record *r,
                      int *order);

/* Writes s as a JSON string literal (invalid UTF-8 bytes become U+FFFD). */
void out_json_string(FILE *f, const char *s, size_t len);

/* Writes s for a TSV field: backslash, tab, newline and CR escaped as \\ \t \n \r. */
void out_tsv_field(FILE *f, const char *s);

#endif
