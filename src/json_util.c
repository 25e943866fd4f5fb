/*
 * json_util.c - JSON helpers that track file, path and line:column for error messages.
 */
#include "json_util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

tc_status tc_read_fd(int fd, const char *path, size_t max_bytes, char **data, size_t *len,
                     tc_error *err)
{
    *data = NULL;
    *len = 0;
    tc_status st = TC_OK;
    char *buf = NULL;
    size_t n = 0, cap = 65536;
    struct stat sb;
    int known = fstat(fd, &sb) == 0;
    if (known && S_ISDIR(sb.st_mode))
        return tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(EISDIR));
    if (known && S_ISREG(sb.st_mode) && sb.st_size >= 0) {
        if ((uint64_t)sb.st_size > max_bytes)
            return tc_fail(err, TC_ERR_MODEL, path, NULL, "file larger than %zu bytes", max_bytes);
        /* a regular file's size is known: one allocation of exactly that (+1 byte to see the
         * end of the file in the same buffer, +1 for the NUL), which bounds the memory a large
         * model JSON takes while it is loaded; the loop still copes with a file that grows */
        cap = (size_t)sb.st_size + 2;
    }
    for (;;) {
        if (n + 1 >= cap || !buf) {
            size_t ncap = !buf ? cap : cap * 2;
            if (ncap > max_bytes + 2) ncap = max_bytes + 2;
            if (ncap <= n + 1) {
                st = tc_fail(err, TC_ERR_MODEL, path, NULL, "file larger than %zu bytes",
                             max_bytes);
                goto done;
            }
            char *p = realloc(buf, ncap);
            if (!p) { st = tc_fail_nomem(err, path); goto done; }
            buf = p;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0) {
            st = errno == ENOMEM ? tc_fail_nomem(err, path)
                                 : tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(errno));
            goto done;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    buf = NULL;
done:
    free(buf);
    return st;
}

tc_status tc_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                       tc_error *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOMEM) return tc_fail_nomem(err, path);
    if (fd < 0) return tc_fail(err, TC_ERR_IO, path, NULL, "%s", strerror(errno));
    tc_status st = tc_read_fd(fd, path, max_bytes, data, len, err);
    close(fd);
    return st;
}

/* 1-based line and byte column of offset in text. */
static void line_col(const char *text, size_t offset, int *line, int *col)
{
    int l = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n') { l++; start = i + 1; }
    *line = l;
    *col = (int)(offset - start) + 1;
}

/* The number of arrays and objects open just before text[off], counting outside strings. Only
 * called on a prefix cJSON accepted, so the brackets in it balance as JSON's do. */
