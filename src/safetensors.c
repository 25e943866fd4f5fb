/*
 * safetensors.c - safetensors header parsing and validation.
 */
#include "safetensors.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "json_util.h"

#define MAX_HEADER (100u << 20)   /* the format's own limit: 100 MB */

size_t tc_dtype_size(tc_dtype t)
{
    switch (t) {
    case TC_DT_F32: return 4;
    case TC_DT_F16: return 2;
    case TC_DT_BF16: return 2;
    case TC_DT_F64: return 8;
    }
    return 0;
}

void tc_st_close(tc_safetensors *st)
{
    if (st->map && !st->borrowed) munmap(st->map, st->map_len);
    for (int i = 0; i < st->count; i++) free(st->tensors[i].name);
    free(st->tensors);
    memset(st, 0, sizeof *st);
}

tc_st_tensor *tc_st_find(tc_safetensors *st, const char *name)
{
    for (int i = 0; i < st->count; i++)
        if (strcmp(st->tensors[i].name, name) == 0) return &st->tensors[i];
    return NULL;
}

/* Reads one "name": {...} header entry into t. */
static tc_status read_entry(const cJSON *e, tc_st_tensor *t, uint64_t data_len,
                            const char *file, const char *path, tc_error *err)
{
    static const char *const keys[] = {"dtype", "shape", "data_offsets", NULL};
    static const char *const dtypes[] = TC_DTYPE_NAMES;
    char p[TC_PATH_MAX];
    tc_status st = tc_json_check_object(e, keys, file, path, err);
    if (st != TC_OK) return st;
    int dt;
    const char *dts;
    if ((st = tc_json_get_string(e, "dtype", NULL, &dts, file, path, err)) != TC_OK) return st;
    for (dt = 0; dtypes[dt] && strcmp(dtypes[dt], dts) != 0; dt++) {}
    if (!dtypes[dt]) {
        tc_json_path_key(p, path, "dtype");
        return tc_fail(err, TC_ERR_MODEL, file, p,
                       "unsupported dtype \"%.32s\" (supported: F32, F16, BF16, F64)", dts);
    }
    t->dtype = (tc_dtype)dt;

    const cJSON *shape = tc_json_get(e, "shape");
    tc_json_path_key(p, path, "shape");
    if (!cJSON_IsArray(shape))
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected an array, got %s",
                       tc_json_type_name(shape));
    int rank = cJSON_GetArraySize(shape);
    if (rank > TC_MAX_RANK)
        return tc_fail(err, TC_ERR_MODEL, file, p, "rank %d is more than %d", rank, TC_MAX_RANK);
    t->rank = 0;
    uint64_t numel = 1;
    const cJSON *d;
    cJSON_ArrayForEach(d, shape) {
        char q[TC_PATH_MAX];
        tc_json_path_index(q, p, t->rank);
        if (!cJSON_IsNumber(d) || d->valuedouble < 0 || d->valuedouble > 9.0e15 ||
            d->valuedouble != (double)(int64_t)d->valuedouble)
            return tc_fail(err, TC_ERR_MODEL, file, q, "expected a non-negative integer");
        int64_t n = (int64_t)d->valuedouble;
        if (n && numel > UINT64_MAX / (uint64_t)n)
            return tc_fail(err, TC_ERR_MODEL, file, p, "element count overflows");
        numel *= (uint64_t)n;
        t->shape[t->rank++] = n;
    }
    const cJSON *off = tc_json_get(e, "data_offsets");
    tc_json_path_key(p, path, "data_offsets");
    if (!cJSON_IsArray(off) || cJSON_GetArraySize(off) != 2 || !cJSON_IsNumber(off->child) ||
        !cJSON_IsNumber(off->child->next) || off->child->valuedouble < 0 ||
        off->child->next->valuedouble < 0 || off->child->valuedouble > 1.8e19 ||
        off->child->next->valuedouble > 1.8e19 ||
        off->child->valuedouble != (double)(uint64_t)off->child->valuedouble ||
        off->child->next->valuedouble != (double)(uint64_t)off->child->next->valuedouble)
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected [begin, end] byte offsets");
    t->begin = (uint64_t)off->child->valuedouble;
    t->end = (uint64_t)off->child->next->valuedouble;
    if (t->begin > t->end || t->end > data_len)
        return tc_fail(err, TC_ERR_MODEL, file, p,
                       "[%llu,%llu] out of range (data is %llu bytes)",
                       (unsigned long long)t->begin, (unsigned long long)t->end,
                       (unsigned long long)data_len);
    size_t es = tc_dtype_size(t->dtype);
    if (numel > UINT64_MAX / es || t->end - t->begin != numel * es)
        return tc_fail(err, TC_ERR_MODEL, file, p,
                       "[%llu,%llu] holds %llu bytes, shape and dtype need %llu",
                       (unsigned long long)t->begin, (unsigned long long)t->end,
                       (unsigned long long)(t->end - t->begin),
                       (unsigned long long)(numel * es));
    return TC_OK;
}

