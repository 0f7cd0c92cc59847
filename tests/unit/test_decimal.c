/*
** test_decimal.c — unit tests for the fixed-point decimal module.
**
** Expectations for the wide (slow-path) cases were computed independently with
** Python's decimal module at 200-digit precision, rounded half-even to 12
** fractional digits.
*/
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"

#define DEC_MAX_TEXT "170141183460469231731687303.715884105727"
#define DEC_MAX      ((Dec)((((unsigned __int128)1) << 127) - 1))

static Dec P(const char *s)
{
    Dec d = 0;
    DecStatus st = dec_parse(s, strlen(s), true, &d);
    cr_assert_eq(st, DEC_OK, "parse of \"%s\" failed with status %d", s, (int)st);
    return d;
}

static void expect_text(Dec d, const char *want)
{
    char buf[DEC_FMT_MAX];
    size_t n = dec_format(d, buf);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(n, strlen(want));
}

typedef DecStatus (*BinOp)(Dec, Dec, Dec *);

/* Runs op on two literals and checks both the status and the formatted result. */
static void expect_op(BinOp op, const char *a, const char *b, DecStatus st, const char *want)
{
    Dec r = 0;
    DecStatus got = op(P(a), P(b), &r);
    cr_assert_eq(got, st, "%s op %s: status %d, want %d", a, b, (int)got, (int)st);
    if (want != NULL) expect_text(r, want);
}

/* An operation that fails must leave *out alone. */
static void expect_fail(BinOp op, Dec a, Dec b, DecStatus st)
{
    Dec r = 42;
    cr_assert_eq(op(a, b, &r), st);
    cr_assert_eq(r, 42);
}

Test(decimal, tenth_plus_fifth_is_exactly_three_tenths)
{
    Dec r;
    cr_assert_eq(dec_add(P("0.1"), P("0.2"), &r), DEC_OK);
    cr_assert(r == P("0.3"));
    cr_assert(r == DEC_SCALE * 3 / 10);
    expect_text(r, "0.3");
}

/* Parameters are copied into a re-executed test process, so they hold text
** inline: pointers into the parent's address space would not survive. */
#define TEXT_MAX 64

struct roundtrip {
    char in[TEXT_MAX], out[TEXT_MAX];
};

ParameterizedTestParameters(decimal, parse_format_roundtrip)
{
    static struct roundtrip params[] = {
        {"0", "0"},
        {"-0", "0"},
        {"+0.000", "0"},
        {"0.3", "0.3"},
        {"-12.5", "-12.5"},
        {"100", "100"},
        {"+100.00", "100"},
        {"007.50", "7.5"},
        {"0.000000000001", "0.000000000001"},
        {"-0.000000000001", "-0.000000000001"},
        {"1.0000000000000", "1"},
        {"2.5000000000000000000", "2.5"},
        {"123456789.123456789012", "123456789.123456789012"},
        {"1000000000000000000", "1000000000000000000"},
        {"1000000000000000000.5", "1000000000000000000.5"},
        {"12345678901234567890123456", "12345678901234567890123456"},
        {DEC_MAX_TEXT, DEC_MAX_TEXT},
        {"-" DEC_MAX_TEXT, "-" DEC_MAX_TEXT},
        {"12.5%", "0.125"},
        {"150%", "1.5"},
        {"-3%", "-0.03"},
        {"0.0000000001%", "0.000000000001"},
        {"100.000000000000%", "1"},
        {"17014118346046923173168730371.5884105727%", DEC_MAX_TEXT},
    };
    return cr_make_param_array(struct roundtrip, params, sizeof params / sizeof params[0]);
}

ParameterizedTest(struct roundtrip *p, decimal, parse_format_roundtrip)
{
    Dec d = P(p->in), again;
    expect_text(d, p->out);
    /* The formatted text must parse back to the same value. */
    cr_assert_eq(dec_parse(p->out, strlen(p->out), false, &again), DEC_OK);
    cr_assert(again == d);
}

