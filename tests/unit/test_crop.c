/*
 * tc_crop_words (train --crop): the run is whole words, 1..8 of them, anywhere in the document,
 * and u1/u2 at the ends of [0, 1) reach the smallest/largest choices.
 */
#include "test.h"
#include "train_data.h"

void test_crop(void);

void test_crop(void)
{
    /* token ids 0..2 start words, 3..4 are continuation pieces ("##...") */
    static const uint8_t word_start[5] = {1, 1, 1, 0, 0};
    /* 11 words, starting at tokens 0, 2, 3, 6, 7, 9, 10, 11, 13, 14, 15 */
    static const int32_t ids[] = {0, 3, 1, 2, 3, 4, 0, 1, 4, 2, 0, 1, 3, 2, 0, 0};
    int T = (int)(sizeof ids / sizeof ids[0]), begin;

    /* u1 = 0: one word; u2 = 0: the first; the word keeps its continuation piece */
    CHECK(tc_crop_words(word_start, ids, T, 0.0, 0.0, &begin) == 2 && begin == 0);
    /* one word, the last one */
    CHECK(tc_crop_words(word_start, ids, T, 0.0, 0.999999, &begin) == 1 && begin == T - 1);
    /* u1 near 1: eight words (of 11) from word 0: tokens 0..12 */
    CHECK(tc_crop_words(word_start, ids, T, 0.999999, 0.0, &begin) == 13 && begin == 0);
    /* eight words from the last possible start (word 3 = token 6) run to the end */
    CHECK(tc_crop_words(word_start, ids, T, 0.999999, 0.999999, &begin) == T - 6 && begin == 6);
    /* fewer than two words: the document is kept whole */
    static const int32_t one[] = {1, 3, 4};
    CHECK(tc_crop_words(word_start, one, 3, 0.5, 0.5, &begin) == 3 && begin == 0);
    CHECK(tc_crop_words(word_start, ids, 0, 0.5, 0.5, &begin) == 0 && begin == 0);

    /* a grid of u1, u2: always 1..8 whole words inside the document */
    int good = 1;
    for (int a = 0; a < 50; a++)
        for (int b = 0; b < 50; b++) {
            int n = tc_crop_words(word_start, ids, T, a / 50.0, b / 50.0, &begin);
            int words = 0;
            for (int i = begin; i < begin + n; i++) words += word_start[ids[i]];
            good &= n >= 1 && begin >= 0 && begin + n <= T && word_start[ids[begin]] &&
                    (begin + n == T || word_start[ids[begin + n]]) && words >= 1 && words <= 8;
        }
    CHECK(good);
}
