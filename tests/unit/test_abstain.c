/*
 * The abstain rule (docs/model-format.md, "abstain"): loading it (good and bad rules, their
 * messages), counting letter and unknown words (tc_doc_info) outside links, the verdict and its
 * order, TC_NO_ABSTAIN, tc_abstain_string. On tests/models/tiny.json (max_len 16; its vocabulary
 * has English, French and a few Han words, no Cherokee), loaded from memory with a rule added.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model_save.h"
#include "session.h"
#include "test.h"
#include "textclf.h"

void test_abstain(void);

static char *tiny;       /* tests/models/tiny.json's text */
static size_t tiny_len;

/* tiny.json with `"abstain": rule,` after its labels (rule NULL: as it is), loaded from memory
 * as "m.json". Returns the status; *m the model (or NULL), err what went wrong. */
static tc_status load_rule(const char *rule, tc_model **m, tc_error *err)
{
    static const char anchor[] = "\"labels\": [\"en\", \"fr\", \"zh\"],";
    const char *at = strstr(tiny, anchor);
    if (!at || !rule)
        return tc_model_load_memory("m.json", tiny, tiny_len, NULL, 0, NULL, 0, m, err);
    size_t pre = (size_t)(at - tiny) + sizeof anchor - 1, rl = strlen(rule);
    size_t n = tiny_len + rl + 32;
    char *text = malloc(n);
    if (!text) return TC_ERR_NOMEM;
    int k = snprintf(text, n, "%.*s\n  \"abstain\": %s,", (int)pre, tiny, rule);
    memcpy(text + k, tiny + pre, tiny_len - pre);
    tc_status s = tc_model_load_memory("m.json", text, (size_t)k + tiny_len - pre, NULL, 0, NULL, 0,
                                       m, err);
    free(text);
    return s;
}

/* 1 if the rule is refused with exactly the message want (tc_error_format's). */
static int refused(const char *rule, const char *want)
{
    tc_model *m = NULL;
    tc_error err;
    char msg[2048];
    tc_status s = load_rule(rule, &m, &err);
    tc_model_free(m);
    if (s != TC_ERR_MODEL) {
        printf("  rule %s: status %d, expected TC_ERR_MODEL\n", rule, (int)s);
        return 0;
    }
    tc_error_format(&err, msg, sizeof msg);
    if (strcmp(msg, want) != 0) printf("  rule %s:\n    got  %s\n    want %s\n", rule, msg, want);
    return strcmp(msg, want) == 0;
}

static void test_load(void)
{
    tc_model *m = NULL;
    tc_error err;
    tc_model_info info;
    /* no rule: NULL and zeros */
    CHECK(load_rule(NULL, &m, &err) == TC_OK);
    tc_model_get_info(m, &info);
    CHECK(info.abstain_label == NULL && info.abstain_min_probability == 0 &&
          info.abstain_max_unknown == 0 && info.abstain_letterless == 0);
    tc_model_free(m);
    /* the label alone: the defaults */
    CHECK(load_rule("{\"label\": \"und\"}", &m, &err) == TC_OK);
    tc_model_get_info(m, &info);
    CHECK_STR(info.abstain_label, "und");
    CHECK(info.abstain_min_probability == 0 && info.abstain_max_unknown == 1 &&
          info.abstain_letterless == 1);
    tc_model_free(m);
    /* every key, in any order; integers are numbers too */
    CHECK(load_rule("{\"letterless\": false, \"max_unknown\": 0, \"min_probability\": 1, "
                    "\"label\": \"no language\"}", &m, &err) == TC_OK);
    tc_model_get_info(m, &info);
    CHECK_STR(info.abstain_label, "no language");
    CHECK(info.abstain_min_probability == 1 && info.abstain_max_unknown == 0 &&
          info.abstain_letterless == 0);
    tc_model_free(m);
    CHECK(load_rule("{\"label\": \"und\", \"min_probability\": 0.30000000000000004, "
                    "\"max_unknown\": 5e-1}", &m, &err) == TC_OK);
    tc_model_get_info(m, &info);
    CHECK(info.abstain_min_probability == 0.30000000000000004 && info.abstain_max_unknown == 0.5);
    tc_model_free(m);

    /* bad rules: each message as `textclf` shows it (the CLI's bad-model cases list them) */
    CHECK(refused("\"und\"", "m.json: $.abstain: expected an object, got a string"));
    CHECK(refused("null", "m.json: $.abstain: expected an object, got null"));
    CHECK(refused("{}", "m.json: $.abstain.label: missing (required)"));
    CHECK(refused("{\"label\": 5}", "m.json: $.abstain.label: expected a string, got a number"));
    CHECK(refused("{\"label\": \"\"}", "m.json: $.abstain.label: empty label"));
    CHECK(refused("{\"label\": \"und \"}",
                  "m.json: $.abstain.label: label ends with the space U+0020: a label cannot "
                  "start or end with a space"));
    CHECK(refused("{\"label\": \"u\\tnd\"}",
                  "m.json: $.abstain.label: label contains the control character U+0009 at "
                  "byte 1: a label must be visible text on one line"));
    CHECK(refused("{\"label\": \"fr\"}",
                  "m.json: $.abstain.label: \"fr\" is one of the model's labels ($.labels[1]): "
                  "the label for abstaining must be another"));
    CHECK(refused("{\"label\": \"und\", \"min_probability\": 1.5}",
                  "m.json: $.abstain.min_probability: expected a number in 0..1, got 1.5"));
    CHECK(refused("{\"label\": \"und\", \"min_probability\": -0.25}",
                  "m.json: $.abstain.min_probability: expected a number in 0..1, got -0.25"));
    CHECK(refused("{\"label\": \"und\", \"min_probability\": \"0.5\"}",
                  "m.json: $.abstain.min_probability: expected a number in 0..1, got a string"));
    CHECK(refused("{\"label\": \"und\", \"max_unknown\": 1e999}",
                  "m.json: $.abstain.max_unknown: expected a number in 0..1, got inf"));
    CHECK(refused("{\"label\": \"und\", \"max_unknown\": true}",
                  "m.json: $.abstain.max_unknown: expected a number in 0..1, got a boolean"));
    CHECK(refused("{\"label\": \"und\", \"letterless\": 1}",
                  "m.json: $.abstain.letterless: expected true or false, got a number"));
    CHECK(refused("{\"label\": \"und\", \"threshold\": 0.5}",
                  "m.json: $.abstain.threshold: unknown key"));
    CHECK(refused("{\"label\": \"und\", \"label\": \"xx\"}",
                  "m.json: $.abstain.label: duplicate key"));
}

