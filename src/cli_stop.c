/*
 * cli_stop.c - SIGINT and SIGTERM as a request to stop cleanly.
 */
#include "cli_stop.h"

#include <stdio.h>
#include <string.h>

#include "cli_msg.h"

volatile sig_atomic_t cli_stop_signal = 0;

static void on_signal(int sig)
{
    cli_stop_signal = sig;
}

void cli_stop_install(int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* SA_RESETHAND: the second signal gets the default action (kills) */
    sa.sa_flags = SA_RESETHAND | (restart ? SA_RESTART : 0);
    static const int sigs[] = {SIGINT, SIGTERM};
    for (int i = 0; i < 2; i++) {
        /* a signal ignored by whoever started us (nohup, `cmd &` in a script) stays ignored */
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

static const char *stop_name(void)
{
    static char buf[32];
    int sig = cli_stop_signal;
    if (sig == SIGINT) return "SIGINT";
    if (sig == SIGTERM) return "SIGTERM";
    snprintf(buf, sizeof buf, "signal %d", sig);
    return buf;
}

int cli_stop_report(const char *name, int64_t record)
{
    if (name)
        cli_msg_file(name, ":%lld: stopped by %s (every record up to here was answered)",
                     (long long)record, stop_name());
    else
        cli_msg("stopped by %s before the first record", stop_name());
    return 128 + cli_stop_signal;
}
