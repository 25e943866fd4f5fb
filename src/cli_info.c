/*
 * cli_info.c - `textclf info [MODEL]`: what a model is made of (docs/cli.md), as key: value lines
 * or one JSON object.
 */
#include "cli_info.h"

#include <cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_classify.h"
#include "cli_model.h"
#include "cli_msg.h"
#include "cli_output.h"
#include "textclf.h"

static const char info_usage[] =
    "Usage: textclf info [OPTION]... [MODEL]\n"
    "Show what a model is made of: its labels, vocabulary size, configuration, parameter\n"
    "count, where its weights and vocabulary come from, its tokenizer settings, its abstain\n"
    "rule, and what its file says about how it was made (its metadata: textclf train writes\n"
    "its options, the best epoch and its validation accuracy there).\n"
    "The model is MODEL, else the one of -m, else $TEXTCLF_MODEL, else the built-in language\n"
    "identifier.\n"
    "\n"
    "  -m, --model=PATH        the model, when no MODEL is given\n"
    "  -f, --format=FMT        tsv (default: key: value lines) or json (one JSON object)\n"
    "  -q, --quiet             accepted, as by every command (info has no warnings)\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
    "The other options of classify are usage errors here. Exit status: 0 ok, 1 internal error,\n"
    "2 usage error, 3 model error, 5 output error. See docs/cli.md.\n";

/* The -f words of info, in out_format order: its JSON is one object, jsonl is taken for json. */
static const char *const info_formats[] = {"tsv", "json|jsonl", NULL};

/* Writes d as a JSON number with the fewest digits (up to 17) that read back as d: 0.002,
 * 0.9418019830435408; whole numbers in full below 2^63 (a --seed): 24000, 4611686018427387904. */
static void put_number(double d)
{
    char buf[64];
    if (d == floor(d) && fabs(d) < 0x1p63) {
        printf("%.0f", d);
        return;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, d);
        if (strtod(buf, NULL) == d) break;
    }
    fputs(buf, stdout);
}

/* Writes metadata value v as compact JSON, its strings (keys too) as every string textclf
 * writes (out_json_string: control, invisible and reordering characters as \uXXXX). */
static void put_metadata_json(const cJSON *v)
{
    const cJSON *item;
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        int object = cJSON_IsObject(v), first = 1;
        putchar(object ? '{' : '[');
        cJSON_ArrayForEach(item, v) {
            if (!first) putchar(',');
            first = 0;
            if (object) {
                out_json_string(stdout, item->string, strlen(item->string));
                putchar(':');
            }
            put_metadata_json(item);
        }
        putchar(object ? '}' : ']');
    } else if (cJSON_IsString(v)) {
        out_json_string(stdout, v->valuestring, strlen(v->valuestring));
    } else if (cJSON_IsNumber(v)) {
        put_number(v->valuedouble);
    } else {
        fputs(cJSON_IsTrue(v) ? "true" : cJSON_IsFalse(v) ? "false" : "null", stdout);
    }
}

/* Writes metadata value v as text at depth `indent`, after "KEY:" (already written): a string
 * as it is (escaped as names are: it is the model file's text, not ours), an object as one
 * indented "KEY: VALUE" line per member, anything else as compact JSON. */
static void put_metadata_text(const cJSON *v, int indent)
{
    if (cJSON_IsObject(v)) {
        putchar('\n');
        const cJSON *item;
        cJSON_ArrayForEach(item, v) {
            printf("%*s", indent + 2, "");
            out_escaped(stdout, item->string, strlen(item->string), 1);
            putchar(':');
            put_metadata_text(item, indent + 2);
        }
        return;
    }
    putchar(' ');
    if (cJSON_IsString(v)) out_escaped(stdout, v->valuestring, strlen(v->valuestring), 1);
    else put_metadata_json(v);
    putchar('\n');
}

/* The labels m withholds (tc_model_label_withheld), of its C, as the labels are listed: a line
 * "withheld: N", then one "  INDEX: LABEL" line each. Nothing when there are none. */
static void put_withheld_text(const tc_model *m, int C)
{
    int n = 0;
    for (int i = 0; i < C; i++) n += tc_model_label_withheld(m, i);
    if (n) printf("withheld: %d\n", n);
    for (int i = 0; i < C; i++)
        if (tc_model_label_withheld(m, i)) printf("  %d: %s\n", i, tc_model_label(m, i));
}

