/*
 * cli_test.c - `textclf test MODEL FILE...`: classifies labelled examples and reports accuracy,
 * macro- and weighted-F1, per-label precision/recall/F1, P@k/R@k and the confusion matrix
 * (docs/cli.md). The numbers come from the library (metrics.c); this file reads the files, maps
 * label strings to indices, and prints.
 */
#include "cli_test.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "buf.h"
#include "cli_color.h"
#include "cli_input.h"
#include "cli_msg.h"
#include "cli_opt.h"
#include "cli_output.h"
#include "labeled.h"
#include "metrics.h"
#include "strmap.h"
#include "textclf.h"

/* Format detection looks at this many non-blank lines: enough that a few odd lines (a header,
 * a stray tab) cannot tip it, few enough to keep in memory while stdin cannot be rewound. */
#define DETECT_LINES 100
/* Above this many labels the text report lists the most frequent confusions instead of the
 * matrix (which would no longer fit a terminal), unless --confusion asks for it. */
#define MATRIX_MAX_LABELS 20
#define TOP_CONFUSIONS 20
/* Above this many labels the JSON matrix is null (it would have over a million cells); the sparse
 * "confusions" list is always complete. */
#define JSON_MATRIX_MAX_LABELS 1000
/* Unknown gold labels named in the stderr note. */
#define UNKNOWN_NAMED 10
/* Matrix headers are the labels themselves up to this display width, else numbers. */
#define HEADER_MAX_WIDTH 8

static const char test_usage[] =
    "Usage: textclf test [OPTION]... MODEL FILE...\n"
    "       textclf test -m MODEL [OPTION]... FILE...\n"
    "Evaluate a model on labelled examples: accuracy, macro-F1, calibration (expected\n"
    "calibration error), per-label precision, recall and F1, and the confusion matrix.\n"
    "Each line of FILE is one example, in fastText format (__label__spam some text; the label\n"
    "token may be anywhere) or TSV (spam<TAB>some text). FILE - is standard input.\n"
    "Without -m, the first of two or more operands is the MODEL; a single operand is a FILE and\n"
    "the model comes from $TEXTCLF_MODEL.\n"
    "\n"
    "Model:\n"
    "  -m, --model=PATH        model JSON file (every operand is then a FILE)\n"
    "Input:\n"
    "      --data-format=FMT   auto (default: detected from the first 100 non-blank lines\n"
    "                          of each FILE), fasttext or tsv\n"
    "      --label-prefix=STR  fastText label prefix (default __label__)\n"
    "Output:\n"
    "  -k, --top=N             also report P@N and R@N (the true label among the N best)\n"
    "  -t, --threshold=P       a multi-label model's labels count as predicted from\n"
    "                          probability P (0..1; default 0.5)\n"
    "  -f, --format=FMT        text (default: a report) or json (one object)\n"
    "      --confusion         print the confusion matrix even for more than 20 labels\n"
    "      --color[=WHEN]      colour the confusion matrix as a heat map: auto (default: on a\n"
    "                          terminal unless NO_COLOR is set), always or never\n"
    "      --no-abstain        score the most probable label even where the model's abstain\n"
    "                          rule (e.g. und) would answer its label\n"
    "  -q, --quiet             no notes or warnings on stderr (errors are still reported)\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
    "A multi-label model (train --multi-label) reads several labels per line (fastText's label\n"
    "tokens, or TSV's a,b<TAB>text) and reports micro- and macro-averaged precision, recall\n"
    "and F1 of the labels at the threshold, exact-match accuracy and P@k/R@k (k 1 unless -k).\n"
    "Lines that cannot be used are counted by reason and reported on stderr. Exit status: 0 ok,\n"
    "1 internal error, 2 usage error, 3 model error, 4 an input could not be read or its format\n"
    "detected, or there was no usable example, 5 output error. See docs/cli.md.\n";

/* ---- options --------------------------------------------------------------------------- */

typedef struct {
    const char *model;
    tc_data_format data_format;
    const char *prefix;
    int k;
    int k_given;
    double threshold;   /* -t: multi-label models only */
    int threshold_given;
    int json;
    int confusion;
    int color;          /* resolved: 1 = ANSI heat map */
    int quiet;
    int no_abstain;     /* --no-abstain: TC_NO_ABSTAIN */
} test_options;

enum { OPT_HELP = 256, OPT_VERSION, OPT_DATA_FORMAT, OPT_LABEL_PREFIX, OPT_CONFUSION, OPT_COLOR,
       OPT_NO_ABSTAIN };

static const struct option test_long_opts[] = {
    {"model", required_argument, 0, 'm'},
    {"data-format", required_argument, 0, OPT_DATA_FORMAT},
    {"label-prefix", required_argument, 0, OPT_LABEL_PREFIX},
    {"top", required_argument, 0, 'k'},
    {"threshold", required_argument, 0, 't'},
    {"format", required_argument, 0, 'f'},
    {"confusion", no_argument, 0, OPT_CONFUSION},
    {"color", optional_argument, 0, OPT_COLOR},
    {"no-abstain", no_argument, 0, OPT_NO_ABSTAIN},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, OPT_HELP},
    {"version", no_argument, 0, OPT_VERSION},
    {0, 0, 0, 0}};

/* The -f words of test: its report as text or as one JSON object. */
static const char *const test_formats[] = {"text", "json", NULL};

