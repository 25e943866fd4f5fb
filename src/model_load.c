/*
 * model_load.c - loading a model JSON: format, config, labels, tokenizer settings, vocabulary;
 * the tensors are read by model_tensors.c. Everything is validated before anything is computed
 * (docs/model-format.md); errors name the file and the JSON path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "infer.h"
#include "inline_data.h"
#include "json_util.h"
#include "label.h"
#include "model.h"
#include "model_ref.h"
#include "strmap.h"
#include "utf8.h"

#define MAX_MODEL_JSON ((size_t)4 << 30)
#define MAX_VOCAB_FILE ((size_t)1 << 30)

/* 1 if s has a C0/C1 control character or DEL (would break one-record-per-line output). */
static int has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) return 1;
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9f)
            return 1;
    }
    return 0;
}

/* The character n-gram keys of config (docs/model-format.md) into m->tok: ngram_buckets
 * 0..TC_NGRAM_MAX_BUCKETS (absent: 0, off), ngram_min 1..16 (1), ngram_max ngram_min..16 (4);
 * the last two only with buckets, where they would otherwise silently do nothing. */
static tc_status load_ngram_config(tc_model *m, const cJSON *cfg, int64_t dim, const char *file,
                                   tc_error *err)
{
    const char *P = "$.config";
    int64_t buckets, lo, hi;
    tc_status s = tc_json_get_int(cfg, "ngram_buckets", 0, 0, 0, TC_NGRAM_MAX_BUCKETS, &buckets,
                                  file, P, err);
    if (s != TC_OK) return s;
    if (buckets == 0) {
        static const char *const keys[] = {"ngram_min", "ngram_max"};
        for (int i = 0; i < 2; i++)
            if (tc_json_get(cfg, keys[i])) {
                char p[TC_PATH_MAX];
                tc_json_path_key(p, P, keys[i]);
                return tc_fail(err, TC_ERR_MODEL, file, p, "given, but ngram_buckets is %s: "
                               "the model has no character n-grams",
                               tc_json_get(cfg, "ngram_buckets") ? "0" : "absent");
            }
        m->tok.ngram_buckets = 0;
        return TC_OK;
    }
    s = tc_json_get_int(cfg, "ngram_min", 0, 1, 1, TC_NGRAM_MAX_LEN, &lo, file, P, err);
    if (s != TC_OK) return s;
    if (!tc_json_get(cfg, "ngram_max") && lo > 4)
        return tc_fail(err, TC_ERR_MODEL, file, "$.config.ngram_max",
                       "missing, and its default 4 is less than ngram_min %lld", (long long)lo);
    s = tc_json_get_int(cfg, "ngram_max", 0, 4, 1, TC_NGRAM_MAX_LEN, &hi, file, P, err);
    if (s != TC_OK) return s;
    if (hi < lo)
        return tc_fail(err, TC_ERR_MODEL, file, "$.config.ngram_max",
                       "%lld is less than ngram_min %lld", (long long)hi, (long long)lo);
    /* the rows of ngram.weight: B·d floats must fit in memory's sizes (they do on 64 bits:
     * 2^24 · 2^16; checked all the same, as every size from a file) */
    if ((uint64_t)buckets > SIZE_MAX / sizeof(float) / (uint64_t)dim)
        return tc_fail(err, TC_ERR_MODEL, file, "$.config.ngram_buckets",
                       "%lld buckets of %lld floats do not fit in memory", (long long)buckets,
                       (long long)dim);
    m->tok.ngram_buckets = (uint32_t)buckets;
    m->tok.ngram_min = (int)lo;
    m->tok.ngram_max = (int)hi;
    return TC_OK;
}

