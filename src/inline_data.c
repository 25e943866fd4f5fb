/*
 * inline_data.c - inline tensor data read straight from the model JSON (inline_data.h).
 *
 * A scanner of JSON's grammar over the text, which descends only where it must: the top-level
 * object, its "tensors" object, each tensor entry. Every function returns 1 when it consumed a
 * well-formed value (s->pos after it) and 0 when it met anything it does not accept, which stops
 * the whole scan: what is not read here is read by cJSON.
 */
#include "inline_data.h"

#include <cJSON.h>
#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define MAX_NUMBER 63   /* cJSON reads a number from at most 63 characters */

typedef struct {
    char *t;
    size_t len;
    size_t pos;
    int depth;              /* arrays and objects open, as cJSON counts them */
    char point;             /* the locale's decimal point, which cJSON gives strtod for '.' */
    int seen_tensors;       /* the top level's first "tensors" key was met */
    tc_inline_set *set;
    int nomem;              /* an allocation failed: the scan stops, the load fails */
} scanner;

/* The kinds of object the scan descends into. */
enum { PLAIN, ROOT, TENSORS, ENTRY };

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_space(const char *t, size_t len, size_t p)
{
    while (p < len && is_space(t[p])) p++;
    return p;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The length of the number at t[p] by JSON's grammar, or 0 when there is none there or it is
 * longer than cJSON reads (the scan then stops). */
static size_t number_len(const char *t, size_t len, size_t p)
{
    size_t i = p;
    if (i < len && t[i] == '-') i++;
    if (i < len && t[i] == '0') {
        i++;
    } else if (i < len && t[i] >= '1' && t[i] <= '9') {
        while (i < len && is_digit(t[i])) i++;
    } else {
        return 0;
    }
    if (i < len && t[i] == '.') {
        size_t d = ++i;
        while (i < len && is_digit(t[i])) i++;
        if (i == d) return 0;
    }
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-')) i++;
        size_t d = i;
        while (i < len && is_digit(t[i])) i++;
        if (i == d) return 0;
    }
    return i - p <= MAX_NUMBER ? i - p : 0;
}

/* The 4 hex digits at t[p] as *u; 0 if they are not there. */
static int hex4(const char *t, size_t len, size_t p, unsigned *u)
{
    if (p > len || len - p < 4) return 0;
    *u = 0;
    for (int i = 0; i < 4; i++) {
        char c = t[p + i];
        unsigned v = is_digit(c) ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
        if (v == 16) return 0;
        *u = *u << 4 | v;
    }
    return 1;
}

/* A string at s->pos (its opening quote). Escapes are checked as cJSON checks them, \u
 * surrogates included (a low one alone, or a high one without a low one after it, fails). */
static int skip_string(scanner *s)
{
    const char *t = s->t;
    size_t i = s->pos + 1, len = s->len;
    while (i < len) {
        unsigned char c = (unsigned char)t[i];
        if (c == '"') {
            s->pos = i + 1;
            return 1;
        }
        if (c < 0x20) return 0;   /* refused by tc_json_parse anyway */
        if (c != '\\') {
            i++;
            continue;
        }
        if (i + 1 >= len) return 0;
        char e = t[i + 1];
        if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
            e == 't') {
            i += 2;
            continue;
        }
        unsigned u, v;
        if (e != 'u' || !hex4(t, len, i + 2, &u) || (u >= 0xDC00 && u <= 0xDFFF)) return 0;
        i += 6;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 1 >= len || t[i] != '\\' || t[i + 1] != 'u' || !hex4(t, len, i + 2, &v) ||
                v < 0xDC00 || v > 0xDFFF)
                return 0;
            i += 6;
        }
    }
    return 0;
}

static int skip_value(scanner *s);
static int object(scanner *s, int kind, int member);