/* Parses options into o; returns -1 to continue, or an exit status. */
static int parse_test_options(int argc, char **argv, test_options *o)
{
    memset(o, 0, sizeof *o);
    o->prefix = "__label__";
    o->k = 1;
    o->threshold = TC_MULTI_LABEL_THRESHOLD;
    int color = CLI_COLOR_AUTO, format;
    int c, s = -1;
    cli_opt_begin(argv);
    while ((c = getopt_long(argc, argv, "m:k:t:f:q", test_long_opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (!*optarg) return cli_usage_error("test", "empty model path given with -m");
            o->model = optarg;
            break;
        case OPT_DATA_FORMAT:
            if ((s = cli_opt_choice("test", "data-format", optarg, cli_data_format_names,
                                    &format)) < 0)
                o->data_format = (tc_data_format)format;
            break;
        case OPT_LABEL_PREFIX:
            /* label tokens are split at spaces and tabs, so a prefix with one never matches */
            if (!*optarg || strpbrk(optarg, " \t\n\r\v\f"))
                return cli_usage_error("test", "invalid --label-prefix '%s': expected a non-empty "
                                       "string without spaces", optarg);
            o->prefix = optarg;
            break;
        case 'k':
            s = cli_opt_top("test", optarg, &o->k);
            o->k_given = 1;
            break;
        case 't':
            s = cli_opt_real("test", "threshold", optarg, 0, 1, &o->threshold);
            o->threshold_given = 1;
            break;
        case 'f': s = cli_opt_choice("test", "format", optarg, test_formats, &o->json); break;
        case OPT_CONFUSION: o->confusion = 1; break;
        case OPT_COLOR: s = cli_color_parse("test", optarg, &color); break;
        case OPT_NO_ABSTAIN: o->no_abstain = 1; break;
        case 'q': o->quiet = 1; break;
        case OPT_HELP: fputs(test_usage, stdout); return EXIT_OK;
        case OPT_VERSION: return cli_version();
        default: return cli_usage_hint("test");   /* getopt has said what was wrong */
        }
        if (s >= 0) return s;
    }
    o->color = cli_color_enabled(color);
    return -1;
}

/* ---- the run --------------------------------------------------------------------------- */

/* What one FILE gave. */
typedef struct {
    const char *path;          /* as given on the command line */
    tc_data_format format;     /* TC_FORMAT_AUTO: undetectable or never known (read error) */
    int detected;
    int64_t lines, examples;
    int64_t skipped[TC_LINE_STATUS_COUNT];
    int64_t first_skipped[TC_LINE_STATUS_COUNT];   /* line number of the first, per reason */
} file_stats;

typedef struct {
    const test_options *opt;
    tc_model *model;
    tc_session *session;
    int flags;                 /* tc_classify's: TC_NO_ABSTAIN with --no-abstain */
    int k;                     /* predictions per example: --top capped at the number of labels
                                * the model may answer (tc_rank_answers) */
    float *probs;
    int *order;
    tc_metrics *metrics;
    /* Label strings to metric indices: the model's labels are 0..classes-1, then its abstain
     * label when it has a rule that is on and the label is not one of them (the model answers
     * it: model_labels is then classes + 1); gold labels the model does not know get
     * model_labels, model_labels + 1, ... in order of first appearance. */
    tc_strmap labels;
    int classes;               /* the model's labels */
    int answerable;            /* those it may answer: what it ranks (all but those withheld
                                * while its abstain rule is on) */
    int model_labels;          /* the labels it can answer */
    int abstain;               /* the metric index of the abstain label, -1: no rule, or off */
    int multi;                 /* a sigmoid (multi-label) model: lines may have several labels */
    int *gold;                 /* multi: one line's gold label indices [classes + unknown ones] */
    int gold_cap;
    int64_t abstained;         /* examples it abstained on */
    tc_buf scratch;            /* tc_parse_labeled's rebuilt fastText text */
    file_stats *files;
    int nfiles;
    int status;                /* exit status so far */
} test_ctx;

/* Records exit status s if it is worse than the one so far. */
static void raise_status(test_ctx *c, int s)
{
    cli_raise_status(&c->status, s);
}

/* JSON keys and stderr names of the reasons a line is skipped. */
static const char *skip_key(tc_line_status s)
{
    switch (s) {
    case TC_LINE_NO_LABEL: return "no_label";
    case TC_LINE_MULTI_LABEL: return "several_labels";
    case TC_LINE_NO_TEXT: return "no_text";
    case TC_LINE_BAD_UTF8: return "invalid_utf8";
    case TC_LINE_BAD_LABEL: return "bad_label";
    case TC_LINE_INVISIBLE_LABEL: return "invisible_label";
    case TC_LINE_SPACED_LABEL: return "spaced_label";
    default: return NULL;   /* OK and BLANK are not skips */
    }
}

/* Doubles c->gold (for one more label of a line). 0, or -1 when out of memory. */
static int grow_gold(test_ctx *c)
{
    int cap = c->gold_cap ? 2 * c->gold_cap : 16;
    int *g = realloc(c->gold, (size_t)cap * sizeof *g);
    if (!g) return -1;
    c->gold = g;
    c->gold_cap = cap;
    return 0;
}

/* Parses, classifies and records one line. Returns 0, or -1 on a fatal error (reported). */
static int test_line(test_ctx *c, file_stats *fs, const char *line, size_t len, int64_t number)
{
    tc_labeled_line ex;
    int oom;
    tc_line_status st = tc_parse_labeled(fs->format, c->opt->prefix, c->multi, line, len,
                                         &c->scratch, &ex, &oom);
    if (oom) {
        cli_msg("out of memory");
        raise_status(c, EXIT_INTERNAL);
        return -1;
    }
    if (st == TC_LINE_BLANK) return 0;
    if (st != TC_LINE_OK) {
        if (!fs->skipped[st]++) fs->first_skipped[st] = number;
        return 0;
    }
    int ngold = 0;
    size_t pos = 0, llen;
    const char *label;
    while (tc_labeled_next(&ex, &pos, &label, &llen)) {
        int gold = tc_strmap_find(&c->labels, label, llen);
        /* a label the model does not know: it still counts (as an error every time) */
        if ((gold < 0 && ((gold = tc_strmap_insert(&c->labels, label, llen)) < 0 ||
                          tc_metrics_add_labels(c->metrics, 1) != TC_OK)) ||
            (ngold == c->gold_cap && grow_gold(c) != 0)) {
            cli_msg("out of memory");
            raise_status(c, EXIT_INTERNAL);
            return -1;
        }
        c->gold[ngold++] = gold;
    }
    int gold = c->gold[0];
    tc_error err;
    tc_doc_info info;
    if (tc_classify(c->session, ex.text, ex.text_len, c->flags, c->probs, &info, &err) != TC_OK) {
        cli_report(&err);
        raise_status(c, EXIT_INTERNAL);
        return -1;
    }
    if (c->multi) {   /* the predicted set: the labels at or above the threshold, best first */
        int n = tc_rank_answers(c->model, c->flags, c->probs, c->classes, c->order), npred = 0;
        while (npred < n && c->probs[c->order[npred]] >= c->opt->threshold) npred++;
        if (tc_metrics_add_set(c->metrics, c->gold, ngold, c->order, npred, c->order, c->k) !=
            TC_OK) {
            cli_msg("out of memory");
            raise_status(c, EXIT_INTERNAL);
            return -1;
        }
        fs->examples++;
        return 0;
    }
    tc_rank_answers(c->model, c->flags, c->probs, c->k, c->order);
    /* abstaining, the model answers its abstain label: that is the prediction scored; P@k/R@k
     * keep the real ranking (of the labels it may answer), and the calibration numbers leave the
     * example out (the answer has no probability) */
    int abstained = info.abstain != TC_ABSTAIN_NONE && c->abstain >= 0;
    int top = abstained ? c->abstain : c->order[0];
    c->abstained += abstained;
    if (tc_metrics_add_top(c->metrics, gold, top, c->order, c->k) != TC_OK ||
        (!abstained && tc_metrics_add_confidence(c->metrics, c->probs[top], top == gold) !=
                           TC_OK)) {
        cli_msg("out of memory");
        raise_status(c, EXIT_INTERNAL);
        return -1;
    }
    fs->examples++;
    return 0;
}

/* cli_reader_next, without the UTF-8 byte order mark some editors put at the start of a file: it
 * is an encoding signature, not part of the first label (which would then look unknown). */
static int next_line(cli_reader *r, char **data, size_t *len)
{
    int got = cli_reader_next(r, data, len);
    if (got == 1 && r->record == 1 && *len >= 3 && memcmp(*data, "\xEF\xBB\xBF", 3) == 0) {
        *data += 3;
        *len -= 3;
    }
    return got;
}

/* Same whitespace as labeled.c: a line of only these is blank, not an example. */
static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\v' && s[i] != '\f' && s[i] != '\r') return 0;
    return 1;
}

