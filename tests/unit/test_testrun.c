/*
** test_testrun.c — tests written in rule files, through the library:
** kp_test_file (counts, the exact failure lines, isolation between tests,
** compile errors that stop a file), kp_check_tests, and kp_coverage after a
** run (what counts as an item firing).
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp_test_util.h"

static const char SCHEME[] = "table persons key pid {\n"
                             "    category: enum[\"甲\", \"乙\"] = \"甲\"\n"
                             "    work: decimal\n"
                             "    pts: int = 0\n"
                             "    flag: bool = false\n"
                             "}\n"
                             "assess persons\n"
                             "param 线 = 60\n"
                             "indicator 实绩 {\n"
                             "    when category == \"甲\" = work\n"
                             "    otherwise = work / 2\n"
                             "}\n"
                             "bonus 奖励 = pts cap 2\n"
                             "veto 标记 when flag => 不称职\n"
                             "grades by total desc {\n"
                             "    优秀 quota 1\n"
                             "    称职 when total >= 线\n"
                             "    不称职\n"
                             "}\n";

typedef struct Run {
    char *dir;
    char path[4096];
    KpTestReport rep;
    Diags d;
    bool ok;
    char *diags;
} Run;

/* Writes SCHEME followed by tests to a temporary t.kp and runs its tests. */
static void run_tests(Run *r, const char *tests, bool coverage)
{
    r->dir = kt_tmpdir();
    char *text = malloc(strlen(SCHEME) + strlen(tests) + 1);
    strcpy(text, SCHEME);
    strcat(text, tests);
    kt_write(r->dir, "t.kp", text);
    free(text);
    snprintf(r->path, sizeof r->path, "%s/t.kp", r->dir);
    memset(&r->rep, 0, sizeof r->rep);
    diags_init(&r->d);
    r->ok = kp_test_file(r->path, coverage, &r->rep, &r->d);
    r->diags = kt_diag_summary(&r->d);
}

static void run_free(Run *r)
{
    kp_test_report_free(&r->rep);
    diags_free(&r->d);
    free(r->diags);
    kt_rmdir(r->dir);
}

/* The failure line i without the temporary directory in front. */
static const char *line(Run *r, int i)
{
    cr_assert_lt(i, r->rep.nlines);
    const char *s = r->rep.lines[i];
    size_t n = strlen(r->dir);
    cr_assert(strncmp(s, r->dir, n) == 0, "%s", s);
    return s + n + 1;
}

Test(testrun, counts_tests_and_reports_each_failed_expectation)
{
    Run r;
    run_tests(&r,
              "test \"passes\" {\n"
              "    persons (pid, work, pts) { P1, 80, 5 }\n"
              "    expect P1.total == 82\n"
              "    expect P1.奖励 == 2\n"
              "}\n"
              "test \"fails twice\" {\n"
              "    persons (pid, category, work) { P1, 乙, 80 }\n"
              "    expect P1.实绩 == 80\n"
              "    expect P1.grade == 优秀\n"
              "    expect P1.total   <   40\n"
              "}\n"
              "test \"constants\" {\n"
              "    expect 线 * 2 == 120\n"
              "}\n",
              false);
    cr_assert(r.ok, "%s", r.diags);
    cr_expect_str_eq(r.diags, "");
    cr_expect_eq(r.rep.passed, 2);
    cr_expect_eq(r.rep.failed, 1);
    cr_expect_eq(r.rep.expectations, 6);
    cr_assert_eq(r.rep.nlines, 2);
    cr_expect_str_eq(line(&r, 0),
                     "t.kp:27:5: FAIL test \"fails twice\": expect P1.实绩 == 80; actual 40");
    cr_expect_str_eq(line(&r, 1),
                     "t.kp:29:5: FAIL test \"fails twice\": expect P1.total < 40; actual 40");
    run_free(&r);
}

Test(testrun, every_test_starts_from_the_scheme_alone)
{
    Run r;
    run_tests(&r,
              "test \"one\" {\n"
              "    param 线 = 90\n"
              "    let x = 1\n"
              "    persons (pid, work) { P1, 80 }\n"
              "    expect P1.x == 1\n"
              "    expect P1.grade == 优秀\n"
              "    expect 线 == 90\n"
              "}\n"
              "test \"two\" {\n"
              "    let x = 2\n"
              "    persons (pid, work) {\n"
              "        P1, 70\n"
              "        P2, 65\n"
              "    }\n"
              "    expect P1.x == 2\n"
              "    expect 线 == 60\n"
              "    expect P2.grade == 称职\n"
              "}\n",
              false);
    cr_assert(r.ok, "%s", r.diags);
    cr_expect_eq(r.rep.passed, 2, "%s", r.rep.nlines ? r.rep.lines[0] : "");
    cr_expect_eq(r.rep.failed, 0);
    run_free(&r);
}

Test(testrun, an_error_in_one_test_runs_none_and_is_reported_once)
{
    Run r;
    run_tests(&r,
              "test \"good\" {\n"
              "    expect 1 == 1\n"
              "}\n"
              "test \"bad\" {\n"
              "    persons (pid, work) { P1, 八十 }\n"
              "    expect P9.total == 1\n"
              "}\n"
              "test \"also bad\" {\n"
              "    expect P1.totl == 1\n"
              "}\n",
              false);
    cr_expect_not(r.ok);
    cr_expect_eq(r.rep.passed + r.rep.failed, 0);
    cr_expect_str_eq(r.diags, "24:31: column 'work': expected decimal, got \"八十\"\n"
                              "28:15: unknown result 'totl' (did you mean 'total'?)\n");
    run_free(&r);
}