struct parse_case {
    char in[TEXT_MAX];
    bool pct;
    DecStatus st;
};

ParameterizedTestParameters(decimal, parse_errors)
{
    static struct parse_case params[] = {
        {"", false, DEC_SYNTAX},
        {"", true, DEC_SYNTAX},
        {"+", false, DEC_SYNTAX},
        {"-", false, DEC_SYNTAX},
        {"12.", false, DEC_SYNTAX},
        {".5", false, DEC_SYNTAX},
        {"-.5", false, DEC_SYNTAX},
        {"1e5", false, DEC_SYNTAX},
        {" 1", false, DEC_SYNTAX},
        {"1 ", false, DEC_SYNTAX},
        {"1 000", false, DEC_SYNTAX},
        {"1.2.3", false, DEC_SYNTAX},
        {"+-1", false, DEC_SYNTAX},
        {"1,5", false, DEC_SYNTAX},
        {"0x10", false, DEC_SYNTAX},
        {"5%", false, DEC_SYNTAX},
        {"%", true, DEC_SYNTAX},
        {"-%", true, DEC_SYNTAX},
        {"5%%", true, DEC_SYNTAX},
        {"%5", true, DEC_SYNTAX},
        {"5.%", true, DEC_SYNTAX},
        {"1.0000000000001", false, DEC_TOO_PRECISE},
        {"-0.0000000000001", false, DEC_TOO_PRECISE},
        {"0.00000000001%", true, DEC_TOO_PRECISE},
        {"0.1234567890125%", true, DEC_TOO_PRECISE},
        {"170141183460469231731687303.715884105728", false, DEC_OVERFLOW},
        {"-170141183460469231731687303.715884105728", false, DEC_OVERFLOW},
        {"17014118346046923173168730371.5884105728%", true, DEC_OVERFLOW},
        {"1000000000000000000000000000", false, DEC_OVERFLOW},
        /* 39 significant digits whose value mod 2^128 would look in range. */
        {"400000000000000000000000000.000000000001", false, DEC_OVERFLOW},
        {"340282366920938463463374607.431768211457", false, DEC_OVERFLOW},
        {"99999999999999999999999999999999999999999999", false, DEC_OVERFLOW},
        {"999999999999999999999999999.999999999999", false, DEC_OVERFLOW},
    };
    return cr_make_param_array(struct parse_case, params, sizeof params / sizeof params[0]);
}

ParameterizedTest(struct parse_case *p, decimal, parse_errors)
{
    Dec d = 42;
    DecStatus st = dec_parse(p->in, strlen(p->in), p->pct, &d);
    cr_assert_eq(st, p->st, "\"%s\": status %d, want %d", p->in, (int)st, (int)p->st);
    cr_assert_eq(d, 42);
}

Test(decimal, parse_honours_length_not_nul)
{
    Dec d;
    cr_assert_eq(dec_parse("12.5xyz", 4, false, &d), DEC_OK);
    expect_text(d, "12.5");
    cr_assert_eq(dec_parse("12.5%", 4, true, &d), DEC_OK);
    expect_text(d, "12.5");
    cr_assert_eq(dec_parse("1\0"
                           "2",
                           3, false, &d),
                 DEC_SYNTAX);
    cr_assert_eq(dec_parse(NULL, 0, true, &d), DEC_SYNTAX);
}

Test(decimal, leading_zeros_do_not_count_towards_overflow)
{
    expect_text(P("00000000000000000000000000000000000000000000000001.5"), "1.5");
}

Test(decimal, percent_is_exact_division_by_hundred)
{
    cr_assert(P("12.5%") == P("0.125"));
    cr_assert(P("50%") == P("0.5"));
    cr_assert(P("-0%") == 0);
    cr_assert(P("0.0000000001%") == 1);
}

