/*
** test_cell_fast.c — cell_parse's short paths give what the general ones
** give: enumeration values matched by length and a few bytes against a
** plain string comparison, and plain numbers read in 64 bits against
** dec_parse, values and error messages alike; and the loader's inline
** path (cell_fast.h) gives exactly what cell_parse gives.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "cell_fast.h"
#include "date.h"

static uint64_t seed = 99;
static uint32_t rnd(uint32_t n)
{
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(seed >> 33) % n;
}

typedef struct Fixture {
    Model m;
    Arena a;
} Fixture;

static void fixture_init(Fixture *f)
{
    memset(f, 0, sizeof *f);
    f->m.strings = &f->m.own_strings;
    intern_init(f->m.strings);
    arena_init(&f->a);
}

static void fixture_free(Fixture *f)
{
    intern_free(f->m.strings);
    arena_free(&f->a);
}

/* ---- numbers ---- */

/* What cell_parse said before its short path: dec_parse and its verdict. */
static bool number_reference(ColKind k, const char *s, Dec *n, char *err, size_t cap)
{
    static const char *const names[] = {"", "int", "decimal", "percent"};
    DecStatus st = dec_parse(s, strlen(s), k == COL_PERCENT, n);
    if (st == DEC_OK && (k != COL_INT || dec_is_integer(*n))) return true;
    snprintf(err, cap, "expected %s, got \"%.200s\"%s", names[k], s,
             st == DEC_TOO_PRECISE ? " (more than 12 decimal places)"
             : st == DEC_OVERFLOW  ? " (too large)"
                                   : "");
    return false;
}

static void expect_number_like_reference(Fixture *f, ColKind k, const char *s)
{
    Column c = {.name = "x", .kind = k};
    Value v;
    Dec want = 0;
    char err[300] = "", werr[300] = "";
    bool ok = cell_parse(&f->m, &c, s, strlen(s), false, &v, err, sizeof err);
    bool wok = number_reference(k, s, &want, werr, sizeof werr);
    cr_assert_eq(ok, wok, "kind %d \"%s\": %d, reference %d (%s)", k, s, ok, wok, werr);
    if (ok) {
        char a[DEC_FMT_MAX], b[DEC_FMT_MAX];
        dec_format(v.n, a);
        dec_format(want, b);
        cr_assert(v.n == want, "kind %d \"%s\": %s, reference %s", k, s, a, b);
        cr_assert_not(v.null);
    } else {
        cr_assert_str_eq(err, werr, "kind %d \"%s\"", k, s);
    }
}

Test(cell_fast, numbers_at_the_edges_of_the_short_path)
{
    static const char *const cases[] = {"0",
                                        "-0",
                                        "7",
                                        "007",
                                        "-12",
                                        "+5",
                                        "1.",
                                        ".5",
                                        "-.5",
                                        "1.0",
                                        "1.50",
                                        "-0.000",
                                        "1e5",
                                        "1,000",
                                        " 1",
                                        "1 ",
                                        "--1",
                                        "-",
                                        "%",
                                        "-%",
                                        "5%",
                                        "5%%",
                                        "85.5%",
                                        "-1.25%",
                                        "0.85",
                                        "123456789012345678",
                                        "999999999999999999",
                                        "1234567890123456789",
                                        "99999999999999999999999999",
                                        "999999999999999999999999999",
                                        "1.123456789012",
                                        "1.1234567890123",
                                        "1.1234567890120",
                                        "1.12345678901%",
                                        "1.1234567890%",
                                        "0.0000000001%",
                                        "12.5.3",
                                        "1..2",
                                        "١٢",
                                        "12a",
                                        "a12",
                                        "0x10",
                                        "100000000000000000000000000.5",
                                        "170141183460469231731687303715884105727",
                                        "-99999999999999999.999999999999"};
    Fixture f;
    fixture_init(&f);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (ColKind k = COL_INT; k <= COL_PERCENT; k++)
            expect_number_like_reference(&f, k, cases[i]);
    fixture_free(&f);
}

Test(cell_fast, random_numbers_match_dec_parse)
{
    static const char alphabet[] = "0123456789000.-%+e ";
    Fixture f;
    fixture_init(&f);
    char s[48];
    for (int round = 0; round < 200000; round++) {
        size_t n = 1 + rnd(round % 8 ? 12 : 40);
        for (size_t i = 0; i < n; i++)
            s[i] = rnd(6) ? (char)('0' + rnd(10)) : alphabet[rnd(sizeof alphabet - 1)];
        s[n] = '\0';
        if (rnd(4) == 0) s[0] = '-';
        if (rnd(6) == 0) s[n - 1] = '%';
        expect_number_like_reference(&f, (ColKind)(COL_INT + rnd(3)), s);
    }
    fixture_free(&f);
}

/* ---- enumerations ---- */

