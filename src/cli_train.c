/*
 * cli_train.c - `textclf train`: options, progress display, signals, exit status.
 */
#include "cli_train.h"
#include "cli_msg.h"
#include "cli_output.h"
#include "cli_stop.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli_autotune.h"
#include "cli_opt.h"
#include "model.h"
#include "model_save.h"
#include "train.h"

static const char train_usage[] =
    "Usage: textclf train -i FILE -o MODEL.json [OPTION]...\n"
    "Train a self-attention classifier on labelled lines and write it to MODEL.json.\n"
    "Input lines are fastText style (__label__spam Buy now!) or TSV (label<TAB>text).\n"
    "With --multi-label a line may have several labels (__label__a __label__b text, or\n"
    "a,b<TAB>text) and the model gives each label its own probability (a sigmoid).\n"
    "\n"
    "Data:\n"
    "  -i, --input=FILE        training data (a regular file: it is read twice)\n"
    "  -o, --output=FILE       model to write (atomically: temp file + rename); its weights go\n"
    "                          to FILE's stem-HASH.safetensors beside it. A regular file or a\n"
    "                          new one, never an input (-i, --valid, --pretrained-vectors)\n"
    "      --inline            weights inside the JSON instead (larger, slower to load)\n"
    "      --valid=FILE        validation data (default: hold out --valid-fraction of input)\n"
    "      --valid-fraction=F  share of input held out for validation (default 0.1; 0 = none)\n"
    "      --data-format=FMT   auto (default), fasttext or tsv (--format=FMT, its old name,\n"
    "                          still works)\n"
    "      --label-prefix=P    fastText label prefix (default __label__)\n"
    "      --multi-label       several labels per line (fastText's -loss ova): one sigmoid per\n"
    "                          label, binary cross-entropy; TSV separates labels with commas.\n"
    "                          Validation scores micro-F1 at probability 0.5 instead of accuracy\n"
    "Vocabulary:\n"
    "      --vocab-size=N      WordPiece vocabulary size limit (default 16000)\n"
    "      --min-count=N       minimum count of a learned piece (default 2)\n"
    "      --word-apostrophes  keep an apostrophe (U+0027, U+2019, U+02BC) between two word\n"
    "                          characters inside the word: don't, l'homme stay one word\n"
    "      --buckets=N         hashed character n-grams in N buckets, added to each token's\n"
    "                          embedding (default 0: none)\n"
    "      --minn=N            shortest n-gram, in characters (default 1; needs --buckets)\n"
    "      --maxn=N            longest n-gram, in characters (default 4; needs --buckets)\n"
    "      --pretrained-vectors=FILE\n"
    "                          start the embeddings of the vocabulary entries FILE names from\n"
    "                          its vectors (fastText's text .vec; their dimension must be --dim)\n"
    "Model:\n"
    "      --dim=N             embedding width (default 64)\n"
    "      --heads=N           attention heads (default 4)\n"
    "      --head-dim=N        width of each head (default dim/heads)\n"
    "      --max-len=N         tokens kept per document (default 128)\n"
    "      --hidden=N          dense layer width (default 64)\n"
    "      --activation=A      relu (default), gelu or tanh\n"
    "      --no-residual       no residual connection around attention\n"
    "      --position=P        position vectors: learned (default), none, sinusoidal\n"
    "                          (the Transformer's sin/cos, interleaved) or sinusoidal-halves\n"
    "                          (all sines, then all cosines)\n"
    "Optimisation:\n"
    "      --epochs=N          maximum epochs (default 10)\n"
    "      --batch=N           mini-batch size (default 32)\n"
    "      --window=N          keep N training examples in memory at once: each epoch reads\n"
    "                          the input again, N at a time, shuffled within each N (memory\n"
    "                          bounded by N, not by the input; default 0: all, shuffled whole)\n"
    "      --lr=X              peak learning rate of AdamW (default 0.002)\n"
    "      --warmup=F          share of steps with linear warm-up (default 0.05),"
    " then linear decay\n"
    "      --weight-decay=X    AdamW weight decay on weight matrices (default 0.01)\n"
    "      --dropout=P         dropout on the pooled vector and hidden layer (default 0.1)\n"
    "      --crop=P            share of documents cut, each epoch, to a random run of 1-8 words\n"
    "                          (default 0; for short-text use such as language ID)\n"
    "      --clip=X            gradient clipping by global norm (default 1; 0 = none)\n"
    "      --class-weights     weight classes by inverse frequency (imbalanced data)\n"
    "      --patience=N        stop after N epochs without better validation accuracy (default 3;\n"
    "                          0 = never)\n"
    "      --seed=N            random seed (default 1)\n"
    "      --threads=N         threads (default: all cores)\n"
    "Autotune (search the options on a validation file; docs/train.md):\n"
    "      --autotune-validation=FILE\n"
    "                          train trial after trial, each with other --lr, --epochs, --dim,\n"
    "                          --vocab-size, --max-len, --dropout and --crop drawn from --seed\n"
    "                          (trial 0: the options given), score each on FILE, write the best\n"
    "      --autotune-duration=S  seconds for the whole search (default 300)\n"
    "      --autotune-trials=N at most N trials (default: as many as the duration allows)\n"
    "      --autotune-metric=M accuracy (the default; micro-F1 with --multi-label), f1 (the\n"
    "                          same: fastText's name for it) or f1:LABEL (the F1 of LABEL,\n"
    "                          with or without the label prefix)\n"
    "Output:\n"
    "  -q, --quiet             no progress (data problems are still reported)\n"
    "      --log=FILE          write one JSON object per epoch to FILE (not an input, not the\n"
    "                          model; a device or a pipe is fine). A write error stops the\n"
    "                          log, not the training: the model is written, exit status 5\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
    "Exit status: 0 ok, 1 internal error, 2 usage error (also: an output is an input), 4 unusable\n"
    "input, 5 cannot write the model or the log, 130/143 stopped by SIGINT/SIGTERM (the best\n"
    "complete epoch was written, if one ended).\n"
    "See docs/train.md.\n";

