/*
 * Labelled lines (src/labeled.c): TSV and fastText parsing, with the cases the fuzzer found.
 */
#include <stdlib.h>
#include <string.h>

#include "labeled.h"
#include "test.h"

void test_labeled(void);

/* Parses line as fmt (multi: several labels allowed); on TC_LINE_OK checks the label (the list
 * of labels, separated by TC_LABEL_LIST_SEP) and text against want_label, want_text, and the
 * number of labels against the list's. */
static tc_line_status parse_as(tc_data_format fmt, int multi, const char *line,
                               const char *want_label, const char *want_text)
{
    tc_buf scratch = {0};
    tc_labeled_line out;
    int oom = 0;
    /* the line is copied into a buffer of exactly its length, so a read past it is an error
     * under the sanitizers */
    size_t len = strlen(line);
    char *copy = malloc(len ? len : 1);
    memcpy(copy, line, len);
    tc_line_status st = tc_parse_labeled(fmt, "__label__", multi, copy, len, &scratch, &out,
                                         &oom);
    CHECK(!oom);
    if (st == TC_LINE_OK && want_label) {
        CHECK(out.label_len == strlen(want_label) &&
              memcmp(out.label, want_label, out.label_len) == 0);
        CHECK(out.text_len == strlen(want_text) && memcmp(out.text, want_text, out.text_len) == 0);
        int n = 1;
        for (const char *p = want_label; *p; p++) n += *p == TC_LABEL_LIST_SEP;
        CHECK(out.n_labels == n);
        size_t pos = 0, l;
        const char *label;
        int walked = 0;
        while (tc_labeled_next(&out, &pos, &label, &l)) walked++;
        CHECK(walked == n);
    }
    free(copy);
    tc_buf_free(&scratch);
    return st;
}

static tc_line_status parse(tc_data_format fmt, const char *line, const char *want_label,
                            const char *want_text)
{
    return parse_as(fmt, 0, line, want_label, want_text);
}

