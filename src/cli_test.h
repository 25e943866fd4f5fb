/*
 * cli_test.h - the `textclf test` command: evaluating a model on labelled files.
 */
#ifndef TC_CLI_TEST_H
#define TC_CLI_TEST_H

/*
 * Runs `textclf test` with argv[0] = "test" and the rest of the command line (docs/cli.md):
 * reads the labelled FILEs, classifies every example, prints the report on stdout and
 * diagnostics on stderr. Returns the exit status (0 ok, 1 internal, 2 usage, 3 model, 4 input,
 * 5 output).
 */
int cmd_test(int argc, char **argv);

#endif
