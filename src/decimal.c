/*
** decimal.c — exact fixed-point decimal arithmetic (see decimal.h).
**
** Hot paths (add, sub, and mul/div of operands below about 1e7 and 1e14) use
** one native 128-bit operation plus rounding; wider operands fall back to
** exact slower paths so no result ever wraps.
**
** DEC_NULL ("no value") is not a number: passing it to an arithmetic function
** reports DEC_OVERFLOW, dec_format writes "" and dec_to_double returns NaN.
** On any status other than DEC_OK and DEC_INEXACT, *out is left unchanged.
*/
#include "decimal.h"

#include <math.h>

typedef unsigned __int128 U128;

#define DEC_MAX  ((Dec)((((U128)1) << 127) - 1))
#define UDEC_MAX ((U128)DEC_MAX)
#define USCALE   ((U128)DEC_SCALE)

static const uint64_t POW10[DEC_DIGITS + 1] = {
    1ULL,           10ULL,           100ULL,           1000ULL,      10000ULL,
    100000ULL,      1000000ULL,      10000000ULL,      100000000ULL, 1000000000ULL,
    10000000000ULL, 100000000000ULL, 1000000000000ULL,
};

/* Valid values are symmetric, so the magnitude of any of them fits in 127 bits. */
static U128 mag(Dec a)
{
    return a < 0 ? (U128)0 - (U128)a : (U128)a;
}

/* Applies the sign to a magnitude, rejecting anything past DEC_MAX. */
static DecStatus finish(U128 m, bool neg, DecStatus ok, Dec *out)
{
    if (m > UDEC_MAX) return DEC_OVERFLOW;
    *out = neg ? -(Dec)m : (Dec)m;
    return ok;
}

/* Half-even on a quotient q with remainder r of divisor d (r < d). */
static U128 round_half_even(U128 q, U128 r, U128 d)
{
    U128 rest = d - r;
    if (r > rest || (r == rest && (q & 1))) q++;
    return q;
}

Dec dec_from_int(int64_t v)
{
    return (Dec)v * DEC_SCALE;
}

bool dec_is_integer(Dec a)
{
    return a != DEC_NULL && a % DEC_SCALE == 0;
}

bool dec_to_int64(Dec a, int64_t *out)
{
    if (!dec_is_integer(a)) return false;
    Dec q = a / DEC_SCALE;
    if (q < INT64_MIN || q > INT64_MAX) return false;
    *out = (int64_t)q;
    return true;
}

double dec_to_double(Dec a)
{
    if (a == DEC_NULL) return NAN;
    /* Below 2^53 units one division is correctly rounded; beyond that,
    ** splitting keeps the fraction from being lost in the conversion. */
    if (a > -((Dec)1 << 53) && a < ((Dec)1 << 53)) return (double)a / 1e12;
    return (double)(a / DEC_SCALE) + (double)(a % DEC_SCALE) / 1e12;
}

int dec_cmp(Dec a, Dec b)
{
    return (a > b) - (a < b);
}

Dec dec_abs(Dec a)
{
    return a < 0 ? -a : a;
}

DecStatus dec_neg(Dec a, Dec *out)
{
    if (a == DEC_NULL) return DEC_OVERFLOW;
    *out = -a;
    return DEC_OK;
}

/* Operands too wide for a 128-bit product: multiply integer and fraction
** parts separately so every partial product fits. */
static DecStatus mul_slow(Dec a, Dec b, Dec *out)
{
    U128 ua = mag(a), ub = mag(b);
    U128 ai = ua / USCALE, af = ua % USCALE, bi = ub / USCALE, bf = ub % USCALE;
    U128 ff = af * bf, t;
    if (__builtin_mul_overflow(ai, bi, &t) || __builtin_mul_overflow(t, USCALE, &t) ||
        __builtin_add_overflow(t, ai * bf, &t) || __builtin_add_overflow(t, af * bi, &t) ||
        __builtin_add_overflow(t, ff / USCALE, &t))
        return DEC_OVERFLOW;
    U128 rem = ff % USCALE;
    if (t > UDEC_MAX) return DEC_OVERFLOW; /* also keeps t + 1 from wrapping */
    t = round_half_even(t, rem, USCALE);
    return finish(t, (a < 0) != (b < 0), rem ? DEC_INEXACT : DEC_OK, out);
}

DecStatus dec_mul_wide(Dec a, Dec b, Dec *out)
{
    if (a == DEC_NULL || b == DEC_NULL) return DEC_OVERFLOW;
    if (a < INT64_MIN || a > INT64_MAX || b < INT64_MIN || b > INT64_MAX)
        return mul_slow(a, b, out);
    /* Both within 2^63, so the product is within 2^126. */
    Dec p = a * b;
    Dec q = p / DEC_SCALE, r = p % DEC_SCALE;
    if (r == 0) {
        *out = q;
        return DEC_OK;
    }
    U128 ur = mag(r);
    if (ur * 2 > USCALE || (ur * 2 == USCALE && (q & 1))) q += p < 0 ? -1 : 1;
    *out = q;
    return DEC_INEXACT;
}

