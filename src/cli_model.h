/*
 * cli_model.h - which model a command uses: -m, else $TEXTCLF_MODEL, else the built-in one.
 */
#ifndef TC_CLI_MODEL_H
#define TC_CLI_MODEL_H

#include "textclf.h"

/* The model to use: given (a command's -m) when not NULL or empty, else $TEXTCLF_MODEL when set
 * and not empty, else cli_builtin_name (cli_builtin.h; the same pointer, so that callers can
 * tell it from a file of that name). Never NULL. */
const char *cli_model_name(const char *given);

/* Loads the model cli_model_name named: the built-in one when name is cli_builtin_name, else
 * the file. Returns and fills *out and err as tc_model_load. */
tc_status cli_model_load(const char *name, tc_model **out, tc_error *err);

/* The model of a command's -m (given; NULL when none), loaded as cli_model_load loads
 * cli_model_name(given). Returns -1 when *out is loaded (free with tc_model_free), else reports
 * why not and returns the exit status: EXIT_MODEL, or EXIT_INTERNAL when out of memory. */
int cli_model_open(const char *given, tc_model **out);

#endif
