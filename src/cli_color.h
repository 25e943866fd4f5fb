/*
 * cli_color.h - when the command line colours its output (--color[=WHEN], NO_COLOR, TERM=dumb).
 */
#ifndef TC_CLI_COLOR_H
#define TC_CLI_COLOR_H

enum { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* The WHEN of --color[=WHEN] of command (for the message, cli_opt.h): "auto", "always" or NULL
 * (--color alone), "never", into *when as CLI_COLOR_AUTO, CLI_COLOR_ALWAYS or CLI_COLOR_NEVER.
 * Returns -1, or EXIT_USAGE after the message for any other word. */
int cli_color_parse(const char *command, const char *arg, int *when);

/* Whether to colour standard output for a parsed WHEN: always and never as they say; auto: when
 * stdout is a terminal, unless NO_COLOR is set and not empty (https://no-color.org) or TERM is
 * "dumb". Returns 1 or 0. */
int cli_color_enabled(int when);

#endif
