/*
** test_compute_par.c — a value's column computed on two threads
** (compute_par.c): the same values and the same first error as computing the
** rows in order, and a block that needs shared state gives its rows back.
*/
#include "kp_test_util.h"

#include "eval.h"

/* ---- the driver, with a column function made for the test ---- */

typedef struct Plan {
    int32_t shared_at; /* the row that asks for shared state, or -1 */
    int32_t fail_at[2];
    int32_t wide_at;   /* a row too wide for the narrow tiers; 0: row 9000 */
    int32_t narrow_at; /* a row with 12 decimals (the middle tier), or 0 */
    int32_t gaps;      /* fn writes no number to rows with row % gaps == 1 (0: none) */
} Plan;

static Plan plan;

/* row * 3, one row far too wide for the narrow tiers and maybe one with
** many decimals, so the halves' columns widen at different times. */
static Dec expected_value(int32_t row)
{
    if (plan.gaps && row % plan.gaps == 1) return DEC_NULL; /* left absent */
    if (row == (plan.wide_at ? plan.wide_at : 9000)) return dec_from_int(INT64_C(1000000000000000));
    if (plan.narrow_at && row == plan.narrow_at) return dec_from_int(row * 3) + 1;
    return dec_from_int(row * 3);
}

static void column_fn(Eval *ev, ValueDef *v)
{
    for (int32_t row = ev->lo; row < ev->hi; row++) {
        if (row == plan.shared_at) eval_shared_init(ev);
        for (int k = 0; k < 2; k++)
            if (row == plan.fail_at[k]) eval_fail(ev, NULL, row, "failed at row %d", (int)row);
        if (!plan.gaps || row % plan.gaps != 1) eval_set_num(ev, &v->num, row, expected_value(row));
    }
}

typedef struct Run {
    bool ok;
    char *error; /* the first diagnostic's message, or NULL */
    size_t ndiags;
} Run;

static Run run_driver(int32_t nrows, Plan p)
{
    plan = p;
    Model m = {0};
    Diags d;
    diags_init(&d);
    Eval ev = {0};
    ev.m = &m;
    ev.d = &d;
    ev.nrows = nrows;
    ValueDef v = {0};
    v.name = "v";
    v.type.base = T_NUM;
    numcol_reserve_unset(&v.num, nrows); /* as compute.c reserves it */
    jmp_buf on_error;
    ev.on_error = &on_error;
    Run r = {false, NULL, 0};
    if (setjmp(on_error) == 0) {
        compute_rows(&ev, &v, column_fn);
        r.ok = true;
        for (int32_t row = 0; row < nrows; row++)
            if (numcol_get(&v.num, row) != expected_value(row)) {
                r.ok = false;
                cr_log_error("row %d has a wrong value", (int)row);
                break;
            }
    }
    r.ndiags = d.n;
    if (d.n) r.error = strdup(d.items[0].msg);
    numcol_free(&v.num);
    eval_free_all(&ev);
    diags_free(&d);
    return r;
}

static const Plan CLEAN = {-1, {-1, -1}, 0, 0, 0};

Test(compute_par, every_row_is_computed_once_split)
{
    Run r = run_driver(20000, CLEAN);
    cr_expect(r.ok);
    cr_expect_eq(r.ndiags, 0);
}

/* The second half's column wider than the first's, or as wide: it is
** copied whole, the first widened to match. */
Test(compute_par, a_wider_second_half_widens_the_column)
{
    Run r = run_driver(20000, (Plan){-1, {-1, -1}, 15000, 0, 0});
    cr_expect(r.ok);
    r = run_driver(20000, (Plan){-1, {-1, -1}, 15000, 3000, 0});
    cr_expect(r.ok);
    r = run_driver(20000, (Plan){-1, {-1, -1}, 3000, 15000, 0});
    cr_expect(r.ok);
    r = run_driver(20000, (Plan){-1, {-1, -1}, 12000, 15000, 0});
    cr_expect(r.ok);
}

Test(compute_par, few_rows_are_not_split)
{
    Run r = run_driver(300, CLEAN);
    cr_expect(r.ok);
}