Test(decimal, format_never_negative_zero)
{
    Dec r;
    expect_text(P("-0.000000000000"), "0");
    cr_assert_eq(dec_neg(0, &r), DEC_OK);
    expect_text(r, "0");
    cr_assert_eq(dec_mul(P("-1"), 0, &r), DEC_OK);
    expect_text(r, "0");
    cr_assert_eq(dec_mul(P("-0.0000001"), P("0.000001"), &r), DEC_INEXACT);
    expect_text(r, "0");
    cr_assert_eq(dec_round(P("-0.4"), 0, DEC_ROUND_HALF_UP, &r), DEC_OK);
    expect_text(r, "0");
    cr_assert_eq(dec_round(P("-0.9"), 0, DEC_ROUND_TRUNC, &r), DEC_OK);
    expect_text(r, "0");
    cr_assert_eq(dec_div(P("-0.000000000001"), P("3"), &r), DEC_OK);
    expect_text(r, "0");
}

Test(decimal, null_formats_empty_and_is_rejected_by_arithmetic)
{
    char buf[DEC_FMT_MAX] = "junk";
    Dec r;
    cr_assert_eq(dec_format(DEC_NULL, buf), 0);
    cr_assert_str_eq(buf, "");
    expect_fail(dec_add, DEC_NULL, 0, DEC_OVERFLOW);
    expect_fail(dec_sub, 0, DEC_NULL, DEC_OVERFLOW);
    expect_fail(dec_mul, DEC_NULL, DEC_ONE, DEC_OVERFLOW);
    expect_fail(dec_div, DEC_ONE, DEC_NULL, DEC_OVERFLOW);
    cr_assert_eq(dec_neg(DEC_NULL, &r), DEC_OVERFLOW);
    cr_assert_eq(dec_sqrt(DEC_NULL, &r), DEC_OVERFLOW);
    cr_assert_eq(dec_round(DEC_NULL, 2, DEC_ROUND_HALF_UP, &r), DEC_OVERFLOW);
    cr_assert_not(dec_is_integer(DEC_NULL));
    double d = dec_to_double(DEC_NULL);
    cr_assert(d != d, "DEC_NULL should convert to NaN");
}

Test(decimal, add_sub_overflow_at_range_edges)
{
    expect_op(dec_add, DEC_MAX_TEXT, "0", DEC_OK, DEC_MAX_TEXT);
    expect_op(dec_add, "170141183460469231731687303.715884105726", "0.000000000001", DEC_OK,
              DEC_MAX_TEXT);
    expect_fail(dec_add, DEC_MAX, 1, DEC_OVERFLOW);
    expect_fail(dec_add, DEC_MAX, DEC_MAX, DEC_OVERFLOW);
    /* -DEC_MAX - 1 unit is DEC_NULL, not a number. */
    expect_fail(dec_add, -DEC_MAX, -1, DEC_OVERFLOW);
    expect_fail(dec_sub, -DEC_MAX, 1, DEC_OVERFLOW);
    expect_fail(dec_sub, DEC_MAX, -1, DEC_OVERFLOW);
    expect_op(dec_sub, "0", "-" DEC_MAX_TEXT, DEC_OK, DEC_MAX_TEXT);
    expect_op(dec_sub, "-" DEC_MAX_TEXT, "-1", DEC_OK, "-170141183460469231731687302.715884105727");
    expect_op(dec_add, "-" DEC_MAX_TEXT, DEC_MAX_TEXT, DEC_OK, "0");
}

Test(decimal, sub_and_neg)
{
    Dec r;
    expect_op(dec_sub, "0.3", "0.1", DEC_OK, "0.2");
    expect_op(dec_sub, "1", "1.000000000001", DEC_OK, "-0.000000000001");
    cr_assert_eq(dec_neg(DEC_MAX, &r), DEC_OK);
    cr_assert(r == -DEC_MAX);
    cr_assert_eq(dec_neg(-DEC_MAX, &r), DEC_OK);
    cr_assert(r == DEC_MAX);
}