enum {
    O_VALID = 300, O_VFRAC, O_FORMAT, O_PREFIX, O_VOCAB, O_MINCOUNT, O_DIM, O_HEADS, O_HEADDIM,
    O_MAXLEN, O_HIDDEN, O_ACT, O_NORES, O_EPOCHS, O_BATCH, O_LR, O_WARMUP, O_WD, O_DROPOUT,
    O_CLIP, O_CROP, O_CW, O_PATIENCE, O_SEED, O_THREADS, O_LOG, O_HELP, O_INLINE, O_VERSION,
    O_WAPOS, O_BUCKETS, O_MINN, O_MAXN, O_PRETRAINED, O_POSITION, O_AT_VALID, O_AT_DURATION,
    O_AT_TRIALS, O_AT_METRIC, O_MULTI, O_WINDOW
};

static const struct option opts[] = {
    {"input", required_argument, 0, 'i'},
    {"output", required_argument, 0, 'o'},
    {"valid", required_argument, 0, O_VALID},
    {"valid-fraction", required_argument, 0, O_VFRAC},
    {"data-format", required_argument, 0, O_FORMAT},
    {"label-prefix", required_argument, 0, O_PREFIX},
    {"format", required_argument, 0, O_FORMAT}, /* --data-format's old name */
    {"vocab-size", required_argument, 0, O_VOCAB},
    {"min-count", required_argument, 0, O_MINCOUNT},
    {"dim", required_argument, 0, O_DIM},
    {"heads", required_argument, 0, O_HEADS},
    {"head-dim", required_argument, 0, O_HEADDIM},
    {"max-len", required_argument, 0, O_MAXLEN},
    {"hidden", required_argument, 0, O_HIDDEN},
    {"activation", required_argument, 0, O_ACT},
    {"no-residual", no_argument, 0, O_NORES},
    {"position", required_argument, 0, O_POSITION},
    {"epochs", required_argument, 0, O_EPOCHS},
    {"batch", required_argument, 0, O_BATCH},
    {"window", required_argument, 0, O_WINDOW},
    {"lr", required_argument, 0, O_LR},
    {"warmup", required_argument, 0, O_WARMUP},
    {"weight-decay", required_argument, 0, O_WD},
    {"dropout", required_argument, 0, O_DROPOUT},
    {"clip", required_argument, 0, O_CLIP},
    {"crop", required_argument, 0, O_CROP},
    {"class-weights", no_argument, 0, O_CW},
    {"multi-label", no_argument, 0, O_MULTI},
    {"patience", required_argument, 0, O_PATIENCE},
    {"seed", required_argument, 0, O_SEED},
    {"threads", required_argument, 0, O_THREADS},
    {"quiet", no_argument, 0, 'q'},
    {"log", required_argument, 0, O_LOG},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {"inline", no_argument, 0, O_INLINE},
    {"word-apostrophes", no_argument, 0, O_WAPOS},
    {"buckets", required_argument, 0, O_BUCKETS},
    {"pretrained-vectors", required_argument, 0, O_PRETRAINED},
    {"minn", required_argument, 0, O_MINN},
    {"maxn", required_argument, 0, O_MAXN},
    {"autotune-validation", required_argument, 0, O_AT_VALID},
    {"autotune-duration", required_argument, 0, O_AT_DURATION},
    {"autotune-trials", required_argument, 0, O_AT_TRIALS},
    {"autotune-metric", required_argument, 0, O_AT_METRIC},
    {0, 0, 0, 0}};