/* u * 10^12 as a 256-bit (hi:lo); for u < 2^127 hi stays below 2^40. */
static U128 mul_scale(U128 u, U128 *hi)
{
    U128 lo_part = (U128)(uint64_t)u * USCALE;
    U128 hi_part = (u >> 64) * USCALE;
    U128 lo = lo_part + (hi_part << 64);
    *hi = (hi_part >> 64) + (lo < lo_part);
    return lo;
}

/* (hi:lo) / d by shift-and-subtract; needs hi < d so the quotient fits. */
static U128 udiv256(U128 hi, U128 lo, U128 d, U128 *rem)
{
    U128 r = hi, q = 0;
    for (int i = 127; i >= 0; i--) {
        /* A carried-out top bit means the true remainder exceeds d. */
        bool carry = (r >> 127) != 0;
        r = (r << 1) | ((lo >> i) & 1);
        q <<= 1;
        if (carry || r >= d) {
            r -= d;
            q |= 1;
        }
    }
    *rem = r;
    return q;
}

/* |a| * 10^12 needs up to 167 bits: form it as (hi:lo) and divide exactly. */
static DecStatus div_slow(Dec a, Dec b, Dec *out)
{
    U128 ua = mag(a), ub = mag(b), hi, lo = mul_scale(ua, &hi);
    if (hi >= ub) return DEC_OVERFLOW;
    U128 rem, q = udiv256(hi, lo, ub, &rem);
    if (q > UDEC_MAX) return DEC_OVERFLOW;
    q = round_half_even(q, rem, ub);
    return finish(q, (a < 0) != (b < 0), DEC_OK, out);
}

DecStatus dec_div(Dec a, Dec b, Dec *out)
{
    if (a == DEC_NULL || b == DEC_NULL) return DEC_OVERFLOW;
    if (b == 0) return DEC_DIVZERO;
    Dec n;
    if (__builtin_mul_overflow(a, DEC_SCALE, &n)) return div_slow(a, b, out);
    /* n is never DEC_NULL (2^127 is not a multiple of 10^12), and |b| >= 1
    ** unit means |n / b| <= |n|, so nothing here can overflow. */
    Dec q = n / b, r = n % b;
    if (r != 0) {
        U128 ur = mag(r), rest = mag(b) - ur;
        if (ur > rest || (ur == rest && (q & 1))) q += (r < 0) == (b < 0) ? 1 : -1;
    }
    *out = q;
    return DEC_OK;
}

/* Whether to step the truncated quotient q one unit away from zero, given
** the discarded remainder r (nonzero) of division by unit. */
static bool round_away(DecRound mode, Dec q, Dec r, Dec unit)
{
    U128 twice = mag(r) * 2;
    switch (mode) {
    case DEC_ROUND_HALF_UP: return twice >= (U128)unit;
    case DEC_ROUND_HALF_EVEN: return twice > (U128)unit || (twice == (U128)unit && (q & 1));
    case DEC_ROUND_FLOOR: return r < 0;
    case DEC_ROUND_CEIL: return r > 0;
    case DEC_ROUND_TRUNC: return false;
    }
    return false;
}

/* digits outside 0..DEC_DIGITS or an unknown mode report DEC_DOMAIN. */
DecStatus dec_round(Dec a, int digits, DecRound mode, Dec *out)
{
    if (a == DEC_NULL) return DEC_OVERFLOW;
    if (digits < 0 || digits > DEC_DIGITS || (unsigned)mode > DEC_ROUND_TRUNC) return DEC_DOMAIN;
    Dec unit = (Dec)POW10[DEC_DIGITS - digits];
    Dec q = a / unit, r = a % unit, res;
    if (r != 0 && round_away(mode, q, r, unit)) q += r < 0 ? -1 : 1;
    if (__builtin_mul_overflow(q, unit, &res) || res == DEC_NULL) return DEC_OVERFLOW;
    *out = res;
    return DEC_OK;
}

/* Bit-pair square root of (hi:lo). a*10^12 can need 167 bits, more than
** Newton on a native 128-bit integer can hold; this keeps only the root
** (< 2^84) and a remainder below 2^86 in 128-bit state. */
static U128 isqrt256(U128 hi, U128 lo, U128 *rem)
{
    U128 root = 0, r = 0;
    /* Skip leading zero pairs; small inputs are the common case. */
    int top = hi ? 254 : 126;
    U128 word = hi ? hi : lo;
    while (top > 0 && (word >> (top % 128)) == 0)
        top -= 2;
    for (int i = top; i >= 0; i -= 2) {
        U128 pair = i >= 128 ? (hi >> (i - 128)) & 3 : (lo >> i) & 3;
        r = (r << 2) | pair;
        root <<= 1;
        U128 trial = (root << 1) | 1;
        if (r >= trial) {
            r -= trial;
            root |= 1;
        }
    }
    *rem = r;
    return root;
}

