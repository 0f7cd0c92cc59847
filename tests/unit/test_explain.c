/*
** test_explain.c — explanations through the library (kp_explain,
** kp_write_explanations, kp_has_person): that explaining never evaluates
** what the run did not (the untaken side of an `if`, the right side of an
** `and` that the left side decided), the quota counts "given before" a
** person's turn per group and with overrides, the split of an eligibility
** condition at `and`, the summary sentence for each way a grade is decided,
** formula text as written, and that the JSON of one person is its line of
** the JSON Lines file.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp_test_util.h"

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})

typedef struct Explained {
    char *text;  /* kp_explain's result, or NULL */
    char *diags; /* rendered diagnostics */
    char *lines; /* kp_write_explanations' output, when asked for */
} Explained;

/* Runs scheme on files and explains person id (NULL: only the JSON Lines). */
static Explained explain(const char *scheme, const char *const *files, const char *id, KpLang lang,
                         bool json, bool all)
{
    Explained out = {0};
    char *dir = kt_tmpdir();
    kt_write(dir, "scheme.kp", scheme);
    for (int i = 0; files[i]; i += 2)
        kt_write(dir, files[i], files[i + 1]);
    char path[4096];
    snprintf(path, sizeof path, "%s/scheme.kp", dir);
    Diags d;
    diags_init(&d);
    KpScheme *s = kp_compile(path, &d);
    cr_assert_not_null(s, "compile failed");
    kp_keep_values(s);
    cr_assert(kp_run(s, dir, &d), "run failed");
    if (id) out.text = kp_explain(s, id, lang, json, &d);
    if (all) {
        size_t len = 0;
        FILE *f = open_memstream(&out.lines, &len);
        cr_assert(kp_write_explanations(s, f, lang, &d));
        fclose(f);
    }
    out.diags = diags_render(&d);
    kp_free(s);
    diags_free(&d);
    kt_rmdir(dir);
    return out;
}

static void explained_free(Explained *e)
{
    free(e->text);
    free(e->diags);
    free(e->lines);
}

#define expect_has(text, piece)                                                                    \
    cr_expect(strstr((text), (piece)) != NULL, "missing: %s\nin:\n%s", (piece), (text))
#define expect_lacks(text, piece)                                                                  \
    cr_expect(strstr((text), (piece)) == NULL, "unexpected: %s\nin:\n%s", (piece), (text))

/* ---- only what the run evaluated ---- */

Test(explain, untaken_branches_are_not_evaluated)
{
    /* n = 0: x / n would divide by zero; the run never evaluated it */
    Explained e =
        explain("table persons key pid { n: int  x: decimal }\n"
                "assess persons\n"
                "let 人均 = if n > 0 then x / n else 0\n"
                "let 达标 = n > 0 and x / n > 1\n"
                "let 任一 = n == 0 or x / n > 1\n"
                "output 人均, 达标, 任一\n"
                "indicator 分 = x\n",
                FILES("persons.csv", "pid,n,x\nP1,0,5\n"), "P1", KP_LANG_ZH, false, false);
    cr_assert_not_null(e.text, "%s", e.diags);
    expect_has(e.text, "  人均 = 0  [");
    expect_has(e.text, "    如果 n > 0: 不成立, 取\"否则\"\n");
    expect_has(e.text, "  达标 = 否  [");
    expect_has(e.text, "  任一 = 是  [");
    /* the right sides were not read, so x is not among the inputs of 达标 or 任一 */
    expect_has(e.text, "    公式: n > 0 and x / n > 1\n    输入 n = 0\n  任一");
    expect_has(e.text, "    公式: n == 0 or x / n > 1\n    输入 n = 0\n\n");
    explained_free(&e);
}

Test(explain, inputs_in_reading_order_each_once_with_their_rules)
{
    Explained e =
        explain("param 基数 = 2\n"
                "table persons key pid { a, b: decimal }\n"
                "assess persons\n"
                "let 和 = a + b\n"
                "indicator 分 = 和 * 基数 + a + 和\n",
                FILES("persons.csv", "pid,a,b\nP1,1,2\n"), "P1", KP_LANG_EN, false, false);
    cr_assert_not_null(e.text, "%s", e.diags);
    expect_has(e.text, "    formula: 和 * 基数 + a + 和\n"
                       "    input 和 = 3  [");
    expect_has(e.text, "scheme.kp:4]\n    input 基数 = 2  [");
    expect_has(e.text, "scheme.kp:1]\n    input a = 1\n  score = 分 10 = 10\n");
    explained_free(&e);
}

