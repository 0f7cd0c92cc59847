/*
** test_diff.c — two schemes on one load of the data (kp_run_both) and their
** comparison (kp_diff): the second scheme's tables share the first one's
** storage while each folds its own aggregates; values the two compute alike
** are computed once (the second borrows the first one's column) and values
** that read a changed param are not; columns declared in another order are
** aligned; mismatched tables are reported at both places; and the causes
** of each change, worked out by hand, in the terminal summary.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp_test_util.h"
#include "scheme.h"

typedef struct Pair {
    char *dir;
    Diags d;
    KpScheme *a, *b;
    bool ran;
} Pair;

/* Writes old.kp, new.kp and the CSV files (NULL-terminated name/text pairs),
** compiles new beside old, applies sets (NULL-terminated) to new and runs both. */
static Pair pair_run(const char *old_kp, const char *new_kp, const char *const *files,
                     const char *const *sets)
{
    Pair p = {kt_tmpdir(), {0}, NULL, NULL, false};
    diags_init(&p.d);
    kt_write(p.dir, "old.kp", old_kp);
    kt_write(p.dir, "new.kp", new_kp);
    for (int i = 0; files[i]; i += 2)
        kt_write(p.dir, files[i], files[i + 1]);
    char path[4096];
    snprintf(path, sizeof path, "%s/old.kp", p.dir);
    p.a = kp_compile(path, &p.d);
    cr_assert_not_null(p.a, "old.kp: %s", kt_first_error(&p.d));
    snprintf(path, sizeof path, "%s/new.kp", p.dir);
    p.b = kp_compile_beside(path, p.a, &p.d);
    if (!p.b) return p;
    for (int i = 0; sets && sets[i]; i++)
        cr_assert(kp_set_param(p.b, sets[i], &p.d), "%s", kt_first_error(&p.d));
    p.ran = kp_run_both(p.a, p.b, p.dir, &p.d);
    return p;
}

static void pair_free(Pair *p)
{
    kp_free(p->b);
    kp_free(p->a);
    diags_free(&p->d);
    kt_rmdir(p->dir);
}

static char *write_run(KpScheme *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    Diags d;
    diags_init(&d);
    cr_assert(kp_write(s, f, KP_FORMAT_CSV, &d));
    fclose(f);
    diags_free(&d);
    return out;
}

static ValueDef *value_named(Model *m, const char *name)
{
    for (int i = 0; i < m->nvalues; i++)
        if (strcmp(m->values[i]->name, name) == 0) return m->values[i];
    cr_assert_fail("no value %s", name);
    return NULL;
}

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define SETS(...)  ((const char *const[]){__VA_ARGS__, NULL})

static const char persons_csv[] = "pid,s,dept\nP1,90,D1\nP2,80,D1\nP3,70,D2\n";
static const char cases_csv[] = "cid,who,kind\nC1,P1,a\nC2,P1,b\nC3,P2,a\nC4,P3,b\nC5,P3,b\n";

#define TABLES                                                                                     \
    "table persons key pid { s: decimal  dept: text }\n"                                           \
    "table cases key cid { who -> persons  kind: text }\n"                                         \
    "assess persons\n"

