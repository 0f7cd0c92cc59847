/*
** test_fold_part.c — an aggregate's filter over cases taken apart per value
** of a coded column (fold_part.c): what is worked out per value, and that
** the counts and the row at which an empty filter is reported are those of
** the whole filter evaluated on every row.
*/
#include "kp_test_util.h"

#include "fold_part.h"
#include "scheme.h"

static const char *const scheme =
    "param p1 = 1\n"
    "param p2 = 2\n"
    "param p3 = 3\n"
    "table persons key pid { d: int }\n"
    "table cases key cid {\n"
    "    handler -> persons\n"
    "    kind: enum[\"A\", \"B\", \"C\", \"D\"]\n"
    "    days: int\n"
    "    ok: bool\n"
    "}\n"
    "assess persons\n"
    "indicator late = count(cases where (kind == \"A\" and days > p1) or (kind == \"B\" and days > "
    "p2) or (kind in [\"C\", \"D\"] and days > p3))\n"
    "indicator not_a = count(cases where not (kind == \"A\") or days > 5)\n"
    "indicator ok_long = count(cases where ok and days > 3)\n"
    "indicator absent_b = count(cases where kind == \"B\" and not ok)\n"
    "indicator ratio = count(cases where kind == \"A\" and days / handler.d > 2)\n";

/* Case id's kind, days and ok: every combination, mixed within and across
** batches of rows (700 cases of P1, d = 1). */
#define NCASES 700
static int kind_of(int id)
{
    return (id * 5 + id / 7) % 4;
}
static int days_of(int id)
{
    return id * 7 % 11;
}
static bool ok_of(int id)
{
    return id % 3 == 0;
}

static char *cases_csv(void)
{
    static const char *const kinds[] = {"A", "B", "C", "D"};
    size_t cap = 64 * NCASES, len = 0;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    len += (size_t)snprintf(s + len, cap - len, "cid,handler,kind,days,ok\n");
    for (int id = 0; id < NCASES; id++)
        len += (size_t)snprintf(s + len, cap - len, "C%03d,P1,%s,%d,%s\n", id, kinds[kind_of(id)],
                                days_of(id), ok_of(id) ? "是" : "否");
    return s;
}

/* The counts worked out from the rows above, filter by filter. */
static void expected(int *late, int *not_a, int *ok_long, int *absent_b, int *ratio)
{
    *late = *not_a = *ok_long = *absent_b = *ratio = 0;
    for (int id = 0; id < NCASES; id++) {
        int k = kind_of(id), days = days_of(id);
        bool ok = ok_of(id);
        *late += (k == 0 && days > 1) || (k == 1 && days > 2) || (k >= 2 && days > 3);
        *not_a += k != 0 || days > 5;
        *ok_long += ok && days > 3;
        *absent_b += k == 1 && !ok;
        *ratio += k == 0 && days > 2;
    }
}

static const RelAgg *agg_of(const Model *m, const char *filter_start)
{
    for (int i = 0; i < m->relaggs.n; i++) {
        const RelAgg *ag = m->relaggs.items[i];
        const Source *src = ag->where->src;
        if (strncmp(src->text + ag->where->span.start, filter_start, strlen(filter_start)) == 0)
            return ag;
    }
    cr_assert_fail("no aggregate filtered by %s", filter_start);
    return NULL;
}

/* Index of a kind among the enumeration's values, as FilterParts numbers them. */
static uint16_t value_at(const Model *m, const FilterParts *p, const char *text)
{
    uint32_t id = intern_find(m->strings, text, strlen(text));
    cr_assert(id != 0, "%s is not interned", text);
    return p->index[id];
}

