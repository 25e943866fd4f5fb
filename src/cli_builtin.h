/*
 * cli_builtin.h - the model textclf uses when neither -m nor TEXTCLF_MODEL names one.
 *
 * The build copies the default model's JSON, vocabulary and weights files into the program
 * (cli_builtin_model.S), so `textclf` works from any directory and after `make install` with no
 * model file around.
 */
#ifndef TC_CLI_BUILTIN_H
#define TC_CLI_BUILTIN_H

#include "textclf.h"

/* How the built-in model is named in messages and in `textclf info`. */
extern const char *const cli_builtin_name;

/* Loads the built-in model (see tc_model_load_memory); the weights stay in the program image. */
tc_status cli_builtin_load(tc_model **out, tc_error *err);

#endif