static tc_status load_config(tc_model *m, const cJSON *cfg, const char *file, tc_error *err)
{
    static const char *const keys[] = {"dim", "heads", "head_dim", "max_len", "hidden",
                                       "activation", "residual", "position", "ngram_buckets",
                                       "ngram_min", "ngram_max", "output", NULL};
    static const char *const acts[] = TC_ACTIVATION_NAMES;
    static const char *const outputs[] = TC_OUTPUT_NAMES;
    static const char *const positions[] = TC_POSITION_NAMES;
    const char *P = "$.config";
    tc_status s = tc_json_check_object(cfg, keys, file, P, err);
    int64_t dim, heads, head_dim, max_len, hidden;
    int act, position, output;
    if (s == TC_OK) s = tc_json_get_int(cfg, "dim", 1, 0, 1, 65536, &dim, file, P, err);
    if (s == TC_OK) s = tc_json_get_int(cfg, "heads", 1, 0, 1, 1024, &heads, file, P, err);
    if (s != TC_OK) return s;
    if (!tc_json_get(cfg, "head_dim") && dim % heads != 0)
        return tc_fail(err, TC_ERR_MODEL, file, "$.config.head_dim",
                       "missing, and dim %lld is not divisible by heads %lld",
                       (long long)dim, (long long)heads);
    s = tc_json_get_int(cfg, "head_dim", 0, dim / heads, 1, 65536, &head_dim, file, P, err);
    if (s != TC_OK) return s;
    if (heads * head_dim > 65536)
        return tc_fail(err, TC_ERR_MODEL, file, "$.config.head_dim",
                       "heads x head_dim = %lld is more than 65536", (long long)(heads * head_dim));
    s = tc_json_get_int(cfg, "max_len", 1, 0, 1, 65536, &max_len, file, P, err);
    if (s == TC_OK) s = tc_json_get_int(cfg, "hidden", 1, 0, 1, 65536, &hidden, file, P, err);
    if (s == TC_OK) s = tc_json_get_choice(cfg, "activation", acts, 0, &act, file, P, err);
    if (s == TC_OK) s = tc_json_get_bool(cfg, "residual", 1, &m->residual, file, P, err);
    if (s == TC_OK)
        s = tc_json_get_choice(cfg, "output", outputs, TC_OUTPUT_SOFTMAX, &output, file, P, err);
    if (s == TC_OK)
        s = tc_json_get_choice(cfg, "position", positions, TC_POSITION_LEARNED, &position, file,
                               P, err);
    if (s == TC_OK) s = load_ngram_config(m, cfg, dim, file, err);
    if (s != TC_OK) return s;
    switch (tc_position_check((tc_position)position, max_len, dim)) {
    case TC_POSITION_FITS: break;
    case TC_POSITION_ODD_DIM:
        return tc_fail(err, TC_ERR_MODEL, file, "$.config.position",
                       "\"sinusoidal-halves\" needs an even dim (sines in one half, cosines in "
                       "the other), dim is %lld", (long long)dim);
    case TC_POSITION_TOO_LARGE:
        return tc_fail(err, TC_ERR_MODEL, file, "$.config.position",
                       "a sinusoidal table of max_len x dim = %lld x %lld values is more than "
                       "%d (64 MiB)", (long long)max_len, (long long)dim, TC_POSITION_MAX_TABLE);
    }
    m->position = (tc_position)position;
    m->dim = (int)dim;
    m->heads = (int)heads;
    m->head_dim = (int)head_dim;
    m->max_len = (int)max_len;
    m->hidden = (int)hidden;
    m->activation = (tc_activation)act;
    m->output = (tc_output)output;
    return TC_OK;
}

/* The rule of label.h for a label (as training applies it): s at JSON path p of file. */
static tc_status check_label(const char *s, const char *file, const char *p, tc_error *err)
{
    int32_t c;
    size_t at;
    tc_label_verdict v = tc_label_check(s, strlen(s), &c, &at);
    const char *kind = tc_label_char_kind(v, c);
    switch (v) {
    case TC_LABEL_OK: return TC_OK;
    case TC_LABEL_EMPTY: return tc_fail(err, TC_ERR_MODEL, file, p, "empty label");
    case TC_LABEL_BAD_UTF8: return tc_fail(err, TC_ERR_MODEL, file, p, "label is not valid UTF-8");
    case TC_LABEL_LEADING_SPACE:
    case TC_LABEL_TRAILING_SPACE:
        return tc_fail(err, TC_ERR_MODEL, file, p, "label %s with the space U+%04X: a label "
                       "cannot start or end with a space",
                       v == TC_LABEL_LEADING_SPACE ? "starts" : "ends", (unsigned)c);
    default:
        return tc_fail(err, TC_ERR_MODEL, file, p, "label contains the %s U+%04X at byte %zu: a "
                       "label must be visible text on one line", kind, (unsigned)c, at);
    }
}

