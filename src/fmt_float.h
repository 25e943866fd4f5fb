/*
 * fmt_float.h - a float32 as printf's "%.9g" writes it, several times faster (internal).
 *
 * Nine significant digits give any float32 back exactly; printing vectors (`textclf embed`)
 * spends most of its time in printf's general-purpose conversion, which this replaces for the
 * common case and hands the rest back to snprintf.
 */
#ifndef TC_FMT_FLOAT_H
#define TC_FMT_FLOAT_H

#include <stddef.h>

/* Room for any result of tc_fmt_float9 with its NUL: "-1.17549435e-38" is 15 characters. */
#define TC_FMT_FLOAT9_MAX 24

/* Writes (double)v as snprintf(buf, TC_FMT_FLOAT9_MAX, "%.9g", (double)v) does, byte for byte,
 * NUL included, in the C locale's form ('.' as the decimal point); returns its length. */
size_t tc_fmt_float9(char buf[TC_FMT_FLOAT9_MAX], float v);

#endif
