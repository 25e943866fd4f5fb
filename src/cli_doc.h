/*
 * cli_doc.h - what happened to each document of one input (CLI only): a document rejected by
 * --strict-utf8, an internal error, the warning for the first document with invalid UTF-8 and
 * the count of such documents when the input ends, a read error. The messages and exit statuses
 * of classify, tokenize (cli_classify.c) and explain (cli_explain.c) alike; printing the results
 * and checking that writing them worked stay with each command.
 */
#ifndef TC_CLI_DOC_H
#define TC_CLI_DOC_H

#include <stdint.h>

#include "textclf.h"

/* One input being read. Owned by the caller (on its stack); name is not copied and must outlive
 * it. Start it as {name, 0, quiet}. */
typedef struct {
    const char *name;    /* for messages: the path, or "(standard input)" */
    int64_t bad_docs;    /* documents so far whose invalid UTF-8 was replaced with U+FFFD */
    int quiet;           /* -q: no warnings (errors are still reported) */
} cli_doc_input;

/* What the caller does next. */
typedef enum {
    CLI_DOC_STOP = -1,   /* stop the run: an internal error (or output failed, said the caller) */
    CLI_DOC_NEXT = 0,    /* go on with the next document */
    CLI_DOC_SKIP = 1     /* skip the rest of this input, go on with the next input */
} cli_doc_action;

/*
 * Reports what happened to document `record` of `in`, as its tc_classify, tc_tokenize or
 * tc_explain returned s (info and err filled by that call; info is read only when s == TC_OK).
 * TC_ERR_INPUT (rejected by --strict-utf8): "NAME:RECORD: MESSAGE (document rejected ...)",
 * raises *status to EXIT_INPUT, returns CLI_DOC_SKIP. Any other error: err reported, *status
 * raised to EXIT_INTERNAL, returns CLI_DOC_STOP. TC_OK: counts invalid UTF-8 and, unless quiet,
 * warns about the first such document of the input; returns CLI_DOC_NEXT.
 */
cli_doc_action cli_doc_done(cli_doc_input *in, int64_t record, tc_status s,
                            const tc_doc_info *info, const tc_error *err, int *status);

/*
 * At the end of input `in`, got being what the last cli_reader_next returned (0: end of input,
 * -1: read error, errno saying why; 1: the caller stopped reading before the end): reports a
 * read error, "NAME: reason" (unless SIGINT/SIGTERM interrupted the read: that is a stop, not an
 * error, cli_stop.h), then, unless quiet, how many documents had invalid UTF-8 when more than one
 * did (the first was warned about by cli_doc_done). A read error raises *status to EXIT_INPUT
 * (the next input is still read), or to EXIT_INTERNAL when out of memory: then returns
 * CLI_DOC_STOP, else CLI_DOC_NEXT.
 */
cli_doc_action cli_doc_finish(const cli_doc_input *in, int got, int *status);

#endif