void test_labeled(void)
{
    CHECK(parse(TC_FORMAT_TSV, "en\thello", "en", "hello") == TC_LINE_OK);
    /* spaces around a TSV label are trimmed; the text is still everything after the tab (once
     * counted from the trimmed label's length: one byte past the line per space) */
    CHECK(parse(TC_FORMAT_TSV, " en \thello", "en", "hello") == TC_LINE_OK);
    CHECK(parse(TC_FORMAT_TSV, "o   \t", NULL, NULL) == TC_LINE_NO_TEXT);
    CHECK(parse(TC_FORMAT_TSV, "\ttext", NULL, NULL) == TC_LINE_NO_LABEL);
    CHECK(parse(TC_FORMAT_TSV, "no tab", NULL, NULL) == TC_LINE_NO_LABEL);
    CHECK(parse(TC_FORMAT_TSV, "en\thello\r", "en", "hello") == TC_LINE_OK);
    CHECK(parse(TC_FORMAT_TSV, "la\x01" "bel\ttext", NULL, NULL) == TC_LINE_BAD_LABEL);
    CHECK(parse(TC_FORMAT_TSV, "en\tbad \xff", NULL, NULL) == TC_LINE_BAD_UTF8);
    CHECK(parse(TC_FORMAT_TSV, "   ", NULL, NULL) == TC_LINE_BLANK);
    CHECK(parse(TC_FORMAT_FASTTEXT, "__label__spam buy now", "spam", "buy now") == TC_LINE_OK);
    CHECK(parse(TC_FORMAT_FASTTEXT, "buy __label__spam now", "spam", "buy now") == TC_LINE_OK);
    CHECK(parse(TC_FORMAT_FASTTEXT, "__label__a __label__b x", NULL, NULL) ==
          TC_LINE_MULTI_LABEL);
    CHECK(parse(TC_FORMAT_FASTTEXT, "__label__a", NULL, NULL) == TC_LINE_NO_TEXT);
    /* multi-label: every label token, once each, in line order; TSV's first field split at
     * commas, each label trimmed; single-label lines too */
    CHECK(parse_as(TC_FORMAT_FASTTEXT, 1, "__label__b x __label__a y __label__b", "b\na",
                   "x y") == TC_LINE_OK);
    CHECK(parse_as(TC_FORMAT_FASTTEXT, 1, "__label__a x", "a", "x") == TC_LINE_OK);
    CHECK(parse_as(TC_FORMAT_FASTTEXT, 1, "__label__a __label__b", NULL, NULL) ==
          TC_LINE_NO_TEXT);
    CHECK(parse_as(TC_FORMAT_FASTTEXT, 1, "x y", NULL, NULL) == TC_LINE_NO_LABEL);
    CHECK(parse_as(TC_FORMAT_FASTTEXT, 1, "__label__a __label__b\xC2\x85 x", NULL, NULL) ==
          TC_LINE_BAD_LABEL);
    CHECK(parse_as(TC_FORMAT_TSV, 1, "b, a ,b\tx y", "b\na", "x y") == TC_LINE_OK);
    CHECK(parse_as(TC_FORMAT_TSV, 1, "a\tx", "a", "x") == TC_LINE_OK);
    CHECK(parse_as(TC_FORMAT_TSV, 1, "a,,b\tx", NULL, NULL) == TC_LINE_NO_LABEL);
    CHECK(parse_as(TC_FORMAT_TSV, 1, "a,\tx", NULL, NULL) == TC_LINE_NO_LABEL);
    CHECK(parse_as(TC_FORMAT_TSV, 1, "a, e\xE2\x80\x8B\tx", NULL, NULL) ==
          TC_LINE_INVISIBLE_LABEL);
    /* without multi a comma is part of a TSV label */
    CHECK(parse(TC_FORMAT_TSV, "a,b\tx", "a,b", "x") == TC_LINE_OK);
    CHECK(parse(TC_FORMAT_FASTTEXT, "no label", NULL, NULL) == TC_LINE_NO_LABEL);
    /* labels the model format refuses (label.h) are skipped with their reason, in both formats:
     * C1 control, invisible and bidi characters, a line separator, spaces at a label's ends */
    CHECK(parse(TC_FORMAT_TSV, "en\xC2\x85\ttext", NULL, NULL) == TC_LINE_BAD_LABEL);
    CHECK(parse(TC_FORMAT_TSV, "en\xE2\x80\x8B\ttext", NULL, NULL) == TC_LINE_INVISIBLE_LABEL);
    CHECK(parse(TC_FORMAT_TSV, "\xE2\x80\xAE" "en\ttext", NULL, NULL) == TC_LINE_INVISIBLE_LABEL);
    CHECK(parse(TC_FORMAT_TSV, "e\xE2\x80\xA8n\ttext", NULL, NULL) == TC_LINE_INVISIBLE_LABEL);
    CHECK(parse(TC_FORMAT_TSV, "en\xC2\xA0 \ttext", NULL, NULL) == TC_LINE_SPACED_LABEL);
    CHECK(parse(TC_FORMAT_TSV, "new york\ttext", "new york", "text") == TC_LINE_OK);
    CHECK(parse(TC_FORMAT_FASTTEXT, "__label__en\xE2\x80\x8B text", NULL, NULL) ==
          TC_LINE_INVISIBLE_LABEL);
    CHECK(parse(TC_FORMAT_FASTTEXT, "__label__\xEF\xBB\xBF" "en text", NULL, NULL) ==
          TC_LINE_INVISIBLE_LABEL);
    CHECK(parse(TC_FORMAT_FASTTEXT, "__label__en\xC2\xA0 text", NULL, NULL) ==
          TC_LINE_SPACED_LABEL);
    CHECK(parse(TC_FORMAT_FASTTEXT, "__label__e\x1bn text", NULL, NULL) == TC_LINE_BAD_LABEL);
    /* a control character in the text is text (the tokenizer treats it as a separator) */
    CHECK(parse(TC_FORMAT_TSV, "en\tbad\x1b text", "en", "bad\x1b text") == TC_LINE_OK);
    for (int st = 0; st < TC_LINE_STATUS_COUNT; st++)
        CHECK(strcmp(tc_line_status_name((tc_line_status)st), "?") != 0);
}
