/*
** decimal.h — exact fixed-point decimal arithmetic.
**
** A Dec is a signed 128-bit integer counting units of 10^-12 (DEC_DIGITS
** fractional digits), so the range is about ±1.7e26. Literals and data values
** with at most 12 fractional digits are exact; + and - are exact; * is exact
** whenever the true product has at most 12 fractional digits (otherwise it is
** rounded half-even at the 12th digit and dec_mul reports DEC_INEXACT, which
** callers may ignore); / is carried to 12 fractional digits, rounded half-even.
** Every operation that would leave the range reports DEC_OVERFLOW instead of
** wrapping. No function allocates.
*/
#ifndef KP_DECIMAL_H
#define KP_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __int128 Dec;

#define DEC_DIGITS  12
#define DEC_SCALE   ((Dec)1000000000000LL) /* 10^DEC_DIGITS */
#define DEC_ONE     DEC_SCALE
#define DEC_NULL    ((Dec)(((unsigned __int128)1) << 127)) /* most negative: "no value" */
#define DEC_FMT_MAX 64 /* enough for any formatted Dec, with NUL */

typedef enum {
    DEC_OK = 0,
    DEC_INEXACT,     /* result rounded at the 12th fractional digit (mul only) */
    DEC_OVERFLOW,    /* result outside the representable range */
    DEC_DIVZERO,     /* division by zero */
    DEC_SYNTAX,      /* text is not a decimal number */
    DEC_TOO_PRECISE, /* literal has more than DEC_DIGITS fractional digits */
    DEC_DOMAIN       /* sqrt of a negative number */
} DecStatus;

typedef enum {
    DEC_ROUND_HALF_UP,   /* 四舍五入: ties away from zero (-2.5 -> -3) */
    DEC_ROUND_HALF_EVEN, /* banker's rounding: ties to even */
    DEC_ROUND_FLOOR,     /* toward -infinity (去尾 for positives) */
    DEC_ROUND_CEIL,      /* toward +infinity (进一法) */
    DEC_ROUND_TRUNC      /* toward zero */
} DecRound;

/* Parses [+-]digits[.digits] (no exponent, no spaces), optionally followed by
** '%' when allow_percent, which divides by 100. "12.", ".5" and "" are DEC_SYNTAX. */
DecStatus dec_parse(const char *s, size_t len, bool allow_percent, Dec *out);

Dec dec_from_int(int64_t v);
/* True and sets *out when a is integral and fits in int64. */
bool dec_to_int64(Dec a, int64_t *out);
bool dec_is_integer(Dec a);
double dec_to_double(Dec a); /* for display-only uses such as charts */

/* Inline: sums of scores run per person and item, and a call costs more
** than the 128-bit addition. */
static inline DecStatus dec_add(Dec a, Dec b, Dec *out)
{
    Dec r;
    if (a == DEC_NULL || b == DEC_NULL) return DEC_OVERFLOW;
    if (__builtin_add_overflow(a, b, &r) || r == DEC_NULL) return DEC_OVERFLOW;
    *out = r;
    return DEC_OK;
}

static inline DecStatus dec_sub(Dec a, Dec b, Dec *out)
{
    Dec r;
    if (a == DEC_NULL || b == DEC_NULL) return DEC_OVERFLOW;
    if (__builtin_sub_overflow(a, b, &r) || r == DEC_NULL) return DEC_OVERFLOW;
    *out = r;
    return DEC_OK;
}
/* dec_mul's general case: operands beyond 64 bits, or both with more than
** four decimals. */
DecStatus dec_mul_wide(Dec a, Dec b, Dec *out);

/* x * y4 / 10^4, rounded half to even, when it fits in 64 bits: the
** product of x and a y with at most 4 decimals (y4 = y / 10^8 units), as
** most scores times most weights are. false when it does not fit. */
static inline bool dec_mul_short(int64_t x, int64_t y4, Dec *out, DecStatus *st)
{
    int64_t p;
    if (__builtin_mul_overflow(x, y4, &p)) return false;
    int64_t q = p / 10000, r = p - q * 10000; /* not p % 10000: see dec_mul */
    *st = DEC_OK;
    if (r != 0) {
        int64_t ur = r < 0 ? -r : r;
        if (ur * 2 > 10000 || (ur * 2 == 10000 && (q & 1))) q += p < 0 ? -1 : 1;
        *st = DEC_INEXACT;
    }
    *out = q;
    return true;
}

/* a * b, rounded half to even at the 12th digit (DEC_INEXACT when it was).
** Inline for the common case, where a 128-bit division costs more than the
** rest of the product: both operands within 64 bits and one of them with at
** most 4 decimals. (DEC_NULL is outside 64 bits: dec_mul_wide refuses it.) */
static inline DecStatus dec_mul(Dec a, Dec b, Dec *out)
{
    if (a >= INT64_MIN && a <= INT64_MAX && b >= INT64_MIN && b <= INT64_MAX) {
        int64_t x = (int64_t)a, y = (int64_t)b;
        /* Quotients multiplied back rather than remainders taken: asked for
        ** both, the compiler may divide (idiv) instead of multiplying. */
        int64_t x4 = x / 100000000, y4 = y / 100000000;
        DecStatus st;
        if (y4 * 100000000 == y && dec_mul_short(x, y4, out, &st)) return st;
        if (x4 * 100000000 == x && dec_mul_short(y, x4, out, &st)) return st;
    }
    return dec_mul_wide(a, b, out);
}
DecStatus dec_div(Dec a, Dec b, Dec *out);
DecStatus dec_neg(Dec a, Dec *out);
/* Rounds to `digits` fractional digits, 0 <= digits <= DEC_DIGITS. */
DecStatus dec_round(Dec a, int digits, DecRound mode, Dec *out);
/* Square root to 12 fractional digits, rounded half-even. */
DecStatus dec_sqrt(Dec a, Dec *out);

int dec_cmp(Dec a, Dec b); /* -1, 0, 1 */
Dec dec_abs(Dec a);        /* callers ensure a != most negative */

/* Writes the shortest exact form: no trailing fractional zeros, no '.' for
** integers, '-' for negatives, never "-0". Returns the length written. */
size_t dec_format(Dec a, char *buf);
/* Writes the digits of v, zero-padded to at least width of them (no NUL);
** returns how many. */
size_t dec_put_digits(char *buf, uint64_t v, int width);

#endif