/* The counts of text under model m (tc_tokenize), with the session's tokenizer cutting chunks
 * of chunk bytes (0: its own size). */
static void counts(tc_session *s, const char *text, size_t chunk, int64_t *letters,
                   int64_t *unknown, int64_t *tokens, int *truncated)
{
    const int32_t *ids;
    int64_t n = 0;
    tc_doc_info info;
    memset(&info, 0x55, sizeof info);
    size_t saved = s->tok.chunk_bytes;
    if (chunk) s->tok.chunk_bytes = chunk;
    tc_status st = tc_tokenize(s, text, strlen(text), 0, &ids, &n, &info, NULL);
    s->tok.chunk_bytes = saved;
    CHECK(st == TC_OK);
    CHECK(info.abstain == TC_ABSTAIN_NONE);   /* tc_tokenize's, whatever the rule */
    *letters = info.letter_words;
    *unknown = info.unknown_words;
    if (tokens) *tokens = info.tokens;
    if (truncated) *truncated = info.truncated;
}

/* 1 if text has `letters` letter words and `unknown` unknown ones, whole and in 1-, 3- and
 * 64-byte chunks. */
static int has_counts(tc_session *s, const char *text, int64_t letters, int64_t unknown)
{
    static const size_t chunks[] = {0, 1, 3, 64};
    int ok = 1;
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        int64_t l = -1, u = -1;
        counts(s, text, chunks[i], &l, &u, NULL, NULL);
        if (l != letters || u != unknown) {
            printf("  \"%.40s\" (chunks of %zu): %lld letter words, %lld unknown; expected %lld, "
                   "%lld\n", text, chunks[i], (long long)l, (long long)u, (long long)letters,
                   (long long)unknown);
            ok = 0;
        }
    }
    return ok;
}

/* Links (docs/model-format.md, "abstain"), in session s of tiny.json with a rule: the words of a
 * run between spaces that is a URL or an e-mail address count as neither letter nor unknown
 * words, however late the run shows it. */
