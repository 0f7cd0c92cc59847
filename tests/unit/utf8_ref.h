/*
** utf8_ref.h — UTF-8 decoded the slow, obvious way, for the tests of the
** fast checks (test_utf8.c) and of the CSV reader (test_csv_utf8.c). Header
** only: the Makefile builds only tests/unit/test_*.c.
*/
#ifndef KP_UTF8_REF_H
#define KP_UTF8_REF_H

#include <stddef.h>
#include <stdint.h>

/* Length of the sequence at s[0..n) by decoding it: 0 when it is invalid,
** -1 when n ends it early but a continuation could still fit. */
static inline int ref_seq(const unsigned char *s, size_t n)
{
    unsigned b = s[0];
    size_t len;
    uint32_t cp, min;
    if (b < 0x80) return 1;
    if ((b & 0xe0) == 0xc0)
        len = 2, cp = b & 0x1f, min = 0x80;
    else if ((b & 0xf0) == 0xe0)
        len = 3, cp = b & 0x0f, min = 0x800;
    else if ((b & 0xf8) == 0xf0)
        len = 4, cp = b & 0x07, min = 0x10000;
    else
        return 0;
    for (size_t k = 1; k < len; k++) {
        if (k == n) {
            /* Cut off, unless what is there already rules every ending out. */
            uint32_t lo = cp << 6 * (len - k), hi = lo | ((1u << 6 * (len - k)) - 1);
            if (hi < min || lo > 0x10ffff || (lo >= 0xd800 && hi <= 0xdfff)) return 0;
            return -1;
        }
        if ((s[k] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (s[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return (int)len;
}

#endif
