/*
 * The "Typical use" example of src/textclf.h, compiled as the header shows it: extract.awk cuts
 * its lines out of the header into BUILD/header_example.inc (Makefile), included below, and
 * this main runs it on argv. So the example cannot drift from the API: a call that no longer
 * compiles (with -Werror) breaks the build, and tests/header/run.sh checks what it prints.
 *   header_example MODEL.json TEXT      prints what print_label prints; its status
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textclf.h"

int print_label(const char *path, const char *text, size_t len);

#include "header_example.inc"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: header_example MODEL.json TEXT\n");
        return 2;
    }
    return print_label(argv[1], argv[2], strlen(argv[2]));
}
