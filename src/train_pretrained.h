/*
 * train_pretrained.h - pretrained token vectors for `textclf train --pretrained-vectors`.
 */
#ifndef TC_TRAIN_PRETRAINED_H
#define TC_TRAIN_PRETRAINED_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"

/*
 * Reads the first line of fastText's text vectors (.vec) from f (opened by the caller from path,
 * which names it in messages): "N D", D must be dim. *vectors = N. TC_OK, or TC_ERR_INPUT with
 * file, line and column. Called before any training data is read: a wrong file fails first.
 */
tc_status tc_train_pretrained_header(const char *path, FILE *f, int dim, int64_t *vectors,
                                     tc_error *err);

/*
 * Reads the rest of the file (after tc_train_pretrained_header: n vectors) into the rows of m's
 * token embedding (m->owned[TC_W_EMBEDDING], [vocab, dim], already drawn) of the vocabulary
 * entries the words name: a word names the entry it tokenises to with m's tokenizer when that is
 * one whole-word entry (not [UNK], not a continuation piece), and the first word naming an entry
 * gives its row. Each line must be a word and dim finite values, and there must be exactly n.
 * *read = vectors read, *matched = rows given. TC_OK; TC_ERR_INPUT with file, line and column
 * (the embedding then partly changed: the caller gives up the model); TC_ERR_NOMEM.
 */
tc_status tc_train_pretrained(tc_model *m, const char *path, FILE *f, int64_t n, int64_t *read,
                              int64_t *matched, tc_error *err);

#endif
