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

/* Prints "textclf: MESSAGE" and a newline on stderr. */
void cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a usage error and the hint "Try 'textclf [COMMAND] --help' for more information."
 * (command NULL for the classify command's general help); returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "textclf: " and err as tc_error_format writes it. */
void cli_report(const tc_error *err);

/* --version of every command: prints "textclf VERSION" on stdout; returns EXIT_OK. */
int cli_version(void);

#endif