/* The first lines of an input, kept so that they can be tested after the format is known. */
typedef struct {
    tc_buf bytes;
    size_t *off, *len;
    size_t n, cap;
    size_t nonblank;
} sample;

/* Appends a copy of one line. Returns 0, or -1 when out of memory. */
static int sample_add(sample *s, const char *line, size_t len)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 128;
        size_t *off = realloc(s->off, cap * sizeof *off);
        if (!off) return -1;
        s->off = off;
        size_t *l = realloc(s->len, cap * sizeof *l);
        if (!l) return -1;
        s->len = l;
        s->cap = cap;
    }
    s->off[s->n] = s->bytes.len;
    s->len[s->n] = len;
    if (tc_buf_append(&s->bytes, line, len) != 0) return -1;
    s->n++;
    s->nonblank += !is_blank(line, len);
    return 0;
}

/* Frees what the sample holds. */
static void sample_free(sample *s)
{
    tc_buf_free(&s->bytes);
    free(s->off);
    free(s->len);
}

/* Reports that input `name` could not be read, errno saying why. Running out of memory is fatal
 * (returns -1, status 1); any other error skips the input (returns 1, status 4). */
static int read_failed(test_ctx *c, const char *name)
{
    int e = errno;
    cli_msg_file(name, ": %s", strerror(e));
    raise_status(c, e == ENOMEM ? EXIT_INTERNAL : EXIT_INPUT);
    return e == ENOMEM ? -1 : 1;
}

/* Reads the first lines of r into s and detects the format. Returns 0 (fs->format set, or left
 * AUTO when the input has no non-blank line), 1 when the format cannot be told (reported), or -1
 * on a fatal error (reported). A read error is reported, raises the status and returns 1. */
static int detect(test_ctx *c, cli_reader *r, const char *name, sample *s, file_stats *fs)
{
    char *data;
    size_t len;
    int got = 0;
    while (s->nonblank < DETECT_LINES && (got = next_line(r, &data, &len)) == 1) {
        if (sample_add(s, data, len) != 0) {
            cli_msg("out of memory");
            raise_status(c, EXIT_INTERNAL);
            return -1;
        }
    }
    if (s->nonblank < DETECT_LINES && got < 0) return read_failed(c, name);
    if (s->nonblank == 0) return 0;
    const char **lines = malloc(s->n * sizeof *lines);
    if (!lines) {
        cli_msg("out of memory");
        raise_status(c, EXIT_INTERNAL);
        return -1;
    }
    for (size_t i = 0; i < s->n; i++) lines[i] = s->bytes.data + s->off[i];
    fs->format = tc_detect_format(lines, s->len, s->n, c->opt->prefix);
    free(lines);
    fs->detected = 1;
    if (fs->format == TC_FORMAT_AUTO) {
        cli_msg_file(name, ": cannot tell the data format: fewer than half of the first %zu "
                     "non-blank lines have a '%s' label or a tab (use --data-format or "
                     "--label-prefix)", s->nonblank, c->opt->prefix);
        raise_status(c, EXIT_INPUT);
        return 1;
    }
    if (!c->opt->quiet)
        cli_msg_file(name, ": detected %s format",
                     fs->format == TC_FORMAT_FASTTEXT ? "fastText" : "TSV");
    return 0;
}

/* One line for stderr: "3 lines skipped: 2 no label (first: line 4), 1 several labels (line 7)" */
static void report_skipped(const file_stats *fs, const char *name)
{
    int64_t total = 0;
    for (int s = 0; s < TC_LINE_STATUS_COUNT; s++) total += fs->skipped[s];
    if (!total) return;
    fprintf(stderr, "%s: ", CLI_PROGNAME);
    out_tsv_field(stderr, name);   /* escaped as cli_msg_file escapes names */
    fprintf(stderr, ": %lld line%s skipped:", (long long)total, total == 1 ? "" : "s");
    const char *sep = " ";
    for (int s = 0; s < TC_LINE_STATUS_COUNT; s++) {
        if (!fs->skipped[s]) continue;
        fprintf(stderr, "%s%lld %s (%sline %lld)", sep, (long long)fs->skipped[s],
                tc_line_status_name((tc_line_status)s), fs->skipped[s] > 1 ? "first: " : "",
                (long long)fs->first_skipped[s]);
        sep = ", ";
    }
    fputc('\n', stderr);
}