Test(fold_part, each_value_is_answered_or_left_its_part)
{
    char *dir = kt_tmpdir(), *csv = cases_csv();
    kt_write(dir, "scheme.kp", scheme);
    kt_write(dir, "persons.csv", "pid,d\nP1,1\n");
    kt_write(dir, "cases.csv", csv);
    char path[4096];
    snprintf(path, sizeof path, "%s/scheme.kp", dir);
    Diags d;
    diags_init(&d);
    KpScheme *s = kp_compile(path, &d);
    cr_assert_not_null(s, "%s", kt_diag_summary(&d));
    kp_keep_columns(s);
    cr_assert(kp_run(s, dir, &d), "%s", kt_diag_summary(&d));
    Model *m = s->m;

    /* each kind leaves its own comparison, C and D the same one; an empty
    ** kind leaves the whole filter */
    const FilterParts *late = agg_of(m, "(kind == \"A\"")->parts;
    cr_assert_not_null(late);
    cr_expect_eq(late->ngroups, 4);
    uint16_t a = value_at(m, late, "A"), b = value_at(m, late, "B"), c = value_at(m, late, "C"),
             dd = value_at(m, late, "D");
    cr_expect_eq(late->answer[a], 3);
    cr_expect_eq(late->answer[b], 3);
    cr_expect_neq(late->group[a], late->group[b]);
    cr_expect_eq(late->group[c], late->group[dd]);
    cr_expect_eq(late->answer[late->null_at], 3);
    cr_expect_eq(late->left[late->group[late->null_at]], agg_of(m, "(kind == \"A\"")->where);
    cr_expect_neq(late->left[late->group[a]], agg_of(m, "(kind == \"A\"")->where);

    /* not (kind == "A") or ...: true for every kind but A */
    const FilterParts *not_a = agg_of(m, "not (kind")->parts;
    cr_assert_not_null(not_a);
    cr_expect_eq(not_a->answer[value_at(m, not_a, "A")], 3);
    cr_expect_eq(not_a->answer[value_at(m, not_a, "B")], 1);
    cr_expect_eq(not_a->answer[value_at(m, not_a, "D")], 1);

    /* a truth value as the coded column */
    const FilterParts *ok_long = agg_of(m, "ok and days")->parts;
    cr_assert_not_null(ok_long);
    cr_expect(ok_long->is_bool);
    cr_expect_eq(ok_long->answer[0], 0);
    cr_expect_eq(ok_long->answer[1], 3);

    /* wholly answered by the coded columns: two of them, so neither a
    ** lookup nor parts answer it all, and the other column is left */
    const RelAgg *absent_b = agg_of(m, "kind == \"B\" and not ok");
    cr_expect_null(absent_b->lookup);
    cr_assert_not_null(absent_b->parts);
    cr_expect_eq(absent_b->parts->answer[value_at(m, absent_b->parts, "A")], 0);

    /* a division left over could fail: the filter is evaluated whole */
    cr_expect_null(agg_of(m, "kind == \"A\" and days /")->parts);

    int w[5];
    expected(&w[0], &w[1], &w[2], &w[3], &w[4]);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert(kp_write(s, f, KP_FORMAT_CSV, &d));
    fclose(f);
    char want[512];
    int total = w[0] + w[1] + w[2] + w[3] + w[4];
    snprintf(want, sizeof want,
             "pid,late,not_a,ok_long,absent_b,ratio,score,bonus_total,penalty_total,total,vetoes,"
             "grade,rank\nP1,%d,%d,%d,%d,%d,%d,0,0,%d,,,\n",
             w[0], w[1], w[2], w[3], w[4], total, total);
    cr_expect_str_eq(out, want);
    free(out);
    kp_free(s);
    diags_free(&d);
    free(csv);
    kt_rmdir(dir);
}

/* Two rows whose filter is empty, the first through what a value left (an
** empty day), the second through an empty kind (the whole filter): the
** first one is reported, as evaluating the whole filter on every row does. */
Test(fold_part, an_empty_filter_is_reported_at_its_first_row)
{
    KtResult r = kt_run("table persons key pid { }\n"
                        "table cases key cid { handler -> persons  kind: enum[\"A\", \"B\"]?  "
                        "days: int? }\n"
                        "assess persons\n"
                        "indicator n = count(cases where (kind == \"A\" and days > 1) or (kind "
                        "== \"B\" and days > 2))\n",
                        (const char *const[]){"persons.csv", "pid\nP1\n", "cases.csv",
                                              "cid,handler,kind,days\nC1,P1,B,9\nC2,P1,A,\n"
                                              "C3,P1,,1\n",
                                              NULL},
                        NULL);
    char want[4200];
    snprintf(want, sizeof want,
             "the filter is empty (it uses a value that is absent) (%s/cases.csv:3)", r.dir);
    kt_expect_error(r, KT_RUN_FAILED, want);
    kt_free(&r);
}

/* An empty kind makes `kind == "A"` absent, and with it the whole `and` or
** `or` whatever the other side is: the filter is empty at that row. */
static void expect_empty_at_empty_kind(const char *filter)
{
    char scheme_text[512];
    snprintf(scheme_text, sizeof scheme_text,
             "param on: bool = true\n"
             "table persons key pid { }\n"
             "table cases key cid { handler -> persons  kind: enum[\"A\", \"B\"]?  days: int }\n"
             "assess persons\n"
             "indicator n = count(cases where %s)\n",
             filter);
    KtResult r = kt_run(scheme_text,
                        (const char *const[]){"persons.csv", "pid\nP1\n", "cases.csv",
                                              "cid,handler,kind,days\nC1,P1,B,9\nC2,P1,A,0\n"
                                              "C3,P1,,0\nC4,P1,,5\n",
                                              NULL},
                        NULL);
    char want[4200];
    snprintf(want, sizeof want,
             "the filter is empty (it uses a value that is absent) (%s/cases.csv:4)", r.dir);
    kt_expect_error(r, KT_RUN_FAILED, want);
    kt_free(&r);
}

Test(fold_part, an_empty_kind_empties_an_and_or_an_or)
{
    expect_empty_at_empty_kind("kind == \"A\" and days > 1");
    expect_empty_at_empty_kind("kind == \"B\" or days > 1");
    expect_empty_at_empty_kind("(kind == \"A\" and days > 1) or (kind == \"B\" and days > 2)");
    /* the other side answered (true) though it is not the column's alone */
    expect_empty_at_empty_kind("kind == \"A\" and (on or days > 5)");
}
