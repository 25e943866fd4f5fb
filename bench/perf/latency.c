/*
 * latency.c - single-document latency of the textclf library (bench/perf/run.sh builds and runs it).
 *
 *     latency MODEL.json DOCS.txt [N] [WARMUP]
 *
 * Uses only the public API (src/textclf.h): loads MODEL.json, creates one session, reads DOCS.txt
 * (one document per line, LF) into memory, classifies the first WARMUP documents untimed (default
 * 100), then times each tc_classify call on the first N documents (default 10000; fewer if the file
 * has fewer) with clock_gettime(CLOCK_MONOTONIC). A call is the whole per-document work of the
 * library: UTF-8 decoding, normalisation, WordPiece, the forward pass, the softmax.
 *
 * Prints one JSON object: docs, tokens, seconds (sum of the timed calls), docs_per_s, tokens_per_s
 * and latency_us {p50, p99, mean, min, max} (nearest-rank percentiles). One thread; OpenBLAS is
 * set to one thread as the textclf program does. Exits 1 with a message on any error.
 *
 * Build (run.sh does this):
 *     cc -O2 -std=c11 -I SRC latency.c LIBDIR/libtextclf.a \
 *        $(pkg-config --cflags --libs libcjson libutf8proc openblas) -lm -lpthread
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "textclf.h"

void openblas_set_num_threads(int num_threads);   /* OpenBLAS's own API, as in src/main.c */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile q (0..100) of the ascending array v[0..n). */
static double percentile(const double *v, size_t n, double q)
{
    size_t k = (size_t)((q / 100.0) * (double)n + 0.999999999);
    return v[k > 0 ? k - 1 : 0];
}

/* Reads the whole file; *len receives its size. NULL on error. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: %s MODEL.json DOCS.txt [N] [WARMUP]\n", argv[0]);
        return 2;
    }
    size_t want = argc > 3 ? strtoul(argv[3], NULL, 10) : 10000;
    size_t warmup = argc > 4 ? strtoul(argv[4], NULL, 10) : 100;
    openblas_set_num_threads(1);

    tc_error err;
    char msg[2048];
    tc_model *model = NULL;
    if (tc_model_load(argv[1], &model, &err) != TC_OK) {
        fprintf(stderr, "latency: %s\n", tc_error_format(&err, msg, sizeof msg));
        return 1;
    }
    tc_session *session = NULL;
    if (tc_session_init(model, &session, &err) != TC_OK) {
        fprintf(stderr, "latency: %s\n", tc_error_format(&err, msg, sizeof msg));
        return 1;
    }

    size_t len;
    char *text = read_file(argv[2], &len);
    if (!text) {
        fprintf(stderr, "latency: cannot read %s\n", argv[2]);
        return 1;
    }
    /* document boundaries: starts[i] .. ends[i] (without the newline) */
    size_t ndocs = 0, cap = 1024;
    size_t *starts = malloc(cap * sizeof *starts), *ends = malloc(cap * sizeof *ends);
    for (size_t p = 0; p < len && ndocs < want;) {
        char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (!starts || !ends) { fprintf(stderr, "latency: out of memory\n"); return 1; }
        if (ndocs == cap) {   /* on failure the old blocks leak, and the program exits at once */
            cap *= 2;
            starts = realloc(starts, cap * sizeof *starts);
            ends = realloc(ends, cap * sizeof *ends);
            if (!starts || !ends) { fprintf(stderr, "latency: out of memory\n"); return 1; }
        }
        starts[ndocs] = p;
        ends[ndocs++] = e;
        p = e + 1;
    }
    if (ndocs == 0) { fprintf(stderr, "latency: no documents in %s\n", argv[2]); return 1; }

    int nl = tc_model_num_labels(model);
    float *probs = malloc((size_t)nl * sizeof *probs);
    double *lat = malloc(ndocs * sizeof *lat);
    if (!probs || !lat) { fprintf(stderr, "latency: out of memory\n"); return 1; }
    tc_doc_info info;
    for (size_t i = 0; i < warmup; i++) {
        size_t d = i % ndocs;
        if (tc_classify(session, text + starts[d], ends[d] - starts[d], 0, probs, &info, &err) != TC_OK) {
            fprintf(stderr, "latency: %s\n", tc_error_format(&err, msg, sizeof msg));
            return 1;
        }
    }
    int64_t tokens = 0;
    double sum = 0, checksum = 0;
    for (size_t d = 0; d < ndocs; d++) {
        double t0 = now_s();
        tc_status st = tc_classify(session, text + starts[d], ends[d] - starts[d], 0, probs, &info, &err);
        double t1 = now_s();
        if (st != TC_OK) {
            fprintf(stderr, "latency: document %zu: %s\n", d + 1, tc_error_format(&err, msg, sizeof msg));
            return 1;
        }
        lat[d] = t1 - t0;
        sum += lat[d];
        tokens += info.tokens;
        checksum += probs[0];   /* uses the result, so nothing can be optimised away */
    }
    qsort(lat, ndocs, sizeof *lat, cmp_double);
    printf("{\"contender\": \"textclf-lib\", \"docs\": %zu, \"tokens\": %lld, \"seconds\": %.6f, "
           "\"docs_per_s\": %.3f, \"tokens_per_s\": %.3f, \"latency_us\": {\"p50\": %.3f, "
           "\"p99\": %.3f, \"mean\": %.3f, \"min\": %.3f, \"max\": %.3f, \"calls\": %zu}, "
           "\"checksum\": %.6f}\n",
           ndocs, (long long)tokens, sum, (double)ndocs / sum, (double)tokens / sum,
           1e6 * percentile(lat, ndocs, 50), 1e6 * percentile(lat, ndocs, 99), 1e6 * sum / (double)ndocs,
           1e6 * lat[0], 1e6 * lat[ndocs - 1], ndocs, checksum);

    free(lat);
    free(probs);
    free(starts);
    free(ends);
    free(text);
    tc_session_free(session);
    tc_model_free(model);
    return 0;
}
