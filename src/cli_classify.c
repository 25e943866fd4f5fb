/*
 * cli_classify.c - `textclf [classify]` and `textclf tokenize` (docs/cli.md): reads documents,
 * classifies (or tokenises) each, prints one line per document; with --threads, classification
 * runs in batches on a pool of threads (cli_pool.h) and prints in input order.
 */
#include "cli_classify.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_batch.h"
#include "cli_doc.h"
#include "cli_files.h"
#include "cli_model.h"
#include "cli_msg.h"
#include "cli_opt.h"
#include "cli_pool.h"
#include "cli_stop.h"

/* Each command's --help is written out whole, though the commands share option lines
 * (classify, tokenize and explain: -m, -z, -W, --strict-utf8...): a help text is read as one
 * piece, and tests/man compares each with its man page section and the completion. */
static const char classify_usage[] =
    "Usage: textclf [classify] [OPTION]... [FILE]...\n"
    "       textclf info [OPTION]... [MODEL]   (see textclf info --help)\n"
    "       textclf tokenize [OPTION]... [FILE]...   (see textclf tokenize --help)\n"
    "       textclf test [OPTION]... MODEL FILE...   (see textclf test --help)\n"
    "       textclf train -i FILE -o MODEL.json [OPTION]...   (see textclf train --help)\n"
    "       textclf explain [OPTION]... [FILE]...   (see textclf explain --help)\n"
    "       textclf convert [--inline | --safetensors] IN.json OUT.json"
    "   (see textclf convert --help)\n"
    "       textclf embed [OPTION]... [FILE]...   (see textclf embed --help)\n"
    "       textclf quantize IN.json OUT.json   (see textclf quantize --help)\n"
    "Classify text with a self-attention model: one result line per document.\n"
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
    "  -j, --threads=N         classify on N threads (default 1); results stay in input order.\n"
    "                          Documents are read in batches, so with --line-buffered (or a\n"
    "                          terminal) one thread is used, to answer each line at once\n"
    "Output:\n"
    "  -k, --top=N             print the N most probable labels (default 1)\n"
    "  -a, --all               print every label, most probable first (JSON: also \"scores\")\n"
    "  -t, --threshold=P       print every label with probability >= P (0..1), at most N\n"
    "                          with -k N\n"
    "  -f, --format=FMT        tsv (default: label<TAB>probability...) or jsonl\n"
    "  -H, --with-filename     print the file name first (default with several FILEs or -W)\n"
    "  -h, --no-filename       never print the file name\n"
    "  -n, --number            print the document's number within its input (line number)\n"
    "      --line-buffered     flush after every result (default only on a terminal)\n"
    "      --no-abstain        never abstain: answer the most probable label even when the\n"
    "                          model's abstain rule (e.g. und) would fire\n"
    "  -q, --quiet             no warnings (errors are still reported)\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
    "A model with an abstain rule answers its label (e.g. und) for a document it cannot tell:\n"
    "TSV gives it with an empty probability before the usual pairs, JSON with \"probability\"\n"
    "null and the reason as \"abstain\".\n"
    "A multi-label model (train --multi-label) prints every label with probability >= 0.5\n"
    "(-t P: >= P), most probable first: an empty line (JSON: \"top\":[]) when none passes;\n"
    "-k N and --all rank its labels as for any model.\n"
    "Exit status: 0 ok, 1 internal error, 2 usage error, 3 model error, 4 an input could not\n"
    "be read or was rejected, 5 output error, 130/143 stopped by SIGINT/SIGTERM.\n"
    "See docs/cli.md.\n";

static const char tokenize_usage[] =
    "Usage: textclf tokenize [OPTION]... [FILE]...\n"
    "Print the tokens the model is fed for each document: one line per document, the tokens\n"
    "separated by single spaces (an empty line for an empty document). Useful to check a\n"
    "vocabulary or a tokenizer setting.\n"
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
    "  -j, --threads=N         accepted, as by classify, and ignored: tokenize uses one thread\n"
    "Output:\n"
    "      --ids               print vocabulary ids instead of tokens\n"
    "  -H, --with-filename     print the file name first (default with several FILEs or -W)\n"
    "  -h, --no-filename       never print the file name\n"
    "  -n, --number            print the document's number within its input (line number)\n"
    "      --line-buffered     flush after every line (default only on a terminal)\n"
    "  -q, --quiet             no warnings (errors are still reported)\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
    "Exit status: 0 ok, 1 internal error, 2 usage error, 3 model error, 4 an input could not\n"
    "be read or was rejected, 5 output error, 130/143 stopped by SIGINT/SIGTERM.\n"
    "See docs/cli.md.\n";

/* ---- options --------------------------------------------------------------------------- */

/* The letters of the options, for getopt_long; in this order, they have the bits of
 * cli_classify_opt (no other list of them to keep in step). */