static int depth_at(const char *text, size_t off)
{
    int depth = 0, in_string = 0;
    for (size_t i = 0; i < off; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') i++;            /* an escaped character, '"' included */
            else if (c == '"') in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return depth;
}

/* Writes a short printable excerpt of s (stops at a newline), escaping other bytes. */
static void excerpt(char *dst, size_t size, const char *s, size_t avail)
{
    size_t o = 0;
    for (size_t i = 0; i < avail && i < 24 && o + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\r') break;
        if (c >= 0x20 && c < 0x7f && c != '\\') dst[o++] = (char)c;
        else o += (size_t)snprintf(dst + o, size - o, "\\x%02x", c);
    }
    dst[o] = '\0';
}

tc_status tc_json_parse(const char *text, size_t len, const char *file, cJSON **out,
                        tc_error *err)
{
    const char *end = NULL;
    *out = NULL;
    /* JSON allows no raw control characters anywhere (only tab, LF, CR as whitespace); cJSON
     * would skip them as whitespace, so reject them first */
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
            int line, col;
            line_col(text, i, &line, &col);
            return tc_fail_at(err, TC_ERR_MODEL, file, line, col,
                              "invalid JSON: control character 0x%02x", ch);
        }
    }
    /* length includes the terminator so cJSON can verify nothing follows the value. cJSON
     * records every parse's error position in one global variable (which we never read): the
     * lock keeps two threads loading models at once from racing on it. */
    static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&parse_lock);
    errno = 0;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    int parse_errno = errno;
    pthread_mutex_unlock(&parse_lock);
    errno = parse_errno;
    if (root && end == text + len) {
        *out = root;
        return TC_OK;
    }
    /* cJSON fails the same way when malloc fails as on a syntax error; malloc's errno tells */
    if (!root && errno == ENOMEM) return tc_fail_nomem(err, file);
    cJSON_Delete(root);
    size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
    if (root) off = (size_t)(end - text);   /* a NUL byte inside the file ended the parse */
    int line, col;
    line_col(text, off, &line, &col);
    /* cJSON refuses to open an array or object past CJSON_NESTING_LIMIT levels and reports
     * the bracket it stopped at: valid JSON, but too deep for the parser, and not "invalid" */
    if (off < len && (text[off] == '[' || text[off] == '{') &&
        depth_at(text, off) >= CJSON_NESTING_LIMIT)
        return tc_fail_at(err, TC_ERR_MODEL, file, line, col,
                          "JSON nested too deep: more than %d levels of arrays and objects",
                          CJSON_NESTING_LIMIT);
    while (off < len && (text[off] == ' ' || text[off] == '\t')) off++;
    if (off >= len)
        return tc_fail_at(err, TC_ERR_MODEL, file, line, col,
                          "invalid JSON: unexpected end of input");
    /* cJSON reports an unterminated string at its first content byte */
    const char *q = off > 0 ? memchr(text + off, '"', len - off) : NULL;
    if (off > 0 && text[off - 1] == '"' && !q)
        return tc_fail_at(err, TC_ERR_MODEL, file, line, col,
                          "invalid JSON: unterminated string (unexpected end of input)");
    char ex[128];
    excerpt(ex, sizeof ex, text + off, len - off);
    return tc_fail_at(err, TC_ERR_MODEL, file, line, col, "invalid JSON near '%s'", ex);
}

static int is_identifier(const char *s)
{
    if (!*s) return 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                 (p != s && c >= '0' && c <= '9');
        if (!ok) return 0;
    }
    return 1;
}

void tc_json_path_key(char *dst, const char *parent, const char *key)
{
    char tmp[TC_PATH_MAX];
    if (is_identifier(key)) {
        snprintf(tmp, sizeof tmp, "%s.%s", parent, key);
    } else {
        size_t o = (size_t)snprintf(tmp, sizeof tmp, "%s[\"", parent);
        for (const char *p = key; *p && o + 8 < sizeof tmp; p++) {
            unsigned char c = (unsigned char)*p;
            if (c == '"' || c == '\\') { tmp[o++] = '\\'; tmp[o++] = (char)c; }
            else if (c < 0x20) o += (size_t)snprintf(tmp + o, sizeof tmp - o, "\\u%04x", c);
            else tmp[o++] = (char)c;
        }
        if (o + 3 > sizeof tmp) o = sizeof tmp - 3;
        tmp[o++] = '"';
        tmp[o++] = ']';
        tmp[o] = '\0';
    }
    memcpy(dst, tmp, TC_PATH_MAX);
}

