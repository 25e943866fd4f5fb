/*
 * cli_batch.h - reading an input in batches for a thread pool (the CLI's --threads): batch k+1
 * is read, and batch k-1 printed, while the pool computes batch k; results are printed in input
 * order and answered as without threads (cli_doc_answer). classify and embed share it; what is
 * computed per document is the pool's work function (cli_pool.h), how it is printed the
 * command's cli_batch_print_fn.
 */
#ifndef TC_CLI_BATCH_H
#define TC_CLI_BATCH_H

#include <stddef.h>
#include <stdio.h>

#include "cli_doc.h"
#include "cli_input.h"
#include "cli_pool.h"

typedef struct cli_batches cli_batches;

/* The two batches of a run, each document with room for out_len floats of results (pool_doc
 * .out), or NULL if out of memory. Free with cli_batches_free (NULL is a no-op). */
cli_batches *cli_batches_new(size_t out_len);
void cli_batches_free(cli_batches *b);

/* Prints on stdout the result of a document the pool computed (d: its status TC_OK, its
 * results in d->out, its number in d->number). */
typedef void (*cli_batch_print_fn)(void *ctx, const pool_doc *d);

/*
 * Reads input `in` (file f, split as `split`) in batches of b, computes each on pool p and
 * answers each document in order with cli_doc_answer (print printing it), then cli_doc_finish:
 * what cli_doc_read does on one thread. A rejected document skips the rest of the input once
 * its batch is answered. Returns 0 (go on with the next input), or -1 to stop the run (output
 * failed, an internal error, or out of memory); in->run holds the status.
 */
int cli_batch_read(cli_batches *b, cli_pool *p, cli_doc_input *in, FILE *f, split_mode split,
                   cli_batch_print_fn print, void *ctx);

#endif