Test(compute_par, a_second_half_needing_shared_state_gives_its_rows_back)
{
    Run r = run_driver(20000, (Plan){15000, {-1, -1}, 0, 0, 0});
    cr_expect(r.ok);
    cr_expect_eq(r.ndiags, 0);
}

Test(compute_par, a_first_half_needing_shared_state_gives_its_rows_back)
{
    Run r = run_driver(20000, (Plan){1000, {-1, -1}, 0, 0, 0});
    cr_expect(r.ok);
}

Test(compute_par, an_error_in_the_second_half_is_reported)
{
    Run r = run_driver(20000, (Plan){-1, {17000, -1}, 0, 0, 0});
    cr_expect(!r.ok);
    cr_expect_eq(r.ndiags, 1);
    cr_expect_str_eq(r.error, "failed at row 17000");
    free(r.error);
}

Test(compute_par, of_errors_in_both_halves_the_earlier_row_is_reported)
{
    Run r = run_driver(20000, (Plan){-1, {17000, 5000}, 0, 0, 0});
    cr_expect(!r.ok);
    cr_expect_eq(r.ndiags, 1);
    cr_expect_str_eq(r.error, "failed at row 5000");
    free(r.error);
}

Test(compute_par, an_error_in_the_first_batch_stops_before_any_split)
{
    Run r = run_driver(20000, (Plan){-1, {3, 17000}, 0, 0, 0});
    cr_expect_eq(r.ndiags, 1);
    cr_expect_str_eq(r.error, "failed at row 3");
    free(r.error);
}

/* Many blocks, taken by the two threads in whatever way they come: the
** first error in row order is reported, and the rows after a block that
** gives up are computed again in order. */
Test(compute_par, of_many_blocks_the_first_error_in_row_order_is_reported)
{
    Run r = run_driver(100000, (Plan){-1, {80000, 30000}, 0, 0, 0});
    cr_expect_eq(r.ndiags, 1);
    cr_expect_str_eq(r.error, "failed at row 30000");
    free(r.error);
    r = run_driver(100000, (Plan){45000, {60000, -1}, 0, 0, 0});
    cr_expect_eq(r.ndiags, 1);
    cr_expect_str_eq(r.error, "failed at row 60000");
    free(r.error);
    r = run_driver(100000, (Plan){45000, {-1, -1}, 70000, 20000, 0});
    cr_expect(r.ok);
    cr_expect_eq(r.ndiags, 0);
}

/* A row fn writes nothing to is absent, as before any split: the column is
** emptied block by block as the threads take them, and again where rows are
** computed anew after a give-back; the widening that numbers set aside cause
** after the split keeps them absent. */
Test(compute_par, rows_left_unwritten_are_absent)
{
    Run r = run_driver(100000, (Plan){-1, {-1, -1}, 0, 0, 7});
    cr_expect(r.ok);
    r = run_driver(100000, (Plan){-1, {-1, -1}, 70000, 20000, 7});
    cr_expect(r.ok);
    r = run_driver(100000, (Plan){45000, {-1, -1}, 70000, 20000, 7});
    cr_expect(r.ok);
    r = run_driver(300, (Plan){-1, {-1, -1}, 0, 0, 7});
    cr_expect(r.ok);
}

/* A give-back in the first block leaves most blocks never taken, so never
** emptied: the rows computed anew are emptied first. (A test of its own: a
** column freed by an earlier run in the process could hold the same gaps.) */
Test(compute_par, rows_left_unwritten_after_an_early_give_back_are_absent)
{
    Run r = run_driver(100000, (Plan){300, {-1, -1}, 0, 0, 7});
    cr_expect(r.ok);
}

/* An error after shared state was asked for is still the first one in row order. */
Test(compute_par, an_error_after_a_give_back_is_found_on_the_retry)
{
    Run r = run_driver(20000, (Plan){12000, {15000, -1}, 0, 0, 0});
    cr_expect_eq(r.ndiags, 1);
    cr_expect_str_eq(r.error, "failed at row 15000");
    free(r.error);
}

/* ---- a whole scheme: split runs against runs too small to split ---- */

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})