static void link_counts(tc_session *s)
{
    CHECK(has_counts(s, "https://www.example34.com/19759", 0, 0));
    CHECK(has_counts(s, "api483@demo.ru", 0, 0));
    CHECK(has_counts(s, "hello https://x.org/the world", 2, 0));   /* hello, world */
    CHECK(has_counts(s, "the zzz zzz@zzz.zzz", 2, 1));             /* the, zzz */
    CHECK(has_counts(s, "WWW.Example.COM", 0, 0));                 /* either case */
    CHECK(has_counts(s, "mailto:ann", 0, 0));
    CHECK(has_counts(s, "(https://x.org).", 0, 0));                /* punctuation glued on */
    CHECK(has_counts(s, "https://\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.\xD1\x80\xD1\x84/"
                        "\xD0\xBF\xD1\x83\xD1\x82\xD1\x8C", 0, 0));    /* https://пример.рф/путь */
    CHECK(has_counts(s, "\xEF\xBD\x97\xEF\xBD\x97\xEF\xBD\x97\xEF\xBC\x8E" "cat", 0,
                     0));   /* ｗｗｗ．cat: www.cat after NFKC */
    /* not links: a handle, nothing after a dot after the '@', no scheme, no dot */
    CHECK(has_counts(s, "@user", 1, 1));
    CHECK(has_counts(s, "a@b", 2, 2));
    CHECK(has_counts(s, "hello a@b x@y.z", 3, 2));                 /* hello, a, b */
    CHECK(has_counts(s, "ann@example.", 2, 2));
    CHECK(has_counts(s, "://x.org", 2, 2));
    CHECK(has_counts(s, "www", 1, 1));
    /* a split-script character ends a run, and is in none: Chinese glued to links counts */
    CHECK(has_counts(s, "\xE4\xB8\xAD\xE6\x96\x87https://x.org\xE4\xB8\xAD\xE6\x96\x87", 4, 0));
    CHECK(has_counts(s, "https://x.cn/\xE4\xB8\xAD\xE6\x96\x87", 2, 0));   /* 中文 */
    CHECK(has_counts(s, "the\xE4\xB8\xADwww.cat", 2, 0));   /* the, 中; www.cat begins a run */
    /* runs are cut at spaces (U+00A0 is one), not at what normalisation removes (U+200B) */
    CHECK(has_counts(s, "the\xC2\xA0" "cat@x.org", 1, 0));
    CHECK(has_counts(s, "the\xE2\x80\x8B" "cat@x.org", 0, 0));

    /* truncation (max_len 16): the whole run decides, also what comes of it after the cut */
    char doc[1000] = "";
    for (int i = 0; i < 15; i++) strcat(doc, "the ");
    size_t base = strlen(doc);
    strcpy(doc + base, "cat@");   /* cat, the 16th token, in an address shown after the cut */
    memset(doc + base + 4, 'a', 300);
    strcpy(doc + base + 304, ".org");
    CHECK(has_counts(s, doc, 15, 0));
    strcpy(doc + base + 304, "org");   /* no dot: cat counts */
    CHECK(has_counts(s, doc, 16, 0));
    strcpy(doc + base, "a-");          /* a ([UNK]) the 16th, "@x.org" 80 tokens later */
    for (int i = 0; i < 40; i++) strcat(doc, "a-");
    size_t end = strlen(doc);
    strcpy(doc + end, "b@x.org");
    CHECK(has_counts(s, doc, 15, 0));
    strcpy(doc + end, "b@x");
    CHECK(has_counts(s, doc, 16, 1));
    strcpy(doc + end, "b@x.org more words");
    CHECK(has_counts(s, doc, 15, 0));
    strcpy(doc + base - 4, "cat https://x");   /* https would be the 16th */
    CHECK(has_counts(s, doc, 15, 0));
}

