/*
 * Labelled lines (src/labeled.c): TSV and fastText parsing, with the cases the fuzzer found.
 */
#include <stdlib.h>
#include <string.h>

#include "labeled.h"
#include "test.h"

void test_labeled(void);

/* Parses line as fmt; on TC_LINE_OK checks the label and text against want_label, want_text. */
static tc_line_status parse(tc_data_format fmt, const char *line, const char *want_label,
                            const char *want_text)
{
    tc_buf scratch = {0};
    tc_labeled_line out;
    int oom = 0;
    /* the line is copied into a buffer of exactly its length, so a read past it is an error
     * under the sanitizers */
    size_t len = strlen(line);
    char *copy = malloc(len ? len : 1);
    memcpy(copy, line, len);
    tc_line_status st = tc_parse_labeled(fmt, "__label__", copy, len, &scratch, &out, &oom);
    CHECK(!oom);
    if (st == TC_LINE_OK && want_label) {
        CHECK(out.label_len == strlen(want_label) &&
              memcmp(out.label, want_label, out.label_len) == 0);
        CHECK(out.text_len == strlen(want_text) && memcmp(out.text, want_text, out.text_len) == 0);
    }
    free(copy);
    tc_buf_free(&scratch);
    return st;
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
    CHECK(parse(TC_FORMAT_FASTTEXT, "no label", NULL, NULL) == TC_LINE_NO_LABEL);
}
