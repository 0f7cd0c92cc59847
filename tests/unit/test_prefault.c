/*
** test_prefault.c — a Prefault's thread fills what it is asked to fill,
** and its touches leave memory as the caller writes it, even while the
** caller writes the same range.
*/
#include <criterion/criterion.h>

#include "prefault.h"

#include <stdlib.h>
#include <string.h>

#define WORDS ((size_t)3 << 20) /* 12 MiB: several huge pages */

static uint32_t *dirty_words(size_t n)
{
    uint32_t *w = malloc(n * sizeof *w);
    cr_assert_not_null(w);
    memset(w, 0xab, n * sizeof *w);
    return w;
}

static void expect_words(const uint32_t *w, size_t n, uint32_t v)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += w[i] != v;
    cr_expect_eq(bad, 0, "%zu of %zu words are not %08x", bad, n, (unsigned)v);
}

Test(prefault, fills_on_its_thread_by_the_time_wait_returns)
{
    uint32_t *a = dirty_words(WORDS), *b = dirty_words(WORDS);
    Prefault *pf = prefault_new();
    cr_assert_not_null(pf);
    prefault_fill32(pf, a, WORDS, 0);
    prefault_fill32(pf, b + 1, WORDS - 2, 0x80000000u);
    prefault_start(pf);
    prefault_wait(pf);
    expect_words(a, WORDS, 0);
    cr_expect_eq(b[0], 0xabababab, "the word before the range is left alone");
    expect_words(b + 1, WORDS - 2, 0x80000000u);
    cr_expect_eq(b[WORDS - 1], 0xabababab, "the word after the range is left alone");
    free(a);
    free(b);
}

/* Fills queued but never started run at wait, on the caller's thread. */
Test(prefault, fills_never_started_run_at_wait)
{
    uint32_t *a = dirty_words(1000);
    Prefault *pf = prefault_new();
    prefault_fill32(pf, a, 1000, 7);
    prefault_wait(pf);
    expect_words(a, 1000, 7);
    free(a);
}

/* The caller writes the range while the thread touches it: every word ends
** as the caller wrote it. */
Test(prefault, touches_leave_what_the_caller_writes)
{
    size_t n = (size_t)16 << 20; /* 64 MiB: the writes overlap the touches */
    uint32_t *w = malloc(n * sizeof *w);
    cr_assert_not_null(w);
    Prefault *pf = prefault_new();
    prefault_touch(pf, w, n * sizeof *w);
    prefault_start(pf);
    for (size_t i = 0; i < n; i++)
        w[i] = (uint32_t)(i * 2654435761u);
    prefault_wait(pf);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += w[i] != (uint32_t)(i * 2654435761u);
    cr_expect_eq(bad, 0);
    free(w);
}

/* Empty jobs, jobs after start and a NULL Prefault are ignored. */
Test(prefault, empty_and_late_jobs_are_ignored)
{
    uint32_t *a = dirty_words(10);
    Prefault *pf = prefault_new();
    prefault_fill32(pf, NULL, 10, 1);
    prefault_fill32(pf, a, 0, 1);
    prefault_touch(pf, NULL, 4096);
    prefault_start(pf); /* nothing queued: no thread */
    prefault_fill32(pf, a, 10, 1);
    prefault_wait(pf);
    expect_words(a, 10, 0xabababab);
    prefault_wait(NULL);
    prefault_fill32(NULL, a, 10, 1);
    prefault_start(NULL);
    expect_words(a, 10, 0xabababab);
    free(a);
}
