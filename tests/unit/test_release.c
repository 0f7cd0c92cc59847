/*
** test_release.c — a run frees each column of the assessed table, and each
** aggregate over its rows, once the last value that reads it is computed
** (compute.c), and keeps what is read outside the values: a group's key, the
** grade override, a filter's column. Every reader still sees its data: the
** results are those worked out by hand.
*/
#include "kp_test_util.h"

#include "scheme.h"

static const char *const scheme = "table persons key pid {\n"
                                  "    kind: enum[\"甲\", \"乙\"]\n"
                                  "    a: decimal\n"
                                  "    b: decimal\n"
                                  "    c: int\n"
                                  "    flag: bool = false\n"
                                  "    over: text?\n"
                                  "}\n"
                                  "table cases key cid { handler -> persons  ok: bool }\n"
                                  "assess persons\n"
                                  "group 同类 = persons by kind\n"
                                  "let x = a * 2\n"
                                  "indicator i1 = x + c\n"
                                  "indicator i2 = max(同类.x)\n"
                                  "indicator i3 = count(cases where ok and handler.c > 0)\n"
                                  "bonus 加 = if b > 5 then 1 else 0\n"
                                  "veto 标记 when flag or b > 8 => 不称职\n"
                                  "grades by total desc {\n"
                                  "    override over\n"
                                  "    优秀 quota 1 require a > 1\n"
                                  "    称职\n"
                                  "    不称职\n"
                                  "}\n";

static const char *const persons_csv = "pid,kind,a,b,c,flag,over\n"
                                       "P1,甲,3,9,1,,\n"
                                       "P2,甲,2,6,0,,\n"
                                       "P3,乙,1,1,2,true,\n"
                                       "P4,乙,4,0,1,,称职\n";
static const char *const cases_csv = "cid,handler,ok\n"
                                     "C1,P1,true\n"
                                     "C2,P1,false\n"
                                     "C3,P2,true\n"
                                     "C4,P4,true\n"
                                     "C5,P4,true\n";

static Column *column(Model *m, const char *name)
{
    Table *t = m->assessed;
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i]->name, name) == 0) return t->cols[i];
    cr_assert_fail("no column %s", name);
    return NULL;
}

static bool stored(const Column *c)
{
    return c->num.small || c->num.narrow || c->num.wide || c->text || c->boolean || c->row;
}

/* A finished run of the scheme, in a directory of its own. */
typedef struct Ran {
    char *dir;
    Diags d;
    KpScheme *s;
} Ran;

/* Runs the scheme; keep: as kaoping run --coverage does. */
static Ran run(bool keep)
{
    Ran r = {kt_tmpdir(), {0}, NULL};
    diags_init(&r.d);
    kt_write(r.dir, "scheme.kp", scheme);
    kt_write(r.dir, "persons.csv", persons_csv);
    kt_write(r.dir, "cases.csv", cases_csv);
    char path[4096];
    snprintf(path, sizeof path, "%s/scheme.kp", r.dir);
    r.s = kp_compile(path, &r.d);
    cr_assert_not_null(r.s, "%s", kt_diag_summary(&r.d));
    if (keep) kp_keep_columns(r.s);
    cr_assert(kp_run(r.s, r.dir, &r.d), "%s", kt_diag_summary(&r.d));
    return r;
}

static void ran_free(Ran *r)
{
    kp_free(r->s);
    diags_free(&r->d);
    kt_rmdir(r->dir);
}

Test(release, columns_are_freed_after_their_last_reader)
{
    Ran r = run(false);
    Model *m = r.s->m;
    /* read by values only, the last of them the grade (veto, requirement) */
    cr_expect_not(stored(column(m, "a")));
    cr_expect_not(stored(column(m, "b")));
    cr_expect_not(stored(column(m, "flag")));
    /* read outside the values */
    cr_expect(stored(column(m, "kind")), "a group's key");
    cr_expect(stored(column(m, "over")), "the grade override");
    cr_expect(stored(column(m, "c")), "read by a filter as cases load");
    for (int i = 0; i < m->relaggs.n; i++)
        cr_expect_null(((RelAgg *)m->relaggs.items[i])->n, "the count is freed once read");
    /* and every reader saw its data */
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert(kp_write(r.s, f, KP_FORMAT_CSV, &r.d));
    fclose(f);
    cr_expect_str_eq(out, "pid,i1,i2,i3,加,score,bonus_total,penalty_total,total,vetoes,"
                          "eligible:优秀,grade,rank\n"
                          "P1,7,6,1,1,14,1,0,15,标记,true,不称职,2\n"
                          "P2,4,6,0,1,10,1,0,11,,true,优秀,4\n"
                          "P3,4,8,0,0,12,0,0,12,标记,false,不称职,3\n"
                          "P4,9,8,2,0,19,0,0,19,,true,称职,1\n");
    free(out);
    ran_free(&r);
}

Test(release, kept_columns_stay_for_coverage)
{
    Ran r = run(true);
    Model *m = r.s->m;
    const char *names[] = {"a", "b", "flag", "kind", "over", "c"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        cr_expect(stored(column(m, names[i])), "%s is kept", names[i]);
    for (int i = 0; i < m->relaggs.n; i++)
        cr_expect_not_null(((RelAgg *)m->relaggs.items[i])->n);
    KpCoverage c;
    cr_assert(kp_coverage(r.s, &c));
    kp_coverage_free(&c);
    ran_free(&r);
}
