/*
 * labeled.c - fastText and TSV labelled lines.
 */
#include "labeled.h"

#include <string.h>

#include "label.h"
#include "utf8.h"

const char *tc_line_status_name(tc_line_status s)
{
    switch (s) {
    case TC_LINE_OK: return "ok";
    case TC_LINE_BLANK: return "blank";
    case TC_LINE_NO_LABEL: return "no label";
    case TC_LINE_MULTI_LABEL: return "several labels";
    case TC_LINE_NO_TEXT: return "no text";
    case TC_LINE_BAD_UTF8: return "invalid UTF-8";
    case TC_LINE_BAD_LABEL: return "label with a control character";
    case TC_LINE_INVISIBLE_LABEL: return "label with an invisible character";
    case TC_LINE_SPACED_LABEL: return "label starting or ending with a space";
    default: return "?";
    }
}

static int is_sep(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) if (!is_sep(s[i])) return 0;
    return 1;
}

int tc_labeled_next(const tc_labeled_line *l, size_t *pos, const char **label, size_t *len)
{
    if (l->n_labels == 0 || *pos > l->label_len) return 0;
    const char *s = l->label + *pos;
    const char *e = l->n_labels > 1 ? memchr(s, TC_LABEL_LIST_SEP, l->label_len - *pos) : NULL;
    *label = s;
    *len = e ? (size_t)(e - s) : l->label_len - *pos;
    *pos += *len + 1;   /* past the separator; past the end after the last */
    return 1;
}

/* The status of one label: the model format's rule (label.h), a label it refuses would make a
 * model that cannot be loaded. */
static tc_line_status check_one(const char *label, size_t len)
{
    if (!tc_utf8_valid(label, len)) return TC_LINE_BAD_UTF8;
    switch (tc_label_check(label, len, NULL, NULL)) {
    case TC_LABEL_OK: break;
    case TC_LABEL_CONTROL: return TC_LINE_BAD_LABEL;
    case TC_LABEL_BIDI:
    case TC_LABEL_INVISIBLE:
    case TC_LABEL_SEPARATOR: return TC_LINE_INVISIBLE_LABEL;
    case TC_LABEL_LEADING_SPACE:
    case TC_LABEL_TRAILING_SPACE: return TC_LINE_SPACED_LABEL;
    case TC_LABEL_EMPTY: return TC_LINE_NO_LABEL;   /* not reached: parsers give no empty label */
    case TC_LABEL_BAD_UTF8: return TC_LINE_BAD_UTF8;   /* not reached: checked above */
    }
    return TC_LINE_OK;
}

/* Checks the labels and text of an otherwise parsed line. */
static tc_line_status finish(tc_labeled_line *out)
{
    if (!tc_utf8_valid(out->text, out->text_len)) return TC_LINE_BAD_UTF8;
    size_t pos = 0, len;
    const char *label;
    while (tc_labeled_next(out, &pos, &label, &len)) {
        tc_line_status s = check_one(label, len);
        if (s != TC_LINE_OK) return s;
    }
    if (blank(out->text, out->text_len)) return TC_LINE_NO_TEXT;
    return TC_LINE_OK;
}

/* Appends label s[0..n) to the list of *count labels that starts at b->data[list] and runs to
 * the end of b (separated by TC_LABEL_LIST_SEP), unless it is in it already. 0, or -1 when out
 * of memory. */
static int list_add(tc_buf *b, size_t list, int *count, const char *s, size_t n)
{
    for (size_t i = list; i < b->len;) {   /* a label given twice counts once */
        const char *e = memchr(b->data + i, TC_LABEL_LIST_SEP, b->len - i);
        size_t l = e ? (size_t)(e - (b->data + i)) : b->len - i;
        if (l == n && memcmp(b->data + i, s, n) == 0) return 0;
        i += l + 1;
    }
    char sep = TC_LABEL_LIST_SEP;
    if ((*count && tc_buf_append(b, &sep, 1) != 0) || tc_buf_append(b, s, n) != 0) return -1;
    ++*count;
    return 0;
}

/* The labels of a multi-label TSV line's first field l[0..e - l): split at TC_TSV_LABEL_SEP and
 * trimmed, listed in scratch, out->label and n_labels set. */
static tc_line_status tsv_labels(const char *l, const char *e, tc_buf *scratch,
                                 tc_labeled_line *out, int *oom)
{
    tc_buf_reset(scratch);
    int count = 0;
    for (const char *p = l; p <= e;) {
        const char *q = memchr(p, TC_TSV_LABEL_SEP, (size_t)(e - p));
        if (!q) q = e;
        const char *a = p, *b = q;
        while (a < b && *a == ' ') a++;
        while (b > a && b[-1] == ' ') b--;
        if (a == b) return TC_LINE_NO_LABEL;   /* "a,,b", ",a", "a," */
        if (list_add(scratch, 0, &count, a, (size_t)(b - a)) != 0) {
            *oom = 1;
            return TC_LINE_BLANK;
        }
        p = q + 1;
    }
    out->label = scratch->data;
    out->label_len = scratch->len;
    out->n_labels = count;
    return TC_LINE_OK;
}

static tc_line_status parse_tsv(int multi, const char *line, size_t len, tc_buf *scratch,
                                tc_labeled_line *out, int *oom)
{
    const char *tab = memchr(line, '\t', len);
    if (!tab) return TC_LINE_NO_LABEL;
    /* "en <TAB>" means "en": spaces around a label are never part of it */
    const char *l = line, *e = tab;
    while (l < e && *l == ' ') l++;
    while (e > l && e[-1] == ' ') e--;
    if (l == e) return TC_LINE_NO_LABEL;
    out->label = l;
    out->label_len = (size_t)(e - l);
    out->n_labels = 1;
    if (multi) {
        tc_line_status s = tsv_labels(l, e, scratch, out, oom);
        if (s != TC_LINE_OK) return s;
    }
    out->text = tab + 1;
    out->text_len = len - (size_t)(out->text - line);   /* not from label_len: it was trimmed */
    return finish(out);
}

