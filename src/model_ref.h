/*
 * model_ref.h - the files a model JSON names ("vocab": {"file": ...} and "weights_file"): the
 * rule they follow, and opening them (internal).
 *
 * Models are downloaded and shared like documents, so a model may make textclf read only files
 * of its own: a name is a relative path without ".." (subdirectories are allowed), and the file
 * it leads to, symbolic links followed, must be a regular file whose real location is inside
 * the real directory of the model JSON. Anything else is refused by name before a byte of it is
 * read: an absolute path, "..", a link out of the directory, a FIFO (which would block for
 * ever), a device, a directory, a socket (docs/model-format.md, "Files a model names"). The model
 * JSON itself (tc_model_load's path) is not concerned: it may be any readable file or a pipe.
 */
#ifndef TC_MODEL_REF_H
#define TC_MODEL_REF_H

#include <stdint.h>

#include "textclf.h"

/*
 * Checks the text of a name found at key_path ("$.vocab.file" or "$.weights_file") of the model
 * json_file, without touching the file system: not empty, not absolute, no ".." component.
 * TC_OK, or TC_ERR_MODEL naming json_file and key_path. Used by both loaders (from files and
 * from memory), so that a model is valid or not whichever way it is loaded.
 */
tc_status tc_ref_check_name(const char *name, const char *json_file, const char *key_path,
                            tc_error *err);

/* The directory of json_file joined with name ("dir/name", or name when json_file has no
 * directory part): how messages call the file. malloc'd; NULL when out of memory. */
char *tc_ref_path(const char *json_file, const char *name);

/*
 * Opens for reading the file that name (at key_path of json_file) leads to, after
 * tc_ref_check_name, if the rule above allows it. On TC_OK, *fd is a descriptor of a regular
 * file inside the model's directory, which the caller closes. On failure *fd is -1 and err names
 * json_file and key_path: TC_ERR_MODEL when the rule refuses the name or the file, TC_ERR_IO
 * ("cannot read dir/name: <errno text>") when it cannot be resolved or opened, TC_ERR_NOMEM.
 * Never opens a file that is not regular when the check is made (no FIFO is opened, no device
 * touched); the descriptor is opened non-blocking, so a file swapped for a FIFO meanwhile cannot
 * block either, and the real location checked is the opened file's.
 */
tc_status tc_ref_open(const char *json_file, const char *name, const char *key_path, int *fd,
                      tc_error *err);

#endif
