/*
 * cli_msg.c - "textclf: ..." lines on stderr.
 */
#include "cli_msg.h"

#include <stdarg.h>
#include <stdio.h>

void cli_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("textclf: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("textclf: ", stderr);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'textclf%s%s --help' for more information.\n", command ? " " : "",
            command ? command : "");
    va_end(ap);
    return EXIT_USAGE;
}

void cli_report(const tc_error *err)
{
    char buf[2048];
    cli_msg("%s", tc_error_format(err, buf, sizeof buf));
}

int cli_version(void)
{
    printf("%s %s\n", CLI_PROGNAME, TC_VERSION);
    return EXIT_OK;
}
