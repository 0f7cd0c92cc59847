/*
** utf8.h — bulk UTF-8 validation for the CSV reader.
**
** The reader checks each block of text it reads once, up front, so its field
** scanner only has to stop at delimiters. The first problem is located to the
** byte, as a sequential check would find it: the lead byte of the first
** sequence that is not valid UTF-8.
*/
#ifndef KP_UTF8_H
#define KP_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (lead byte >= 0x80), 0 when it is
** invalid, -1 when it is cut off by e and more text could complete it. */
static inline int utf8_seq(const unsigned char *s, const unsigned char *e)
{
    unsigned char b = s[0], lo = 0x80, hi = 0xbf;
    int n;
    if (b < 0xc2) return 0; /* stray continuation byte or overlong lead */
    if (b < 0xe0) {
        n = 2;
    } else if (b < 0xf0) {
        n = 3;
        if (b == 0xe0) lo = 0xa0; /* overlong */
        if (b == 0xed) hi = 0x9f; /* surrogates */
    } else if (b < 0xf5) {
        n = 4;
        if (b == 0xf0) lo = 0x90; /* overlong */
        if (b == 0xf4) hi = 0x8f; /* above U+10FFFF */
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if (s + i >= e) return -1;
        if (s[i] < lo || s[i] > hi) return 0;
        lo = 0x80, hi = 0xbf;
    }
    return n;
}

/* Checks s[0..n), where s starts a sequence. Returns the length of the valid
** prefix: n, or the offset of the lead byte of the first invalid sequence
** (*bad set), or of a last sequence cut off by the end (*bad clear). */
size_t utf8_check(const unsigned char *s, size_t n, bool *bad);
/* The same without SIMD, for machines without SSSE3 and for tests. */
size_t utf8_check_scalar(const unsigned char *s, size_t n, bool *bad);
/* The same with at most the given instructions (where the CPU has them):
** utf8_check takes the best, tests each. */
typedef enum { UTF8_SCALAR, UTF8_SSSE3, UTF8_AVX2 } Utf8Level;
size_t utf8_check_level(const unsigned char *s, size_t n, bool *bad, Utf8Level level);

#endif
