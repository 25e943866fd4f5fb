/*
 * cli_color.c - when the command line colours its output (cli_color.h).
 */
#include "cli_color.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_opt.h"

int cli_color_parse(const char *command, const char *arg, int *when)
{
    static const char *const names[] = {"auto", "always", "never", NULL};   /* CLI_COLOR_* order */
    if (!arg) {
        *when = CLI_COLOR_ALWAYS;
        return -1;
    }
    return cli_opt_choice(command, "color", arg, names, when);
}

int cli_color_enabled(int when)
{
    if (when != CLI_COLOR_AUTO) return when == CLI_COLOR_ALWAYS;
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    if (no_color && *no_color) return 0;
    if (term && strcmp(term, "dumb") == 0) return 0;
    return isatty(STDOUT_FILENO);
}
