/*
 * blas.h - the BLAS routines textclf uses (sgemm, sgemv, sger), from OpenBLAS loaded when first
 * needed (internal).
 *
 * Why: classification does no BLAS calls (infer.c), but a program linked to OpenBLAS pays about
 * 2 ms at every start for the library's relocations and constructor, a third of textclf's
 * start-up (docs/performance.md). Training, tc_forward (the reference forward pass) and their
 * tests do use it: they call tc_blas_load first, which opens Debian's libopenblas.so.0 (package
 * libopenblas0, which libopenblas-dev depends on) once per process, with one BLAS thread, since
 * textclf runs its own threads over documents.
 */
#ifndef TC_BLAS_H
#define TC_BLAS_H

#include <cblas.h>

#include "textclf.h"

typedef struct {
    __typeof__(cblas_sgemm) *sgemm;
    __typeof__(cblas_sgemv) *sgemv;
    __typeof__(cblas_sger) *sger;
} tc_blas_api;

/* The routines, valid once tc_blas_load has returned TC_OK in this process. */
extern tc_blas_api tc_blas;

/* Loads OpenBLAS (once; thread-safe; later calls return the first result). TC_OK, or TC_ERR_IO
 * naming the library and what the dynamic loader said. */
tc_status tc_blas_load(tc_error *err);

#endif