static tc_status parse_header(tc_safetensors *st, const char *hdr, size_t hlen, const char *file,
                              tc_error *err)
{
    char *text = malloc(hlen + 1);
    if (!text) return tc_fail_nomem(err, file);
    memcpy(text, hdr, hlen);
    text[hlen] = '\0';
    cJSON *root = NULL;
    tc_status s = tc_json_parse(text, hlen, file, &root, err);
    if (s != TC_OK) {
        /* line:column count from the header's first byte (file offset 8): say so */
        if (err) {
            int line = err->line, col = err->column;
            tc_error_rewrap(err, file, NULL, "header: ");
            err->line = line;
            err->column = col;
        }
        goto done;
    }
    if (!cJSON_IsObject(root)) {
        s = tc_fail(err, TC_ERR_MODEL, file, "$", "header: expected an object, got %s",
                    tc_json_type_name(root));
        goto done;
    }
    if ((s = tc_json_check_object(root, NULL, file, "$", err)) != TC_OK) goto done;
    int n = cJSON_GetArraySize(root);
    st->tensors = calloc((size_t)n + 1, sizeof *st->tensors);
    if (!st->tensors) { s = tc_fail_nomem(err, file); goto done; }
    const cJSON *e;
    cJSON_ArrayForEach(e, root) {
        char p[TC_PATH_MAX];
        tc_json_path_key(p, "$", e->string);
        if (strcmp(e->string, "__metadata__") == 0) {
            const cJSON *m;
            if (!cJSON_IsObject(e)) {
                s = tc_fail(err, TC_ERR_MODEL, file, p, "expected an object");
                goto done;
            }
            cJSON_ArrayForEach(m, e) if (!cJSON_IsString(m)) {
                char q[TC_PATH_MAX];
                tc_json_path_key(q, p, m->string);
                s = tc_fail(err, TC_ERR_MODEL, file, q, "metadata values must be strings");
                goto done;
            }
            continue;
        }
        tc_st_tensor *t = &st->tensors[st->count];
        if ((s = read_entry(e, t, st->data_len, file, p, err)) != TC_OK) goto done;
        t->name = strdup(e->string);
        if (!t->name) { s = tc_fail_nomem(err, file); goto done; }
        st->count++;
    }
done:
    cJSON_Delete(root);
    free(text);
    return s;
}

/* Validates the whole file st->map[0..map_len): header length, header, data section. */
static tc_status parse_file(tc_safetensors *st, const char *path, tc_error *err)
{
    if (st->map_len < 8)
        return tc_fail(err, TC_ERR_MODEL, path, NULL,
                       "file too short for a safetensors header (%zu bytes)", st->map_len);
    const unsigned char *b = st->map;
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--) n = (n << 8) | b[i];
    if (n > MAX_HEADER || n > st->map_len - 8)
        return tc_fail(err, TC_ERR_MODEL, path, NULL,
                       "header length %llu does not fit in the file (%zu bytes)",
                       (unsigned long long)n, st->map_len);
    st->data = b + 8 + n;
    st->data_len = st->map_len - 8 - n;
    return parse_header(st, (const char *)b + 8, (size_t)n, path, err);
}

tc_status tc_st_open_memory(const void *buf, size_t len, const char *name, tc_safetensors *st,
                            tc_error *err)
{
    memset(st, 0, sizeof *st);
    st->map = (void *)buf;   /* never written: PROT_READ mappings get the same treatment */
    st->map_len = len;
    st->borrowed = 1;
    tc_status s = parse_file(st, name, err);
    if (s != TC_OK) tc_st_close(st);
    return s;
}

tc_status tc_st_open(const char *path, tc_safetensors *st, tc_error *err)
{
    memset(st, 0, sizeof *st);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(errno));
    struct stat sb;
    tc_status s = TC_OK;
    if (fstat(fd, &sb) != 0) { s = tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(errno)); goto fail; }
    if (S_ISDIR(sb.st_mode)) { s = tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(EISDIR)); goto fail; }
    if (sb.st_size < 8) {
        s = tc_fail(err, TC_ERR_MODEL, path, NULL, "file too short for a safetensors header (%lld bytes)",
                    (long long)sb.st_size);
        goto fail;
    }
    st->map_len = (size_t)sb.st_size;
    st->map = mmap(NULL, st->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (st->map == MAP_FAILED) {
        st->map = NULL;
        s = tc_fail(err, TC_ERR_IO, path, NULL, "cannot map file: %s", strerror(errno));
        goto fail;
    }
    if ((s = parse_file(st, path, err)) != TC_OK) goto fail;
    close(fd);
    return TC_OK;
fail:
    close(fd);
    tc_st_close(st);
    return s;
}