Test(decimal, mul_exact_results)
{
    expect_op(dec_mul, "1.1", "1.1", DEC_OK, "1.21");
    expect_op(dec_mul, "-2.5", "4", DEC_OK, "-10");
    expect_op(dec_mul, "0.000001", "0.000001", DEC_OK, "0.000000000001");
    expect_op(dec_mul, "123.456", "-0.001", DEC_OK, "-0.123456");
    expect_op(dec_mul, "-3", "-7", DEC_OK, "21");
}

Test(decimal, mul_inexact_rounds_half_even)
{
    expect_op(dec_mul, "0.0000001", "0.0000001", DEC_INEXACT, "0");
    /* 0.0000005 * 0.000001 = 5e-13: a tie, to even (0). */
    expect_op(dec_mul, "0.0000005", "0.000001", DEC_INEXACT, "0");
    /* 1.5e-12 ties to 2e-12; -1.5e-12 to -2e-12; 2.5e-12 to 2e-12. */
    expect_op(dec_mul, "0.0000015", "0.000001", DEC_INEXACT, "0.000000000002");
    expect_op(dec_mul, "-0.0000015", "0.000001", DEC_INEXACT, "-0.000000000002");
    expect_op(dec_mul, "0.0000025", "0.000001", DEC_INEXACT, "0.000000000002");
    expect_op(dec_mul, "0.0000026", "0.000001", DEC_INEXACT, "0.000000000003");
    expect_op(dec_mul, "0.333333333333", "3", DEC_OK, "0.999999999999");
    expect_op(dec_mul, "0.123456789012", "0.1", DEC_INEXACT, "0.012345678901");
}

Test(decimal, mul_slow_path_large_values)
{
    expect_op(dec_mul, "123456789012345.678901", "98765.4321", DEC_OK,
              "12193263112482853211.2251181221");
    expect_op(dec_mul, "100000000000000000000", "1.5", DEC_OK, "150000000000000000000");
    expect_op(dec_mul, "12345678901234567890.123456789012", "0.000000000001", DEC_INEXACT,
              "12345678.90123456789");
    expect_op(dec_mul, "12345678901234567890.123456789012", "-3.000000000007", DEC_INEXACT,
              "-37037036703790123422.679012342267");
    expect_op(dec_mul, "9999999999999.999999999999", "9999999999999.999999999999", DEC_INEXACT,
              "99999999999999999999999980");
    expect_op(dec_mul, "-13043817825332.782212349571", "13043817825332.782212349571", DEC_INEXACT,
              "-170141183460469231731687282.682662424965");
}

/* The product of operands within 64 bits, divided by 10^12 and rounded
** half to even, written out here independently: what dec_mul's fast paths
** (64-bit operands; one of them with at most 4 decimals) must give, on
** every pair of edge values and on random operands of every magnitude,
** half of them with at most 4 decimals. */
static Dec mul_reference(Dec a, Dec b, DecStatus *st)
{
    Dec p = a * b, q = p / DEC_SCALE, r = p % DEC_SCALE;
    *st = r ? DEC_INEXACT : DEC_OK;
    Dec ar = r < 0 ? -r : r;
    if (ar * 2 > DEC_SCALE || (ar * 2 == DEC_SCALE && (q & 1))) q += p < 0 ? -1 : 1;
    return q;
}

