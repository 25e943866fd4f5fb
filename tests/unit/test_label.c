/*
 * The label rule (src/label.h): the examples of the issue and of docs/model-format.md, offsets
 * and kinds; and agreement with tools/textclf_ref.py, the Python side, on every code point both
 * Unicode versions assign: tests/unit/label_ranges.txt (written by label_ranges.py from
 * textclf_ref's own rule) says, per range, whether a character is refused anywhere, refused at
 * a label's ends (a space) or fine; tc_label_check must say the same of "a" c "b", c "a" and
 * "a" c. Runs from the repository root.
 */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "label.h"
#include "test.h"

void test_label(void);

/* tc_label_check of the NUL-terminated s, with the character and offset it reports */
static tc_label_verdict check(const char *s, int32_t *cp, size_t *at)
{
    *cp = -1;
    *at = (size_t)-1;
    return tc_label_check(s, strlen(s), cp, at);
}

static void check_examples(void)
{
    int32_t c;
    size_t at;
    CHECK(check("en", &c, &at) == TC_LABEL_OK);
    CHECK(check("new york", &c, &at) == TC_LABEL_OK);                 /* spaces inside: fine */
    CHECK(check("zh-Hant", &c, &at) == TC_LABEL_OK);
    CHECK(check("\xE2\x9D\xA4\xEF\xB8\x8F", &c, &at) == TC_LABEL_OK);   /* ❤️: VS16 is Mn */
    CHECK(check("\xE7\x8C\xAB", &c, &at) == TC_LABEL_OK);              /* 猫 */
    CHECK(tc_label_check("", 0, NULL, NULL) == TC_LABEL_EMPTY);
    CHECK(tc_label_check("f\xffr", 3, NULL, NULL) == TC_LABEL_BAD_UTF8);
    CHECK(tc_label_check("\xED\xA0\x80", 3, NULL, NULL) == TC_LABEL_BAD_UTF8);   /* surrogate */
    CHECK(tc_label_check("a\0b", 3, &c, &at) == TC_LABEL_CONTROL && c == 0 && at == 1);
    CHECK(check("f\tr", &c, &at) == TC_LABEL_CONTROL && c == 9 && at == 1);
    CHECK(check("f\x1b[31mr", &c, &at) == TC_LABEL_CONTROL && c == 0x1B && at == 1);
    CHECK(check("fr\x7f", &c, &at) == TC_LABEL_CONTROL && c == 0x7F && at == 2);
    CHECK(check("fr\xC2\x85", &c, &at) == TC_LABEL_CONTROL && c == 0x85 && at == 2);
    CHECK(check("fr\xE2\x80\x8B", &c, &at) == TC_LABEL_INVISIBLE && c == 0x200B && at == 2);
    CHECK(check("\xEF\xBB\xBF" "en", &c, &at) == TC_LABEL_INVISIBLE && c == 0xFEFF && at == 0);
    CHECK(check("a\xC2\xAD" "b", &c, &at) == TC_LABEL_INVISIBLE && c == 0xAD);   /* soft hyphen */
    CHECK(check("\xE2\x80\xAE" "fr", &c, &at) == TC_LABEL_BIDI && c == 0x202E && at == 0);
    CHECK(check("a\xE2\x81\xA6" "b", &c, &at) == TC_LABEL_BIDI && c == 0x2066);
    CHECK(check("a\xE2\x80\x8F", &c, &at) == TC_LABEL_BIDI && c == 0x200F);
    CHECK(check("f\xE2\x80\xA8r", &c, &at) == TC_LABEL_SEPARATOR && c == 0x2028 && at == 1);
    CHECK(check("f\xE2\x80\xA9r", &c, &at) == TC_LABEL_SEPARATOR && c == 0x2029);
    CHECK(check("fr\xC2\xA0", &c, &at) == TC_LABEL_TRAILING_SPACE && c == 0xA0 && at == 2);
    CHECK(check(" fr", &c, &at) == TC_LABEL_LEADING_SPACE && c == ' ' && at == 0);
    CHECK(check("fr ", &c, &at) == TC_LABEL_TRAILING_SPACE && at == 2);
    CHECK(check("\xE3\x80\x80" "b", &c, &at) == TC_LABEL_LEADING_SPACE && c == 0x3000);
    CHECK(check(" ", &c, &at) == TC_LABEL_LEADING_SPACE);
    /* the first problem in reading order */
    CHECK(check(" a\tb", &c, &at) == TC_LABEL_LEADING_SPACE);
    CHECK(check("a\tb ", &c, &at) == TC_LABEL_CONTROL);
    CHECK_STR(tc_label_char_kind(TC_LABEL_SEPARATOR, 0x2029), "paragraph separator");
    CHECK_STR(tc_label_char_kind(TC_LABEL_SEPARATOR, 0x2028), "line separator");
    CHECK_STR(tc_label_char_kind(TC_LABEL_BIDI, 0x202E), "bidirectional control");
}

/* The verdicts of c inside a label, first and last, as label_ranges.txt's classes. */
static const char *c_class(int32_t cp)
{
    utf8proc_uint8_t ch[4];
    char s[8];
    size_t n = (size_t)utf8proc_encode_char(cp, ch);
    s[0] = 'a';
    memcpy(s + 1, ch, n);
    s[1 + n] = 'b';
    tc_label_verdict inside = tc_label_check(s, n + 2, NULL, NULL);
    tc_label_verdict first = tc_label_check(s + 1, n + 1, NULL, NULL);   /* c "b" */
    tc_label_verdict last = tc_label_check(s, n + 1, NULL, NULL);        /* "a" c */
    if (inside == TC_LABEL_CONTROL || inside == TC_LABEL_BIDI || inside == TC_LABEL_INVISIBLE ||
        inside == TC_LABEL_SEPARATOR)
        return first == inside && last == inside ? "refused" : "inconsistent";
    if (inside != TC_LABEL_OK) return "inconsistent";
    if (first == TC_LABEL_LEADING_SPACE && last == TC_LABEL_TRAILING_SPACE) return "space";
    return first == TC_LABEL_OK && last == TC_LABEL_OK ? "ok" : "inconsistent";
}

static void check_python_agrees(void)
{
    FILE *f = fopen("tests/unit/label_ranges.txt", "r");
    CHECK(f != NULL);
    if (!f) return;
    char line[128], klass[32];
    unsigned first, last;
    long compared = 0, differ = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        if (sscanf(line, "%x %x %31s", &first, &last, klass) != 3) {
            CHECK(!"a line of label_ranges.txt");
            continue;
        }
        if (strcmp(klass, "unassigned") == 0) continue;
        for (unsigned cp = first; cp <= last; cp++) {
            /* a character Unicode 15 assigned, or reassigned, is not Python's to judge */
            if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CN) continue;
            const char *mine = c_class((int32_t)cp);
            compared++;
            if (strcmp(mine, klass) != 0 && differ++ < 5)
                printf("  label rule: U+%04X is %s for textclf, %s for textclf_ref.py\n", cp,
                       mine, klass);
        }
    }
    fclose(f);
    CHECK(compared > 140000);   /* every assigned code point of Unicode 14 */
    CHECK(differ == 0);
}

void test_label(void)
{
    check_examples();
    check_python_agrees();
}
