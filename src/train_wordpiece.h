/*
 * train_wordpiece.h - learning a WordPiece vocabulary from training text (internal).
 *
 * Two steps. First the words of the training text are counted as they stream past
 * (tc_wp_counter: one entry per distinct word, so memory follows the distinct words, not the
 * corpus); feed it the words tc_pretokenize yields, so the vocabulary is learned from exactly the
 * normalised, split words the tokenizer will look up. Then tc_wp_train learns the vocabulary from
 * the counts, the way Hugging Face's WordPiece trainer does: every word starts as its characters
 * (non-initial ones carrying the continuation prefix, "low" = l ##o ##w) and each step merges the
 * adjacent pair of pieces that occurs most often, weighted by word counts, into a new piece.
 *
 * Typical use:
 *
 *     tc_wp_counter *c;
 *     tc_wp_counter_init(&c, &err);
 *     for each document: tc_pretokenize(tok, scratch, text, len, tc_wp_counter_pretok_fn, c, &err);
 *     tc_wp_options o = {30000, 2, "##", (const char *const[]){"[UNK]"}, 1, 100};
 *     tc_wp_train(c, &o, &tokens, &count, &err);     ... tc_wp_tokens_free(tokens, count);
 *     tc_wp_counter_free(c);
 */
#ifndef TC_TRAIN_WORDPIECE_H
#define TC_TRAIN_WORDPIECE_H

#include <stddef.h>
#include <stdint.h>

#include "textclf.h"

/* The model format's upper bound on max_word_chars: the counter keeps no longer word, since no
 * model could ever look it up (it tokenises to unk_token at once). */
#define TC_WP_MAX_WORD_CHARS 10000

/* Word -> number of occurrences, built one occurrence at a time. */
typedef struct tc_wp_counter tc_wp_counter;

/* Creates an empty counter in *out (free with tc_wp_counter_free). TC_OK or TC_ERR_NOMEM (then
 * *out is NULL). */
tc_status tc_wp_counter_init(tc_wp_counter **out, tc_error *err);

/*
 * Counts one occurrence of the word word[0..n) (code points, as tc_pretokenize yields them; the
 * counter copies them). Empty words and words longer than TC_WP_MAX_WORD_CHARS are ignored.
 * Returns TC_OK; TC_ERR_ARG if a code point is not a Unicode scalar value or is a control
 * character (C0, DEL, C1: no vocabulary token may hold one; tc_pretokenize never yields them);
 * TC_ERR_NOMEM. On an error nothing was counted and the counter is still usable.
 */
tc_status tc_wp_counter_add(tc_wp_counter *c, const int32_t *word, size_t n, tc_error *err);

/*
 * tc_wp_counter_add in the shape of tc_pretokenize's callback, ctx being the counter: returns 0,
 * or -1 on failure (tc_pretokenize then reports TC_ERR_NOMEM, which is the only failure words
 * coming from tc_pretokenize can cause).
 */
int tc_wp_counter_pretok_fn(void *ctx, const int32_t *word, size_t n);

/* Number of distinct words counted so far. */
size_t tc_wp_counter_size(const tc_wp_counter *c);

/* Frees the counter and everything it owns. NULL is a no-op. */
void tc_wp_counter_free(tc_wp_counter *c);

typedef struct {
    int32_t vocab_size;        /* upper bound on the result's size, specials included:
                                  n_specials..TC_VOCAB_MAX_SIZE */
    int64_t min_count;         /* merges (pieces) must occur at least this often; < 1 means 1 */
    const char *prefix;        /* continuation prefix, e.g. "##"; may be "" */
    const char *const *specials; int n_specials;   /* e.g. {"[UNK]"}: first ids, in order */
    int max_word_chars;        /* 1..TC_WP_MAX_WORD_CHARS: longer words are ignored (they
                                  tokenise to [UNK]), characters and all */
} tc_wp_options;

/*
 * Learns a WordPiece vocabulary from the counted words. On TC_OK, *tokens is a malloc'd array of
 * *count malloc'd NUL-terminated UTF-8 strings (free with tc_wp_tokens_free), in id order:
 *
 *   1. the specials, in the given order;
 *   2. every character of the (not ignored) words, alone, in code point order, even those only
 *      seen inside words (an unseen word may start with one);
 *   3. the characters that occur inside a word, with the prefix, in code point order (a
 *      character only ever seen starting a word, such as punctuation or CJK, which the
 *      pretokenizer makes words of their own, gets no prefixed form);
 *   4. the learned pieces, in merge order.
 *
 * Groups 2 and 3 let greedy longest-match WordPiece (tokenizer.c) cover every training word
 * without unk_token. Each merge joins the adjacent pair (a, b) with the highest count
 * (occurrences weighted by word counts) into a + b-without-its-prefix; ties go to the pair with
 * the smaller ids (a, then b), as in Hugging Face's trainer, so the result depends only on the
 * counts, not on the order the words were seen in. Merging stops when the vocabulary has
 * vocab_size tokens or no pair occurs min_count times. A merge whose piece already exists (two
 * pairs can spell the same piece) adds no token. Pieces longer than 1024 bytes
 * (TC_VOCAB_MAX_TOKEN) are never formed.
 *
 * If the specials and the characters (groups 1-3) alone exceed vocab_size, the most frequent
 * characters are kept (frequency = occurrences in words, weighted by word counts; ties to the
 * smaller code point), each with its alone form first and then its prefixed form while room
 * lasts; no merges are learned then. Characters always win over learned pieces, so a rare CJK
 * character is never dropped in favour of a piece.
 *
 * Every token is non-empty valid UTF-8, unique, at most 1024 bytes, without control characters
 * (what the model loader accepts). A special that equals a character or piece is not repeated.
 *
 * Returns TC_OK; TC_ERR_ARG for bad options (vocab_size, max_word_chars out of range; a special
 * or the prefix that is not such a token, a duplicate special; the prefix must leave room for a
 * character: at most 1020 bytes); TC_ERR_NOMEM. On an error *tokens is NULL and *count 0.
 * The counter is not modified.
 */
tc_status tc_wp_train(const tc_wp_counter *c, const tc_wp_options *o, char ***tokens,
                      int32_t *count, tc_error *err);

/* Frees a token array from tc_wp_train (each string and the array). NULL is a no-op. */
void tc_wp_tokens_free(char **tokens, int32_t count);

#endif
