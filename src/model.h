/*
 * model.h - the loaded model (internal layout of the opaque tc_model).
 *
 * Sizes come from the JSON config and were validated by the loader; every weight pointer is
 * either into `owned` memory or into the weights file's bytes (read into memory, or the
 * caller's for a model loaded from memory), row-major, PyTorch layout. Weights are float32,
 * except the two tables that are gathered by row (TC_W_EMBEDDING, TC_W_NGRAM) when the weights
 * file stores them as F16 or I8: those stay F16 (tc_model.w16) or int8 with per-row scales
 * (tc_model.w8, .scale8; quant.h) and their rows are converted when read (tc_model_row), so that
 * a large F16 or I8 model starts without converting millions of weights it may never read.
 */
#ifndef TC_MODEL_H
#define TC_MODEL_H

#include <cJSON.h>
#include <stdint.h>

#include "inline_data.h"
#include "kernels.h"
#include "position.h"
#include "quant.h"
#include "safetensors.h"
#include "textclf.h"
#include "tokenizer.h"
#include "vocab.h"

/* The most labels a model has (docs/model-format.md, "labels": 2 to 100000): the loader refuses
 * a model with more, and training an input with more. */
#define TC_MAX_LABELS 100000

/*
 * The weight tensors, by id. Their order is the model file's (the order tc_model_save writes
 * them in; tools/textclf_ref.py's TENSOR_NAMES lists the same names in the same order) and that of
 * every per-tensor array: tc_model.w, .owned, gradients (train_grads.h), AdamW's moments
 * (train_adamw.h).
 * tc_tensor_specs says the rest about each: adding a tensor is an entry here, its row there, and
 * its maths (the forward passes, train_backprop.c, the loader's range check, and train.c's
 * initialisation, whose switch over the ids has no default: -Wswitch names a tensor it lacks).
 * (H = heads * head_dim.) TC_W_NGRAM exists only in a model with character n-grams (B > 0,
 * tc_model_has_tensor): without them its shape is [0, d], it is not in the file, and its
 * pointers are NULL. Likewise TC_W_POSITION exists only with learned positions; the forward
 * passes read position vectors through tc_model_position, whatever the mode.
 */
typedef enum {
    TC_W_EMBEDDING,    /* [V, d]         token embeddings */
    TC_W_NGRAM,        /* [B, d]         character n-gram buckets (B = config.ngram_buckets) */
    TC_W_POSITION,     /* [P, d]         learned position embeddings (P = max_len with
                        * config.position "learned", else 0: position.h) */
    TC_W_IN_PROJ,      /* [3H, d]        attention input projection, rows Wq | Wk | Wv */
    TC_W_IN_PROJ_B,    /* [3H] */
    TC_W_OUT_PROJ,     /* [d, H]         attention output projection */
    TC_W_OUT_PROJ_B,   /* [d] */
    TC_W_HIDDEN,       /* [hidden, d]    dense layer */
    TC_W_HIDDEN_B,     /* [hidden] */
    TC_W_CLS,          /* [C, hidden]    classifier */
    TC_W_CLS_B,        /* [C] */
    TC_NUM_TENSORS
} tc_tensor_id;

/* The sizes of the network that tensor shapes are made of (tc_model_size). */
typedef enum {
    TC_SIZE_VOCAB,     /* V */
    TC_SIZE_BUCKETS,   /* B = ngram_buckets (0: no n-grams) */
    TC_SIZE_POSITIONS, /* rows of position.weight: max_len when positions are learned, else 0 */
    TC_SIZE_DIM,       /* d */
    TC_SIZE_H,         /* H = heads * head_dim */
    TC_SIZE_3H,        /* 3H: Q, K and V */
    TC_SIZE_HIDDEN,    /* hidden */
    TC_SIZE_LABELS     /* C */
} tc_size;

/* What the code that visits every tensor needs to know about one. */
typedef struct {
    const char *name;    /* its key in the model JSON's "tensors" and in safetensors files */
    int rank;            /* 1 (a vector) or 2 (a matrix, row-major) */
    tc_size shape[2];    /* shape[0..rank) */
    int decay;           /* 1: AdamW decays it (matrices, embeddings); 0: not (biases) */
} tc_tensor_spec;

/* Indexed by tc_tensor_id (model_tensors.c). */
extern const tc_tensor_spec tc_tensor_specs[TC_NUM_TENSORS];

/* The size s of model m (its config and vocabulary size must be set). */
int64_t tc_model_size(const tc_model *m, tc_size s);

/* shape[0..rank) of tensor id in model m, shape[rank..2) = 0; returns rank. */
int tc_tensor_shape(const tc_model *m, tc_tensor_id id, int64_t shape[2]);

