/*
 * chunks.c - `textclf tokenize -z` with a chosen chunk size, for tests/tokenizer/run.sh.
 *
 * Usage: tok_chunks MODEL.json DOCS CHUNK_BYTES
 *
 * Tokenises each NUL-terminated document of DOCS and prints its tokens separated by single spaces,
 * one line per document, as `textclf tokenize -m MODEL.json -z DOCS` does, but cuts every
 * document into chunks of about CHUNK_BYTES (src/tokenizer.c) instead of 8192 bytes: with 1, the
 * tokenizer cuts at every place it considers safe, and its tokens must still be the whole text's.
 * Its counts of letter and unknown words (tc_doc_info) must be the whole text's too: each
 * document is tokenised again in one piece and a difference is an error.
 * Exit status 0, or 1 with a message on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "session.h"
#include "textclf.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: tok_chunks MODEL.json DOCS CHUNK_BYTES\n");
        return 2;
    }
    tc_error err;
    tc_model *m;
    tc_session *s;
    char msg[2048];
    if (tc_model_load(argv[1], &m, &err) != TC_OK || tc_session_init(m, &s, &err) != TC_OK) {
        fprintf(stderr, "tok_chunks: %s\n", tc_error_format(&err, msg, sizeof msg));
        return 1;
    }
    size_t chunk = (size_t)strtoull(argv[3], NULL, 10);
    s->tok.chunk_bytes = chunk;
    if (chunk == 0) {
        fprintf(stderr, "tok_chunks: chunk size 0\n");
        return 1;
    }
    size_t len;
    char *docs;
    if (tc_read_file(argv[2], (size_t)1 << 30, &docs, &len, &err) != TC_OK) {
        fprintf(stderr, "tok_chunks: %s\n", tc_error_format(&err, msg, sizeof msg));
        return 1;
    }
    int status = 0;
    for (size_t at = 0; at < len;) {
        const char *end = memchr(docs + at, '\0', len - at);
        size_t n = end ? (size_t)(end - (docs + at)) : len - at;
        const int32_t *ids;
        int64_t count, whole_count;
        tc_doc_info info, whole;
        s->tok.chunk_bytes = SIZE_MAX;   /* the document in one piece: its counts */
        tc_status st = tc_tokenize(s, docs + at, n, 0, &ids, &whole_count, &whole, &err);
        s->tok.chunk_bytes = chunk;
        if (st == TC_OK) st = tc_tokenize(s, docs + at, n, 0, &ids, &count, &info, &err);
        if (st != TC_OK) {
            fprintf(stderr, "tok_chunks: %s\n", tc_error_format(&err, msg, sizeof msg));
            status = 1;
            break;
        }
        if (info.letter_words != whole.letter_words || info.unknown_words != whole.unknown_words) {
            fprintf(stderr, "tok_chunks: document at byte %zu: %lld letter words, %lld unknown in "
                    "chunks of %zu bytes; %lld, %lld whole\n", at, (long long)info.letter_words,
                    (long long)info.unknown_words, chunk, (long long)whole.letter_words,
                    (long long)whole.unknown_words);
            status = 1;
        }
        for (int64_t i = 0; i < count; i++) {
            if (i) putchar(' ');
            fputs(tc_model_token(m, ids[i]), stdout);
        }
        putchar('\n');
        at += n + 1;
    }
    free(docs);
    tc_session_free(s);
    tc_model_free(m);
    if (fflush(stdout) != 0 || ferror(stdout)) status = 1;
    return status;
}
