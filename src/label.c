/*
 * label.c - the rule for class labels (label.h).
 */
#include "label.h"

#include <utf8proc.h>

#include "utf8.h"

/* The Bidi_Control characters (Unicode's PropList.txt; a stable set): all of category Cf. */
static int is_bidi_control(int32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

tc_label_verdict tc_label_check(const char *s, size_t len, int32_t *cp, size_t *offset)
{
    if (len == 0) return TC_LABEL_EMPTY;
    if (!tc_utf8_valid(s, len)) return TC_LABEL_BAD_UTF8;
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) return TC_LABEL_BAD_UTF8;   /* not reached: validated above */
        tc_label_verdict v = TC_LABEL_OK;
        switch (utf8proc_category(c)) {
        case UTF8PROC_CATEGORY_CC: v = TC_LABEL_CONTROL; break;
        case UTF8PROC_CATEGORY_CF:
            v = is_bidi_control(c) ? TC_LABEL_BIDI : TC_LABEL_INVISIBLE;
            break;
        case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP: v = TC_LABEL_SEPARATOR; break;
        case UTF8PROC_CATEGORY_ZS:
            if (i == 0) v = TC_LABEL_LEADING_SPACE;
            else if (i + (size_t)n == len) v = TC_LABEL_TRAILING_SPACE;
            break;
        default: break;
        }
        if (v != TC_LABEL_OK) {
            if (cp) *cp = c;
            if (offset) *offset = i;
            return v;
        }
        i += (size_t)n;
    }
    return TC_LABEL_OK;
}

const char *tc_label_char_kind(tc_label_verdict v, int32_t cp)
{
    switch (v) {
    case TC_LABEL_CONTROL: return "control character";
    case TC_LABEL_BIDI: return "bidirectional control";
    case TC_LABEL_INVISIBLE: return "invisible format character";
    case TC_LABEL_SEPARATOR: return cp == 0x2029 ? "paragraph separator" : "line separator";
    case TC_LABEL_LEADING_SPACE:
    case TC_LABEL_TRAILING_SPACE: return "space";
    default: return "";
    }
}
