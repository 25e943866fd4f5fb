/*
 * cli_color.h - when the command line colours its output (--color[=WHEN], NO_COLOR, TERM=dumb).
 */
#ifndef TC_CLI_COLOR_H
#define TC_CLI_COLOR_H

enum { CLI_COLOR_INVALID = -2, CLI_COLOR_AUTO = -1, CLI_COLOR_NEVER = 0, CLI_COLOR_ALWAYS = 1 };

/* The WHEN of --color[=WHEN]: "always" or NULL (--color alone), "never", "auto". Returns
 * CLI_COLOR_ALWAYS, CLI_COLOR_NEVER, CLI_COLOR_AUTO, or CLI_COLOR_INVALID for anything else. */
int cli_color_parse(const char *when);

/* Whether to colour standard output for a parsed WHEN: always and never as they say; auto: when
 * stdout is a terminal, unless NO_COLOR is set and not empty (https://no-color.org) or TERM is
 * "dumb". Returns 1 or 0. */
int cli_color_enabled(int when);

#endif
