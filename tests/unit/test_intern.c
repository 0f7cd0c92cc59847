/*
** test_intern.c — the string table: dense ids that stay the same as the
** table grows, lookups that find exactly what was put, the two-step put a
** loader uses (prefetch, then put with the hash) giving the same ids, and
** the index dropped after the loads and built again on the next use.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "intern.h"

Test(intern, ids_are_dense_and_stable_across_growth)
{
    Intern in;
    intern_init(&in);
    char s[32];
    for (int i = 0; i < 200000; i++) {
        int n = snprintf(s, sizeof s, "P%08d", i);
        cr_assert_eq(intern_put(&in, s, (size_t)n), (uint32_t)i + 1);
    }
    for (int i = 0; i < 200000; i += 7) {
        int n = snprintf(s, sizeof s, "P%08d", i);
        cr_assert_eq(intern_find(&in, s, (size_t)n), (uint32_t)i + 1);
        cr_assert_eq(intern_put(&in, s, (size_t)n), (uint32_t)i + 1, "a second put is the same id");
        size_t len;
        const char *back = intern_str(&in, (uint32_t)i + 1, &len);
        cr_assert_eq(len, (size_t)n);
        cr_assert(memcmp(back, s, len) == 0 && back[len] == '\0');
    }
    intern_free(&in);
}

Test(intern, texts_never_put_are_not_found)
{
    Intern in;
    intern_init(&in);
    intern_put(&in, "好", strlen("好"));
    intern_put(&in, "较好", strlen("较好"));
    cr_expect_eq(intern_find(&in, "较", strlen("较")), INTERN_NONE);
    cr_expect_eq(intern_find(&in, "", 0), INTERN_NONE);
    cr_expect_eq(intern_find(&in, "好 ", strlen("好 ")), INTERN_NONE);
    /* a prefix and a text with an embedded NUL are other texts */
    cr_expect_eq(intern_find(&in, "较好\0x", 5), INTERN_NONE);
    intern_free(&in);
}

Test(intern, prefetch_then_put_gives_the_same_ids_as_put)
{
    Intern a, b;
    intern_init(&a);
    intern_init(&b);
    char s[32];
    for (int i = 0; i < 50000; i++) {
        /* repeats on purpose: every third text was put before */
        int n = snprintf(s, sizeof s, "D%05d", i % 3 == 0 ? i / 3 : i);
        uint32_t h = intern_prefetch(&b, s, (size_t)n);
        cr_assert_eq(intern_put_hashed(&b, s, (size_t)n, h), intern_put(&a, s, (size_t)n));
    }
    cr_expect_eq(a.count, b.count);
    intern_free(&a);
    intern_free(&b);
}

/* A loader reserves room for what it expects a file to hold; the ids and
** lookups are those of growing step by step, before the reservation, inside
** it and past it. */
Test(intern, a_reservation_keeps_ids_and_puts_grow_past_it)
{
    Intern in;
    intern_init(&in);
    char s[32];
    for (int i = 0; i < 300; i++) {
        int n = snprintf(s, sizeof s, "K%d", i);
        cr_assert_eq(intern_put(&in, s, (size_t)n), (uint32_t)i + 1);
    }
    intern_reserve(&in, 5000, 5000 * 7);
    cr_expect_geq(in.ids_cap, 5301u);
    cr_expect_geq(in.chars_cap, in.nchars + 5000 * 7);
    cr_expect_geq((uint64_t)in.mask * 7, 5300u * 10u, "room for the texts, 70% full at most");
    for (int i = 0; i < 300; i++) {
        int n = snprintf(s, sizeof s, "K%d", i);
        cr_assert_eq(intern_find(&in, s, (size_t)n), (uint32_t)i + 1, "found after the rehash");
    }
    for (int i = 300; i < 40000; i++) { /* well past the reservation */
        int n = snprintf(s, sizeof s, "K%d", i);
        cr_assert_eq(intern_put(&in, s, (size_t)n), (uint32_t)i + 1);
    }
    for (int i = 0; i < 40000; i += 13) {
        int n = snprintf(s, sizeof s, "K%d", i);
        size_t len;
        cr_assert_eq(intern_find(&in, s, (size_t)n), (uint32_t)i + 1);
        cr_assert_str_eq(intern_str(&in, (uint32_t)i + 1, &len), s);
    }
    intern_free(&in);
}

/* Without its index the table keeps every text and id: a lookup, a put of a
** text it has and a put of a new one each build the index again and give
** what they gave before (or the next id). */
Test(intern, dropping_the_index_keeps_texts_and_ids)
{
    char s[32];
    for (int first = 0; first < 3; first++) {
        Intern in;
        intern_init(&in);
        for (int i = 0; i < 5000; i++) {
            int n = snprintf(s, sizeof s, "K%d", i);
            intern_put(&in, s, (size_t)n);
        }
        intern_drop_index(&in);
        cr_assert_null(in.slots);
        if (first == 0) cr_expect_eq(intern_find(&in, "K1234", 5), 1235u);
        if (first == 1) cr_expect_eq(intern_put(&in, "K77", 3), 78u);
        if (first == 2) cr_expect_eq(intern_put(&in, "new", 3), 5001u);
        cr_expect_eq(intern_prefetch(&in, "K9", 2) != 0, true);
        for (int i = 0; i < 5000; i += 13) {
            int n = snprintf(s, sizeof s, "K%d", i);
            cr_expect_eq(intern_find(&in, s, (size_t)n), (uint32_t)i + 1);
        }
        cr_expect_eq(intern_find(&in, "K5000", 5), INTERN_NONE);
        intern_drop_index(&in);
        intern_reserve(&in, 10, 0); /* a reservation builds it as well, even a small one */
        cr_assert_not_null(in.slots, "a loader prefetches slots right after reserving");
        cr_expect_eq(intern_put(&in, "K4999", 5), 5000u);
        intern_free(&in);
    }
}