static void test_counts(void)
{
    tc_model *m = NULL;
    tc_session *s = NULL;
    tc_error err;
    CHECK(load_rule("{\"label\": \"und\"}", &m, &err) == TC_OK);
    CHECK(m && tc_session_init(m, &s, &err) == TC_OK);
    if (!s) {
        tc_model_free(m);
        return;
    }
    CHECK(has_counts(s, "", 0, 0));
    CHECK(has_counts(s, "The cat, the dog!", 4, 0));
    CHECK(has_counts(s, "the cat zzz", 3, 1));                /* zzz: [UNK] */
    CHECK(has_counts(s, "runs runzzz", 2, 1));                /* run ##s; runzzz: one [UNK] */
    CHECK(has_counts(s, "x12 12x 123", 2, 2));                /* a letter among digits */
    /* Han: each character a word (split_scripts), a letter (Lo); 国 is not in the vocabulary */
    CHECK(has_counts(s, "\xE4\xB8\xAD\xE6\x96\x87", 2, 0));                 /* 中文 */
    CHECK(has_counts(s, "\xE4\xB8\xAD\xE5\x9B\xBD", 2, 1));                 /* 中国 */
    /* digits, punctuation, symbols, emoji: no letter (their [UNK]s are not counted) */
    CHECK(has_counts(s, "2024-01-01 12:30 :) \xF0\x9F\x98\x80 $5 +++ \xE2\x82\xAC", 0, 0));
    CHECK(has_counts(s, "https://127.0.0.1/42?x=1", 0, 0));   /* a link: not https, x */
    /* Cherokee ᏣᎳᎩ, a script the vocabulary has none of: one letter word, [UNK] */
    CHECK(has_counts(s, "\xE1\x8F\xA3\xE1\x8E\xB3\xE1\x8E\xA9", 1, 1));
    CHECK(has_counts(s, "the \xE1\x8F\xA3\xE1\x8E\xB3\xE1\x8E\xA9 cat", 3, 1));
    /* a word over max_word_chars (100): one [UNK]; a letter word if any character is a letter,
     * wherever it is (the chunked tokenizer shortens such a word: it must keep that) */
    char w[400];
    memset(w, 'a', 101);
    w[101] = '\0';
    CHECK(has_counts(s, w, 1, 1));
    memset(w, '1', 301);
    w[150] = 'x';
    w[301] = '\0';
    CHECK(has_counts(s, w, 1, 1));
    w[150] = '1';
    CHECK(has_counts(s, w, 0, 0));
    w[300] = 'x';
    CHECK(has_counts(s, w, 1, 1));
    memcpy(w + 296, " the", 5);   /* 296 digits, then a word */
    CHECK(has_counts(s, w, 1, 0));

    /* truncation (max_len 16): only the words whose first token is among the 16 used */
    char doc[400] = "";
    for (int i = 0; i < 15; i++) strcat(doc, "the ");
    size_t base = strlen(doc);
    int64_t l, u, t;
    int tr;
    strcpy(doc + base, "zzz");           /* the 16th token: counted */
    counts(s, doc, 0, &l, &u, &t, &tr);
    CHECK(l == 16 && u == 1 && t == 16 && tr == 0);
    strcpy(doc + base, "the zzz");       /* the 17th: not */
    counts(s, doc, 0, &l, &u, &t, &tr);
    CHECK(l == 16 && u == 0 && t == 16 && tr == 1);
    CHECK(has_counts(s, doc, 16, 0));
    strcpy(doc + base, "runs");          /* run is the 16th, ##s cut off: a known word */
    counts(s, doc, 0, &l, &u, &t, &tr);
    CHECK(l == 16 && u == 0 && t == 16 && tr == 1);
    strcpy(doc + base, "runzzz zzz");    /* one [UNK] (the 16th), then one cut off */
    counts(s, doc, 0, &l, &u, &t, &tr);
    CHECK(l == 16 && u == 1 && t == 16 && tr == 1);
    CHECK(has_counts(s, doc, 16, 1));

    link_counts(s);
    tc_session_free(s);
    tc_model_free(m);
}

/*
 * "Unknown" is WordPiece's whole result being the one token [UNK], not its first token being the
 * unk id: the two differ when the unk token is also a piece words are made of. With unk_token
 * "run" (a vocabulary word of tiny.json), "runs" is run ##s (two tokens, the first the unk
 * id: a known word) and "zzz" is the one token "run" (unknown).
 */
static void test_unk_piece(void)
{
    static const char from[] = "\"tokenizer\": {}";
    static const char to[] = "\"tokenizer\": {\"unk_token\": \"run\"}";
    const char *at = strstr(tiny, from);
    CHECK(at != NULL);
    if (!at) return;
    size_t pre = (size_t)(at - tiny), n = tiny_len - (sizeof from - 1) + (sizeof to - 1);
    char *text = malloc(n);
    CHECK(text != NULL);
    if (!text) return;
    memcpy(text, tiny, pre);
    memcpy(text + pre, to, sizeof to - 1);
    memcpy(text + pre + sizeof to - 1, at + sizeof from - 1, tiny_len - pre - (sizeof from - 1));
    tc_model *m = NULL;
    tc_session *s = NULL;
    tc_error err;
    CHECK(tc_model_load_memory("m.json", text, n, NULL, 0, NULL, 0, &m, &err) == TC_OK);
    free(text);
    CHECK(m && tc_session_init(m, &s, &err) == TC_OK);
    if (s) {
        CHECK(has_counts(s, "runs", 1, 0));
        CHECK(has_counts(s, "zzz", 1, 1));
        CHECK(has_counts(s, "runs zzz the", 3, 1));
    }
    tc_session_free(s);
    tc_model_free(m);
}

/* tc_classify's verdict on text under the rule (and flags), and its top probability. */
static tc_abstain verdict(const char *rule, const char *text, int flags, float *top_prob)
{
    tc_model *m = NULL;
    tc_session *s = NULL;
    tc_error err;
    tc_abstain v = (tc_abstain)-1;
    float probs[3];
    tc_doc_info info;
    if (load_rule(rule, &m, &err) == TC_OK && tc_session_init(m, &s, &err) == TC_OK &&
        tc_classify(s, text, strlen(text), flags, probs, &info, &err) == TC_OK) {
        v = info.abstain;
        int top;
        tc_rank_labels(probs, 3, 1, &top);
        if (top_prob) *top_prob = probs[top];
        /* tc_explain's verdict is tc_classify's */
        tc_explanation ex;
        CHECK(tc_explain(s, text, strlen(text), flags, &ex, &err) == TC_OK && ex.info.abstain == v);
    }
    tc_session_free(s);
    tc_model_free(m);
    return v;
}

