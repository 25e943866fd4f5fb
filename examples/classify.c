/*
 * classify.c - the textclf library in one small program: loads the model whose JSON file is
 * argv[1], then prints for each line of standard input the label the model answers and its
 * probability, "label<TAB>probability", as `textclf -m MODEL` prints them (docs/library.md). A
 * model with an abstain rule may abstain: the line is then "und<TAB><TAB>label<TAB>probability",
 * its abstain label with an empty probability, then the most probable label it may answer.
 *
 *   cc $(pkg-config --cflags textclf) classify.c $(pkg-config --libs textclf) -o classify
 *   echo 'Le chat dort sur le canapé' | ./classify /usr/local/share/textclf/models/lang.json
 *   fr	0.999011
 *
 * Exit status: 0, or 1 after an error (reported on stderr), or 2 for a wrong command line.
 */
#define _POSIX_C_SOURCE 200809L   /* getline */

#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include <textclf.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s MODEL.json < TEXT\n", argv[0]);
        return 2;
    }
    int status = 1;
    tc_error err;                  /* filled by the call that fails */
    char msg[2048];                /* err as one line */
    tc_model *model = NULL;
    tc_session *session = NULL;    /* scratch memory for one document at a time */
    float *probs = NULL;           /* one probability per label, in label order */
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    if (tc_model_load(argv[1], &model, &err) != TC_OK) goto fail;
    if (tc_session_init(model, &session, &err) != TC_OK) goto fail;
    int n = tc_model_num_labels(model);
    tc_model_info mi;
    tc_model_get_info(model, &mi);
    const char *abstain_label = mi.abstain_label;   /* NULL when the model never abstains */
    probs = malloc((size_t)n * sizeof *probs);
    if (!probs) {
        fprintf(stderr, "classify: out of memory\n");
        goto cleanup;
    }

    while ((len = getline(&line, &cap, stdin)) >= 0) {
        /* the document is the line without its LF or CRLF */
        if (len > 0 && line[len - 1] == '\n') len--;
        if (len > 0 && line[len - 1] == '\r') len--;
        /* flags 0: invalid UTF-8 is replaced with U+FFFD, not an error */
        tc_doc_info info;          /* what tokenisation saw: the abstain rule reads it */
        if (tc_classify(session, line, (size_t)len, 0, probs, &info, &err) != TC_OK) goto fail;
        int best;                  /* the most probable label the model may answer (its
                                      withheld labels aside) */
        tc_rank_answers(model, 0, probs, 1, &best);
        if (tc_answer(model, 0, probs, &info) < 0) printf("%s\t\t", abstain_label);
        printf("%s\t%.6f\n", tc_model_label(model, best), probs[best]);
    }
    if (!feof(stdin)) {            /* getline stopped on a read error or out of memory */
        perror("classify: standard input");
        goto cleanup;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("classify: standard output");
        goto cleanup;
    }
    status = 0;
    goto cleanup;

fail:
    fprintf(stderr, "classify: %s\n", tc_error_format(&err, msg, sizeof msg));
cleanup:
    free(line);
    free(probs);
    if (session) tc_session_free(session);   /* sessions before their model */
    tc_model_free(model);                    /* NULL is a no-op */
    return status;
}
