/*
 * cli_input.h - splitting CLI input into documents (lines, NUL-separated records, whole files).
 */
#ifndef TC_CLI_INPUT_H
#define TC_CLI_INPUT_H

#include <stdint.h>
#include <stdio.h>

typedef enum { SPLIT_LINES, SPLIT_NUL, SPLIT_WHOLE } split_mode;

typedef struct {
    FILE *f;             /* not owned */
    split_mode mode;
    char *buf;           /* owned record buffer */
    size_t cap;
    int64_t record;      /* 1-based number of the record last returned */
    int done;
} cli_reader;

void cli_reader_init(cli_reader *r, FILE *f, split_mode mode);

/*
 * Reads the next document into *data and *len (valid until the next call). Lines lose their "\n"
 * and a "\r" before it (a last line without "\n" loses a final "\r" too: the end of a CRLF file
 * whose last LF was cut); NUL records lose their "\0"; the last record needs no terminator, and
 * input ending with a terminator has no empty record after it. A whole file is one document,
 * even when empty. Returns 1 (a document), 0 (end of input) or -1 (read error: errno is set).
 */
int cli_reader_next(cli_reader *r, char **data, size_t *len);

void cli_reader_free(cli_reader *r);

#endif