static void test_verdict(void)
{
    static const char cherokee[] = "\xE1\x8F\xA3\xE1\x8E\xB3\xE1\x8E\xA9";
    const char *all = "{\"label\": \"und\", \"min_probability\": 1, \"max_unknown\": 0}";
    float p = 0;
    /* no rule, or TC_NO_ABSTAIN: never */
    CHECK(verdict(NULL, "12 34", 0, NULL) == TC_ABSTAIN_NONE);
    CHECK(verdict(NULL, cherokee, 0, NULL) == TC_ABSTAIN_NONE);
    CHECK(verdict(all, "12 34", TC_NO_ABSTAIN, NULL) == TC_ABSTAIN_NONE);
    CHECK(verdict(all, cherokee, TC_NO_ABSTAIN | TC_STRICT_UTF8, NULL) == TC_ABSTAIN_NONE);
    CHECK(verdict(all, "the cat", TC_NO_ABSTAIN, NULL) == TC_ABSTAIN_NONE);
    /* the order: no letters, then unknown words, then low probability */
    CHECK(verdict(all, "12 34", 0, NULL) == TC_ABSTAIN_NO_LETTERS);
    CHECK(verdict(all, "", 0, NULL) == TC_ABSTAIN_NO_LETTERS);
    CHECK(verdict(all, cherokee, 0, NULL) == TC_ABSTAIN_UNKNOWN_WORDS);
    CHECK(verdict(all, "the cat", 0, &p) == TC_ABSTAIN_LOW_PROBABILITY);
    CHECK(p < 1);
    /* letterless false: no letters goes on to the probability */
    CHECK(verdict("{\"label\": \"und\", \"letterless\": false, \"max_unknown\": 0}", "12 34", 0,
                  NULL) == TC_ABSTAIN_NONE);
    CHECK(verdict("{\"label\": \"und\", \"letterless\": false, \"min_probability\": 1}", "12 34",
                  0, NULL) == TC_ABSTAIN_LOW_PROBABILITY);
    /* the defaults: only "no letters" */
    CHECK(verdict("{\"label\": \"und\"}", "12 34", 0, NULL) == TC_ABSTAIN_NO_LETTERS);
    CHECK(verdict("{\"label\": \"und\"}", cherokee, 0, NULL) == TC_ABSTAIN_NONE);
    /* the share of unknown words: more than max_unknown, exactly (1 of 2 is 0.5, not more) */
    CHECK(verdict("{\"label\": \"und\", \"max_unknown\": 0.5}", "the zzz", 0, NULL) ==
          TC_ABSTAIN_NONE);
    CHECK(verdict("{\"label\": \"und\", \"max_unknown\": 0.49999999999999994}", "the zzz", 0,
                  NULL) == TC_ABSTAIN_UNKNOWN_WORDS);
    CHECK(verdict("{\"label\": \"und\", \"max_unknown\": 0.33333333333333326}", "the cat zzz", 0,
                  NULL) == TC_ABSTAIN_UNKNOWN_WORDS);   /* the double below 1/3's */
    CHECK(verdict("{\"label\": \"und\", \"max_unknown\": 0.3333333333333333}", "the cat zzz", 0,
                  NULL) == TC_ABSTAIN_NONE);            /* 1/3 as a double is this */
    CHECK(verdict("{\"label\": \"und\", \"max_unknown\": 1}", cherokee, 0, NULL) ==
          TC_ABSTAIN_NONE);
    /* the top probability: below min_probability, exactly (equal is not below) */
    char rule[128];
    CHECK(verdict(NULL, "le chat", 0, &p) == TC_ABSTAIN_NONE);
    snprintf(rule, sizeof rule, "{\"label\": \"und\", \"min_probability\": %.17g}", (double)p);
    CHECK(verdict(rule, "le chat", 0, NULL) == TC_ABSTAIN_NONE);
    snprintf(rule, sizeof rule, "{\"label\": \"und\", \"min_probability\": %.17g}",
             nextafter((double)p, 2.0));
    CHECK(verdict(rule, "le chat", 0, NULL) == TC_ABSTAIN_LOW_PROBABILITY);
    CHECK(verdict("{\"label\": \"und\", \"min_probability\": 0}", "le chat", 0, NULL) ==
          TC_ABSTAIN_NONE);
    /* links are not letters, nor unknown words: only URLs and e-mail addresses is no letters */
    CHECK(verdict("{\"label\": \"und\"}", "https://www.example34.com/19759", 0, NULL) ==
          TC_ABSTAIN_NO_LETTERS);
    CHECK(verdict("{\"label\": \"und\"}", "api483@demo.ru, <http://x.org> :-) 42", 0, NULL) ==
          TC_ABSTAIN_NO_LETTERS);
    CHECK(verdict("{\"label\": \"und\"}", "api483@demo.ru", TC_NO_ABSTAIN, NULL) ==
          TC_ABSTAIN_NONE);
    CHECK(verdict("{\"label\": \"und\"}", "hello https://x.org", 0, NULL) == TC_ABSTAIN_NONE);
    /* the cat, and no [UNK] of https zzz org zzz: none of 2 unknown (4 of 6 without links) */
    CHECK(verdict("{\"label\": \"und\", \"max_unknown\": 0.5}", "the cat https://zzz.org/zzz", 0,
                  NULL) == TC_ABSTAIN_NONE);
}

