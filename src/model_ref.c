/*
 * model_ref.c - the files a model JSON names: the rule, and opening them (model_ref.h).
 */
#include "model_ref.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

#define RULE "a model may name only files in its own directory"

/* name in double quotes for a message: at most 120 of its bytes (then "..."), with quotes,
 * backslashes and control bytes escaped so that the message stays one line */
static void quoted(char *dst, size_t size, const char *name)
{
    size_t o = 0;
    dst[o++] = '"';
    for (size_t i = 0; name[i] && o + 8 < size; i++) {
        unsigned char c = (unsigned char)name[i];
        if (i == 120) {
            o += (size_t)snprintf(dst + o, size - o, "...");
            break;
        }
        if (c == '"' || c == '\\') o += (size_t)snprintf(dst + o, size - o, "\\%c", c);
        else if (c < 0x20 || c == 0x7f) o += (size_t)snprintf(dst + o, size - o, "\\x%02x", c);
        else dst[o++] = (char)c;
    }
    dst[o++] = '"';
    dst[o] = '\0';
}

tc_status tc_ref_check_name(const char *name, const char *json_file, const char *key_path,
                            tc_error *err)
{
    char q[160];
    quoted(q, sizeof q, name);
    if (!*name) return tc_fail(err, TC_ERR_MODEL, json_file, key_path, "empty file name");
    if (name[0] == '/')
        return tc_fail(err, TC_ERR_MODEL, json_file, key_path, "%s is an absolute path; " RULE, q);
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return tc_fail(err, TC_ERR_MODEL, json_file, key_path,
                           "%s goes up a directory (\"..\"); " RULE, q);
        p += n;
        p += strspn(p, "/");
    }
    return TC_OK;
}

char *tc_ref_path(const char *json_file, const char *name)
{
    const char *slash = strrchr(json_file, '/');
    size_t dl = slash ? (size_t)(slash - json_file) + 1 : 0;
    char *p = malloc(dl + strlen(name) + 1);
    if (!p) return NULL;
    memcpy(p, json_file, dl);
    strcpy(p + dl, name);
    return p;
}

/* The directory json_file is in ("." when it has no directory part); malloc'd or NULL. */
static char *dir_of(const char *json_file)
{
    const char *slash = strrchr(json_file, '/');
    if (!slash) return strdup(".");
    size_t n = slash == json_file ? 1 : (size_t)(slash - json_file);   /* "/m.json": "/" */
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, json_file, n);
    d[n] = '\0';
    return d;
}

/* 1 if the resolved path real lies inside the resolved directory dir (at any depth). */
static int inside(const char *real, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/') return real[0] == '/';
    return strncmp(real, dir, n) == 0 && real[n] == '/';
}

/* What a file that is not regular is, for messages. */
static const char *kind(mode_t mode)
{
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

static tc_status cannot_read(tc_error *err, const char *json_file, const char *key_path,
                             const char *path, int e)
{
    if (e == ENOMEM) return tc_fail_nomem(err, json_file);
    return tc_fail(err, TC_ERR_IO, json_file, key_path, "cannot read %s: %s", path, strerror(e));
}

/* 1 if the opened file fd lies inside the resolved directory dir. Its location is the kernel's
 * (/proc/self/fd on Linux), so a link swapped between the check of the path and the open cannot
 * redirect the open unseen; without /proc, fd must be the very file checked (device and inode). */
static int opened_inside(int fd, const char *dir, const struct stat *checked,
                         const struct stat *opened)
{
    char link[64], where[PATH_MAX + 1];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, where, sizeof where - 1);
    if (n > 0 && (size_t)n < sizeof where - 1 && where[0] == '/') {
        where[n] = '\0';
        return inside(where, dir);
    }
    return opened->st_dev == checked->st_dev && opened->st_ino == checked->st_ino;
}

tc_status tc_ref_open(const char *json_file, const char *name, const char *key_path, int *fd,
                      tc_error *err)
{
    *fd = -1;
    tc_status s = tc_ref_check_name(name, json_file, key_path, err);
    if (s != TC_OK) return s;
    char q[160];
    quoted(q, sizeof q, name);
    char *path = tc_ref_path(json_file, name), *dir = dir_of(json_file);
    char *real = NULL, *real_dir = NULL;
    struct stat checked, opened;
    int f = -1;
    if (!path || !dir) {
        s = tc_fail_nomem(err, json_file);
        goto done;
    }
    /* where the name leads, links followed, and where the model's directory really is */
    if (!(real = realpath(path, NULL)) || !(real_dir = realpath(dir, NULL))) {
        s = cannot_read(err, json_file, key_path, path, errno);
        goto done;
    }
    if (!inside(real, real_dir)) {
        s = tc_fail(err, TC_ERR_MODEL, json_file, key_path,
                    "%s leads out of the model's directory (through a symbolic link); " RULE, q);
        goto done;
    }
    /* the kind of file before opening it: opening a FIFO would wait for a writer, and opening
     * a device may do something */
    if (stat(real, &checked) != 0) {
        s = cannot_read(err, json_file, key_path, path, errno);
        goto done;
    }
    if (!S_ISREG(checked.st_mode)) {
        s = tc_fail(err, TC_ERR_MODEL, json_file, key_path, "%s is %s, not a regular file", q,
                    kind(checked.st_mode));
        goto done;
    }
    /* O_NONBLOCK: should the file have become a FIFO since, the open returns at once */
    f = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (f < 0 || fstat(f, &opened) != 0) {
        s = cannot_read(err, json_file, key_path, path, errno);
        goto done;
    }
    if (!S_ISREG(opened.st_mode)) {
        s = tc_fail(err, TC_ERR_MODEL, json_file, key_path, "%s is %s, not a regular file", q,
                    kind(opened.st_mode));
        goto done;
    }
    if (!opened_inside(f, real_dir, &checked, &opened)) {
        s = tc_fail(err, TC_ERR_MODEL, json_file, key_path,
                    "%s leads out of the model's directory (through a symbolic link); " RULE, q);
        goto done;
    }
    *fd = f;
    f = -1;
done:
    if (f >= 0) close(f);
    free(path);
    free(dir);
    free(real);
    free(real_dir);
    return s;
}
