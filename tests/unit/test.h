/*
 * test.h - a tiny unit-test harness (after redis' testhelp.h).
 *
 * CHECK(cond) and CHECK_NEAR(a, b, tol) record one check each; a test function is a suite entry
 * in main.c. The runner prints failures as they happen and ends with "N passed, N failed".
 */
#ifndef TC_TEST_H
#define TC_TEST_H

#include <math.h>
#include <stdio.h>

extern int test_passed, test_failed;
extern const char *test_current;

/* The whole file at path (from the repository's root, where the tests run), NUL-terminated;
 * *len its size. malloc'd (free it); NULL when it cannot be read. */
char *test_read_file(const char *path, size_t *len);

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (cond) test_passed++;                                                            \
        else {                                                                              \
            test_failed++;                                                                  \
            printf("FAIL %s (%s:%d): %s\n", test_current, __FILE__, __LINE__, #cond);        \
        }                                                                                   \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                               \
    do {                                                                                    \
        double a_ = (a), b_ = (b);                                                          \
        if (fabs(a_ - b_) <= (tol)) test_passed++;                                          \
        else {                                                                              \
            test_failed++;                                                                  \
            printf("FAIL %s (%s:%d): %s = %.9g, expected %.9g\n", test_current, __FILE__,   \
                   __LINE__, #a, a_, b_);                                                   \
        }                                                                                   \
    } while (0)

#define CHECK_STR(a, b)                                                                     \
    do {                                                                                    \
        const char *a_ = (a), *b_ = (b);                                                    \
        if (a_ && b_ && strcmp(a_, b_) == 0) test_passed++;                                 \
        else {                                                                              \
            test_failed++;                                                                  \
            printf("FAIL %s (%s:%d): %s = \"%s\", expected \"%s\"\n", test_current,         \
                   __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");         \
        }                                                                                   \
    } while (0)

#endif
