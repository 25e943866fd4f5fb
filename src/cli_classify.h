/*
 * cli_classify.h - `textclf [classify]` and `textclf tokenize`: one line per document, its labels
 * or its tokens (docs/cli.md); and the options they share with `textclf info` (cli_info.c).
 */
#ifndef TC_CLI_CLASSIFY_H
#define TC_CLI_CLASSIFY_H

#include <stdint.h>

#include "cli_input.h"
#include "cli_output.h"

/* The options of classify, tokenize and info: one table, so that an option of classify given to
 * tokenize or info is refused by name ("option '--top' (-k) does not apply to 'textclf info'"),
 * not as an unknown one. */
typedef struct {
    const char *model;
    split_mode split;
    int strict;
    int filename;          /* -1 default, 0 -h, 1 -H */
    int line_buffered;
    int ids;               /* tokenize: print ids */
    int no_abstain;        /* classify: --no-abstain (TC_NO_ABSTAIN) */
    int threads;           /* --threads */
    int layer;             /* embed: --layer (tc_embed_layer) */
    int quiet;
    out_options out;
    int k_given;
} cli_classify_options;

/* What one of the three commands takes. */
typedef struct {
    const char *name;              /* "classify", "tokenize", "embed" or "info" */
    const char *usage;             /* its --help */
    uint64_t takes;                /* cli_classify_opt() of each option it takes (--help and
                                      --version: every command) */
    const char *const *formats;    /* the words of -f, in out_format order (cli_opt_choice), or
                                      NULL when -f is not taken */
} cli_classify_command;

/* The bit of the option of letter c (-m: 'm') in cli_classify_command.takes; 0 for a letter that
 * is no option. */
uint64_t cli_classify_opt(int c);

/* The bit of the option of long name `name` ("layer"); 0 for no such option. */
uint64_t cli_classify_long_opt(const char *name);

/*
 * Parses the options of command cmd into o (operands are left at argv[optind...]). Returns -1
 * to go on, or the exit status to return: 0 after --help or --version, EXIT_USAGE after the
 * message for a bad value or an option cmd does not take.
 */
int cli_classify_parse(int argc, char **argv, const cli_classify_command *cmd,
                       cli_classify_options *o);

/*
 * Run `textclf [classify]` and `textclf tokenize` with argv[0] = the command (or the program) and
 * the rest of the command line: a result line per document of the FILEs (or standard input) on
 * stdout, diagnostics on stderr. Return the exit status (docs/cli.md).
 */
int cmd_classify(int argc, char **argv);
int cmd_tokenize(int argc, char **argv);

#endif
