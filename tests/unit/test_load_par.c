/*
** test_load_par.c — an event table large enough to be loaded in pieces on
** two threads (load_par.c; this one is cut in four): the aggregates are those of the rows as
*written, worked out
** here while the file is generated; and any problem makes the load give way
** to the ordinary one, with exactly its diagnostics.
*/
#include "kp_test_util.h"

#define NPERSONS 70000  /* enough that the accumulators merge on two threads */
#define NCASES   500000 /* about 19 MB: over the 16 MiB from which a file is split */

static const char *const scheme =
    "table persons key pid { }\n"
    "table cases key cid { handler -> persons  kind: enum[\"甲\", \"乙\", \"丙\"]  ok: bool\n"
    "                      pts: decimal  note: text }\n"
    "assess persons\n"
    "indicator n = count(cases)\n"
    "indicator n甲 = count(cases where kind == \"甲\")\n"
    "indicator n否 = count(cases where not ok)\n"
    "indicator s = sum(cases.pts)\n"
    "indicator s乙 = sum(cases, pts where kind == \"乙\" and pts > 10)\n"
    "indicator lo = min(cases.pts)\n"
    "indicator hi = max(cases, pts where ok)\n";

typedef struct Expect {
    long n, na, nno;
    long s, sb;  /* in hundredths */
    long lo, hi; /* in hundredths; hi_set says whether hi has a value */
    bool hi_set;
} Expect;

