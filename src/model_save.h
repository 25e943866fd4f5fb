/*
 * model_save.h - writing a model as one inline JSON file, atomically (internal).
 */
#ifndef TC_MODEL_SAVE_H
#define TC_MODEL_SAVE_H

#include "model.h"

/*
 * Writes m (config, labels, tokenizer settings, vocabulary, weights) to the JSON file path.
 * metadata_json (may be NULL) is a JSON value stored under "metadata".
 *
 * inline_weights: every weight in the JSON with 9 significant digits (round-trips float32).
 * Otherwise the weights go to a safetensors file next to path named <stem>-<hash>.safetensors,
 * where hash is a hash of its bytes: a JSON file always names the weights it was written with,
 * even if the process dies between writing the two files. The weights file of the JSON being
 * replaced is removed once the new JSON is in place (when it is a different file).
 *
 * Every file is written to a temporary name in the same directory, flushed to disk and renamed
 * into place, so readers see the old model or the complete new one, never a partial one. Returns
 * TC_OK or TC_ERR_IO (temporary files removed).
 */
tc_status tc_model_save(const tc_model *m, const char *path, const char *metadata_json,
                        int inline_weights, tc_error *err);

#endif
