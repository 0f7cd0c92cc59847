/*
** test_expr_print.c — expr_print: the exact text of each kind of expression
** in the readable style (Chinese and English) and the source style, with
** only the parentheses precedence needs (plus the two kept for readers), and
** the round trip: every expression of the shipped schemes and the standard
** library, printed as source, parses back to the same tree and prints the
** same again.
*/
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_print.h"
#include "parse.h"

typedef struct Parsed {
    Arena arena;
    Source *src;
    Diags d;
    Program *p;
} Parsed;

static void parse_text(Parsed *ps, const char *text)
{
    arena_init(&ps->arena);
    diags_init(&ps->d);
    ps->src = source_from_mem("t.kp", text, strlen(text));
    cr_assert_not_null(ps->src);
    ps->p = parse_program(&ps->arena, ps->src, &ps->d);
}

static void parsed_free(Parsed *ps)
{
    diags_free(&ps->d);
    source_free(ps->src);
    arena_free(&ps->arena);
}

/* Parses "let x = <expr>" and returns the expression (asserting a clean parse). */
static Expr *parse_expr(Parsed *ps, const char *expr)
{
    char *text = NULL;
    cr_assert_geq(asprintf(&text, "let x = %s\n", expr), 0);
    parse_text(ps, text);
    free(text);
    char *diags = diags_render(&ps->d);
    cr_assert_eq(ps->d.n, 0, "\"%s\" does not parse:\n%s", expr, diags);
    free(diags);
    cr_assert_eq(ps->p->decls.n, 1);
    return ((Decl *)ps->p->decls.items[0])->expr;
}

typedef struct PrintCase {
    char in[96];
    char zh[128];
    char en[128];
    char src[112];
} PrintCase;

