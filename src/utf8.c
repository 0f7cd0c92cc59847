/*
** utf8.c — bulk UTF-8 validation (see utf8.h).
**
** On x86 with AVX2 (or SSSE3) the text is checked 64 bytes at a time with
** the lookup method of Keiser and Lemire ("Validating UTF-8 in less than one instruction
** per byte", 2021): three 16-entry table lookups on the nibbles of each byte
** and the byte before it flag every invalid pair, and a saturating subtract
** finds the bytes that must continue a 3- or 4-byte sequence. That only says
** whether a block is valid; the exact place of a problem, and the end of the
** text, are left to the sequential check, restarted at the last sequence
** boundary before the block.
*/
#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t utf8_check_scalar(const unsigned char *s, size_t n, bool *bad)
{
    const unsigned char *p = s, *e = s + n;
    *bad = false;
    for (;;) {
        uint64_t w;
        while (e - p >= 8 && (memcpy(&w, p, 8), !(w & 0x8080808080808080u)))
            p += 8;
        while (p < e && *p < 0x80)
            p++;
        while (p < e && *p >= 0x80) {
            int k = utf8_seq(p, e);
            if (k <= 0) {
                *bad = k == 0;
                return (size_t)(p - s);
            }
            p += (size_t)k;
        }
        if (p == e) return n;
    }
}

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define SSSE3 __attribute__((target("ssse3")))

/* The first byte of the sequence that reaches p or starts after it, when the
** text [s, p) is known to be valid up to a possibly cut-off last sequence. */
static const unsigned char *seq_start(const unsigned char *s, const unsigned char *p)
{
    for (int k = 1; k <= 3 && p - k >= s; k++) {
        unsigned char b = p[-k];
        if (b < 0x80) return p;
        if (b >= 0xc0) return p - k;
    }
    return p;
}

/* Error classes of a pair (byte before, byte): the tables give for each
** nibble the classes it may belong to, and a pair is bad when all three
** lookups agree on one. */
#define TOO_SHORT  (1 << 0) /* lead or ASCII followed by a lead or ASCII */
#define TOO_LONG   (1 << 1) /* ASCII followed by a continuation */
#define OVERLONG_3 (1 << 2)
#define TOO_LARGE  (1 << 3)
#define SURROGATE  (1 << 4)
#define OVERLONG_2 (1 << 5)
#define LARGE_1000 (1 << 6) /* also 4-byte overlong */
#define TWO_CONTS  (1 << 7)
#define CARRY      (TOO_SHORT | TOO_LONG | TWO_CONTS)
#define BIG        (CARRY | TOO_LARGE | LARGE_1000)

/* The three lookup tables, for both the SSSE3 and the AVX2 forms. */
#define C8 (TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | LARGE_1000)
#define C9 (TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE)
#define CA (TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE)
static const uint8_t HI1_TABLE[16] = {TOO_LONG,
                                      TOO_LONG,
                                      TOO_LONG,
                                      TOO_LONG,
                                      TOO_LONG,
                                      TOO_LONG,
                                      TOO_LONG,
                                      TOO_LONG,
                                      TWO_CONTS,
                                      TWO_CONTS,
                                      TWO_CONTS,
                                      TWO_CONTS,
                                      TOO_SHORT | OVERLONG_2,
                                      TOO_SHORT,
                                      TOO_SHORT | OVERLONG_3 | SURROGATE,
                                      TOO_SHORT | TOO_LARGE | LARGE_1000};
static const uint8_t LO1_TABLE[16] = {CARRY | OVERLONG_3 | OVERLONG_2 | LARGE_1000,
                                      CARRY | OVERLONG_2,
                                      CARRY,
                                      CARRY,
                                      CARRY | TOO_LARGE,
                                      BIG,
                                      BIG,
                                      BIG,
                                      BIG,
                                      BIG,
                                      BIG,
                                      BIG,
                                      BIG,
                                      BIG | SURROGATE,
                                      BIG,
                                      BIG};
static const uint8_t HI2_TABLE[16] = {
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
    C8,        C9,        CA,        CA,        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT};

static inline __m128i table(const uint8_t *t)
{
    return _mm_loadu_si128((const __m128i *)(const void *)t);
}

static inline SSSE3 __m128i nibble_hi(__m128i v)
{
    return _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(0x0f));
}

/* Nonzero bytes where in (after prev) is not valid UTF-8. */
static inline SSSE3 __m128i block_errors(__m128i in, __m128i prev)
{
    const __m128i hi1_t = table(HI1_TABLE), lo1_t = table(LO1_TABLE), hi2_t = table(HI2_TABLE);
    __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
    __m128i sc = _mm_and_si128(_mm_shuffle_epi8(hi1_t, nibble_hi(prev1)),
                               _mm_shuffle_epi8(lo1_t, _mm_and_si128(prev1, _mm_set1_epi8(0x0f))));
    sc = _mm_and_si128(sc, _mm_shuffle_epi8(hi2_t, nibble_hi(in)));
    /* Only the third and fourth bytes of a sequence may follow a continuation */
    __m128i third = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 14), _mm_set1_epi8(0xe0 - 0x80));
    __m128i fourth = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 13), _mm_set1_epi8(0xf0 - 0x80));
    __m128i must = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must, sc);
}

