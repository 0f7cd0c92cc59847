/*
** test_load_stored.c — a stored table large enough to be loaded in pieces on
** two threads (load_stored.c): every kind of column lands in the row of its
** record, with the values worked out here while the file is generated;
** numbers too wide for a column's first storage widen it; quoted fields with
** line breaks keep the records and their lines apart; and any problem makes
** the load give way to the ordinary one, with exactly its diagnostics.
*/
#include "kp_test_util.h"

#define NROWS    60000 /* about 6 MB: over the 4 MiB from which the table is split */
#define NDEPTS   50
#define WIDE_ROW 45000 /* a number that needs 16 bytes, in the second half */

static const char *const scheme =
    "table depts key did { w: int }\n"
    "table persons key pid {\n"
    "  dept -> depts  kind: enum[\"甲\", \"乙\", \"丙\"]  ok: bool  pts: decimal\n"
    "  rate: percent  born: date  tag: text?  label: text = \"无\"  note: text\n"
    "}\n"
    "assess persons\n"
    "indicator p = pts\n"
    "indicator r = rate * 100\n"
    "indicator k = if kind == \"甲\" then 1 else if kind == \"乙\" then 2 else 3\n"
    "indicator o = if ok then 10 else 0\n"
    "indicator w = dept.w\n"
    "indicator y = year(born)\n"
    "indicator t = if coalesce(tag, \"\") == \"红\" then 1 else 0\n"
    "indicator l = if label == \"无\" then 100 else 0\n";

/* The key of the row written i-th: a permutation, so that rows are not in key
** order and a row stored in the wrong place shows in the output. */
static int key_of(int i)
{
    return (int)((long)i * 7919 % NROWS);
}

/* pts of row i in millionths: two decimals mostly, six every 1,000th row
** (too many for the column's first storage), 3 * 10^12 at WIDE_ROW. */
static __int128 pts_of(int i)
{
    __int128 v = (__int128)(i % 9000) * 10000;
    if (i % 1000 == 7) v += 123;
    if (i == WIDE_ROW) v += (__int128)3000000000000 * 1000000;
    return v;
}

static void put_millionths(FILE *f, __int128 v)
{
    char digits[64];
    int n = 0;
    __int128 whole = v / 1000000;
    long frac = (long)(v % 1000000);
    do {
        digits[n++] = (char)('0' + (int)(whole % 10));
        whole /= 10;
    } while (whole);
    while (n)
        fputc(digits[--n], f);
    if (frac) {
        char fr[8];
        snprintf(fr, sizeof fr, "%06ld", frac);
        for (int k = 5; k > 0 && fr[k] == '0'; k--)
            fr[k] = 0;
        fprintf(f, ".%s", fr);
    }
}

/* Line of the file each row starts on: notes with a line break add one. */
static long line_of[NROWS];

