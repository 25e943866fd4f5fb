/*
 * json_util.h - reading model JSON with errors that say where (internal).
 *
 * Every helper takes the file name and the JSON path of the value it reads, so an error reads
 * "m.json: $.config.dim: expected an integer in 1..65536, got 0". Paths are built with
 * tc_json_path_key / tc_json_path_index into caller-provided char[TC_PATH_MAX] buffers.
 */
#ifndef TC_JSON_UTIL_H
#define TC_JSON_UTIL_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "textclf.h"

#define TC_PATH_MAX 256

/*
 * Reads the whole file into a malloc'd NUL-terminated buffer (*data, *len excludes the NUL).
 * Files larger than max_bytes are refused. Errors: TC_ERR_IO (with strerror), TC_ERR_MODEL
 * (too large), TC_ERR_NOMEM.
 */
tc_status tc_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                       tc_error *err);

/*
 * The same from a descriptor opened for reading, to its end (path names it in messages; the
 * caller closes fd). A regular file is read into one allocation of its size; a file larger than
 * max_bytes is refused before it is read.
 */
tc_status tc_read_fd(int fd, const char *path, size_t max_bytes, char **data, size_t *len,
                     tc_error *err);

/*
 * Parses text[0..len) (text[len] must be '\0') as one JSON value. On a syntax error reports
 * "file:line:col: invalid JSON near '...'" (or what is wrong: unexpected end of input, a control
 * character, an unterminated string; a document nested more than CJSON_NESTING_LIMIT levels
 * deep, which the parser refuses, is "JSON nested too deep") and returns TC_ERR_MODEL;
 * TC_ERR_NOMEM. *out is owned by the caller (cJSON_Delete).
 */
tc_status tc_json_parse(const char *text, size_t len, const char *file, cJSON **out,
                        tc_error *err);

/* dst = parent + ".key" (or ["key"] when key is not an identifier). */
void tc_json_path_key(char *dst, const char *parent, const char *key);
/* dst = parent + "[index]". */
void tc_json_path_index(char *dst, const char *parent, int64_t index);

/*
 * Checks that obj (at path) is an object whose keys are all in allowed (NULL-terminated) and
 * appear once. TC_ERR_MODEL otherwise.
 */
tc_status tc_json_check_object(const cJSON *obj, const char *const *allowed, const char *file,
                               const char *path, tc_error *err);

/* The member named key (case-sensitive), or NULL. */
const cJSON *tc_json_get(const cJSON *obj, const char *key);

/*
 * Reads obj.key as an integer in [min, max]. If the key is absent: with required set, an error;
 * otherwise *out = def. Non-integers (fractions, strings, 1e99) are errors.
 */
tc_status tc_json_get_int(const cJSON *obj, const char *key, int required, int64_t def,
                          int64_t min, int64_t max, int64_t *out, const char *file,
                          const char *path, tc_error *err);

/* Reads obj.key as a boolean (default def when absent). */
tc_status tc_json_get_bool(const cJSON *obj, const char *key, int def, int *out,
                           const char *file, const char *path, tc_error *err);

/*
 * Reads obj.key as a string that must be one of choices (NULL-terminated); *out = its index.
 * When absent, *out = def.
 */
tc_status tc_json_get_choice(const cJSON *obj, const char *key, const char *const *choices,
                             int def, int *out, const char *file, const char *path,
                             tc_error *err);

/*
 * Reads obj.key as a string (default def when absent; required if def is NULL). *out points
 * into the tree (or is def).
 */
tc_status tc_json_get_string(const cJSON *obj, const char *key, const char *def,
                             const char **out, const char *file, const char *path,
                             tc_error *err);

/* Describes a JSON value's type for messages: "a string", "an array", ... */
const char *tc_json_type_name(const cJSON *item);

#endif