static tc_status load_labels(tc_model *m, const cJSON *labels, const char *file, tc_error *err)
{
    if (!cJSON_IsArray(labels))
        return tc_fail(err, TC_ERR_MODEL, file, "$.labels", "expected an array of strings, got %s",
                       tc_json_type_name(labels));
    int n = cJSON_GetArraySize(labels);
    if (n < 2 || n > TC_MAX_LABELS)
        return tc_fail(err, TC_ERR_MODEL, file, "$.labels", "needs 2..%d labels, has %d",
                       TC_MAX_LABELS, n);
    m->labels = calloc((size_t)n, sizeof *m->labels);
    if (!m->labels) return tc_fail_nomem(err, file);
    m->num_labels = n;
    int i = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, labels) {
        char p[TC_PATH_MAX];
        tc_json_path_index(p, "$.labels", i);
        if (!cJSON_IsString(l))
            return tc_fail(err, TC_ERR_MODEL, file, p, "expected a string, got %s",
                           tc_json_type_name(l));
        tc_status s = check_label(l->valuestring, file, p, err);
        if (s != TC_OK) return s;
        for (int j = 0; j < i; j++)
            if (strcmp(m->labels[j], l->valuestring) == 0)
                return tc_fail(err, TC_ERR_MODEL, file, p,
                               "duplicate label \"%.64s\" (also $.labels[%d])", l->valuestring, j);
        if (!(m->labels[i] = strdup(l->valuestring))) return tc_fail_nomem(err, file);
        i++;
    }
    return TC_OK;
}

/* Reads obj.key (at path) as a number in [0, 1], def when absent. */
static tc_status get_share(const cJSON *obj, const char *key, double def, double *out,
                           const char *file, const char *path, tc_error *err)
{
    char p[TC_PATH_MAX];
    tc_json_path_key(p, path, key);
    const cJSON *v = tc_json_get(obj, key);
    if (!v) {
        *out = def;
        return TC_OK;
    }
    if (!cJSON_IsNumber(v))
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected a number in 0..1, got %s",
                       tc_json_type_name(v));
    if (!(v->valuedouble >= 0 && v->valuedouble <= 1))   /* 1e999 parses as inf */
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected a number in 0..1, got %.17g",
                       v->valuedouble);
    *out = v->valuedouble;
    return TC_OK;
}

/* Marks in m->withheld (allocated, all 0) each label of the list w ("$.abstain.withheld"),
 * found through labels, a map of m's labels whose ids are their indices, and counts them in
 * m->num_withheld; refuses an entry that is not one of them, or is one again, and a list of
 * them all. */
static tc_status find_withheld(tc_model *m, const cJSON *w, const tc_strmap *labels,
                               const char *file, tc_error *err)
{
    static const char *const P = "$.abstain.withheld";
    int i = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, w) {
        char p[TC_PATH_MAX];
        tc_json_path_index(p, P, i);
        if (!cJSON_IsString(l))
            return tc_fail(err, TC_ERR_MODEL, file, p, "expected a string, got %s",
                           tc_json_type_name(l));
        int c = tc_strmap_find(labels, l->valuestring, strlen(l->valuestring));
        if (c < 0 && strcmp(l->valuestring, m->abstain_label) == 0)
            return tc_fail(err, TC_ERR_MODEL, file, p, "\"%.64s\" is the label for abstaining: "
                           "only labels of the model ($.labels) can be withheld", l->valuestring);
        if (c < 0)
            return tc_fail(err, TC_ERR_MODEL, file, p, "\"%.64s\" is not one of the model's "
                           "labels: only labels of the model ($.labels) can be withheld",
                           l->valuestring);
        if (m->withheld[c]) {   /* the earlier entry, for the message */
            int j = 0;
            const cJSON *e = w->child;
            while (e != l && strcmp(e->valuestring, l->valuestring) != 0) e = e->next, j++;
            return tc_fail(err, TC_ERR_MODEL, file, p, "duplicate label \"%.64s\" (also %s[%d])",
                           l->valuestring, P, j);
        }
        m->withheld[c] = 1;
        m->num_withheld++;
        i++;
    }
    if (m->num_withheld == m->num_labels)
        return tc_fail(err, TC_ERR_MODEL, file, P, "all %d labels of the model are withheld: at "
                       "least one must be left to answer", m->num_labels);
    return TC_OK;
}

/* The optional list "withheld" of the abstain rule a (docs/model-format.md) into m->withheld
 * (left NULL when the list is absent or empty); m's labels and abstain label are loaded. */
static tc_status load_withheld(tc_model *m, const cJSON *a, const char *file, tc_error *err)
{
    const cJSON *w = tc_json_get(a, "withheld");
    if (!w) return TC_OK;
    if (!cJSON_IsArray(w))
        return tc_fail(err, TC_ERR_MODEL, file, "$.abstain.withheld",
                       "expected an array of labels, got %s", tc_json_type_name(w));
    if (!w->child) return TC_OK;
    tc_strmap labels;
    tc_strmap_init(&labels, m->num_labels);
    tc_status s = TC_OK;
    for (int c = 0; s == TC_OK && c < m->num_labels; c++)
        if (tc_strmap_insert(&labels, m->labels[c], strlen(m->labels[c])) != c)
            s = tc_fail_nomem(err, file);   /* unique labels: id c, or out of memory */
    if (s == TC_OK && !(m->withheld = calloc((size_t)m->num_labels, 1)))
        s = tc_fail_nomem(err, file);
    if (s == TC_OK) s = find_withheld(m, w, &labels, file, err);
    tc_strmap_free(&labels);
    return s;
}