/* Tests every example of one input. Returns 0, or -1 on a fatal error (reported). */
static int test_input(test_ctx *c, FILE *f, const char *name, file_stats *fs)
{
    cli_reader r;
    cli_reader_init(&r, f, SPLIT_LINES);
    sample s = {0};
    int ret = 0, skip_rest = 0;
    fs->format = c->opt->data_format;
    if (fs->format == TC_FORMAT_AUTO) {
        int d = detect(c, &r, name, &s, fs);
        if (d < 0) ret = -1;
        /* d == 0 with the format still unknown: the input has only blank lines, no examples */
        skip_rest = d != 0 || fs->format == TC_FORMAT_AUTO;
    }
    for (size_t i = 0; i < s.n && !skip_rest; i++)
        if (test_line(c, fs, s.bytes.data + s.off[i], s.len[i], (int64_t)i + 1) != 0) {
            ret = -1;
            skip_rest = 1;
        }
    char *data;
    size_t len;
    int got = 0;
    while (!skip_rest && (got = next_line(&r, &data, &len)) == 1) {
        if (test_line(c, fs, data, len, r.record) != 0) {
            ret = -1;
            skip_rest = 1;
        }
    }
    if (got < 0 && read_failed(c, name) < 0) ret = -1;
    fs->lines = r.record;
    if (!c->opt->quiet) report_skipped(fs, name);
    sample_free(&s);
    cli_reader_free(&r);
    return ret;
}

/* Opens and tests each FILE in turn. Returns 0, or -1 on a fatal error. */
static int test_files(test_ctx *c, int nfiles, char **files)
{
    c->files = calloc((size_t)nfiles, sizeof *c->files);
    if (!c->files) {
        cli_msg("out of memory");
        raise_status(c, EXIT_INTERNAL);
        return -1;
    }
    for (int i = 0; i < nfiles; i++) {
        const char *path = files[i];
        int is_stdin = strcmp(path, "-") == 0;
        const char *name = is_stdin ? "(standard input)" : path;
        FILE *f = is_stdin ? stdin : fopen(path, "rb");
        if (!f) {
            if (read_failed(c, path) < 0) return -1;
            continue;
        }
        struct stat sb;
        if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
            cli_msg_file(name, ": %s", strerror(EISDIR));
            raise_status(c, EXIT_INPUT);
            if (!is_stdin) fclose(f);
            continue;
        }
        file_stats *fs = &c->files[c->nfiles++];
        fs->path = path;
        int failed = test_input(c, f, name, fs);
        if (!is_stdin) fclose(f);
        if (failed) return -1;
    }
    return 0;
}

/* Examples whose gold label the model does not know. */
static int64_t unknown_examples(const test_ctx *c)
{
    int64_t total = 0;
    for (int i = c->model_labels; i < c->labels.count; i++) {
        tc_label_metrics l;
        tc_metrics_label_get(c->metrics, i, &l);
        total += l.support;
    }
    return total;
}

/* "3 examples have labels the model does not know (counted as wrong): de (2), es (1)" */
static void report_unknown(const test_ctx *c)
{
    const tc_strmap *t = &c->labels;
    int64_t total = unknown_examples(c);
    if (!total) return;
    fprintf(stderr, "%s: %lld example%s label%s the model does not know (counted as wrong):",
            CLI_PROGNAME, (long long)total, total == 1 ? " has a" : "s have",
            total == 1 ? "" : "s");
    for (int i = c->model_labels; i < t->count && i < c->model_labels + UNKNOWN_NAMED; i++) {
        tc_label_metrics l;
        tc_metrics_label_get(c->metrics, i, &l);
        fprintf(stderr, "%s%s (%lld)", i == c->model_labels ? " " : ", ", t->names[i],
                (long long)l.support);
    }
    int more = t->count - c->model_labels - UNKNOWN_NAMED;
    if (more > 0) fprintf(stderr, ", and %d more label%s", more, more == 1 ? "" : "s");
    fputc('\n', stderr);
}

/* ---- the report ------------------------------------------------------------------------ */

/* Display width of UTF-8 text in terminal columns (wide CJK characters count 2). Labels are
 * valid UTF-8 without control characters: the model loader and the parser make sure of it. */
static int display_width(const char *s)
{
    int w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s);
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(p, n, &cp);
        if (len <= 0) { len = 1; cp = 0xFFFD; }
        w += utf8proc_charwidth(cp);
        p += len;
        n -= len;
    }
    return w;
}

/* Prints s padded with spaces to width columns: on the left (right-aligned) or the right. */
static void put_padded(const char *s, int width, int right_align)
{
    int pad = width - display_width(s);
    if (right_align) printf("%*s", pad > 0 ? pad : 0, "");
    fputs(s, stdout);
    if (!right_align) printf("%*s", pad > 0 ? pad : 0, "");
}

/* Number of decimal digits of v >= 0. */
static int digits(int64_t v)
{
    int d = 1;
    while (v >= 10) { v /= 10; d++; }
    return d;
}

/* The labels the report lists: those in the gold labels or the predictions (scikit-learn's label
 * set), model labels in model order, then unknown gold labels in order of first appearance. */
static int *shown_labels(const test_ctx *c, int *n)
{
    int L = tc_metrics_num_labels(c->metrics);
    int *shown = malloc((size_t)(L ? L : 1) * sizeof *shown);
    *n = 0;
    if (!shown) return NULL;
    for (int i = 0; i < L; i++) {
        tc_label_metrics l;
        tc_metrics_label_get(c->metrics, i, &l);
        if (l.present) shown[(*n)++] = i;
    }
    return shown;
}

/*
 * The heat map's colour scale (docs/cli.md). A cell's colour is its share of its row (the true
 * label's examples): green on the diagonal (correct), red elsewhere (confused). Below 1% only
 * the count is coloured, on the terminal's own background, so that a rare confusion (1 in 700)
 * is faint; from 1% on, the cell's background, in five steps that start at heat_percent[step]
 * and get brighter (about even steps of the share's logarithm: a confusion of 1 in 50 shows,
 * one of 1 in 4 stands out). Text is black on the two brightest steps, white otherwise.
 */