static int array(scanner *s)
{
    if (s->depth >= CJSON_NESTING_LIMIT) return 0;
    s->depth++;
    s->pos = skip_space(s->t, s->len, s->pos + 1);
    if (s->pos < s->len && s->t[s->pos] == ']') {
        s->pos++;
        s->depth--;
        return 1;
    }
    for (;;) {
        if (!skip_value(s)) return 0;
        s->pos = skip_space(s->t, s->len, s->pos);
        if (s->pos >= s->len) return 0;
        if (s->t[s->pos] == ']') {
            s->pos++;
            s->depth--;
            return 1;
        }
        if (s->t[s->pos] != ',') return 0;
        s->pos = skip_space(s->t, s->len, s->pos + 1);
    }
}

static int skip_value(scanner *s)
{
    if (s->pos >= s->len) return 0;
    const char *t = s->t + s->pos;
    size_t left = s->len - s->pos;
    switch (*t) {
    case '{': return object(s, PLAIN, 0);
    case '[': return array(s);
    case '"': return skip_string(s);
    case 't': s->pos += 4; return left >= 4 && memcmp(t, "true", 4) == 0;
    case 'f': s->pos += 5; return left >= 5 && memcmp(t, "false", 5) == 0;
    case 'n': s->pos += 4; return left >= 4 && memcmp(t, "null", 4) == 0;
    default: {
        size_t n = number_len(s->t, s->len, s->pos);
        s->pos += n;
        return n > 0;
    }
    }
}

/* A list of numbers at t[*p] ('['): on success *p is past its ']' and *count holds how many. */
static int number_list(const char *t, size_t len, size_t *p, int64_t *count)
{
    size_t i = skip_space(t, len, *p + 1);
    int64_t n = 0;
    if (i < len && t[i] == ']') {
        *p = i + 1;
        *count = 0;
        return 1;
    }
    for (;;) {
        size_t nl = number_len(t, len, i);
        if (!nl) return 0;
        n++;
        i = skip_space(t, len, i + nl);
        if (i >= len) return 0;
        if (t[i] == ']') break;
        if (t[i] != ',') return 0;
        i = skip_space(t, len, i + 1);
    }
    *p = i + 1;
    *count = n;
    return 1;
}

/*
 * The "data" array at s->pos of member number `member` of $.tensors: when it is a flat list or a
 * list of lists of numbers, each of which rounds to a finite float32, its numbers go into the
 * set, the array is blanked and 1 is returned (s->pos past it). 0: not read here (s->pos
 * unchanged; cJSON reads it). -1: out of memory.
 */
static int lift(scanner *s, int member)
{
    const char *t = s->t;
    size_t len = s->len, p = skip_space(t, len, s->pos + 1);
    tc_inline_tensor d = {member, NULL, 0, 0, 0, 0, -1, 0};
    if (p < len && t[p] == '[') {   /* a list of lists: each must be a list of numbers */
        d.nested = 1;
        for (;;) {
            int64_t n;
            if (p >= len || t[p] != '[' || !number_list(t, len, &p, &n)) return 0;
            if (d.rows == 0) d.row_len = n;
            else if (d.odd_row < 0 && n != d.row_len) d.odd_row = d.rows, d.odd_len = n;
            d.rows++;
            d.count += n;
            p = skip_space(t, len, p);
            if (p < len && t[p] == ']') break;
            if (p >= len || t[p] != ',') return 0;
            p = skip_space(t, len, p + 1);
        }
        p++;
    } else {
        p = s->pos;
        if (!number_list(t, len, &p, &d.count)) return 0;
    }
    size_t end = p;   /* just past the array */

    d.values = malloc((size_t)(d.count ? d.count : 1) * sizeof *d.values);
    if (!d.values) {
        s->nomem = 1;
        return -1;
    }
    /* the numbers, in order: the same characters cJSON hands strtod, '.' as the locale's point */
    char buf[MAX_NUMBER + 1];
    p = s->pos;
    for (int64_t i = 0; i < d.count; i++) {
        while (t[p] != '-' && !is_digit(t[p])) p++;   /* brackets, commas, spaces */
        size_t n = number_len(t, len, p);
        for (size_t k = 0; k < n; k++) buf[k] = t[p + k] == '.' ? s->point : t[p + k];
        buf[n] = '\0';
        float f = (float)strtod(buf, NULL);
        if (!isfinite(f)) {   /* left to cJSON and its message, which prints the number */
            free(d.values);
            return 0;
        }
        d.values[i] = f;
        p += n;
    }
    tc_inline_tensor *grown = realloc(s->set->t, (size_t)(s->set->n + 1) * sizeof *grown);
    if (!grown) {
        free(d.values);
        s->nomem = 1;
        return -1;
    }
    s->set->t = grown;
    s->set->t[s->set->n++] = d;
    /* blank the array: a number for cJSON, and the line ends where they were */
    s->t[s->pos] = '0';
    for (size_t i = s->pos + 1; i < end; i++)
        if (s->t[i] != '\n') s->t[i] = ' ';
    s->pos = end;
    return 1;
}

