/*
 * links.h - the abstain rule's word counts, which leave out the words of links (internal; the
 * rule is docs/model-format.md's "abstain", its counts textclf.h's tc_doc_info).
 *
 * A run is text between spaces and split-script characters (step 5's); a link is a run that
 * looks like a URL or an e-mail address. Whether a run is a link may show only at its end
 * (`user@example.org`), so the counts of its words wait until it ends. The tokenizer gives
 * every code point of the normalised text, in order, to tc_links_cut or tc_links_char, and the
 * counts of each word (tc_links_word) after its code points and before the first code point of
 * the next run: a run ends (tc_links_cut) before its last word is told, so it is added up when
 * the next run begins, or at the end of the text (tc_links_end). The state is a few counters
 * whatever the length of a run: the text is never kept.
 */
#ifndef TC_LINKS_H
#define TC_LINKS_H

#include <stdint.h>

typedef struct {
    int64_t letter_words;    /* tc_doc_info's, over the runs added up */
    int64_t unknown_words;
    int64_t run_letters;     /* the current run's letter words so far */
    int64_t run_unknown;     /* ... and unknown words */
    uint32_t len;            /* code points of the current run, counted up to 7 */
    uint8_t prefixes;        /* LINK_WWW | LINK_MAILTO: what the run may still begin with */
    uint8_t scheme;          /* how much of letter "://" it ends with: 0..3 code points */
    uint8_t mail;            /* 1: it has an '@' after its first code point; 2: a '.' after
                              * that '@' */
    uint8_t link;            /* the current run is a link */
    uint8_t ended;           /* a code point of no run came after the current run */
    uint8_t plain;           /* only scheme can change, unless c is one of ":/@." */
} tc_links;

/* The state for a new text: no run, the counts 0. */
void tc_links_reset(tc_links *l);

/* A code point of no run, a space or a split-script character (step 5's classes): the current
 * run ends. */
static inline void tc_links_cut(tc_links *l)
{
    if (l->len) l->ended = 1;
    l->plain = 0;
}

/* tc_links_char beyond its common case (callers call tc_links_char). */
void tc_links_next(tc_links *l, int32_t c);

/* A code point c of a run (neither a space nor a split-script character): the current run goes
 * on with it, or a new run begins (and the run before it is added up). Inline for its common
 * case, a letter or digit in the middle of a run that has no pattern under way. */
static inline void tc_links_char(tc_links *l, int32_t c)
{
    if (l->plain && c != ':' && c != '/' && c != '@' && c != '.')
        l->scheme = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    else
        tc_links_next(l, c);
}

/* A word: letter 1 if it is a letter word, unknown 1 if an unknown one; in_run 1 for a word of
 * the current run, 0 for a split-script character (in no run, so never in a link). */
void tc_links_word(tc_links *l, int in_run, int letter, int unknown);

/* The end of the text: the last run is added up (unless it is a link). */
void tc_links_end(tc_links *l);

/* 1 while the current run has letter words and can still turn out a link: what follows of it
 * (until its end) decides whether they count. */
int tc_links_undecided(const tc_links *l);

#endif