DecStatus dec_sqrt(Dec a, Dec *out)
{
    if (a == DEC_NULL) return DEC_OVERFLOW;
    if (a < 0) return DEC_DOMAIN;
    U128 hi, lo = mul_scale((U128)a, &hi);
    U128 rem, root = isqrt256(hi, lo, &rem);
    /* sqrt(N) >= root + 1/2 iff N - root^2 > root; an exact tie is impossible. */
    if (rem > root) root++;
    *out = (Dec)root;
    return DEC_OK;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Sets *end_out past the run of digits at start (bounded by len); false if
** the run is empty. */
static bool scan_digits(const char *s, size_t start, size_t len, size_t *end_out)
{
    size_t i = start;
    while (i < len && is_digit(s[i]))
        i++;
    *end_out = i;
    return i > start;
}

/* The value is the digit string D (integer digits then fraction digits with
** trailing zeros dropped) times 10^(12 - e), where e counts those fraction
** digits plus 2 for '%'. Building it that way keeps '%' exact. */
DecStatus dec_parse(const char *s, size_t len, bool allow_percent, Dec *out)
{
    size_t i = 0, ib, ie, fb, fe;
    bool neg = false, pct = false;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) neg = s[i++] == '-';
    if (allow_percent && len > i && s[len - 1] == '%') {
        pct = true;
        len--;
    }
    ib = i;
    if (!scan_digits(s, ib, len, &ie)) return DEC_SYNTAX;
    fb = fe = ie;
    if (ie < len && s[ie] == '.') {
        fb = ie + 1;
        if (!scan_digits(s, fb, len, &fe)) return DEC_SYNTAX;
    }
    if (fe != len) return DEC_SYNTAX;
    while (fe > fb && s[fe - 1] == '0')
        fe--;
    size_t e = (fe - fb) + (pct ? 2 : 0);
    if (e > DEC_DIGITS) return DEC_TOO_PRECISE;
    while (ib < ie && s[ib] == '0')
        ib++;
    /* DEC_MAX has 39 digits; 38 always fit in 128 bits, so only a 39th needs
    ** an overflow check. */
    size_t ni = ie - ib, n = ni + (fe - fb);
    if (n > 39) return DEC_OVERFLOW;
    U128 d = 0, m;
    for (size_t j = 0; j < n; j++) {
        unsigned dig = (unsigned)((j < ni ? s[ib + j] : s[fb + j - ni]) - '0');
        if (j < 38)
            d = d * 10 + dig;
        else if (__builtin_mul_overflow(d, 10, &d) || __builtin_add_overflow(d, dig, &d))
            return DEC_OVERFLOW;
    }
    if (__builtin_mul_overflow(d, (U128)POW10[DEC_DIGITS - e], &m)) return DEC_OVERFLOW;
    return finish(m, neg, DEC_OK, out);
}

/* "00" .. "99": two digits per division when writing numbers out, which a
** million-row result does tens of millions of times. */
static const char two_digits[201] = "00010203040506070809101112131415161718192021222324"
                                    "25262728293031323334353637383940414243444546474849"
                                    "50515253545556575859606162636465666768697071727374"
                                    "75767778798081828384858687888990919293949596979899";

size_t dec_put_digits(char *buf, uint64_t v, int width)
{
    int n = 1;
    for (uint64_t t = v; t >= 10; t /= 10)
        n++;
    if (n < width) n = width;
    char *p = buf + n;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        p[0] = two_digits[2 * d];
        p[1] = two_digits[2 * d + 1];
    }
    if (v >= 10) {
        p -= 2;
        p[0] = two_digits[2 * v];
        p[1] = two_digits[2 * v + 1];
    } else {
        *--p = (char)('0' + v);
    }
    while (p > buf)
        *--p = '0';
    return (size_t)n;
}

/* DEC_NULL formats as "" so a missing value prints as an empty field. */
size_t dec_format(Dec a, char *buf)
{
    const uint64_t e18 = 1000000000000000000ULL;
    char *p = buf;
    if (a == DEC_NULL) {
        buf[0] = '\0';
        return 0;
    }
    if (a < 0) *p++ = '-';
    U128 m = mag(a), ip;
    uint64_t fp;
    if (m >> 64 == 0) { /* nearly every value: 64-bit division is much cheaper */
        ip = (uint64_t)m / (uint64_t)DEC_SCALE;
        fp = (uint64_t)m % (uint64_t)DEC_SCALE;
    } else {
        ip = m / USCALE;
        fp = (uint64_t)(m % USCALE);
    }
    /* The integer part is below 2^87: two 64-bit pieces cover it. */
    bool small = ip >> 64 == 0;
    uint64_t ihi = small ? (uint64_t)ip / e18 : (uint64_t)(ip / e18);
    uint64_t ilo = small ? (uint64_t)ip % e18 : (uint64_t)(ip % e18);
    if (ihi != 0) p += dec_put_digits(p, ihi, 0);
    p += dec_put_digits(p, ilo, ihi != 0 ? 18 : 0);
    if (fp != 0) {
        int width = DEC_DIGITS;
        for (; fp % 10 == 0; width--)
            fp /= 10;
        *p++ = '.';
        p += dec_put_digits(p, fp, width);
    }
    *p = '\0';
    return (size_t)(p - buf);
}