static void test_strings(void)
{
    CHECK_STR(tc_abstain_string(TC_ABSTAIN_NONE), "");
    CHECK_STR(tc_abstain_string(TC_ABSTAIN_NO_LETTERS), "no-letters");
    CHECK_STR(tc_abstain_string(TC_ABSTAIN_UNKNOWN_WORDS), "unknown-words");
    CHECK_STR(tc_abstain_string(TC_ABSTAIN_LOW_PROBABILITY), "low-probability");
    CHECK(tc_abstain_string((tc_abstain)4) == NULL);
    CHECK(tc_abstain_string((tc_abstain)-1) == NULL);
}

/* The rule saved (both weights forms) and loaded again is the same, its numbers exact and
 * written shortest; a model without one is written without the key. */
static void test_save(void)
{
    static const char *const rules[] = {
        "{\"label\": \"und\", \"min_probability\": 0.1, \"max_unknown\": 0.30000000000000004, "
        "\"letterless\": false}",
        "{\"label\": \"\\u00e9 \\\"q\\\"\", \"min_probability\": 1, \"max_unknown\": 0}",
        "{\"label\": \"und\", \"min_probability\": 4.9406564584124654e-324}",
        "{\"label\": \"und\", \"withheld\": [\"zh\", \"en\"]}",
        "{\"label\": \"und\", \"withheld\": []}",
        NULL};
    static const char *const written[] = {
        "\"abstain\": {\"label\": \"und\", \"min_probability\": 0.1, \"max_unknown\": "
        "0.30000000000000004, \"letterless\": false},\n\"tokenizer\"",
        "\"abstain\": {\"label\": \"\xC3\xA9 \\\"q\\\"\", \"min_probability\": 1, "
        "\"max_unknown\": 0, \"letterless\": true}",
        "\"min_probability\": 5e-324, \"max_unknown\": 1, \"letterless\": true}",
        "\"letterless\": true, \"withheld\": [\"en\", \"zh\"]},\n\"tokenizer\"",   /* label order */
        "\"letterless\": true},\n\"tokenizer\"",   /* an empty list: as without one */
        NULL};
    char path[] = "/tmp/textclf-abstain-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    for (int i = 0; i < (int)(sizeof written / sizeof *written); i++)
        for (int inl = 0; inl < 2; inl++) {
            tc_model *a = NULL, *b = NULL;
            tc_error err;
            CHECK(load_rule(rules[i], &a, &err) == TC_OK);
            CHECK(a && tc_model_save(a, path, NULL, inl ? TC_SAVE_INLINE_WEIGHTS : 0, NULL, 0,
                                     &err) == TC_OK);
            size_t len;
            char *text = test_read_file(path, &len);
            int as_written = text && (written[i] ? strstr(text, written[i]) != NULL
                                                 : strstr(text, "\"abstain\":") == NULL);
            CHECK(as_written);
            if (!as_written && text) printf("  saved: %.400s\n", text);
            free(text);
            CHECK(tc_model_load(path, &b, &err) == TC_OK);
            tc_model_info ia, ib;
            tc_model_get_info(a, &ia);
            tc_model_get_info(b, &ib);
            CHECK((ia.abstain_label == NULL) == (ib.abstain_label == NULL));
            if (ia.abstain_label && ib.abstain_label) CHECK_STR(ia.abstain_label, ib.abstain_label);
            CHECK(ia.abstain_min_probability == ib.abstain_min_probability &&
                  ia.abstain_max_unknown == ib.abstain_max_unknown &&
                  ia.abstain_letterless == ib.abstain_letterless);
            for (int c = 0; c < 3; c++)
                CHECK(tc_model_label_withheld(a, c) == tc_model_label_withheld(b, c));
            if (ib.weights_file) {   /* the safetensors file, next to the model */
                char w[1100];
                snprintf(w, sizeof w, "/tmp/%s", ib.weights_file);
                unlink(w);
            }
            tc_model_free(a);
            tc_model_free(b);
        }
    unlink(path);
}