/* The optional "abstain" rule (docs/model-format.md); the labels are loaded. */
static tc_status load_abstain(tc_model *m, const cJSON *a, const char *file, tc_error *err)
{
    static const char *const keys[] = {"label", "min_probability", "max_unknown", "letterless",
                                       "withheld", NULL};
    const char *P = "$.abstain", *label;
    if (!a) return TC_OK;
    /* the rule reads the answer's probability as a softmax's: with independent sigmoids a
     * document has any number of answers, and none of them is "the" answer it could replace */
    if (m->output == TC_OUTPUT_SIGMOID)
        return tc_fail(err, TC_ERR_MODEL, file, P, "a multi-label model (config.output "
                       "\"sigmoid\") cannot have an abstain rule: it answers every label whose "
                       "probability passes the threshold, or none");
    tc_status s = tc_json_check_object(a, keys, file, P, err);
    if (s == TC_OK) s = tc_json_get_string(a, "label", NULL, &label, file, P, err);
    if (s == TC_OK) s = check_label(label, file, "$.abstain.label", err);
    if (s != TC_OK) return s;
    for (int i = 0; i < m->num_labels; i++)
        if (strcmp(m->labels[i], label) == 0)
            return tc_fail(err, TC_ERR_MODEL, file, "$.abstain.label",
                           "\"%.64s\" is one of the model's labels ($.labels[%d]): the label "
                           "for abstaining must be another", label, i);
    s = get_share(a, "min_probability", 0, &m->abstain_min_probability, file, P, err);
    if (s == TC_OK) s = get_share(a, "max_unknown", 1, &m->abstain_max_unknown, file, P, err);
    if (s == TC_OK)
        s = tc_json_get_bool(a, "letterless", 1, &m->abstain_letterless, file, P, err);
    if (s != TC_OK) return s;
    if (!(m->abstain_label = strdup(label))) return tc_fail_nomem(err, file);
    return load_withheld(m, a, file, err);
}

static tc_status load_tokenizer(tc_model *m, const cJSON *t, const char *file, tc_error *err)
{
    static const char *const keys[] = {"normalize", "case", "strip_accents", "pretokenize",
                                       "split_scripts", "unk_token", "continuation_prefix",
                                       "max_word_chars", "word_apostrophes", NULL};
    static const char *const forms[] = TC_NORM_FORM_NAMES;
    static const char *const cases[] = TC_CASE_MODE_NAMES;
    static const char *const pretoks[] = TC_PRETOK_NAMES;
    static const char *const scripts[] = TC_SCRIPT_NAMES;
    const char *P = "$.tokenizer";
    tc_tokenizer *tok = &m->tok;
    int form, cs, pt;
    int64_t mwc;
    const char *unk, *prefix;
    tc_status s = tc_json_check_object(t, keys, file, P, err);
    if (s == TC_OK) s = tc_json_get_choice(t, "normalize", forms, 0, &form, file, P, err);
    if (s == TC_OK) s = tc_json_get_choice(t, "case", cases, 0, &cs, file, P, err);
    if (s == TC_OK)
        s = tc_json_get_bool(t, "strip_accents", 0, &tok->norm.strip_accents, file, P, err);
    if (s == TC_OK) s = tc_json_get_choice(t, "pretokenize", pretoks, 0, &pt, file, P, err);
    if (s == TC_OK) s = tc_json_get_string(t, "unk_token", "[UNK]", &unk, file, P, err);
    if (s == TC_OK) s = tc_json_get_string(t, "continuation_prefix", "##", &prefix, file, P, err);
    if (s == TC_OK) s = tc_json_get_int(t, "max_word_chars", 0, 100, 1, 10000, &mwc, file, P, err);
    if (s == TC_OK)
        s = tc_json_get_bool(t, "word_apostrophes", 0, &tok->word_apostrophes, file, P, err);
    if (s != TC_OK) return s;
    tok->norm.form = (tc_norm_form)form;
    tok->norm.case_mode = (tc_case_mode)cs;
    tok->norm.pretok = (tc_pretok_mode)pt;
    tok->max_word_chars = (int)mwc;
    if (!*unk) return tc_fail(err, TC_ERR_MODEL, file, "$.tokenizer.unk_token", "empty");
    tok->unk_token = strdup(unk);
    tok->prefix = strdup(prefix);
    if (!tok->unk_token || !tok->prefix) return tc_fail_nomem(err, file);
    tok->prefix_len = strlen(prefix);

    const cJSON *sl = tc_json_get(t, "split_scripts");
    if (!sl) {
        tok->scripts = TC_SCRIPTS_DEFAULT;
        return TC_OK;
    }
    if (!cJSON_IsArray(sl))
        return tc_fail(err, TC_ERR_MODEL, file, "$.tokenizer.split_scripts",
                       "expected an array of script names, got %s", tc_json_type_name(sl));
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, sl) {
        char p[TC_PATH_MAX];
        tc_json_path_index(p, "$.tokenizer.split_scripts", i++);
        int k = 0;
        while (scripts[k] && !(cJSON_IsString(e) && strcmp(scripts[k], e->valuestring) == 0))
            k++;
        if (!scripts[k]) {
            if (!cJSON_IsString(e))
                return tc_fail(err, TC_ERR_MODEL, file, p, "expected a script name, got %s",
                               tc_json_type_name(e));
            char list[128] = "";
            for (int j = 0; scripts[j]; j++) {
                strcat(list, j ? ", " : "");
                strcat(list, scripts[j]);
            }
            return tc_fail(err, TC_ERR_MODEL, file, p, "expected one of %s, got \"%.32s\"", list,
                           e->valuestring);
        }
        tok->scripts |= 1u << k;
    }
    return TC_OK;
}

