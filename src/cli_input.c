/*
 * cli_input.c - document readers over stdio. getdelim returns as soon as a terminator arrives,
 * so `tail -f log | textclf --line-buffered` sees each line when it is written.
 */
#include "cli_input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cli_reader_init(cli_reader *r, FILE *f, split_mode mode)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->mode = mode;
}

void cli_reader_free(cli_reader *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

static int read_whole(cli_reader *r, char **data, size_t *len)
{
    size_t n = 0;
    for (;;) {
        if (n + 1 >= r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 65536;
            char *p = realloc(r->buf, cap);
            if (!p) { errno = ENOMEM; return -1; }
            r->buf = p;
            r->cap = cap;
        }
        size_t got = fread(r->buf + n, 1, r->cap - 1 - n, r->f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(r->f)) return -1;
    r->done = 1;
    r->record = 1;
    *data = r->buf;
    *len = n;
    return 1;
}

int cli_reader_next(cli_reader *r, char **data, size_t *len)
{
    if (r->done) return 0;
    if (r->mode == SPLIT_WHOLE) return read_whole(r, data, len);
    int delim = r->mode == SPLIT_NUL ? '\0' : '\n';
    errno = 0;
    ssize_t n = getdelim(&r->buf, &r->cap, delim, r->f);
    if (n < 0) {
        if (ferror(r->f) || (errno && errno != EINTR && !feof(r->f))) return -1;
        r->done = 1;
        return 0;
    }
    size_t l = (size_t)n;
    if (l && r->buf[l - 1] == (char)delim) l--;
    if (r->mode == SPLIT_LINES && l && r->buf[l - 1] == '\r') l--;
    r->record++;
    *data = r->buf;
    *len = l;
    return 1;
}