enum { HEAT_STEPS = 5 };
static const int heat_percent[HEAT_STEPS] = {1, 5, 10, 25, 50};
static const int heat_green[HEAT_STEPS] = {22, 28, 34, 40, 46};
static const int heat_red[HEAT_STEPS] = {52, 88, 124, 160, 196};
static const int faint_green = 71, faint_red = 131;   /* the text colour below 1% */

/* The step of count out of total (> 0): -1 below the first step (faint), else 0..4. */
static int heat_step(int64_t count, int64_t total)
{
    int step = -1;
    while (step + 1 < HEAT_STEPS && count * 100 >= (int64_t)heat_percent[step + 1] * total) step++;
    return step;
}

/* Writes text (width columns) in the colours of step (heat_step) on the diagonal or off it:
 * " TEXT " with its background, or coloured text only when faint; one space before it. */
static void put_heat(const char *text, int width, int step, int diagonal)
{
    if (step < 0)
        printf(" \033[38;5;%dm %*s \033[0m", diagonal ? faint_green : faint_red, width, text);
    else
        printf(" \033[48;5;%dm\033[38;5;%dm %*s \033[0m",
               diagonal ? heat_green[step] : heat_red[step], step >= 3 ? 16 : 231, width, text);
}

/* A cell holding count of a row with total examples, width columns wide: uncoloured when 0. */
static void put_heat_cell(int64_t count, int64_t total, int diagonal, int width)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)count);
    if (count == 0 || total == 0) printf("  %*s ", width, text);
    else put_heat(text, width, heat_step(count, total), diagonal);
}

/* The legend under the heat map, then the scale: each step of confusions, in its colours. */
static void put_heat_legend(void)
{
    char text[16];
    printf("colour: share of the row's examples; green = correct, red = confused\nscale:");
    snprintf(text, sizeof text, "<%d%%", heat_percent[0]);
    put_heat(text, 0, -1, 0);
    for (int step = 0; step < HEAT_STEPS; step++) {
        snprintf(text, sizeof text, "%d%%+", heat_percent[step]);
        put_heat(text, 0, step, 0);
    }
    putchar('\n');
}

/* Prints the confusion matrix over the n labels shown[], as a heat map with --color. */
static void print_matrix(const test_ctx *c, const int *shown, int n)
{
    const tc_strmap *t = &c->labels;
    int label_w = 0, numbered = 0;
    for (int i = 0; i < n; i++) {
        int w = display_width(t->names[shown[i]]);
        if (w > label_w) label_w = w;
        if (w > HEADER_MAX_WIDTH) numbered = 1;
    }
    /* numbered headers: rows read "  1 label", columns are headed 1, 2, ... */
    int num_w = digits(n);
    int row_w = numbered ? num_w + 1 + label_w : label_w;
    int w = numbered ? num_w : 1;
    for (int i = 0; i < n; i++) {
        if (!numbered && display_width(t->names[shown[i]]) > w)
            w = display_width(t->names[shown[i]]);
        for (int j = 0; j < n; j++) {
            int d = digits(tc_metrics_cell(c->metrics, shown[i], shown[j]));
            if (d > w) w = d;
        }
    }
    printf("confusion matrix (rows: true label, columns: predicted label)\n");
    printf("%*s", row_w, "");
    for (int j = 0; j < n; j++) {
        fputs("  ", stdout);
        if (numbered) printf("%*d", w, j + 1);
        else put_padded(t->names[shown[j]], w, 1);
        if (c->opt->color) putchar(' ');
    }
    putchar('\n');
    for (int i = 0; i < n; i++) {
        tc_label_metrics l;
        tc_metrics_label_get(c->metrics, shown[i], &l);
        if (numbered) printf("%*d ", num_w, i + 1);
        put_padded(t->names[shown[i]], label_w, 0);
        for (int j = 0; j < n; j++) {
            int64_t v = tc_metrics_cell(c->metrics, shown[i], shown[j]);
            if (c->opt->color) put_heat_cell(v, l.support, i == j, w);
            else printf("  %*lld", w, (long long)v);
        }
        putchar('\n');
    }
    if (c->opt->color) put_heat_legend();
}

/* The most frequent confusions, for label sets too large for a matrix. */
static int print_top_confusions(const test_ctx *c)
{
    tc_confusion_cell *cells;
    size_t n;
    if (tc_metrics_confusions(c->metrics, &cells, &n) != TC_OK) return -1;
    printf("most frequent confusions (all of them as a matrix: --confusion)\n");
    if (n == 0) printf("  none\n");
    int count_w = n ? digits(cells[0].count) : 1;
    if (count_w < 5) count_w = 5;
    if (n) printf("  %*s  %6s  true label -> predicted label\n", count_w, "count", "share");
    for (size_t i = 0; i < n && i < TOP_CONFUSIONS; i++) {
        tc_label_metrics l;
        tc_metrics_label_get(c->metrics, cells[i].gold, &l);
        printf("  %*lld  %5.1f%%  %s -> %s\n", count_w, (long long)cells[i].count,
               100.0 * (double)cells[i].count / (double)l.support, c->labels.names[cells[i].gold],
               c->labels.names[cells[i].predicted]);
    }
    if (n > TOP_CONFUSIONS) printf("  ... and %zu more\n", n - TOP_CONFUSIONS);
    free(cells);
    return 0;
}

/* Lines skipped over all inputs: by_reason[] per tc_line_status, and their total returned. */
static int64_t total_skipped(const test_ctx *c, int64_t by_reason[TC_LINE_STATUS_COUNT])
{
    int64_t total = 0;
    for (int s = 0; s < TC_LINE_STATUS_COUNT; s++) by_reason[s] = 0;
    for (int f = 0; f < c->nfiles; f++)
        for (int s = 0; s < TC_LINE_STATUS_COUNT; s++) by_reason[s] += c->files[f].skipped[s];
    for (int s = 0; s < TC_LINE_STATUS_COUNT; s++) total += by_reason[s];
    return total;
}