/* ---- withheld labels ------------------------------------------------------------------- */

/* The rule's "withheld" list: which labels it marks (tc_model_label_withheld), what it refuses. */
static void test_withheld_load(void)
{
    static const char *const none[] = {NULL, "{\"label\": \"und\"}",
                                        "{\"label\": \"und\", \"withheld\": []}"};
    tc_model *m = NULL;
    tc_error err;
    CHECK(load_rule("{\"label\": \"und\", \"withheld\": [\"zh\", \"en\"]}", &m, &err) == TC_OK);
    CHECK(tc_model_label_withheld(m, 0) == 1 && tc_model_label_withheld(m, 1) == 0 &&
          tc_model_label_withheld(m, 2) == 1);
    CHECK(tc_model_label_withheld(m, -1) == 0 && tc_model_label_withheld(m, 3) == 0);
    tc_model_free(m);
    for (int i = 0; i < 3; i++) {
        CHECK(load_rule(none[i], &m, &err) == TC_OK);
        for (int c = 0; c < 3; c++) CHECK(tc_model_label_withheld(m, c) == 0);
        tc_model_free(m);
    }
    CHECK(refused("{\"label\": \"und\", \"withheld\": \"en\"}",
                  "m.json: $.abstain.withheld: expected an array of labels, got a string"));
    CHECK(refused("{\"label\": \"und\", \"withheld\": [\"en\", null]}",
                  "m.json: $.abstain.withheld[1]: expected a string, got null"));
    CHECK(refused("{\"label\": \"und\", \"withheld\": [\"en\", \"EN\"]}",
                  "m.json: $.abstain.withheld[1]: \"EN\" is not one of the model's labels: only "
                  "labels of the model ($.labels) can be withheld"));
    CHECK(refused("{\"label\": \"und\", \"withheld\": [\"und\"]}",
                  "m.json: $.abstain.withheld[0]: \"und\" is the label for abstaining: only "
                  "labels of the model ($.labels) can be withheld"));
    CHECK(refused("{\"label\": \"und\", \"withheld\": [\"fr\", \"en\", \"fr\"]}",
                  "m.json: $.abstain.withheld[2]: duplicate label \"fr\" (also "
                  "$.abstain.withheld[0])"));
    CHECK(refused("{\"label\": \"und\", \"withheld\": [\"fr\", \"en\", \"zh\"]}",
                  "m.json: $.abstain.withheld: all 3 labels of the model are withheld: at least "
                  "one must be left to answer"));
}

/* 1 if order[0..n) is want[0..n) (want ends with -1). */
static int ranked(const int *order, int n, const int *want)
{
    int i = 0;
    while (i < n && want[i] >= 0 && order[i] == want[i]) i++;
    return i == n && want[i] < 0;
}

/* tc_rank_answers and tc_answer on given probabilities, en withheld: the answer is the most
 * probable label that is not, and min_probability (0.4f exactly) is checked against its
 * probability, not the top one's. */
static void test_withheld_answer(void)
{
    char rule[160];
    snprintf(rule, sizeof rule, "{\"label\": \"und\", \"min_probability\": %.17g, "
             "\"max_unknown\": 0.5, \"withheld\": [\"en\"]}", (double)0.4f);
    tc_model *m = NULL, *plain = NULL;
    tc_error err;
    CHECK(load_rule(rule, &m, &err) == TC_OK && load_rule(NULL, &plain, &err) == TC_OK);
    if (!m || !plain) {
        tc_model_free(m);
        tc_model_free(plain);
        return;
    }
    const tc_doc_info words = {.letter_words = 2}, letterless = {0},
                      unknown = {.letter_words = 2, .unknown_words = 2};
    static const float top_en[3] = {0.5f, 0.3f, 0.2f}, fr_at_min[3] = {0.5f, 0.4f, 0.1f},
                       tie_en[3] = {0.4f, 0.4f, 0.2f}, tie_rest[3] = {0.4f, 0.3f, 0.3f};
    int order[3];
    CHECK(ranked(order, tc_rank_answers(m, 0, top_en, 3, order), (const int[]){1, 2, -1}));
    CHECK(ranked(order, tc_rank_answers(m, 0, top_en, 1, order), (const int[]){1, -1}));
    CHECK(ranked(order, tc_rank_answers(m, TC_NO_ABSTAIN, top_en, 5, order),
                 (const int[]){0, 1, 2, -1}));
    CHECK(ranked(order, tc_rank_answers(plain, 0, top_en, 3, order), (const int[]){0, 1, 2, -1}));
    CHECK(ranked(order, tc_rank_answers(m, 0, tie_en, 3, order), (const int[]){1, 2, -1}));
    CHECK(ranked(order, tc_rank_answers(m, 0, tie_rest, 3, order), (const int[]){1, 2, -1}));
    /* the answer: fr's 0.3 is below 0.4 though en's 0.5 is not; 0.4 itself is not below */
    CHECK(tc_answer(m, 0, top_en, &words) == -1);
    CHECK(tc_answer(m, 0, fr_at_min, &words) == 1);
    CHECK(tc_answer(m, 0, tie_en, &words) == 1);       /* equal to en's: still fr */
    CHECK(tc_answer(m, 0, tie_rest, &words) == -1);    /* fr, 0.3 */
    CHECK(tc_answer(m, 0, fr_at_min, &letterless) == -1);
    CHECK(tc_answer(m, 0, fr_at_min, &unknown) == -1);
    /* the rule off: the most probable label, withheld or not, whatever the document */
    CHECK(tc_answer(m, TC_NO_ABSTAIN, top_en, &words) == 0);
    CHECK(tc_answer(m, TC_NO_ABSTAIN | TC_STRICT_UTF8, tie_en, &letterless) == 0);
    CHECK(tc_answer(plain, 0, top_en, &letterless) == 0);
    /* info->abstain is not read: the rule is applied anew */
    tc_doc_info stale = words;
    stale.abstain = TC_ABSTAIN_NO_LETTERS;
    CHECK(tc_answer(m, 0, fr_at_min, &stale) == 1);
    tc_model_free(m);
    tc_model_free(plain);
}