typedef struct {
    int quiet, tty, bar_shown;
    FILE *log;              /* --log, or NULL */
    const char *log_path;
    int log_failed;         /* a write to the log failed: it was reported, nothing more is
                               written */
    int epochs_done;        /* complete epochs so far, and their seconds (validation included), */
    double epochs_seconds;  /* for the progress line's ETA */
    int max_len;            /* --max-len, for the share of examples it cuts */
    int multi;              /* --multi-label */
    const char *metric;     /* what validation scores (tc_train_metric_name) */
    const char *metric_key; /* its key in --log (tc_train_metric_key) */
} display;

static void clear_bar(display *d)
{
    if (d->bar_shown) fputs("\r\033[K", stderr);
    d->bar_shown = 0;
}

/* The width of the terminal the progress line is drawn on (stderr), in columns: the terminal's
 * own (asked at every redraw: it may be resized), else $COLUMNS, else 80. */
static int terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    const char *env = getenv("COLUMNS");
    char *end;
    long n = env ? strtol(env, &end, 10) : 0;
    return env && *env && !*end && n > 0 && n <= 10000 ? (int)n : 80;
}

/* Seconds s as "m:ss", or "h:mm:ss" from an hour on, into buf; "--:--" when not known yet. */
static const char *duration(double s, char *buf, size_t size)
{
    if (!(s >= 0 && s < 1e7)) snprintf(buf, size, "--:--");
    else if (s < 3600) snprintf(buf, size, "%d:%02d", (int)s / 60, (int)s % 60);
    else snprintf(buf, size, "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60, (int)s % 60);
    return buf;
}

/*
 * The estimated seconds until the last epoch (--epochs) ends, at the pace so far: the rest of
 * this epoch at its own pace, then each epoch left as long as the complete ones took on
 * average (their validation included), or as this one when none has ended yet. Early stopping
 * may end the run sooner. Negative when not known yet.
 */
static double eta_seconds(const display *d, const tc_train_event *e)
{
    if (e->step <= 0 || e->steps <= 0) return -1;
    double this_epoch = e->seconds * (double)e->steps / (double)e->step;
    double per_epoch = d->epochs_done ? d->epochs_seconds / d->epochs_done : this_epoch;
    return this_epoch - e->seconds + (e->epochs - e->epoch) * per_epoch;
}

/*
 * Redraws the progress line, "epoch 3/10 [######------] 45% loss 0.1234 51234 tok/s ETA 2:41",
 * within the terminal's width: a line that wraps cannot be redrawn in place (\r goes back to
 * its last row only), so each redraw would leave a line behind. It takes at most width - 1
 * columns (a terminal may wrap when the last one is written). When it does not fit, the bar
 * shrinks, then tok/s goes, then the bar, then the loss, then the ETA; what is left is cut.
 */
static void draw_progress(display *d, const tc_train_event *e)
{
    enum { BAR = 24 };
    /* what a line has, from the fullest: tok/s, loss, ETA, and the least bar it may have */
    static const struct { int speed, loss, eta, min_bar; } shapes[] = {
        {1, 1, 1, 10}, {0, 1, 1, 4}, {0, 1, 1, 0}, {0, 0, 1, 0}, {0, 0, 0, 0}};
    int usable = terminal_columns() - 1;
    int64_t steps = e->steps > 0 ? e->steps : 1;
    char eta[32], line[256];
    duration(eta_seconds(d, e), eta, sizeof eta);
    int n = 0;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char tail[128];
        int t = snprintf(tail, sizeof tail, "%3d%%", (int)(100 * e->step / steps));
        if (shapes[i].loss) t += snprintf(tail + t, sizeof tail - t, " loss %.4f", e->loss);
        if (shapes[i].speed)
            t += snprintf(tail + t, sizeof tail - t, " %.0f tok/s", e->tokens_per_s);
        if (shapes[i].eta) snprintf(tail + t, sizeof tail - t, " ETA %s", eta);
        int bar = 0;
        if (shapes[i].min_bar) {
            int room = usable - snprintf(NULL, 0, "epoch %d/%d [] %s", e->epoch, e->epochs, tail);
            bar = room < BAR ? room : BAR;
            if (bar < shapes[i].min_bar) continue;
        }
        int fill = (int)(bar * e->step / steps);
        if (bar)
            n = snprintf(line, sizeof line, "epoch %d/%d [%.*s%.*s] %s", e->epoch, e->epochs,
                         fill, "########################", bar - fill,
                         "------------------------", tail);
        else
            n = snprintf(line, sizeof line, "epoch %d/%d %s", e->epoch, e->epochs, tail);
        if (n <= usable) break;
    }
    if (n > (int)sizeof line - 1) n = (int)sizeof line - 1;
    if (n > usable) n = usable > 0 ? usable : 0;   /* still too wide: cut */
    fprintf(stderr, "\r\033[K%.*s", n, line);
    d->bar_shown = 1;
}

