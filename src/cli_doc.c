/*
 * cli_doc.c - what happened to each document of one input.
 */
#include "cli_doc.h"

#include <errno.h>
#include <string.h>

#include "cli_msg.h"
#include "cli_stop.h"

cli_doc_action cli_doc_done(cli_doc_input *in, int64_t record, tc_status s,
                            const tc_doc_info *info, const tc_error *err, int *status)
{
    if (s == TC_ERR_INPUT) {
        cli_msg_file(in->name,
                     ":%lld: %s (document rejected by --strict-utf8; rest of this input skipped)",
                     (long long)record, err->message);
        cli_raise_status(status, EXIT_INPUT);
        return CLI_DOC_SKIP;
    }
    if (s != TC_OK) {
        cli_report(err);
        cli_raise_status(status, EXIT_INTERNAL);
        return CLI_DOC_STOP;
    }
    if (info->invalid_utf8 && !in->bad_docs++ && !in->quiet)
        cli_msg_file(in->name, ":%lld: warning: invalid UTF-8 at byte %lld replaced with U+FFFD",
                     (long long)record, (long long)info->invalid_offset);
    return CLI_DOC_NEXT;
}

cli_doc_action cli_doc_finish(const cli_doc_input *in, int got, int *status)
{
    cli_doc_action next = CLI_DOC_NEXT;
    if (got < 0 && !cli_stop_signal) {   /* a stop interrupts a blocking read (EINTR) */
        int e = errno;
        cli_msg_file(in->name, ": %s", strerror(e));
        cli_raise_status(status, e == ENOMEM ? EXIT_INTERNAL : EXIT_INPUT);
        if (e == ENOMEM) next = CLI_DOC_STOP;
    }
    if (in->bad_docs > 1 && !in->quiet)
        cli_msg_file(in->name, ": warning: %lld documents had invalid UTF-8 (replaced with U+FFFD)",
                     (long long)in->bad_docs);
    return next;
}
