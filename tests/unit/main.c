/*
 * Unit test runner: every suite below runs in order; the last line is "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>

#include "blas.h"
#include "test.h"

int test_passed, test_failed;
const char *test_current;

void test_utf8(void);
void test_vocab(void);
void test_json(void);
void test_inline_data(void);
void test_tokenizer(void);
void test_kernels(void);
void test_vexp(void);
void test_vexp8(void);
void test_labeled(void);
void test_model_memory(void);
void test_program_data(void);
void test_forward(void);
void test_threads(void);
void test_backprop(void);
void test_model_save(void);
void test_rank(void);
void test_crop(void);
void test_metrics(void);
void test_wordpiece_train(void);
void test_explain(void);
void test_session(void);
void test_api(void);
void test_label(void);
void test_strmap(void);
void test_abstain(void);
void test_f16(void);
void test_quant(void);
void test_position(void);
void test_fmt_float(void);
void test_autotune(void);

static const struct {
    const char *name;
    void (*fn)(void);
} suites[] = {
    {"utf8", test_utf8},
    {"vocab", test_vocab},
    {"json", test_json},
    {"inline_data", test_inline_data},
    {"tokenizer", test_tokenizer},
    {"kernels", test_kernels},
    {"vexp", test_vexp},
    {"vexp8", test_vexp8},
    {"labeled", test_labeled},
    {"model_memory", test_model_memory},
    {"program_data", test_program_data},
    {"forward", test_forward},
    {"threads", test_threads},
    {"backprop", test_backprop},
    {"model_save", test_model_save},
    {"rank", test_rank},
    {"crop", test_crop},
    {"metrics", test_metrics},
    {"wordpiece_train", test_wordpiece_train},
    {"explain", test_explain},
    {"session", test_session},
    {"api", test_api},
    {"label", test_label},
    {"strmap", test_strmap},
    {"abstain", test_abstain},
    {"f16", test_f16},
    {"quant", test_quant},
    {"position", test_position},
    {"fmt_float", test_fmt_float},
    {"autotune", test_autotune},
};

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = 0;
        *len = (size_t)n;
    }
    return b;
}

int main(void)
{
    tc_error err;
    if (tc_blas_load(&err) != TC_OK) {   /* the forward and backprop suites use BLAS */
        printf("FAIL %s\n0 passed, 1 failed\n", err.message);
        return 1;
    }
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        int before = test_failed;
        test_current = suites[i].name;
        suites[i].fn();
        printf("%s %s\n", test_failed == before ? "PASS" : "FAIL", suites[i].name);
    }
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}