/* 1 if the key t[0..n) (as written, escapes and all) is the string k. */
static int key_is(const char *t, size_t n, const char *k)
{
    return n == strlen(k) && memcmp(t, k, n) == 0;
}

/* An object at s->pos; kind says which (ENTRY: the entry of member number `member` of
 * $.tensors). */
static int object(scanner *s, int kind, int member)
{
    if (s->depth >= CJSON_NESTING_LIMIT) return 0;
    s->depth++;
    s->pos = skip_space(s->t, s->len, s->pos + 1);
    if (s->pos < s->len && s->t[s->pos] == '}') {
        s->pos++;
        s->depth--;
        return 1;
    }
    for (int k = 0;; k++) {
        if (s->pos >= s->len || s->t[s->pos] != '"') return 0;
        size_t key = s->pos + 1;
        if (!skip_string(s)) return 0;
        size_t key_len = s->pos - 1 - key;
        s->pos = skip_space(s->t, s->len, s->pos);
        if (s->pos >= s->len || s->t[s->pos] != ':') return 0;
        s->pos = skip_space(s->t, s->len, s->pos + 1);
        if (s->pos >= s->len) return 0;
        char c = s->t[s->pos];
        int ok;
        if (kind == ROOT && key_is(s->t + key, key_len, "tensors") && !s->seen_tensors) {
            s->seen_tensors = 1;   /* a second one is a duplicate key: refused later */
            ok = c == '{' ? object(s, TENSORS, 0) : skip_value(s);
        } else if (kind == TENSORS && c == '{') {
            ok = object(s, ENTRY, k);
        } else if (kind == ENTRY && c == '[' && key_is(s->t + key, key_len, "data")) {
            int r = lift(s, member);
            ok = r < 0 ? 0 : r ? 1 : skip_value(s);
        } else {
            ok = skip_value(s);
        }
        if (!ok) return 0;
        s->pos = skip_space(s->t, s->len, s->pos);
        if (s->pos >= s->len) return 0;
        if (s->t[s->pos] == '}') {
            s->pos++;
            s->depth--;
            return 1;
        }
        if (s->t[s->pos] != ',') return 0;
        s->pos = skip_space(s->t, s->len, s->pos + 1);
    }
}

tc_status tc_inline_lift(char *text, size_t len, const char *file, tc_inline_set *set,
                         tc_error *err)
{
    memset(set, 0, sizeof *set);
    /* the decimal point cJSON uses (localeconv's), read without localeconv's static buffer,
     * which two threads loading models at once would both write */
    const char *point = nl_langinfo(RADIXCHAR);
    scanner s = {text, len, 0, 0, point && point[0] ? point[0] : '.', 0, set, 0};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) s.pos = 3;   /* as cJSON skips it */
    s.pos = skip_space(text, len, s.pos);
    if (s.pos < len && text[s.pos] == '{') (void)object(&s, ROOT, 0);
    if (s.nomem) {
        tc_inline_free(set);
        return tc_fail_nomem(err, file);
    }
    return TC_OK;
}

tc_inline_tensor *tc_inline_find(const tc_inline_set *set, int member)
{
    for (int i = 0; i < set->n; i++)
        if (set->t[i].member == member) return &set->t[i];
    return NULL;
}

void tc_inline_free(tc_inline_set *set)
{
    for (int i = 0; i < set->n; i++) free(set->t[i].values);
    free(set->t);
    memset(set, 0, sizeof *set);
}
