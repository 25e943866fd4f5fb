/*
 * cli_embed.c - `textclf embed` (docs/cli.md): one vector per document, the pooled vector (or
 * the hidden layer) that tc_embed gives, as TSV, JSON Lines, raw float32 or a .npy file:
 * fastText's print-sentence-vectors, for clustering and similarity.
 */
#include "cli_embed.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_batch.h"
#include "cli_classify.h"
#include "cli_doc.h"
#include "cli_files.h"
#include "cli_model.h"
#include "cli_msg.h"
#include "cli_pool.h"
#include "cli_stop.h"
#include "fmt_float.h"

static const char embed_usage[] =
    "Usage: textclf embed [OPTION]... [FILE]...\n"
    "Print one vector per document: the pooled vector the model's hidden layer reads (the\n"
    "mean over the tokens of the attention block's output), or the hidden layer's output.\n"
    "With no FILE, or when FILE is -, read standard input. By default each line is a document.\n"
    "\n"
    "Model:\n"
    "  -m, --model=PATH        model JSON file (default: $TEXTCLF_MODEL, else the built-in\n"
    "                          language identifier)\n"
    "Input:\n"
    "  -z, --null-data         documents are separated by NUL bytes, not newlines\n"
    "  -W, --whole-file        each FILE is one document\n"
    "      --strict-utf8       reject documents with invalid UTF-8 (default: replace with U+FFFD\n"
    "                          and warn)\n"
    "  -j, --threads=N         compute on N threads (default 1); vectors stay in input order\n"
    "Output:\n"
    "      --layer=LAYER       pooled (default: dim values) or hidden (the hidden layer after\n"
    "                          its activation: hidden values)\n"
    "  -f, --format=FMT        tsv (default: the values separated by tabs), jsonl (\"vector\"),\n"
    "                          f32 (raw little-endian float32, the rows back to back) or npy\n"
    "                          (a NumPy .npy file of shape [documents, values]: standard\n"
    "                          output must be a file)\n"
    "  -H, --with-filename     print the file name first (tsv, jsonl; default with several\n"
    "                          FILEs or -W)\n"
    "  -h, --no-filename       never print the file name\n"
    "  -n, --number            print the document's number within its input (tsv, jsonl)\n"
    "      --line-buffered     flush after every result (default only on a terminal)\n"
    "  -q, --quiet             no warnings (errors are still reported)\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
    "Values are printed with 9 significant digits, which give back the float32 exactly.\n"
    "Exit status: 0 ok, 1 internal error, 2 usage error, 3 model error, 4 an input could not\n"
    "be read or was rejected, 5 output error, 130/143 stopped by SIGINT/SIGTERM.\n"
    "See docs/cli.md.\n";

/* -f words, in this order (fmt below) */
static const char *const embed_formats[] = {"tsv", "jsonl|json", "f32", "npy", NULL};
enum { FMT_TSV, FMT_JSONL, FMT_F32, FMT_NPY };

/* A .npy version 1.0 header of NPY_HEADER bytes (a multiple of 64, as the format asks), whose
 * shape leaves room for any row count: written first with 0 rows, again at the end. */
enum { NPY_HEADER = 128 };

/* What every document's tc_embed call takes besides its text (the pool's threads read it). */
typedef struct {
    int flags;
    tc_embed_layer layer;
} embed_args;

typedef struct {
    const cli_classify_options *opt;
    tc_session *session;
    embed_args args;
    cli_pool *pool;        /* --threads N > 1, else NULL */
    cli_batches *batches;  /* with the pool */
    int fmt;
    float *vec;            /* [n] the document being answered */
    unsigned char *raw;    /* [4n] a row's bytes (-f f32, npy) */
    int n;
    int64_t rows;          /* vectors written */
    const char *display;   /* the name of the input being read, as results show it */
    cli_doc_run run;
} embed_ctx;

