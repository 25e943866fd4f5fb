/*
 * cli_explain.h - the `textclf explain` command: which words drove each classification.
 */
#ifndef TC_CLI_EXPLAIN_H
#define TC_CLI_EXPLAIN_H

/*
 * Runs `textclf explain` with argv[0] = "explain" and the rest of the command line
 * (docs/cli.md): explains every document of the FILEs (or standard input), prints the
 * explanations on stdout and diagnostics on stderr. Returns the exit status (0 ok, 1 internal,
 * 2 usage, 3 model, 4 input, 5 output).
 */
int cmd_explain(int argc, char **argv);

#endif
