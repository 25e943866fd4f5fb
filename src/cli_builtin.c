/*
 * cli_builtin.c - the default model built into the program (cli_builtin_model.S).
 */
#include "cli_builtin.h"

#include <stddef.h>

#include "model.h"

extern const char tc_builtin_json[], tc_builtin_json_end[];
extern const char tc_builtin_vocab[], tc_builtin_vocab_end[];
extern const unsigned char tc_builtin_weights[], tc_builtin_weights_end[];

const char *const cli_builtin_name = "(built-in model)";

tc_status cli_builtin_load(tc_model **out, tc_error *err)
{
    size_t wlen = (size_t)(tc_builtin_weights_end - tc_builtin_weights);
    size_t vlen = (size_t)(tc_builtin_vocab_end - tc_builtin_vocab);
    /* the program's own bytes, checked when it was built (model.h) */
    return tc_model_load_program_data(cli_builtin_name, tc_builtin_json,
                                      (size_t)(tc_builtin_json_end - tc_builtin_json),
                                      vlen ? tc_builtin_vocab : NULL, vlen,
                                      wlen ? tc_builtin_weights : NULL, wlen, out, err);
}