/* cli_doc_fn: the vector of one document, into c->vec */
static tc_status embed_doc(void *ctx, const char *data, size_t len, tc_doc_info *info,
                           tc_error *err)
{
    embed_ctx *c = ctx;
    return tc_embed(c->session, data, len, c->args.flags, c->args.layer, c->vec, info, err);
}

/* cli_pool_fn: the vector of one document of a batch, into d->out */
static void embed_pool_doc(tc_session *s, const void *arg, pool_doc *d)
{
    const embed_args *a = arg;
    d->status = tc_embed(s, d->data, d->len, a->flags, a->layer, d->out, &d->info, &d->err);
}

/* out[4] = the little-endian bytes of v */
static void le32(unsigned char *out, float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    for (int i = 0; i < 4; i++) out[i] = (unsigned char)(u >> (8 * i));
}

/* Writes vec[0..n) on stdout, each value as "%.9g" after sep (none before the first). */
static void print_row(const float *vec, int n, char sep)
{
    char b[TC_FMT_FLOAT9_MAX];
    for (int i = 0; i < n; i++) {
        if (i) putchar(sep);
        fwrite(b, 1, tc_fmt_float9(b, vec[i]), stdout);
    }
}

/* Prints vec[0..c->n), the vector of document `number`. */
static void print_values(embed_ctx *c, int64_t number, const tc_doc_info *info, const float *vec)
{
    const out_options *o = &c->opt->out;
    c->rows++;
    if (c->fmt == FMT_F32 || c->fmt == FMT_NPY) {
        /* a row at a time: c->raw has room for it */
        for (int i = 0; i < c->n; i++) le32(c->raw + 4 * (size_t)i, vec[i]);
        fwrite(c->raw, 4, (size_t)c->n, stdout);
        return;
    }
    if (c->fmt == FMT_TSV) {
        out_tsv_prefix(stdout, o, c->display, number);
        print_row(vec, c->n, '\t');
        putchar('\n');
        return;
    }
    putchar('{');
    out_json_prefix(stdout, o, c->display, number);
    fputs("\"vector\":[", stdout);
    print_row(vec, c->n, ',');
    printf("],\"tokens\":%lld,\"truncated\":%s}\n", (long long)info->tokens,
           info->truncated ? "true" : "false");
}

/* cli_doc_print_fn: prints c->vec for document `number` */
static void print_vec(void *ctx, int64_t number, const tc_doc_info *info)
{
    embed_ctx *c = ctx;
    print_values(c, number, info, c->vec);
}

/* cli_batch_print_fn: prints the vector the pool computed for a document */
static void print_pool_vec(void *ctx, const pool_doc *d)
{
    print_values(ctx, d->number, &d->info, d->out);
}

/* Writes the .npy header for `rows` rows of n float32 values at the current position. */
static void npy_header(int64_t rows, int n)
{
    char h[NPY_HEADER];
    /* magic, version 1.0, the header length (2 bytes, below), then the dictionary */
    int len = snprintf(h, sizeof h, "\x93NUMPY\x01%c%c%c{'descr': '<f4', 'fortran_order': "
                       "False, 'shape': (%lld, %d), }", 0, 0, 0, (long long)rows, n);
    memset(h + len, ' ', sizeof h - (size_t)len - 1);
    h[sizeof h - 1] = '\n';
    h[8] = (char)((NPY_HEADER - 10) & 0xff);   /* the header's length after these 10 bytes */
    h[9] = (char)((NPY_HEADER - 10) >> 8);
    fwrite(h, 1, sizeof h, stdout);
}

/* cli_input_fn for cli_each_input: the vectors of one input */
static int embed_one(void *ctx, FILE *f, const char *name, const char *path)
{
    embed_ctx *c = ctx;
    cli_doc_input in = {name, 0, c->opt->quiet, &c->run};
    c->display = path;
    if (c->pool)
        return cli_batch_read(c->batches, c->pool, &in, f, c->opt->split, print_pool_vec, c);
    return cli_doc_read(&in, f, c->opt->split, embed_doc, print_vec, c);
}