/* The report's lines on skipped lines, abstentions and unknown labels. */
static void print_notes(const test_ctx *c)
{
    const tc_strmap *t = &c->labels;
    int64_t by_reason[TC_LINE_STATUS_COUNT];
    int64_t skipped = total_skipped(c, by_reason);
    if (skipped) {
        printf("%-12s %lld line%s:", "skipped", (long long)skipped, skipped == 1 ? "" : "s");
        const char *sep = " ";
        for (int r = 0; r < TC_LINE_STATUS_COUNT; r++) {
            if (!by_reason[r]) continue;
            printf("%s%lld %s", sep, (long long)by_reason[r],
                   tc_line_status_name((tc_line_status)r));
            sep = ", ";
        }
        putchar('\n');
    }
    if (c->abstain >= 0)   /* the model has an abstain rule, and it is on */
        printf("%-12s %lld example%s answered %s (left out of ECE)\n", "abstained",
               (long long)c->abstained, c->abstained == 1 ? "" : "s", t->names[c->abstain]);
    int64_t unknown = unknown_examples(c);
    if (unknown)
        printf("%-12s %lld example%s with a label the model does not know (marked *)\n",
               "unknown", (long long)unknown, unknown == 1 ? "" : "s");
}

/* The per-label table, scikit-learn's classification_report plus a "predicted" column, and its
 * averages (a multi-label model's micro average first). Returns 0, or -1 when out of memory. */
static int print_table(const test_ctx *c, const tc_metrics_summary *sum, const int *shown, int n)
{
    const tc_metrics_summary s = *sum;
    const tc_strmap *t = &c->labels;
    int64_t unknown = unknown_examples(c);
    int label_w = (int)strlen("weighted avg");
    int64_t max_count = s.examples;
    for (int i = 0; i < n; i++) {
        int w = display_width(t->names[shown[i]]) + (shown[i] >= c->model_labels ? 2 : 0);
        if (w > label_w) label_w = w;
    }
    int count_w = digits(max_count) > 9 ? digits(max_count) : 9;
    printf("\n");
    put_padded("label", label_w, 0);
    printf("  precision  recall      F1  %*s  %*s\n", count_w, "support", count_w, "predicted");
    for (int i = 0; i < n; i++) {
        tc_label_metrics l;
        tc_metrics_label_get(c->metrics, shown[i], &l);
        if (shown[i] >= c->model_labels) {
            char *marked = malloc(t->lens[shown[i]] + 3);
            if (!marked) return -1;
            sprintf(marked, "%s *", t->names[shown[i]]);
            put_padded(marked, label_w, 0);
            free(marked);
        } else {
            put_padded(t->names[shown[i]], label_w, 0);
        }
        printf("  %9.4f  %6.4f  %6.4f  %*lld  %*lld\n", l.precision, l.recall, l.f1, count_w,
               (long long)l.support, count_w, (long long)l.predicted);
    }
    if (c->multi) {   /* every label's counts pooled */
        put_padded("micro avg", label_w, 0);
        printf("  %9.4f  %6.4f  %6.4f  %*lld  %*lld\n", s.micro_precision, s.micro_recall,
               s.micro_f1, count_w, (long long)s.gold, count_w, (long long)s.predicted);
    }
    put_padded("macro avg", label_w, 0);
    printf("  %9.4f  %6.4f  %6.4f  %*lld\n", s.macro_precision, s.macro_recall, s.macro_f1,
           count_w, (long long)s.gold);
    put_padded("weighted avg", label_w, 0);
    printf("  %9.4f  %6.4f  %6.4f  %*lld\n", s.weighted_precision, s.weighted_recall,
           s.weighted_f1, count_w, (long long)s.gold);
    if (unknown) printf("* not a label of the model: never predicted\n");
    return 0;
}

/* Prints P@k and R@k when -k was given. */
static void print_at_k(const test_ctx *c, const tc_metrics_summary *s)
{
    if (!c->opt->k_given) return;
    char key[32];
    snprintf(key, sizeof key, "P@%d", c->opt->k);
    printf("%-12s %.4f", key, s->precision_at_k);
    /* fastText's denominator: the predictions actually made, k capped at the label count */
    if (s->k < c->opt->k && c->answerable < c->classes)
        printf("  (%d predictions per example: the model answers %d of its %d labels)",
               s->k, s->k, c->classes);
    else if (s->k < c->opt->k)
        printf("  (%d predictions per example: the model has %d labels)", s->k, s->k);
    putchar('\n');
    snprintf(key, sizeof key, "R@%d", c->opt->k);
    if (c->multi)
        printf("%-12s %.4f  (%lld of the %lld true labels in the top %d)\n", key, s->recall_at_k,
               (long long)s->hits_at_k, (long long)s->gold, c->opt->k);
    else
        printf("%-12s %.4f  (%lld with the true label in the top %d)\n", key, s->recall_at_k,
               (long long)s->hits_at_k, c->opt->k);
}

/* The report's first lines for a multi-label model. */
static void print_head_multi(const test_ctx *c, const tc_metrics_summary *s)
{
    printf("%-12s %lld (%lld true labels, %.2f per example)\n", "examples", (long long)s->examples,
           (long long)s->gold, s->examples ? (double)s->gold / (double)s->examples : 0.0);
    printf("%-12s %.4f  (precision %.4f, recall %.4f; labels with probability >= %g)\n",
           "micro-F1", s->micro_f1, s->micro_precision, s->micro_recall, c->opt->threshold);
    printf("%-12s %.4f  (mean over %d label%s)\n", "macro-F1", s->macro_f1, s->present_labels,
           s->present_labels == 1 ? "" : "s");
    printf("%-12s %.4f  (%lld with exactly the true labels; %lld with no label)\n",
           "exact match", s->accuracy, (long long)s->correct, (long long)s->no_prediction);
}

/* Prints the readable report (a multi-label model's: its own first lines, no matrix). Returns 0,
 * or -1 when out of memory. */
