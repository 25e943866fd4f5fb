/*
 * model.h - the loaded model (internal layout of the opaque tc_model).
 *
 * Sizes come from the JSON config and were validated by the loader; every weight pointer is
 * either into `owned` memory or into the weights file's bytes (read into memory, or the
 * caller's for a model loaded from memory), float32, row-major, PyTorch layout.
 */
#ifndef TC_MODEL_H
#define TC_MODEL_H

#include <cJSON.h>
#include <stdint.h>

#include "inline_data.h"
#include "safetensors.h"
#include "textclf.h"
#include "tokenizer.h"
#include "vocab.h"

typedef enum { TC_ACT_RELU = 0, TC_ACT_GELU, TC_ACT_TANH } tc_activation;
#define TC_ACTIVATION_NAMES {"relu", "gelu", "tanh", NULL}

enum { TC_NUM_TENSORS = 10 };

struct tc_model {
    /* config */
    int dim;            /* d */
    int heads;          /* h */
    int head_dim;       /* hd */
    int max_len;        /* T_max */
    int hidden;         /* hidden width */
    int num_labels;     /* C */
    int residual;
    tc_activation activation;

    char **labels;      /* owned [C] */
    tc_vocab vocab;
    tc_tokenizer tok;
    char *vocab_file;   /* owned, as written in the JSON, or NULL */
    char *weights_file; /* owned, as written in the JSON, or NULL */
    cJSON *metadata;    /* owned: the JSON's "metadata" value, detached from the parsed document
                           (not read by textclf; kept so that the model can be written again,
                           `textclf convert`), or NULL */
    char scripts_list[64]; /* tok.scripts as "han,kana,..." for display */

    /* weights (H = heads * head_dim) */
    const float *embedding;     /* [V, d] */
    const float *position;      /* [max_len, d] */
    const float *in_proj_w;     /* [3H, d]  rows: Wq | Wk | Wv */
    const float *in_proj_b;     /* [3H] */
    const float *out_proj_w;    /* [d, H] */
    const float *out_proj_b;    /* [d] */
    const float *hidden_w;      /* [hidden, d] */
    const float *hidden_b;      /* [hidden] */
    const float *cls_w;         /* [C, hidden] */
    const float *cls_b;         /* [C] */

    struct tc_qk_cache *qk;         /* owned: classification's projection tables (infer.h), or
                                       NULL (a model being trained) */
    float *owned[TC_NUM_TENSORS];   /* weights we allocated (inline or converted) */
    tc_safetensors st;              /* the weights file's bytes and tensor list, if any */
    int64_t parameters;
};

/* How many tokens per-document scratch should hold for a document of T tokens (0 <= T <= max_len):
 * the next power of two from TC_TOKENS_MIN up, never more than max_len. Sessions grow their
 * scratch to this as documents need it (a model's max_len may be 65536 while its documents are
 * a few words long: scratch for max_len would be gigabytes), doubling, so a stream of documents
 * reallocates O(log max_len) times in all. */
enum { TC_TOKENS_MIN = 64 };
static inline int tc_token_capacity(int T, int max_len)
{
    int cap = TC_TOKENS_MIN;
    while (cap < T && cap < max_len) cap *= 2;
    return cap < max_len ? cap : max_len;
}

/* Fills the weight pointers from the JSON "tensors" object (model_tensors.c). weights_name is
 * the JSON's "weights_file" (NULL when it has none), already checked by tc_ref_check_name: the
 * file is read from the model's directory (model_ref.h), or, when weights_mem is not NULL,
 * taken from weights_mem[0..len) (borrowed; the name then only names it in messages). inl holds
 * the inline "data" arrays read from the text before it was parsed (inline_data.h): the model
 * takes the numbers of those it uses. */
tc_status tc_model_load_tensors(tc_model *m, const cJSON *tensors, const char *json_path,
                                const char *weights_name, const void *weights_mem,
                                size_t weights_len, tc_inline_set *inl, tc_error *err);

#endif
