/*
 * cli_explain.c - `textclf explain [FILE]...`: for each document, the most probable labels and
 * the effect of each of its words on the decision (docs/cli.md). The numbers come from the
 * library (tc_explain, explain.c); this file reads the documents and prints them as a word list,
 * as coloured text on a terminal, or as JSON Lines.
 */
#include "cli_explain.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_color.h"
#include "cli_doc.h"
#include "cli_files.h"
#include "cli_input.h"
#include "cli_model.h"
#include "cli_msg.h"
#include "cli_opt.h"
#include "cli_output.h"
#include "cli_stop.h"
#include "textclf.h"

/* Labels shown per document unless -k says otherwise. */
#define DEFAULT_TOP 3

/* Written out whole, like classify's (cli_classify.c says why). */
static const char explain_usage[] =
    "Usage: textclf explain [OPTION]... [FILE]...\n"
    "Show which words drove the classification of each document: the most probable labels,\n"
    "then each word with its effect, how much the predicted label's probability drops when the\n"
    "word is left out, and its evidence, how much the label's log-odds drop (in nats; still\n"
    "telling when the probability is near 1). Positive: the word supports the decision,\n"
    "negative: it speaks against it.\n"
    "With no FILE, or when FILE is -, read standard input. Each line is a document.\n"
    "\n"
    "Model:\n"
    "  -m, --model=PATH        model JSON file (default: $TEXTCLF_MODEL, else the built-in\n"
    "                          language identifier)\n"
    "Input:\n"
    "  -z, --null-data         documents are separated by NUL bytes, not newlines\n"
    "      --strict-utf8       reject documents with invalid UTF-8 (default: replace with U+FFFD\n"
    "                          and warn)\n"
    "Output:\n"
    "  -k, --top=N             show the N most probable labels (default 3)\n"
    "  -f, --format=FMT        text (default) or json (one JSON object per document and line,\n"
    "                          with each token's attention too)\n"
    "      --color[=WHEN]      text: show the words on one line, coloured by evidence (green\n"
    "                          for the predicted label, red against it, brighter when larger):\n"
    "                          auto (default: on a terminal unless NO_COLOR is set), always or\n"
    "                          never. Without colour: label<TAB>probability..., then one\n"
    "                          word<TAB>effect<TAB>evidence line per word; documents are\n"
    "                          separated by a blank line\n"
    "      --no-abstain        do not say whether the model's abstain rule (e.g. und) fires\n"
    "  -q, --quiet             no warnings (errors are still reported)\n"
    "      --help              show this help and exit\n"
    "      --version           show the version and exit\n"
    "\n"
"The words explain the most probable label, also where the model abstains (the text then\n"
    "says so after the labels: abstain: und (low-probability), instead of fr; JSON has\n"
    "\"abstain\").\n"
    "It classifies each document once per word: slower than classifying.\n"
    "Exit status: 0 ok, 1 internal error, 2 usage error, 3 model error, 4 an input could not\n"
    "be read or was rejected, 5 output error. See docs/cli.md.\n";

/* ---- options --------------------------------------------------------------------------- */

typedef struct {
    const char *model;
    split_mode split;
    int strict;
    int k;
    int json;
    int color;          /* resolved: 1 = coloured words */
    int quiet;
    int no_abstain;     /* --no-abstain: TC_NO_ABSTAIN */
} explain_options;

enum { OPT_HELP = 256, OPT_VERSION, OPT_STRICT, OPT_COLOR, OPT_NO_ABSTAIN };

static const struct option explain_long_opts[] = {
    {"model", required_argument, 0, 'm'},
    {"null-data", no_argument, 0, 'z'},
    {"strict-utf8", no_argument, 0, OPT_STRICT},
    {"top", required_argument, 0, 'k'},
    {"format", required_argument, 0, 'f'},
    {"color", optional_argument, 0, OPT_COLOR},
    {"no-abstain", no_argument, 0, OPT_NO_ABSTAIN},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, OPT_HELP},
    {"version", no_argument, 0, OPT_VERSION},
    {0, 0, 0, 0}};

