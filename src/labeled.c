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

/* Checks the label and text of an otherwise parsed line. The label must pass the model
 * format's rule (label.h): a label it refuses would make a model that cannot be loaded. */
static tc_line_status finish(tc_labeled_line *out)
{
    if (!tc_utf8_valid(out->label, out->label_len) || !tc_utf8_valid(out->text, out->text_len))
        return TC_LINE_BAD_UTF8;
    switch (tc_label_check(out->label, out->label_len, NULL, NULL)) {
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
    if (blank(out->text, out->text_len)) return TC_LINE_NO_TEXT;
    return TC_LINE_OK;
}

static tc_line_status parse_tsv(const char *line, size_t len, tc_labeled_line *out)
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
    out->text = tab + 1;
    out->text_len = len - (size_t)(out->text - line);   /* not from label_len: it was trimmed */
    return finish(out);
}

static tc_line_status parse_fasttext(const char *prefix, const char *line, size_t len,
                                     tc_buf *scratch, tc_labeled_line *out, int *oom)
{
    size_t plen = strlen(prefix);
    const char *label = NULL;
    size_t label_len = 0;
    int multi = 0;
    tc_buf_reset(scratch);
    for (size_t i = 0; i < len;) {
        while (i < len && is_sep(line[i])) i++;
        size_t start = i;
        while (i < len && !is_sep(line[i])) i++;
        if (i == start) break;
        const char *tok = line + start;
        size_t tl = i - start;
        if (tl > plen && memcmp(tok, prefix, plen) == 0) {
            if (label && (label_len != tl - plen || memcmp(label, tok + plen, label_len) != 0))
                multi = 1;
            label = tok + plen;
            label_len = tl - plen;
            continue;
        }
        /* text words are kept with one space between them */
        if ((scratch->len && tc_buf_append(scratch, " ", 1) != 0) ||
            tc_buf_append(scratch, tok, tl) != 0) {
            *oom = 1;
            return TC_LINE_BLANK;
        }
    }
    if (!label) return TC_LINE_NO_LABEL;
    if (multi) return TC_LINE_MULTI_LABEL;
    out->label = label;
    out->label_len = label_len;
    out->text = scratch->len ? scratch->data : "";
    out->text_len = scratch->len;
    return finish(out);
}

tc_line_status tc_parse_labeled(tc_data_format fmt, const char *prefix, const char *line,
                                size_t len, tc_buf *scratch, tc_labeled_line *out, int *oom)
{
    *oom = 0;
    if (len && line[len - 1] == '\r') len--;
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {   /* a byte-order mark */
        line += 3;
        len -= 3;
    }
    if (blank(line, len)) return TC_LINE_BLANK;
    if (fmt == TC_FORMAT_TSV) return parse_tsv(line, len, out);
    return parse_fasttext(prefix, line, len, scratch, out, oom);
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