ParameterizedTestParameters(expr_print, styles)
{
    static PrintCase cases[] = {
        /* arithmetic: parentheses only where the tree needs them */
        {"1 + 2 * 3", "1 + 2 × 3", "1 + 2 × 3", "1 + 2 * 3"},
        {"(1 + 2) * 3", "(1 + 2) × 3", "(1 + 2) × 3", "(1 + 2) * 3"},
        {"((1 + 2)) - ((3))", "1 + 2 - 3", "1 + 2 - 3", "1 + 2 - 3"},
        {"1 - (2 - 3)", "1 - (2 - 3)", "1 - (2 - 3)", "1 - (2 - 3)"},
        {"1 - (2 + 3)", "1 - (2 + 3)", "1 - (2 + 3)", "1 - (2 + 3)"},
        {"(1 - 2) - 3", "1 - 2 - 3", "1 - 2 - 3", "1 - 2 - 3"},
        {"8 / (4 / 2)", "8 ÷ (4 ÷ 2)", "8 ÷ (4 ÷ 2)", "8 / (4 / 2)"},
        {"8 / (4 * 2)", "8 ÷ (4 × 2)", "8 ÷ (4 × 2)", "8 / (4 * 2)"},
        {"(8 / 4) * 2", "8 ÷ 4 × 2", "8 ÷ 4 × 2", "8 / 4 * 2"},
        {"a * (b + c) / d", "a × (b + c) ÷ d", "a × (b + c) ÷ d", "a * (b + c) / d"},
        /* unary minus */
        {"-a * b", "-a × b", "-a × b", "-a * b"},
        {"-(a * b)", "-(a × b)", "-(a × b)", "-(a * b)"},
        {"- -a", "-(-a)", "-(-a)", "-(-a)"},
        {"a - -b", "a - -b", "a - -b", "a - -b"},
        {"-a.b", "-a.b", "-a.b", "-a.b"},
        {"(-a).b", "(-a).b", "(-a).b", "(-a).b"},
        /* comparisons */
        {"a + 1 >= b * 2", "a + 1 ≥ b × 2", "a + 1 ≥ b × 2", "a + 1 >= b * 2"},
        {"a <= 1", "a ≤ 1", "a ≤ 1", "a <= 1"},
        {"a != 1", "a ≠ 1", "a ≠ 1", "a != 1"},
        {"a ≠ 1", "a ≠ 1", "a ≠ 1", "a != 1"},
        {"a == \"检察官\"", "a = “检察官”", "a = \"检察官\"", "a == \"检察官\""},
        {"(a == b) == c", "(a = b) = c", "(a = b) = c", "(a == b) == c"},
        {"a < (b < c)", "a < (b < c)", "a < (b < c)", "a < (b < c)"},
        /* logic */
        {"a and b and c", "a 且 b 且 c", "a and b and c", "a and b and c"},
        {"a and (b and c)", "a 且 (b 且 c)", "a and (b and c)", "a and (b and c)"},
        {"a or b or c", "a 或 b 或 c", "a or b or c", "a or b or c"},
        {"(a or b) and c", "(a 或 b) 且 c", "(a or b) and c", "(a or b) and c"},
        /* kept for readers: and inside or, a comparison under not */
        {"a and b or c", "(a 且 b) 或 c", "(a and b) or c", "(a and b) or c"},
        {"a or b and c", "a 或 (b 且 c)", "a or (b and c)", "a or (b and c)"},
        {"not a == b", "非 (a = b)", "not (a = b)", "not (a == b)"},
        {"not x in [1]", "非 (x 属于 [1])", "not (x in [1])", "not (x in [1])"},
        {"not a and b", "非 a 且 b", "not a and b", "not a and b"},
        {"not (a and b)", "非 (a 且 b)", "not (a and b)", "not (a and b)"},
        {"not not a", "非 非 a", "not not a", "not not a"},
        {"not a.b", "非 a.b", "not a.b", "not a.b"},
        /* in */
        {"x + 1 in [1, 2]", "x + 1 属于 [1, 2]", "x + 1 in [1, 2]", "x + 1 in [1, 2]"},
        {"(x in [1]) == y", "(x 属于 [1]) = y", "(x in [1]) = y", "(x in [1]) == y"},
        /* if-then-else */
        {"if a then b else c + d", "如果 a 那么 b 否则 c + d", "if a then b else c + d",
         "if a then b else c + d"},
        {"if a then 1 else if b then 2 else 3", "如果 a 那么 1 否则 如果 b 那么 2 否则 3",
         "if a then 1 else if b then 2 else 3", "if a then 1 else if b then 2 else 3"},
        {"1 + if a then 2 else 3", "1 + (如果 a 那么 2 否则 3)", "1 + (if a then 2 else 3)",
         "1 + (if a then 2 else 3)"},
        {"(if a then 2 else 3) * 4", "(如果 a 那么 2 否则 3) × 4", "(if a then 2 else 3) × 4",
         "(if a then 2 else 3) * 4"},
        {"if (if a then b else c) then 1 else 2", "如果 (如果 a 那么 b 否则 c) 那么 1 否则 2",
         "if (if a then b else c) then 1 else 2", "if (if a then b else c) then 1 else 2"},
        {"if a or b then x else y", "如果 a 或 b 那么 x 否则 y", "if a or b then x else y",
         "if a or b then x else y"},
        /* calls, aggregates, lists, fields: names as written */
        {"最小(120, 四舍五入(x / y, 2))", "最小(120, 四舍五入(x ÷ y, 2))",
         "最小(120, 四舍五入(x ÷ y, 2))", "最小(120, 四舍五入(x / y, 2))"},
        {"count(cases where k == \"疑难\")", "count(cases 其中 k = “疑难”)",
         "count(cases where k = \"疑难\")", "count(cases where k == \"疑难\")"},
        {"sum(cases, p * 2 where ok)", "sum(cases, p × 2 其中 ok)", "sum(cases, p × 2 where ok)",
         "sum(cases, p * 2 where ok)"},
        {"count(where x)", "count(其中 x)", "count(where x)", "count(where x)"},
        {"f()", "f()", "f()", "f()"},
        {"f(if a then 1 else 2, 3)", "f(如果 a 那么 1 否则 2, 3)", "f(if a then 1 else 2, 3)",
         "f(if a then 1 else 2, 3)"},
        {"count([q1, q2] == \"好\") >= 2", "count([q1, q2] = “好”) ≥ 2",
         "count([q1, q2] = \"好\") ≥ 2", "count([q1, q2] == \"好\") >= 2"},
        {"dept.unit.name", "dept.unit.name", "dept.unit.name", "dept.unit.name"},
        {"avg(同岗.办案数)", "avg(同岗.办案数)", "avg(同岗.办案数)", "avg(同岗.办案数)"},
        /* literals */
        {"20% + 0.50", "20% + 0.5", "20% + 0.5", "20% + 0.5"},
        {"12.5%", "12.5%", "12.5%", "12.5%"},
        {"true", "真", "true", "true"},
        {"假", "假", "false", "false"},
        {"\"a\\\"b\\\\c\\nd\"", "“a\"b\\c\\nd”", "\"a\"b\\c\\nd\"", "\"a\\\"b\\\\c\\nd\""},
        /* Chinese keywords in, the same tree out */
        {"如果 x 属于 [\"甲\"] 且 非 y 那么 1 否则 0", "如果 x 属于 [“甲”] 且 非 y 那么 1 否则 0",
         "if x in [\"甲\"] and not y then 1 else 0", "if x in [\"甲\"] and not y then 1 else 0"},
    };
    return cr_make_param_array(PrintCase, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(PrintCase *c, expr_print, styles)
{
    Parsed ps;
    Expr *e = parse_expr(&ps, c->in);
    cr_expect_str_eq(expr_print(&ps.arena, e, EXPR_READABLE, LANG_ZH), c->zh, "zh of %s", c->in);
    cr_expect_str_eq(expr_print(&ps.arena, e, EXPR_READABLE, LANG_EN), c->en, "en of %s", c->in);
    cr_expect_str_eq(expr_print(&ps.arena, e, EXPR_SOURCE, LANG_ZH), c->src, "source of %s", c->in);
    parsed_free(&ps);
}

Test(expr_print, percent_format)
{
    char buf[DEC_FMT_MAX + 2];
    Dec v;
    cr_assert_eq(dec_parse("0.2", 3, false, &v), DEC_OK);
    expr_format_percent(v, buf);
    cr_expect_str_eq(buf, "20%");
    cr_assert_eq(dec_parse("0.0625", 6, false, &v), DEC_OK);
    expr_format_percent(v, buf);
    cr_expect_str_eq(buf, "6.25%");
    expr_format_percent(dec_from_int(1), buf);
    cr_expect_str_eq(buf, "100%");
    /* too large to be written as a percent: the number itself */
    Dec big;
    cr_assert_eq(dec_parse("100000000000000000000000000", 27, false, &big), DEC_OK);
    expr_format_percent(big, buf);
    cr_expect_str_eq(buf, "100000000000000000000000000");
}

/* ---- round trip over every expression of the shipped rule files ---- */

typedef struct Trip {
    Arena *arena;
    const char *path;
    int checked;
} Trip;

static void round_trip(Expr *e, void *ctx)
{
    Trip *t = ctx;
    char *src = expr_print(t->arena, e, EXPR_SOURCE, LANG_ZH);
    char *want = ast_dump_expr(t->arena, e);
    Parsed ps;
    Expr *back = parse_expr(&ps, src);
    cr_expect_str_eq(ast_dump_expr(&ps.arena, back), want, "%s: \"%s\" parses differently", t->path,
                     src);
    cr_expect_str_eq(expr_print(&ps.arena, back, EXPR_SOURCE, LANG_ZH), src,
                     "%s: printing \"%s\" again differs", t->path, src);
    /* The readable forms exist for every expression. */
    cr_expect_gt(strlen(expr_print(&ps.arena, back, EXPR_READABLE, LANG_ZH)), 0);
    cr_expect_gt(strlen(expr_print(&ps.arena, back, EXPR_READABLE, LANG_EN)), 0);
    parsed_free(&ps);
    t->checked++;
}

Test(expr_print, round_trip_of_shipped_schemes)
{
    glob_t g;
    const char *patterns[] = {"rules/*.kp", "examples/*/*.kp", "stdlib/*.kp",
                              "tests/golden/*/*.kp"};
    int files = 0, checked = 0;
    for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
        if (glob(patterns[k], 0, NULL, &g) != 0) continue;
        for (size_t i = 0; i < g.gl_pathc; i++) {
            const char *err = NULL;
            Source *src = source_load(g.gl_pathv[i], &err);
            cr_assert_not_null(src, "%s: %s", g.gl_pathv[i], err);
            Arena a;
            arena_init(&a);
            Diags d;
            diags_init(&d);
            Program *p = parse_program(&a, src, &d);
            cr_assert_eq(d.nerrors, 0, "%s does not parse", g.gl_pathv[i]);
            Trip t = {&a, g.gl_pathv[i], 0};
            ast_walk(p, round_trip, &t);
            checked += t.checked;
            files++;
            diags_free(&d);
            arena_free(&a);
            source_free(src);
        }
        globfree(&g);
    }
    /* Run from the repository root, as `make unit` does. */
    cr_expect_geq(files, 10, "only %d rule files found", files);
    cr_expect_geq(checked, 500, "only %d expressions checked", checked);
}
