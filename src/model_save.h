/*
 * model_save.h - writing a model as JSON (+ safetensors, + vocabulary file), atomically (internal).
 */
#ifndef TC_MODEL_SAVE_H
#define TC_MODEL_SAVE_H

#include "model.h"

/* flags of tc_model_save (0 = weights in a safetensors file, vocabulary inline, metadata_json) */
enum {
    TC_SAVE_INLINE_WEIGHTS = 1,   /* every weight in the JSON (what `inline_weights` 1 meant) */
    TC_SAVE_VOCAB_FILE = 2,       /* the vocabulary in a file beside the JSON, {"file": ...} */
    TC_SAVE_KEEP_METADATA = 4     /* write the "metadata" m was loaded with (if any) instead of
                                     metadata_json */
};

/*
 * Writes m (config, labels, tokenizer settings with every default spelled out, vocabulary,
 * weights) to the JSON file path. metadata_json (may be NULL) is a JSON value stored under
 * "metadata".
 *
 * TC_SAVE_INLINE_WEIGHTS: every weight in the JSON with 9 significant digits (round-trips
 * float32). Otherwise the weights go to a safetensors file (F32) next to path named
 * <stem>-<hash>.safetensors, where hash is a hash of its bytes: a JSON file always names the
 * weights it was written with, even if the process dies between writing the files.
 * TC_SAVE_VOCAB_FILE: the vocabulary goes to <stem>-<hash>.vocab.txt next to path (one token per
 * line) in the same way; otherwise it is inline.
 *
 * Every file is written to a temporary name in the same directory (<file>.tmp.<6 random
 * characters>, created with O_EXCL | O_NOFOLLOW and mode 0666 less the umask: nothing that
 * already has that name, such as a planted symbolic link, is ever written through), flushed to
 * disk and renamed into place, so readers see the old model or the complete new one, never a partial one. Once
 * the new JSON is in place, the companion files of the JSON it replaced (a weights or vocabulary
 * file named <stem>-<16 hex digits>.safetensors / .vocab.txt in its directory, as this function
 * names them) are removed unless the new JSON uses them too. Returns TC_OK, TC_ERR_NOMEM or
 * TC_ERR_IO (temporary and new companion files removed, the old model intact).
 */
tc_status tc_model_save(const tc_model *m, const char *path, const char *metadata_json,
                        int flags, tc_error *err);

#endif
