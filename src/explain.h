/*
 * explain.h - tc_explain's per-session state (internal; the API is in textclf.h).
 */
#ifndef TC_EXPLAIN_H
#define TC_EXPLAIN_H

/* Scratch and results of tc_explain, owned by a session (session.h), made at its first call. */
typedef struct tc_explain_state tc_explain_state;

/* Frees e and everything it owns. NULL is a no-op. */
void tc_explain_state_free(tc_explain_state *e);

#endif
