/*
 * cli_stop.h - SIGINT and SIGTERM as a request to stop cleanly (CLI only).
 *
 * The first signal only records itself: `textclf train` saves the best complete epoch, and
 * classification answers the documents it has already read, flushes, and exits 128 + signal.
 * The handler then falls back to the default action, so a second Ctrl-C kills at once. A signal
 * that was ignored when textclf started (nohup, a background job of a script) stays ignored.
 */
#ifndef TC_CLI_STOP_H
#define TC_CLI_STOP_H

#include <signal.h>
#include <stdint.h>

/* 0, or the number of the signal that asked to stop. */
extern volatile sig_atomic_t cli_stop_signal;

/* Installs the handler for SIGINT and SIGTERM. restart = 0 lets a signal interrupt a blocking
 * read (EINTR), so that `tail -f log | textclf` stops while waiting for input; restart = 1
 * resumes interrupted calls (training only reads regular files and writes the model). */
void cli_stop_install(int restart);

/* After a stop by signal: says on stderr where the run stopped (the input and record last
 * answered, name NULL if none) so that a job can resume after it; returns the exit status,
 * 128 + the signal. */
int cli_stop_report(const char *name, int64_t record);

#endif
