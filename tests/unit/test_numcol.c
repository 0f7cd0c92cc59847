/*
** test_numcol.c — compact decimal columns: each tier holds its values
** exactly, and widening keeps every value already stored.
*/
#include <criterion/criterion.h>

#include "numcol.h"

static Dec d(const char *s)
{
    Dec v;
    cr_assert_eq(dec_parse(s, strlen(s), false, &v), DEC_OK);
    return v;
}

Test(numcol, new_rows_are_absent)
{
    NumCol c = {0};
    numcol_reserve(&c, 3);
    for (int i = 0; i < 3; i++)
        cr_expect(numcol_get(&c, i) == DEC_NULL);
    numcol_free(&c);
}

Test(numcol, four_decimal_places_stay_small)
{
    NumCol c = {0};
    numcol_reserve(&c, 4);
    numcol_set(&c, 0, d("88.56"));
    numcol_set(&c, 1, d("-214748.3647"));
    numcol_set(&c, 2, DEC_NULL);
    numcol_set(&c, 3, d("0.0001"));
    cr_expect_not_null(c.small);
    cr_expect(numcol_get(&c, 0) == d("88.56"));
    cr_expect(numcol_get(&c, 1) == d("-214748.3647"));
    cr_expect(numcol_get(&c, 2) == DEC_NULL);
    cr_expect(numcol_get(&c, 3) == d("0.0001"));
    numcol_free(&c);
}

Test(numcol, a_fifth_decimal_place_widens_and_keeps_earlier_values)
{
    NumCol c = {0};
    numcol_reserve(&c, 3);
    numcol_set(&c, 0, d("12.5"));
    numcol_set(&c, 2, d("0.333333333333"));
    cr_expect_null(c.small);
    cr_expect_not_null(c.narrow);
    cr_expect(numcol_get(&c, 0) == d("12.5"));
    cr_expect(numcol_get(&c, 1) == DEC_NULL);
    cr_expect(numcol_get(&c, 2) == d("0.333333333333"));
    numcol_free(&c);
}

Test(numcol, large_values_widen_to_full_decimals)
{
    NumCol c = {0};
    numcol_reserve(&c, 3);
    numcol_set(&c, 0, d("7"));
    numcol_set(&c, 1, d("300000")); /* beyond the 4-byte tier */
    cr_expect_not_null(c.narrow);
    numcol_set(&c, 2, d("123456789012.5")); /* beyond the 8-byte tier */
    cr_expect_not_null(c.wide);
    cr_expect(numcol_get(&c, 0) == d("7"));
    cr_expect(numcol_get(&c, 1) == d("300000"));
    cr_expect(numcol_get(&c, 2) == d("123456789012.5"));
    numcol_reserve(&c, 100);
    cr_expect(numcol_get(&c, 99) == DEC_NULL);
    numcol_free(&c);
}

/* Callers that grow a row at a time double the count themselves; a
** reservation is exactly what was asked, so a column of 10^6 rows does not
** take (and mark absent) 2^20. */
Test(numcol, a_reservation_is_exactly_the_rows_asked_for)
{
    NumCol c = {0};
    numcol_reserve(&c, 1000);
    cr_expect_eq(c.cap, 1000);
    numcol_set(&c, 999, d("1.5"));
    numcol_reserve(&c, 1500);
    cr_expect_eq(c.cap, 1500);
    cr_expect(numcol_get(&c, 999) == d("1.5"), "a stored row survives the growth");
    for (int i = 1000; i < 1500; i++)
        cr_expect(numcol_get(&c, i) == DEC_NULL);
    numcol_reserve(&c, 10);
    cr_expect_eq(c.cap, 1500, "a smaller reservation changes nothing");
    numcol_free(&c);
}

