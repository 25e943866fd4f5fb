/*
 * error.h - filling a tc_error (internal).
 *
 * Every failing library function records its error through these helpers and returns the code,
 * so the pattern at a failure site is one line: `return tc_fail(err, TC_ERR_MODEL, ...)`.
 * err may be NULL everywhere: the caller then gets the code without the details.
 */
#ifndef TC_ERROR_H
#define TC_ERROR_H

#include "textclf.h"

/* Sets err to code with a printf-style message about file (may be NULL) at JSON path (may be
 * NULL); line/column cleared. Returns code. */
tc_status tc_fail(tc_error *err, tc_status code, const char *file, const char *path,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Like tc_fail with a 1-based line and column instead of a JSON path. */
tc_status tc_fail_at(tc_error *err, tc_status code, const char *file, int line, int column,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Re-attributes an error to another place, keeping its code and message: sets err's file and
 * JSON path (either may be NULL to clear it, line/column are cleared) and puts prefix before the
 * message. Used when a file named by the model JSON fails, so the error says which key named it.
 */
void tc_error_rewrap(tc_error *err, const char *file, const char *path, const char *prefix);

/* TC_ERR_ARG for a required pointer argument that is NULL: "fn: arg is NULL". Returns
 * TC_ERR_ARG. */
tc_status tc_fail_null(tc_error *err, const char *fn, const char *arg);

/* Shorthand for the out-of-memory error. */
tc_status tc_fail_nomem(tc_error *err, const char *file);

/* Clears err to TC_OK. */
void tc_error_clear(tc_error *err);

#endif
