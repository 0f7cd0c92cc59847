/*
** test_grade.c — grading end to end: vetoes (forced grade, at most,
** ungraded, and which wins when several fire), quotas per group computed
** with floor/round/ceil, the rank order (declared keys, then the key column
** ascending), eligibility, caps, overrides, the rank column, and the
** runtime errors of grading. Expected grades were worked out by hand from
** docs/language.md.
*/
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp_test_util.h"

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})

#define HEADER "pid,分,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"

/* ---- vetoes ---- */

Test(grade, veto_effects)
{
    KtResult r = kt_run("table persons key pid { s: decimal  v1, v2, v3: bool }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "veto 违纪 when v1 => 不称职\n"
                        "veto 负面 when v2 => at most 称职\n"
                        "veto 试用 when v3 => ungraded\n"
                        "grades by total desc {\n"
                        "    优秀 when total >= 90\n"
                        "    称职 when total >= 60\n"
                        "    基本称职 when total >= 50\n"
                        "    不称职\n"
                        "}\n",
                        FILES("persons.csv", "pid,s,v1,v2,v3\n"
                                             "P1,95,false,false,false\n"
                                             "P2,95,false,true,false\n"
                                             "P3,95,false,false,true\n"
                                             "P4,95,true,false,false\n"
                                             "P5,55,false,true,false\n"
                                             "P6,95,true,false,true\n"
                                             "P7,95,false,true,true\n"),
                        NULL);
    /* P2: capped at 称职. P5: the cap is above what the total earns anyway.
    ** P6: a forced grade wins over ungraded. P7: ungraded wins over a cap. */
    kt_expect_csv(r, HEADER "P1,95,95,0,0,95,,优秀,1\n"
                            "P2,95,95,0,0,95,负面,称职,2\n"
                            "P3,95,95,0,0,95,试用,不定等次,3\n"
                            "P4,95,95,0,0,95,违纪,不称职,4\n"
                            "P5,55,55,0,0,55,负面,基本称职,7\n"
                            "P6,95,95,0,0,95,违纪;试用,不称职,5\n"
                            "P7,95,95,0,0,95,负面;试用,不定等次,6\n");
    kt_free(&r);
}

Test(grade, several_vetoes_of_a_kind)
{
    KtResult r = kt_run("table persons key pid { s: decimal  a, b, c, d: bool }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "一票否决 f1 当 a => 称职\n"
                        "veto f2 when b => 不称职\n"
                        "veto c1 when c => at most 称职\n"
                        "veto c2 when d => 至多 基本称职\n"
                        "grades by total desc {\n"
                        "    优秀 when total >= 90\n"
                        "    称职 when total >= 60\n"
                        "    基本称职 when total >= 50\n"
                        "    不称职\n"
                        "}\n",
                        FILES("persons.csv", "pid,s,a,b,c,d\n"
                                             "P1,95,true,true,false,false\n"
                                             "P2,95,false,false,true,true\n"
                                             "P3,95,true,false,false,true\n"
                                             "P4,40,false,false,true,false\n"
                                             "P5,40,true,false,false,false\n"),
                        NULL);
    /* P1: the lowest forced grade. P2: the lowest cap. P3: forced beats a cap.
    ** P4: a cap never raises a grade. P5: a forced grade ignores the total. */
    kt_expect_csv(r, HEADER "P1,95,95,0,0,95,f1;f2,不称职,1\n"
                            "P2,95,95,0,0,95,c1;c2,基本称职,2\n"
                            "P3,95,95,0,0,95,f1;c2,称职,3\n"
                            "P4,40,40,0,0,40,c1,不称职,4\n"
                            "P5,40,40,0,0,40,f1,称职,5\n");
    kt_free(&r);
}

/* ---- quotas ---- */

typedef struct QuotaCase {
    char fn[24];
    int qa, qb; /* quota in group A (5 persons) and B (4 persons) at 30% */
} QuotaCase;