static const char *const scheme =
    "param 基数 = 3\n"
    "table persons key pid { x: int  cat: enum[\"甲\", \"乙\"]  flag: bool  note: text? }\n"
    "assess persons\n"
    "let y = x * 基数 / 7\n"
    "let 标记 = if flag then \"是\" else \"否\"\n"
    "let 注 = coalesce(note, \"无\")\n"
    "let 大 = x > 50000\n"
    "output y, 标记, 注, 大\n"
    "indicator 总 weight 100% {\n"
    "    when cat == \"甲\" {\n"
    "        indicator a weight 60% = round(y, 2)\n"
    "        indicator b weight 40% = min(100, x / 10)\n"
    "    }\n"
    "    otherwise {\n"
    "        indicator c = x / 3\n"
    "    }\n"
    "}\n"
    "bonus 奖 = if flag then 1.5 else 0 cap 1\n"
    "penalty 罚 = x / 1000\n"
    "adjust 折算 when flag = 90% * total + 1\n";

/* Rows [from, to) of a fixed pseudo-random table. */
static char *persons(int from, int to)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("pid,x,cat,flag,note\n", f);
    uint32_t s = 12345;
    for (int i = 0; i < to; i++) {
        s = s * 1103515245u + 12345u;
        uint32_t r = s >> 8;
        if (i < from) continue;
        const char *notes[] = {"", "\"a,b\"", "注"};
        fprintf(f, "P%06d,%d,%s,%s,%s\n", i, (int)(r % 100050) - 50, r & 1 ? "甲" : "乙",
                r & 2 ? "是" : "否", notes[(r >> 2) % 3]);
    }
    fclose(f);
    return text;
}

/* Rows [0, to) with the x of person pid made empty. */
static char *persons_without_x(int to, const char *pid)
{
    char *csv = persons(0, to), key[32];
    snprintf(key, sizeof key, "%s,", pid);
    char *at = strstr(csv, key) + strlen(key);
    char *comma = strchr(at, ',');
    memmove(at, comma, strlen(comma) + 1);
    return csv;
}

/* The CSV results of the scheme over rows [from, to), without the header. */
static char *results(int from, int to)
{
    char *csv = persons(from, to);
    KtResult r = kt_run(scheme, FILES("persons.csv", csv), NULL);
    free(csv);
    cr_assert_eq(r.stage, KT_OK, "%s", r.diags);
    char *body = strdup(strchr(r.out, '\n') + 1);
    kt_free(&r);
    return body;
}

Test(compute_par, a_split_run_equals_runs_too_small_to_split)
{
    char *whole = results(0, 9000);
    size_t pos = 0;
    for (int from = 0; from < 9000; from += 1000) {
        char *part = results(from, from + 1000);
        size_t n = strlen(part);
        cr_assert(strncmp(whole + pos, part, n) == 0, "rows %d.. differ: \"%.80s\" vs \"%.80s\"",
                  from, whole + pos, part);
        pos += n;
        free(part);
    }
    cr_expect_eq(whole[pos], '\0');
    free(whole);
}

Test(compute_par, a_runtime_error_in_the_second_half_names_its_person)
{
    char *csv = persons(0, 9000);
    KtResult r = kt_run("table persons key pid { x: int  cat: text  flag: bool  note: text? }\n"
                        "assess persons\n"
                        "indicator d = 100 / (x - x + (if pid == \"P007777\" then 0 else 1))\n",
                        FILES("persons.csv", csv), NULL);
    free(csv);
    kt_expect_error(r, KT_RUN_FAILED, "division by zero (persons P007777)");
    kt_free(&r);
}

/* Conditions of grading (vetoes, requirements) are split the same way. */
Test(compute_par, an_empty_veto_condition_in_the_second_half_names_its_person)
{
    char *csv = persons_without_x(9000, "P007777");
    KtResult r = kt_run("table persons key pid { x: int?  cat: text  flag: bool  note: text? }\n"
                        "assess persons\n"
                        "indicator s = 1\n"
                        "veto 高 when x > 100000 => 不称职\n"
                        "grades by total desc { 称职 当 total > 0\n 不称职 }\n",
                        FILES("persons.csv", csv), NULL);
    free(csv);
    kt_expect_error(r, KT_RUN_FAILED,
                    "the veto's condition is empty (it uses a value that is absent) (persons "
                    "P007777)");
    kt_free(&r);
}

