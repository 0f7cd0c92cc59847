/*
** test_load_size.c — a stored table is sized from its first rows (load.c
** reserves its columns and the string table for the rows the file's size
** suggests). Whether the first rows are shorter or longer than the rest,
** so that the estimate is too high or too low, every row loads as written.
** The accumulators of the cases' aggregates, emptied ahead for the rows
** expected, serve when the estimate was enough and are replaced when not;
** a number column reserved ahead keeps its rows when a wide value arrives
** after the reservation.
*/
#include "kp_test_util.h"

#include "buf.h"

#define ROWS      30000
#define SAME_NAME "同名"

static const char *const scheme =
    "table persons key pid {\n"
    "    name: text\n"
    "    x: int\n"
    "    y: decimal\n"
    "}\n"
    "table cases key cid {\n"
    "    handler -> persons\n"
    "    amt: decimal\n"
    "}\n"
    "assess persons\n"
    "indicator a = x + (if name == \"" SAME_NAME "\" then 1000 else 0)\n"
    "indicator b = y\n"
    "indicator n = count(cases)\n"
    "indicator s = sum(cases, amt)\n"
    "indicator lo = if n > 0 then min(cases, amt) else -1\n";

/* Quarters written as the output writes decimals: "-2.5", "3", "0.75". */
static void put_quarters(Buf *b, int64_t q)
{
    static const char *const frac[] = {"", ".25", ".5", ".75"};
    uint64_t m = q < 0 ? (uint64_t)-q : (uint64_t)q;
    buf_printf(b, "%s%llu%s", q < 0 ? "-" : "", (unsigned long long)(m / 4), frac[m % 4]);
}

/* Row i's y in quarters: two values past what 4 and 8 bytes hold, after
** the reservation at row 8192. */
static int64_t y_quarters(int i)
{
    if (i == 20000) return 49382714;      /* 12345678.5 */
    if (i == 25000) return -399999999997; /* -99999999999.25 */
    return (i % 13) * 4 + 1;
}

/* Row i's name: the same short text for the first rows when short_first
** (few new texts, few bytes per row), else a long text of its own. */
static bool is_short(int i, bool short_first)
{
    return (i < 9000) == short_first;
}

static void run_rows(bool short_first)
{
    Buf csv = {0}, cases = {0}, want = {0};
    buf_printf(&csv, "pid,name,x,y\n");
    buf_printf(&cases, "cid,handler,amt\n");
    buf_printf(&want, "pid,a,b,n,s,lo,score,bonus_total,penalty_total,total,vetoes,grade,rank\n");
    for (int i = 0; i < ROWS; i++) {
        int x = i % 97;
        int64_t y = y_quarters(i);
        Buf yq = {0};
        put_quarters(&yq, y);
        if (is_short(i, short_first))
            buf_printf(&csv, "P%06d," SAME_NAME ",%d,%s\n", i, x, yq.p);
        else
            buf_printf(&csv, "P%06d,某某单位某某部门的一位同事（第%d位）,%d,%s\n", i, i, x, yq.p);
        /* Every third person has two cases: i % 7 + 0.5 and 1. */
        int64_t n = 0, sum = 0, lo = -4;
        if (i % 3 == 0) {
            buf_printf(&cases, "C%06da,P%06d,%d.5\n", i, i, i % 7);
            buf_printf(&cases, "C%06db,P%06d,1\n", i, i);
            n = 2;
            sum = (i % 7) * 4 + 2 + 4;
            lo = i % 7 == 0 ? 2 : 4;
        }
        int64_t a = x + (is_short(i, short_first) ? 1000 : 0);
        int64_t total = 4 * a + y + 4 * n + sum + lo;
        buf_printf(&want, "P%06d,%lld,%s,%lld,", i, (long long)a, yq.p, (long long)n);
        put_quarters(&want, sum);
        buf_printf(&want, ",");
        put_quarters(&want, lo);
        for (int k = 0; k < 2; k++) {
            buf_printf(&want, ",");
            put_quarters(&want, total);
            if (k == 0) buf_printf(&want, ",0,0");
        }
        buf_printf(&want, ",,,\n");
        free(yq.p);
    }
    KtResult r = kt_run(
        scheme, (const char *const[]){"persons.csv", csv.p, "cases.csv", cases.p, NULL}, NULL);
    kt_expect_csv(r, want.p);
    kt_free(&r);
    free(csv.p);
    free(cases.p);
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
