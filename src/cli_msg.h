/*
 * cli_msg.h - how the command line talks to the user: one "textclf: ..." line per message on
 * stderr, the way a compiler reports (docs/cli.md). Only the CLI prints; the library fills a
 * tc_error instead.
 */
#ifndef TC_CLI_MSG_H
#define TC_CLI_MSG_H

#include "textclf.h"

#define CLI_PROGNAME "textclf"

/* Exit statuses of every command; stable, documented in docs/cli.md. When several problems occur
 * the highest applicable one is used. */
enum {
    EXIT_OK = 0,
    EXIT_INTERNAL = 1,   /* out of memory or an unexpected failure */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_MODEL = 3,      /* the model could not be loaded */
    EXIT_INPUT = 4,      /* an input could not be read (others were still processed) */
    EXIT_OUTPUT = 5      /* writing the results failed (e.g. disk full) */
    /* and 128 + the signal when SIGINT or SIGTERM stopped classification (cli_stop.h) */
};

/* Records exit status s in *status when it is worse (higher) than the one so far. */
static inline void cli_raise_status(int *status, int s)
{
    if (s > *status) *status = s;
}

/* Prints "textclf: MESSAGE" and a newline on stderr. MESSAGE is written with out_escaped
 * (cli_output.h; backslashes as they are): a message may quote text that is not ours (a
 * model's JSON, an argument), and no control, invisible or reordering character of it may reach
 * the terminal or start a line of its own. */
void cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A message about a file: "textclf: NAME" then the rest, fmt (": %s", ":%lld: warning: ...").
 * NAME is escaped as names are everywhere (out_tsv_field: backslashes too, so that it reads as
 * in the file name column of the output), the rest as by cli_msg. */
void cli_msg_file(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints a usage error (escaped as by cli_msg) and the hint of cli_usage_hint; returns
 * EXIT_USAGE. fmt is a printf format; a message without arguments needs none. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the hint "Try 'textclf [COMMAND] --help' for more information." (command NULL for the
 * classify command's general help), as after a message of getopt's own; returns EXIT_USAGE. */
int cli_usage_hint(const char *command);

/* Whether writing stdout has failed so far: if so, prints "textclf: write error: REASON" and
 * returns 1, else returns 0. It does not flush: when results leave the buffer is each command's
 * choice (classify is block-buffered into pipes, docs/cli.md; explain flushes each explanation),
 * and main() flushes at exit and calls this once more. */
int cli_output_failed(void);

/* Prints "textclf: " and err laid out as tc_error_format lays it out, its file escaped as by
 * cli_msg_file and the rest as by cli_msg. */
void cli_report(const tc_error *err);

/* --version of every command: prints "textclf VERSION" on stdout; returns EXIT_OK. */
int cli_version(void);

#endif