Test(decimal, mul_fast_path_matches_a_reference)
{
    static const int64_t edges[] = {0,
                                    1,
                                    -1,
                                    2,
                                    499999999999,
                                    500000000000,
                                    500000000001,
                                    999999999999,
                                    1000000000000,
                                    1500000000000,
                                    2500000000000,
                                    244140625,
                                    4096,
                                    INT64_C(9223372036854775807),
                                    -INT64_C(9223372036854775807),
                                    INT64_C(-9223372036854775807) - 1,
                                    INT64_C(4611686018427387904),
                                    INT64_C(1844674407370955161),
                                    100000000,
                                    -100000000,
                                    5000 * INT64_C(100000000),
                                    15000 * INT64_C(100000000),
                                    INT64_C(9223372036800000000),
                                    INT64_C(-9223372036800000000),
                                    INT64_C(922337203600000000),
                                    3037000499 * INT64_C(100000000)};
    size_t ne = sizeof edges / sizeof *edges;
    uint64_t seed = 12345;
    for (int round = 0; round < 400000; round++) {
        int64_t x[2];
        if (round < (int)(ne * ne)) { /* every pair of edges */
            x[0] = edges[(size_t)round % ne];
            x[1] = edges[(size_t)round / ne];
        } else {
            for (int k = 0; k < 2; k++) {
                seed = seed * 6364136223846793005u + 1442695040888963407u;
                uint64_t bits = seed >> (seed % 64);               /* magnitudes of every size */
                if (seed & 2) bits = bits / 100000000 * 100000000; /* at most 4 decimals */
                x[k] = (int64_t)(seed & 1 ? bits : (uint64_t)0 - bits);
            }
        }
        Dec got = 0, a = x[0], b = x[1];
        DecStatus want_st, st = dec_mul(a, b, &got);
        Dec want = mul_reference(a, b, &want_st);
        cr_assert(st == want_st && got == want, "%lld * %lld (units of 1e-12)", (long long)x[0],
                  (long long)x[1]);
    }
}

Test(decimal, mul_overflow_never_wraps)
{
    expect_op(dec_mul, "13043817825332.782212349572", "13043817825332.782212349572", DEC_OVERFLOW,
              NULL);
    expect_op(dec_mul, "-13043817825332.782212349572", "13043817825332.782212349572", DEC_OVERFLOW,
              NULL);
    expect_op(dec_mul, DEC_MAX_TEXT, "1", DEC_OK, DEC_MAX_TEXT);
    expect_op(dec_mul, DEC_MAX_TEXT, "-1", DEC_OK, "-" DEC_MAX_TEXT);
    expect_op(dec_mul, DEC_MAX_TEXT, "1.000000000001", DEC_OVERFLOW, NULL);
    expect_op(dec_mul, DEC_MAX_TEXT, "2", DEC_OVERFLOW, NULL);
    expect_op(dec_mul, "-" DEC_MAX_TEXT, DEC_MAX_TEXT, DEC_OVERFLOW, NULL);
    expect_op(dec_mul, "100000000000000000000", "100000000000000000000", DEC_OVERFLOW, NULL);
    expect_op(dec_mul, DEC_MAX_TEXT, "0.5", DEC_INEXACT, "85070591730234615865843651.857942052864");
}

Test(decimal, div_thirds_round_half_even)
{
    expect_op(dec_div, "1", "3", DEC_OK, "0.333333333333");
    expect_op(dec_div, "2", "3", DEC_OK, "0.666666666667");
    expect_op(dec_div, "-2", "3", DEC_OK, "-0.666666666667");
    expect_op(dec_div, "2", "-3", DEC_OK, "-0.666666666667");
    expect_op(dec_div, "-2", "-3", DEC_OK, "0.666666666667");
    expect_op(dec_div, "10", "4", DEC_OK, "2.5");
    expect_op(dec_div, "0.000000000002", "4", DEC_OK, "0");
    expect_op(dec_div, "0.000000000006", "4", DEC_OK, "0.000000000002");
    expect_op(dec_div, "-0.000000000006", "4", DEC_OK, "-0.000000000002");
    expect_op(dec_div, "1", "0.000000000001", DEC_OK, "1000000000000");
}

