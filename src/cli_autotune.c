/*
 * cli_autotune.c - the autotune search of `textclf train` (cli_autotune.h).
 *
 * A trial is a whole tc_train with the options tc_autotune_trial draws, written into a temporary
 * directory beside the output (same file system, so nothing large crosses devices) and scored
 * by its own best epoch's accuracy on the autotune file. Only the best trial so far is kept
 * there; at the end it is loaded and saved to the output by the writer `train` uses, with its
 * metadata plus the search's record. The time budget is kept by the trainer's progress
 * callback, which sets the trainer's stop flag once the deadline has passed (or a signal asked
 * to stop): the running trial ends after its batch, like an interrupted `train`. The callback
 * runs on the thread that reads the flag, every 16 batches, so no other thread is involved.
 */
#include "cli_autotune.h"
#include "cli_msg.h"
#include "cli_stop.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "model.h"
#include "model_save.h"
#include "train_autotune.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* When the search stops: stop = 1 once the deadline has passed or a signal asked to stop. */
typedef struct {
    double deadline;
    volatile int stop;       /* what the trials' tc_train reads (tc_train_options.stop) */
    int timed_out;           /* the deadline, not a signal, set stop */
} budget;

static void check_budget(budget *b)
{
    if (b->stop) return;
    if (cli_stop_signal) b->stop = 1;
    else if (now() >= b->deadline) b->stop = b->timed_out = 1;
}

/* What one trial reached: its best epoch's validation accuracy and loss (the trainer keeps the
 * same epoch: highest accuracy, then lowest loss); and the budget it checks on every event. */
typedef struct {
    double acc, loss;
    int epoch;
    int cut;      /* the trainer stopped it (the budget's stop flag), not its last epoch */
    budget *b;
} trial_score;

static void on_event(void *ctx, const tc_train_event *e)
{
    trial_score *t = ctx;
    if (e->kind == TC_EV_EPOCH && e->improved) {
        t->acc = e->valid_acc;
        t->loss = e->valid_loss;
        t->epoch = e->epoch;
    }
    if (e->kind == TC_EV_STOPPED && strcmp(e->reason, "interrupted") == 0) t->cut = 1;
    if (e->kind != TC_EV_SAVED && e->kind != TC_EV_STOPPED) check_budget(t->b);
}

/* Removes the files of trial k in dir: tK.json and its companions tK-<hash>.* */
static void remove_trial(const char *dir, int k)
{
    char a[32], b[32], path[4200];
    snprintf(a, sizeof a, "t%d.", k);
    snprintf(b, sizeof b, "t%d-", k);
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, a, strlen(a)) == 0 || strncmp(e->d_name, b, strlen(b)) == 0) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
}

/* The search's record in the written model's metadata: the trial's own metadata (its options,
 * as `train` records them) plus "autotune" (no time: the same search writes the same bytes).
 * Returns JSON text to free, or NULL (no memory). */
static char *metadata_with_search(const tc_model *m, const tc_train_options *o,
                                  const cli_autotune_options *a, int trials, int best,
                                  const trial_score *score, const char *why)
{
    cJSON *md = m->metadata ? cJSON_Duplicate(m->metadata, 1) : cJSON_CreateObject();
    cJSON *at = md ? cJSON_AddObjectToObject(md, "autotune") : NULL;
    int bad = !at;
    if (at) {
        bad |= !cJSON_AddStringToObject(at, "validation", a->valid);
        /* "accuracy", "micro_f1" or "f1:LABEL"; the score under its key in the metadata */
        const char *key = tc_train_metric_key(o);
        if (o->metric_label) {
            char *metric = malloc(strlen(o->metric_label) + 4);
            if (metric) sprintf(metric, "f1:%s", o->metric_label);
            bad |= !metric || !cJSON_AddStringToObject(at, "metric", metric);
            free(metric);
        } else {
            bad |= !cJSON_AddStringToObject(at, "metric", key + strlen("valid_"));
        }
        bad |= !cJSON_AddNumberToObject(at, "trials", trials);
        bad |= !cJSON_AddNumberToObject(at, "best_trial", best);
        bad |= !cJSON_AddNumberToObject(at, key, score->acc);
        bad |= !cJSON_AddNumberToObject(at, "duration", a->duration);
        if (a->trials) bad |= !cJSON_AddNumberToObject(at, "max_trials", a->trials);
        bad |= !cJSON_AddStringToObject(at, "stopped", why);
    }
    char *s = bad ? NULL : cJSON_Print(md);
    cJSON_Delete(md);
    return s;
}

