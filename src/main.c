/*
 * main.c - the textclf program's entry point, a dispatcher: the first argument names the
 * subcommand (classify when it names none: `textclf [OPTION]... [FILE]...`), and main runs it.
 * Each subcommand's cmd_NAME is in a cli_*.c file (tokenize beside classify in cli_classify.c),
 * parses its own options, reads its inputs, prints its results on stdout and its messages on
 * stderr, and returns the exit status (docs/cli.md); the other cli_*.c files are what they
 * share. The library (src/ apart from main.c and cli_*) never prints. main adds only what
 * concerns the whole process: SIGPIPE's default action, and the check at exit that stdout was
 * written.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli_classify.h"
#include "cli_convert.h"
#include "cli_embed.h"
#include "cli_explain.h"
#include "cli_info.h"
#include "cli_msg.h"
#include "cli_test.h"
#include "cli_train.h"

/* The subcommands: `textclf NAME ...` runs run(argc - 1, argv + 1), so that argv[0] is NAME. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"classify", cmd_classify}, {"info", cmd_info},       {"tokenize", cmd_tokenize},
    {"test", cmd_test},         {"train", cmd_train},     {"explain", cmd_explain},
    {"convert", cmd_convert},   {"embed", cmd_embed},     {"quantize", cmd_quantize},
};

int main(int argc, char **argv)
{
    /* `textclf ... | head -1` must end quietly, whatever SIGPIPE disposition we inherited */
    signal(SIGPIPE, SIG_DFL);

    size_t i = 0, n = sizeof commands / sizeof commands[0];
    while (i < n && !(argc > 1 && strcmp(argv[1], commands[i].name) == 0)) i++;
    /* no subcommand: classify is the default, its options and FILEs start at argv[1] */
    int status = i < n ? commands[i].run(argc - 1, argv + 1) : cmd_classify(argc, argv);

    /* results are only delivered once they are flushed: check that it worked */
    if ((fflush(stdout) != 0 || ferror(stdout)) && status != EXIT_OUTPUT) {
        cli_msg("write error: %s", strerror(errno ? errno : EIO));
        status = EXIT_OUTPUT;
    }
    return status;
}