/* Checks and adds one vocabulary token: line (of a vocabulary file, > 0) or else index (in
 * $.vocab) says where, for messages; the JSON path is only formatted when one is needed (a
 * model has tens of thousands of tokens, and formatting each path was 1/4 of load time). */
static tc_status add_token(tc_vocab *v, const char *s, size_t len, const char *file,
                           int64_t index, int line, tc_error *err)
{
    char path[TC_PATH_MAX];
    const char *why = NULL;
    if (len == 0) why = "empty token";
    else if (len > TC_VOCAB_MAX_TOKEN) why = "token longer than 1024 bytes";
    else if (!tc_utf8_valid(s, len)) why = "token is not valid UTF-8";
    else if (has_control(s, len)) why = "token contains a control character";
    char many[64];
    if (!why && v->size >= TC_VOCAB_MAX_SIZE) {
        snprintf(many, sizeof many, "more than %d tokens", TC_VOCAB_MAX_SIZE);
        why = many;
    }
    if (why && line) return tc_fail_at(err, TC_ERR_MODEL, file, line, 1, "%s", why);
    if (why) {
        tc_json_path_index(path, "$.vocab", index);
        return tc_fail(err, TC_ERR_MODEL, file, path, "%s", why);
    }
    return tc_vocab_add(v, s, len) == 0 ? TC_OK : tc_fail_nomem(err, file);
}

/* Adds the tokens of a vocabulary file's bytes data[0..len) (one per line); vpath names it. */
static tc_status parse_vocab_lines(tc_model *m, const char *data, size_t len, const char *vpath,
                                   tc_error *err)
{
    int64_t lines = 0;
    for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        lines++;
    if (len && data[len - 1] != '\n') lines++;
    if (lines < 1 || lines > TC_VOCAB_MAX_SIZE)
        return tc_fail(err, TC_ERR_MODEL, vpath, NULL, "needs 1..%d tokens, has %lld",
                       TC_VOCAB_MAX_SIZE, (long long)lines);
    tc_status s = tc_vocab_init(&m->vocab, lines, err);
    size_t start = 0;
    for (int line = 1; start < len && s == TC_OK; line++) {
        const char *nl = memchr(data + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - data) : len, tl = end - start;
        if (tl && data[start + tl - 1] == '\r') tl--;
        s = add_token(&m->vocab, data + start, tl, vpath, 0, line, err);
        start = end + 1;
    }
    return s;
}

/* Reads the vocabulary file named rel by the model file (model_ref.h's rule). */
static tc_status load_vocab_file(tc_model *m, const char *file, const char *rel, tc_error *err)
{
    int fd;
    tc_status s = tc_ref_open(file, rel, "$.vocab.file", &fd, err);
    if (s != TC_OK) return s;
    char *vpath = tc_ref_path(file, rel), *data = NULL;
    size_t len;
    if (!vpath) s = tc_fail_nomem(err, file);
    else s = tc_read_fd(fd, vpath, MAX_VOCAB_FILE, &data, &len, err);
    close(fd);
    if (s == TC_ERR_IO) {   /* say which model and key named the unreadable file */
        char prefix[1100];
        snprintf(prefix, sizeof prefix, "cannot read %s: ", vpath);
        tc_error_rewrap(err, file, "$.vocab.file", prefix);
    }
    if (s == TC_OK) s = parse_vocab_lines(m, data, len, vpath, err);
    free(data);
    free(vpath);
    return s;
}

