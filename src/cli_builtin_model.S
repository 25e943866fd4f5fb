/*
 * cli_builtin_model.S - the default model's files, built into the textclf program.
 *
 * The Makefile passes TC_BUILTIN_JSON, TC_BUILTIN_WEIGHTS and TC_BUILTIN_VOCAB, the absolute
 * paths of the default model's JSON, safetensors and vocabulary files (DEFAULT_MODEL in the
 * Makefile; an empty file for a file the model does not have); .incbin copies their bytes
 * here at build time, so the program needs no file at run time and never depends on the current
 * directory. cli_builtin.c turns the symbols into a model. The weights are 64-byte aligned so
 * their float32 data can be used in place.
 */
    .section .rodata
    .balign 64
    .globl tc_builtin_weights
tc_builtin_weights:
    .incbin TC_BUILTIN_WEIGHTS
    .globl tc_builtin_weights_end
tc_builtin_weights_end:
    .balign 64
    .globl tc_builtin_vocab
tc_builtin_vocab:
    .incbin TC_BUILTIN_VOCAB
    .globl tc_builtin_vocab_end
tc_builtin_vocab_end:
    .globl tc_builtin_json
tc_builtin_json:
    .incbin TC_BUILTIN_JSON
    .globl tc_builtin_json_end
tc_builtin_json_end:
    .byte 0

    .section .note.GNU-stack,"",@progbits
