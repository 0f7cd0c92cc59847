/*
** test_load_size.c — a stored table is sized from its first rows (load.c
** reserves its columns and the string table for the rows the file's size
** suggests). Whether the first rows are shorter or longer than the rest,
** so that the estimate is too high or too low, every row loads as written.
*/
#include "kp_test_util.h"

#include "buf.h"

#define ROWS      30000
#define SAME_NAME "同名"

static const char *const scheme =
    "table persons key pid {\n"
    "    name: text\n"
    "    x: int\n"
    "}\n"
    "assess persons\n"
    "indicator a = x + (if name == \"" SAME_NAME "\" then 1000 else 0)\n";

/* Row i's name: the same short text for the first rows when short_first
** (few new texts, few bytes per row), else a long text of its own. */
static bool is_short(int i, bool short_first)
{
    return (i < 9000) == short_first;
}

static void run_rows(bool short_first)
{
    Buf csv = {0}, want = {0};
    buf_printf(&csv, "pid,name,x\n");
    buf_printf(&want, "pid,a,score,bonus_total,penalty_total,total,vetoes,grade,rank\n");
    for (int i = 0; i < ROWS; i++) {
        int x = i % 97;
        if (is_short(i, short_first))
            buf_printf(&csv, "P%06d," SAME_NAME ",%d\n", i, x);
        else
            buf_printf(&csv, "P%06d,某某单位某某部门的一位同事（第%d位）,%d\n", i, i, x);
        int a = x + (is_short(i, short_first) ? 1000 : 0);
        buf_printf(&want, "P%06d,%d,%d,0,0,%d,,,\n", i, a, a, a);
    }
    KtResult r = kt_run(scheme, (const char *const[]){"persons.csv", csv.p, NULL}, NULL);
    kt_expect_csv(r, want.p);
    kt_free(&r);
    free(csv.p);
    free(want.p);
}

/* Short rows first: the estimate is too high; the columns keep the room. */
Test(load_size, rows_shorter_at_first_load_as_written, .timeout = 60)
{
    run_rows(true);
}

/* Long rows first: the estimate is too low; doubling does the rest. */
Test(load_size, rows_longer_at_first_load_as_written, .timeout = 60)
{
    run_rows(false);
}
