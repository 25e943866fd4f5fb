/*
 * cli_info.h - the `textclf info` command: what a model is made of.
 */
#ifndef TC_CLI_INFO_H
#define TC_CLI_INFO_H

/*
 * Runs `textclf info` with argv[0] = "info" and the rest of the command line (docs/cli.md):
 * loads the model (MODEL, -m, $TEXTCLF_MODEL or the built-in one) and prints its labels, sizes,
 * files and tokenizer settings on stdout. Returns the exit status (0 ok, 1 internal, 2 usage,
 * 3 model).
 */
int cmd_info(int argc, char **argv);

#endif
