/*
 * cli_color.c - when the command line colours its output (cli_color.h).
 */
#include "cli_color.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_color_parse(const char *when)
{
    if (!when || strcmp(when, "always") == 0) return CLI_COLOR_ALWAYS;
    if (strcmp(when, "never") == 0) return CLI_COLOR_NEVER;
    if (strcmp(when, "auto") == 0) return CLI_COLOR_AUTO;
    return CLI_COLOR_INVALID;
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
