/*
** test_utf8.c — the bulk UTF-8 validator: the SIMD and the scalar check both
** stop where an independent decoder finds the first bad or cut-off sequence,
** on random text around every block edge. Each SIMD form (SSSE3, AVX2) is
** checked on its own, where the CPU has it.
*/
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "utf8_ref.h"

static size_t ref_check(const unsigned char *s, size_t n, bool *bad)
{
    size_t i = 0;
    *bad = false;
    while (i < n) {
        int k = ref_seq(s + i, n - i);
        if (k <= 0) {
            *bad = k == 0;
            return i;
        }
        i += (size_t)k;
    }
    return n;
}

static uint64_t rnd_state = 7;
static uint32_t rnd(uint32_t n)
{
    rnd_state = rnd_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rnd_state >> 33) % n;
}

/* Mostly valid text (ASCII, Chinese, emoji), sometimes a bad or cut piece. */
static size_t random_text(unsigned char *buf, size_t want, uint32_t bad_odds)
{
    static const char *const good[] = {"a",
                                       ",",
                                       "7",
                                       "\n",
                                       "张",
                                       "三",
                                       "é",
                                       "😀",
                                       "\xef\xbb\xbf",
                                       "\xed\x9f\xbf",
                                       "\xf4\x8f\xbf\xbf",
                                       "\xe0\xa0\x80"};
    static const char *const bad[] = {"\xff",         "\x80",         "\xc0\xaf", "\xc1\xbf",
                                      "\xed\xa0\x80", "\xf4\x90\x80", "\xe4",     "\xe4\xb8",
                                      "\xf0\x9f\x98", "\xe0\x9f\xbf", "\xf0\x8f", "\xf5\x80",
                                      "\xf8\x88\x80", "\xbf\xbf",     "\xc2"};
    size_t n = 0;
    while (n < want) {
        const char *a = rnd(bad_odds) == 0 ? bad[rnd(15)]
                        : rnd(3) == 0      ? good[rnd(12)]
                                           : good[rnd(2) ? 4 : 0];
        size_t l = strlen(a);
        if (n + l > want) break;
        memcpy(buf + n, a, l);
        n += l;
    }
    return n;
}

static void expect_same(const unsigned char *s, size_t n, const char *what)
{
    bool rb, sb, vb;
    size_t r = ref_check(s, n, &rb);
    size_t sc = utf8_check_scalar(s, n, &sb);
    size_t v = utf8_check(s, n, &vb);
    cr_assert_eq(sc, r, "%s: scalar stops at %zu, reference at %zu (n %zu)", what, sc, r, n);
    cr_assert_eq(sb, rb, "%s: scalar bad %d, reference %d at %zu", what, sb, rb, r);
    cr_assert_eq(v, r, "%s: utf8_check stops at %zu, reference at %zu (n %zu)", what, v, r, n);
    cr_assert_eq(vb, rb, "%s: utf8_check bad %d, reference %d at %zu", what, vb, rb, r);
    for (Utf8Level level = UTF8_SSSE3; level <= UTF8_AVX2; level++) {
        bool lb;
        size_t l = utf8_check_level(s, n, &lb, level);
        cr_assert_eq(l, r, "%s: level %d stops at %zu, reference at %zu (n %zu)", what, (int)level,
                     l, r, n);
        cr_assert_eq(lb, rb, "%s: level %d bad %d, reference %d at %zu", what, (int)level, lb, rb,
                     r);
    }
}

Test(utf8, the_reference_agrees_with_utf8_seq)
{
    /* Every lead byte with every pair of following bytes from a spread of values. */
    static const unsigned char tail[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                                         0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xff};
    for (unsigned b = 0x80; b < 0x100; b++)
        for (size_t i = 0; i < sizeof tail; i++)
            for (size_t j = 0; j < sizeof tail; j++)
                for (size_t n = 1; n <= 4; n++) {
                    unsigned char s[4] = {(unsigned char)b, tail[i], tail[j], 0x80};
                    int want = ref_seq(s, n), got = utf8_seq(s, s + n);
                    cr_assert_eq(got, want, "%02x %02x %02x 80 (n %zu): %d, want %d", b, tail[i],
                                 tail[j], n, got, want);
                }
}

Test(utf8, every_two_byte_text_at_every_offset)
{
    unsigned char buf[80];
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            memset(buf, 'x', sizeof buf);
            size_t at = (a * 7 + b) % 70;
            buf[at] = (unsigned char)a;
            buf[at + 1] = (unsigned char)b;
            expect_same(buf, sizeof buf, "pair");
            expect_same(buf, at + 2, "pair at end");
        }
}

Test(utf8, random_text_matches_the_reference)
{
    unsigned char *buf = malloc(4096);
    for (int round = 0; round < 20000; round++) {
        size_t n = random_text(buf, 1 + rnd(round % 4 ? 300 : 4000), round % 3 ? 400 : 40);
        expect_same(buf, n, "random");
        /* and every shorter prefix ending near a 16- or 64-byte edge */
        size_t cut = n > 70 ? 60 + rnd(10) : n;
        expect_same(buf, cut, "prefix");
        expect_same(buf + (n > 3 ? rnd(3) : 0), n > 3 ? n - 3 : n, "shifted");
    }
    free(buf);
}

/* A lead byte left without its continuations at the end of a 64-byte block,
** with only ASCII after it: the next block has nothing to flag, so the cut
** must be carried over. */
Test(utf8, a_sequence_cut_at_a_block_end_before_ascii)
{
    static const char *const cut[] = {"\xc3", "\xe4",     "\xe4\xb8",
                                      "\xf0", "\xf0\x9f", "\xf0\x9f\x98"};
    unsigned char buf[256];
    for (size_t c = 0; c < sizeof cut / sizeof *cut; c++)
        for (size_t end = 30; end <= 130; end++) {
            size_t l = strlen(cut[c]);
            memset(buf, 'x', sizeof buf);
            memcpy(buf + end - l, cut[c], l);
            expect_same(buf, sizeof buf, "cut before ASCII");
        }
}

Test(utf8, empty_and_all_valid)
{
    bool bad = true;
    cr_expect_eq(utf8_check((const unsigned char *)"", 0, &bad), 0);
    cr_expect_not(bad);
    const char *t = "考评：张三、李四，😀 and plain ASCII text that runs past sixty-four bytes";
    cr_expect_eq(utf8_check((const unsigned char *)t, strlen(t), &bad), strlen(t));
    cr_expect_not(bad);
}
