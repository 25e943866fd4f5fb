/*
 * cli_embed.h - `textclf embed`: one vector per document (docs/cli.md).
 */
#ifndef TC_CLI_EMBED_H
#define TC_CLI_EMBED_H

/*
 * Runs `textclf embed` with argv[0] = "embed" and the rest of the command line: a vector per
 * document of the FILEs (or standard input) on stdout, diagnostics on stderr. Returns the exit
 * status (docs/cli.md).
 */
int cmd_embed(int argc, char **argv);

#endif