/*
 * Reports the log's write error e (an errno) once, at once, and stops writing the log. Training
 * goes on: a full log disk must not throw away a model (the exit status is 5 at the end). The
 * log is not cut off silently either: what it holds is a prefix, and the message says so.
 */
static void log_failed(display *d, int e)
{
    if (d->log_failed) return;
    d->log_failed = 1;
    clear_bar(d);
    cli_msg_file(d->log_path, ": write error: %s (the log stops here; training goes on, exit "
                 "status 5)", strerror(e ? e : EIO));
}

static void print_skipped(const display *d, const tc_train_event *e)
{
    int64_t total = 0;
    for (int i = 0; i < TC_LINE_STATUS_COUNT; i++)
        if (i != TC_LINE_BLANK) total += e->skipped[i];
    total += e->unknown_label;
    if (!total) return;
    fputs("textclf: ", stderr);
    out_tsv_field(stderr, e->file);   /* escaped as every file name (docs/cli.md) */
    fprintf(stderr, ": %lld lines skipped:", (long long)total);
    const char *sep = " ";
    for (int i = 0; i < TC_LINE_STATUS_COUNT; i++)
        if (i != TC_LINE_BLANK && e->skipped[i]) {
            fprintf(stderr, "%s%lld %s", sep, (long long)e->skipped[i],
                    tc_line_status_name((tc_line_status)i));
            if (i == TC_LINE_MULTI_LABEL && !d->multi) fputs(" (train them with --multi-label)",
                                                             stderr);
            sep = ", ";
        }
    if (e->unknown_label)
        fprintf(stderr, "%s%lld with a label not in the training data", sep,
                (long long)e->unknown_label);
    fputc('\n', stderr);
}

