/*
 * cli_autotune.h - `textclf train --autotune-validation FILE`: a search over training options
 * (train_autotune.h's space), trial after trial within a time budget, each trial validated on
 * FILE; the best trial's model is the one written (docs/train.md, "Autotune").
 */
#ifndef TC_CLI_AUTOTUNE_H
#define TC_CLI_AUTOTUNE_H

#include "train.h"

typedef struct {
    const char *valid;   /* --autotune-validation: the file every trial is scored on */
    double duration;     /* --autotune-duration: seconds for the whole search (default 300) */
    int trials;          /* --autotune-trials: at most this many (0: as many as fit) */
} cli_autotune_options;

/*
 * Runs trials 0, 1, 2, ... (tc_autotune_trial of base) until a->trials have run or a->duration
 * seconds have passed (the trial running then stops after its batch and counts with the epochs
 * it completed) or a signal stops it (cli_stop_signal), each a tc_train into a temporary
 * directory beside base->output validated on a->valid, and writes the trial with the highest
 * validation accuracy (then the lowest validation loss, then the earliest) to base->output,
 * its metadata recording the search ("autotune"). Prints one line per trial and a summary
 * unless quiet. Returns TC_OK, or the first failing trial's status with err saying why; nothing
 * is left in the temporary directory either way. base->valid must be NULL and
 * base->valid_fraction 0 (the command's parser sees to that).
 */
tc_status cli_autotune(const tc_train_options *base, const cli_autotune_options *a, int quiet,
                       tc_error *err);

#endif