/* 1 if model m has tensor id: all but TC_W_NGRAM and TC_W_POSITION always, TC_W_NGRAM when it
 * has n-grams, TC_W_POSITION when its positions are learned. */
static inline int tc_model_has_tensor(const tc_model *m, tc_tensor_id id);

/* n[id] = the element count of each of m's tensors (0 for TC_W_NGRAM without n-grams). */
void tc_model_tensor_sizes(const tc_model *m, size_t n[TC_NUM_TENSORS]);

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
    tc_output output;       /* config.output: softmax (one label) or sigmoid (multi-label) */
    tc_position position;   /* where position vectors come from (position.h) */
    float *pos_table;       /* owned: with sinusoidal positions the table [max_len, d]; with
                             * none one row of zeros [d]; NULL with learned positions (the
                             * tensor TC_W_POSITION). Set by tc_model_positions_init. */
    const float *pos_base;  /* what tc_model_position reads: TC_W_POSITION's data or pos_table */
    size_t pos_stride;      /* floats from one position's vector to the next: d, or 0 (none) */

    char **labels;      /* owned [C] */
    /* the abstain rule ($.abstain, docs/model-format.md): abstain_label NULL when there is none */
    char *abstain_label;              /* owned */
    double abstain_min_probability;   /* in [0,1]; 0 when absent (never for this reason) */
    double abstain_max_unknown;       /* in [0,1]; 1 when absent (never) */
    int abstain_letterless;           /* 0 or 1; 1 when absent */
    unsigned char *withheld;          /* owned [C]: 1 for a label the rule never answers
                                       * ($.abstain.withheld), else 0; NULL when none is */
    int num_withheld;                 /* labels with withheld[c] = 1: 0 .. C - 1 */
    tc_vocab vocab;
    tc_tokenizer tok;
    char *vocab_file;   /* owned, as written in the JSON, or NULL */
    char *weights_file; /* owned, as written in the JSON, or NULL */
    cJSON *metadata;    /* owned: the JSON's "metadata" value, detached from the parsed document
                           (not read by textclf; kept so that the model can be written again,
                           `textclf convert`), or NULL */
    char scripts_list[64]; /* tok.scripts as "han,kana,..." for display (tc_model_list_scripts) */

    /* The weights, by tc_tensor_id (shapes there): w[id] float32, or NULL for a tensor held as
     * F16, whose halves are then w16[id], or as I8, whose int8 values are then w8[id] (only
     * TC_W_EMBEDDING and TC_W_NGRAM, when the weights file stores them so: tc_row_resident;
     * little-endian, in the file's bytes or copied). Read a tensor that may be any of them
     * through tc_model_row / tc_model_floats / tc_model_weight. scale8[id] is the per-row scales
     * [rows] of every tensor the file stores as I8, resident or not (a matrix read whole is
     * converted to float32 at load: w[id]; its scales are kept so that it saves back as the
     * same int8 values: model_save.c), else NULL. */
    const float *w[TC_NUM_TENSORS];
    const uint16_t *w16[TC_NUM_TENSORS];
    const int8_t *w8[TC_NUM_TENSORS];
    const float *scale8[TC_NUM_TENSORS];

    struct tc_infer_cache *infer;   /* owned: what tc_infer derives from the weights (infer.h),
                                       or NULL (a model being trained) */
    float *owned[TC_NUM_TENSORS];   /* weights we allocated (inline or converted), by id */
    uint16_t *owned16[TC_NUM_TENSORS];   /* F16 halves we copied (the file's were not 2-byte
                                            aligned), by id */
    float *owned_scale[TC_NUM_TENSORS];  /* the I8 scales (always copied: checked), by id */
    tc_safetensors st;              /* the weights file's bytes and tensor list, if any */
    int64_t parameters;
};

static inline int tc_model_has_tensor(const tc_model *m, tc_tensor_id id)
{
    if (id == TC_W_POSITION) return m->position == TC_POSITION_LEARNED;
    return id != TC_W_NGRAM || m->tok.ngram_buckets > 0;
}

/* The position vector [d] that token t (0 <= t < max_len) of a document gets: row t of
 * position.weight, or of the sinusoidal table, or zeros (position none). Float32 always. */
static inline const float *tc_model_position(const tc_model *m, int t)
{
    /* no branch on the mode: this is read for every token of every document */
    return m->pos_base + (size_t)t * m->pos_stride;
}

/* The number of distinct position vectors of m: max_len, or 1 with none (token t's is then
 * vector 0). For code that caches something per position (infer.c). */
