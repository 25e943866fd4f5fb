/*
 * cli_files.c - the FILE operands of a command, opened in turn.
 */
#include "cli_files.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_msg.h"
#include "cli_stop.h"

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
            cli_msg_file(path, ": %s", strerror(e));
            cli_raise_status(status, e == ENOMEM ? EXIT_INTERNAL : EXIT_INPUT);
            if (e == ENOMEM) return -1;   /* out of memory ends the run */
            continue;
        }
        struct stat sb;
        int stop = 0;
        if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
            cli_msg_file(name, ": %s", strerror(EISDIR));
            cli_raise_status(status, EXIT_INPUT);
        } else {
            stop = fn(ctx, f, name, path);
        }
        if (!is_stdin) fclose(f);
        if (stop) return -1;
    }
    return 0;
}
