/*
 * cli_classify.h - `textclf [classify]` and `textclf tokenize`: one line per document, its labels
 * or its tokens (docs/cli.md); and the options they share with `textclf info` (cli_info.c).
 */
#ifndef TC_CLI_CLASSIFY_H
#define TC_CLI_CLASSIFY_H

#include "cli_input.h"
#include "cli_output.h"
#include "textclf.h"

/* The options of classify, tokenize and info: one table, so that an option of classify given to
 * tokenize or info is refused by name ("option '--top' (-k) does not apply to 'textclf info'"),
 * not taken for an unknown one. */
typedef struct {
    const char *model;
    split_mode split;
    int strict;
    int filename;          /* -1 default, 0 -h, 1 -H */
    int line_buffered;
    int ids;               /* tokenize: print ids */
    int threads;           /* --threads */
    int quiet;
    out_options out;
    int k_given;
    unsigned given;        /* cli_classify_optbit() of each option given, for the commands' checks */
} cli_classify_options;

/* Parses the options (info: for `textclf info`, whose JSON is one object, not lines); returns
 * -1 to continue, or an exit status (--help, --version, a usage error). */
int cli_classify_parse(int argc, char **argv, cli_classify_options *o, int info);

/* The bit of option c (a letter, or a long-only option's value) in cli_classify_options.given. */
unsigned cli_classify_optbit(int c);

/* Returns -1 when every option given is among allowed (cli_classify_optbit() values); otherwise
 * reports the first that is not, e.g. "option '--top' (-k) does not apply to 'textclf info'", and
 * returns EXIT_USAGE. */
int cli_classify_only(const cli_classify_options *o, unsigned allowed, const char *command);

/* Loads the model of o (cli_model.h); returns -1 when *m is loaded, else the exit status after
 * the message. */
int cli_classify_load_model(const cli_classify_options *o, tc_model **m);

/*
 * Run `textclf [classify]` and `textclf tokenize` with argv[0] = the command (or the program) and
 * the rest of the command line: a result line per document of the FILEs (or standard input) on
 * stdout, diagnostics on stderr. Return the exit status (docs/cli.md).
 */
int cmd_classify(int argc, char **argv);
int cmd_tokenize(int argc, char **argv);

#endif
