/*
 * Inline tensor data read straight from the JSON text (src/inline_data.c) against the cJSON path
 * it stands in for. A key written "d\u0061ta" is "data" to cJSON but not to the scanner, so one
 * model written with both spellings goes through both paths: the weights must be the same, bit
 * for bit, and a damaged array must fail with the same message. Then the positions cJSON reports
 * after a blanked array must not move. Runs from the repository root (tests/run.sh does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train_grads.h"
#include "inline_data.h"
#include "model.h"
#include "test.h"

void test_inline_data(void);

/* s with every `from` replaced by `to` (malloc'd). */
static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = s; (p = strstr(p, from)); p += fl) n++;
    char *out = malloc(strlen(s) + n * (tl > fl ? tl - fl : 0) + 1), *o = out;
    if (!out) return NULL;
    for (const char *p = s, *q; ; p = q + fl) {
        q = strstr(p, from);
        size_t k = q ? (size_t)(q - p) : strlen(p);
        memcpy(o, p, k);
        o += k;
        if (!q) break;
        memcpy(o, to, tl);
        o += tl;
    }
    *o = '\0';
    return out;
}

/* tiny.json's text with the "data" value of tensor `name` replaced by `data` (malloc'd). In
 * tiny.json each tensor is on one line that ends with "}" or "},". */
static char *with_data(const char *text, const char *name, const char *data)
{
    char key[64];
    snprintf(key, sizeof key, "\"%s\": {", name);
    const char *t = strstr(text, key), *d = t ? strstr(t, "\"data\": ") : NULL;
    const char *eol = d ? strchr(d, '\n') : NULL;
    if (!eol) return NULL;
    const char *end = eol[-1] == ',' ? eol - 2 : eol - 1;   /* the entry's closing "}" */
    d += strlen("\"data\": ");
    size_t pre = (size_t)(d - text), dl = strlen(data);
    char *out = malloc(strlen(text) + dl + 1);
    if (!out) return NULL;
    memcpy(out, text, pre);
    memcpy(out + pre, data, dl);
    strcpy(out + pre + dl, end);
    return out;
}

/* How many "data" arrays the scanner reads from json. */
static int lifted(const char *json)
{
    size_t n = strlen(json);
    char *copy = malloc(n + 1);
    if (!copy) return -1;
    memcpy(copy, json, n + 1);
    tc_inline_set set;
    tc_error err;
    int r = tc_inline_lift(copy, n, "m.json", &set, &err) == TC_OK ? set.n : -1;
    tc_inline_free(&set);
    free(copy);
    return r;
}

/* Loads json; msg gets the error as one line ("" on success). */
static tc_model *load(const char *json, char *msg, size_t size)
{
    tc_model *m = NULL;
    tc_error err;
    msg[0] = '\0';
    if (tc_model_load_memory("m.json", json, strlen(json), NULL, 0, NULL, 0, &m, &err) != TC_OK)
        tc_error_format(&err, msg, size);
    return m;
}

/* 1 if both models hold the same weights, bit for bit. */
static int same_weights(const tc_model *a, const tc_model *b)
{
    size_t na[TC_NUM_TENSORS], nb[TC_NUM_TENSORS];
    tc_model_tensor_sizes(a, na);
    tc_model_tensor_sizes(b, nb);
    for (int i = 0; i < TC_NUM_TENSORS; i++)
        if (na[i] != nb[i] || (na[i] && memcmp(a->w[i], b->w[i], na[i] * sizeof(float)) != 0))
            return 0;   /* (an absent tensor, ngram.weight, has n 0 and no pointer) */
    return 1;
}

/* Loads json through both paths and checks that they agree: the same weights, or the same
 * message. want_lifted: how many arrays the scanner must read from json. */
static void both_paths(const char *json, int want_lifted, const char *want_msg)
{
    char *cj = replace_all(json, "\"data\":", "\"d\\u0061ta\":");
    CHECK(cj != NULL);
    if (!cj) return;
    CHECK(lifted(json) == want_lifted);
    CHECK(lifted(cj) == 0);
    char ma[1024], mb[1024];
    tc_model *a = load(json, ma, sizeof ma), *b = load(cj, mb, sizeof mb);
    CHECK_STR(ma, mb);
    CHECK_STR(ma, want_msg);
    CHECK(!a == !b);
    if (a && b) CHECK(same_weights(a, b));
    tc_model_free(a);
    tc_model_free(b);
    free(cj);
}

