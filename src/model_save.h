/*
 * model_save.h - writing a model as JSON (+ safetensors, + vocabulary file), atomically (internal).
 */
#ifndef TC_MODEL_SAVE_H
#define TC_MODEL_SAVE_H

#include <sys/types.h>

#include "model.h"

/*
 * A file that a model must never be written over (the data it was trained on), known by its
 * identity, st_dev and st_ino, not by its name: "d.txt", "./d.txt", a hard link and a symbolic
 * link to it are all the same file. path and what name it in messages ("the training data").
 */
typedef struct {
    dev_t dev;
    ino_t ino;
    const char *path;   /* as the caller named it (not copied) */
    const char *what;   /* what it is, for messages: "the training data" (not copied) */
} tc_file_ref;

/* Fills r for the file at path (following symbolic links). Returns 0, or -1 with errno set when
 * path cannot be stat'ed (a file that does not exist cannot be overwritten: leave it out). */
int tc_file_ref_init(tc_file_ref *r, const char *path, const char *what);

/* The entry of refs[0..n) that is the same file as path, or NULL (also when path does not
 * exist). */
const tc_file_ref *tc_file_ref_find(const char *path, const tc_file_ref *refs, int n);

/*
 * Checks, before any work is done, that a model can be written to path:
 *   - TC_ERR_ARG: path is empty, or is the same file as one of keep[0..n_keep) (writing the
 *     model there would destroy it; the message names both);
 *   - TC_ERR_IO, "cannot write model: ...", naming the real cause: path ends in '/', is an
 *     existing directory, or exists and is not a regular file (a device, a FIFO, a socket: the
 *     writer would replace it with a regular file, and /dev/null is not a model); its directory
 *     does not exist, is not a directory, or is not writable.
 * tc_model_save makes the same checks; calling this first spares a long training that could not
 * be saved. Nothing is created or changed. err's file is path.
 */
tc_status tc_model_check_output(const char *path, const tc_file_ref *keep, int n_keep,
                                tc_error *err);

/* flags of tc_model_save (0 = weights in a safetensors file, vocabulary inline, metadata_json) */
enum {
    TC_SAVE_INLINE_WEIGHTS = 1,   /* every weight in the JSON (what `inline_weights` 1 meant) */
    TC_SAVE_VOCAB_FILE = 2,       /* the vocabulary in a file beside the JSON, {"file": ...} */
    TC_SAVE_KEEP_METADATA = 4,    /* write the "metadata" m was loaded with (if any) instead of
                                     metadata_json */
    TC_SAVE_F16 = 8,              /* the weights file holds F16 (half the size; each weight
                                     rounded to the nearest half, ties to even) */
    TC_SAVE_I8 = 16               /* the weights file holds each matrix as I8 with per-row
                                     scales (quant.h; about a quarter of the size), vectors F32 */
};

/* 1 if m holds a tensor that its weights file stores as I8 (a quantised model: quant.h). */
int tc_model_quantized(const tc_model *m);

/*
 * Writes m (config, labels, tokenizer settings with every default spelled out, vocabulary, weights)
 * to the JSON file path, after the checks of tc_model_check_output (path and keep). metadata_json
 * (may be NULL) is a JSON value stored under "metadata".
 *
 * TC_SAVE_INLINE_WEIGHTS: every weight in the JSON with 9 significant digits (round-trips
 * float32). Otherwise the weights go to a safetensors file (F32) next to path named
 * <stem>-<hash>.safetensors, where hash is a hash of its bytes: a JSON file always names the
 * weights it was written with, even if the process dies between writing the files.
 * TC_SAVE_VOCAB_FILE: the vocabulary goes to <stem>-<hash>.vocab.txt next to path (one token per
 * line) in the same way; otherwise it is inline. TC_SAVE_F16: the weights file holds F16 values
 * (the model then loads with each weight rounded to the nearest half; saving that model again
 * with TC_SAVE_F16 writes the same bytes). TC_SAVE_I8: the weights file holds every matrix as
 * int8 with a float32 scale per row (quant.h), vectors as F32; a matrix m was loaded from I8
 * is written as the same bytes. Either is TC_ERR_ARG with TC_SAVE_INLINE_WEIGHTS (inline
 * numbers are float32), and they exclude each other; TC_SAVE_F16 is TC_ERR_ARG when a weight is
 * beyond F16's range (it would become Inf); nothing is written then.
 *
 * Every file is written to a temporary name in the same directory (<file>.tmp.<6 random
 * characters>, created with O_EXCL | O_NOFOLLOW and mode 0666 less the umask: nothing that already
 * has that name, such as a planted symbolic link, is ever written through), flushed to disk and
 * renamed into place, so readers see the old model or the complete new one, never a partial one.
 * Once the new JSON is in place, the companion files of the JSON it replaced (a weights or
 * vocabulary file named <stem>-<16 hex digits>.safetensors / .vocab.txt in its directory, as this
 * function names them) are removed unless the new JSON uses them too.
 *
 * keep[0..n_keep) (may be NULL, 0) are files that must survive the save, such as the training
 * data: none of them is written over, whatever name it has (the companion files' names are
 * only known here, and an input could have one of them), and no replaced companion file that is
 * one of them is removed. Every file written over must be a regular file.
 *
 * Returns TC_OK, TC_ERR_NOMEM, TC_ERR_ARG (path or a companion file is one of keep) or
 * TC_ERR_IO (temporary and new companion files removed, the old model intact).
 */
tc_status tc_model_save(const tc_model *m, const char *path, const char *metadata_json,
                        int flags, const tc_file_ref *keep, int n_keep, tc_error *err);

#endif