/* The same as the JSON member ,"withheld":[LABEL,...]. Nothing when there are none. */
static void put_withheld_json(const tc_model *m, int C)
{
    int n = 0;
    for (int i = 0; i < C; i++)
        if (tc_model_label_withheld(m, i)) {
            fputs(n++ ? "," : ",\"withheld\":[", stdout);
            out_json_string(stdout, tc_model_label(m, i), strlen(tc_model_label(m, i)));
        }
    if (n) putchar(']');
}

/* key: value lines. */
static void print_text(const tc_model *m, const tc_model_info *in, const char *path,
                       const cJSON *metadata)
{
    /* names escaped as everywhere (out_tsv_field); labels cannot need it (label.h) */
    printf("file: ");
    out_tsv_field(stdout, path);
    printf("\nlabels: %d\n", in->num_labels);
    for (int i = 0; i < in->num_labels; i++) printf("  %d: %s\n", i, tc_model_label(m, i));
    printf("vocab_size: %lld%s", (long long)in->vocab_size, in->vocab_file ? " from " : "");
    if (in->vocab_file) out_tsv_field(stdout, in->vocab_file);
    putchar('\n');
    printf("dim: %d\nheads: %d\nhead_dim: %d\nmax_len: %d\nhidden: %d\n", in->dim, in->heads,
           in->head_dim, in->max_len, in->hidden);
    printf("activation: %s\nresidual: %s\nposition: %s\n", in->activation,
           in->residual ? "true" : "false", in->position);
    /* only multi-label: the lines of softmax models stay as they were */
    if (strcmp(in->output, "softmax") != 0) printf("output: %s\n", in->output);
    /* only with n-grams: the lines of other models stay as they were */
    if (in->ngram_buckets)
        printf("ngrams: buckets=%lld min=%d max=%d\n", (long long)in->ngram_buckets,
               in->ngram_min, in->ngram_max);
    printf("parameters: %lld\n", (long long)in->parameters);
    printf("weights: ");
    out_tsv_field(stdout, in->weights_file ? in->weights_file : "inline");
    putchar('\n');
    printf("tokenizer: normalize=%s case=%s strip_accents=%s pretokenize=%s "
           "split_scripts=%s unk_token=%s continuation_prefix=%s max_word_chars=%d",
           in->normalize, in->case_mode, in->strip_accents ? "true" : "false", in->pretokenize,
           in->split_scripts[0] ? in->split_scripts : "none", in->unk_token,
           in->continuation_prefix, in->max_word_chars);
    /* only when set: the line of other models stays as it was */
    printf("%s\n", in->word_apostrophes ? " word_apostrophes=true" : "");
    /* the abstain rule (docs/cli.md, "Abstaining"), its numbers as JSON writes them */
    if (in->abstain_label) {
        printf("abstain: label=");
        out_tsv_field(stdout, in->abstain_label);
        printf(" min_probability=");
        put_number(in->abstain_min_probability);
        printf(" max_unknown=");
        put_number(in->abstain_max_unknown);
        printf(" letterless=%s\n", in->abstain_letterless ? "true" : "false");
        put_withheld_text(m, in->num_labels);
    } else {
        printf("abstain: none\n");
    }
    /* what the file says about how the model was made (textclf train: its options, the best
     * epoch and its validation accuracy), last: the lines above stay as they were */
    if (metadata) {
        fputs("metadata:", stdout);
        put_metadata_text(metadata, 0);
    }
}

