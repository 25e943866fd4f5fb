/*
 * tokenizer.h - text to token ids: UTF-8 repair, normalisation, splitting, WordPiece (internal).
 */
#ifndef TC_TOKENIZER_H
#define TC_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#include "links.h"
#include "normalize.h"
#include "textclf.h"
#include "vocab.h"

/* Scripts whose every character is a token of its own (bit flags). */
enum {
    TC_SCRIPT_HAN = 1 << 0,
    TC_SCRIPT_KANA = 1 << 1,
    TC_SCRIPT_THAI = 1 << 2,
    TC_SCRIPT_LAO = 1 << 3,
    TC_SCRIPT_KHMER = 1 << 4,
    TC_SCRIPT_MYANMAR = 1 << 5
};
#define TC_SCRIPT_NAMES {"han", "kana", "thai", "lao", "khmer", "myanmar", NULL}
/* tokenizer.split_scripts when a model does not say (docs/model-format.md): all of them */
#define TC_SCRIPTS_DEFAULT \
    (TC_SCRIPT_HAN | TC_SCRIPT_KANA | TC_SCRIPT_THAI | TC_SCRIPT_LAO | TC_SCRIPT_KHMER | \
     TC_SCRIPT_MYANMAR)

typedef struct {
    tc_norm_config norm;
    unsigned scripts;          /* TC_SCRIPT_* */
    char *unk_token;           /* owned */
    char *prefix;              /* owned: continuation prefix, may be "" */
    size_t prefix_len;
    int max_word_chars;
    int word_apostrophes;      /* an apostrophe between two word characters is one (step 5) */
    int32_t unk_id;
    /* character n-grams (docs/model-format.md; config.ngram_*): buckets 0 = off */
    uint32_t ngram_buckets;    /* B, 0..TC_NGRAM_MAX_BUCKETS */
    int ngram_min;             /* 1..ngram_max */
    int ngram_max;             /* ngram_min..TC_NGRAM_MAX_LEN */
} tc_tokenizer;

#define TC_NGRAM_MAX_BUCKETS 16777216
#define TC_NGRAM_MAX_LEN 16

/*
 * Receives one n-gram of token `token`: its bucket in 0..ngram_buckets-1. Called for the tokens
 * among the first max_len, token after token in ascending order, each token's n-grams in list
 * order (docs/model-format.md, "Character n-grams"); a token with an empty list gets no call.
 * Returns 0, or -1 for out of memory (tokenisation stops with TC_ERR_NOMEM).
 */
typedef int (*tc_ngram_fn)(void *ctx, int64_t token, uint32_t bucket);

/*
 * Asked, with the same ctx, before the n-grams of a token that is a WordPiece piece (not an
 * unk_token) are made: the piece's id and whether it starts and ends its word decide its list
 * (the piece's text is the vocabulary's). Returns 1 when ctx already has what that list gives for
 * token (its n-grams are then not made: no tc_ngram_fn call for it), 0 to have them made, -1 for
 * out of memory.
 */
typedef int (*tc_ngram_known_fn)(void *ctx, int64_t token, int32_t id, int word_start,
                                 int word_end);

/* The n-grams of the token being generated: g's code points go through a window of the last
 * TC_NGRAM_MAX_LEN, so a token's list is made as its text comes (a word longer than
 * max_word_chars, one unk_token, is never held whole: tokenizer.c's keep_carry feeds what it
 * drops). */
typedef struct {
    tc_ngram_fn fn;            /* NULL: no n-grams (model without them, or not wanted) */
    tc_ngram_known_fn known;   /* NULL: every list is made */
    void *ctx;
    int64_t max_len;           /* tokens whose n-grams are wanted */
    int64_t next_token;        /* the id sink's count after the last word */
    int64_t token;             /* the token of the list being made */
    int64_t fed;               /* code points of its g fed so far */
    int active;                /* a carried long word's list is being made */
    size_t unfed;              /* that word's first code point in s->carry not fed yet */
    int32_t win[TC_NGRAM_MAX_LEN];   /* g[fed - TC_NGRAM_MAX_LEN .. fed), at index i % 16 */
} tc_ngram_stream;

