/*
 * model_info.c - read-only accessors of a loaded model.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"

static const char *const norm_names[] = TC_NORM_FORM_NAMES;
static const char *const case_names[] = TC_CASE_MODE_NAMES;
static const char *const pretok_names[] = TC_PRETOK_NAMES;
static const char *const act_names[] = TC_ACTIVATION_NAMES;
static const char *const position_names[] = TC_POSITION_NAMES;
static const char *const output_names[] = TC_OUTPUT_NAMES;

void tc_model_get_info(const tc_model *m, tc_model_info *info)
{
    if (!info) return;
    memset(info, 0, sizeof *info);
    if (!m) return;
    info->dim = m->dim;
    info->heads = m->heads;
    info->head_dim = m->head_dim;
    info->max_len = m->max_len;
    info->hidden = m->hidden;
    info->num_labels = m->num_labels;
    info->vocab_size = m->vocab.size;
    info->residual = m->residual;
    info->activation = act_names[m->activation];
    info->position = position_names[m->position];
    info->output = output_names[m->output];
    info->parameters = m->parameters;
    info->weights_file = m->weights_file;
    info->vocab_file = m->vocab_file;
    info->normalize = norm_names[m->tok.norm.form];
    info->case_mode = case_names[m->tok.norm.case_mode];
    info->pretokenize = pretok_names[m->tok.norm.pretok];
    info->strip_accents = m->tok.norm.strip_accents;
    info->unk_token = m->tok.unk_token;
    info->continuation_prefix = m->tok.prefix;
    info->max_word_chars = m->tok.max_word_chars;
    info->split_scripts = m->scripts_list;
    info->word_apostrophes = m->tok.word_apostrophes;
    info->ngram_buckets = m->tok.ngram_buckets;
    info->ngram_min = m->tok.ngram_buckets ? m->tok.ngram_min : 0;
    info->ngram_max = m->tok.ngram_buckets ? m->tok.ngram_max : 0;
    if (m->abstain_label) {   /* else NULL and zeros, as textclf.h says */
        info->abstain_label = m->abstain_label;
        info->abstain_min_probability = m->abstain_min_probability;
        info->abstain_max_unknown = m->abstain_max_unknown;
        info->abstain_letterless = m->abstain_letterless;
    }
}

int tc_model_num_labels(const tc_model *m) { return m ? m->num_labels : 0; }

const char *tc_model_label(const tc_model *m, int i)
{
    return m && i >= 0 && i < m->num_labels ? m->labels[i] : NULL;
}

int tc_model_label_withheld(const tc_model *m, int i)
{
    return m && m->withheld && i >= 0 && i < m->num_labels ? m->withheld[i] : 0;
}

const char *tc_model_token(const tc_model *m, int64_t id)
{
    return m && id >= 0 && id < m->vocab.size ? tc_vocab_token(&m->vocab, (int32_t)id) : NULL;
}

tc_status tc_model_metadata(const tc_model *m, char **json, tc_error *err)
{
    if (json) *json = NULL;
    if (!m) return tc_fail_null(err, "tc_model_metadata", "model");
    if (!json) return tc_fail_null(err, "tc_model_metadata", "json");
    tc_error_clear(err);
    if (!m->metadata) return TC_OK;
    /* printed by cJSON (its allocator), handed over as a copy from malloc: the caller frees
     * it with free() whatever allocator a program may have given cJSON */
    char *text = cJSON_PrintUnformatted(m->metadata);
    char *copy = text ? strdup(text) : NULL;
    cJSON_free(text);
    if (!copy) return tc_fail_nomem(err, NULL);
    *json = copy;
    return TC_OK;
}
