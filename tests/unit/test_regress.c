/* Regression tests: one per bug found and fixed (see the comment above each). */
#include <criterion/criterion.h>
#include "kp_test_util.h"
#include "parse.h"
#include "resolve.h"

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})

static char *parse_diags(const char *text, int *ndecls)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    Source *s = source_from_mem("t.kp", text, strlen(text));
    Program *p = parse_program(&a, s, &d);
    *ndecls = p->decls.n;
    char *out = kt_diag_summary(&d);
    source_free(s);
    diags_free(&d);
    arena_free(&a);
    return out;
}

/* 1. syntax error on a token that cannot start a declaration: parser never returns */
Test(regress, parser_recovers_from_a_stray_token, .timeout = 3)
{
    int n;
    char *got = parse_diags("let = 1\nlet y = 2\n", &n);
    cr_expect_str_eq(got, "1:5: unexpected '=', expecting name\n");
    cr_expect_eq(n, 1);
    free(got);
}
Test(regress, parser_recovers_from_an_unclosed_block, .timeout = 3)
{
    int n;
    char *got = parse_diags("grades {\n", &n);
    cr_expect_str_eq(got,
                     "1:9: unexpected end of file, expecting 'override' or name or ';' or '}'\n");
    free(got);
}
Test(regress, non_associative_comparison_is_an_error, .timeout = 3)
{
    int n;
    char *got = parse_diags("let x = a == b == c\nlet y = 1\n", &n);
    cr_expect_str_eq(got, "1:16: unexpected '=='\n");
    free(got);
}

/* 2. "abc\" : the closing quote is escaped, the string is unterminated */
Test(regress, escaped_quote_does_not_close_a_string)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    Source *s = source_from_mem("t.kp", "\"abc\\\"", 6);
    lex_dump(&a, s, &d);
    char *got = kt_diag_summary(&d);
    cr_expect_str_eq(got, "1:1: unterminated string (missing '\"')\n");
    free(got);
    source_free(s);
    diags_free(&d);
    arena_free(&a);
}

/* 3. at most glued to a name */
Test(regress, at_most_glued_to_a_name_is_not_a_keyword)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    Source *s = source_from_mem("t.kp", "at mostly", 9);
    cr_expect_str_eq(lex_dump(&a, s, &d), "name@0-2 name@3-9");
    source_free(s);
    diags_free(&d);
    arena_free(&a);
}

/* 4. end of file reported at the last token when the file does not end in a newline */
Test(regress, end_of_file_is_reported_past_the_last_token)
{
    int n;
    char *got = parse_diags("let x = 1 +", &n);
    cr_expect_str_eq(got, "1:12: unexpected end of file\n");
    free(got);
}

/* 5. relation through navigation whose reference columns nothing else reads */
Test(regress, reverse_relation_through_navigation_alone)
{
    KtResult r = kt_run("table units key uid { }\n"
                        "table depts key did { unit -> units  dgrade: enum[\"优秀\", \"良好\"] }\n"
                        "table persons key pid { dept -> depts }\n"
                        "assess persons\n"
                        "indicator good = count(dept.unit.depts where dgrade == \"优秀\")\n",
                        FILES("units.csv", "uid\nU1\nU2\n", "depts.csv",
                              "did,unit,dgrade\nD1,U1,优秀\nD2,U1,良好\nD3,U2,优秀\nD4,U1,优秀\n",
                              "persons.csv", "pid,dept\nP1,D1\nP2,D2\nP3,D3\n"),
                        NULL);
    kt_expect_csv(r, "pid,good,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,2,2,0,0,2,,,\nP2,2,2,0,0,2,,,\nP3,1,1,0,0,1,,,\n");
    kt_free(&r);
}

