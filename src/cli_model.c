/*
 * cli_model.c - which model a command uses (cli_model.h).
 */
#include "cli_model.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli_builtin.h"
#include "cli_msg.h"

const char *cli_model_name(const char *given)
{
    const char *path = given;
    if (!path || !*path) path = getenv("TEXTCLF_MODEL");
    return path && *path ? path : cli_builtin_name;
}

tc_status cli_model_load(const char *name, tc_model **out, tc_error *err)
{
    tc_status s = name == cli_builtin_name ? cli_builtin_load(out, err)
                                           : tc_model_load(name, out, err);
#ifdef __GLIBC__
    /* Loading parsed the JSON into a tree and freed it; glibc keeps freed heap pages, so they
     * would stay in the process's memory for as long as it classifies (the projection tables
     * that come next are mappings of their own and do not reuse them). Giving them back:
     * bench/perf's 100,000 documents, peak 21.1 -> 19.0 MiB (docs/performance.md). */
    malloc_trim(0);
#endif
    return s;
}

int cli_model_open(const char *given, tc_model **out)
{
    tc_error err;
    tc_status s = cli_model_load(cli_model_name(given), out, &err);
    if (s == TC_OK) return -1;
    cli_report(&err);
    return s == TC_ERR_NOMEM ? EXIT_INTERNAL : EXIT_MODEL;
}
