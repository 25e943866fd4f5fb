/*
 * cli_batch.c - an input read in batches for a thread pool (see cli_batch.h).
 *
 * A batch is up to BATCH_DOCS documents or about BATCH_BYTES of text, copied into one buffer
 * (the reader's buffer is reused by the next read), with each document's results in its own
 * slice of one array. Two batches alternate: one is computed while the other is read, then
 * printed.
 */
#include "cli_batch.h"

#include <stdlib.h>
#include <string.h>

#include "cli_msg.h"
#include "cli_stop.h"

enum { BATCH_DOCS = 512, BATCH_BYTES = 1 << 20 };

typedef struct {
    pool_doc docs[BATCH_DOCS];
    size_t offset[BATCH_DOCS];   /* of each document's text in `text` */
    float *out;                  /* [BATCH_DOCS, out_len]: docs[i].out */
    char *text;
    size_t used, cap;
    int n;
} batch;

struct cli_batches {
    batch b[2];
};

cli_batches *cli_batches_new(size_t out_len)
{
    cli_batches *bs = calloc(1, sizeof *bs);
    if (!bs) return NULL;
    for (int k = 0; k < 2; k++) {
        batch *b = &bs->b[k];
        /* out_len <= labels or vector width, both bounded by the loader: no overflow */
        b->out = malloc((size_t)BATCH_DOCS * out_len * sizeof *b->out);
        if (!b->out) {
            cli_batches_free(bs);
            return NULL;
        }
        for (int i = 0; i < BATCH_DOCS; i++) b->docs[i].out = b->out + (size_t)i * out_len;
    }
    return bs;
}

void cli_batches_free(cli_batches *bs)
{
    for (int k = 0; bs && k < 2; k++) {
        free(bs->b[k].out);
        free(bs->b[k].text);
    }
    free(bs);
}

/* Reads up to BATCH_DOCS documents (or about BATCH_BYTES of text) into b. Returns what the
 * last cli_reader_next returned (1: more may follow), or -2 when out of memory. */
static int batch_fill(batch *b, cli_reader *r)
{
    b->n = 0;
    b->used = 0;
    int got = 1;
    while (b->n < BATCH_DOCS && b->used < BATCH_BYTES) {
        if (cli_stop_signal) return 0;
        char *data;
        size_t len;
        if ((got = cli_reader_next(r, &data, &len)) != 1) break;
        if (len > b->cap - b->used) {
            size_t cap = b->cap ? b->cap : 4096;
            while (cap - b->used < len) cap *= 2;
            char *t = realloc(b->text, cap);
            if (!t) return -2;
            b->text = t;
            b->cap = cap;
        }
        if (len) memcpy(b->text + b->used, data, len);   /* text is NULL until a non-empty one */
        b->offset[b->n] = b->used;
        b->docs[b->n].len = len;
        b->docs[b->n].number = r->record;
        b->used += len;
        b->n++;
    }
    for (int i = 0; i < b->n; i++) b->docs[i].data = b->text ? b->text + b->offset[i] : "";
    return got;
}

/* One document of a finished batch, for print_doc. */
typedef struct {
    cli_batch_print_fn print;
    void *ctx;
    const pool_doc *d;
} answer;

/* cli_doc_print_fn: the command's printer for a pool document */
static void print_doc(void *ctx, int64_t number, const tc_doc_info *info)
{
    (void)number;   /* a->d->number */
    (void)info;     /* a->d->info */
    const answer *a = ctx;
    a->print(a->ctx, a->d);
}

/* Answers a finished batch of input `in` in order (cli_doc_answer); returns CLI_DOC_NEXT when
 * every document went on, else what the first other one said. */
static cli_doc_action batch_output(cli_doc_input *in, const batch *b, cli_batch_print_fn print,
                                   void *ctx)
{
    for (int i = 0; i < b->n; i++) {
        answer a = {print, ctx, &b->docs[i]};
        cli_doc_action next = cli_doc_answer(in, a.d->number, a.d->status, &a.d->info,
                                             &a.d->err, print_doc, &a);
        if (next != CLI_DOC_NEXT) return next;
    }
    return CLI_DOC_NEXT;
}

int cli_batch_read(cli_batches *bs, cli_pool *p, cli_doc_input *in, FILE *f, split_mode split,
                   cli_batch_print_fn print, void *ctx)
{
    cli_reader r;
    cli_reader_init(&r, f, split);
    batch *b = bs->b;
    int cur = 0, got = batch_fill(&b[cur], &r), result = 0;
    if (b[cur].n > 0) cli_pool_submit(p, b[cur].docs, b[cur].n);
    while (b[cur].n > 0) {
        int nxt = 1 - cur;
        b[nxt].n = 0;
        if (got == 1) got = batch_fill(&b[nxt], &r);      /* while batch cur is computed */
        cli_pool_wait(p);
        if (b[nxt].n > 0) cli_pool_submit(p, b[nxt].docs, b[nxt].n);
        cli_doc_action next = batch_output(in, &b[cur], print, ctx);   /* while nxt is */
        if (next != CLI_DOC_NEXT) {
            cli_pool_wait(p);
            result = next == CLI_DOC_STOP ? -1 : 0;
            got = 0;    /* rejected: the rest of this input is skipped, as without --threads */
            break;
        }
        cur = nxt;
    }
    if (got == -2) {
        cli_msg("out of memory");
        cli_raise_status(&in->run->status, EXIT_INTERNAL);
        result = -1;
        got = 0;
    }
    if (cli_doc_finish(in, got) == CLI_DOC_STOP) result = -1;
    cli_reader_free(&r);
    return result;
}
