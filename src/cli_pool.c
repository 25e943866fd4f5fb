/*
 * cli_pool.c - worker threads that compute a batch of documents (see cli_pool.h).
 *
 * One batch at a time: cli_pool_submit publishes it under the mutex and bumps a generation
 * number; each worker takes documents with an atomic counter until none is left, and the last
 * one to finish signals `done`. Which thread computes which document does not matter: every
 * result depends on the document only.
 */
#include "cli_pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

typedef struct {
    struct cli_pool *pool;
    tc_session *session;
    pthread_t tid;
    int started;
} worker;

struct cli_pool {
    cli_pool_fn fn;
    const void *arg;
    int threads;
    worker *w;                  /* [threads] */
    pthread_mutex_t mu;
    pthread_cond_t start, done;
    pool_doc *docs;             /* the batch in progress */
    int n;
    atomic_int next;            /* next document to take */
    int busy;                   /* workers still on the batch */
    unsigned generation;        /* bumped per batch */
    int quit;
};

static void compute_batch(struct cli_pool *p, tc_session *s)
{
    for (;;) {
        int i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) return;
        p->fn(s, p->arg, &p->docs[i]);
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    struct cli_pool *p = w->pool;
    unsigned seen = 0;   /* not p->generation: a thread may start after the first batch */
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->generation == seen && !p->quit) pthread_cond_wait(&p->start, &p->mu);
        if (p->quit) break;
        seen = p->generation;
        pthread_mutex_unlock(&p->mu);
        compute_batch(p, w->session);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0) pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

tc_status cli_pool_init(cli_pool **out, const tc_model *m, int threads, cli_pool_fn fn,
                        const void *arg, tc_error *err)
{
    *out = NULL;
    struct cli_pool *p = calloc(1, sizeof *p);
    if (!p) return tc_fail_nomem(err, NULL);
    p->fn = fn;
    p->arg = arg;
    p->threads = threads;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->start, NULL);
    pthread_cond_init(&p->done, NULL);
    p->w = calloc((size_t)threads, sizeof *p->w);
    if (!p->w) {
        cli_pool_free(p);
        return tc_fail_nomem(err, NULL);
    }
    for (int k = 0; k < threads; k++) {
        p->w[k].pool = p;
        tc_status s = tc_session_init(m, &p->w[k].session, err);
        if (s != TC_OK) {
            cli_pool_free(p);
            return s;
        }
    }
    /* the workers block SIGINT and SIGTERM (they inherit the mask), so that a stop request
     * reaches the main thread and interrupts its blocking read (cli_stop.h) */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    for (int k = 0; k < threads; k++) {
        int e = pthread_create(&p->w[k].tid, NULL, worker_main, &p->w[k]);
        if (e != 0) {
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            cli_pool_free(p);
            return tc_fail(err, TC_ERR_NOMEM, NULL, NULL, "cannot start a thread: %s", strerror(e));
        }
        p->w[k].started = 1;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    *out = p;
    return TC_OK;
}

void cli_pool_submit(cli_pool *p, pool_doc *docs, int n)
{
    pthread_mutex_lock(&p->mu);
    p->docs = docs;
    p->n = n;
    atomic_store(&p->next, 0);
    p->busy = p->threads;
    p->generation++;
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->mu);
}

void cli_pool_wait(cli_pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->busy > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void cli_pool_free(cli_pool *p)
{
    if (!p) return;
    int any = 0;
    for (int k = 0; p->w && k < p->threads; k++) any |= p->w[k].started;
    if (any) {
        cli_pool_wait(p);
        pthread_mutex_lock(&p->mu);
        p->quit = 1;
        pthread_cond_broadcast(&p->start);
        pthread_mutex_unlock(&p->mu);
    }
    for (int k = 0; p->w && k < p->threads; k++) {
        if (p->w[k].started) pthread_join(p->w[k].tid, NULL);
        tc_session_free(p->w[k].session);
    }
    free(p->w);
    pthread_cond_destroy(&p->start);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