static void on_event(void *ctx, const tc_train_event *e)
{
    display *d = ctx;
    switch (e->kind) {
    case TC_EV_DATA:
        clear_bar(d);
        if (!d->quiet)
            cli_msg_file(e->file, ": %s format%s, %lld lines, %lld examples",
                         e->format == TC_FORMAT_TSV ? "TSV" : "fastText",
                         e->detected ? " (detected)" : "", (long long)e->lines,
                         (long long)e->examples);
        print_skipped(d, e);   /* shown even with -q: data is never dropped silently */
        break;
    case TC_EV_PRETRAINED:
        if (!d->quiet)
            fprintf(stderr, "textclf: %s: %lld vectors read; %lld of the %d vocabulary entries "
                    "start from them\n", e->file, (long long)e->vectors, (long long)e->matched,
                    e->vocab_size);
        break;
    case TC_EV_VOCAB:
        if (!d->quiet)
            fprintf(stderr, "textclf: %d labels, vocabulary of %d tokens, %lld training and "
                    "%lld validation examples; --max-len %d cuts %.1f%% of the training "
                    "examples (%lld)\n", e->num_labels, e->vocab_size,
                    (long long)e->examples, (long long)e->valid_examples, d->max_len,
                    e->examples ? 100.0 * (double)e->cut / (double)e->examples : 0.0,
                    (long long)e->cut);
        break;
    case TC_EV_PROGRESS:
        if (!d->quiet && d->tty) draw_progress(d, e);
        break;
    case TC_EV_EPOCH:
        clear_bar(d);
        d->epochs_done++;
        d->epochs_seconds += e->seconds;
        if (!d->quiet) {
            fprintf(stderr, "epoch %d/%d: loss %.4f, %.0f tok/s, %.1fs", e->epoch, e->epochs,
                    e->loss, e->tokens_per_s, e->seconds);
            if (!isnan(e->valid_acc))
                fprintf(stderr, ", validation loss %.4f %s %.4f%s", e->valid_loss, d->metric,
                        e->valid_acc,
                        e->improved ? " (best)" : "");
            fputc('\n', stderr);
        }
        if (d->log && !d->log_failed) {
            fprintf(d->log, "{\"epoch\":%d,\"loss\":%.6f,\"tokens_per_s\":%.1f,\"seconds\":%.3f",
                    e->epoch, e->loss, e->tokens_per_s, e->seconds);
            if (!isnan(e->valid_acc))
                fprintf(d->log, ",\"valid_loss\":%.6f,\"%s\":%.6f", e->valid_loss, d->metric_key,
                        e->valid_acc);
            fprintf(d->log, ",\"best_epoch\":%d}\n", e->best_epoch);
            /* flushed per epoch, so that the log can be followed; an error of an fprintf above
             * (a line longer than the buffer) stays in ferror, with its errno, until here */
            if (fflush(d->log) != 0 || ferror(d->log)) log_failed(d, errno);
        }
        break;
    case TC_EV_STOPPED:
        clear_bar(d);
        if (!d->quiet) fprintf(stderr, "textclf: %s\n", e->reason);
        break;
    case TC_EV_SAVED:
        if (!d->quiet) {
            char acc[64] = "";
            if (!isnan(e->valid_acc))
                snprintf(acc, sizeof acc, ", validation %s %.4f", d->metric, e->valid_acc);
            fputs("textclf: wrote ", stderr);
            out_tsv_field(stderr, e->file);
            fprintf(stderr, " (epoch %d%s)\n", e->best_epoch, acc);
        }
        break;
    }
}

/* The exit status of a failed tc_train_check or tc_train, after printing its message. */
static int train_failed(tc_status s, const tc_error *err, const char *output)
{
    cli_report(err);
    if (s == TC_ERR_ARG) return EXIT_USAGE;
    /* TC_ERR_MODEL: training built an invalid model, an internal error (train.h) */
    if (s == TC_ERR_NOMEM || s == TC_ERR_MODEL) return EXIT_INTERNAL;
    if (s == TC_ERR_IO && strcmp(err->file, output) == 0) return EXIT_OUTPUT;
    return cli_stop_signal ? 128 + cli_stop_signal : EXIT_INPUT;
}

