/*
** test_csvpipe.c — the read-ahead reader gives exactly what csv_next gives:
** the same records, lines, field positions and errors, in the same order,
** across many chunks, and it can be closed early while its thread is busy.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvpipe.h"

/* A table of n records whose fields vary in quoting, width and script, with
** a quoted newline every 97 records, and `tail` appended at the end. */
static char *make_table(int n, const char *tail, size_t *len)
{
    size_t cap = (size_t)n * 80 + strlen(tail) + 64, k = 0;
    char *s = malloc(cap);
    k += (size_t)sprintf(s + k, "id,name,score,note\n");
    for (int i = 0; i < n; i++) {
        if (i % 97 == 0)
            k += (size_t)sprintf(s + k, "R%06d,\"张,%d\",%d.5,\"two\nlines\"\r\n", i, i, i % 100);
        else
            k += (size_t)sprintf(s + k, "R%06d,名%d,%d,\"q\"\"%d\"\n", i, i, i % 100, i);
    }
    k += (size_t)sprintf(s + k, "%s", tail);
    *len = k;
    return s;
}

static CsvPipe *pipe_over(const char *s, size_t len, bool threaded)
{
    CsvError e = {0};
    CsvReader *r = csv_open_mem(s, len, &e);
    cr_assert_not_null(r, "%s", e.msg);
    CsvPipe *p = csvpipe_new(r, threaded, &e);
    cr_assert_not_null(p, "%s", e.msg);
    return p;
}

/* Reads both to the end and compares every record, position and status. */
static void compare_all(const char *s, size_t len)
{
    CsvPipe *a = pipe_over(s, len, false), *b = pipe_over(s, len, true);
    int ra, rb, nrec = 0;
    do {
        const CsvField *fa, *fb;
        size_t na = 0, nb = 0;
        CsvError ea = {0}, eb = {0};
        ra = csvpipe_next(a, &fa, &na, &ea);
        rb = csvpipe_next(b, &fb, &nb, &eb);
        cr_assert_eq(ra, rb, "record %d: status %d threaded vs %d direct", nrec, rb, ra);
        if (ra < 0) {
            cr_expect_eq(ea.line, eb.line);
            cr_expect_eq(ea.col, eb.col);
            cr_expect_str_eq(ea.msg, eb.msg);
        }
        if (ra <= 0) break;
        cr_assert_eq(na, nb);
        cr_assert_eq(csvpipe_record_line(a), csvpipe_record_line(b), "record %d", nrec);
        for (size_t i = 0; i < na; i++) {
            cr_assert_eq(fa[i].len, fb[i].len);
            cr_assert(memcmp(fa[i].ptr, fb[i].ptr, fa[i].len + 1) == 0, "record %d field %zu", nrec,
                      i);
            cr_assert_eq(fa[i].quoted, fb[i].quoted);
            uint32_t la, ca, lb, cb;
            csvpipe_field_pos(a, i, &la, &ca);
            csvpipe_field_pos(b, i, &lb, &cb);
            cr_assert(la == lb && ca == cb, "record %d field %zu: %u:%u vs %u:%u", nrec, i, lb, cb,
                      la, ca);
        }
        nrec++;
    } while (ra > 0);
    /* the final status is sticky */
    const CsvField *f;
    size_t n;
    CsvError e;
    cr_expect_eq(csvpipe_next(b, &f, &n, &e), ra);
    csvpipe_close(a);
    csvpipe_close(b);
}

Test(csvpipe, same_records_across_many_chunks)
{
    size_t len;
    char *s = make_table(20000, "", &len);
    compare_all(s, len);
    free(s);
}

Test(csvpipe, error_after_many_records_comes_in_order)
{
    size_t len;
    char *s = make_table(9000, "X1,bad\"quote,1,2\n", &len);
    compare_all(s, len);
    free(s);
}

Test(csvpipe, invalid_utf8_at_the_end)
{
    size_t len;
    char *s = make_table(5000, "X2,\xff,1,2\n", &len);
    compare_all(s, len);
    free(s);
}

/* Records larger than a chunk's byte budget make the chunk grow and move
** the records it already holds. */
Test(csvpipe, records_larger_than_a_chunk)
{
    size_t len, big = 700 * 1024;
    char *head = make_table(3000, "", &len);
    char *s = malloc(len + 3 * big + 64);
    memcpy(s, head, len);
    for (int k = 0; k < 3; k++) {
        len += (size_t)sprintf(s + len, "B%d,\"", k);
        for (size_t i = 0; i < big; i++)
            s[len++] = i % 1000 == 999 ? '\n' : (char)('a' + i % 26);
        len += (size_t)sprintf(s + len, "\",%d,x\nS%d,a,1,b\n", k, k);
    }
    compare_all(s, len);
    free(head);
    free(s);
}

Test(csvpipe, empty_and_header_only)
{
    compare_all("", 0);
    compare_all("a,b\n", 4);
}

Test(csvpipe, closing_early_stops_the_thread)
{
    size_t len;
    char *s = make_table(50000, "", &len);
    for (int stop_after = 0; stop_after < 3000; stop_after += 1499) {
        CsvPipe *p = pipe_over(s, len, true);
        const CsvField *f;
        size_t n;
        CsvError e;
        for (int i = 0; i < stop_after; i++)
            cr_assert_eq(csvpipe_next(p, &f, &n, &e), 1);
        csvpipe_close(p); /* must not hang or leak with the producer mid-file */
    }
    free(s);
}