/* Where a model's companion files come from: the file system, or memory for a built-in model. */
typedef struct {
    int in_memory;
    const char *vocab;     /* the vocabulary file's bytes, when in_memory (or NULL) */
    size_t vocab_len;
    const void *weights;   /* the weights_file's bytes, when in_memory */
    size_t weights_len;
    int program_data;      /* the program's own built-in model (tc_model_load_program_data) */
} source;

static tc_status load_vocab(tc_model *m, const cJSON *v, const source *src, const char *file,
                            tc_error *err)
{
    if (cJSON_IsObject(v) && src->in_memory && !src->vocab)
        return tc_fail(err, TC_ERR_MODEL, file, "$.vocab",
                       "a model loaded from memory needs its vocabulary inline or given");
    /* bytes given for a file the model does not name: the caller meant another model */
    if (!cJSON_IsObject(v) && src->in_memory && src->vocab)
        return tc_fail(err, TC_ERR_ARG, file, "$.vocab",
                       "a vocabulary file's bytes were given, but the model's vocabulary is "
                       "inline");
    if (cJSON_IsObject(v)) {
        static const char *const keys[] = {"file", NULL};
        const char *rel;
        tc_status s = tc_json_check_object(v, keys, file, "$.vocab", err);
        if (s == TC_OK) s = tc_json_get_string(v, "file", NULL, &rel, file, "$.vocab", err);
        if (s == TC_OK) s = tc_ref_check_name(rel, file, "$.vocab.file", err);
        if (s != TC_OK) return s;
        if (!(m->vocab_file = strdup(rel))) return tc_fail_nomem(err, file);
        if (src->in_memory) return parse_vocab_lines(m, src->vocab, src->vocab_len, rel, err);
        return load_vocab_file(m, file, rel, err);
    }
    if (!cJSON_IsArray(v))
        return tc_fail(err, TC_ERR_MODEL, file, "$.vocab",
                       "expected an array of tokens or {\"file\": ...}, got %s",
                       tc_json_type_name(v));
    int n = cJSON_GetArraySize(v);
    if (n < 1 || n > TC_VOCAB_MAX_SIZE)
        return tc_fail(err, TC_ERR_MODEL, file, "$.vocab", "needs 1..%d tokens, has %d",
                       TC_VOCAB_MAX_SIZE, n);
    tc_status s = tc_vocab_init(&m->vocab, n, err);
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        if (s != TC_OK) return s;
        if (!cJSON_IsString(e)) {
            char p[TC_PATH_MAX];
            tc_json_path_index(p, "$.vocab", i);
            return tc_fail(err, TC_ERR_MODEL, file, p, "expected a string, got %s",
                           tc_json_type_name(e));
        }
        s = add_token(&m->vocab, e->valuestring, strlen(e->valuestring), file, i++, 0, err);
    }
    return s;
}

/* Builds the vocabulary index, rejecting duplicates, and resolves unk_token. */
static tc_status index_vocab(tc_model *m, const char *file, tc_error *err)
{
    int32_t a, b;
    int r = tc_vocab_build_index(&m->vocab, &a, &b);
    if (r < 0) return tc_fail_nomem(err, file);
    const char *where = m->vocab_file ? m->vocab_file : file;
    if (r > 0) {
        char *vpath = m->vocab_file ? tc_ref_path(file, m->vocab_file) : NULL;
        if (m->vocab_file) {
            tc_fail_at(err, TC_ERR_MODEL, vpath ? vpath : where, b + 1, 1,
                       "duplicate token \"%.64s\" (first at line %d)",
                       tc_vocab_token(&m->vocab, b), a + 1);
            free(vpath);
            return TC_ERR_MODEL;
        }
        char p[TC_PATH_MAX];
        tc_json_path_index(p, "$.vocab", b);
        return tc_fail(err, TC_ERR_MODEL, file, p, "duplicate token \"%.64s\" (also $.vocab[%d])",
                       tc_vocab_token(&m->vocab, b), a);
    }
    const char *unk = m->tok.unk_token;
    m->tok.unk_id = tc_vocab_find(&m->vocab, "", 0, unk, strlen(unk));
    if (m->tok.unk_id < 0)
        return tc_fail(err, TC_ERR_MODEL, file, "$.tokenizer.unk_token",
                       "\"%.64s\" is not in the vocabulary", unk);
    return TC_OK;
}