Test(explain, formula_text_as_written_on_one_line)
{
    Explained e =
        explain("table persons key pid { a, b: decimal }\n"
                "assess persons\n"
                "indicator 分 = max(a,    # the first\n"
                "                  b)     // and the second\n"
                "bonus 标记 = if a > 0 then 1 else 0\n",
                FILES("persons.csv", "pid,a,b\nP1,1,2\n"), "P1", KP_LANG_ZH, false, false);
    cr_assert_not_null(e.text, "%s", e.diags);
    expect_has(e.text, "    公式: max(a, b)\n");
    explained_free(&e);
}

/* ---- grading ---- */

static const char *const pool_scheme =
    "table persons key pid { team: text  s: decimal  good: int  ov: text? }\n"
    "assess persons\n"
    "group 组 = persons by team\n"
    "indicator 分 = s\n"
    "grades within 组 by total desc, pid asc {\n"
    "    override ov\n"
    "    优秀 quota 2 require good >= 1 and s > 50 and s < 100\n"
    "    称职 when total >= 60\n"
    "    不称职\n"
    "}\n";

/* Team 甲: A1 (override 优秀, ranked last), A2, A3 not eligible, A4, A5.
** Team 乙 has its own two places. */
static const char *const pool_data = "pid,team,s,good,ov\n"
                                     "A1,甲,61,0,优秀\n"
                                     "A2,甲,95,1,\n"
                                     "A3,甲,90,0,\n"
                                     "A4,甲,85,1,\n"
                                     "A5,甲,80,1,\n"
                                     "B1,乙,70,1,\n";

Test(explain, quota_given_before_counts_overrides_and_earlier_ranks_in_the_group)
{
    struct {
        const char *id, *used, *summary;
    } cases[] = {
        {"A2", "排在本人之前已评优秀 1 个, 剩余 1 个",
         "结论: 组内第 1 名 (共 5 人); 优秀名额 2 个, 排名在名额内且符合条件, 评为优秀\n"},
        {"A3", "排在本人之前已评优秀 2 个, 剩余 0 个",
         "结论: 组内第 2 名 (共 5 人); 优秀名额 2 个, 已由排名在前的人用完; 不符合优秀的条件: "
         "good >= 1 不成立 (good = 0); total >= 60 成立 (total = 90), 评为称职\n"},
        {"A4", "排在本人之前已评优秀 2 个, 剩余 0 个", "已由排名在前的人用完"},
        /* the override's own place is not one given before it */
        {"A1", "排在本人之前已评优秀 1 个, 剩余 1 个",
         "结论: 等次由 ov 列指定为优秀, 占用组内的优秀名额\n"},
        {"B1", "排在本人之前已评优秀 0 个, 剩余 2 个", "组内第 1 名 (共 1 人)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Explained e = explain(pool_scheme, FILES("persons.csv", pool_data), cases[i].id, KP_LANG_ZH,
                              false, false);
        cr_assert_not_null(e.text, "%s", e.diags);
        expect_has(e.text, cases[i].used);
        expect_has(e.text, cases[i].summary);
        explained_free(&e);
    }
}

Test(explain, eligibility_is_split_at_and_and_stops_at_the_first_part_that_fails)
{
    Explained e =
        explain(pool_scheme, FILES("persons.csv", pool_data), "A3", KP_LANG_EN, false, false);
    cr_assert_not_null(e.text, "%s", e.diags);
    expect_has(e.text, "  优秀: not eligible  [");
    expect_has(e.text, "    good >= 1: does not hold  [");
    expect_has(e.text, "scheme.kp:7]\n"
                       "      input good = 0\n"
                       "    s > 50: not checked (an earlier part does not hold)\n"
                       "    s < 100: not checked (an earlier part does not hold)\n");
    /* eligibility is looked at before the quota, as in grading */
    expect_has(e.text, "  grade by grade:\n    优秀: not eligible  [");
    expect_has(e.text, "scheme.kp:7]\n      good >= 1: does not hold  [");
    expect_has(e.text, "scheme.kp:7]\n    称职: given  [");
    explained_free(&e);
}