Test(decimal, slow_paths_round_ties_to_even)
{
    expect_op(dec_mul, "10000000.0000005", "0.000001", DEC_INEXACT, "10");
    expect_op(dec_mul, "10000000.0000015", "-0.000001", DEC_INEXACT, "-10.000000000002");
    expect_op(dec_mul, "10000000.0000025", "0.000001", DEC_INEXACT, "10.000000000002");
    expect_op(dec_div, "100000000000000000000.000000000001", "2", DEC_OK, "50000000000000000000");
    expect_op(dec_div, "-100000000000000000000.000000000003", "2", DEC_OK,
              "-50000000000000000000.000000000002");
    expect_op(dec_div, "100000000000000000000.000000000005", "2", DEC_OK,
              "50000000000000000000.000000000002");
}

Test(decimal, div_by_zero)
{
    expect_fail(dec_div, DEC_ONE, 0, DEC_DIVZERO);
    expect_fail(dec_div, 0, 0, DEC_DIVZERO);
    expect_fail(dec_div, DEC_MAX, 0, DEC_DIVZERO);
}

Test(decimal, div_slow_path_large_values)
{
    expect_op(dec_div, "100000000000000000000", "3", DEC_OK, "33333333333333333333.333333333333");
    expect_op(dec_div, "123456789012345678901234.5", "987654321.123456789", DEC_OK,
              "124999998857812.500186738211");
    expect_op(dec_div, "-" DEC_MAX_TEXT, DEC_MAX_TEXT, DEC_OK, "-1");
    expect_op(dec_div, "100000000000000000000", "0.3", DEC_OK,
              "333333333333333333333.333333333333");
    expect_op(dec_div, "1000000000000000", "7", DEC_OK, "142857142857142.857142857143");
    expect_op(dec_div, DEC_MAX_TEXT, "0.5", DEC_OVERFLOW, NULL);
    expect_op(dec_div, DEC_MAX_TEXT, "1", DEC_OK, DEC_MAX_TEXT);
    expect_op(dec_div, DEC_MAX_TEXT, "-1", DEC_OK, "-" DEC_MAX_TEXT);
    expect_op(dec_div, "123456789012345678901234.5", "0.000007", DEC_OVERFLOW, NULL);
    expect_op(dec_div, "1", "0.000000000001", DEC_OK, "1000000000000");
    expect_op(dec_div, "100000000000000000000", "0.000000000001", DEC_OVERFLOW, NULL);
    /* Quotients past 2^128 whose low 128 bits would look in range. */
    expect_op(dec_div, DEC_MAX_TEXT, "0.000000000007", DEC_OVERFLOW, NULL);
    expect_op(dec_div, "400000000000000", "0.000000000001", DEC_OVERFLOW, NULL);
    expect_op(dec_div, "-400000000000000", "0.000000000001", DEC_OVERFLOW, NULL);
}

struct round_case {
    char in[TEXT_MAX];
    int digits;
    DecRound mode;
    char out[TEXT_MAX];
};

#define HU DEC_ROUND_HALF_UP
#define HE DEC_ROUND_HALF_EVEN
#define FL DEC_ROUND_FLOOR
#define CE DEC_ROUND_CEIL
#define TR DEC_ROUND_TRUNC