Test(diff, one_load_two_sets_of_aggregates)
{
    Pair p = pair_run(TABLES "let n = count(cases where kind == \"a\")\nindicator x = s + n\n",
                      TABLES "let n = count(cases where kind == \"b\")\nindicator x = s + n\n",
                      FILES("persons.csv", persons_csv, "cases.csv", cases_csv), NULL);
    cr_assert(p.ran, "%s", kt_first_error(&p.d));
    /* the second scheme reads the first one's columns, not a copy */
    Table *ta = p.a->m->assessed, *tb = p.b->m->assessed;
    cr_expect_eq(tb->nrows, 3);
    cr_expect_eq(tb->key_text, ta->key_text);
    cr_expect_eq(tb->cols[1]->num.small, ta->cols[1]->num.small);
    /* each folded its own filter over the cases, in the same pass */
    char *a = write_run(p.a), *b = write_run(p.b);
    cr_expect_str_eq(a, "pid,x,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                        "P1,91,91,0,0,91,,,\nP2,81,81,0,0,81,,,\nP3,70,70,0,0,70,,,\n");
    cr_expect_str_eq(b, "pid,x,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                        "P1,91,91,0,0,91,,,\nP2,80,80,0,0,80,,,\nP3,72,72,0,0,72,,,\n");
    free(a);
    free(b);
    pair_free(&p);
}

#define GRADED                                                                                     \
    TABLES "param 线 = 75\nparam 比例: percent = 50%\n"                                         \
           "let n = count(cases)\nlet bonus_base = n * 2\n"                                        \
           "indicator x = s\nbonus 办案 = bonus_base cap 3\n"                                    \
           "grades by total desc {\n    优秀 quota floor(比例 * 3)\n"                          \
           "    称职 when total >= 线\n    不称职\n}\n"

Test(diff, alike_values_are_computed_once)
{
    Pair p = pair_run(GRADED, GRADED, FILES("persons.csv", persons_csv, "cases.csv", cases_csv),
                      SETS("比例=70%"));
    cr_assert(p.ran, "%s", kt_first_error(&p.d));
    Model *a = p.a->m, *b = p.b->m;
    /* nothing but the quota reads 比例: every value is borrowed, grades are not */
    const char *alike[] = {"n", "bonus_base", "x", "办案", "score", "bonus_total", "total"};
    for (size_t i = 0; i < sizeof alike / sizeof alike[0]; i++) {
        ValueDef *vb = value_named(b, alike[i]);
        cr_expect(vb->borrowed && vb->twin == value_named(a, alike[i]), "%s", alike[i]);
    }
    cr_expect_eq(value_named(b, "total")->num.small, value_named(a, "total")->num.small);
    cr_expect(!b->v_grade->borrowed);
    cr_expect_neq(b->v_grade->text, a->v_grade->text);
    pair_free(&p);
}

Test(diff, values_reading_a_changed_param_are_computed_again)
{
    const char *scheme = TABLES "param k = 2\nlet n = count(cases)\nlet m = n * k\n"
                                "indicator x = s + m\n";
    Pair p = pair_run(scheme, scheme, FILES("persons.csv", persons_csv, "cases.csv", cases_csv),
                      SETS("k=3"));
    cr_assert(p.ran, "%s", kt_first_error(&p.d));
    Model *b = p.b->m;
    cr_expect(value_named(b, "n")->borrowed);
    cr_expect(!value_named(b, "m")->borrowed);
    cr_expect(!value_named(b, "x")->borrowed);
    cr_expect(!b->v_total->borrowed);
    char *out = write_run(p.b);
    cr_expect_str_eq(out, "pid,x,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                          "P1,96,96,0,0,96,,,\nP2,83,83,0,0,83,,,\nP3,76,76,0,0,76,,,\n");
    free(out);
    pair_free(&p);
}

Test(diff, columns_in_another_order_are_aligned)
{
    Pair p = pair_run(TABLES "indicator x = s + count(cases where kind == \"b\")\n",
                      "table cases key cid { kind: text  who -> persons }\n"
                      "table persons key pid { dept: text  s: decimal }\n"
                      "assess persons\nindicator x = s + count(cases where kind == \"b\") * 10\n",
                      FILES("persons.csv", persons_csv, "cases.csv", cases_csv), NULL);
    cr_assert(p.ran, "%s", kt_first_error(&p.d));
    Table *tb = p.b->m->assessed;
    cr_expect_str_eq(tb->cols[1]->name, "s");
    cr_expect_eq(tb->cols[1]->index, 1);
    char *b = write_run(p.b);
    cr_expect_str_eq(b, "pid,x,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                        "P1,100,100,0,0,100,,,\nP2,80,80,0,0,80,,,\nP3,90,90,0,0,90,,,\n");
    free(b);
    pair_free(&p);
}

Test(diff, mismatched_tables_are_reported_at_both_places)
{
    Pair p = pair_run(TABLES "indicator x = s + count(cases)\n",
                      "table persons key pid { s: int  dept: text }\n"
                      "table cases key cid { who -> persons  kind: text }\n"
                      "assess persons\nindicator x = s + count(cases)\n",
                      FILES("persons.csv", persons_csv, "cases.csv", cases_csv), NULL);
    cr_assert(!p.ran);
    char *sum = kt_diag_summary(&p.d);
    char want[8192];
    snprintf(want, sizeof want,
             "1:25: column 's' of table persons is int here but decimal in %s/old.kp; both "
             "schemes read the same data, so their tables must match\n"
             "1:25: note: 's' is declared here as decimal\n",
             p.dir);
    cr_expect_str_eq(sum, want);
    free(sum);
    pair_free(&p);
}

/* ---- the comparison ---- */

#define VOTERS                                                                                     \
    "table persons key pid { s: decimal  b: decimal  v: bool  q: enum[\"好\", \"一般\"] }\n"

static char *diff_text(Pair *p, KpDiffFormat fmt)
{
    KpDiffInfo info = {"old.kp", "new.kp", NULL, 0, 20};
    KpDiff *df = kp_diff(p->a, p->b, &info, &p->d);
    cr_assert_not_null(df, "%s", kt_first_error(&p->d));
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert(kp_diff_write(df, f, fmt));
    fclose(f);
    kp_diff_free(df);
    return out;
}

Test(diff, causes_worked_out_by_hand)
{
    /* P1 becomes eligible (s >= 95) and takes the first 优秀 place;
    ** P2's bonus is capped at 3, not 5, but P2 keeps the second place;
    ** P3 ranks third: one place was taken before it, now both are;
    ** P4's veto is gone, so its 70 earns 称职;
    ** P5 falls under the new veto: ungraded instead of 不称职 (45 < 60). */
    Pair p = pair_run(VOTERS "assess persons\nindicator 分 = s\nbonus 奖 = b cap 5\n"
                             "veto 违纪 when v => 不称职\n"
                             "grades by total desc {\n    优秀 quota 2 require q == \"好\"\n"
                             "    称职 when total >= 60\n    不称职\n}\n",
                      VOTERS "assess persons\nindicator 分 = s\nbonus 奖 = b cap 3\n"
                             "veto 新否决 when s < 50 => ungraded\n"
                             "grades by total desc {\n"
                             "    优秀 quota 2 require q == \"好\" or s >= 95\n"
                             "    称职 when total >= 60\n    不称职\n}\n",
                      FILES("persons.csv", "pid,s,b,v,q\nP1,95,0,否,一般\nP2,90,4,否,好\n"
                                           "P3,92,0,否,好\nP4,70,0,是,好\nP5,45,0,否,好\n"),
                      NULL);
    cr_assert(p.ran, "%s", kt_first_error(&p.d));
    char *out = diff_text(&p, KP_DIFF_TEXT);
    cr_expect_str_eq(
        out,
        "kaoping diff: 5 persons\n"
        "  old  old.kp\n"
        "  new  new.kp\n"
        "\n"
        "4 persons change grade; 1 total changes.\n"
        "\n"
        "Grade transitions (rows: old grade, columns: new grade)\n"
        "            优秀  称职  不称职  不定等次\n"
        "  优秀         1     1       0         0\n"
        "  称职         1     0       0         0\n"
        "  不称职       0     1       0         1\n"
        "  不定等次     0     0       0         0\n"
        "\n"
        "Grades of everyone (the grading has no group), old → new\n"
        "  unit   persons  changes  优秀   称职  不称职  不定等次\n"
        "  (all)        5        4     2  1 → 2   2 → 0     0 → 1\n"
        "\n"
        "Largest movements of the total\n"
        "  P2  94  → 93  -1  优秀\n"
        "\n"
        "Persons who change grade (4)\n"
        "  P1  称职 → 优秀  total 95 → 95 (0)  rank 1 → 1\n"
        "      eligible for 优秀: no → yes\n"
        "  P3  优秀 → 称职  total 92 → 92 (0)  rank 3 → 3\n"
        "      quota of 优秀: rank 3, 2 places, 1 taken before → rank 3, 2 places, 2 taken before\n"
        "  P4  不称职 → 称职  total 70 → 70 (0)  rank 4 → 4\n"
        "      veto 违纪: fired, => 不称职 → (not in the new scheme)\n"
        "  P5  不称职 → 不定等次  total 45 → 45 (0)  rank 5 → 5\n"
        "      veto 新否决: (not in the old scheme) → fired, ungraded\n");
    free(out);
    /* one row per person; the items: 分 (weight 1) and the capped bonus */
    out = diff_text(&p, KP_DIFF_CSV);
    const char *csv = "pid,old_total,new_total,delta_total,old_grade,new_grade,grade_changed,"
                      "old_rank,new_rank,old_vetoes,new_vetoes,indicator:分,bonus:奖,causes\n";
    cr_expect(strncmp(out, csv, strlen(csv)) == 0, "%s", out);
    cr_expect(strstr(out, "\nP2,94,93,-1,优秀,优秀,false,2,2,,,0,-1,\n"), "%s", out);
    cr_expect(strstr(out, "\nP4,70,70,0,不称职,称职,true,4,4,违纪,,0,0,\"veto 违纪: fired, => "
                          "不称职 → (not in the new scheme)\"\n"),
              "%s", out);
    free(out);
    pair_free(&p);
}

Test(diff, html_escapes_data_text)
{
    const char *scheme = "table persons key pid { s: decimal  unit: text }\nassess persons\n"
                         "param 线 = 60\ngroup 单位 = persons by unit\nindicator x = s\n"
                         "grades within 单位 by total desc {\n    称职 when total >= 线\n"
                         "    不称职\n}\n";
    Pair p = pair_run(scheme, scheme,
                      FILES("persons.csv", "pid,s,unit\n\"<script>alert(1)</script>\",70,A&B\n"
                                           "\"P'2\"\"\",50,A&B\n"),
                      SETS("线=80"));
    cr_assert(p.ran, "%s", kt_first_error(&p.d));
    char *html = diff_text(&p, KP_DIFF_HTML);
    cr_expect_null(strstr(html, "<script>alert"), "data text reached the page unescaped");
    cr_expect_not_null(strstr(html, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
    cr_expect_not_null(strstr(html, "<td>A&amp;B</td>"));
    cr_expect_null(strstr(html, "A&B"));
    /* one <script> element: the page's own */
    const char *first = strstr(html, "<script>");
    cr_assert_not_null(first);
    cr_expect_null(strstr(first + 1, "<script>"));
    free(html);
    char *csv = diff_text(&p, KP_DIFF_CSV);
    cr_expect_not_null(strstr(csv, "\n\"P'2\"\"\",50,50,0,"), "%s", csv);
    free(csv);
    pair_free(&p);
}