static int print_text(const test_ctx *c)
{
    tc_metrics_summary s;
    tc_metrics_summary_get(c->metrics, &s);
    int n;
    int *shown = shown_labels(c, &n);
    if (!shown) return -1;

    if (c->multi) {
        print_head_multi(c, &s);
    } else {
        printf("%-12s %lld\n", "examples", (long long)s.examples);
        printf("%-12s %.4f  (%lld correct)\n", "accuracy", s.accuracy, (long long)s.correct);
        printf("%-12s %.4f  (mean over %d label%s)\n", "macro-F1", s.macro_f1, s.present_labels,
               s.present_labels == 1 ? "" : "s");
        printf("%-12s %.4f\n", "weighted-F1", s.weighted_f1);
        printf("%-12s %.4f  (expected calibration error, %d bins; mean confidence %.4f)\n", "ECE",
               s.ece, TC_ECE_BINS, s.mean_confidence);
    }
    print_at_k(c, &s);
    print_notes(c);
    int ret = print_table(c, &s, shown, n);
    if (ret == 0 && !c->multi) {   /* a multi-label model has no confusion matrix */
        printf("\n");
        if (n <= MATRIX_MAX_LABELS || c->opt->confusion) print_matrix(c, shown, n);
        else ret = print_top_confusions(c);
    }
    free(shown);
    return ret;
}

/* Writes label i as a JSON string. */
static void put_json_label(const test_ctx *c, int i)
{
    out_json_string(stdout, c->labels.names[i], c->labels.lens[i]);
}

/* The JSON report's start, as far as "unknown_label_examples" and its comma: the model, each
 * file's numbers, the examples. */
static void print_json_head(const test_ctx *c, const char *model_path, const tc_metrics_summary *s)
{
    printf("{\"model\":");
    out_json_string(stdout, model_path, strlen(model_path));
    printf(",\"files\":[");
    for (int f = 0; f < c->nfiles; f++) {
        const file_stats *fs = &c->files[f];
        printf(f ? ",{\"file\":" : "{\"file\":");
        out_json_string(stdout, fs->path, strlen(fs->path));
        printf(",\"format\":%s,\"detected\":%s,\"lines\":%lld,\"examples\":%lld,\"skipped\":{",
               fs->format == TC_FORMAT_FASTTEXT ? "\"fasttext\""
               : fs->format == TC_FORMAT_TSV    ? "\"tsv\""
                                                : "null",
               fs->detected ? "true" : "false", (long long)fs->lines, (long long)fs->examples);
        const char *sep = "";
        for (int r = 0; r < TC_LINE_STATUS_COUNT; r++) {
            if (!skip_key((tc_line_status)r)) continue;
            printf("%s\"%s\":%lld", sep, skip_key((tc_line_status)r), (long long)fs->skipped[r]);
            sep = ",";
        }
        printf("}}");
    }
    int64_t by_reason[TC_LINE_STATUS_COUNT];
    printf("],\"examples\":%lld,\"skipped\":%lld,\"unknown_label_examples\":%lld,",
           (long long)s->examples, (long long)total_skipped(c, by_reason),
           (long long)unknown_examples(c));
}

/* The JSON report's "labels" array (no comma after it). */
static void print_json_labels(const test_ctx *c, const int *shown, int n)
{
    printf("\"labels\":[");
    for (int i = 0; i < n; i++) {
        tc_label_metrics l;
        tc_metrics_label_get(c->metrics, shown[i], &l);
        printf(i ? ",{\"label\":" : "{\"label\":");
        put_json_label(c, shown[i]);
        printf(",\"in_model\":%s,\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"support\":%lld,"
               "\"predicted\":%lld,\"correct\":%lld}",
               shown[i] < c->model_labels ? "true" : "false", l.precision, l.recall, l.f1,
               (long long)l.support, (long long)l.predicted, (long long)l.correct);
    }
    putchar(']');
}

/* The JSON report's numbers of a multi-label model (docs/cli.md), up to "labels". */
static void print_json_multi(const test_ctx *c, const tc_metrics_summary *sum)
{
    const tc_metrics_summary s = *sum;
    printf("\"output\":\"sigmoid\",\"threshold\":%g,\"true_labels\":%lld,"
           "\"predicted_labels\":%lld,\"exact_match\":%.6f,\"exact\":%lld,\"no_label\":%lld,",
           c->opt->threshold, (long long)s.gold, (long long)s.predicted, s.accuracy,
           (long long)s.correct, (long long)s.no_prediction);
    printf("\"micro\":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"correct\":%lld},",
           s.micro_precision, s.micro_recall, s.micro_f1, (long long)s.true_positives);
    printf("\"macro\":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"labels\":%d},",
           s.macro_precision, s.macro_recall, s.macro_f1, s.present_labels);
    printf("\"weighted\":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f},", s.weighted_precision,
           s.weighted_recall, s.weighted_f1);
    printf("\"k\":%d,\"precision_at_k\":%.6f,\"recall_at_k\":%.6f,\"hits_at_k\":%lld,",
           c->opt->k, s.precision_at_k, s.recall_at_k, (long long)s.hits_at_k);
}