ParameterizedTestParameters(decimal, round_modes)
{
    static struct round_case params[] = {
        {"2.5", 0, HU, "3"},
        {"-2.5", 0, HU, "-3"},
        {"2.5", 0, HE, "2"},
        {"-2.5", 0, HE, "-2"},
        {"3.5", 0, HE, "4"},
        {"-3.5", 0, HE, "-4"},
        {"2.5", 0, FL, "2"},
        {"-2.5", 0, FL, "-3"},
        {"2.5", 0, CE, "3"},
        {"-2.5", 0, CE, "-2"},
        {"2.5", 0, TR, "2"},
        {"-2.5", 0, TR, "-2"},
        {"0.125", 2, HU, "0.13"},
        {"-0.125", 2, HU, "-0.13"},
        {"0.125", 2, HE, "0.12"},
        {"-0.125", 2, HE, "-0.12"},
        {"0.135", 2, HE, "0.14"},
        {"0.125", 2, FL, "0.12"},
        {"-0.125", 2, FL, "-0.13"},
        {"0.125", 2, CE, "0.13"},
        {"-0.125", 2, CE, "-0.12"},
        {"0.125", 2, TR, "0.12"},
        {"-0.125", 2, TR, "-0.12"},
        {"2.4999", 0, HU, "2"},
        {"2.5001", 0, HE, "3"},
        {"-2.5001", 0, HE, "-3"},
        {"7", 0, CE, "7"},
        {"-7", 0, FL, "-7"},
        {"0.000000000001", 0, CE, "1"},
        {"-0.000000000001", 0, FL, "-1"},
        {"1.234567890123", 12, FL, "1.234567890123"},
        {"1.234567890125", 11, HE, "1.23456789012"},
        {"1.234567890125", 11, HU, "1.23456789013"},
        {"99.995", 2, HU, "100"},
        {DEC_MAX_TEXT, 0, FL, "170141183460469231731687303"},
        {"-" DEC_MAX_TEXT, 0, CE, "-170141183460469231731687303"},
        {DEC_MAX_TEXT, 3, TR, "170141183460469231731687303.715"},
    };
    return cr_make_param_array(struct round_case, params, sizeof params / sizeof params[0]);
}

ParameterizedTest(struct round_case *p, decimal, round_modes)
{
    Dec r;
    cr_assert_eq(dec_round(P(p->in), p->digits, p->mode, &r), DEC_OK, "rounding %s", p->in);
    expect_text(r, p->out);
}

Test(decimal, round_overflow_and_bad_arguments)
{
    Dec r = 42;
    cr_assert_eq(dec_round(DEC_MAX, 0, DEC_ROUND_CEIL, &r), DEC_OVERFLOW);
    cr_assert_eq(dec_round(DEC_MAX, 0, DEC_ROUND_HALF_UP, &r), DEC_OVERFLOW);
    cr_assert_eq(dec_round(DEC_MAX, 3, DEC_ROUND_HALF_EVEN, &r), DEC_OVERFLOW);
    cr_assert_eq(dec_round(-DEC_MAX, 2, DEC_ROUND_FLOOR, &r), DEC_OVERFLOW);
    cr_assert_eq(dec_round(DEC_ONE, -1, DEC_ROUND_HALF_UP, &r), DEC_DOMAIN);
    cr_assert_eq(dec_round(DEC_ONE, 13, DEC_ROUND_HALF_UP, &r), DEC_DOMAIN);
    cr_assert_eq(dec_round(DEC_ONE, 2, (DecRound)99, &r), DEC_DOMAIN);
    cr_assert_eq(r, 42);
}

Test(decimal, sqrt_values)
{
    Dec r;
    cr_assert_eq(dec_sqrt(P("2"), &r), DEC_OK);
    expect_text(r, "1.414213562373");
    cr_assert_eq(dec_sqrt(0, &r), DEC_OK);
    expect_text(r, "0");
    cr_assert_eq(dec_sqrt(P("1"), &r), DEC_OK);
    expect_text(r, "1");
    cr_assert_eq(dec_sqrt(P("0.25"), &r), DEC_OK);
    expect_text(r, "0.5");
    cr_assert_eq(dec_sqrt(P("0.000000000001"), &r), DEC_OK);
    expect_text(r, "0.000001");
    cr_assert_eq(dec_sqrt(P("0.000000000002"), &r), DEC_OK);
    expect_text(r, "0.000001414214");
    cr_assert_eq(dec_sqrt(P("100000000000000000000"), &r), DEC_OK);
    expect_text(r, "10000000000");
    cr_assert_eq(dec_sqrt(P("123456789012345678901234.567890123456"), &r), DEC_OK);
    expect_text(r, "351364182882.014425311122");
    cr_assert_eq(dec_sqrt(DEC_MAX, &r), DEC_OK);
    expect_text(r, "13043817825332.782212349572");
}