void test_inline_data(void)
{
    size_t len;
    char *tiny = test_read_file("tests/models/tiny.json", &len);
    CHECK(tiny != NULL);
    if (!tiny) return;
    both_paths(tiny, 10, "");

    /* a vector (classifier.bias, [3]) and a matrix (classifier.weight, [3, 6]) written every
     * way the loader reads, and damaged every way the scanner still reads */
    static const struct {
        const char *tensor, *data;
        int lifted;                   /* arrays the scanner reads, of 10 */
        const char *msg;
    } cases[] = {
        {"classifier.bias", "[0.6, -0.2]", 10,
         "m.json: $.tensors[\"classifier.bias\"].data: has 2 numbers, shape needs 3"},
        {"classifier.bias", "[0.6, -0.2, -0.4, 0.1]", 10,
         "m.json: $.tensors[\"classifier.bias\"].data: has 4 numbers, shape needs 3"},
        {"classifier.bias", "[]", 10,
         "m.json: $.tensors[\"classifier.bias\"].data: has 0 numbers, shape needs 3"},
        {"classifier.bias", "[[0.6, -0.2, -0.4]]", 10,
         "m.json: $.tensors[\"classifier.bias\"].data: has 1 entries, shape needs 3"},
        {"classifier.bias", "[[0.6], [-0.2], [-0.4]]", 10,
         "m.json: $.tensors[\"classifier.bias\"].data[0]: expected a number, got an array"},
        {"classifier.bias", "[[], [], []]", 10,
         "m.json: $.tensors[\"classifier.bias\"].data[0]: expected a number, got an array"},
        {"classifier.bias", "[-0, 1E+2, 0.5e-3]", 10, ""},
        {"classifier.bias", "[0.60000002384185791015625, -0.1999999999999999999999, "
                            "1.40129846e-45]", 10, ""},   /* long, rounding, subnormal */
        {"classifier.bias", "[ 0.6 ,\n -0.2\t,\r\n-0.4 ]", 10, ""},
        /* not read by the scanner: left to cJSON, whose messages print what they found */
        {"classifier.bias", "[0.6, \"x\", -0.4]", 9,
         "m.json: $.tensors[\"classifier.bias\"].data[1]: expected a number, got a string"},
        {"classifier.bias", "[0.6, [1], -0.4]", 9,
         "m.json: $.tensors[\"classifier.bias\"].data[1]: expected a number, got an array"},
        {"classifier.bias", "[[0.6], 1, -0.4]", 9,
         "m.json: $.tensors[\"classifier.bias\"].data[0]: expected a number, got an array"},
        {"classifier.bias", "[1e39, 0, 0]", 9,
         "m.json: $.tensors[\"classifier.bias\"].data[0]: value 1e+39 is out of float32 range"},
        {"classifier.bias", "[0.6, null, -0.4]", 9,
         "m.json: $.tensors[\"classifier.bias\"].data[1]: expected a number, got null"},
        /* numbers cJSON reads though JSON does not allow them: the scan stops there */
        {"classifier.bias", "[01, 2, 3]", 9, ""},
        {"classifier.weight", "[[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5]]", 10,
         "m.json: $.tensors[\"classifier.weight\"].data[2]: has 5 entries, shape needs 6"},
        {"classifier.weight", "[[1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]]", 10,
         "m.json: $.tensors[\"classifier.weight\"].data[0]: has 5 entries, shape needs 6"},
        {"classifier.weight", "[[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7], [1, 2]]", 10,
         "m.json: $.tensors[\"classifier.weight\"].data[1]: has 7 entries, shape needs 6"},
        {"classifier.weight", "[[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]]", 10,
         "m.json: $.tensors[\"classifier.weight\"].data: has 2 entries, shape needs 3"},
        {"classifier.weight", "[[1, 2, 3, 4, 5, 6], [], [1, 2, 3, 4, 5, 6], []]", 10,
         "m.json: $.tensors[\"classifier.weight\"].data: has 4 entries, shape needs 3"},
        {"classifier.weight", "[1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]", 10, ""},
        {"classifier.weight", "[1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5]", 10,
         "m.json: $.tensors[\"classifier.weight\"].data: has 17 numbers, shape needs 18"},
        {"classifier.weight", "[[[1, 2, 3, 4, 5, 6]], [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]]", 9,
         "m.json: $.tensors[\"classifier.weight\"].data[0]: has 1 entries, shape needs 6"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *json = with_data(tiny, cases[i].tensor, cases[i].data);
        CHECK(json != NULL);
        if (!json) continue;
        int before = test_failed;
        both_paths(json, cases[i].lifted, cases[i].msg);
        if (test_failed != before) printf("    (case %zu: %s)\n", i, cases[i].data);
        free(json);
    }

    /* a blanked array keeps its line breaks: an error after it is reported where it is */
    char *json = with_data(tiny, "classifier.bias", "[0.6,\n   -0.2,\n   -0.4] x");
    CHECK(json != NULL);
    if (json) {
        const char *x = strstr(json, "] x") + 2;
        int line = 1, col = 1;
        for (const char *p = json; p < x; p++) {
            if (*p == '\n') line++, col = 1;
            else col++;
        }
        char want[128], msg[1024];
        snprintf(want, sizeof want, "m.json:%d:%d: invalid JSON near 'x}'", line, col);
        CHECK(lifted(json) == 10);   /* every array before the error, this one included */
        tc_model *m = load(json, msg, sizeof msg);
        CHECK(m == NULL);
        CHECK_STR(msg, want);
        tc_model_free(m);
        size_t n = strlen(json), lines = 0, after = 0;
        char *copy = malloc(n + 1);
        CHECK(copy != NULL);
        if (copy) {
            memcpy(copy, json, n + 1);
            tc_inline_set set;
            tc_error err;
            CHECK(tc_inline_lift(copy, n, "m.json", &set, &err) == TC_OK);
            for (size_t i = 0; i < n; i++) lines += json[i] == '\n', after += copy[i] == '\n';
            CHECK(lines == after && strlen(copy) == n);
            CHECK(strstr(copy, "\"data\": 0 ") != NULL && strstr(copy, "-0.4") == NULL);
            tc_inline_free(&set);
            free(copy);
        }
        free(json);
    }
    free(tiny);
}
