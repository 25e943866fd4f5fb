/*
 * buf.h - a growable byte buffer (internal).
 *
 * Used for text as it moves through decoding and normalisation. The buffer owns data; reuse it
 * across documents (tc_buf_reset keeps the memory) so the hot path does not allocate.
 */
#ifndef TC_BUF_H
#define TC_BUF_H

#include <stddef.h>

typedef struct {
    char *data;   /* owned; not NUL-terminated unless the user appends one */
    size_t len;
    size_t cap;
} tc_buf;

/* Makes room for `extra` more bytes. Returns 0, or -1 if out of memory (buffer unchanged). */
int tc_buf_reserve(tc_buf *b, size_t extra);
/* Appends n bytes. Returns 0 or -1 (out of memory). */
int tc_buf_append(tc_buf *b, const void *p, size_t n);
static inline void tc_buf_reset(tc_buf *b) { b->len = 0; }
void tc_buf_free(tc_buf *b);

#endif
