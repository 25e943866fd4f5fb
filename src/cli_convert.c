/*
 * cli_convert.c - `textclf convert`: rewrites a model in the other weights form (inline JSON or
 * JSON + safetensors), or with its vocabulary in the other form, keeping everything else.
 *
 * The model is loaded with every check classification makes (model_load.c) and written with the
 * writer `textclf train` uses (model_save.c), so OUT holds the very float32 weights IN loaded to
 * and gives the same probabilities bit for bit (docs/import.md).
 */
#include "cli_convert.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli_msg.h"
#include "cli_opt.h"
#include "cli_output.h"
#include "model_save.h"
#include "textclf.h"

static const char convert_usage[] =
    "Usage: textclf convert [--inline | --safetensors] [--dtype=F32|F16] [--vocab=inline|file]"
    " [-q]\n"
    "                       IN.json OUT.json\n"
    "Load the model IN.json (checked as for classification) and write it again as OUT.json,\n"
    "with its weights in the other form unless told otherwise. Labels, tokenizer settings,\n"
    "vocabulary, weights and metadata are kept: OUT gives the same probabilities as IN, bit\n"
    "for bit (unless --dtype F16 rounds the weights).\n"
    "\n"
    "      --inline            weights inside OUT.json (default when IN's are in a file)\n"
    "      --safetensors       weights in OUT's stem-HASH.safetensors beside it, float32\n"
    "                          (default when IN's are inline)\n"
    "      --dtype=TYPE        F32 (default) or F16: the weights file's type. F16 halves its\n"
    "                          size and rounds each weight to the nearest half (implies\n"
    "                          --safetensors; refused for a weight beyond 65504)\n"
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

int cmd_convert(int argc, char **argv)
{
    /* --vocab's words: vocab_forms[i] is the flag of vocab_names[i] */
    static const char *const vocab_names[] = {"inline", "file", NULL};
    static const int vocab_forms[] = {0, TC_SAVE_VOCAB_FILE};
    static const char *const dtype_names[] = {"F32", "F16", NULL};
    int f16 = 0;        /* --dtype F16: TC_SAVE_F16 */
    int weights = -1;   /* -1 = the other form than IN's, else TC_SAVE_INLINE_WEIGHTS or 0 */
    int vocab = -1;     /* -1 = IN's form, else TC_SAVE_VOCAB_FILE or 0 */
    int quiet = 0, c, bad = -1, index;
    cli_opt_begin(argv);
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        switch (c) {
        case O_INLINE:
        case O_SAFETENSORS: {
            int w = c == O_INLINE ? TC_SAVE_INLINE_WEIGHTS : 0;
            if (weights >= 0 && weights != w)
                return cli_usage_error("convert", "--inline and --safetensors exclude each other");
            weights = w;
            break;
        }
        case O_DTYPE:
            if ((bad = cli_opt_choice("convert", "dtype", optarg, dtype_names, &index)) < 0)
                f16 = index == 1 ? TC_SAVE_F16 : 0;
            break;
        case O_VOCAB:
            if ((bad = cli_opt_choice("convert", "vocab", optarg, vocab_names, &index)) < 0)
                vocab = vocab_forms[index];
            break;
        case 'q': quiet = 1; break;
        case O_HELP: fputs(convert_usage, stdout); return EXIT_OK;
        case O_VERSION: return cli_version();
        default: return cli_usage_hint("convert");   /* getopt has said what was wrong */
        }
        if (bad >= 0) return bad;
    }
    if (argc - optind < 2)
        return cli_usage_error("convert", "convert needs a model to read and one to write: "
                               "IN.json OUT.json");
    if (argc - optind > 2)
        return cli_usage_error("convert", "unexpected argument '%s'", argv[optind + 2]);
    if (f16 && weights == TC_SAVE_INLINE_WEIGHTS)
        return cli_usage_error("convert", "--dtype F16 needs a weights file: inline weights are "
                               "float32 (leave out --inline)");
    if (f16) weights = 0;
    const char *in = argv[optind], *out = argv[optind + 1];
    if (!*in || !*out) return cli_usage_error("convert", "empty model path");
    if (strcmp(out, "-") == 0)
        return cli_usage_error("convert", "a model cannot be written to standard output: give OUT "
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
    tc_model_info info;
    tc_model_get_info(m, &info);
    /* OUT may be IN itself: IN is wholly in memory by now, and OUT is replaced by a rename, so
     * converting in place is safe. OUT must not be IN's weights or vocabulary file: IN would
     * then be broken (it names that file) without being replaced. */
    tc_file_ref refs[2];
    char wbuf[PATH_MAX], vbuf[PATH_MAX];
    int n = 0;
    if (info.weights_file &&
        companion_ref(&refs[n], in, info.weights_file, "the input model's weights file", wbuf,
                      sizeof wbuf) == 0)
        n++;
    if (info.vocab_file &&
        companion_ref(&refs[n], in, info.vocab_file, "the input model's vocabulary file", vbuf,
                      sizeof vbuf) == 0)
        n++;
    if ((s = tc_model_check_output(out, refs, n, &err)) != TC_OK) {
        tc_model_free(m);
        return out_failed(s, &err);
    }
    if (weights < 0) weights = info.weights_file ? TC_SAVE_INLINE_WEIGHTS : 0;
    if (vocab < 0) vocab = info.vocab_file ? TC_SAVE_VOCAB_FILE : 0;
    /* (no file to keep while saving: a companion file of OUT can only be named like one of
     * IN's if it holds the same weights or tokens, its name being a hash of them, so writing it
     * again changes nothing IN loads) */
    s = tc_model_save(m, out, NULL, weights | vocab | f16 | TC_SAVE_KEEP_METADATA, NULL, 0, &err);
    tc_model_free(m);
    if (s != TC_OK) return out_failed(s, &err);

    /* what was written, read back through the loader: OUT must load like any model */
    s = tc_model_load(out, &m, &err);
    if (s != TC_OK) {
        cli_report(&err);
        return s == TC_ERR_NOMEM ? EXIT_INTERNAL : EXIT_OUTPUT;
    }
    tc_model_get_info(m, &info);
    if (!quiet) {
        fputs("textclf: wrote ", stderr);
        out_tsv_field(stderr, out);   /* escaped as every file name (docs/cli.md) */
        fputs(" (weights ", stderr);
        fputs(info.weights_file ? "in " : "inline", stderr);
        if (info.weights_file) out_tsv_field(stderr, info.weights_file);
        fputs(", vocabulary ", stderr);
        fputs(info.vocab_file ? "in " : "inline", stderr);
        if (info.vocab_file) out_tsv_field(stderr, info.vocab_file);
        fputs(")\n", stderr);
    }
    tc_model_free(m);
    return EXIT_OK;
}