/* Scratch memory for one thread, reused across documents. */
typedef struct {
    tc_buf repaired;           /* the current chunk as well-formed UTF-8 */
    tc_cpbuf cps;              /* the chunk after normalisation */
    tc_cpbuf carry;            /* a word the last chunk ended with, and then the chunk after it
                                * (a word longer than max_word_chars is kept shortened) */
    size_t chunk_bytes;        /* how much text a chunk holds, about (tests set 1: a chunk
                                * boundary at every place one may be) */
    tc_norm_scratch norm;
    tc_buf word;               /* the current word as UTF-8 */
    size_t *char_off;          /* [max_word_chars + 1] byte offset of each code point in word */
    size_t *piece_end;         /* [max_word_chars + 1] where each piece of the word ends (code
                                * points), for n-grams; NULL for a tokenizer without them */
    tc_ngram_stream ng;
    tc_links links;            /* the runs of the text and the abstain rule's word counts */
    int32_t *ids;              /* [max_len + 1] output */
    unsigned char ascii_class[128];   /* the character class of each ASCII code point */
} tc_tok_scratch;

tc_status tc_tok_scratch_init(tc_tok_scratch *s, const tc_tokenizer *t, int max_len,
                              tc_error *err);
void tc_tok_scratch_free(tc_tok_scratch *s);

/*
 * Tokenises text[0..len) into s->ids[0..*count), at most max_len ids (the rest of the document
 * is ignored, info->truncated says so, but for the rest of the run of text the ids end in, read
 * to know whether it is a link: info's counts, links.h). Invalid UTF-8 is counted over the whole
 * document and replaced by U+FFFD, or rejected with TC_ERR_INPUT when strict is set. Returns
 * TC_OK, TC_ERR_INPUT or TC_ERR_NOMEM.
 */
tc_status tc_tokenize_ids(const tc_tokenizer *t, const tc_vocab *v, int max_len,
                          tc_tok_scratch *s, const char *text, size_t len, int strict,
                          int64_t *count, tc_doc_info *info, tc_error *err);

/*
 * What tc_tokenize_words reports about one word (a run of word characters, or one punctuation or
 * split-script character: step 5 of docs/model-format.md's tokenizer): word[0..n) are its
 * normalised code points and ids[first .. first + count) its ids, count >= 1 (fewer than the
 * word's pieces when max_len cut it; one [UNK] when it could not be covered). A word longer than
 * max_word_chars (one [UNK]) may come shortened, still longer than max_word_chars: its first
 * max_word_chars + 1 code points and its last (see keep_carry in tokenizer.c). Returns 0 to go
 * on, a positive value to stop, a negative one for out of memory.
 */
typedef int (*tc_word_fn)(void *ctx, const int32_t *word, size_t n, int64_t first,
                          int64_t count);

/*
 * tc_tokenize_ids, also calling fn(ctx, ...) for each word with at least one id among the first
 * max_len, in order (explain.c groups tokens into words with it). Same results and errors;
 * TC_ERR_NOMEM too when fn returns a negative value.
 */
tc_status tc_tokenize_words(const tc_tokenizer *t, const tc_vocab *v, int max_len,
                            tc_tok_scratch *s, const char *text, size_t len, int strict,
                            tc_word_fn fn, void *ctx, int64_t *count, tc_doc_info *info,
                            tc_error *err);

/*
 * tc_tokenize_words, also calling ngram(ngram_ctx, token, bucket) with the n-grams of each of the
 * *count tokens (tc_ngram_fn's order) when t has n-grams (ngram_buckets > 0) and ngram is not
 * NULL, except those of the pieces known(ngram_ctx, ...) says it has (known may be NULL). word
 * may be NULL. Same results and errors; TC_ERR_NOMEM too when ngram or known returns -1. Linear
 * in the text, and with no allocation per token or n-gram.
 */
tc_status tc_tokenize_ngrams(const tc_tokenizer *t, const tc_vocab *v, int max_len,
                             tc_tok_scratch *s, const char *text, size_t len, int strict,
                             tc_word_fn word, void *word_ctx, tc_ngram_fn ngram,
                             tc_ngram_known_fn known, void *ngram_ctx, int64_t *count,
                             tc_doc_info *info, tc_error *err);

/*
 * Runs steps 1-5 of tokenisation (repair, normalise, split) over text[0..len) and calls
 * fn(ctx, word, n) with each word's code points, in order (a word longer than max_word_chars
 * perhaps shortened, as for tc_word_fn), until fn returns non-zero: a positive value stops early
 * (TC_OK), a negative one means out of memory. No vocabulary is needed, which
 * is what building one (WordPiece training) wants. Returns TC_OK or TC_ERR_NOMEM.
 */
tc_status tc_pretokenize(const tc_tokenizer *t, tc_tok_scratch *s, const char *text, size_t len,
                         int (*fn)(void *ctx, const int32_t *word, size_t len), void *ctx,
                         tc_error *err);

void tc_tokenizer_free(tc_tokenizer *t);

#endif