/* A fixed pseudo-random stream. */
static uint32_t next(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static void put_hundredths(FILE *f, long v)
{
    if (v < 0) {
        fputc('-', f);
        v = -v;
    }
    fprintf(f, "%ld", v / 100);
    if (v % 100) fprintf(f, v % 10 ? ".%02ld" : ".%ld", v % 10 ? v % 100 : v % 100 / 10);
}

/* Writes the data into dir and the expected CSV into *want. mid_text: a
** quoted note with line breaks over the middle of the file. */
static void make_data(const char *dir, bool mid_text, char **want)
{
    static Expect e[NPERSONS];
    memset(e, 0, sizeof e);
    char path[4096];
    snprintf(path, sizeof path, "%s/persons.csv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("pid\n", f);
    for (int p = 0; p < NPERSONS; p++)
        fprintf(f, "P%05d\n", p);
    fclose(f);
    snprintf(path, sizeof path, "%s/cases.csv", dir);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("cid,handler,kind,ok,pts,note\n", f);
    uint32_t seed = 7;
    for (int c = 0; c < NCASES; c++) {
        /* every person's first case is ok, so lo and hi have values */
        int p = c < NPERSONS ? c : (int)(next(&seed) % NPERSONS);
        int kind = (int)(next(&seed) % 3);
        bool ok = c < NPERSONS || next(&seed) % 4 != 0;
        long pts = (long)(next(&seed) % 4000) - 1000; /* hundredths: -10.00 .. 29.99 */
        Expect *x = &e[p];
        if (x->n == 0 || pts < x->lo) x->lo = pts;
        x->n++;
        x->na += kind == 0;
        x->nno += !ok;
        x->s += pts;
        if (kind == 1 && pts > 1000) x->sb += pts;
        if (ok && (!x->hi_set || pts > x->hi)) {
            x->hi = pts;
            x->hi_set = true;
        }
        fprintf(f, "C%07d,P%05d,%s,%s,", c, p,
                kind == 0   ? "甲"
                : kind == 1 ? "乙"
                            : "丙",
                ok ? "是" : "否");
        put_hundredths(f, pts);
        if (mid_text && c == NCASES / 2) {
            /* A note of 20,000 lines over the middle of the file, each of
            ** which would pass for a record of P00000 if the part after the
            ** cut were taken as it is. */
            fputs(",\"", f);
            for (int i = 0; i < 20000; i++)
                fputs("C9999999,P00000,甲,是,1,\"\"备注\"\"\n", f);
            fputs("\"\n", f);
        } else {
            fputs(",备注\n", f);
        }
    }
    cr_assert_gt(ftell(f), 17L << 20, "the file must be large enough to be split");
    fclose(f);
    size_t len = 0;
    FILE *w = open_memstream(want, &len);
    fputs("pid,n,n甲,n否,s,s乙,lo,hi,score,bonus_total,penalty_total,total,vetoes,grade,rank\n", w);
    for (int p = 0; p < NPERSONS; p++) {
        Expect *x = &e[p];
        fprintf(w, "P%05d,%ld,%ld,%ld,", p, x->n, x->na, x->nno);
        put_hundredths(w, x->s);
        fputc(',', w);
        put_hundredths(w, x->sb);
        fputc(',', w);
        if (x->n) put_hundredths(w, x->lo);
        fputc(',', w);
        if (x->hi_set) put_hundredths(w, x->hi);
        /* score = sum of the indicators; lo and hi are absent for nobody here */
        fputs(",", w);
        long score = (x->n + x->na + x->nno) * 100 + x->s + x->sb + x->lo + x->hi;
        put_hundredths(w, score);
        fputs(",0,0,", w);
        put_hundredths(w, score);
        fputs(",,,\n", w);
    }
    fclose(w);
}

static KtResult run_in(char *dir)
{
    kt_write(dir, "scheme.kp", scheme);
    return kt_run_dir(dir, NULL);
}

/* Generated data (a quoted field over the cut when asked) gives the
** aggregates worked out while generating it. */
static void expect_folds_as_written(bool quoted_cut)
{
    char *dir = kt_tmpdir(), *want = NULL;
    make_data(dir, quoted_cut, &want);
    KtResult r = run_in(dir);
    kt_expect_csv(r, want);
    free(want);
    kt_free(&r);
}

Test(load_par, a_large_event_table_folds_as_written, .timeout = 120)
{
    expect_folds_as_written(false);
}

/* The middle of the file falls in a quoted field with line breaks: the cut
** there is not between records, the piece before it says so, and the
** ordinary load reads the file whole. */
Test(load_par, a_cut_inside_a_quoted_field_gives_way, .timeout = 120)
{
    expect_folds_as_written(true);
}

/* Bad cells in either half are reported as the ordinary load reports
** them: at their line and column, the first one first. */
Test(load_par, bad_cells_are_reported_at_their_lines, .timeout = 120)
{
    char *dir = kt_tmpdir(), *want = NULL;
    make_data(dir, false, &want);
    free(want);
    kt_replace_line(dir, "cases.csv", 400001, "C0399999,P00001,丁,是,1,备注");
    kt_replace_line(dir, "cases.csv", 50001, "C0049999,P00001,甲,是,八十,备注");
    KtResult r = run_in(dir);
    cr_assert_eq(r.stage, KT_RUN_FAILED, "%s", r.diags);
    char want_diags[8192];
    snprintf(want_diags, sizeof want_diags,
             "%s/cases.csv:50001:21: error: column 'pts': expected decimal, got \"八十\"\n"
             "%s/cases.csv:400001:17: error: column 'kind': \"丁\" is not one of the allowed "
             "values\n",
             r.dir, r.dir);
    cr_expect_str_eq(r.diags, want_diags);
    kt_free(&r);
}

/* A sum that overflows only when the two parts are added up: the ordinary
** load finds the row that makes it overflow. */
Test(load_par, a_sum_overflowing_across_the_parts_names_its_row, .timeout = 120)
{
    char *dir = kt_tmpdir(), *want = NULL;
    make_data(dir, false, &want);
    free(want);
    kt_replace_line(dir, "cases.csv", 1001,
                    "C0000999,P00001,甲,是,100000000000000000000000000,备注");
    kt_replace_line(dir, "cases.csv", 400001,
                    "C0399999,P00001,甲,是,100000000000000000000000000,备注");
    KtResult r = run_in(dir);
    char want_err[4200];
    snprintf(want_err, sizeof want_err, "arithmetic overflow (%s/cases.csv:400001)", r.dir);
    kt_expect_error(r, KT_RUN_FAILED, want_err);
    kt_free(&r);
}