/*
 * Refuses a log that is the same file as the training or validation data, the pretrained
 * vectors or the model (by
 * identity: any name of it; or, for a model not written yet, by the same name): opening the log
 * truncates it, so this runs first. Any other log is fine, devices and pipes included (/dev/stderr,
 * a FIFO read by a monitor). Returns 0, or EXIT_USAGE after the message.
 */
static int check_log(const char *log_path, const tc_train_options *o)
{
    tc_file_ref refs[4];
    int n = 0;
    if (tc_file_ref_init(&refs[n], o->input, "the training data") == 0) n++;
    if (o->valid && tc_file_ref_init(&refs[n], o->valid, "the validation data") == 0) n++;
    if (o->pretrained && tc_file_ref_init(&refs[n], o->pretrained, "the pretrained vectors") == 0)
        n++;
    if (tc_file_ref_init(&refs[n], o->output, "the model") == 0) n++;
    const tc_file_ref *r = tc_file_ref_find(log_path, refs, n);
    const char *what = r ? r->what : "the model", *path = r ? r->path : o->output;
    if (!r && strcmp(log_path, o->output) != 0) return 0;
    fputs("textclf: ", stderr);
    out_tsv_field(stderr, log_path);
    fprintf(stderr, ": is %s ", what);
    out_tsv_field(stderr, path);
    fputs(" (the same file): writing the log there would destroy it\n", stderr);
    return EXIT_USAGE;
}

/* An option that takes a whole number: where it goes, and its range. */
typedef struct {
    int opt;
    int *to;
    long long lo, hi;
} int_option;

/* An option that takes a number. */
typedef struct {
    int opt;
    double *to;
    double lo, hi;
} real_option;

/*
 * Parses the command line into o (defaults already in it), *quiet, *log_path and *at (zeroed:
 * at->valid stays NULL without --autotune-validation); -i and -o are checked to be there, and
 * --head-dim is dim/heads unless given. Returns -1 to go on, or the exit status to return (0
 * after --help or --version, EXIT_USAGE after the message).
 */