/* One line per trial: its options (those the search sets) and what it reached. */
static void print_trial(int k, const tc_train_options *o, const trial_score *t, double seconds,
                        int stopped, int best)
{
    char opts[256], crop[32] = "0";
    if (o->crop > 0) snprintf(crop, sizeof crop, "%g", o->crop);
    snprintf(opts, sizeof opts, "lr %.3g, epochs %d, dim %d, vocab-size %d, max-len %d, "
             "dropout %.3f, crop %s", o->lr, o->epochs, o->dim, (int)o->vocab_size, o->max_len,
             o->dropout, crop);
    if (t->epoch == 0)
        cli_msg("autotune: trial %d: %s: stopped before its first epoch ended (%.1f s)", k, opts,
                seconds);
    else
        cli_msg("autotune: trial %d: %s: valid %s %.4f at epoch %d%s, loss %.4f (%.1f s)%s",
                k, opts, tc_train_metric_name(o), t->acc, t->epoch,
                stopped ? " (cut short: time budget or interrupt)" : "", t->loss, seconds,
                best ? ", best so far" : "");
}

/* Makes the temporary directory beside path: into dir[size]. 0, or -1 with errno. */
static int make_dir(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    int n = slash ? (int)(slash - path + 1) : 0;
    if (snprintf(dir, size, "%.*s.textclf-autotune-XXXXXX", n, path) >= (int)size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkdtemp(dir) ? 0 : -1;
}

tc_status cli_autotune(const tc_train_options *base, const cli_autotune_options *a, int quiet,
                       tc_error *err)
{
    char dir[4096], out[4200];
    if (make_dir(base->output, dir, sizeof dir) != 0)
        return tc_fail(err, TC_ERR_IO, base->output, NULL, "cannot make the autotune "
                       "directory beside it: %s", strerror(errno));
    double start = now();
    budget w = {.deadline = start + a->duration};

    tc_status s = TC_OK;
    int best = -1, k = 0;
    trial_score best_score = {0};
    const char *why = "trials";
    for (;; k++) {
        if (a->trials && k >= a->trials) break;
        check_budget(&w);
        if (w.stop) {
            why = w.timed_out ? "duration" : "signal";
            break;
        }
        tc_train_options o;
        tc_autotune_trial(base, k, &o);
        trial_score t = {.b = &w};
        snprintf(out, sizeof out, "%s/t%d.json", dir, k);
        o.valid = a->valid;
        o.valid_fraction = 0;
        o.output = out;
        o.inline_weights = 0;
        o.progress = on_event;
        o.ctx = &t;
        o.stop = &w.stop;
        double t0 = now();
        s = tc_train(&o, err);
        int stopped = t.cut;
        if (s != TC_OK && !(stopped && t.epoch == 0)) break;   /* a real failure */
        s = TC_OK;
        int better = t.epoch > 0 &&
                     (best < 0 || t.acc > best_score.acc ||
                      (t.acc == best_score.acc && t.loss < best_score.loss));
        if (!quiet) print_trial(k, &o, &t, now() - t0, stopped, better);
        if (better) {
            if (best >= 0) remove_trial(dir, best);
            best = k;
            best_score = t;
        } else {
            remove_trial(dir, k);
        }
        if (w.stop) {   /* the budget ran out (or a signal came) during this trial */
            why = w.timed_out ? "duration" : "signal";
            k++;
            break;
        }
    }
    double seconds = now() - start;

    if (s == TC_OK && best < 0)
        s = tc_fail(err, TC_ERR_INPUT, NULL, NULL, "autotune: no trial finished an epoch in "
                    "%g s (--autotune-duration): no model written", a->duration);
    if (s == TC_OK) {   /* the best trial, saved where the user asked */
        tc_model *m = NULL;
        snprintf(out, sizeof out, "%s/t%d.json", dir, best);
        s = tc_model_load(out, &m, err);
        char *md = s == TC_OK ? metadata_with_search(m, base, a, k, best, &best_score, why)
                              : NULL;
        if (s == TC_OK && !md) s = tc_fail_nomem(err, NULL);
        if (s == TC_OK) {
            tc_file_ref keep[3];
            int n = 0;
            if (tc_file_ref_init(&keep[n], base->input, "the training data") == 0) n++;
            if (tc_file_ref_init(&keep[n], a->valid, "the autotune validation data") == 0) n++;
            if (base->pretrained &&
                tc_file_ref_init(&keep[n], base->pretrained, "the pretrained vectors") == 0)
                n++;
            s = tc_model_save(m, base->output, md,
                              base->inline_weights ? TC_SAVE_INLINE_WEIGHTS : 0, keep, n, err);
        }
        cJSON_free(md);
        tc_model_free(m);
        if (s == TC_OK && !quiet)
            cli_msg("autotune: %d trial%s in %.1f s (%s); best: trial %d, valid %s %.4f; "
                    "wrote %s", k, k == 1 ? "" : "s", seconds,
                    !strcmp(why, "duration") ? "the time budget ran out"
                    : !strcmp(why, "signal") ? "interrupted" : "all trials done",
                    best, tc_train_metric_name(base), best_score.acc,
                    base->output);
    }
    if (best >= 0) remove_trial(dir, best);
    rmdir(dir);
    return s;
}