/* The -f words of explain: text, or json (jsonl taken for it: one object per line). */
static const char *const explain_formats[] = {"text", "json|jsonl", NULL};

/* Parses options into o; returns -1 to continue, or an exit status. */
static int parse_explain_options(int argc, char **argv, explain_options *o)
{
    memset(o, 0, sizeof *o);
    o->k = DEFAULT_TOP;
    int color = CLI_COLOR_AUTO;
    int c, s = -1;
    cli_opt_begin(argv);
    while ((c = getopt_long(argc, argv, "m:zk:f:q", explain_long_opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (!*optarg) return cli_usage_error("explain", "empty model path given with -m");
            o->model = optarg;
            break;
        case 'z': o->split = SPLIT_NUL; break;
        case OPT_STRICT: o->strict = 1; break;
        case 'k': s = cli_opt_top("explain", optarg, &o->k); break;
        case 'f': s = cli_opt_choice("explain", "format", optarg, explain_formats, &o->json); break;
        case OPT_COLOR: s = cli_color_parse("explain", optarg, &color); break;
        case OPT_NO_ABSTAIN: o->no_abstain = 1; break;
        case 'q': o->quiet = 1; break;
        case OPT_HELP: fputs(explain_usage, stdout); return EXIT_OK;
        case OPT_VERSION: return cli_version();
        default: return cli_usage_hint("explain");   /* getopt has said what was wrong */
        }
        if (s >= 0) return s;
    }
    o->color = !o->json && cli_color_enabled(color);
    return -1;
}

/* ---- printing -------------------------------------------------------------------------- */

typedef struct {
    const explain_options *opt;
    tc_model *model;
    tc_session *session;
    int *order;            /* [num_labels] scratch for ranking */
    const char *abstain_label;   /* the model's abstain rule's label, NULL if none */
    tc_explanation ex;     /* the document being answered (owned by the session) */
    int64_t documents;     /* printed so far (text output separates them by a blank line) */
    cli_doc_run run;       /* exit status so far, and where the run got to */
} explain_ctx;

/* The colour step of a word's evidence (nats): 0 (below 0.25, a factor under 1.3 on the odds:
 * left plain) to 5 (4 nats and more, a factor of 55), each step twice the one before. By
 * evidence, not effect: in a document the model is sure of every effect is about 0. */
static int evidence_level(float evidence)
{
    static const float steps[5] = {0.25f, 0.5f, 1.0f, 2.0f, 4.0f};
    float a = evidence < 0 ? -evidence : evidence;
    int level = 0;
    while (level < 5 && a >= steps[level]) level++;
    return level;
}

/* Writes word w with the 256-colour background of its evidence: the heat-map colours of `textclf
 * test --color` (green for, red against; black text on the two brightest, white otherwise). */
static void put_colored_word(const tc_explained_word *w)
{
    static const int green[5] = {22, 28, 34, 40, 46}, red[5] = {52, 88, 124, 160, 196};
    int level = evidence_level(w->evidence);
    if (level == 0) {
        fwrite(w->text, 1, w->text_len, stdout);
        return;
    }
    printf("\033[48;5;%dm\033[38;5;%dm", w->evidence > 0 ? green[level - 1] : red[level - 1],
           level >= 4 ? 16 : 231);
    out_escaped(stdout, w->text, w->text_len, 0);   /* for a reader, as every word shown */
    fputs("\033[0m", stdout);
}

/*
 * The effect of word w as the text output shows it (4 decimals and a sign). An effect of exactly 0
 * means that p and p' are the same float, not that leaving the word out changed nothing: near 1 a
 * float cannot tell 1 - 1e-10 from 1 (its step there is 6e-8), so in a document the model is sure
 * of with and without the word, the drop is too small for it. Printed as it is, such a 0 reads
 * +0.0000, "for the label", whatever the word did (`katze` in "Die Katze schläft auf dem Sofa"
 * lowers de's odds 16-fold, evidence -2.808). The evidence, computed from the other labels' total
 * that keeps that precision, then measures only how the word changed that total, so its sign is
 * the drop's: a 0 is shown with it (-0.0000), as any drop too small for 4 decimals is. JSON gives
 * the number as it is.
 */
static double shown_effect(const tc_explained_word *w)
{
    return w->effect == 0 && w->evidence < 0 ? -0.0 : w->effect;
}

/* Text: the top labels, then the words (one coloured line, or one word<TAB>effect<TAB>evidence
 * line each). */
static void print_text(explain_ctx *c, const tc_explanation *ex, int k)
{
    if (c->documents) putchar('\n');
    for (int i = 0; i < k; i++) {
        const char *label = tc_model_label(c->model, c->order[i]);
        if (c->opt->color) printf("%s%s %.4f", i ? "  " : "", label, ex->probs[c->order[i]]);
        else {
            if (i) putchar('\t');
            out_tsv_field(stdout, label);
            printf("\t%.4f", ex->probs[c->order[i]]);
        }
    }
    putchar('\n');
    if (ex->info.abstain != TC_ABSTAIN_NONE && c->abstain_label) {
        /* a line no word line can be: words have no space, and awk 'NF == 3' finds those */
        fputs("abstain: ", stdout);
        out_tsv_field(stdout, c->abstain_label);
        printf(" (%s), instead of ", tc_abstain_string(ex->info.abstain));
        out_tsv_field(stdout, tc_model_label(c->model, c->order[0]));
        putchar('\n');
    }
    if (c->opt->color) {
        for (int w = 0; w < ex->num_words; w++) {
            if (w) putchar(' ');
            put_colored_word(&ex->words[w]);
        }
        if (ex->info.truncated)   /* dim: the words after max_len were not used */
            printf("%s\033[2m[...]\033[0m", ex->num_words ? " " : "");
        if (ex->num_words || ex->info.truncated) putchar('\n');
        return;
    }
    for (int w = 0; w < ex->num_words; w++) {
        out_tsv_field(stdout, ex->words[w].text);
        printf("\t%+.4f\t%+.3f\n", shown_effect(&ex->words[w]), ex->words[w].evidence);
    }
}

/* JSON Lines: {"labels":[...],"words":[...],"tokens":[...],"truncated":...}. Probabilities,
 * effects and attention with 6 decimals, as in classify's JSON; evidence with 4: it is a
 * difference of logarithms of probabilities that can be small, whose 6th decimal changes with
 * the compiler's float rounding (an -O1 build against an -O3 one), and the output must not. */
static void print_json(explain_ctx *c, const tc_explanation *ex, int k)
{
    fputs("{\"labels\":[", stdout);
    for (int i = 0; i < k; i++) {
        const char *label = tc_model_label(c->model, c->order[i]);
        fputs(i ? ",{\"label\":" : "{\"label\":", stdout);
        out_json_string(stdout, label, strlen(label));
        printf(",\"probability\":%.6f}", ex->probs[c->order[i]]);
    }
    fputc(']', stdout);
    if (ex->info.abstain != TC_ABSTAIN_NONE && c->abstain_label) {   /* only then: as before */
        fputs(",\"abstain\":{\"label\":", stdout);
        out_json_string(stdout, c->abstain_label, strlen(c->abstain_label));
        printf(",\"reason\":\"%s\"}", tc_abstain_string(ex->info.abstain));
    }
    fputs(",\"words\":[", stdout);
    for (int w = 0; w < ex->num_words; w++) {
        const tc_explained_word *word = &ex->words[w];
        fputs(w ? ",{\"text\":" : "{\"text\":", stdout);
        out_json_string(stdout, word->text, word->text_len);
        fputs(",\"tokens\":[", stdout);
        for (int t = 0; t < word->num_tokens; t++)
            printf("%s%d", t ? "," : "", word->first_token + t);
        printf("],\"effect\":%.6f,\"evidence\":%.4f}", word->effect, word->evidence);
    }
    fputs("],\"tokens\":[", stdout);
    for (int t = 0; t < ex->num_tokens; t++) {
        const char *token = tc_model_token(c->model, ex->ids[t]);
        fputs(t ? ",{\"token\":" : "{\"token\":", stdout);
        out_json_string(stdout, token, strlen(token));
        printf(",\"attention\":%.6f}", ex->attention[t]);
    }
    printf("],\"truncated\":%s}\n", ex->info.truncated ? "true" : "false");
}

/* ---- the run --------------------------------------------------------------------------- */

/* tc_explain's flags for the options o */
static int explain_flags(const explain_options *o)
{
    return (o->strict ? TC_STRICT_UTF8 : 0) | (o->no_abstain ? TC_NO_ABSTAIN : 0);
}

/* cli_doc_fn: explains one document into c->ex. */
static tc_status explain_doc(void *ctx, const char *data, size_t len, tc_doc_info *info,
                             tc_error *err)
{
    explain_ctx *c = ctx;
    tc_status s = tc_explain(c->session, data, len, explain_flags(c->opt), &c->ex, err);
    *info = c->ex.info;
    return s;
}

/* cli_doc_print_fn: prints c->ex, and flushes it at once (docs/cli.md): explaining is slow, and
 * each explanation is worth seeing as soon as it is made. */
static void print_explained(void *ctx, int64_t record, const tc_doc_info *info)
{
    (void)record;
    (void)info;
    explain_ctx *c = ctx;
    int C = tc_model_num_labels(c->model);
    /* the labels the model may answer, as classify shows them */
    int k = tc_rank_answers(c->model, explain_flags(c->opt), c->ex.probs,
                            c->opt->k < C ? c->opt->k : C, c->order);
    if (c->opt->json) print_json(c, &c->ex, k);
    else print_text(c, &c->ex, k);
    c->documents++;
    fflush(stdout);
}

/* cli_input_fn for cli_each_input: explains every document of one input. */
static int explain_one(void *ctx, FILE *f, const char *name, const char *path)
{
    (void)path;
    explain_ctx *c = ctx;
    cli_doc_input in = {name, 0, c->opt->quiet, &c->run};
    return cli_doc_read(&in, f, c->opt->split, explain_doc, print_explained, c);
}

int cmd_explain(int argc, char **argv)
{
    explain_options o;
    int s = parse_explain_options(argc, argv, &o);
    if (s >= 0) return s;

    explain_ctx c = {.opt = &o, .run = {EXIT_OK, NULL, 0}};
    if ((s = cli_model_open(o.model, &c.model)) >= 0) return s;
    tc_model_info mi;
    tc_model_get_info(c.model, &mi);
    c.abstain_label = mi.abstain_label;
    tc_error err;
    c.order = malloc((size_t)tc_model_num_labels(c.model) * sizeof *c.order);
    if (!c.order) {
        cli_msg("out of memory");
        c.run.status = EXIT_INTERNAL;
    } else if (tc_session_init(c.model, &c.session, &err) != TC_OK) {
        cli_report(&err);
        c.run.status = EXIT_INTERNAL;
    } else {
        cli_stop_install(0);
        cli_each_input(argc - optind, argv + optind, explain_one, &c, &c.run.status);
    }
    /* as classify: what was read is answered; say where to resume */
    if (cli_stop_signal) c.run.status = cli_stop_report(c.run.at_name, c.run.at_record);
    tc_session_free(c.session);
    tc_model_free(c.model);
    free(c.order);
    return c.run.status;
}
