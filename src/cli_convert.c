/*
 * cli_convert.c - `textclf convert`: rewrites a model in the other weights form (inline JSON or
 * JSON + safetensors), or with its vocabulary in the other form, keeping everything else; and
 * `textclf quantize`, which writes it with int8 weights (quant.h).
 *
 * The model is loaded with every check classification makes (model_load.c) and written with the
 * writer `textclf train` uses (model_save.c), so OUT holds the very float32 weights IN loaded to
 * and gives the same probabilities bit for bit (docs/import.md), unless told to round them
 * (--dtype F16 or I8, quantize).
 */
#include "cli_convert.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_msg.h"
#include "cli_opt.h"
#include "cli_output.h"
#include "model_save.h"
#include "textclf.h"

static const char convert_usage[] =
    "Usage: textclf convert [--inline | --safetensors] [--dtype=F32|F16|I8] [--vocab=inline|file]"
    "\n"
    "                       [-q]"
    "                       IN.json OUT.json\n"
    "Load the model IN.json (checked as for classification) and write it again as OUT.json,\n"
    "with its weights in the other form unless told otherwise. Labels, tokenizer settings,\n"
    "vocabulary, weights and metadata are kept: OUT gives the same probabilities as IN, bit\n"
    "for bit (unless --dtype F16 or I8 rounds the weights).\n"
    "\n"
    "      --inline            weights inside OUT.json (default when IN's are in a file)\n"
    "      --safetensors       weights in OUT's stem-HASH.safetensors beside it, float32\n"
    "                          (default when IN's are inline)\n"
    "      --dtype=TYPE        F32 (default), F16 or I8: the weights file's type. F16 halves\n"
    "                          its size and rounds each weight to the nearest half (refused\n"
    "                          for a weight beyond 65504); I8 is what textclf quantize writes.\n"
    "                          Both imply --safetensors. F32 writes an F16 or I8 model's\n"
    "                          weights as the float32 values it computes with\n"
    "      --vocab=FORM        inline (in OUT.json) or file (OUT's stem-HASH.vocab.txt\n"
    "                          beside it); default: the form IN has\n"
    "  -q, --quiet             no summary line on stderr\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
    "Each file is written to a temporary name and renamed into place; OUT may be IN itself,\n"
    "but not IN's weights or vocabulary file, nor a directory, a device or a FIFO.\n"
    "Exit status: 0 ok, 1 out of memory, 2 usage error (also: OUT is IN's weights or\n"
    "vocabulary file; a weight beyond F16's range), 3 IN cannot be loaded, 5 OUT cannot be\n"
    "written. See docs/import.md.\n";

static const char quantize_usage[] =
    "Usage: textclf quantize [--vocab=inline|file] [-q] IN.json OUT.json\n"
    "Load the model IN.json (checked as for classification) and write it as OUT.json with\n"
    "int8 weights, about a quarter of the float32 size: every matrix (embedding, n-gram and\n"
    "position tables, attention, hidden and classifier weights) as int8 with one float32\n"
    "scale per row (scale = max|w| / 127, q = w / scale rounded), vectors (biases) as\n"
    "float32, in OUT's stem-HASH.safetensors beside it. Labels, tokenizer settings,\n"
    "vocabulary and metadata are kept. The probabilities change a little: measure OUT with\n"
    "textclf test before using it (docs/quantize.md).\n"
    "\n"
    "      --vocab=FORM        inline (in OUT.json) or file (OUT's stem-HASH.vocab.txt\n"
    "                          beside it); default: the form IN has\n"
    "  -q, --quiet             no summary line on stderr\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
    "OUT must not be IN, nor IN's weights or vocabulary file. A model whose weights are int8\n"
    "already is refused; textclf convert --dtype F32 writes one back as float32. Each file\n"
    "is written to a temporary name and renamed into place; a summary of what was written\n"
    "goes to stderr.\n"
    "Exit status: 0 ok, 1 out of memory, 2 usage error (also: OUT is IN or one of its files;\n"
    "IN is quantised already), 3 IN cannot be loaded, 5 OUT cannot be written.\n"
    "See docs/quantize.md.\n";

enum { O_INLINE = 300, O_SAFETENSORS, O_DTYPE, O_VOCAB, O_HELP, O_VERSION };

/* The exit status for a failed check or save of OUT, after printing its message. */
static int out_failed(tc_status s, const tc_error *err)
{
    cli_report(err);
    return s == TC_ERR_NOMEM ? EXIT_INTERNAL : s == TC_ERR_ARG ? EXIT_USAGE : EXIT_OUTPUT;
}

/* Fills r for IN's companion file rel (as the JSON names it: relative to IN's directory unless
 * absolute), into buf; 0, or -1 when it cannot be stat'ed. */
