/*
 * blas.c - OpenBLAS, opened with dlopen on first use (see blas.h).
 */
#include "blas.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

#define TC_BLAS_LIBRARY "libopenblas.so.0"

tc_blas_api tc_blas;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];   /* empty when loading succeeded */

/* dlsym returns void *; POSIX guarantees it converts to a function pointer */
#define LOOKUP(lib, name) ((__typeof__(name) *)(size_t)dlsym(lib, #name))

static void load_once(void)
{
    void *lib = dlopen(TC_BLAS_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why ? why : "cannot open " TC_BLAS_LIBRARY);
        return;
    }
    tc_blas.sgemm = LOOKUP(lib, cblas_sgemm);
    tc_blas.sgemv = LOOKUP(lib, cblas_sgemv);
    tc_blas.sger = LOOKUP(lib, cblas_sger);
    __typeof__(openblas_set_num_threads) *threads = LOOKUP(lib, openblas_set_num_threads);
    if (!tc_blas.sgemm || !tc_blas.sgemv || !tc_blas.sger) {
        snprintf(load_error, sizeof load_error, "%s lacks cblas_sgemm, cblas_sgemv or cblas_sger",
                 TC_BLAS_LIBRARY);
        memset(&tc_blas, 0, sizeof tc_blas);
        return;
    }
    /* one BLAS thread: results reproducible, and no thread start-up on small matrices */
    if (threads) threads(1);
}

tc_status tc_blas_load(tc_error *err)
{
    pthread_once(&once, load_once);
    if (!load_error[0]) return TC_OK;
    return tc_fail(err, TC_ERR_IO, NULL, NULL, "cannot load OpenBLAS: %s", load_error);
}