/* The branch each row takes is worked out on two threads as well. */
Test(compute_par, an_empty_variant_condition_in_the_second_half_names_its_person)
{
    char *csv = persons_without_x(9000, "P007777");
    KtResult r = kt_run("table persons key pid { x: int?  cat: text  flag: bool  note: text? }\n"
                        "assess persons\n"
                        "indicator 总 {\n"
                        "    when x > 100 { indicator a = 1 }\n"
                        "    otherwise { indicator b = 2 }\n"
                        "}\n",
                        FILES("persons.csv", csv), NULL);
    free(csv);
    kt_expect_error(r, KT_RUN_FAILED,
                    "the 'when' condition is empty (it uses a value that is absent) (persons "
                    "P007777)");
    kt_free(&r);
}

/* ---- eval_rows_try: the same split, reporting nothing ---- */

static void mark_rows(Eval *ev, void *ctx)
{
    uint8_t *seen = ctx;
    for (int32_t row = ev->lo; row < ev->hi; row++) {
        if (row == plan.fail_at[0]) eval_fail(ev, NULL, row, "failed at row %d", (int)row);
        seen[row]++;
    }
}

static bool try_rows(int32_t nrows, int32_t fail_at, uint8_t *seen, size_t *ndiags)
{
    plan = CLEAN;
    plan.fail_at[0] = fail_at;
    Model m = {0};
    Diags d;
    diags_init(&d);
    Eval ev = {0};
    ev.m = &m;
    ev.d = &d;
    ev.nrows = nrows;
    jmp_buf on_error;
    ev.on_error = &on_error;
    bool ok = false;
    if (setjmp(on_error) == 0) {
        ok = eval_rows_try(&ev, mark_rows, seen);
        cr_expect_eq(ev.on_error, &on_error);
        cr_expect_eq(ev.d, &d);
        cr_expect_eq(ev.lo, 0);
        cr_expect_eq(ev.hi, nrows);
    } else {
        cr_assert_fail("eval_rows_try jumped out");
    }
    *ndiags = d.n;
    eval_free_all(&ev);
    diags_free(&d);
    return ok;
}

Test(compute_par, tried_rows_are_each_computed_once)
{
    uint8_t *seen = calloc(20000, 1);
    size_t nd;
    cr_expect(try_rows(20000, -1, seen, &nd));
    cr_expect_eq(nd, 0);
    for (int32_t row = 0; row < 20000; row++)
        cr_assert_eq(seen[row], 1, "row %d computed %d times", (int)row, seen[row]);
    free(seen);
}

Test(compute_par, a_tried_row_that_fails_is_not_reported)
{
    const int32_t at[] = {3, 15000};
    for (int i = 0; i < 2; i++) {
        uint8_t *seen = calloc(20000, 1);
        size_t nd;
        cr_expect_not(try_rows(20000, at[i], seen, &nd), "row %d", (int)at[i]);
        cr_expect_eq(nd, 0);
        free(seen);
    }
}

/* ---- quotas and grade conditions, worked out on two threads ---- */

static const char *const quota_table =
    "table persons key pid { x: int  cat: enum[\"甲\", \"乙\"]  flag: bool  note: text? }\n"
    "assess persons\n"
    "indicator s = x\n";

static KtResult run_quota(const char *quota)
{
    char scheme[1024];
    snprintf(scheme, sizeof scheme, "%sgrades by total desc { 优 quota %s\n 合格 }\n", quota_table,
             quota);
    char *csv = persons(0, 9000);
    KtResult r = kt_run(scheme, FILES("persons.csv", csv), NULL);
    free(csv);
    return r;
}

Test(compute_par, a_quota_that_is_no_whole_number_in_the_second_half_names_its_person)
{
    KtResult r = run_quota("if pid == \"P007777\" then 0.5 else 1");
    kt_expect_error(r, KT_RUN_FAILED,
                    "the quota of '优' must be a whole number of persons, not 0.5 (round it with "
                    "floor, round or ceil) (persons P007777)");
    kt_free(&r);
}

