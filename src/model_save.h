/*
 * model_save.h - writing a model as one inline JSON file, atomically (internal).
 */
#ifndef TC_MODEL_SAVE_H
#define TC_MODEL_SAVE_H

#include "model.h"

/*
 * Writes m (config, labels, tokenizer settings, vocabulary, all weights inline with 9
 * significant digits, which round-trip float32 exactly) to path. metadata_json (may be NULL) is
 * a JSON value stored under "metadata". The file is written to a temporary name in the same
 * directory, flushed to disk and renamed over path, so readers see the old file or the complete
 * new one, never a partial one. Returns TC_OK or TC_ERR_IO (nothing left behind).
 */
tc_status tc_model_save(const tc_model *m, const char *path, const char *metadata_json,
                        tc_error *err);

#endif