/* Nonzero when v ends in a lead byte whose sequence continues past it. */
static inline SSSE3 __m128i incomplete(__m128i v)
{
    const __m128i max = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                      (char)(0xf0 - 1), (char)(0xe0 - 1), (char)(0xc0 - 1));
    return _mm_subs_epu8(v, max);
}

static SSSE3 size_t check_ssse3(const unsigned char *s, size_t n, bool *bad)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i prev = zero, cut = zero;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m128i *q = (const __m128i *)(const void *)(s + i);
        __m128i a = _mm_loadu_si128(q), b = _mm_loadu_si128(q + 1);
        __m128i c = _mm_loadu_si128(q + 2), d = _mm_loadu_si128(q + 3);
        __m128i err;
        if (!_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)))) {
            err = cut;
            cut = zero;
        } else {
            err = _mm_or_si128(block_errors(a, prev), block_errors(b, a));
            err = _mm_or_si128(err, _mm_or_si128(block_errors(c, b), block_errors(d, c)));
            cut = incomplete(d);
        }
        prev = d;
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(err, zero)) != 0xffff) break;
    }
    const unsigned char *from = seq_start(s, s + i);
    return (size_t)(from - s) + utf8_check_scalar(from, n - (size_t)(from - s), bad);
}

#define AVX2 __attribute__((target("avx2")))

/* The AVX2 forms of the above: the tables repeated in both 16-byte lanes
** (a shuffle looks up within its lane), and the bytes before each byte
** brought across the lane boundary by a permute. */
static inline AVX2 __m256i nibble_hi256(__m256i v)
{
    return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0f));
}

/* in shifted right by k bytes (k = 1..3), the first k bytes from prev's end. */
#define PREV256(in, prev, k)                                                                       \
    _mm256_alignr_epi8((in), _mm256_permute2x128_si256((prev), (in), 0x21), 16 - (k))

static inline AVX2 __m256i block_errors256(__m256i in, __m256i prev)
{
    const __m256i hi1_t = _mm256_broadcastsi128_si256(table(HI1_TABLE)),
                  lo1_t = _mm256_broadcastsi128_si256(table(LO1_TABLE)),
                  hi2_t = _mm256_broadcastsi128_si256(table(HI2_TABLE));
    __m256i prev1 = PREV256(in, prev, 1);
    __m256i sc = _mm256_and_si256(
        _mm256_shuffle_epi8(hi1_t, nibble_hi256(prev1)),
        _mm256_shuffle_epi8(lo1_t, _mm256_and_si256(prev1, _mm256_set1_epi8(0x0f))));
    sc = _mm256_and_si256(sc, _mm256_shuffle_epi8(hi2_t, nibble_hi256(in)));
    __m256i third = _mm256_subs_epu8(PREV256(in, prev, 2), _mm256_set1_epi8(0xe0 - 0x80));
    __m256i fourth = _mm256_subs_epu8(PREV256(in, prev, 3), _mm256_set1_epi8(0xf0 - 0x80));
    __m256i must = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must, sc);
}

static inline AVX2 __m256i incomplete256(__m256i v)
{
    const __m256i max = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                         -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                         (char)(0xf0 - 1), (char)(0xe0 - 1), (char)(0xc0 - 1));
    return _mm256_subs_epu8(v, max);
}

static AVX2 size_t check_avx2(const unsigned char *s, size_t n, bool *bad)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i prev = zero, cut = zero;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
        __m256i err;
        if (!_mm256_movemask_epi8(_mm256_or_si256(a, b))) {
            err = cut;
            cut = zero;
        } else {
            err = _mm256_or_si256(block_errors256(a, prev), block_errors256(b, a));
            cut = incomplete256(b);
        }
        prev = b;
        if (!_mm256_testz_si256(err, err)) break;
    }
    const unsigned char *from = seq_start(s, s + i);
    return (size_t)(from - s) + utf8_check_scalar(from, n - (size_t)(from - s), bad);
}

size_t utf8_check_level(const unsigned char *s, size_t n, bool *bad, Utf8Level level)
{
    if (n >= 64 && level >= UTF8_AVX2 && __builtin_cpu_supports("avx2"))
        return check_avx2(s, n, bad);
    if (n >= 64 && level >= UTF8_SSSE3 && __builtin_cpu_supports("ssse3"))
        return check_ssse3(s, n, bad);
    return utf8_check_scalar(s, n, bad);
}
#else
size_t utf8_check_level(const unsigned char *s, size_t n, bool *bad, Utf8Level level)
{
    (void)level;
    return utf8_check_scalar(s, n, bad);
}
#endif

size_t utf8_check(const unsigned char *s, size_t n, bool *bad)
{
    return utf8_check_level(s, n, bad, UTF8_AVX2);
}