/* Row by row, P000010's differing quota comes first; the rows on two
** threads meet P007777's first, which must not be what is reported. */
Test(compute_par, a_quota_differing_early_outranks_a_later_row_that_fails)
{
    const char *later[] = {"0.5", "1 / (x - x)", "x - x - 1"};
    for (int i = 0; i < 3; i++) {
        char quota[256];
        snprintf(quota, sizeof quota,
                 "if pid == \"P000010\" then 2 else if pid == \"P007777\" then %s else 1",
                 later[i]);
        KtResult r = run_quota(quota);
        kt_expect_error(r, KT_RUN_FAILED,
                        "the quota of '优' differs within one group: 2 here, 1 for P000000 "
                        "(persons P000010)");
        kt_free(&r);
    }
}

Test(compute_par, a_quota_failing_in_the_first_batch_is_reported_there)
{
    KtResult r = run_quota("if pid == \"P000003\" then 1 / (x - x) else 1");
    kt_expect_error(r, KT_RUN_FAILED, "division by zero (persons P000003)");
    kt_free(&r);
}

typedef struct Person {
    int x, cat, row;
} Person;

static int by_x_desc(const void *pa, const void *pb)
{
    const Person *a = pa, *b = pb;
    if (a->cat != b->cat) return a->cat - b->cat;
    if (a->x != b->x) return a->x > b->x ? -1 : 1;
    return a->row - b->row;
}

/* The grades of 9,000 persons, worked out here from the table: per group,
** by x descending, the quota of 优 to those with x >= 30000, then 良 to
** x >= 10000; a flag keeps a person from 优, and x < 0 forces 合格. */
Test(compute_par, grades_over_two_threads_are_those_worked_out_by_hand)
{
    char *csv = persons(0, 9000);
    KtResult r = kt_run("table persons key pid { x: int  cat: enum[\"甲\", \"乙\"]  flag: bool  "
                        "note: text? }\n"
                        "assess persons\n"
                        "group G = persons by cat\n"
                        "indicator s = x\n"
                        "veto 限 when flag => at most 良\n"
                        "veto 负 when x < 0 => 合格\n"
                        "grades within G by total desc, pid { 优 quota floor(15% * count(G)) "
                        "when total >= 30000\n 良 when total >= 10000\n 合格 }\n",
                        FILES("persons.csv", csv), NULL);
    cr_assert_eq(r.stage, KT_OK, "%s", r.diags);
    Person *p = calloc(9000, sizeof *p);
    bool *flag = calloc(9000, sizeof *flag);
    int count[2] = {0, 0};
    const char *line = strchr(csv, '\n') + 1;
    for (int i = 0; i < 9000; i++) {
        p[i].row = i;
        p[i].x = atoi(strchr(line, ',') + 1);
        p[i].cat = strstr(line, "乙") && strstr(line, "乙") < strchr(line, '\n');
        flag[i] = strstr(line, "是") && strstr(line, "是") < strchr(line, '\n');
        count[p[i].cat]++;
        line = strchr(line, '\n') + 1;
    }
    qsort(p, 9000, sizeof *p, by_x_desc);
    char **grade = calloc(9000, sizeof *grade);
    int *rank = calloc(9000, sizeof *rank);
    int left[2] = {count[0] * 15 / 100, count[1] * 15 / 100};
    for (int i = 0, pos = 0; i < 9000; i++) {
        pos = i && p[i].cat == p[i - 1].cat ? pos + 1 : 1;
        rank[p[i].row] = pos;
        if (p[i].x < 0) {
            grade[p[i].row] = "合格";
        } else if (p[i].x >= 30000 && !flag[p[i].row] && left[p[i].cat] > 0) {
            left[p[i].cat]--;
            grade[p[i].row] = "优";
        } else {
            grade[p[i].row] = p[i].x >= 10000 ? "良" : "合格";
        }
    }
    /* Each line ends in the grade and the rank. */
    const char *out = strchr(r.out, '\n') + 1;
    for (int row = 0; row < 9000; row++) {
        char want[64];
        const char *nl = strchr(out, '\n');
        size_t n = (size_t)snprintf(want, sizeof want, ",%s,%d", grade[row], rank[row]);
        cr_assert((size_t)(nl - out) > n && strncmp(nl - n, want, n) == 0,
                  "row %d: \"%.*s\", want it to end in \"%s\"", row, (int)(nl - out), out, want);
        out = nl + 1;
    }
    free(grade);
    free(flag);
    free(rank);
    free(p);
    free(csv);
    kt_free(&r);
}
