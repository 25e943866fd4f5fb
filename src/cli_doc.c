/*
 * cli_doc.c - reading the documents of one input and answering each.
 */
#include "cli_doc.h"

#include <errno.h>
#include <string.h>

#include "cli_msg.h"
#include "cli_stop.h"

cli_doc_action cli_doc_answer(cli_doc_input *in, int64_t record, tc_status s,
                              const tc_doc_info *info, const tc_error *err,
                              cli_doc_print_fn print, void *ctx)
{
    in->run->at_name = in->name;   /* answered, with a result or an error */
    in->run->at_record = record;
    if (s == TC_ERR_INPUT) {
        cli_msg_file(in->name,
                     ":%lld: %s (document rejected by --strict-utf8; rest of this input skipped)",
                     (long long)record, err->message);
        cli_raise_status(&in->run->status, EXIT_INPUT);
        return CLI_DOC_SKIP;
    }
    if (s != TC_OK) {
        cli_report(err);
        cli_raise_status(&in->run->status, EXIT_INTERNAL);
        return CLI_DOC_STOP;
    }
    /* the warning first: it is about the result that follows */
    if (info->invalid_utf8 && !in->bad_docs++ && !in->quiet)
        cli_msg_file(in->name, ":%lld: warning: invalid UTF-8 at byte %lld replaced with U+FFFD",
                     (long long)record, (long long)info->invalid_offset);
    print(ctx, record, info);
    if (cli_output_failed()) {   /* no use going on: nothing more would reach the reader */
        cli_raise_status(&in->run->status, EXIT_OUTPUT);
        return CLI_DOC_STOP;
    }
    return CLI_DOC_NEXT;
}

cli_doc_action cli_doc_finish(const cli_doc_input *in, int got)
{
    cli_doc_action next = CLI_DOC_NEXT;
    if (got < 0 && !cli_stop_signal) {   /* a stop interrupts a blocking read (EINTR) */
        int e = errno;
        cli_msg_file(in->name, ": %s", strerror(e));
        cli_raise_status(&in->run->status, e == ENOMEM ? EXIT_INTERNAL : EXIT_INPUT);
        if (e == ENOMEM) next = CLI_DOC_STOP;
    }
    if (in->bad_docs > 1 && !in->quiet)
        cli_msg_file(in->name, ": warning: %lld documents had invalid UTF-8 (replaced with U+FFFD)",
                     (long long)in->bad_docs);
    return next;
}

int cli_doc_read(cli_doc_input *in, FILE *f, split_mode split, cli_doc_fn run,
                 cli_doc_print_fn print, void *ctx)
{
    cli_reader r;
    cli_reader_init(&r, f, split);
    int result = 0, got = 0;
    char *data;
    size_t len;
    while (!cli_stop_signal && (got = cli_reader_next(&r, &data, &len)) == 1) {
        tc_doc_info info;
        tc_error err;
        tc_status s = run(ctx, data, len, &info, &err);
        cli_doc_action next = cli_doc_answer(in, r.record, s, &info, &err, print, ctx);
        if (next == CLI_DOC_STOP) result = -1;
        if (next != CLI_DOC_NEXT) break;
    }
    if (cli_doc_finish(in, got) == CLI_DOC_STOP) result = -1;
    cli_reader_free(&r);
    return result;
}
