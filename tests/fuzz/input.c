/*
 * fuzz/input.c - libFuzzer harness for the CLI's input splitting (src/cli_input.c): lines, NUL
 * records and whole files, read through a FILE as the program reads stdin and files. Checks
 * what cli_input.h promises: records never contain their terminator, each record is the next
 * bytes of the input, and what lies between them is exactly one terminator (for lines: "\n" or
 * "\r\n", and a lone "\r" at the very end); the records and those add up to the input; a whole
 * file is exactly one document.
 *
 * Input: byte 0 chooses the mode (0: lines, 1: NUL records, 2: whole file; modulo 3); the rest
 * is the input stream.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;   /* fmemopen needs at least one byte */
    split_mode mode = (split_mode)(data[0] % 3);
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    FILE *f = fmemopen((void *)in, n, "r");
    if (!f) return 0;
    cli_reader r;
    cli_reader_init(&r, f, mode);
    char *doc;
    size_t len, total = 0, records = 0;
    int st;
    while ((st = cli_reader_next(&r, &doc, &len)) == 1) {
        records++;
        if (mode == SPLIT_LINES && memchr(doc, '\n', len)) abort();
        if (mode == SPLIT_NUL && memchr(doc, '\0', len)) abort();
        if (total + len > n) abort();
        /* the record is the next bytes of the input, up to its terminator */
        if (memcmp(doc, in + total, len) != 0) abort();
        total += len;
        if (mode == SPLIT_LINES && total < n && in[total] == '\r' &&
            (total + 1 == n || in[total + 1] == '\n'))
            total++;                            /* the CR dropped before "\n" or at the end */
        if (mode != SPLIT_WHOLE && total < n) {
            if (in[total] != (mode == SPLIT_LINES ? '\n' : '\0')) abort();
            total++;                            /* the terminator */
        }
    }
    if (st != 0) abort();   /* a memory stream has no read errors */
    if (total != n) abort();
    if (mode == SPLIT_WHOLE && records != 1) abort();
    cli_reader_free(&r);
    fclose(f);
    return 0;
}
