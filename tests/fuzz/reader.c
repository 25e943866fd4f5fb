/*
 * fuzz/reader.c - libFuzzer harness for the training-data reader over a real file: what
 * `textclf train` and `textclf test` do with a file of labelled lines (tc_line_reader_open with
 * format detection, tc_line_reader_next to the end, tc_line_reader_rewind, a second pass).
 *
 * Input: the first byte picks the format (0 auto, 1 fastText, 2 TSV: byte % 3); the rest is
 * the file's content, written to an anonymous in-memory file opened through /proc/self/fd.
 * Checked: every line is counted once (examples + skipped lines = lines of the file, as
 * getline splits them), each example's label and text are non-empty and lie inside the
 * reader's line or scratch buffer, and the second pass gives the same examples as the first.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "train_data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* p[0..n) lies inside a[0..an) */
static int inside(const char *p, size_t n, const char *a, size_t an)
{
    return a && p >= a && n <= an && (size_t)(p - a) <= an - n;
}

/* FNV-1a over the examples' labels and texts, to compare the two passes */
static uint64_t mix(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL;
}

/* Reads r to the end; returns the hash of its examples, aborts on a broken promise. */
static uint64_t read_all(tc_line_reader *r, int64_t lines)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    tc_labeled_line out;
    tc_error err;
    int got;
    while ((got = tc_line_reader_next(r, &out, &err)) == 1) {
        if (out.label_len == 0 || out.text_len == 0) abort();
        if (!inside(out.label, out.label_len, r->line, r->cap) &&
            !inside(out.label, out.label_len, r->scratch.data, r->scratch.len))
            abort();
        if (!inside(out.text, out.text_len, r->line, r->cap) &&
            !inside(out.text, out.text_len, r->scratch.data, r->scratch.len))
            abort();
        h = mix(mix(h, out.label, out.label_len), out.text, out.text_len);
    }
    if (got != 0) abort();   /* an in-memory file has no read errors */
    int64_t counted = r->examples;
    for (int s = 0; s < TC_LINE_STATUS_COUNT; s++) counted += r->skipped[s];
    if (r->lineno != lines || counted != lines) abort();
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    tc_data_format fmt = (tc_data_format)(data[0] % 3);
    data++;
    size--;
    int fd = memfd_create("fuzz-reader", 0);
    if (fd < 0) abort();
    for (size_t done = 0; done < size;) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0) abort();
        done += (size_t)w;
    }
    /* lines as getline counts them: one per newline, plus an unterminated last one */
    int64_t lines = 0;
    for (size_t i = 0; i < size; i++) lines += data[i] == '\n';
    if (size && data[size - 1] != '\n') lines++;

    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    tc_line_reader r;
    tc_error err;
    int detected;
    tc_status st = tc_line_reader_open(&r, path, fmt, "__label__", &detected, &err);
    if (st == TC_OK) {
        if (r.format != TC_FORMAT_FASTTEXT && r.format != TC_FORMAT_TSV) abort();
        if (detected != (fmt == TC_FORMAT_AUTO)) abort();
        uint64_t first = read_all(&r, lines);
        if (tc_line_reader_rewind(&r, &err) != TC_OK) abort();
        if (read_all(&r, lines) != first) abort();
        tc_line_reader_close(&r);
    } else if (!(st == TC_ERR_INPUT && fmt == TC_FORMAT_AUTO)) {
        abort();   /* only an undetectable format may refuse a readable file */
    }
    close(fd);
    return 0;
}