int cmd_embed(int argc, char **argv)
{
    /* the label options mean nothing here, nor does --no-abstain (nothing is answered) */
    uint64_t takes = cli_classify_opt('m') | cli_classify_opt('z') | cli_classify_opt('W') |
                     cli_classify_opt('f') | cli_classify_opt('H') | cli_classify_opt('h') |
                     cli_classify_opt('n') | cli_classify_opt('q') | cli_classify_opt('j') |
                     cli_classify_long_opt("strict-utf8") | cli_classify_long_opt("layer") |
                     cli_classify_long_opt("line-buffered");
    const cli_classify_command cmd = {"embed", embed_usage, takes, embed_formats};
    cli_classify_options o;
    int s = cli_classify_parse(argc, argv, &cmd, &o);
    if (s >= 0) return s;
    int fmt = (int)o.out.format;
    int binary = fmt == FMT_F32 || fmt == FMT_NPY;
    if (binary && (o.filename == 1 || o.out.with_number))
        return cli_usage_error("embed", "-H and -n do not apply to -f %s (rows of values only)",
                               embed_formats[fmt]);
    struct stat st;
    off_t npy_at = 0;   /* where the header goes: the file's start */
    if (fmt == FMT_NPY) {
        /* the header holds the row count, written again at the end: a file, not a pipe */
        int fl = fcntl(STDOUT_FILENO, F_GETFL);
        if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode) || fl < 0 || (fl & O_APPEND) ||
            (npy_at = ftello(stdout)) != 0)
            return cli_usage_error("embed", "-f npy writes a whole .npy file, whose header holds "
                                   "the number of rows: standard output must be a file at its "
                                   "start (> FILE, not a pipe or >>); or use -f f32");
    }
    int nfiles = argc - optind;
    o.out.with_filename = !binary && (o.filename >= 0 ? o.filename
                                                      : (nfiles > 1 || o.split == SPLIT_WHOLE));
    int interactive = o.line_buffered || isatty(STDOUT_FILENO);
    if (interactive) setvbuf(stdout, NULL, _IOLBF, 0);
    /* batches would hold back vectors that an interactive reader waits for line by line */
    int use_pool = o.threads > 1 && !interactive;

    embed_ctx c = {.opt = &o, .fmt = fmt, .run = {EXIT_OK, NULL, 0},
                   .args = {o.strict ? TC_STRICT_UTF8 : 0, (tc_embed_layer)o.layer}};
    tc_model *model;
    if ((s = cli_model_open(o.model, &model)) >= 0) return s;
    tc_error err;
    c.n = tc_embed_dim(model, c.args.layer);
    c.vec = malloc((size_t)c.n * sizeof *c.vec);
    c.raw = malloc((size_t)c.n * 4);
    if (use_pool) c.batches = cli_batches_new((size_t)c.n);
    if (!c.vec || !c.raw || (use_pool && !c.batches)) {
        cli_msg("out of memory");
        c.run.status = EXIT_INTERNAL;
    } else if (tc_session_init(model, &c.session, &err) != TC_OK ||
               (use_pool && cli_pool_init(&c.pool, model, o.threads, embed_pool_doc, &c.args,
                                          &err) != TC_OK)) {
        cli_report(&err);
        c.run.status = EXIT_INTERNAL;
    } else {
        if (fmt == FMT_NPY) npy_header(0, c.n);
        cli_stop_install(0);
        cli_each_input(nfiles, argv + optind, embed_one, &c, &c.run.status);
        /* the rows written, after a stop too: the file stays a valid .npy of them */
        if (fmt == FMT_NPY && fseeko(stdout, npy_at, SEEK_SET) == 0) {
            npy_header(c.rows, c.n);
            fseeko(stdout, 0, SEEK_END);
        }
    }
    if (cli_stop_signal) c.run.status = cli_stop_report(c.run.at_name, c.run.at_record);
    cli_pool_free(c.pool);   /* first: its threads may still hold a batch */
    cli_batches_free(c.batches);
    tc_session_free(c.session);
    tc_model_free(model);
    free(c.vec);
    free(c.raw);
    return c.run.status;
}
