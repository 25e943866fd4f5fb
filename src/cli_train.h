/*
 * cli_train.h - the `textclf train` command.
 */
#ifndef TC_CLI_TRAIN_H
#define TC_CLI_TRAIN_H

/* Runs `textclf train` with argv[0] = "train"; returns the exit status. */
int cmd_train(int argc, char **argv);

#endif