static const char short_opts[] = "m:zWk:at:f:Hhnqj:";

/* Long-only options: their values, which are also their bits (0, 1, ...) after OPT_FIRST. */
enum { OPT_FIRST = 256, OPT_HELP = OPT_FIRST, OPT_VERSION, OPT_LINE_BUFFERED, OPT_STRICT, OPT_IDS,
       OPT_NO_ABSTAIN, OPT_LAYER, OPT_END };
enum { LETTER_BIT0 = OPT_END - OPT_FIRST };   /* the letters' bits follow */
_Static_assert(LETTER_BIT0 + sizeof short_opts - 1 <= 64, "a bit for every option");

static const struct option long_opts[] = {
    {"model", required_argument, 0, 'm'},  {"null-data", no_argument, 0, 'z'},
    {"whole-file", no_argument, 0, 'W'},   {"strict-utf8", no_argument, 0, OPT_STRICT},
    {"top", required_argument, 0, 'k'},    {"all", no_argument, 0, 'a'},
    {"threshold", required_argument, 0, 't'}, {"format", required_argument, 0, 'f'},
    {"with-filename", no_argument, 0, 'H'}, {"no-filename", no_argument, 0, 'h'},
    {"number", no_argument, 0, 'n'},       {"line-buffered", no_argument, 0, OPT_LINE_BUFFERED},
    {"quiet", no_argument, 0, 'q'},        {"ids", no_argument, 0, OPT_IDS},
    {"help", no_argument, 0, OPT_HELP},    {"version", no_argument, 0, OPT_VERSION},
    {"threads", required_argument, 0, 'j'}, {"no-abstain", no_argument, 0, OPT_NO_ABSTAIN},
    {"layer", required_argument, 0, OPT_LAYER},
    {0, 0, 0, 0}};

/* The words of embed's --layer, in tc_embed_layer order. */
static const char *const layer_names[] = {"pooled", "hidden", NULL};

uint64_t cli_classify_long_opt(const char *name)
{
    for (const struct option *lo = long_opts; lo->name; lo++)
        if (strcmp(lo->name, name) == 0) return cli_classify_opt(lo->val);
    return 0;
}

uint64_t cli_classify_opt(int c)
{
    if (c >= OPT_FIRST && c < OPT_END) return (uint64_t)1 << (c - OPT_FIRST);
    int bit = LETTER_BIT0;
    for (const char *p = short_opts; *p; p++) {
        if (*p == ':') continue;
        if (*p == c) return (uint64_t)1 << bit;
        bit++;
    }
    return 0;
}

/* The command whose --help a usage error points to: NULL (the general help) for classify. */
static const char *help_of(const cli_classify_command *cmd)
{
    return strcmp(cmd->name, "classify") == 0 ? NULL : cmd->name;
}

/* Refuses option value c (as getopt_long returned it), which cmd does not take:
 * "option '--top' (-k) does not apply to 'textclf info'". Returns EXIT_USAGE. */
static int not_taken(const cli_classify_command *cmd, int c)
{
    const char *help = help_of(cmd);
    const struct option *lo = long_opts;
    while (lo->name && lo->val != c) lo++;
    if (c < OPT_FIRST)
        return cli_usage_error(help, "option '--%s' (-%c) does not apply to '%s %s'", lo->name, c,
                               CLI_PROGNAME, cmd->name);
    return cli_usage_error(help, "option '--%s' does not apply to '%s %s'", lo->name, CLI_PROGNAME,
                           cmd->name);
}