/* An enumeration of n distinct values built from pieces that share
** prefixes, suffixes and lengths, so the keys alone cannot tell them apart. */
static int random_enum(char vals[][40], int n)
{
    static const char *const pieces[] = {"好",   "较",   "差", "a", "b",
                                         "审查", "起诉", "捕", "-", "x"};
    int made = 0;
    for (int tries = 0; made < n && tries < 1000; tries++) {
        char *v = vals[made];
        v[0] = '\0';
        for (uint32_t k = 1 + rnd(6); k--;)
            strcat(v, pieces[rnd(10)]);
        bool dup = false;
        for (int j = 0; j < made; j++)
            dup |= strcmp(vals[j], v) == 0;
        if (!dup) made++;
    }
    return made;
}

static void expect_enum_like_reference(Fixture *f, const Column *c, char vals[][40], int n,
                                       const char *s)
{
    Value v;
    char err[300] = "";
    int want = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(vals[i], s) == 0) want = i;
    bool ok = cell_parse(&f->m, c, s, strlen(s), false, &v, err, sizeof err);
    cr_assert_eq(ok, want >= 0, "\"%s\": matched %d, want value %d", s, ok, want);
    if (ok)
        cr_assert_eq(v.t, c->enum_ids[want], "\"%s\": id %u, want %u", s, v.t, c->enum_ids[want]);
}

Test(cell_fast, enum_matching_agrees_with_strcmp)
{
    Fixture f;
    fixture_init(&f);
    for (int round = 0; round < 3000; round++) {
        char vals[12][40], probe[48];
        int n = random_enum(vals, 1 + (int)rnd(12));
        void *items[12];
        uint32_t ids[12];
        for (int i = 0; i < n; i++) {
            items[i] = vals[i];
            ids[i] = intern_put(f.m.strings, vals[i], strlen(vals[i]));
        }
        PtrVec pv = {.items = items, .n = n, .cap = n};
        Column c = {.name = "e", .kind = COL_ENUM, .enum_ids = ids};
        c.type.base = T_TEXT;
        c.type.enum_vals = &pv;
        c.enum_keys = cell_enum_keys(&f.a, &pv, ids);
        for (int k = 0; k < 40; k++) {
            /* a value, or one with a byte changed, cut short or made longer */
            strcpy(probe, vals[rnd((uint32_t)n)]);
            size_t len = strlen(probe);
            switch (rnd(4)) {
            case 0: break;
            case 1: probe[rnd((uint32_t)len)] ^= (char)(1 + rnd(7)); break;
            case 2:
                if (len > 1) probe[rnd((uint32_t)len - 1) + 1] = '\0';
                break;
            default: strcat(probe, rnd(2) ? "好" : "a");
            }
            if (probe[0] == '\0') continue;
            expect_enum_like_reference(&f, &c, vals, n, probe);
        }
    }
    fixture_free(&f);
}

/* ---- dates ---- */

static bool ref_valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

Test(cell_fast, dates_are_checked_and_counted_like_the_calendar)
{
    static const int years[] = {1,    4,    99,   100,  400,  1600, 1700, 1900, 1969, 1970,
                                1999, 2000, 2023, 2024, 2100, 2400, 9996, 9999, 0};
    for (size_t i = 0; i < sizeof years / sizeof *years; i++)
        for (int m = 0; m <= 13; m++)
            for (int d = 0; d <= 32; d++) {
                char s[48];
                int32_t days = 0;
                snprintf(s, sizeof s, "%04d-%02d-%02d", years[i], m, d);
                bool ok = date_parse(s, 10, &days);
                cr_assert_eq(ok, ref_valid_date(years[i], m, d), "%s", s);
                if (!ok) continue;
                int y2, m2, d2;
                date_split(days, &y2, &m2, &d2);
                cr_assert(y2 == years[i] && m2 == m && d2 == d, "%s -> %d -> %04d-%02d-%02d", s,
                          days, y2, m2, d2);
            }
    int32_t days;
    cr_assert(date_parse("1970-01-01", 10, &days));
    cr_expect_eq(days, 0);
    cr_assert(date_parse("2000-03-01", 10, &days));
    cr_expect_eq(days, 11017);
}

Test(cell_fast, malformed_dates_are_rejected)
{
    static const char *const bad[] = {"2023-1-01",   "2023-01-1",  "2023/01/01", "2023-01-01 ",
                                      " 2023-01-01", "20230-1-01", "2023-0a-01", "２０２３-01-01",
                                      "2023--01-01", "+023-01-01", "-023-01-01", "2023-01-0:",
                                      "2023-01-/1",  "0000-01-01", "2023-00-10", "2023-13-01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int32_t days;
        cr_expect_not(date_parse(bad[i], strlen(bad[i]), &days), "%s", bad[i]);
    }
    /* every single byte in every digit place */
    char s[] = "2024-02-29";
    for (int at = 0; at < 10; at++) {
        if (at == 4 || at == 7) continue;
        for (int b = 1; b < 256; b++) {
            char keep = s[at];
            int32_t days;
            s[at] = (char)b;
            bool digit = b >= '0' && b <= '9';
            int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
            cr_assert_eq(date_parse(s, 10, &days), digit && ref_valid_date(y, m, d), "%s", s);
            s[at] = keep;
        }
    }
}

