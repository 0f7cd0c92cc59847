/*
** test_output.c — the result writers on outputs large enough to be
** formatted by two threads a block of rows at a time: the bytes must be those
** of one row after another in key order, whatever the block boundaries.
** Every expected row is computed here from the row's number, independently
** of the interpreter.
*/
#include "kp_test_util.h"

static const char *const scheme = "scheme \"p\"\n"
                                  "table persons key id {\n"
                                  "    x: int\n"
                                  "    tag: text\n"
                                  "}\n"
                                  "assess persons\n"
                                  "indicator a = x * 2\n"
                                  "indicator b = x / 4\n"
                                  "bonus extra = if tag == \"q\" then 1 else 0\n"
                                  "grades by total desc, id asc {\n"
                                  "    好 when total >= 100\n"
                                  "    差\n"
                                  "}\n";

/* Hundredths as kaoping writes a decimal: no trailing zeros, no '.' for whole numbers. */
static void put_hundredths(FILE *f, long v)
{
    fprintf(f, "%ld", v / 100);
    long frac = v % 100;
    if (frac % 10 == 0 && frac)
        fprintf(f, ".%ld", frac / 10);
    else if (frac)
        fprintf(f, ".%02ld", frac);
}

/* persons.csv with rows n-1 .. 0 (keys out of order); tag "q" every third row,
** otherwise a text that needs quoting. */
static char *persons_csv(int n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("id,x,tag\n", f);
    for (int i = n - 1; i >= 0; i--)
        fprintf(f, "P%06d,%d,%s\n", i, i, i % 3 == 0 ? "q" : "\"r,s\"");
    fclose(f);
    return text;
}

/* Row i's values: a = 2i, b = i/4, extra = [i % 3 == 0], total = 2.25i + extra,
** which grows with i, so the rank is n - i. */
static void expected_row(FILE *f, int i, int n, bool json)
{
    long a = 200L * i, b = 25L * i, extra = i % 3 == 0 ? 100 : 0;
    long score = a + b, total = score + extra;
    const char *grade = total >= 10000 ? "好" : "差";
    if (!json) {
        fprintf(f, "P%06d,", i);
        long cells[] = {a, b, extra, score, extra, 0, total};
        for (int k = 0; k < 7; k++) {
            put_hundredths(f, cells[k]);
            fputc(',', f);
        }
        fprintf(f, ",%s,%d\n", grade, n - i);
        return;
    }
    fprintf(f, "    {\"id\": \"P%06d\", \"indicators\": {\"a\": ", i);
    put_hundredths(f, a);
    fputs(", \"b\": ", f);
    put_hundredths(f, b);
    fputs("}, \"bonus\": {\"extra\": ", f);
    put_hundredths(f, extra);
    fputs("}, \"penalty\": {}, \"score\": ", f);
    put_hundredths(f, score);
    fputs(", \"bonus_total\": ", f);
    put_hundredths(f, extra);
    fputs(", \"penalty_total\": 0, \"total\": ", f);
    put_hundredths(f, total);
    fprintf(f, ", \"vetoes\": [], \"eligible\": {}, \"grade\": \"%s\", \"rank\": %d}%s\n", grade,
            n - i, i == n - 1 ? "" : ",");
}

static char *expected(int n, bool json)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (json)
        fputs("{\n  \"scheme\": \"p\",\n  \"version\": \"\",\n  \"results\": [\n", f);
    else
        fputs("id,a,b,extra,score,bonus_total,penalty_total,total,vetoes,grade,rank\n", f);
    for (int i = 0; i < n; i++)
        expected_row(f, i, n, json);
    if (json) fputs("  ]\n}\n", f);
    fclose(f);
    return text;
}

/* Runs the scheme on n rows and writes the results in fmt. */
static char *written(int n, KpFormat fmt)
{
    char *dir = kt_tmpdir(), *csv = persons_csv(n), path[4096];
    kt_write(dir, "scheme.kp", scheme);
    kt_write(dir, "persons.csv", csv);
    free(csv);
    snprintf(path, sizeof path, "%s/scheme.kp", dir);
    Diags d;
    diags_init(&d);
    KpScheme *s = kp_compile(path, &d);
    cr_assert_not_null(s);
    cr_assert(kp_run(s, dir, &d), "run failed: %s", kt_first_error(&d));
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert(kp_write(s, f, fmt, &d));
    fclose(f);
    kp_free(s);
    diags_free(&d);
    kt_rmdir(dir);
    return out;
}

/* got == want, naming the first difference: a whole-text diff of megabytes
** is unreadable. */
static void expect_same_text(const char *got, const char *want)
{
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    cr_expect(got[i] == want[i], "first difference at byte %zu: got \"%.60s\", want \"%.60s\"", i,
              got + i, want + i);
}

static void check(int n, KpFormat fmt)
{
    char *got = written(n, fmt), *want = expected(n, fmt == KP_FORMAT_JSON);
    /* Find the first difference: a whole-text diff of megabytes is unreadable. */
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    cr_expect(got[i] == want[i],
              "%d rows: first difference at byte %zu: got \"%.60s\", want \"%.60s\"", n, i, got + i,
              want + i);
    free(got);
    free(want);
}