Test(testrun, a_runtime_error_fails_its_test)
{
    Run r;
    run_tests(&r,
              "test \"stops\" {\n"
              "    expect 1 / (线 - 60) == 1\n"
              "}\n"
              "test \"runs\" {\n"
              "    expect 1 == 1\n"
              "}\n",
              false);
    cr_assert(r.ok);
    cr_expect_eq(r.rep.failed, 1);
    cr_expect_eq(r.rep.passed, 1);
    cr_expect_str_eq(line(&r, 0), "t.kp:21:5: FAIL test \"stops\": expect 1 / (线 - 60) == 1; "
                                  "stopped by the error reported above");
    cr_expect_str_eq(r.diags, "21:12: division by zero\n");
    run_free(&r);
}

Test(testrun, check_compiles_tests_without_running_them)
{
    char *dir = kt_tmpdir();
    char path[4096];
    snprintf(path, sizeof path, "%s/t.kp", dir);
    char text[2048];
    snprintf(text, sizeof text, "%s%s", SCHEME,
             "test \"wrong but well formed\" {\n"
             "    persons (pid, work) { P1, 80 }\n"
             "    expect P1.total == 1\n"
             "}\n");
    kt_write(dir, "t.kp", text);
    Diags d;
    diags_init(&d);
    cr_expect(kp_check_tests(path, &d));
    cr_expect_eq(d.n, 0);
    snprintf(text, sizeof text, "%s%s", SCHEME,
             "test \"ill formed\" {\n"
             "    persons (pid, work, flag) { P1, 80, 也许 }\n"
             "}\n");
    kt_write(dir, "t.kp", text);
    cr_expect_not(kp_check_tests(path, &d));
    char *got = kt_diag_summary(&d);
    cr_expect_str_eq(got, "21:41: column 'flag': expected true or false (also 1/0, 是/否), got "
                          "\"也许\"\n");
    free(got);
    diags_free(&d);
    kt_rmdir(dir);
}

/* ---- coverage ---- */

static long long count_of(const KpCoverage *c, const char *label)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->items[i].label, label) == 0) return c->items[i].count;
    cr_assert_fail("no item '%s'", label);
    return -1;
}

Test(coverage, after_a_run_each_item_counts_the_persons_it_fired_for)
{
    char *dir = kt_tmpdir();
    kt_write(dir, "scheme.kp", SCHEME);
    kt_write(dir, "persons.csv",
             "pid,category,work,pts,flag\n"
             "P1,甲,95,1,\n"
             "P2,乙,140,0,\n"
             "P3,甲,70,0,是\n"
             "P4,甲,50,,\n");
    char path[4096];
    snprintf(path, sizeof path, "%s/scheme.kp", dir);
    Diags d;
    diags_init(&d);
    KpScheme *s = kp_compile(path, &d);
    cr_assert_not_null(s);
    cr_assert(kp_run(s, dir, &d));
    KpCoverage c;
    cr_assert(kp_coverage(s, &c));
    cr_expect_eq(c.persons, 4);
    cr_assert_eq(c.n, 7);
    cr_expect_eq(count_of(&c, "indicator 实绩 when category == \"甲\""), 3);
    cr_expect_eq(count_of(&c, "indicator 实绩 otherwise"), 1);
    cr_expect_eq(count_of(&c, "bonus 奖励"), 1);
    cr_expect_eq(count_of(&c, "veto 标记"), 1);
    cr_expect_eq(count_of(&c, "grades 优秀"), 1);
    cr_expect_eq(count_of(&c, "grades 称职"), 1, "P3's 不称职 comes from the veto");
    cr_expect_eq(count_of(&c, "grades 不称职"), 1);
    cr_expect_eq(c.items[0].line, 10);
    cr_expect_eq(c.items[0].col, 5);
    kp_coverage_free(&c);
    kp_free(s);
    diags_free(&d);
    kt_rmdir(dir);
}

Test(coverage, tests_add_up_and_their_own_items_do_not_count)
{
    Run r;
    run_tests(&r,
              "test \"甲\" {\n"
              "    persons (pid, work) {\n"
              "        P1, 90\n"
              "        P2, 50\n"
              "    }\n"
              "    bonus 测试项 = 1\n"
              "    expect P1.grade == 优秀\n"
              "}\n"
              "test \"乙\" {\n"
              "    persons (pid, category, work) { P1, 乙, 140 }\n"
              "    expect P1.grade == 优秀\n"
              "}\n",
              true);
    cr_assert(r.ok, "%s", r.diags);
    KpCoverage *c = &r.rep.coverage;
    cr_expect_eq(c->persons, 3);
    cr_assert_eq(c->n, 7);
    cr_expect_eq(count_of(c, "indicator 实绩 when category == \"甲\""), 2);
    cr_expect_eq(count_of(c, "indicator 实绩 otherwise"), 1);
    cr_expect_eq(count_of(c, "grades 优秀"), 2);
    cr_expect_eq(count_of(c, "grades 不称职"), 1);
    cr_expect_eq(count_of(c, "bonus 奖励"), 0);
    cr_expect_eq(count_of(c, "veto 标记"), 0);
    run_free(&r);
}