void tc_model_list_scripts(tc_model *m)
{
    static const char *const script_names[] = TC_SCRIPT_NAMES;
    m->scripts_list[0] = '\0';
    for (int i = 0; script_names[i]; i++)
        if (m->tok.scripts & (1u << i)) {
            if (m->scripts_list[0]) strcat(m->scripts_list, ",");
            strcat(m->scripts_list, script_names[i]);
        }
}

static tc_status load_root(tc_model *m, const cJSON *root, const source *src,
                           tc_inline_set *inl, const char *file, tc_error *err)
{
    static const char *const keys[] = {"format", "version", "config", "labels", "tokenizer",
                                       "vocab", "weights_file", "tensors", "metadata", "abstain",
                                       NULL};
    tc_status s = tc_json_check_object(root, keys, file, "$", err);
    const char *format;
    int64_t version;
    if (s == TC_OK) s = tc_json_get_string(root, "format", NULL, &format, file, "$", err);
    if (s != TC_OK) return s;
    if (strcmp(format, "textclf-model") != 0)
        return tc_fail(err, TC_ERR_MODEL, file, "$.format",
                       "expected \"textclf-model\", got \"%.64s\"", format);
    s = tc_json_get_int(root, "version", 1, 0, INT32_MIN, INT32_MAX, &version, file, "$", err);
    if (s != TC_OK) return s;
    if (version != 1)
        return tc_fail(err, TC_ERR_MODEL, file, "$.version",
                       "version %lld is not supported (this textclf reads version 1)",
                       (long long)version);
    static const char *const required[] = {"config", "labels", "tokenizer", "vocab", "tensors",
                                           NULL};
    for (int i = 0; required[i]; i++)
        if (!tc_json_get(root, required[i])) {
            char p[TC_PATH_MAX];
            tc_json_path_key(p, "$", required[i]);
            return tc_fail(err, TC_ERR_MODEL, file, p, "missing (required)");
        }
    if ((s = load_config(m, tc_json_get(root, "config"), file, err)) != TC_OK) return s;
    if ((s = load_labels(m, tc_json_get(root, "labels"), file, err)) != TC_OK) return s;
    if ((s = load_abstain(m, tc_json_get(root, "abstain"), file, err)) != TC_OK) return s;
    if ((s = load_tokenizer(m, tc_json_get(root, "tokenizer"), file, err)) != TC_OK) return s;
    tc_model_list_scripts(m);
    if ((s = load_vocab(m, tc_json_get(root, "vocab"), src, file, err)) != TC_OK) return s;
    if ((s = index_vocab(m, file, err)) != TC_OK) return s;

    if (tc_json_get(root, "weights_file")) {
        const char *w;
        if ((s = tc_json_get_string(root, "weights_file", NULL, &w, file, "$", err)) != TC_OK ||
            (s = tc_ref_check_name(w, file, "$.weights_file", err)) != TC_OK)
            return s;
        /* from memory, nothing is read from disk: a name relative to the process's working
         * directory would be a different file than the model's author meant */
        if (src->in_memory && !src->weights)
            return tc_fail(err, TC_ERR_MODEL, file, "$.weights_file",
                           "a model loaded from memory needs its weights inline or given");
        if (!(m->weights_file = strdup(w))) return tc_fail_nomem(err, file);
    }
    if (!m->weights_file && src->in_memory && src->weights)
        return tc_fail(err, TC_ERR_ARG, file, "$.weights_file",
                       "a weights file's bytes were given, but the model names no weights_file "
                       "(its tensors are inline)");
    return tc_model_load_tensors(m, tc_json_get(root, "tensors"), file, m->weights_file,
                                 src->in_memory ? src->weights : NULL, src->weights_len,
                                 src->program_data, inl, err);
}

/*
 * Parses and validates the model document text[0..len) (text[len] is '\0'); `file` names it in
 * messages. Consumes text: it is blanked where inline tensor data was read from it
 * (inline_data.h) and freed once parsed, so that the text, the numbers and the parsed tree are
 * never all held at once beyond that point.
 */