Test(explain, summary_for_each_way_a_grade_is_decided)
{
    const char *scheme = "table persons key pid { s: decimal  a, b, c: bool }\n"
                         "assess persons\n"
                         "indicator 分 = s\n"
                         "veto 违纪 when a => 不称职\n"
                         "veto 试用 when b => ungraded\n"
                         "veto 负面 when c => at most 称职\n"
                         "grades by total desc {\n"
                         "    优秀 when total >= 90\n"
                         "    称职 when total >= 60\n"
                         "    不称职\n"
                         "}\n";
    const char *data = "pid,s,a,b,c\n"
                       "P1,95,true,true,false\n"
                       "P2,95,false,true,true\n"
                       "P3,95,false,false,true\n"
                       "P4,40,false,false,false\n";
    struct {
        const char *id, *summary;
    } cases[] = {
        /* a forced grade wins over ungraded, as in grading */
        {"P1", "result: veto '违纪' fired: the grade is set to 不称职\n"},
        {"P2", "result: veto '试用' fired: no grade is given\n"},
        {"P3", "result: rank 3 of 4; veto '负面' caps the grade at 称职; total >= 60 holds "
               "(total = 95), so 称职\n"},
        {"P4", "result: rank 4 of 4; total >= 90 does not hold (total = 40); total >= 60 does "
               "not hold (total = 40); so 不称职\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Explained e =
            explain(scheme, FILES("persons.csv", data), cases[i].id, KP_LANG_EN, false, false);
        cr_assert_not_null(e.text, "%s", e.diags);
        expect_has(e.text, cases[i].summary);
        explained_free(&e);
    }
}

Test(explain, no_grades_block)
{
    Explained e =
        explain("table persons key pid { s: decimal }\nassess persons\nindicator 分 = s\n",
                FILES("persons.csv", "pid,s\nP1,7\n"), "P1", KP_LANG_ZH, false, false);
    cr_assert_not_null(e.text, "%s", e.diags);
    expect_has(e.text, "结论: 总分 7, 方案不评定等次\n");
    expect_has(e.text, "【等次】\n  方案没有等次块, 不评定等次\n");
    expect_lacks(e.text, "【一票否决】");
    explained_free(&e);
}

/* ---- persons and the JSON form ---- */

Test(explain, unknown_person_is_reported_with_the_nearest_key)
{
    Explained e =
        explain(pool_scheme, FILES("persons.csv", pool_data), "A22", KP_LANG_ZH, false, false);
    cr_expect_null(e.text);
    cr_expect_str_eq(e.diags, "--id: error: no row of persons has pid \"A22\" (did you mean "
                              "\"A2\"?)\n");
    explained_free(&e);
    e = explain(pool_scheme, FILES("persons.csv", pool_data), "张三", KP_LANG_ZH, false, false);
    cr_expect_null(e.text);
    cr_expect_str_eq(e.diags, "--id: error: no row of persons has pid \"张三\"\n");
    explained_free(&e);
}

Test(explain, json_of_one_person_is_its_line_of_the_json_lines)
{
    Explained e =
        explain(pool_scheme, FILES("persons.csv", pool_data), "A4", KP_LANG_EN, true, true);
    cr_assert_not_null(e.text, "%s", e.diags);
    /* sorted by key: A1 A2 A3 A4 A5 B1 */
    const char *line = e.lines;
    for (int i = 0; i < 3; i++)
        line = strchr(line, '\n') + 1;
    size_t len = strlen(e.text);
    cr_expect(strncmp(line, e.text, len) == 0, "line 4: %.*s", (int)len, line);
    cr_expect_eq(e.text[len - 1], '\n');
    expect_has(e.text, "{\"id\":\"A4\",\"table\":\"persons\",\"key\":\"pid\",");
    expect_has(e.text, "\"grade\":\"称职\",\"summary\":\"rank 3 of 5 in 组; quota of 优秀: 2, all "
                       "taken by those ranked before; total >= 60 holds (total = 85), so 称职\"");
    expect_has(e.text, "\"quota\":2,\"given_before\":2}]");
    int lines = 0;
    for (const char *p = e.lines; *p; p++)
        lines += *p == '\n';
    cr_expect_eq(lines, 6);
    explained_free(&e);
}
