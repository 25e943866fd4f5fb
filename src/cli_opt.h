/*
 * cli_opt.h - option values, parsed and refused the same way by every command.
 *
 * A value that does not fit is a usage error with one kind of message, naming the option as it
 * was given (its long name) and what it takes, then the hint to the command's --help:
 *
 *     textclf: invalid --top 'x': expected a whole number in 1..1000000
 *     textclf: invalid --format 'yaml': expected tsv or jsonl
 *     Try 'textclf --help' for more information.
 *
 * `command` is the subcommand whose --help the hint names ("test", "train"; NULL: classify,
 * the general help); `option` is the long name without its dashes ("top"). Each function
 * returns -1 when the value was stored, else EXIT_USAGE (cli_msg.h) after the message: the
 * commands' parsers return any status that is not -1.
 */
#ifndef TC_CLI_OPT_H
#define TC_CLI_OPT_H

/* Before a command's getopt_long loop: getopt's own messages ("unrecognized option '--x'", "option
 * requires an argument") name argv[0], so it becomes the program's name, not the subcommand's;
 * and getopt prints them (opterr). */
void cli_opt_begin(char **argv);

/* A whole number (decimal) in lo..hi into *out. */
int cli_opt_int(const char *command, const char *option, const char *arg, long long lo,
                long long hi, long long *out);

/* A number (as strtod reads it: 0.5, 1e-3) in lo..hi into *out; NaN is refused. */
int cli_opt_real(const char *command, const char *option, const char *arg, double lo, double hi,
                 double *out);

/* A number above 0, up to hi, into *out (train's --lr: a step of 0 learns nothing). */
int cli_opt_positive(const char *command, const char *option, const char *arg, double hi,
                     double *out);

/* -k/--top of classify, explain and test: a whole number in 1..1000000 into *k. */
int cli_opt_top(const char *command, const char *arg, int *k);

/*
 * One word of a fixed list: names is NULL-terminated, and *index gets the index of the name arg
 * is. A name may carry other words for the same value after a '|' ("jsonl|json": json is
 * accepted as jsonl); they are accepted but not listed in the message, which lists the first
 * word of each name: "expected tsv or jsonl", "expected auto, fasttext or tsv". The name
 * tables of the library's enums work as they are (TC_ACTIVATION_NAMES, model.h).
 */
int cli_opt_choice(const char *command, const char *option, const char *arg,
                   const char *const *names, int *index);

/* The words of --data-format (test, train), in tc_data_format order (labeled.h). */
extern const char *const cli_data_format_names[];

#endif