static tc_status load_text(char *text, size_t len, const source *src, const char *file,
                           tc_model **out, tc_error *err)
{
    cJSON *root = NULL;
    tc_inline_set inl;
    tc_status s = tc_inline_lift(text, len, file, &inl, err);
    if (s == TC_OK) s = tc_json_parse(text, len, file, &root, err);
    free(text);
    if (s != TC_OK) {
        tc_inline_free(&inl);
        return s;
    }
    tc_model *m = calloc(1, sizeof *m);
    if (!m) {
        cJSON_Delete(root);
        tc_inline_free(&inl);
        return tc_fail_nomem(err, file);
    }
    s = load_root(m, root, src, &inl, file, err);
    tc_inline_free(&inl);   /* what the model took is its own now */
    /* keep "metadata" (no copy: its nodes are moved out of the tree) for tc_model_save */
    if (s == TC_OK) m->metadata = cJSON_DetachItemFromObjectCaseSensitive(root, "metadata");
    cJSON_Delete(root);
    if (s == TC_OK) s = tc_infer_cache_init(m, TC_INFER_TABLE_MAX, err);
    if (s != TC_OK) {
        tc_model_free(m);
        return s;
    }
    *out = m;
    return TC_OK;
}

tc_status tc_model_load(const char *path, tc_model **out, tc_error *err)
{
    tc_error_clear(err);
    if (!out) return tc_fail_null(err, "tc_model_load", "out");
    *out = NULL;
    if (!path) return tc_fail_null(err, "tc_model_load", "path");
    if (!*path) return tc_fail(err, TC_ERR_ARG, NULL, NULL, "tc_model_load: path is empty");
    char *text;
    size_t len;
    tc_status s = tc_read_file(path, MAX_MODEL_JSON, &text, &len, err);
    if (s != TC_OK) return s;
    source src = {0};
    s = load_text(text, len, &src, path, out, err);
    return s;
}

/* tc_model_load_memory's body; program_data as tc_model_load_program_data (model.h) says. */
static tc_status load_memory(const char *fn, const char *name, const char *json, size_t json_len,
                             const char *vocab, size_t vocab_len, const void *weights,
                             size_t weights_len, int program_data, tc_model **out, tc_error *err)
{
    tc_error_clear(err);
    if (!out) return tc_fail_null(err, fn, "out");
    *out = NULL;
    if (!name) return tc_fail_null(err, fn, "name");
    if (!json) return tc_fail_null(err, fn, "json");
    /* NULL means "no such file": with a length, the caller has lost its bytes */
    if (!vocab && vocab_len)
        return tc_fail(err, TC_ERR_ARG, NULL, NULL, "%s: vocab is NULL but vocab_len is %zu", fn,
                       vocab_len);
    if (!weights && weights_len)
        return tc_fail(err, TC_ERR_ARG, NULL, NULL, "%s: weights is NULL but weights_len is %zu",
                       fn, weights_len);
    if (json_len > MAX_MODEL_JSON)
        return tc_fail(err, TC_ERR_MODEL, name, NULL, "model JSON larger than %zu bytes",
                       MAX_MODEL_JSON);
    if (vocab && vocab_len > MAX_VOCAB_FILE)
        return tc_fail(err, TC_ERR_MODEL, name, NULL, "vocabulary larger than %zu bytes",
                       MAX_VOCAB_FILE);
    source src = {1, vocab, vocab_len, weights, weights_len, program_data};
    /* the parser needs a NUL after the text, which the caller's bytes need not have */
    char *text = malloc(json_len + 1);
    if (!text) return tc_fail_nomem(err, name);
    memcpy(text, json, json_len);
    text[json_len] = '\0';
    tc_status s = load_text(text, json_len, &src, name, out, err);
    return s;
}

tc_status tc_model_load_memory(const char *name, const char *json, size_t json_len,
                               const char *vocab, size_t vocab_len, const void *weights,
                               size_t weights_len, tc_model **out, tc_error *err)
{
    return load_memory("tc_model_load_memory", name, json, json_len, vocab, vocab_len, weights,
                       weights_len, 0, out, err);
}

tc_status tc_model_load_program_data(const char *name, const char *json, size_t json_len,
                                     const char *vocab, size_t vocab_len, const void *weights,
                                     size_t weights_len, tc_model **out, tc_error *err)
{
    return load_memory("tc_model_load_program_data", name, json, json_len, vocab, vocab_len,
                       weights, weights_len, 1, out, err);
}

void tc_model_free(tc_model *m)
{
    if (!m) return;
    for (int i = 0; m->labels && i < m->num_labels; i++) free(m->labels[i]);
    free(m->labels);
    free(m->abstain_label);
    free(m->withheld);
    tc_vocab_free(&m->vocab);
    tc_tokenizer_free(&m->tok);
    free(m->vocab_file);
    free(m->weights_file);
    cJSON_Delete(m->metadata);
    tc_infer_cache_free(m->infer);
    free(m->pos_table);
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        free(m->owned[i]);
        free(m->owned16[i]);
        free(m->owned_scale[i]);
    }
    tc_st_close(&m->st);
    free(m);
}