/* One JSON object; "metadata" is the file's value (null when it has none). */
static void print_json(const tc_model *m, const tc_model_info *in, const char *path,
                       const cJSON *metadata)
{
    printf("{\"file\":");
    out_json_string(stdout, path, strlen(path));
    printf(",\"labels\":[");
    for (int i = 0; i < in->num_labels; i++) {
        if (i) putchar(',');
        out_json_string(stdout, tc_model_label(m, i), strlen(tc_model_label(m, i)));
    }
    printf("],\"vocab_size\":%lld,\"dim\":%d,\"heads\":%d,\"head_dim\":%d,\"max_len\":%d,"
           "\"hidden\":%d,\"activation\":\"%s\",\"residual\":%s,\"position\":\"%s\",",
           (long long)in->vocab_size, in->dim, in->heads, in->head_dim, in->max_len, in->hidden,
           in->activation, in->residual ? "true" : "false", in->position);
    if (strcmp(in->output, "softmax") != 0)   /* only multi-label, as in the text form */
        printf("\"output\":\"%s\",", in->output);
    if (in->ngram_buckets)   /* only with n-grams, as in the text form */
        printf("\"ngrams\":{\"buckets\":%lld,\"min\":%d,\"max\":%d},",
               (long long)in->ngram_buckets, in->ngram_min, in->ngram_max);
    printf("\"parameters\":%lld,", (long long)in->parameters);
    printf("\"weights_file\":");
    if (in->weights_file) out_json_string(stdout, in->weights_file, strlen(in->weights_file));
    else printf("null");
    printf(",\"vocab_file\":");
    if (in->vocab_file) out_json_string(stdout, in->vocab_file, strlen(in->vocab_file));
    else printf("null");
    printf(",\"tokenizer\":{\"normalize\":\"%s\",\"case\":\"%s\",\"strip_accents\":%s,"
           "\"pretokenize\":\"%s\",\"split_scripts\":[",
           in->normalize, in->case_mode, in->strip_accents ? "true" : "false", in->pretokenize);
    /* the comma-separated list becomes a JSON array, as in the model format */
    for (const char *p = in->split_scripts; *p;) {
        size_t n = strcspn(p, ",");
        printf("%s\"%.*s\"", p == in->split_scripts ? "" : ",", (int)n, p);
        p += n + (p[n] == ',');
    }
    printf("],\"unk_token\":");
    out_json_string(stdout, in->unk_token, strlen(in->unk_token));
    printf(",\"continuation_prefix\":");
    out_json_string(stdout, in->continuation_prefix, strlen(in->continuation_prefix));
    printf(",\"max_word_chars\":%d", in->max_word_chars);
    if (in->word_apostrophes) printf(",\"word_apostrophes\":true");   /* only when set */
    printf("},\"abstain\":");
    if (in->abstain_label) {
        printf("{\"label\":");
        out_json_string(stdout, in->abstain_label, strlen(in->abstain_label));
        printf(",\"min_probability\":");
        put_number(in->abstain_min_probability);
        printf(",\"max_unknown\":");
        put_number(in->abstain_max_unknown);
        printf(",\"letterless\":%s", in->abstain_letterless ? "true" : "false");
        put_withheld_json(m, in->num_labels);
        putchar('}');
    } else {
        printf("null");
    }
    printf(",\"metadata\":");
    if (metadata) put_metadata_json(metadata);
    else fputs("null", stdout);
    printf("}\n");
}

int cmd_info(int argc, char **argv)
{
    const cli_classify_command cmd = {
        "info", info_usage, cli_classify_opt('m') | cli_classify_opt('f') | cli_classify_opt('q'),
        info_formats};
    cli_classify_options o;
    int s = cli_classify_parse(argc, argv, &cmd, &o);
    if (s >= 0) return s;
    if (argc - optind > 1) return cli_usage_error("info", "info takes one MODEL");
    if (argc - optind == 1) o.model = argv[optind];
    tc_model *m;
    if ((s = cli_model_open(o.model, &m)) >= 0) return s;
    tc_model_info in;
    tc_model_get_info(m, &in);
    const char *path = cli_model_name(o.model);
    /* the metadata before anything is printed: running out of memory prints nothing */
    char *metadata_json = NULL;
    cJSON *metadata = NULL;
    tc_error err;
    int status = EXIT_OK;
    if (tc_model_metadata(m, &metadata_json, &err) != TC_OK ||
        (metadata_json && !(metadata = cJSON_Parse(metadata_json)))) {
        cli_msg("out of memory");   /* the only way either fails on a loaded model */
        status = EXIT_INTERNAL;
    } else if (o.out.format == FORMAT_JSONL) {
        print_json(m, &in, path, metadata);
    } else {
        print_text(m, &in, path, metadata);
    }
    cJSON_Delete(metadata);
    free(metadata_json);
    tc_model_free(m);
    return status;
}
