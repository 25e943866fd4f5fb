/*
 * cli_files.c - the FILE operands of a command, opened in turn.
 */
#include "cli_files.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_msg.h"
#include "cli_stop.h"

static void raise_to(int *status, int s)
{
    if (s > *status) *status = s;
}

int cli_each_input(int nfiles, char **files, cli_input_fn fn, void *ctx, int *status)
{
    static char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        nfiles = 1;
        files = stdin_only;
    }
    for (int i = 0; i < nfiles && !cli_stop_signal; i++) {
        const char *path = files[i];
        int is_stdin = strcmp(path, "-") == 0;
        const char *name = is_stdin ? "(standard input)" : path;
        FILE *f = is_stdin ? stdin : fopen(path, "rb");
        if (!f) {
            int e = errno;
            cli_msg("%s: %s", path, strerror(e));
            raise_to(status, e == ENOMEM ? 1 : 4);   /* out of memory ends the run */
            if (e == ENOMEM) return -1;
            continue;
        }
        struct stat sb;
        int stop = 0;
        if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
            cli_msg("%s: %s", name, strerror(EISDIR));
            raise_to(status, 4);
        } else {
            stop = fn(ctx, f, name, path);
        }
        if (!is_stdin) fclose(f);
        if (stop) return -1;
    }
    return 0;
}