/* Writes the data into dir and the expected CSV into *want. long_quote: a
** quoted note of over a megabyte in the middle, across a cut. */
static void make_data(const char *dir, bool long_quote, char **want)
{
    static __int128 score[NROWS];
    static long vals[NROWS][8];
    char path[4096];
    snprintf(path, sizeof path, "%s/depts.csv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("did,w\n", f);
    for (int d = 0; d < NDEPTS; d++)
        fprintf(f, "D%02d,%d\n", d, d * 3);
    fclose(f);
    snprintf(path, sizeof path, "%s/persons.csv", dir);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("pid,dept,kind,ok,pts,rate,born,tag,label,note\n", f);
    long line = 2;
    for (int i = 0; i < NROWS; i++) {
        int key = key_of(i), d = i % NDEPTS, kind = i % 3;
        bool ok = i % 4 != 0;
        const char *tag = i % 97 == 0 ? "红" : i % 97 == 1 ? "蓝" : "";
        bool dflt = i % 5 == 0;
        line_of[i] = line;
        fprintf(f, "P%06d,D%02d,%s,%s,", key, d,
                kind == 0   ? "甲"
                : kind == 1 ? "乙"
                            : "丙",
                ok ? "是" : "否");
        put_millionths(f, pts_of(i));
        fprintf(f, ",%d.5%%,%d-01-15,%s,%s,", i % 100, 1970 + i % 40, tag, dflt ? "" : "x");
        if (long_quote && i == NROWS / 2) {
            /* 40,000 lines, each of which would pass for a record. */
            fputc('"', f);
            for (int k = 0; k < 40000; k++)
                fprintf(f, "P%06d,D01,甲,是,1,1%%,2000-01-01,,,x\n", k);
            fputs("\"\n", f);
            line += 40001;
        } else if (i % 1000 == 500) {
            fputs("\"备注, \"\"引文\"\"\n第二行\"\n", f);
            line += 2;
        } else {
            fputs("备注备注备注备注备注备注备注备注\n", f);
            line++;
        }
        long *v = vals[key];
        v[0] = i % 100;       /* r, less its .5 */
        v[1] = kind + 1;      /* k */
        v[2] = ok ? 10 : 0;   /* o */
        v[3] = d * 3;         /* w */
        v[4] = 1970 + i % 40; /* y */
        v[5] = i % 97 == 0;   /* t */
        v[6] = dflt ? 100 : 0;
        v[7] = i; /* the row, for pts */
        score[key] = pts_of(i) + 500000 +
                     (__int128)(v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6]) * 1000000;
    }
    cr_assert_gt(ftell(f), 5L << 20, "the file must be large enough to be split");
    fclose(f);
    size_t len = 0;
    FILE *w = open_memstream(want, &len);
    fputs("pid,p,r,k,o,w,y,t,l,score,bonus_total,penalty_total,total,vetoes,grade,rank\n", w);
    for (int key = 0; key < NROWS; key++) {
        const long *v = vals[key];
        fprintf(w, "P%06d,", key);
        put_millionths(w, pts_of((int)v[7]));
        fprintf(w, ",%ld.5,%ld,%ld,%ld,%ld,%ld,%ld,", v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
        put_millionths(w, score[key]);
        fputs(",0,0,", w);
        put_millionths(w, score[key]);
        fputs(",,,\n", w);
    }
    fclose(w);
}

static KtResult run_in(char *dir)
{
    kt_write(dir, "scheme.kp", scheme);
    return kt_run_dir(dir, NULL);
}

static void expect_loads_as_written(bool long_quote)
{
    char *dir = kt_tmpdir(), *want = NULL;
    make_data(dir, long_quote, &want);
    KtResult r = run_in(dir);
    kt_expect_csv(r, want);
    free(want);
    kt_free(&r);
}

Test(load_stored, a_large_table_loads_as_written, .timeout = 120)
{
    expect_loads_as_written(false);
}

/* The middle of the file falls in a quoted field of 40,000 lines: the cut
** there is not between records, the piece before it says so, and the
** ordinary load reads the file whole. */
Test(load_stored, a_cut_inside_a_quoted_field_gives_way, .timeout = 120)
{
    expect_loads_as_written(true);
}

/* Where a person's row starts in the file, as explain tells it: counted over
** the notes with line breaks before it, in either half. */
Test(load_stored, rows_keep_their_lines, .timeout = 120)
{
    char *dir = kt_tmpdir(), *want = NULL;
    make_data(dir, false, &want);
    free(want);
    kt_write(dir, "scheme.kp", scheme);
    char path[4096];
    snprintf(path, sizeof path, "%s/scheme.kp", dir);
    Diags d;
    diags_init(&d);
    KpScheme *s = kp_compile(path, &d);
    cr_assert_not_null(s);
    kp_keep_values(s);
    cr_assert(kp_run(s, dir, &d));
    const int rows[] = {0, 1, 499, 501, 20000, 41501, NROWS - 1};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char id[16], line[64];
        snprintf(id, sizeof id, "P%06d", key_of(rows[i]));
        snprintf(line, sizeof line, "\"data_line\":%ld,", line_of[rows[i]]);
        char *json = kp_explain(s, id, KP_LANG_ZH, true, &d);
        cr_assert_not_null(json, "%s", id);
        cr_expect(strstr(json, line) != NULL, "%s: want %s", id, line);
        free(json);
    }
    kp_free(s);
    diags_free(&d);
    kt_rmdir(dir);
}

/* Runs on the generated data with lines replaced and compares every
** diagnostic with want (printf-style, %1$s the directory). */
static void expect_diags(const char *const *edits, const char *want_fmt)
{
    char *dir = kt_tmpdir(), *want = NULL;
    make_data(dir, false, &want);
    free(want);
    for (int i = 0; edits[i]; i += 2)
        kt_replace_line(dir, "persons.csv", line_of[atoi(edits[i])], edits[i + 1]);
    KtResult r = run_in(dir);
    cr_assert_eq(r.stage, KT_RUN_FAILED, "%s", r.diags);
    char want_diags[8192];
    snprintf(want_diags, sizeof want_diags, want_fmt, r.dir);
    cr_expect_str_eq(r.diags, want_diags);
    kt_free(&r);
}

/* Bad cells in either half are reported as the ordinary load reports them:
** at their line and column, the first one first. */
Test(load_stored, bad_cells_are_reported_at_their_lines, .timeout = 120)
{
    expect_diags((const char *const[]){"50000", "P050000,D01,甲,是,八十,1%,2000-01-01,,,x", "3000",
                                       "P003000,D77,甲,是,1,1%,2000-01-01,,,x", NULL},
                 "%1$s/persons.csv:3005:9: error: column 'dept': no row of depts has did "
                 "\"D77\"\n"
                 "%1$s/persons.csv:50052:17: error: column 'pts': expected decimal, got "
                 "\"八十\"\n");
}

/* A key repeated far from its first row: found in the pass that interns
** the keys, and reported as the ordinary load reports it. */
Test(load_stored, a_duplicate_key_is_reported, .timeout = 120)
{
    char dup[128];
    snprintf(dup, sizeof dup, "P%06d,D01,甲,是,1,1%%,2000-01-01,,,x", key_of(10));
    expect_diags((const char *const[]){"55000", dup, NULL},
                 "%1$s/persons.csv:55057:1: error: duplicate key 'P019190' in column 'pid' "
                 "(first on line 12)\n");
}

/* An empty key, and a key repeated after it: both, in row order. */
Test(load_stored, a_missing_key_is_reported, .timeout = 120)
{
    char dup[128];
    snprintf(dup, sizeof dup, "P%06d,D01,甲,是,1,1%%,2000-01-01,,,x", key_of(10));
    expect_diags(
        (const char *const[]){"55000", dup, "30000", ",D01,甲,是,1,1%,2000-01-01,,,x", NULL},
        "%1$s/persons.csv:30032:1: error: column 'pid': missing value (mark the column "
        "optional with '?', or give it a default, if it may be empty)\n"
        "%1$s/persons.csv:55057:1: error: duplicate key 'P019190' in column 'pid' "
        "(first on line 12)\n");
}
