/*
 * fuzz/tokenize.c - libFuzzer harness for text in: UTF-8 decoding and repair, normalisation,
 * pre-tokenisation, WordPiece and the forward pass, through tc_tokenize and tc_classify, with
 * the shipped language model (its tokenizer has every step on: NFKC, case folding, scripts
 * split into characters). TEXTCLF_FUZZ_MODEL names another model.
 *
 * Input: byte 0 chooses the flags (bit 0: TC_STRICT_UTF8) and, with its other bits, a chunk size
 * of 1 to 128 bytes; the rest is the document. Besides the contracts below, the document is
 * tokenised again cut into chunks of that size (src/tokenizer.c cuts long documents wherever it
 * finds it safe; with small chunks, at every such place): the ids must be the same, and the
 * abstain rule's counts of letter and unknown words (links left out) too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "textclf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tc_model *model;
static tc_session *session;
static tc_session *chunked;   /* the same model, tokenising in small chunks */
static float *probs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *path = getenv("TEXTCLF_FUZZ_MODEL");
    tc_error err;
    if (tc_model_load(path ? path : "models/lang.json", &model, &err) != TC_OK ||
        tc_session_init(model, &session, &err) != TC_OK ||
        tc_session_init(model, &chunked, &err) != TC_OK)
        abort();   /* run from the repository's root, or set TEXTCLF_FUZZ_MODEL */
    probs = malloc((size_t)tc_model_num_labels(model) * sizeof *probs);
    if (!probs) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    int flags = data[0] & 1 ? TC_STRICT_UTF8 : 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    tc_error err;
    const int32_t *ids;
    int64_t count;
    tc_doc_info info;
    tc_status st = tc_tokenize(session, text, len, flags, &ids, &count, &info, &err);
    if (st == TC_OK) {
        tc_model_info mi;
        tc_model_get_info(model, &mi);
        for (int64_t i = 0; i < count; i++)
            if (ids[i] < 0 || ids[i] >= mi.vocab_size) abort();
        /* the same ids when the document is cut into chunks of 1..128 bytes */
        chunked->tok.chunk_bytes = 1 + (size_t)(data[0] >> 1);
        const int32_t *ids2;
        int64_t count2;
        tc_doc_info info2;
        if (tc_tokenize(chunked, text, len, flags, &ids2, &count2, &info2, &err) != TC_OK ||
            count2 != count || (count && memcmp(ids, ids2, (size_t)count * sizeof *ids) != 0) ||
            info2.letter_words != info.letter_words || info2.unknown_words != info.unknown_words)
            abort();
    } else if (!(st == TC_ERR_INPUT && flags)) {
        abort();   /* only strict mode rejects text */
    }
    tc_status st2 = tc_classify(session, text, len, flags, probs, NULL, &err);
    if (st2 != st) abort();   /* both see the same text the same way */
    if (st2 == TC_OK) {
        float sum = 0;
        for (int i = 0; i < tc_model_num_labels(model); i++) {
            if (!(probs[i] >= 0 && probs[i] <= 1)) abort();
            sum += probs[i];
        }
        if (sum < 0.999f || sum > 1.001f) abort();
    }
    return 0;
}