static int companion_ref(tc_file_ref *r, const char *in, const char *rel, const char *what,
                         char *buf, size_t size)
{
    const char *slash = strrchr(in, '/');
    int dl = rel[0] == '/' || !slash ? 0 : (int)(slash - in) + 1;
    if ((size_t)snprintf(buf, size, "%.*s%s", dl, in, rel) >= size) return -1;
    return tc_file_ref_init(r, buf, what);
}

static const struct option opts[] = {
    {"inline", no_argument, 0, O_INLINE}, {"safetensors", no_argument, 0, O_SAFETENSORS},
    {"dtype", required_argument, 0, O_DTYPE}, {"vocab", required_argument, 0, O_VOCAB},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, O_HELP}, {"version", no_argument, 0, O_VERSION}, {0, 0, 0, 0}};

/* The size of the file path in bytes, or -1 when it cannot be stat'ed. */
static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* What cmd_convert and cmd_quantize were asked for. */
typedef struct {
    const char *cmd;    /* "convert" or "quantize", for messages */
    int weights;        /* -1 = the other form than IN's, else TC_SAVE_INLINE_WEIGHTS or 0 */
    int vocab;          /* -1 = IN's form, else TC_SAVE_VOCAB_FILE or 0 */
    int dtype;          /* 0, TC_SAVE_F16 or TC_SAVE_I8 */
    int quantize;       /* 1: OUT may not be IN, and IN may not be quantised already */
    int quiet;
} rewrite_opts;

/* Loads IN, writes it as OUT (o) and loads OUT back; prints the summary line. Returns the exit
 * status. */
static int rewrite(const char *in, const char *out, rewrite_opts o)
{
    if (!*in || !*out) return cli_usage_error(o.cmd, "empty model path");
    if (strcmp(out, "-") == 0)
        return cli_usage_error(o.cmd, "a model cannot be written to standard output: give OUT "
                               "a file name");

    /* OUT first (a directory, a device, a missing directory...): nothing is loaded in vain */
    tc_error err;
    tc_status s = tc_model_check_output(out, NULL, 0, &err);
    if (s != TC_OK) return out_failed(s, &err);
    tc_model *m;
    s = tc_model_load(in, &m, &err);
    if (s != TC_OK) {
        cli_report(&err);
        return s == TC_ERR_NOMEM ? EXIT_INTERNAL : EXIT_MODEL;
    }
    if (o.quantize && tc_model_quantized(m)) {
        tc_model_free(m);
        cli_msg_file(in, ": its weights are int8 already (quantised): nothing to do; textclf "
                     "convert --dtype F32 writes them back as float32");
        return EXIT_USAGE;
    }
    tc_model_info info;
    tc_model_get_info(m, &info);
    /* OUT may be IN itself for convert: IN is wholly in memory by now, and OUT is replaced by a
     * rename, so converting in place is safe. quantize never writes over its input: the
     * original weights would be lost. OUT must not be IN's weights or vocabulary file: IN would
     * then be broken (it names that file) without being replaced. */
    tc_file_ref refs[3];
    char wbuf[PATH_MAX], vbuf[PATH_MAX];
    int n = 0;
    /* IN's weights, for the summary */
    long long in_bytes = info.weights_file ? -1 : file_size(in);
    if (o.quantize && tc_file_ref_init(&refs[n], in, "the input model") == 0) n++;
    if (info.weights_file &&
        companion_ref(&refs[n], in, info.weights_file, "the input model's weights file", wbuf,
                      sizeof wbuf) == 0) {
        in_bytes = file_size(wbuf);
        n++;
    }
    if (info.vocab_file &&
        companion_ref(&refs[n], in, info.vocab_file, "the input model's vocabulary file", vbuf,
                      sizeof vbuf) == 0)
        n++;
    if ((s = tc_model_check_output(out, refs, n, &err)) != TC_OK) {
        tc_model_free(m);
        return out_failed(s, &err);
    }
    if (o.weights < 0) o.weights = info.weights_file ? TC_SAVE_INLINE_WEIGHTS : 0;
    if (o.vocab < 0) o.vocab = info.vocab_file ? TC_SAVE_VOCAB_FILE : 0;
    /* (no file to keep while saving: a companion file of OUT can only be named like one of
     * IN's if it holds the same weights or tokens, its name being a hash of them, so writing it
     * again changes nothing IN loads) */
    s = tc_model_save(m, out, NULL, o.weights | o.vocab | o.dtype | TC_SAVE_KEEP_METADATA,
                      o.quantize ? refs : NULL, o.quantize ? n : 0, &err);
    tc_model_free(m);
    if (s != TC_OK) return out_failed(s, &err);

    /* what was written, read back through the loader: OUT must load like any model */
    s = tc_model_load(out, &m, &err);
    if (s != TC_OK) {
        cli_report(&err);
        return s == TC_ERR_NOMEM ? EXIT_INTERNAL : EXIT_OUTPUT;
    }
    tc_model_get_info(m, &info);
    if (!o.quiet) {
        fputs("textclf: wrote ", stderr);
        out_tsv_field(stderr, out);   /* escaped as every file name (docs/cli.md) */
        fputs(" (weights ", stderr);
        fputs(info.weights_file ? "in " : "inline", stderr);
        if (info.weights_file) out_tsv_field(stderr, info.weights_file);
        if (o.quantize) {
            char path[PATH_MAX];
            long long bytes = companion_ref(&refs[0], out, info.weights_file, "", path,
                                            sizeof path) == 0 ? file_size(path) : -1;
            fprintf(stderr, ", int8: %lld bytes", bytes);
            if (bytes > 0 && in_bytes > 0)
                fprintf(stderr, ", %.2f times smaller than the input's %lld", (double)in_bytes /
                        (double)bytes, in_bytes);
        }
        fputs(", vocabulary ", stderr);
        fputs(info.vocab_file ? "in " : "inline", stderr);
        if (info.vocab_file) out_tsv_field(stderr, info.vocab_file);
        fputs(")\n", stderr);
    }
    tc_model_free(m);
    return EXIT_OK;
}

