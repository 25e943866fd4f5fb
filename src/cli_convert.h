/*
 * cli_convert.h - the `textclf convert` command.
 */
#ifndef TC_CLI_CONVERT_H
#define TC_CLI_CONVERT_H

/* Runs `textclf convert` with argv[0] = "convert"; returns the exit status (docs/cli.md). */
int cmd_convert(int argc, char **argv);

/* Runs `textclf quantize` with argv[0] = "quantize"; returns the exit status (docs/cli.md). */
int cmd_quantize(int argc, char **argv);

#endif
