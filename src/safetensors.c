/*
 * safetensors.c - safetensors header parsing and validation.
 */
#include "safetensors.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "hugemem.h"
#include "json_util.h"

#define MAX_HEADER (100u << 20)   /* the format's own limit: 100 MB */

size_t tc_dtype_size(tc_dtype t)
{
    switch (t) {
    case TC_DT_F32: return 4;
    case TC_DT_F16: return 2;
    case TC_DT_BF16: return 2;
    case TC_DT_F64: return 8;
    case TC_DT_I8: return 1;
    }
    return 0;
}

uint16_t tc_f32_to_f16(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) return (uint16_t)(sign | 0x7e00);        /* NaN: a quiet NaN */
    if (ax >= 0x477ff000u) return (uint16_t)(sign | 0x7c00);       /* rounds to >= 65520: Inf */
    if (ax < 0x38800000u) {
        /* below the smallest normal half (2^-14): a subnormal half, q * 2^-24, rounded to
         * nearest even from the float's full significand shifted right by the exponent gap */
        if (ax < 0x33000000u) return sign;                          /* below 2^-25: ±0 */
        uint32_t e = ax >> 23, m = (ax & 0x7fffffu) | 0x800000u;    /* value = m * 2^(e-150) */
        uint32_t shift = 126 - e;                                  /* to units of 2^-24: 14..24 */
        uint32_t q = m >> shift, rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1))) q++;
        return (uint16_t)(sign | q);                               /* q = 0x400 is the least normal */
    }
    /* normal: rebias the exponent (127 -> 15) and round the 23-bit significand to 10 bits; a
     * carry out of the significand correctly bumps the exponent */
    uint32_t h = ((ax >> 13) - (112u << 10)), rem = ax & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) h++;
    return (uint16_t)(sign | h);
}

void tc_st_close(tc_safetensors *st)
{
    if (!st->borrowed) free(st->bytes);
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
                       "unsupported dtype \"%.32s\" (supported: F32, F16, BF16, F64, I8)", dts);
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

/* Checks the header length n, the file's first 8 bytes (little-endian), against the file's
 * size. A length past the format's limit is not printed: it is 8 bytes of a file that is not a
 * safetensors file at all (text reads as a number like 3475222254926655346, "root:x:0"), and a
 * message should not show a file's content. A plausible length is, to diagnose a cut file. */
static tc_status check_header_length(uint64_t n, uint64_t size, const char *path, tc_error *err)
{
    if (n > MAX_HEADER)
        return tc_fail(err, TC_ERR_MODEL, path, NULL,
                       "not a safetensors file: its header length is beyond the format's "
                       "limit (%u bytes)", MAX_HEADER);
    if (n > size - 8)
        return tc_fail(err, TC_ERR_MODEL, path, NULL,
                       "header length %llu does not fit in the file (%llu bytes)",
                       (unsigned long long)n, (unsigned long long)size);
    return TC_OK;
}

static uint64_t header_length(const unsigned char *b)
{
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--) n = (n << 8) | b[i];
    return n;
}

/* Validates the whole file st->bytes[0..len): header length, header, data section. */
static tc_status parse_file(tc_safetensors *st, const char *path, tc_error *err)
{
    if (st->len < 8)
        return tc_fail(err, TC_ERR_MODEL, path, NULL,
                       "file too short for a safetensors header (%zu bytes)", st->len);
    const unsigned char *b = st->bytes;
    uint64_t n = header_length(b);
    tc_status s = check_header_length(n, st->len, path, err);
    if (s != TC_OK) return s;
    st->data = b + 8 + n;
    st->data_len = st->len - 8 - n;
    return parse_header(st, (const char *)b + 8, (size_t)n, path, err);
}

tc_status tc_st_open_memory(const void *buf, size_t len, const char *name, tc_safetensors *st,
                            tc_error *err)
{
    memset(st, 0, sizeof *st);
    st->bytes = (void *)buf;   /* never written */
    st->len = len;
    st->borrowed = 1;
    tc_status s = parse_file(st, name, err);
    if (s != TC_OK) tc_st_close(st);
    return s;
}

/* Reads up to n bytes at offset off of fd into buf, to the end of the file; the number read, or
 * -1 with errno. */
static ssize_t read_at(int fd, void *buf, size_t n, off_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, off + (off_t)got);
        if (r < 0) return -1;
        if (r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

tc_status tc_st_read(int fd, const char *path, tc_safetensors *st, tc_error *err)
{
    memset(st, 0, sizeof *st);
    struct stat sb;
    if (fstat(fd, &sb) != 0) return tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(errno));
    if (S_ISDIR(sb.st_mode)) return tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(EISDIR));
    uint64_t size = sb.st_size > 0 ? (uint64_t)sb.st_size : 0;
    if (size < 8)
        return tc_fail(err, TC_ERR_MODEL, path, NULL,
                       "file too short for a safetensors header (%llu bytes)",
                       (unsigned long long)size);
    /* the header length first: a file that is not safetensors is refused before it is read */
    unsigned char b8[8];
    ssize_t got = read_at(fd, b8, 8, 0);
    if (got < 0) return tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(errno));
    tc_status s = got < 8 ? TC_OK : check_header_length(header_length(b8), size, path, err);
    if (s != TC_OK) return s;
    if ((uint64_t)(size_t)size != size) return tc_fail_nomem(err, path);   /* 32-bit hosts */
    /* The whole file into memory, not a memory map: the weights are then the model's own, and
     * a file truncated or rewritten while the model is in use (a model retrained in place under
     * a running `tail -f | textclf`) cannot kill the process with SIGBUS or change its answers
     * (docs/reliability.md). The checks below run on these bytes, whatever the file became. */
    /* huge pages (hugemem.h): it is read whole, then its embedding's rows at random */
    st->bytes = tc_table_alloc((size_t)size, TC_PAGES_HUGE);
    if (!st->bytes) return tc_fail_nomem(err, path);
    got = read_at(fd, st->bytes, (size_t)size, 0);
    if (got < 0) {
        s = tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(errno));
        tc_st_close(st);
        return s;
    }
    st->len = (size_t)got;   /* fewer when the file shrank since fstat: checked as it is */
    if ((s = parse_file(st, path, err)) != TC_OK) tc_st_close(st);
    return s;
}

void tc_st_release_bytes(tc_safetensors *st)
{
    if (!st->borrowed) free(st->bytes);
    st->bytes = NULL;
    st->data = NULL;
    st->len = 0;
    st->data_len = 0;
}
