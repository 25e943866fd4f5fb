/*
 * fuzz/labeled.c - libFuzzer harness for the training-data reader's line parser: format
 * detection over the input's lines, then each line parsed as fastText and as TSV, with the
 * parser's promises checked (a usable line has a non-empty label and text inside the line or
 * the scratch buffer; nothing else is filled).
 *
 * Input: lines separated by "\n" (as the reader gives them to the parser, without newlines).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "labeled.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_LINES = 256 };

/* p[0..n) lies inside a[0..an) */
static int inside(const char *p, size_t n, const char *a, size_t an)
{
    return p >= a && n <= an && (size_t)(p - a) <= an - n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *lines[MAX_LINES];
    size_t lens[MAX_LINES], n = 0;
    for (size_t start = 0; start <= size && n < MAX_LINES;) {
        const char *nl = memchr(text + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - text) : size;
        lines[n] = text + start;
        lens[n++] = end - start;
        start = end + 1;
    }
    /* the detector wants NUL-free lines: give it the ones that are */
    const char *sample[MAX_LINES];
    size_t slens[MAX_LINES], ns = 0;
    for (size_t i = 0; i < n; i++)
        if (!memchr(lines[i], '\0', lens[i])) {
            sample[ns] = lines[i];
            slens[ns++] = lens[i];
        }
    tc_data_format det = tc_detect_format(sample, slens, ns, "__label__");
    if (det != TC_FORMAT_AUTO && det != TC_FORMAT_FASTTEXT && det != TC_FORMAT_TSV) abort();

    tc_buf scratch = {0};
    for (size_t i = 0; i < n; i++)
        for (int f = TC_FORMAT_FASTTEXT; f <= 2 * TC_FORMAT_TSV; f++) {
            tc_labeled_line out;
            memset(&out, 0xAB, sizeof out);
            int oom = 0;
            tc_line_status st = tc_parse_labeled((tc_data_format)(f <= TC_FORMAT_TSV ? f : f - TC_FORMAT_TSV),
                                                 "__label__", f > TC_FORMAT_TSV, lines[i], lens[i],
                                                 &scratch, &out, &oom);
            if ((unsigned)st >= TC_LINE_STATUS_COUNT) abort();
            if (st != TC_LINE_OK) continue;
            if (out.label_len == 0 || out.text_len == 0) abort();
            if (!inside(out.label, out.label_len, lines[i], lens[i]) &&
                !inside(out.label, out.label_len, scratch.data, scratch.len))
                abort();
            if (!inside(out.text, out.text_len, lines[i], lens[i]) &&
                !inside(out.text, out.text_len, scratch.data, scratch.len))
                abort();
        }
    tc_buf_free(&scratch);
    return 0;
}
