/*
 * train_autotune.h - the search space of `textclf train --autotune-validation` (docs/train.md,
 * "Autotune"): which options a trial changes, and how they are drawn from the seed (internal).
 *
 * The search itself (run the trials within the time budget, keep the best by validation
 * accuracy) is the command's, src/cli_autotune.c: a trial is one tc_train.
 */
#ifndef TC_TRAIN_AUTOTUNE_H
#define TC_TRAIN_AUTOTUNE_H

#include "train.h"

/*
 * The options of trial k (0, 1, 2, ...) of a search that starts from base: trial 0 is base
 * itself (what the user asked for, so the search never ends below it), and trial k > 0 is base
 * with these drawn at random from a stream that depends only on base->seed and k (the same seed
 * gives the same trials, in the same order, whatever the time budget):
 *   lr          log-uniform in [2e-4, 2e-2]
 *   epochs      one of 5, 10, 15, 20, 30
 *   dim         one of 16, 32, 64, 128 that base->heads divides (head_dim = dim / heads,
 *               hidden = dim); base's with --pretrained-vectors (their width is --dim)
 *   vocab_size  one of 2000, 4000, 8000, 16000, 32000
 *   max_len     one of 32, 64, 128, 256
 *   dropout     uniform in [0, 0.3]
 *   crop        0 (half the time), 0.25 or 0.5
 * Everything else (files, heads, seed, threads, n-grams, ...) is base's. *out may be base.
 */
void tc_autotune_trial(const tc_train_options *base, int k, tc_train_options *out);

#endif
