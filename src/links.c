/*
 * links.c - which runs of text are links, and the word counts that leave their words out
 * (docs/model-format.md, "abstain"). Each rule of a link is a pattern followed one code point
 * at a time: a prefix ("www.", "mailto:"), "://" after an ASCII letter, an '@' after the first
 * code point with a '.' after it and a code point after that.
 */
#include "links.h"

#include <string.h>

enum { LINK_WWW = 1, LINK_MAILTO = 2 };

static const char www[] = "www.";        /* the prefixes, in ASCII letters of either case */
static const char mailto[] = "mailto:";

static int is_ascii_letter(int32_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

void tc_links_reset(tc_links *l)
{
    memset(l, 0, sizeof *l);
}

/* Adds up the current run's words (none if it is a link) and starts a run with no code point. */
static void end_run(tc_links *l)
{
    if (!l->link) {
        l->letter_words += l->run_letters;
        l->unknown_words += l->run_unknown;
    }
    int64_t letters = l->letter_words, unknown = l->unknown_words;
    tc_links_reset(l);
    l->letter_words = letters;
    l->unknown_words = unknown;
}

/* tc_links_char's every case. */
void tc_links_next(tc_links *l, int32_t c)
{
    if (l->ended) end_run(l);
    if (l->len == 0) l->prefixes = LINK_WWW | LINK_MAILTO;
    if (l->link) return;
    /* the prefixes: the run's code point number len, lowercased if an ASCII letter */
    if (l->prefixes) {
        int32_t low = is_ascii_letter(c) ? (c | 0x20) : c;
        if (l->len >= sizeof www - 1 || low != www[l->len]) l->prefixes &= ~LINK_WWW;
        if (l->len >= sizeof mailto - 1 || low != mailto[l->len]) l->prefixes &= ~LINK_MAILTO;
        if (((l->prefixes & LINK_WWW) && l->len + 1 == sizeof www - 1) ||
            ((l->prefixes & LINK_MAILTO) && l->len + 1 == sizeof mailto - 1))
            l->link = 1;
    }
    /* "://" after an ASCII letter: no code point of the pattern is another's, so a mismatch
     * starts over from c */
    if (l->scheme == 3 && c == '/') l->link = 1;
    else if ((l->scheme == 1 && c == ':') || (l->scheme == 2 && c == '/')) l->scheme++;
    else l->scheme = is_ascii_letter(c);
    /* an e-mail address: '@' after the first code point, then '.', then one more code point */
    if (l->mail == 2) l->link = 1;
    else if (l->mail == 1 && c == '.') l->mail = 2;
    else if (l->mail == 0 && c == '@' && l->len > 0) l->mail = 1;
    if (l->len < sizeof mailto - 1) l->len++;
    l->plain = !l->link && !l->prefixes && l->mail != 2;
}

void tc_links_word(tc_links *l, int in_run, int letter, int unknown)
{
    if (in_run) {
        l->run_letters += letter;
        l->run_unknown += unknown;
    } else {
        l->letter_words += letter;
        l->unknown_words += unknown;
    }
}

void tc_links_end(tc_links *l)
{
    end_run(l);
}

int tc_links_undecided(const tc_links *l)
{
    return l->run_letters > 0 && !l->link && !l->ended;
}