void tc_json_path_index(char *dst, const char *parent, int64_t index)
{
    char tmp[TC_PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s[%lld]", parent, (long long)index);
    memcpy(dst, tmp, TC_PATH_MAX);
}

const char *tc_json_type_name(const cJSON *item)
{
    if (!item) return "nothing";
    if (cJSON_IsString(item)) return "a string";
    if (cJSON_IsNumber(item)) return "a number";
    if (cJSON_IsBool(item)) return "a boolean";
    if (cJSON_IsNull(item)) return "null";
    if (cJSON_IsArray(item)) return "an array";
    if (cJSON_IsObject(item)) return "an object";
    return "an invalid value";
}

const cJSON *tc_json_get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

tc_status tc_json_check_object(const cJSON *obj, const char *const *allowed, const char *file,
                               const char *path, tc_error *err)
{
    if (!cJSON_IsObject(obj))
        return tc_fail(err, TC_ERR_MODEL, file, path, "expected an object, got %s",
                       tc_json_type_name(obj));
    const cJSON *item;
    cJSON_ArrayForEach(item, obj) {
        char p[TC_PATH_MAX];
        tc_json_path_key(p, path, item->string);
        int known = allowed == NULL;
        for (const char *const *a = allowed; a && *a; a++)
            if (strcmp(*a, item->string) == 0) known = 1;
        if (!known) return tc_fail(err, TC_ERR_MODEL, file, p, "unknown key");
        for (const cJSON *prev = obj->child; prev != item; prev = prev->next)
            if (strcmp(prev->string, item->string) == 0)
                return tc_fail(err, TC_ERR_MODEL, file, p, "duplicate key");
    }
    return TC_OK;
}

tc_status tc_json_get_int(const cJSON *obj, const char *key, int required, int64_t def,
                          int64_t min, int64_t max, int64_t *out, const char *file,
                          const char *path, tc_error *err)
{
    char p[TC_PATH_MAX];
    tc_json_path_key(p, path, key);
    const cJSON *v = tc_json_get(obj, key);
    if (!v) {
        if (required) return tc_fail(err, TC_ERR_MODEL, file, p, "missing (required)");
        *out = def;
        return TC_OK;
    }
    if (!cJSON_IsNumber(v))
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected an integer, got %s",
                       tc_json_type_name(v));
    double d = v->valuedouble;   /* valueint saturates; decide on the double */
    if (!(d == floor(d)) || d < (double)min || d > (double)max)
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected an integer in %lld..%lld, got %.17g",
                       (long long)min, (long long)max, d);
    *out = (int64_t)d;
    return TC_OK;
}

tc_status tc_json_get_bool(const cJSON *obj, const char *key, int def, int *out,
                           const char *file, const char *path, tc_error *err)
{
    const cJSON *v = tc_json_get(obj, key);
    if (!v) {
        *out = def;
        return TC_OK;
    }
    if (!cJSON_IsBool(v)) {
        char p[TC_PATH_MAX];
        tc_json_path_key(p, path, key);
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected true or false, got %s",
                       tc_json_type_name(v));
    }
    *out = cJSON_IsTrue(v);
    return TC_OK;
}

tc_status tc_json_get_string(const cJSON *obj, const char *key, const char *def,
                             const char **out, const char *file, const char *path,
                             tc_error *err)
{
    char p[TC_PATH_MAX];
    tc_json_path_key(p, path, key);
    const cJSON *v = tc_json_get(obj, key);
    if (!v) {
        if (!def) return tc_fail(err, TC_ERR_MODEL, file, p, "missing (required)");
        *out = def;
        return TC_OK;
    }
    if (!cJSON_IsString(v))
        return tc_fail(err, TC_ERR_MODEL, file, p, "expected a string, got %s",
                       tc_json_type_name(v));
    *out = v->valuestring;
    return TC_OK;
}

tc_status tc_json_get_choice(const cJSON *obj, const char *key, const char *const *choices,
                             int def, int *out, const char *file, const char *path,
                             tc_error *err)
{
    const char *s = NULL;
    tc_status st = tc_json_get_string(obj, key, choices[def], &s, file, path, err);
    if (st != TC_OK) return st;
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], s) == 0) {
            *out = i;
            return TC_OK;
        }
    char p[TC_PATH_MAX], list[256] = "";
    tc_json_path_key(p, path, key);
    for (int i = 0; choices[i]; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, choices[i], sizeof list - strlen(list) - 1);
    }
    return tc_fail(err, TC_ERR_MODEL, file, p, "expected one of %s, got \"%.64s\"", list, s);
}