Test(decimal, sqrt_of_negative_is_domain_error)
{
    Dec r = 42;
    cr_assert_eq(dec_sqrt(P("-1"), &r), DEC_DOMAIN);
    cr_assert_eq(dec_sqrt(-1, &r), DEC_DOMAIN);
    cr_assert_eq(dec_sqrt(-DEC_MAX, &r), DEC_DOMAIN);
    cr_assert_eq(r, 42);
}

Test(decimal, int_conversions)
{
    int64_t v = 0;
    cr_assert(dec_from_int(42) == P("42"));
    cr_assert(dec_from_int(-7) == P("-7"));
    expect_text(dec_from_int(INT64_MIN), "-9223372036854775808");
    cr_assert(dec_to_int64(dec_from_int(INT64_MAX), &v));
    cr_assert_eq(v, INT64_MAX);
    cr_assert(dec_to_int64(dec_from_int(INT64_MIN), &v));
    cr_assert_eq(v, INT64_MIN);
    cr_assert(dec_to_int64(P("-12.000"), &v));
    cr_assert_eq(v, -12);
    v = 5;
    cr_assert_not(dec_to_int64(P("12.5"), &v));
    cr_assert_not(dec_to_int64(P("9223372036854775808"), &v));
    cr_assert_not(dec_to_int64(P("-9223372036854775809"), &v));
    cr_assert_eq(v, 5);
    cr_assert(dec_is_integer(P("100")));
    cr_assert(dec_is_integer(0));
    cr_assert_not(dec_is_integer(P("-0.000000000001")));
    cr_assert_not(dec_is_integer(DEC_MAX));
}

Test(decimal, cmp_abs_and_double)
{
    cr_assert_eq(dec_cmp(P("0.1"), P("0.2")), -1);
    cr_assert_eq(dec_cmp(P("0.2"), P("0.1")), 1);
    cr_assert_eq(dec_cmp(P("1.0"), P("1")), 0);
    cr_assert_eq(dec_cmp(-DEC_MAX, DEC_MAX), -1);
    cr_assert(dec_abs(P("-12.5")) == P("12.5"));
    cr_assert(dec_abs(P("3")) == P("3"));
    cr_assert(dec_abs(-DEC_MAX) == DEC_MAX);
    cr_assert(dec_to_double(P("0.1")) == 0.1);
    cr_assert(dec_to_double(P("-12.3")) == -12.3);
    cr_assert(dec_to_double(P("1234.567890123")) == 1234.567890123);
    /* Past 2^53 units the conversion is only required to be close. */
    double big = dec_to_double(P("1234567.890123"));
    cr_assert(big > 1234567.8901229 && big < 1234567.8901231);
    cr_assert(dec_to_double(P("100000000000000000000.5")) == 1e20);
    cr_assert(dec_to_double(P("-" DEC_MAX_TEXT)) < -1.7014118346046e26);
    cr_assert(dec_to_double(0) == 0.0);
}

/* Digits against printf's, every magnitude and padding width. */
Test(decimal, put_digits_as_printf_writes_them)
{
    uint64_t v = 0;
    for (int i = 0; i < 2000; i++) {
        v = i < 100 ? (uint64_t)i : v * 3 + (uint64_t)i; /* wraps through all magnitudes */
        if (i == 1999) v = UINT64_MAX;
        for (int width = 1; width <= 22; width += 3) {
            char got[32] = {0}, want[32];
            size_t n = dec_put_digits(got, v, width);
            snprintf(want, sizeof want, "%0*llu", width, (unsigned long long)v);
            cr_assert_eq(n, strlen(want));
            cr_assert_str_eq(got, want, "%llu width %d", (unsigned long long)v, width);
        }
    }
}