/* On real documents: tc_answer agrees with tc_classify's verdict, answers tc_rank_answers'
 * first label (never a withheld one while the rule is on), and tc_explain explains that label
 * and gives the same verdict. "hello monde" is en 0.79, fr 0.21, zh 0.001 (tests/golden's
 * und-tsv): with en withheld and min_probability 0.3 the model abstains on it (fr is below),
 * with 0.2 it answers fr. */
static void test_withheld_documents(void)
{
    static const char *const rules[] = {
        "{\"label\": \"und\", \"min_probability\": 0.3, \"max_unknown\": 0.5, "
        "\"withheld\": [\"en\"]}",
        "{\"label\": \"und\", \"min_probability\": 0.2, \"withheld\": [\"en\"]}",
        "{\"label\": \"und\", \"min_probability\": 0.9, \"withheld\": [\"zh\", \"fr\"]}",
        "{\"label\": \"und\", \"min_probability\": 0.9}", NULL};
    static const char *const texts[] = {"hello world", "12345 !!", "le chat", "hello monde",
                                        "the cat and le chien", ""};
    /* want[rule][text]: the answer with flags 0 (-1: abstains) */
    static const int want[5][6] = {{-1, -1, 1, -1, -1, -1}, {-1, -1, 1, 1, -1, -1},
                                   {0, -1, -1, -1, 0, -1}, {0, -1, 1, -1, 0, -1},
                                   {0, 0, 1, 0, 0, 0}};
    for (int r = 0; r < 5; r++) {
        tc_model *m = NULL;
        tc_session *s = NULL;
        tc_error err;
        CHECK(load_rule(rules[r], &m, &err) == TC_OK && tc_session_init(m, &s, &err) == TC_OK);
        for (int t = 0; s && t < 6; t++)
            for (int flags = 0; flags <= TC_NO_ABSTAIN; flags += TC_NO_ABSTAIN) {
                float probs[3];
                tc_doc_info info;
                tc_explanation ex;
                int order[3];
                size_t n = strlen(texts[t]);
                CHECK(tc_classify(s, texts[t], n, flags, probs, &info, &err) == TC_OK);
                int a = tc_answer(m, flags, probs, &info);
                tc_rank_answers(m, flags, probs, 3, order);
                CHECK((a == -1) == (info.abstain != TC_ABSTAIN_NONE));
                CHECK(a == -1 || a == order[0]);
                CHECK(a == -1 || flags || !tc_model_label_withheld(m, a));
                if (!flags && a != want[r][t])
                    printf("  rule %d, \"%s\": answer %d, expected %d\n", r, texts[t], a,
                           want[r][t]);
                CHECK(flags || a == want[r][t]);
                CHECK(tc_explain(s, texts[t], n, flags, &ex, &err) == TC_OK);
                CHECK(ex.top == order[0] && ex.info.abstain == info.abstain);
            }
        tc_session_free(s);
        tc_model_free(m);
    }
}

void test_abstain(void)
{
    tiny = test_read_file("tests/models/tiny.json", &tiny_len);
    CHECK(tiny != NULL);
    if (!tiny) return;
    test_load();
    test_counts();
    test_unk_piece();
    test_verdict();
    test_strings();
    test_save();
    test_withheld_load();
    test_withheld_answer();
    test_withheld_documents();
    free(tiny);
    tiny = NULL;
}