/* Prints the whole report as one JSON object. Returns 0, or -1 when out of memory. */
static int print_json(const test_ctx *c, const char *model_path)
{
    tc_metrics_summary s;
    tc_metrics_summary_get(c->metrics, &s);
    int n;
    int *shown = shown_labels(c, &n);
    if (!shown) return -1;
    print_json_head(c, model_path, &s);
    if (c->multi) {   /* no accuracy, calibration or confusions */
        print_json_multi(c, &s);
        print_json_labels(c, shown, n);
        printf("}\n");
        free(shown);
        return 0;
    }
    tc_confusion_cell *cells;
    size_t ncells;
    if (tc_metrics_confusions(c->metrics, &cells, &ncells) != TC_OK) {
        free(shown);
        return -1;
    }

    printf("\"accuracy\":%.6f,\"correct\":%lld,", s.accuracy, (long long)s.correct);
    if (c->abstain >= 0) {   /* only with an abstain rule that is on: other reports unchanged */
        printf("\"abstain\":{\"label\":");
        put_json_label(c, c->abstain);
        printf(",\"examples\":%lld},", (long long)c->abstained);
    }
    printf("\"macro\":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"labels\":%d},",
           s.macro_precision, s.macro_recall, s.macro_f1, s.present_labels);
    printf("\"weighted\":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f},", s.weighted_precision,
           s.weighted_recall, s.weighted_f1);
    printf("\"calibration\":{\"ece\":%.6f,\"mean_confidence\":%.6f,\"bins\":%d},", s.ece,
           s.mean_confidence, TC_ECE_BINS);
    printf("\"k\":%d,\"precision_at_k\":%.6f,\"recall_at_k\":%.6f,\"hits_at_k\":%lld,",
           c->opt->k, s.precision_at_k, s.recall_at_k, (long long)s.hits_at_k);
    print_json_labels(c, shown, n);
    printf(",\"confusion_matrix\":");
    if (n > JSON_MATRIX_MAX_LABELS) {
        printf("null");
    } else {
        putchar('[');
        for (int i = 0; i < n; i++) {
            putchar(i ? ',' : '[');
            if (i) putchar('[');
            for (int j = 0; j < n; j++)
                printf(j ? ",%lld" : "%lld",
                       (long long)tc_metrics_cell(c->metrics, shown[i], shown[j]));
            putchar(']');
        }
        putchar(']');
    }
    printf(",\"confusions\":[");
    for (size_t i = 0; i < ncells; i++) {
        printf(i ? ",{\"true\":" : "{\"true\":");
        put_json_label(c, cells[i].gold);
        printf(",\"predicted\":");
        put_json_label(c, cells[i].predicted);
        printf(",\"count\":%lld}", (long long)cells[i].count);
    }
    printf("]}\n");
    free(cells);
    free(shown);
    return 0;
}

/* ---- the command ----------------------------------------------------------------------- */

/* Loads the model and sets up the run. Returns -1 to continue, or an exit status. */
static int setup(test_ctx *c, const char *path)
{
    tc_error err;
    tc_status st = tc_model_load(path, &c->model, &err);
    if (st != TC_OK) {
        cli_report(&err);
        return st == TC_ERR_NOMEM ? EXIT_INTERNAL : EXIT_MODEL;
    }
    int C = tc_model_num_labels(c->model);
    tc_model_info info;
    tc_model_get_info(c->model, &info);
    const char *abstain = c->opt->no_abstain ? NULL : info.abstain_label;
    c->flags = c->opt->no_abstain ? TC_NO_ABSTAIN : 0;
    c->classes = C;
    c->answerable = C;
    c->multi = strcmp(info.output, "sigmoid") == 0;
    if (c->opt->threshold_given && !c->multi)
        return cli_usage_error("test", "-t/--threshold applies to a multi-label model only: "
                               "%s gives one label per example", path);
    for (int i = 0; abstain && i < C; i++) c->answerable -= tc_model_label_withheld(c->model, i);
    /* -k larger than the number of labels means every label, as for classify */
    c->k = c->opt->k < c->answerable ? c->opt->k : c->answerable;
    c->probs = malloc((size_t)C * sizeof *c->probs);
    c->order = malloc((size_t)C * sizeof *c->order);
    if (!c->probs || !c->order || tc_metrics_new(C, c->k, &c->metrics) != TC_OK) {
        cli_msg("out of memory");
        return EXIT_INTERNAL;
    }
    tc_strmap_init(&c->labels, INT32_MAX);
    for (int i = 0; i < C; i++) {
        const char *l = tc_model_label(c->model, i);
        /* the loader made the labels unique: id i, or out of memory */
        if (tc_strmap_insert(&c->labels, l, strlen(l)) != i) {
            cli_msg("out of memory");
            return EXIT_INTERNAL;
        }
    }
    c->model_labels = C;
    c->abstain = abstain ? tc_strmap_find(&c->labels, abstain, strlen(abstain)) : -1;
    if (abstain && c->abstain < 0) {   /* a label of its own, after the model's */
        if ((c->abstain = tc_strmap_insert(&c->labels, abstain, strlen(abstain))) != C ||
            tc_metrics_add_labels(c->metrics, 1) != TC_OK) {
            cli_msg("out of memory");
            return EXIT_INTERNAL;
        }
        c->model_labels = C + 1;
    }
    if (tc_session_init(c->model, &c->session, &err) != TC_OK) {
        cli_report(&err);
        return EXIT_INTERNAL;
    }
    return -1;
}

int cmd_test(int argc, char **argv)
{
    test_options o;
    int s = parse_test_options(argc, argv, &o);
    if (s >= 0) return s;
    char **operands = argv + optind;
    int nops = argc - optind;
    /* the operands' meaning depends on their count and -m only, never on the environment */
    const char *model = o.model;
    if (!model && nops >= 2) {
        model = operands[0];
        operands++;
        nops--;
    }
    if (nops == 0)
        return cli_usage_error("test", o.model ? "no test FILE given (use - for standard input)"
                                   : "expected MODEL and FILE operands (use - for standard "
                                     "input)");
    if (!model) model = getenv("TEXTCLF_MODEL");
    if (!model || !*model)
        return cli_usage_error("test",
                               "no model given (a single operand is the test FILE): use "
                               "'textclf test MODEL FILE...', -m MODEL or set TEXTCLF_MODEL");

    test_ctx c = {0};
    c.opt = &o;
    s = setup(&c, model);
    if (s < 0 && test_files(&c, nops, operands) == 0) {
        if (!o.quiet) report_unknown(&c);
        tc_metrics_summary sum;
        tc_metrics_summary_get(c.metrics, &sum);
        if (sum.examples == 0) {
            /* when no input could even be opened, their own messages say it all */
            if (c.nfiles) cli_msg("no test examples: no input has a usable labelled line");
            raise_status(&c, EXIT_INPUT);
        } else if ((o.json ? print_json(&c, model) : print_text(&c)) != 0) {
            cli_msg("out of memory");
            raise_status(&c, EXIT_INTERNAL);
        }   /* whether writing the report worked: main() checks, after flushing */
    }
    if (s >= 0) raise_status(&c, s);
    tc_session_free(c.session);
    tc_model_free(c.model);
    tc_metrics_free(c.metrics);
    tc_strmap_free(&c.labels);
    tc_buf_free(&c.scratch);
    free(c.probs);
    free(c.order);
    free(c.gold);
    free(c.files);
    return c.status;
}