/* The operands IN and OUT of cmd (after getopt): 0 with *in and *out set, else the usage
 * error's exit status. */
static int operands(const char *cmd, int argc, char **argv, const char **in, const char **out)
{
    if (argc - optind < 2)
        return cli_usage_error(cmd, "%s needs a model to read and one to write: IN.json OUT.json",
                               cmd);
    if (argc - optind > 2)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 2]);
    *in = argv[optind];
    *out = argv[optind + 1];
    return 0;
}

/* --vocab's words: vocab_forms[i] is the flag of vocab_names[i] */
static const char *const vocab_names[] = {"inline", "file", NULL};
static const int vocab_forms[] = {0, TC_SAVE_VOCAB_FILE};

/* An option convert and quantize share (c from getopt_long; its usage text for --help): sets o
 * and returns -1 to go on, or returns the exit status to end with (help, version, a bad value,
 * an unknown option: getopt has said what was wrong). */
static int shared_option(int c, const char *usage, rewrite_opts *o)
{
    int index, bad;
    switch (c) {
    case O_VOCAB:
        if ((bad = cli_opt_choice(o->cmd, "vocab", optarg, vocab_names, &index)) >= 0) return bad;
        o->vocab = vocab_forms[index];
        return -1;
    case 'q': o->quiet = 1; return -1;
    case O_HELP: fputs(usage, stdout); return EXIT_OK;
    case O_VERSION: return cli_version();
    default: return cli_usage_hint(o->cmd);
    }
}

int cmd_convert(int argc, char **argv)
{
    static const char *const dtype_names[] = {"F32", "F16", "I8", NULL};
    static const int dtype_flags[] = {0, TC_SAVE_F16, TC_SAVE_I8};
    rewrite_opts o = {"convert", -1, -1, 0, 0, 0};
    int c, bad = -1, index;
    cli_opt_begin(argv);
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        switch (c) {
        case O_INLINE:
        case O_SAFETENSORS: {
            int w = c == O_INLINE ? TC_SAVE_INLINE_WEIGHTS : 0;
            if (o.weights >= 0 && o.weights != w)
                return cli_usage_error("convert", "--inline and --safetensors exclude each other");
            o.weights = w;
            break;
        }
        case O_DTYPE:
            if ((bad = cli_opt_choice("convert", "dtype", optarg, dtype_names, &index)) < 0)
                o.dtype = dtype_flags[index];
            break;
        default: bad = shared_option(c, convert_usage, &o);
        }
        if (bad >= 0) return bad;
    }
    const char *in = NULL, *out = NULL;
    if ((bad = operands("convert", argc, argv, &in, &out)) != 0) return bad;
    if (o.dtype && o.weights == TC_SAVE_INLINE_WEIGHTS)
        return cli_usage_error("convert", "--dtype %s needs a weights file: inline weights are "
                               "float32 (leave out --inline)",
                               o.dtype == TC_SAVE_F16 ? "F16" : "I8");
    if (o.dtype) o.weights = 0;
    return rewrite(in, out, o);
}

static const struct option quantize_opts[] = {
    {"vocab", required_argument, 0, O_VOCAB}, {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, O_HELP}, {"version", no_argument, 0, O_VERSION}, {0, 0, 0, 0}};

int cmd_quantize(int argc, char **argv)
{
    rewrite_opts o = {"quantize", 0, -1, TC_SAVE_I8, 1, 0};
    int c, bad;
    cli_opt_begin(argv);
    while ((c = getopt_long(argc, argv, "q", quantize_opts, NULL)) != -1)
        if ((bad = shared_option(c, quantize_usage, &o)) >= 0) return bad;
    const char *in = NULL, *out = NULL;
    if ((bad = operands("quantize", argc, argv, &in, &out)) != 0) return bad;
    return rewrite(in, out, o);
}