/* ---- the loader's inline path ---- */

/* cell_fast either declines or gives exactly the Value cell_parse gives
** (for a column something reads: one nothing reads is only checked). */
static void expect_fast_like_parse(Fixture *f, const Column *c, const char *s)
{
    Value fast, slow;
    size_t len = strlen(s);
    if (!cell_fast(c, s, len, &fast)) return;
    char err[300] = "";
    cr_assert(cell_parse(&f->m, c, s, len, false, &slow, err, sizeof err),
              "kind %d \"%s\": cell_fast accepted what cell_parse rejects (%s)", c->kind, s, err);
    if (!c->used) return;
    cr_assert(memcmp(&fast, &slow, sizeof fast) == 0, "kind %d \"%s\": the values differ", c->kind,
              s);
}

Test(cell_fast, the_inline_path_gives_what_cell_parse_gives)
{
    static const char *const texts[] = {"0",
                                        "1",
                                        "-1",
                                        "007",
                                        "1.50",
                                        "-0.5",
                                        "85.5%",
                                        "5%",
                                        "1e5",
                                        "+5",
                                        "1.",
                                        "是",
                                        "否",
                                        "true",
                                        "false",
                                        "2",
                                        "2023-02-28",
                                        "2023-02-29",
                                        "2024-02-29",
                                        "2023-13-01",
                                        "2023-1-01",
                                        "优秀",
                                        "良好",
                                        "优",
                                        "一般",
                                        "",
                                        "123456789012345678",
                                        "1.1234567890123"};
    static const char *const grades[] = {"优秀", "良好", "一般"};
    Fixture f;
    fixture_init(&f);
    void *items[3];
    uint32_t ids[3];
    for (int i = 0; i < 3; i++) {
        items[i] = (void *)grades[i];
        ids[i] = intern_put(f.m.strings, grades[i], strlen(grades[i]));
    }
    PtrVec pv = {.items = items, .n = 3, .cap = 3};
    for (int used = 0; used <= 1; used++)
        for (ColKind k = COL_TEXT; k <= COL_ENUM; k++) {
            Column c = {.name = "x", .kind = k, .enum_ids = ids, .used = used};
            c.type.enum_vals = &pv;
            c.enum_keys = cell_enum_keys(&f.a, &pv, ids);
            for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
                if (texts[i][0]) expect_fast_like_parse(&f, &c, texts[i]);
            char s[48];
            for (int round = 0; round < 20000; round++) {
                size_t n = 1 + rnd(14);
                for (size_t j = 0; j < n; j++)
                    s[j] = "0123456789.-%"[rnd(13)];
                s[n] = '\0';
                expect_fast_like_parse(&f, &c, s);
            }
        }
    /* and it takes the common forms, or the loader would gain nothing */
    Column num = {.name = "n", .kind = COL_DEC}, day = {.name = "d", .kind = COL_DATE};
    Column yes = {.name = "b", .kind = COL_BOOL};
    Value v;
    cr_expect(cell_fast(&num, "85.5", 4, &v) && v.n == dec_from_int(855) / 10);
    cr_expect(cell_fast(&day, "2023-11-19", 10, &v));
    /* a date nothing reads is checked all the same */
    cr_expect_not(cell_fast(&day, "2023-02-29", 10, &v));
    cr_expect_not(cell_fast(&day, "2023-13-01", 10, &v));
    day.used = true;
    cr_expect(cell_fast(&day, "1970-01-02", 10, &v) && v.d == 1);
    cr_expect(cell_fast(&yes, "是", strlen("是"), &v) && v.b);
    fixture_free(&f);
}

/* cell_same_text says what memcmp says, for every length up to past the
** 16 bytes it compares inline and for a difference at every position. */
Test(cell_fast, same_text_is_memcmp)
{
    char a[48], b[48];
    for (size_t n = 0; n <= 40; n++) {
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] = (char)('a' + (i * 7) % 26);
        cr_expect(cell_same_text(a, b, n), "equal, length %zu", n);
        for (size_t at = 0; at < n; at++) {
            b[at] ^= 0x40;
            cr_expect_not(cell_same_text(a, b, n), "length %zu, differing at %zu", n, at);
            cr_expect_eq(cell_same_text(a, b, at), true, "a shorter length stops before it");
            b[at] ^= 0x40;
        }
    }
}
