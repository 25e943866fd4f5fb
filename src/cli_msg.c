/*
 * cli_msg.c - "textclf: ..." lines on stderr.
 */
#include "cli_msg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_output.h"

/* Writes fmt's text to stderr through out_escaped (without backslashes). */
static void put_escaped(const char *fmt, va_list ap)
{
    char small[1024];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) n = 0;
    char *text = small;
    if ((size_t)n >= sizeof small) {
        /* a long message (a long file name): the whole of it, or its start when memory is out */
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            text = big;
        } else {
            n = (int)sizeof small - 1;
        }
    }
    va_end(again);
    out_escaped(stderr, text, (size_t)n, 0);
    if (text != small) free(text);
}

/* One message line: "textclf: ", name (a file name, escaped as a TSV field) when not NULL, then
 * fmt's text escaped, then a newline. cli_msg, cli_msg_file and cli_usage_error are this. */
static void put_line(const char *name, const char *fmt, va_list ap)
{
    fputs("textclf: ", stderr);
    if (name) out_tsv_field(stderr, name);
    put_escaped(fmt, ap);
    fputc('\n', stderr);
}

void cli_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_line(NULL, fmt, ap);
    va_end(ap);
}

void cli_msg_file(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_line(name, fmt, ap);
    va_end(ap);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_line(NULL, fmt, ap);
    va_end(ap);
    return cli_usage_hint(command);
}

int cli_usage_hint(const char *command)
{
    fprintf(stderr, "Try 'textclf%s%s --help' for more information.\n", command ? " " : "",
            command ? command : "");
    return EXIT_USAGE;
}

int cli_output_failed(void)
{
    if (!ferror(stdout)) return 0;
    cli_msg("write error: %s", strerror(errno ? errno : EIO));
    return 1;
}

void cli_report(const tc_error *err)
{
    if (!err->file[0]) {   /* no name to escape: tc_error_format's line as it is */
        char buf[2048];
        cli_msg("%s", tc_error_format(err, buf, sizeof buf));
        return;
    }
    /* tc_error_format's layouts with a file: "file:line:col: msg", "file: path: msg",
     * "file: msg" */
    const char *msg = err->message[0] ? err->message : tc_status_string(err->code);
    if (err->line > 0) cli_msg_file(err->file, ":%d:%d: %s", err->line, err->column, msg);
    else if (err->path[0]) cli_msg_file(err->file, ": %s: %s", err->path, msg);
    else cli_msg_file(err->file, ": %s", msg);
}

int cli_version(void)
{
    printf("%s %s\n", CLI_PROGNAME, TC_VERSION);
    return EXIT_OK;
}