/* A loader's reservation leaves its rows unset; the rows it then sets in
** order survive every widening, and a later filling reservation marks
** absent only the rows past the last one set. */
Test(numcol, rows_set_in_order_after_an_unset_reservation_survive_widening)
{
    NumCol c = {0};
    numcol_reserve(&c, 2);
    numcol_set(&c, 0, d("1.25"));
    numcol_reserve_unset(&c, 1000);
    cr_expect_eq(c.cap, 1000);
    cr_expect_eq(c.filled, 2, "the unset rows are not counted as filled");
    numcol_set(&c, 1, DEC_NULL);
    numcol_set(&c, 2, d("-3"));
    numcol_set(&c, 3, d("300000")); /* beyond the 4-byte tier */
    cr_expect_not_null(c.narrow);
    cr_expect_eq(c.filled, 4);
    numcol_set(&c, 4, d("123456789012.5")); /* beyond the 8-byte tier */
    cr_expect_not_null(c.wide);
    cr_expect(numcol_get(&c, 0) == d("1.25"));
    cr_expect(numcol_get(&c, 1) == DEC_NULL);
    cr_expect(numcol_get(&c, 2) == d("-3"));
    cr_expect(numcol_get(&c, 3) == d("300000"));
    cr_expect(numcol_get(&c, 4) == d("123456789012.5"));
    numcol_reserve(&c, 2000);
    cr_expect_eq(c.filled, 2000);
    cr_expect(numcol_get(&c, 4) == d("123456789012.5"), "a set row is not marked absent");
    for (int i = 5; i < 2000; i++)
        cr_expect(numcol_get(&c, i) == DEC_NULL);
    numcol_free(&c);
}

/* numcol_data names the storage of whichever tier the column is in. */
Test(numcol, data_is_the_current_tier_and_its_width)
{
    NumCol c = {0};
    size_t w = 0;
    numcol_reserve(&c, 2);
    cr_expect_eq(numcol_data(&c, &w), (void *)c.small);
    cr_expect_eq(w, 4);
    numcol_set(&c, 0, d("300000"));
    cr_expect_eq(numcol_data(&c, &w), (void *)c.narrow);
    cr_expect_eq(w, 8);
    numcol_set(&c, 1, d("123456789012.5"));
    cr_expect_eq(numcol_data(&c, &w), (void *)c.wide);
    cr_expect_eq(w, sizeof(Dec));
    numcol_free(&c);
}

/* A run set at once holds what setting its rows one by one holds, in the
** same tier, across every point at which a value makes the column wider. */
Test(numcol, a_run_equals_its_rows_set_one_by_one)
{
    const char *texts[] = {"1",
                           "-2.5",
                           "",
                           "214748.3647",
                           "-214748.3647",
                           "0",
                           "3.1415",
                           "214748.3648",
                           "7",
                           "0.00001",
                           "",
                           "12",
                           "9.5",
                           "9999999.123456",
                           "-1",
                           "1e0"};
    Dec x[16];
    for (int i = 0; i < 16; i++)
        x[i] = !texts[i][0]                   ? DEC_NULL
               : strcmp(texts[i], "1e0") == 0 ? (Dec)INT64_MAX * 4 /* beyond 64 bits */
                                              : d(texts[i]);
    for (int from = 0; from < 16; from++)
        for (int n = 0; from + n <= 16; n++) {
            NumCol a = {0}, b = {0};
            /* unset: rows are set in order, and a widening copies the rows set */
            numcol_reserve_unset(&a, 20);
            numcol_reserve_unset(&b, 20);
            for (int i = 0; i < from; i++) {
                numcol_set(&a, i, dec_from_int(i));
                numcol_set(&b, i, dec_from_int(i));
            }
            numcol_set_run(&a, from, x + from, n);
            for (int i = 0; i < n; i++)
                numcol_set(&b, from + i, x[from + i]);
            size_t wa, wb;
            numcol_data(&a, &wa);
            numcol_data(&b, &wb);
            cr_assert_eq(wa, wb, "rows %d..%d: tier", from, from + n);
            cr_assert_eq(a.filled, b.filled, "rows %d..%d: filled", from, from + n);
            cr_assert_eq(a.filled, from + n);
            for (int i = 0; i < from + n; i++)
                cr_assert(numcol_get(&a, i) == numcol_get(&b, i), "rows %d..%d: row %d", from,
                          from + n, i);
            numcol_free(&a);
            numcol_free(&b);
        }
}