ParameterizedTestParameters(grade, quota_per_group)
{
    static QuotaCase cases[] = {
        {"floor", 1, 1}, /* 1.5 -> 1, 1.2 -> 1 */
        {"round", 2, 1}, /* 1.5 -> 2, 1.2 -> 1 */
        {"ceil", 2, 2},  /* 1.5 -> 2, 1.2 -> 2 */
        {"去尾", 1, 1},  {"四舍五入", 2, 1}, {"进一", 2, 2},
    };
    return cr_make_param_array(QuotaCase, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(QuotaCase *c, grade, quota_per_group)
{
    char scheme[512];
    snprintf(scheme, sizeof scheme,
             "table persons key pid { g: text  s: decimal }\n"
             "assess persons\n"
             "group G = persons by g\n"
             "param r: percent = 30%%\n"
             "indicator 分 = s\n"
             "grades within G by total desc {\n"
             "    优秀 quota %s(r * count(G))\n"
             "    合格\n"
             "}\n",
             c->fn);
    /* Rows in no particular order; the rank decides. */
    KtResult r = kt_run(scheme,
                        FILES("persons.csv", "pid,g,s\nQ3,B,70\nP2,A,80\nP5,A,50\nQ1,B,90\n"
                                             "P1,A,90\nQ4,B,60\nP3,A,70\nQ2,B,80\nP4,A,60\n"),
                        NULL);
    /* Group A: P1..P5 scored 90, 80, 70, 60, 50; group B: Q1..Q4 scored 90..60. */
    char want[1024];
    int n = snprintf(want, sizeof want, "%s", HEADER);
    for (int i = 1; i <= 5; i++)
        n += snprintf(want + n, sizeof want - (size_t)n, "P%d,%d,%d,0,0,%d,,%s,%d\n", i,
                      100 - 10 * i, 100 - 10 * i, 100 - 10 * i, i <= c->qa ? "优秀" : "合格", i);
    for (int i = 1; i <= 4; i++)
        n += snprintf(want + n, sizeof want - (size_t)n, "Q%d,%d,%d,0,0,%d,,%s,%d\n", i,
                      100 - 10 * i, 100 - 10 * i, 100 - 10 * i, i <= c->qb ? "优秀" : "合格", i);
    kt_expect_csv(r, want);
    kt_free(&r);
}

Test(grade, quota_as_in_the_documentation)
{
    /* 20% of the unit's persons, rounded down, plus one per excellent department. */
    KtResult r =
        kt_run("table units key uid { }\n"
               "table depts key did { unit -> units  dgrade: enum[\"优秀\", \"良好\"] }\n"
               "table persons key pid { dept -> depts  s: decimal }\n"
               "assess persons\n"
               "group 单位 = persons by dept.unit\n"
               "param 优秀比例: percent = 20%\n"
               "indicator 分 = s\n"
               "grades within 单位 by total desc, pid asc {\n"
               "    优秀 quota floor(优秀比例 * count(单位)) + count(dept.unit.depts where dgrade "
               "== \"优秀\")\n"
               "    称职\n"
               "}\n",
               FILES("units.csv", "uid\nU1\nU2\n", "depts.csv",
                     "did,unit,dgrade\nD1,U1,优秀\nD2,U1,良好\nD3,U2,良好\n", "persons.csv",
                     "pid,dept,s\nP1,D1,90\nP2,D1,80\nP3,D2,70\nP4,D2,60\nP5,D2,50\nP6,D1,40\n"
                     "Q1,D3,90\nQ2,D3,80\n"),
               NULL);
    /* U1: floor(20% * 6) + 1 = 2; U2: floor(20% * 2) + 0 = 0. */
    kt_expect_csv(r, HEADER "P1,90,90,0,0,90,,优秀,1\n"
                            "P2,80,80,0,0,80,,优秀,2\n"
                            "P3,70,70,0,0,70,,称职,3\n"
                            "P4,60,60,0,0,60,,称职,4\n"
                            "P5,50,50,0,0,50,,称职,5\n"
                            "P6,40,40,0,0,40,,称职,6\n"
                            "Q1,90,90,0,0,90,,称职,1\n"
                            "Q2,80,80,0,0,80,,称职,2\n");
    kt_free(&r);
}

Test(grade, quota_may_differ_between_groups)
{
    KtResult r = kt_run("table persons key pid { g: text  s: decimal  n: int }\n"
                        "assess persons\n"
                        "group G = persons by g\n"
                        "indicator 分 = s\n"
                        "grades within G by total desc { 优秀 quota n\n 合格 }\n",
                        FILES("persons.csv", "pid,g,s,n\nP1,A,10,1\nP2,A,20,1\nP3,B,10,2\n"
                                             "P4,B,20,2\nP5,B,30,2\n"),
                        NULL);
    kt_expect_csv(r, HEADER "P1,10,10,0,0,10,,合格,2\n"
                            "P2,20,20,0,0,20,,优秀,1\n"
                            "P3,10,10,0,0,10,,合格,3\n"
                            "P4,20,20,0,0,20,,优秀,2\n"
                            "P5,30,30,0,0,30,,优秀,1\n");
    kt_free(&r);
}

Test(grade, quota_grade_with_a_condition)
{
    KtResult r = kt_run("table persons key pid { s: decimal }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades by total desc { 优秀 quota 2 when total >= 90\n 合格 }\n",
                        FILES("persons.csv", "pid,s\nP1,95\nP2,85\nP3,80\n"), NULL);
    /* Two places, but only one person meets the condition. */
    kt_expect_csv(r, HEADER "P1,95,95,0,0,95,,优秀,1\n"
                            "P2,85,85,0,0,85,,合格,2\n"
                            "P3,80,80,0,0,80,,合格,3\n");
    kt_free(&r);
}

/* ---- rank order ---- */

Test(grade, ties_follow_declared_keys_then_key_ascending)
{
    KtResult r = kt_run(
        "table persons key pid { s: decimal  t: int }\n"
        "assess persons\n"
        "indicator 分 = s\n"
        "grades by total desc, t asc {\n"
        "    优秀 quota 2\n"
        "    合格\n"
        "}\n",
        FILES("persons.csv", "pid,s,t\nP1,90,3\nP2,90,1\nP3,90,1\nP4,95,9\nP10,90,1\n"), NULL);
    /* Order: P4 (95), then the 90s by t ascending, P10 < P2 < P3 by key
    ** (byte order), and P1 (t = 3) last. */
    kt_expect_csv(r, HEADER "P1,90,90,0,0,90,,合格,5\n"
                            "P10,90,90,0,0,90,,优秀,2\n"
                            "P2,90,90,0,0,90,,合格,3\n"
                            "P3,90,90,0,0,90,,合格,4\n"
                            "P4,95,95,0,0,95,,优秀,1\n");
    kt_free(&r);
}

Test(grade, without_keys_the_key_column_orders)
{
    KtResult r = kt_run("table persons key pid { s: decimal }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades { 优秀 quota 1\n 合格 }\n",
                        FILES("persons.csv", "pid,s\nP3,99\nP2,98\nP1,1\n"), NULL);
    kt_expect_csv(r, HEADER "P1,1,1,0,0,1,,优秀,1\n"
                            "P2,98,98,0,0,98,,合格,2\n"
                            "P3,99,99,0,0,99,,合格,3\n");
    kt_free(&r);
}

Test(grade, text_and_ascending_keys)
{
    KtResult r =
        kt_run("table persons key pid { team: text  s: decimal }\n"
               "assess persons\n"
               "indicator 分 = s\n"
               "grades by team desc, total { 优秀 quota 2\n 合格 }\n",
               FILES("persons.csv", "pid,team,s\nP1,A,1\nP2,B,30\nP3,B,20\nP4,A,0\n"), NULL);
    /* team descending (B first), then total ascending. */
    kt_expect_csv(r, HEADER "P1,1,1,0,0,1,,合格,4\n"
                            "P2,30,30,0,0,30,,优秀,2\n"
                            "P3,20,20,0,0,20,,优秀,1\n"
                            "P4,0,0,0,0,0,,合格,3\n");
    kt_free(&r);
}

/* Totals past 9.2 million do not fit the 64-bit sort keys: the order is
** then worked out from the values themselves, and is the same. */
Test(grade, totals_too_large_for_64_bit_keys_rank_the_same)
{
    KtResult r =
        kt_run("table persons key pid { s: decimal }\n"
               "assess persons\n"
               "indicator 分 = s\n"
               "grades by total desc { 优秀 quota 1\n 合格 }\n",
               FILES("persons.csv", "pid,s\nP1,9300000\nP2,9300000.5\nP3,-9300001\nP4,7\n"), NULL);
    kt_expect_csv(r, HEADER "P1,9300000,9300000,0,0,9300000,,合格,2\n"
                            "P2,9300000.5,9300000.5,0,0,9300000.5,,优秀,1\n"
                            "P3,-9300001,-9300001,0,0,-9300001,,合格,4\n"
                            "P4,7,7,0,0,7,,合格,3\n");
    kt_free(&r);
}

/* Dates, the table key descending, and absent values (last, whatever the
** direction). */
Test(grade, date_keys_absent_values_and_the_key_descending)
{
    KtResult r = kt_run("table persons key pid { s: decimal  d: date? }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades by d desc, pid desc { 合格 }\n",
                        FILES("persons.csv", "pid,s,d\nP1,1,2020-01-02\nP2,1,\nP3,1,2021-05-01\n"
                                             "P4,1,2020-01-02\nP5,1,\n"),
                        NULL);
    /* P3 (latest), then P4, P1 (same date, key descending), then the
    ** absent dates P5, P2. */
    kt_expect_csv(r, HEADER "P1,1,1,0,0,1,,合格,3\n"
                            "P2,1,1,0,0,1,,合格,5\n"
                            "P3,1,1,0,0,1,,合格,1\n"
                            "P4,1,1,0,0,1,,合格,2\n"
                            "P5,1,1,0,0,1,,合格,4\n");
    kt_free(&r);
}

/* The table key ascending as the last key: ties go by the key's text, in
** whatever order the rows come. */
Test(grade, the_table_key_ascending_last_orders_ties_by_its_text)
{
    KtResult r = kt_run("table persons key pid { s: decimal }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades by 分 desc, pid asc { 优 quota 2\n 合格 }\n",
                        FILES("persons.csv", "pid,s\nP3,5\nP10,5\nP2,7\nP1,5\n"), NULL);
    /* P2 (7), then the fives by text: P1, P10, P3 */
    kt_expect_csv(r, HEADER "P1,5,5,0,0,5,,优,2\n"
                            "P10,5,5,0,0,5,,合格,3\n"
                            "P2,7,7,0,0,7,,优,1\n"
                            "P3,5,5,0,0,5,,合格,4\n");
    kt_free(&r);
}

/* A key of whole numbers ascending orders ties as numbers (9 before 10),
** though the rows are written in the key's text order (10 before 9). */
Test(grade, a_whole_number_key_ascending_last_orders_ties_as_numbers)
{
    KtResult r = kt_run("table persons key id { id: int  s: decimal }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades by 分 desc, id asc { 优 quota 1\n 合格 }\n",
                        FILES("persons.csv", "id,s\n9,5\n10,5\n100,5\n"), NULL);
    kt_expect_csv(r, "id,分,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "10,5,5,0,0,5,,合格,2\n"
                     "100,5,5,0,0,5,,合格,3\n"
                     "9,5,5,0,0,5,,优,1\n");
    kt_free(&r);
}

/* A text key that is not the table key ranks by its text; absent last. */
Test(grade, text_keys_with_absent_values)
{
    KtResult r =
        kt_run("table persons key pid { team: text?  s: decimal }\n"
               "assess persons\n"
               "indicator 分 = s\n"
               "grades by team asc, total desc { 合格 }\n",
               FILES("persons.csv", "pid,team,s\nP1,乙,1\nP2,,9\nP3,甲,2\nP4,乙,3\n"), NULL);
    /* Texts compare by their UTF-8 bytes: 乙 (E4 B9 99) before 甲 (E7 94 B2). */
    kt_expect_csv(r, HEADER "P1,1,1,0,0,1,,合格,2\n"
                            "P2,9,9,0,0,9,,合格,4\n"
                            "P3,2,2,0,0,2,,合格,3\n"
                            "P4,3,3,0,0,3,,合格,1\n");
    kt_free(&r);
}

/* ---- eligibility, caps, overrides ---- */

Test(grade, ineligible_person_is_skipped_without_using_the_quota)
{
    KtResult r =
        kt_run("table persons key pid { s: decimal  ok: bool }\n"
               "assess persons\n"
               "indicator 分 = s\n"
               "grades by total desc {\n"
               "    优秀 quota 1 require ok\n"
               "    合格\n"
               "}\n",
               FILES("persons.csv", "pid,s,ok\nP1,95,false\nP2,90,true\nP3,80,true\n"), NULL);
    kt_expect_csv(r,
                  "pid,分,score,bonus_total,penalty_total,total,vetoes,eligible:优秀,grade,rank\n"
                  "P1,95,95,0,0,95,,false,合格,1\n"
                  "P2,90,90,0,0,90,,true,优秀,2\n"
                  "P3,80,80,0,0,80,,true,合格,3\n");
    kt_free(&r);
}

Test(grade, cap_keeps_a_person_from_a_quota_grade)
{
    KtResult r =
        kt_run("table persons key pid { s: decimal  neg: bool }\n"
               "assess persons\n"
               "indicator 分 = s\n"
               "veto 负面 when neg => at most 合格\n"
               "grades by total desc { 优秀 quota 1\n 合格 }\n",
               FILES("persons.csv", "pid,s,neg\nP1,95,true\nP2,90,false\nP3,80,false\n"), NULL);
    kt_expect_csv(r, HEADER "P1,95,95,0,0,95,负面,合格,1\n"
                            "P2,90,90,0,0,90,,优秀,2\n"
                            "P3,80,80,0,0,80,,合格,3\n");
    kt_free(&r);
}

Test(grade, override_counts_against_the_quota)
{
    KtResult r = kt_run("table persons key pid { s: decimal  ov: text?  bad: bool }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "veto 违纪 when bad => 不合格\n"
                        "grades by total desc {\n"
                        "    override ov\n"
                        "    优秀 quota 1\n"
                        "    合格 when total >= 60\n"
                        "    不合格\n"
                        "}\n",
                        FILES("persons.csv", "pid,s,ov,bad\n"
                                             "P1,95,,false\n"
                                             "P2,70,优秀,false\n"
                                             "P3,50,合格,false\n"
                                             "P4,40,,false\n"
                                             "P5,99,优秀,true\n"),
                        NULL);
    /* P2's override takes the only 优秀 place, so P1 (best total) gets 合格;
    ** P3's override holds although its total misses the condition; P5's
    ** forced grade decides before its override, which then takes no place. */
    kt_expect_csv(r, HEADER "P1,95,95,0,0,95,,合格,2\n"
                            "P2,70,70,0,0,70,,优秀,3\n"
                            "P3,50,50,0,0,50,,合格,4\n"
                            "P4,40,40,0,0,40,,不合格,5\n"
                            "P5,99,99,0,0,99,违纪,不合格,1\n");
    kt_free(&r);
}

/* ---- runtime errors ---- */

Test(grade, quota_must_be_whole)
{
    KtResult r =
        kt_run("table persons key pid { g: text  s: decimal }\n"
               "assess persons\n"
               "group G = persons by g\n"
               "indicator 分 = s\n"
               "grades within G by total desc { 优秀 quota 30% * count(G)\n 合格 }\n",
               FILES("persons.csv", "pid,g,s\nP1,A,1\nP2,A,2\nP3,A,3\nP4,A,4\nP5,A,5\n"), NULL);
    kt_expect_error(r, KT_RUN_FAILED,
                    "the quota of '优秀' must be a whole number of persons, not 1.5 (round it with "
                    "floor, round or ceil) (persons P1)");
    cr_expect_eq(r.nerrors, 1);
    kt_free(&r);
}

Test(grade, quota_must_not_be_negative)
{
    KtResult r = kt_run("table persons key pid { s: decimal }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades { 优秀 quota s - 3\n 合格 }\n",
                        FILES("persons.csv", "pid,s\nP1,1\n"), NULL);
    kt_expect_error(r, KT_RUN_FAILED,
                    "the quota of '优秀' must be a whole number of persons, not -2 (round it with "
                    "floor, round or ceil) (persons P1)");
    kt_free(&r);
}

Test(grade, quota_must_be_the_same_within_a_group)
{
    KtResult r = kt_run("table persons key pid { g: text  s: decimal  n: int }\n"
                        "assess persons\n"
                        "group G = persons by g\n"
                        "indicator 分 = s\n"
                        "grades within G by total desc { 优秀 quota n\n 合格 }\n",
                        FILES("persons.csv", "pid,g,s,n\nP1,A,10,1\nP3,B,10,5\nP2,A,20,2\n"), NULL);
    kt_expect_error(r, KT_RUN_FAILED,
                    "the quota of '优秀' differs within one group: 2 here, 1 for P1 (persons P2)");
    kt_free(&r);
}

Test(grade, override_must_name_a_grade)
{
    KtResult r = kt_run("table persons key pid { s: decimal  ov: text? }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades by total desc {\n"
                        "    override ov\n"
                        "    优秀 quota 1\n"
                        "    合格\n"
                        "}\n",
                        FILES("persons.csv", "pid,s,ov\nP1,1,\nP2,2,特等\n"), NULL);
    kt_expect_error(r, KT_RUN_FAILED,
                    "override \"特等\" in column 'ov' is not a grade (persons P2)");
    kt_free(&r);
}

Test(grade, overrides_cannot_exceed_the_quota)
{
    KtResult r = kt_run("table persons key pid { s: decimal  ov: text? }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades by total desc {\n"
                        "    override ov\n"
                        "    优秀 quota 1\n"
                        "    合格\n"
                        "}\n",
                        FILES("persons.csv", "pid,s,ov\nP1,1,优秀\nP2,2,优秀\nP3,3,\n"), NULL);
    kt_expect_error(
        r, KT_RUN_FAILED,
        "more persons are set to '优秀' by override than its quota allows (persons P2)");
    kt_free(&r);
}

Test(grade, no_grade_applies)
{
    KtResult r = kt_run("table persons key pid { s: decimal }\n"
                        "assess persons\n"
                        "indicator 分 = s\n"
                        "grades by total desc {\n"
                        "    优秀 when total >= 90\n"
                        "    合格 when total >= 60\n"
                        "}\n",
                        FILES("persons.csv", "pid,s\nP1,95\nP2,50\nP3,70\n"), NULL);
    kt_expect_error(r, KT_RUN_FAILED,
                    "no grade applies to this person (total 50); give the last grade no condition "
                    "(persons P2)");
    cr_expect_eq(r.nwarnings, 1, "the scheme is warned about when it is checked");
    kt_free(&r);
}

Test(grade, rank_is_the_position_within_the_grading_group)
{
    KtResult r =
        kt_run("table persons key pid { g: text  s: decimal }\n"
               "assess persons\n"
               "group G = persons by g\n"
               "indicator 分 = s\n"
               "grades within G by total desc { 合格 }\n",
               FILES("persons.csv", "pid,g,s\nP1,A,5\nP2,B,7\nP3,A,9\nP4,B,7\nP5,A,5\n"), NULL);
    /* Equal totals still get distinct positions, in key order. */
    kt_expect_csv(r, HEADER "P1,5,5,0,0,5,,合格,2\n"
                            "P2,7,7,0,0,7,,合格,1\n"
                            "P3,9,9,0,0,9,,合格,1\n"
                            "P4,7,7,0,0,7,,合格,2\n"
                            "P5,5,5,0,0,5,,合格,3\n");
    kt_free(&r);
}
