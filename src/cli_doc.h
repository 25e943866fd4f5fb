/*
 * cli_doc.h - reading the documents of one input and answering each (CLI only): a document
 * rejected by --strict-utf8, an internal error, the warning for the first document with invalid
 * UTF-8 and the count of such documents when the input ends, a read error, a failed stdout, and
 * where the run got to (for a stop by signal). classify, tokenize (cli_classify.c) and explain
 * (cli_explain.c) share it, so that they end an input, report its errors and stop on a failed
 * output alike; what is computed for a document and how it is printed stay with each command.
 */
#ifndef TC_CLI_DOC_H
#define TC_CLI_DOC_H

#include <stdint.h>
#include <stdio.h>

#include "cli_input.h"
#include "textclf.h"

/* A command's run over all its inputs. Owned by the command (on its stack); start it as
 * {EXIT_OK, NULL, 0}. */
typedef struct {
    int status;            /* exit status so far (cli_raise_status) */
    const char *at_name;   /* the input and record last answered (NULL: none yet), for */
    int64_t at_record;     /* cli_stop_report to say where to resume after a stop */
} cli_doc_run;

/* One input being read. Owned by the caller (on its stack); name is not copied and must outlive
 * the run (at_name keeps it). Start it as {name, 0, quiet, &run}. */
typedef struct {
    const char *name;    /* for messages: the path, or "(standard input)" */
    int64_t bad_docs;    /* documents so far whose invalid UTF-8 was replaced with U+FFFD */
    int quiet;           /* -q: no warnings (errors are still reported) */
    cli_doc_run *run;    /* the run it is part of: its status and position (not owned) */
} cli_doc_input;

/* What the caller does next. */
typedef enum {
    CLI_DOC_STOP = -1,   /* stop the run: an internal error, or writing stdout failed */
    CLI_DOC_NEXT = 0,    /* go on with the next document */
    CLI_DOC_SKIP = 1     /* skip the rest of this input, go on with the next input */
} cli_doc_action;

/* A command's work on one document, data[0..len) (valid during the call): computes its result,
 * kept in ctx for cli_doc_print_fn, and returns what the library call (tc_classify, tc_tokenize,
 * tc_explain) returned, with info and err filled by it. Prints nothing. */
typedef tc_status (*cli_doc_fn)(void *ctx, const char *data, size_t len, tc_doc_info *info,
                                tc_error *err);

/* Prints on stdout the result that was computed for document `record` (info: its tc_doc_info).
 * Called only for a document that succeeded, after its warning if any. */
typedef void (*cli_doc_print_fn)(void *ctx, int64_t record, const tc_doc_info *info);

/*
 * Answers document `record` of `in`, whose library call returned s (info and err filled by it;
 * info is read only when s == TC_OK), and records it as the run's last answered document.
 * TC_ERR_INPUT (rejected by --strict-utf8): "NAME:RECORD: MESSAGE (document rejected ...)",
 * raises the status to EXIT_INPUT, returns CLI_DOC_SKIP. Any other error: err reported, status
 * raised to EXIT_INTERNAL, returns CLI_DOC_STOP. TC_OK: counts invalid UTF-8 and, unless quiet,
 * warns about the first such document of the input; then print(ctx, record, info) prints the
 * result, and if writing stdout has failed (cli_output_failed, which says so) the status is
 * raised to EXIT_OUTPUT and CLI_DOC_STOP returned; else CLI_DOC_NEXT.
 */
cli_doc_action cli_doc_answer(cli_doc_input *in, int64_t record, tc_status s,
                              const tc_doc_info *info, const tc_error *err,
                              cli_doc_print_fn print, void *ctx);

/*
 * At the end of input `in`, got being what the last cli_reader_next returned (0: end of input,
 * -1: read error, errno saying why; 1: the caller stopped reading before the end): reports a
 * read error, "NAME: reason" (unless SIGINT/SIGTERM interrupted the read: that is a stop, not an
 * error, cli_stop.h), then, unless quiet, how many documents had invalid UTF-8 when more than one
 * did (the first was warned about by cli_doc_answer). A read error raises the status to
 * EXIT_INPUT (the next input is still read), or to EXIT_INTERNAL when out of memory: then returns
 * CLI_DOC_STOP, else CLI_DOC_NEXT.
 */
cli_doc_action cli_doc_finish(const cli_doc_input *in, int got);

/*
 * Reads the documents of f (not closed here), split as `split`, one at a time, until the input
 * ends or SIGINT/SIGTERM asks to stop: run computes each, cli_doc_answer answers it (print
 * printing it). A rejected document skips the rest of the input. Then cli_doc_finish. Returns 0
 * (go on with the next input), or -1 to stop the run (an internal error, out of memory while
 * reading, or stdout failed); in->run holds the status.
 */
int cli_doc_read(cli_doc_input *in, FILE *f, split_mode split, cli_doc_fn run,
                 cli_doc_print_fn print, void *ctx);

#endif
