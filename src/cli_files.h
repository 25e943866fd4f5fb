/*
 * cli_files.h - the FILE operands of a command, opened in turn (CLI only).
 */
#ifndef TC_CLI_FILES_H
#define TC_CLI_FILES_H

#include <stdio.h>

/* What a command does with one opened input: name is for messages ("(standard input)" for -),
 * path as given. Returns 0 to go on to the next input, nonzero to stop. */
typedef int (*cli_input_fn)(void *ctx, FILE *f, const char *name, const char *path);

/*
 * Calls fn on each of files[0..nfiles) in turn ("-", or no FILE at all: standard input), until fn
 * returns nonzero or SIGINT/SIGTERM asked to stop (cli_stop.h). An input that cannot be opened, or
 * is a directory, is reported ("textclf: PATH: reason"), raises *status to EXIT_INPUT and is
 * skipped: the others are still read. Out of memory while opening one raises *status to
 * EXIT_INTERNAL and ends the loop. Returns 0, or -1 when fn or a lack of memory ended it. Files are
 * closed here.
 */
int cli_each_input(int nfiles, char **files, cli_input_fn fn, void *ctx, int *status);

#endif