/* Splits line[0..len) into its tokens; each label token's label (without prefix) goes to
 * on_label(ctx, ...), the other tokens into scratch, one space between them (scratch NULL: they
 * are dropped). 0, or -1 when out of memory (on_label's -1 too). */
static int split_fasttext(const char *prefix, const char *line, size_t len, tc_buf *scratch,
                          int (*on_label)(void *ctx, const char *s, size_t n), void *ctx)
{
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < len;) {
        while (i < len && is_sep(line[i])) i++;
        size_t start = i;
        while (i < len && !is_sep(line[i])) i++;
        if (i == start) break;
        const char *tok = line + start;
        size_t tl = i - start;
        if (tl > plen && memcmp(tok, prefix, plen) == 0) {
            if (on_label(ctx, tok + plen, tl - plen) != 0) return -1;
            continue;
        }
        /* text words are kept with one space between them */
        if (scratch && ((scratch->len && tc_buf_append(scratch, " ", 1) != 0) ||
                        tc_buf_append(scratch, tok, tl) != 0))
            return -1;
    }
    return 0;
}

/* split_fasttext's labels of a single-label line: the first, and whether another differs */
typedef struct {
    const char *label;
    size_t len;
    int several;
} one_label;

static int first_label(void *ctx, const char *s, size_t n)
{
    one_label *o = ctx;
    if (o->label && (o->len != n || memcmp(o->label, s, n) != 0)) o->several = 1;
    o->label = s;
    o->len = n;
    return 0;
}

/* split_fasttext's labels of a multi-label line, listed (list_add) after the text in scratch */
typedef struct {
    tc_buf *scratch;
    size_t list;      /* where the list starts */
    int count;
} label_list;

static int list_label(void *ctx, const char *s, size_t n)
{
    label_list *l = ctx;
    return list_add(l->scratch, l->list, &l->count, s, n);
}

/* split_fasttext's on_label for a pass that only wants the text */
static int skip_label(void *ctx, const char *s, size_t n)
{
    (void)ctx, (void)s, (void)n;
    return 0;
}

static tc_line_status parse_fasttext(const char *prefix, int multi, const char *line,
                                     size_t len, tc_buf *scratch, tc_labeled_line *out, int *oom)
{
    tc_buf_reset(scratch);
    if (!multi) {
        one_label o = {0};
        if (split_fasttext(prefix, line, len, scratch, first_label, &o) != 0) {
            *oom = 1;
            return TC_LINE_BLANK;
        }
        if (!o.label) return TC_LINE_NO_LABEL;
        if (o.several) return TC_LINE_MULTI_LABEL;
        out->label = o.label;
        out->label_len = o.len;
        out->n_labels = 1;
        out->text = scratch->len ? scratch->data : "";
        out->text_len = scratch->len;
        return finish(out);
    }
    /* two passes over the line: the text into scratch, then the labels listed after it */
    size_t text_len = 0;
    label_list ll = {scratch, 0, 0};
    int bad = split_fasttext(prefix, line, len, scratch, skip_label, NULL) != 0;
    if (!bad) {
        text_len = scratch->len;
        ll.list = text_len + 1;
        bad = tc_buf_append(scratch, "", 1) != 0 ||   /* the text ends; the labels follow */
              split_fasttext(prefix, line, len, NULL, list_label, &ll) != 0;
    }
    if (bad) {
        *oom = 1;
        return TC_LINE_BLANK;
    }
    int count = ll.count;
    if (!count) return TC_LINE_NO_LABEL;
    out->text = scratch->data;
    out->text_len = text_len;
    out->label = scratch->data + text_len + 1;
    out->label_len = scratch->len - text_len - 1;
    out->n_labels = count;
    return finish(out);
}

tc_line_status tc_parse_labeled(tc_data_format fmt, const char *prefix, int multi,
                                const char *line, size_t len, tc_buf *scratch,
                                tc_labeled_line *out, int *oom)
{
    *oom = 0;
    if (len && line[len - 1] == '\r') len--;
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {   /* a byte-order mark */
        line += 3;
        len -= 3;
    }
    if (blank(line, len)) return TC_LINE_BLANK;
    if (fmt == TC_FORMAT_TSV) return parse_tsv(multi, line, len, scratch, out, oom);
    return parse_fasttext(prefix, multi, line, len, scratch, out, oom);
}

tc_data_format tc_detect_format(const char *const *lines, const size_t *lens, size_t n,
                                const char *prefix)
{
    size_t plen = strlen(prefix), nonblank = 0, ft = 0, tsv = 0;
    for (size_t k = 0; k < n; k++) {
        const char *s = lines[k];
        size_t len = lens[k];
        if (blank(s, len)) continue;
        nonblank++;
        int found = 0;
        for (size_t i = 0; i + plen < len && !found; i++)
            found = (i == 0 || is_sep(s[i - 1])) && memcmp(s + i, prefix, plen) == 0;
        ft += found;
        tsv += memchr(s, '\t', len) != NULL;
    }
    if (nonblank == 0) return TC_FORMAT_AUTO;
    if (ft * 2 >= nonblank) return TC_FORMAT_FASTTEXT;
    if (tsv * 2 >= nonblank) return TC_FORMAT_TSV;
    return TC_FORMAT_AUTO;
}
