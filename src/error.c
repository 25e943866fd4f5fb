/*
 * error.c - building and formatting tc_error values.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy_str(char *dst, size_t size, const char *src)
{
    if (!src) src = "";
    size_t n = strlen(src);
    if (n >= size) n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void tc_error_clear(tc_error *err)
{
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->code = TC_OK;
}

static tc_status vfail(tc_error *err, tc_status code, const char *file, const char *path, int line,
                       int column, const char *fmt, va_list ap)
{
    if (!err) return code;
    tc_error_clear(err);
    err->code = code;
    err->line = line;
    err->column = column;
    copy_str(err->file, sizeof err->file, file);
    copy_str(err->path, sizeof err->path, path);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

tc_status tc_fail(tc_error *err, tc_status code, const char *file, const char *path,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, code, file, path, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

tc_status tc_fail_at(tc_error *err, tc_status code, const char *file, int line, int column,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, code, file, NULL, line, column, fmt, ap);
    va_end(ap);
    return code;
}

void tc_error_rewrap(tc_error *err, const char *file, const char *path, const char *prefix)
{
    if (!err) return;
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s%s", prefix, err->message);
    memcpy(err->message, msg, sizeof msg);
    copy_str(err->file, sizeof err->file, file);
    copy_str(err->path, sizeof err->path, path);
    err->line = err->column = 0;
}

tc_status tc_fail_null(tc_error *err, const char *fn, const char *arg)
{
    return tc_fail(err, TC_ERR_ARG, NULL, NULL, "%s: %s is NULL", fn, arg);
}

tc_status tc_fail_nomem(tc_error *err, const char *file)
{
    return tc_fail(err, TC_ERR_NOMEM, file, NULL, "out of memory");
}

const char *tc_status_string(tc_status code)
{
    switch (code) {
    case TC_OK: return "success";
    case TC_ERR_NOMEM: return "out of memory";
    case TC_ERR_IO: return "input/output error";
    case TC_ERR_MODEL: return "invalid model";
    case TC_ERR_INPUT: return "invalid input";
    case TC_ERR_ARG: return "invalid argument";
    }
    return "unknown error";
}

char *tc_error_format(const tc_error *err, char *buf, size_t size)
{
    if (!buf || size == 0) return buf;
    if (!err) {
        snprintf(buf, size, "unknown error");
        return buf;
    }
    const char *msg = err->message[0] ? err->message : tc_status_string(err->code);
    if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->column, msg);
    else if (err->file[0] && err->path[0])
        snprintf(buf, size, "%s: %s: %s", err->file, err->path, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else if (err->path[0])
        snprintf(buf, size, "%s: %s", err->path, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}