/* 6. a let reading total sees the total before the adjustments */
Test(regress, let_reads_the_adjusted_total)
{
    KtResult r = kt_run("table persons key pid { }\nassess persons\nindicator s = 10\n"
                        "adjust double = total * 2\nlet t = total\n"
                        "grades by total desc { 甲 when t >= 15\n 乙 }\n",
                        FILES("persons.csv", "pid\nP1\n"), NULL);
    kt_expect_csv(r, "pid,s,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,10,10,0,0,20,,甲,1\n");
    kt_free(&r);
}

/* 7. an override does not lift a veto's "at most" cap */
Test(regress, override_respects_a_veto_cap)
{
    KtResult r = kt_run("table persons key pid { neg: bool  ov: text? }\nassess persons\n"
                        "indicator s = 10\nveto 负面 when neg => at most 称职\n"
                        "grades by total desc { override ov\n 优秀 quota 1\n 称职 }\n",
                        FILES("persons.csv", "pid,neg,ov\nP1,true,优秀\nP2,false,\n"), NULL);
    kt_expect_csv(r, "pid,s,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,10,10,0,0,10,负面,称职,1\n"
                     "P2,10,10,0,0,10,,优秀,2\n");
    kt_free(&r);
}

/* 8. one file imported through two relative paths */
Test(regress, same_file_through_two_paths_is_loaded_once)
{
    char *dir = kt_tmpdir();
    kt_write(dir, "scheme.kp",
             "import \"lib\"\nimport \"sub/more\"\ntable persons key pid { }\n"
             "assess persons\nindicator a = k\n");
    kt_write(dir, "sub/more.kp", "import \"../lib\"\n");
    kt_write(dir, "lib.kp", "param k = 4\n");
    kt_write(dir, "persons.csv", "pid\nP1\n");
    KtResult r = kt_run_dir(dir, NULL);
    kt_expect_csv(r, "pid,a,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,4,4,0,0,4,,,\n");
    kt_free(&r);
}

/* 9. an int key column was indexed by an empty text, so its second row was a
** "duplicate key ''"; it is indexed by the key as written */
Test(regress, int_keys_are_indexed_by_their_text)
{
    KtResult r = kt_run(
        "table depts key dept_id { dept_id: int }\n"
        "table persons key id { id: int\n dept -> depts\n x: decimal }\n"
        "assess persons\nindicator a = x\n",
        FILES("depts.csv", "dept_id\n1\n2\n", "persons.csv", "id,dept,x\n1,2,5\n2,1,6\n"), NULL);
    kt_expect_csv(r, "id,a,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "1,5,5,0,0,5,,,\n"
                     "2,6,6,0,0,6,,,\n");
    kt_free(&r);
}

/* Changes to a base scheme given straight to the resolver, without the
** extends merge (found by fuzzing): `remove indicator X` has no indicator to
** declare and crashed; it is now an error of its own. */
Test(regress, unmerged_changes_reach_the_resolver_as_errors)
{
    const char *text = "scheme \"派生\" extends \"base.kp\"\n"
                       "remove veto 违规\n"
                       "remove indicator 丁\n"
                       "replace indicator 甲 weight 50%\n"
                       "replace grades 优秀 quota 1\n";
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    Source *s = source_from_mem("t.kp", text, strlen(text));
    Program *p = parse_program(&a, s, &d);
    cr_assert_eq(d.nerrors, 0);
    ast_set_source(p);
    PtrVec programs = {0};
    ptrvec_push(&a, &programs, p);
    Model *m = resolve_scheme(&a, &d, &programs, NULL);
    cr_expect_null(m);
    char *got = kt_diag_summary(&d);
    cr_expect(strstr(got, "2:1: 'remove' changes a base scheme, but this one extends none") != NULL,
              "%s", got);
    cr_expect(strstr(got, "4:1: 'replace' changes a base scheme, but this one extends none") !=
                  NULL,
              "%s", got);
    free(got);
    if (m) resolve_free(m);
    source_free(s);
    diags_free(&d);
    arena_free(&a);
}