int cli_classify_parse(int argc, char **argv, const cli_classify_command *cmd,
                       cli_classify_options *o)
{
    memset(o, 0, sizeof *o);
    o->filename = -1;
    o->out.k = 1;
    o->threads = 1;
    const char *help = help_of(cmd);
    uint64_t takes = cmd->takes | cli_classify_opt(OPT_HELP) | cli_classify_opt(OPT_VERSION);
    int refused = 0;   /* the first option given that cmd does not take, refused at the end */
    int c, s = -1;
    long long n;
    cli_opt_begin(argv);
    while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
        /* an option that is not taken: refused after the loop (so that --help still answers),
         * whatever its value */
        if (c != '?' && c != ':' && !(takes & cli_classify_opt(c))) {
            if (!refused) refused = c;
            continue;
        }
        switch (c) {
        case 'm':
            if (!*optarg) return cli_usage_error(help, "empty model path given with -m");
            o->model = optarg;
            break;
        case 'z': o->split = SPLIT_NUL; break;
        case 'W': o->split = SPLIT_WHOLE; break;
        case OPT_STRICT: o->strict = 1; break;
        case 'k':
            s = cli_opt_top(help, optarg, &o->out.k);
            o->k_given = 1;
            break;
        case 'a': o->out.all = 1; break;
        case 'j':
            if ((s = cli_opt_int(help, "threads", optarg, 1, 256, &n)) < 0) o->threads = (int)n;
            break;
        case 't':
            s = cli_opt_real(help, "threshold", optarg, 0, 1, &o->out.threshold);
            o->out.show_threshold = 1;
            break;
        case 'f': {
            int f;
            if ((s = cli_opt_choice(help, "format", optarg, cmd->formats, &f)) < 0)
                o->out.format = (out_format)f;
            break;
        }
        case 'H': o->filename = 1; break;
        case 'h': o->filename = 0; break;
        case 'n': o->out.with_number = 1; break;
        case OPT_LINE_BUFFERED: o->line_buffered = 1; break;
        case 'q': o->quiet = 1; break;
        case OPT_IDS: o->ids = 1; break;
        case OPT_NO_ABSTAIN: o->no_abstain = 1; break;
        case OPT_LAYER: s = cli_opt_choice(help, "layer", optarg, layer_names, &o->layer); break;
        case OPT_HELP: fputs(cmd->usage, stdout); return EXIT_OK;
        case OPT_VERSION: return cli_version();
        default: return cli_usage_hint(help);   /* getopt has said what was wrong */
        }
        if (s >= 0) return s;
    }
    return refused ? not_taken(cmd, refused) : -1;
}

/* ---- classify / tokenize --------------------------------------------------------------- */

typedef struct {
    const cli_classify_options *opt;
    tc_model *model;
    tc_session *session;
    cli_pool *pool;        /* --threads N > 1 (classification), else NULL */
    cli_batches *batches;  /* with the pool: read ahead / being classified; for every input */
    float *probs;          /* [num_labels] the document being answered (classify) */
    const int32_t *ids;    /* [num_ids] the same (tokenize; owned by the session) */
    int64_t num_ids;
    int *order;
    int tokenize;          /* the tokenize command */
    const char *display;   /* the name of the input being read, as results show it */
    cli_doc_run run;       /* exit status so far, and where the run got to */
} run_ctx;

static void print_tokens(run_ctx *c, const char *display, int64_t number, const int32_t *ids,
                         int64_t n)
{
    out_tsv_prefix(stdout, &c->opt->out, display, number);
    for (int64_t i = 0; i < n; i++) {
        if (i) putchar(' ');
        if (c->opt->ids) printf("%d", ids[i]);
        else fputs(tc_model_token(c->model, ids[i]), stdout);
    }
    putchar('\n');
}

/* tc_classify's flags for options o (the pool's threads get the same). */
static int classify_flags(const cli_classify_options *o)
{
    return (o->strict ? TC_STRICT_UTF8 : 0) | (o->no_abstain ? TC_NO_ABSTAIN : 0);
}

/* cli_doc_fn without --threads: classifies (into c->probs) or tokenises (into c->ids) one
 * document. */
static tc_status run_doc(void *ctx, const char *data, size_t len, tc_doc_info *info,
                         tc_error *err)
{
    run_ctx *c = ctx;
    if (c->tokenize)
        return tc_tokenize(c->session, data, len, c->opt->strict ? TC_STRICT_UTF8 : 0, &c->ids,
                           &c->num_ids, info, err);
    return tc_classify(c->session, data, len, classify_flags(c->opt), c->probs, info, err);
}

/* cli_doc_print_fn: prints what run_doc computed for document `number`. */
static void print_doc(void *ctx, int64_t number, const tc_doc_info *info)
{
    run_ctx *c = ctx;
    if (c->tokenize) {
        print_tokens(c, c->display, number, c->ids, c->num_ids);
        return;
    }
    out_record rec = {c->display, number, c->probs, info};
    out_write_record(stdout, &c->opt->out, c->model, &rec, c->order);
}

/* ---- batches, for --threads -------------------------------------------------------------- */

/* cli_pool_fn: classifies one document of a batch (arg: the tc_classify flags) */
static void classify_pool_doc(tc_session *s, const void *arg, pool_doc *d)
{
    d->status = tc_classify(s, d->data, d->len, *(const int *)arg, d->out, &d->info, &d->err);
}

/* cli_batch_print_fn: prints the probabilities the pool computed for a document. */
static void print_pool_doc(void *ctx, const pool_doc *d)
{
    run_ctx *c = ctx;
    out_record rec = {c->display, d->number, d->out, &d->info};
    out_write_record(stdout, &c->opt->out, c->model, &rec, c->order);
}

/* Classifies (or tokenises) every document of one input (display: its name in results).
 * Returns 0, or -1 to stop the run (output failed, or an internal error). */