static int parse_train_options(int argc, char **argv, tc_train_options *o, int *quiet,
                               const char **log_path, cli_autotune_options *at)
{
    static const char *const metrics[] = {"accuracy", "f1", NULL};
    int vfrac_given = 0, at_given = 0;
    at->duration = 300;   /* fastText's -autotune-duration default */
    static const char *const activations[] = TC_ACTIVATION_NAMES;   /* tc_activation order */
    static const char *const positions[] = TC_POSITION_NAMES;       /* tc_position order */
    const int_option ints[] = {
        {O_DIM, &o->dim, 1, 65536},          {O_HEADS, &o->heads, 1, 1024},
        {O_HEADDIM, &o->head_dim, 1, 65536}, {O_MAXLEN, &o->max_len, 1, 65536},
        {O_HIDDEN, &o->hidden, 1, 65536},    {O_EPOCHS, &o->epochs, 1, 65536},
        {O_BATCH, &o->batch, 1, 65536},      {O_PATIENCE, &o->patience, 0, 65536},
        {O_THREADS, &o->threads, 1, 256},    {O_BUCKETS, &o->buckets, 0, 16777216},
        {O_MINN, &o->minn, 1, 16},           {O_MAXN, &o->maxn, 1, 16}};
    const real_option reals[] = {
        {O_VFRAC, &o->valid_fraction, 0, 0.99}, {O_WARMUP, &o->warmup, 0, 1},
        {O_WD, &o->weight_decay, 0, 1e6},       {O_DROPOUT, &o->dropout, 0, 0.95},
        {O_CLIP, &o->clip, 0, 1e6},             {O_CROP, &o->crop, 0, 1}};
    int head_dim_given = 0, ngram_len_given = 0, c, s = -1, index, longindex;
    long long n;
    cli_opt_begin(argv);
    while ((longindex = -1, c = getopt_long(argc, argv, "i:o:q", opts, &longindex)) != -1) {
        const char *name = longindex >= 0 ? opts[longindex].name : NULL;   /* as given */
        switch (c) {
        case 'i': o->input = optarg; break;
        case 'o': o->output = optarg; break;
        case 'q': *quiet = 1; break;
        case O_VALID: o->valid = optarg; break;
        case O_FORMAT:
            if ((s = cli_opt_choice("train", name, optarg, cli_data_format_names, &index)) < 0)
                o->format = (tc_data_format)index;
            break;
        case O_PREFIX:
            if (!*optarg) return cli_usage_error("train", "empty --label-prefix");
            o->label_prefix = optarg;
            break;
        case O_VOCAB:
            if ((s = cli_opt_int("train", name, optarg, 2, 16777216, &n)) < 0)
                o->vocab_size = (int32_t)n;
            break;
        case O_MINCOUNT:
            if ((s = cli_opt_int("train", name, optarg, 1, 1LL << 40, &n)) < 0) o->min_count = n;
            break;
        case O_SEED:
            if ((s = cli_opt_int("train", name, optarg, 0, 1LL << 62, &n)) < 0)
                o->seed = (uint64_t)n;
            break;
        case O_WINDOW:
            if ((s = cli_opt_int("train", name, optarg, 0, 1LL << 40, &n)) < 0) o->window = n;
            break;
        case O_LR: s = cli_opt_positive("train", name, optarg, 1e6, &o->lr); break;
        case O_ACT: s = cli_opt_choice("train", name, optarg, activations, &o->activation); break;
        case O_NORES: o->residual = 0; break;
        case O_POSITION: s = cli_opt_choice("train", name, optarg, positions, &o->position); break;
        case O_AT_VALID:
            if (!*optarg) return cli_usage_error("train", "empty path given with %s", name);
            at->valid = optarg;
            break;
        case O_AT_DURATION:
            s = cli_opt_positive("train", name, optarg, 1e7, &at->duration);
            at_given = 1;
            break;
        case O_AT_TRIALS:
            if ((s = cli_opt_int("train", name, optarg, 1, 1000000, &n)) < 0) at->trials = (int)n;
            at_given = 1;
            break;
        case O_AT_METRIC:
            /* f1:LABEL scores the label's F1 (fastText's f1:__label__x: the prefix may be
             * there); f1 is accuracy's other name (micro-F1: with one label per document and
             * one answer, accuracy; with --multi-label, what accuracy means there too) */
            at_given = 1;
            if (!strncmp(optarg, "f1:", 3)) {
                const char *label = optarg + 3;
                size_t pl = strlen(o->label_prefix);
                if (!strncmp(label, o->label_prefix, pl) && label[pl]) label += pl;
                if (!*label)
                    return cli_usage_error("train", "invalid --autotune-metric '%s': no label "
                                           "after f1:", optarg);
                o->metric_label = label;
                break;
            }
            s = cli_opt_choice("train", name, optarg, metrics, &index);
            break;
        case O_CW: o->class_weights = 1; break;
        case O_MULTI: o->multi_label = 1; break;
        case O_LOG: *log_path = optarg; break;
        case O_INLINE: o->inline_weights = 1; break;
        case O_WAPOS: o->word_apostrophes = 1; break;
        case O_PRETRAINED:
            if (!*optarg) return cli_usage_error("train", "empty path given with --pretrained-vectors");
            o->pretrained = optarg;
            break;
        case O_HELP: fputs(train_usage, stdout); return EXIT_OK;
        case O_VERSION: return cli_version();
        case '?': case ':': return cli_usage_hint("train");   /* getopt has said what was wrong */
        default:
            for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
                if (ints[i].opt == c &&
                    (s = cli_opt_int("train", name, optarg, ints[i].lo, ints[i].hi, &n)) < 0)
                    *ints[i].to = (int)n;
            for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
                if (reals[i].opt == c)
                    s = cli_opt_real("train", name, optarg, reals[i].lo, reals[i].hi, reals[i].to);
            head_dim_given |= c == O_HEADDIM;
            vfrac_given |= c == O_VFRAC;
            ngram_len_given |= c == O_MINN || c == O_MAXN;
        }
        if (s >= 0) return s;
    }
    if (optind < argc) return cli_usage_error("train", "unexpected argument '%s'", argv[optind]);
    if (!o->input) return cli_usage_error("train", "no training data: use -i FILE");
    if (!o->output) return cli_usage_error("train", "no output model: use -o MODEL.json");
    if (ngram_len_given && !o->buckets)
        return cli_usage_error("train", "--minn and --maxn need --buckets (character n-grams "
                               "are off without it)");
    if (o->maxn < o->minn)
        return cli_usage_error("train", "--maxn %d is less than --minn %d", o->maxn, o->minn);
    if (!head_dim_given) {
        if (o->dim % o->heads)
            return cli_usage_error("train", "--dim is not divisible by --heads; give --head-dim");
        o->head_dim = o->dim / o->heads;
    }
    if (at_given && !at->valid)
        return cli_usage_error("train", "--autotune-duration, --autotune-trials and "
                               "--autotune-metric need --autotune-validation FILE");
    if (at->valid && (o->valid || vfrac_given))
        return cli_usage_error("train", "--autotune-validation is the validation data of every "
                               "trial: leave out --valid and --valid-fraction");
    if (at->valid && *log_path)
        return cli_usage_error("train", "--log is not available with --autotune-validation "
                               "(each trial is a line on stderr)");
    switch (tc_position_check((tc_position)o->position, o->max_len, o->dim)) {
    case TC_POSITION_FITS: break;
    case TC_POSITION_ODD_DIM:
        return cli_usage_error("train", "--position=sinusoidal-halves needs an even --dim (sines "
                               "in one half, cosines in the other)");
    case TC_POSITION_TOO_LARGE:
        return cli_usage_error("train", "a sinusoidal position table of --max-len x --dim = %d x "
                               "%d values is more than %d (64 MiB)", o->max_len, o->dim,
                               TC_POSITION_MAX_TABLE);
    }
    return -1;
}

