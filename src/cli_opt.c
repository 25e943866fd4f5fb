/*
 * cli_opt.c - option values, parsed and refused the same way by every command (cli_opt.h).
 */
#include "cli_opt.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_msg.h"
#include "labeled.h"

_Static_assert(TC_FORMAT_AUTO == 0 && TC_FORMAT_FASTTEXT == 1 && TC_FORMAT_TSV == 2,
               "cli_data_format_names is in tc_data_format order");
const char *const cli_data_format_names[] = {"auto", "fasttext", "tsv", NULL};

void cli_opt_begin(char **argv)
{
    argv[0] = (char *)CLI_PROGNAME;
    opterr = 1;
}

int cli_opt_int(const char *command, const char *option, const char *arg, long long lo,
                long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || v < lo || v > hi)
        return cli_usage_error(command, "invalid --%s '%s': expected a whole number in %lld..%lld",
                               option, arg, lo, hi);
    *out = v;
    return -1;
}

/* Writes v into buf as a reader would write a bound: 1000000, not 1e+06; 0.99. */
static const char *bound(double v, char *buf, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%g", v);
    return buf;
}

/* arg as a number into *v; 0, or -1 when it is not one. */
static int real_of(const char *arg, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(arg, &end);
    return errno || end == arg || *end ? -1 : 0;
}

int cli_opt_real(const char *command, const char *option, const char *arg, double lo, double hi,
                 double *out)
{
    double v;
    if (real_of(arg, &v) != 0 || !(v >= lo && v <= hi)) {
        char l[32], h[32];
        return cli_usage_error(command, "invalid --%s '%s': expected a number in %s..%s", option,
                               arg, bound(lo, l, sizeof l), bound(hi, h, sizeof h));
    }
    *out = v;
    return -1;
}

int cli_opt_positive(const char *command, const char *option, const char *arg, double hi,
                     double *out)
{
    double v;
    if (real_of(arg, &v) != 0 || !(v > 0 && v <= hi)) {
        char h[32];
        return cli_usage_error(command, "invalid --%s '%s': expected a number above 0, up to %s",
                               option, arg, bound(hi, h, sizeof h));
    }
    *out = v;
    return -1;
}

int cli_opt_top(const char *command, const char *arg, int *k)
{
    long long v = 0;
    int s = cli_opt_int(command, "top", arg, 1, 1000000, &v);
    if (s < 0) *k = (int)v;
    return s;
}

/* Whether arg is one of the '|'-separated words of name. */
static int is_word_of(const char *arg, const char *name)
{
    size_t len = strlen(arg);
    for (const char *p = name;; p++) {
        size_t n = strcspn(p, "|");
        if (n == len && memcmp(p, arg, len) == 0) return 1;
        p += n;
        if (!*p) return 0;
    }
}

int cli_opt_choice(const char *command, const char *option, const char *arg,
                   const char *const *names, int *index)
{
    int n = 0;
    for (; names[n]; n++)
        if (is_word_of(arg, names[n])) {
            *index = n;
            return -1;
        }
    /* "expected a, b or c": the first word of each name */
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; i < n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%.*s",
                                 i == 0 ? "" : i == n - 1 ? " or " : ", ",
                                 (int)strcspn(names[i], "|"), names[i]);
    return cli_usage_error(command, "invalid --%s '%s': expected %s", option, arg, list);
}