static int run_input(run_ctx *c, FILE *f, const char *name, const char *display)
{
    cli_doc_input in = {name, 0, c->opt->quiet, &c->run};
    c->display = display;
    if (!c->pool) return cli_doc_read(&in, f, c->opt->split, run_doc, print_doc, c);
    return cli_batch_read(c->batches, c->pool, &in, f, c->opt->split, print_pool_doc, c);
}

/* cli_input_fn for cli_each_input: classifies (or tokenises) one input. */
static int run_one(void *ctx, FILE *f, const char *name, const char *path)
{
    return run_input(ctx, f, name, path);
}

/* The -f words of classify, in out_format order: json is taken for jsonl. */
static const char *const classify_formats[] = {"tsv", "jsonl|json", NULL};

/* classify (tokenize 0) or tokenize (1). */
static int run_command(int argc, char **argv, int tokenize)
{
    /* tokenize prints tokens, not labels: the label output options mean nothing to it (-j is
     * taken and ignored, as documented: tokenize uses one thread), nor does --no-abstain (it
     * never abstains); --ids is tokenize's only */
    uint64_t labels_out = cli_classify_opt('k') | cli_classify_opt('a') | cli_classify_opt('t') |
                          cli_classify_opt('f') | cli_classify_opt(OPT_NO_ABSTAIN);
    uint64_t layer = cli_classify_opt(OPT_LAYER);   /* embed's only */
    const cli_classify_command classify = {"classify", classify_usage,
                                           ~(cli_classify_opt(OPT_IDS) | layer), classify_formats};
    const cli_classify_command tokenize_cmd = {"tokenize", tokenize_usage, ~(labels_out | layer),
                                               NULL};
    cli_classify_options o;
    int s = cli_classify_parse(argc, argv, tokenize ? &tokenize_cmd : &classify, &o);
    if (s >= 0) return s;
    /* --all, and --threshold without -k, consider every label */
    if (o.out.all || (o.out.show_threshold && !o.k_given)) o.out.k = 1000000;
    int nfiles = argc - optind;
    o.out.with_filename = o.filename >= 0 ? o.filename : (nfiles > 1 || o.split == SPLIT_WHOLE);
    int interactive = o.line_buffered || isatty(STDOUT_FILENO);
    if (interactive) setvbuf(stdout, NULL, _IOLBF, 0);
    /* batches would hold back results that an interactive reader waits for line by line */
    int use_pool = o.threads > 1 && !tokenize && !interactive;

    run_ctx c = {.opt = &o, .tokenize = tokenize, .run = {EXIT_OK, NULL, 0}};
    if ((s = cli_model_open(o.model, &c.model)) >= 0) return s;
    tc_error err;
    int C = tc_model_num_labels(c.model);
    tc_model_info mi;
    tc_model_get_info(c.model, &mi);
    o.out.abstain_label = mi.abstain_label;   /* lives as long as the model */
    /* a multi-label model answers every label whose probability passes the threshold, 0.5
     * unless -t says otherwise (fastText's predict -k -1 -t 0.5); -k N and --all rank the
     * labels as for any model, with no threshold unless -t gives one */
    if (!tokenize && strcmp(mi.output, "sigmoid") == 0 && !o.k_given && !o.out.all) {
        o.out.k = 1000000;
        if (!o.out.show_threshold) o.out.threshold = TC_MULTI_LABEL_THRESHOLD;
        o.out.show_threshold = 1;   /* JSON: "top" always, the answers (maybe none) */
    }
    o.out.flags = classify_flags(&o);
    c.probs = malloc((size_t)C * sizeof *c.probs);
    c.order = malloc((size_t)C * sizeof *c.order);
    if (use_pool) c.batches = cli_batches_new((size_t)C);
    if (!c.probs || !c.order || (use_pool && !c.batches)) {
        cli_msg("out of memory");
        c.run.status = EXIT_INTERNAL;
    } else if (tc_session_init(c.model, &c.session, &err) != TC_OK ||
               (use_pool && cli_pool_init(&c.pool, c.model, o.threads, classify_pool_doc,
                                          &o.out.flags, &err) != TC_OK)) {
        cli_report(&err);
        c.run.status = EXIT_INTERNAL;
    } else {
        cli_stop_install(0);
        cli_each_input(nfiles, argv + optind, run_one, &c, &c.run.status);
    }
    /* what was read is answered; say where to resume */
    if (cli_stop_signal) c.run.status = cli_stop_report(c.run.at_name, c.run.at_record);
    cli_pool_free(c.pool);   /* first: its threads may still hold a batch */
    cli_batches_free(c.batches);
    tc_session_free(c.session);
    tc_model_free(c.model);
    free(c.probs);
    free(c.order);
    return c.run.status;
}

int cmd_classify(int argc, char **argv)
{
    return run_command(argc, argv, 0);
}

int cmd_tokenize(int argc, char **argv)
{
    return run_command(argc, argv, 1);
}
