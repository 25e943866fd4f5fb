/*
 * cli_msg.h - how the command line talks to the user: one "textclf: ..." line per message on
 * stderr, the way a compiler reports (docs/cli.md). Only the CLI prints; the library fills a
 * tc_error instead.
 */
#ifndef TC_CLI_MSG_H
#define TC_CLI_MSG_H

#include "textclf.h"

#define CLI_PROGNAME "textclf"

/* Prints "textclf: MESSAGE" and a newline on stderr. */
void cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a usage error and the hint "Try 'textclf [COMMAND] --help' for more information."
 * (command NULL for the classify command's general help); returns the usage exit status, 2. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "textclf: " and err as tc_error_format writes it. */
void cli_report(const tc_error *err);

#endif