int cmd_train(int argc, char **argv)
{
    tc_train_options o;
    tc_train_defaults(&o);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = cores > 0 ? (int)(cores < 256 ? cores : 256) : 1;
    display d = {0};
    const char *log_path = NULL;
    cli_autotune_options at = {0};
    int status = parse_train_options(argc, argv, &o, &d.quiet, &log_path, &at);
    if (status >= 0) return status;
    if (at.valid) {   /* checked as validation data (the model may not be written over it) */
        o.valid = at.valid;
        o.valid_fraction = 0;
    }
    d.max_len = o.max_len;
    d.multi = o.multi_label;
    d.metric = tc_train_metric_name(&o);
    d.metric_key = tc_train_metric_key(&o);
    tc_error err;
    tc_status s = tc_train_check(&o, &err);   /* before the log is opened: "w" truncates */
    if (s != TC_OK) return train_failed(s, &err, o.output);
    if (log_path && (status = check_log(log_path, &o)) != 0) return status;
    if (log_path && !(d.log = fopen(log_path, "w"))) {
        int e = errno;
        cli_msg_file(log_path, ": %s", strerror(e));
        return e == ENOMEM ? EXIT_INTERNAL : EXIT_OUTPUT;
    }
    d.log_path = log_path;
    /* A log on a pipe whose reader has gone must end the log, not the run (SIGPIPE would kill
     * it before the model is saved): writes then fail with EPIPE, reported as write errors. The
     * same holds for stderr. (--help and --version, printed above, keep the default action.) */
    signal(SIGPIPE, SIG_IGN);
    d.tty = isatty(STDERR_FILENO);
    o.progress = on_event;
    o.ctx = &d;
    o.stop = &cli_stop_signal;
    cli_stop_install(1);

    s = at.valid ? cli_autotune(&o, &at, d.quiet, &err) : tc_train(&o, &err);
    clear_bar(&d);
    if (d.log && fclose(d.log) != 0) log_failed(&d, errno);
    status = s != TC_OK ? train_failed(s, &err, o.output)
             : cli_stop_signal ? 128 + cli_stop_signal : EXIT_OK;
    /* a failed log write: 5, unless something worse happened (the highest status wins) */
    return d.log_failed && status < EXIT_OUTPUT ? EXIT_OUTPUT : status;
}
