/*
 * cli_pool.h - computing batches of documents on several threads (the CLI's --threads):
 * classify's probabilities, embed's vectors.
 *
 * The pool's threads each own a tc_session and share the model (textclf.h: a loaded model may be
 * used by any number of threads). The caller hands over a batch and is free to read the next
 * batch and write the previous one's results while the pool works; results land in the batch's
 * own slots, so the caller prints them in input order.
 */
#ifndef TC_CLI_POOL_H
#define TC_CLI_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "textclf.h"

/* One document of a batch: the input fields are set by the caller, the rest by the pool. */
typedef struct {
    const char *data;      /* the text (borrowed until the batch is done) */
    size_t len;
    int64_t number;        /* the caller's record number */
    tc_status status;      /* the work function's result, and its outputs: */
    tc_doc_info info;
    tc_error err;
    float *out;            /* caller-allocated: [num_labels] probabilities (classify), or the
                            * vector (embed) */
} pool_doc;

/* The work on one document: fills d->status, d->info, d->err and d->out from d->data[0..len)
 * with session s (the calling thread's own); arg is cli_pool_init's. Called on the pool's
 * threads, several at once: it may read arg, not write it. */
typedef void (*cli_pool_fn)(tc_session *s, const void *arg, pool_doc *d);

typedef struct cli_pool cli_pool;

/* Starts `threads` worker threads (>= 1), each with a session on m, that run fn(session, arg,
 * doc) on the documents of each batch (arg must outlive the pool). TC_OK with *out set; else
 * *out is NULL and the status is TC_ERR_NOMEM, also when a thread cannot be started
 * (pthread_create: out of resources; the message says "cannot start a thread" and why). */
tc_status cli_pool_init(cli_pool **out, const tc_model *m, int threads, cli_pool_fn fn,
                        const void *arg, tc_error *err);

/* Starts computing docs[0..n) and returns at once; one batch at a time (wait first). */
void cli_pool_submit(cli_pool *p, pool_doc *docs, int n);

/* Waits until the submitted batch (if any) is done. */
void cli_pool_wait(cli_pool *p);

/* Waits for the batch in progress, stops the threads and frees everything. NULL is a no-op. */
void cli_pool_free(cli_pool *p);

#endif
