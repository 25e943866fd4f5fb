/*
 * test_forms.h - helpers of test_f16.c that test_quant.c uses too: a model saved in another
 * weights form must give the same numbers as the form it stands for.
 */
#ifndef TEST_FORMS_H
#define TEST_FORMS_H

#include <stddef.h>

#include "model.h"

/* 1 if p lies in bytes[0..len) */
int forms_inside(const void *p, const void *bytes, size_t len);
/* 1 if a and the model at path (loaded afresh) give the same probabilities and explanations, bit
 * for bit, on a set of documents, with tc_infer's default loops, then the baseline ones (for
 * good: a runs them from then on) */
int forms_same_results_both_loops(tc_model *a, const char *path);
/* The bytes of m's weights file (m loaded from dir): malloc'd, *len its size; NULL if none. */
char *forms_weights_of(const tc_model *m, const char *dir, size_t *len);
/* Saves m at dir/name.json with flags and loads it again: the loaded model, or NULL. */
tc_model *forms_resave(const tc_model *m, const char *dir, const char *name, int flags);
/* 1 if files a and b (of a_len and b_len bytes) are the same bytes */
int forms_same_bytes(const char *a, size_t a_len, const char *b, size_t b_len);
/* Removes every file of dir, then dir. */
void forms_remove_dir(const char *dir);
/* check(src, dir) for a model with character n-grams and one without, each with a new empty
 * directory dir (made from dir_template, "/tmp/NAME-XXXXXX"), removed after */
void forms_each_model(const char *dir_template, void (*check)(const char *src, const char *dir));

#endif