static inline int tc_model_position_rows(const tc_model *m)
{
    return m->position == TC_POSITION_NONE ? 1 : m->max_len;
}

/* Sets what tc_model_position reads for m, whose config (position, max_len, dim) is set and,
 * with learned positions, whose TC_W_POSITION tensor is in place (float32, where it stays:
 * training updates it there): allocates m->pos_table and computes the sinusoidal table into
 * it, or one row of zeros (position none); with learned positions points at the tensor. TC_OK
 * or TC_ERR_NOMEM (position.c). */
tc_status tc_model_positions_init(tc_model *m, tc_error *err);

/* 1 if tensor id stays F16 or I8 in memory when the weights file stores it so: the tables read
 * a row at a time by token or bucket (the others are read whole, by every document, and are
 * converted to float32 at load; the position table too, which tc_model_position reads as
 * float32 without a branch: it is max_len rows, not a vocabulary). */
static inline int tc_row_resident(tc_tensor_id id)
{
    return id == TC_W_EMBEDDING || id == TC_W_NGRAM;
}

/* Elements [first, first + n) of tensor id of m (a tensor m has) as float32: a pointer into m's
 * float32 weights, buf unused; or, for a tensor held as F16 or I8, buf[0..n) set to the values
 * (exact: the halves' values, or the products q * scale of quant.h) and buf. buf is the
 * caller's, with room for n floats; the result is valid while m and buf are. */
static inline const float *tc_model_floats(const tc_model *m, tc_tensor_id id, size_t first,
                                           size_t n, float *buf)
{
    if (m->w[id]) return m->w[id] + first;
    if (m->w16[id]) tc_f16_to_f32_n(buf, m->w16[id] + first, n);
    else tc_i8_to_f32_range(buf, m->w8[id], m->scale8[id], (size_t)m->dim, first, n);
    return buf;
}

/* Row `row` of table id ([rows, d]: TC_W_EMBEDDING, TC_W_NGRAM, TC_W_POSITION) as float32:
 * tc_model_floats of its d elements (buf: room for d floats). */
static inline const float *tc_model_row(const tc_model *m, tc_tensor_id id, int64_t row,
                                        float *buf)
{
    return tc_model_floats(m, id, (size_t)row * (size_t)m->dim, (size_t)m->dim, buf);
}

/* Element i of tensor id of m as float32, whichever form holds it: for code that reads a few
 * weights, or writes each as text. */
static inline float tc_model_weight(const tc_model *m, tc_tensor_id id, size_t i)
{
    if (m->w[id]) return m->w[id][i];
    if (m->w16[id]) return tc_f16_to_f32(m->w16[id][i]);
    return (float)m->w8[id][i] * m->scale8[id][i / (size_t)m->dim];   /* a [rows, d] table */
}

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

/* Sets m->scripts_list from m->tok.scripts: the names of TC_SCRIPT_NAMES it has, comma-separated
 * (model_load.c). */
void tc_model_list_scripts(tc_model *m);

/* Fills the weight pointers from the JSON "tensors" object (model_tensors.c). weights_name is
 * the JSON's "weights_file" (NULL when it has none), already checked by tc_ref_check_name: the
 * file is read from the model's directory (model_ref.h), or, when weights_mem is not NULL,
 * taken from weights_mem[0..len) (borrowed; the name then only names it in messages). inl holds
 * the inline "data" arrays read from the text before it was parsed (inline_data.h): the model
 * takes the numbers of those it uses. program_data: the weights are the program's own, as
 * tc_model_load_program_data (below) says. */
tc_status tc_model_load_tensors(tc_model *m, const cJSON *tensors, const char *json_path,
                                const char *weights_name, const void *weights_mem,
                                size_t weights_len, int program_data, tc_inline_set *inl,
                                tc_error *err);

/*
 * tc_model_load_memory for a model that is the program's own constant data (the textclf
 * program's built-in model, cli_builtin.c), with one check fewer: an F16 table used in place
 * (the embedding and n-gram tables, read a row at a time) is not read through for non-finite
 * halves, and its largest |w| is taken as F16's largest finite value (65504) in the range
 * check. Reading those megabytes on every start cost more than the rest of the load (docs/
 * performance.md, "Start-up"); the bytes cannot change without the program changing, and the
 * Makefile checks them when it builds the program (it loads DEFAULT_MODEL from its file with
 * every check, and this way too, and the build fails unless both load). Every other check is
 * tc_model_load_memory's. Not for bytes from outside the program.
 */
tc_status tc_model_load_program_data(const char *name, const char *json, size_t json_len,
                                     const char *vocab, size_t vocab_len, const void *weights,
                                     size_t weights_len, tc_model **out, tc_error *err);

#endif