/* Below, at and above the size where a second thread starts formatting
** (16,384 rows), and block counts even and odd, with a short last block. */
Test(output, small_csv_in_key_order)
{
    check(100, KP_FORMAT_CSV);
}

Test(output, csv_at_the_threshold_of_two_threads)
{
    check(16384, KP_FORMAT_CSV);
}

Test(output, large_csv_with_a_short_last_block)
{
    check(21000, KP_FORMAT_CSV);
}

Test(output, large_csv_with_an_odd_number_of_blocks)
{
    check(4096 * 7, KP_FORMAT_CSV);
}

Test(output, large_json_ends_without_a_trailing_comma)
{
    check(21000, KP_FORMAT_JSON);
}

/* Many blocks, the two threads writing theirs in turn, each after the block
** before it is written: with sixty of them, one written out of turn would
** show. */
Test(output, csv_of_many_blocks_written_in_turn, .timeout = 60)
{
    check(4096 * 11 + 5, KP_FORMAT_CSV);
    check(4096 * 60 + 5, KP_FORMAT_CSV);
}

/* Keys in row order, so the number columns are read a tile of rows at a
** time: values absent, negative, and too wide for the tile (from row 215
** on, w needs the 8-byte tier), over tile and block boundaries. */
static const char *const tiled_scheme = "table persons key id {\n"
                                        "    x: int\n"
                                        "    y: decimal?\n"
                                        "}\n"
                                        "assess persons\n"
                                        "indicator a = x * 2\n"
                                        "indicator neg = 0 - x\n"
                                        "indicator w = x * 1000000\n"
                                        "let z = y\n"
                                        "output z\n";

Test(output, csv_tiles_of_rows_in_key_order, .timeout = 60)
{
    enum { N = 20000 };
    char *csv = NULL, *want = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&csv, &len), *w = open_memstream(&want, &len);
    fputs("id,x,y\n", f);
    fputs("id,a,neg,w,z,score,bonus_total,penalty_total,total,vetoes,grade,rank\n", w);
    for (int i = 0; i < N; i++) {
        bool absent = i % 5 == 0;
        if (absent)
            fprintf(f, "P%06d,%d,\n", i, i);
        else
            fprintf(f, "P%06d,%d,%d.25\n", i, i, i);
        fprintf(w, "P%06d,%d,%d,%lld,", i, 2 * i, -i, (long long)i * 1000000);
        if (!absent) fprintf(w, "%d.25", i);
        long long score = 2LL * i - i + (long long)i * 1000000;
        fprintf(w, ",%lld,0,0,%lld,,,\n", score, score);
    }
    fclose(f);
    fclose(w);
    KtResult r = kt_run(tiled_scheme, (const char *const[]){"persons.csv", csv, NULL}, NULL);
    cr_assert_eq(r.stage, KT_OK, "%s", r.diags);
    expect_same_text(r.out, want);
    kt_free(&r);
    free(csv);
    free(want);
}

/* Every fraction of the 4-decimal tier (0 to 9999 ten-thousandths), with
** integer parts of one digit to the tier's widest and both signs: each is
** written as dec_format writes it, trailing zeros and all. */
static void put_ten_thousandths(FILE *f, long v)
{
    if (v < 0) fputc('-', f);
    unsigned long m = v < 0 ? (unsigned long)-v : (unsigned long)v, frac = m % 10000;
    fprintf(f, "%lu", m / 10000);
    if (!frac) return;
    char d[5];
    snprintf(d, sizeof d, "%04lu", frac);
    int n = 4;
    while (d[n - 1] == '0')
        n--;
    fprintf(f, ".%.*s", n, d);
}

Test(output, every_four_decimal_fraction, .timeout = 60)
{
    enum { N = 20000 };
    static const long whole[] = {0, 7, 42, 123, 214747};
    char *csv = NULL, *want = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&csv, &len), *w = open_memstream(&want, &len);
    fputs("id,x\n", f);
    fputs("id,a,score,bonus_total,penalty_total,total,vetoes,grade,rank\n", w);
    for (int i = 0; i < N; i++) {
        long ip = whole[i % 5], frac = i % 10000, v = (ip * 10000 + frac) * (i % 2 ? -1 : 1);
        fprintf(f, "P%06d,%s%ld.%04ld\n", i, i % 2 ? "-" : "", ip, frac);
        fprintf(w, "P%06d,", i);
        for (int k = 0; k < 5; k++) {
            if (k == 2 || k == 3) { /* bonus_total, penalty_total */
                fputs("0,", w);
                continue;
            }
            put_ten_thousandths(w, v);
            fputc(',', w);
        }
        fputs(",,\n", w);
    }
    fclose(f);
    fclose(w);
    KtResult r = kt_run("table persons key id { x: decimal }\n"
                        "assess persons\n"
                        "indicator a = x\n",
                        (const char *const[]){"persons.csv", csv, NULL}, NULL);
    cr_assert_eq(r.stage, KT_OK, "%s", r.diags);
    expect_same_text(r.out, want);
    kt_free(&r);
    free(csv);
    free(want);
}
