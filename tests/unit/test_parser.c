/*
** test_parser.c — parse_program and ast_dump_expr: operator precedence and
** associativity, the fields of every kind of declaration, indicator trees,
** grade blocks, vetoes, and syntax errors: exact messages and recovery
** (several errors in one file, each reported once, parsing resumes).
*/
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp_test_util.h"
#include "parse.h"

typedef struct Parsed {
    Arena arena;
    Source *src;
    Diags d;
    Program *p;
    char *diags; /* kt_diag_summary, malloc'd */
} Parsed;

static void parse(Parsed *ps, const char *text)
{
    arena_init(&ps->arena);
    diags_init(&ps->d);
    ps->src = source_from_mem("t.kp", text, strlen(text));
    cr_assert_not_null(ps->src);
    ps->p = parse_program(&ps->arena, ps->src, &ps->d);
    cr_assert_not_null(ps->p);
    ps->diags = kt_diag_summary(&ps->d);
}

/* Parses text and asserts that there was no diagnostic. */
static void parse_ok(Parsed *ps, const char *text)
{
    parse(ps, text);
    cr_assert_str_eq(ps->diags, "", "unexpected diagnostics for \"%s\"", text);
}

static void parsed_free(Parsed *ps)
{
    free(ps->diags);
    diags_free(&ps->d);
    source_free(ps->src);
    arena_free(&ps->arena);
}

static Decl *decl(const Parsed *ps, int i)
{
    cr_assert_lt(i, ps->p->decls.n, "only %d declarations", ps->p->decls.n);
    return ps->p->decls.items[i];
}

static const char *dump(Parsed *ps, const Expr *e)
{
    cr_assert_not_null(e);
    return ast_dump_expr(&ps->arena, e);
}

static void expect_span(Span sp, uint32_t start, uint32_t end)
{
    cr_expect_eq(sp.start, start, "span start %u, want %u", sp.start, start);
    cr_expect_eq(sp.end, end, "span end %u, want %u", sp.end, end);
}

/* ---- expressions: precedence and associativity ---- */

typedef struct ExprCase {
    char src[112];
    char want[160];
} ExprCase;

ParameterizedTestParameters(parser, expressions)
{
    static ExprCase cases[] = {
        /* arithmetic */
        {"1 + 2 * 3", "(+ 1 (* 2 3))"},
        {"1 * 2 + 3", "(+ (* 1 2) 3)"},
        {"1 - 2 - 3", "(- (- 1 2) 3)"},
        {"1 - 2 + 3", "(+ (- 1 2) 3)"},
        {"8 / 4 / 2", "(/ (/ 8 4) 2)"},
        {"8 / 4 * 2", "(* (/ 8 4) 2)"},
        {"(1 + 2) * 3", "(* (+ 1 2) 3)"},
        {"1 - (2 - 3)", "(- 1 (- 2 3))"},
        {"((x))", "x"},
        /* unary minus binds tighter than * but looser than '.' */
        {"-a * b", "(* (neg a) b)"},
        {"-a.b", "(neg (. a b))"},
        {"- -a", "(neg (neg a))"},
        {"a - -b", "(- a (neg b))"},
        {"-2", "(neg 2)"},
        /* comparisons sit between arithmetic and logic */
        {"a + 1 < b * 2", "(< (+ a 1) (* b 2))"},
        {"a == b and c != d", "(and (== a b) (!= c d))"},
        {"a <= 1 or a >= 2", "(or (<= a 1) (>= a 2))"},
        {"a ≥ 1 or a ≤ 0 or a ≠ 5", "(or (or (>= a 1) (<= a 0)) (!= a 5))"},
        {"a > b", "(> a b)"},
        /* logic: not > and > or, both left-associative */
        {"a or b and c", "(or a (and b c))"},
        {"a and b or c", "(or (and a b) c)"},
        {"a or b or c", "(or (or a b) c)"},
        {"a and b and c", "(and (and a b) c)"},
        {"not a and b", "(and (not a) b)"},
        {"not a == b", "(not (== a b))"},
        {"not not a", "(not (not a))"},
        {"not (a or b)", "(not (or a b))"},
        /* in */
        {"x in [\"a\", \"b\"] and y", "(and (in x [\"a\" \"b\"]) y)"},
        {"x + 1 in [1, 2]", "(in (+ x 1) [1 2])"},
        {"not x in [1]", "(not (in x [1]))"},
        /* if-then-else: the else branch extends as far as possible */
        {"if a then b else c + d", "(if a b (+ c d))"},
        {"if a then 1 else if b then 2 else 3", "(if a 1 (if b 2 3))"},
        {"1 + if a then 2 else 3", "(+ 1 (if a 2 3))"},
        {"if a or b then x * 2 else -1", "(if (or a b) (* x 2) (neg 1))"},
        {"if c then x else y and z", "(if c x (and y z))"},
        /* field access */
        {"dept.unit.name", "(. (. dept unit) name)"},
        {"f(x).y", "(. (f x) y)"},
        {"a.b * c.d", "(* (. a b) (. c d))"},
        /* calls, where, lists */
        {"count(cases)", "(count cases)"},
        {"count(cases where kind == \"疑难\" and n > 1)",
         "(count cases where (and (== kind \"疑难\") (> n 1)))"},
        {"sum(cases, pts * 2 where ok)", "(sum cases (* pts 2) where ok)"},
        {"count(dept.unit.depts where g == \"优秀\")",
         "(count (. (. dept unit) depts) where (== g \"优秀\"))"},
        {"f()", "(f)"},
        {"count(where x)", "(count where x)"},
        {"max(1, min(2, 3))", "(max 1 (min 2 3))"},
        {"count([q1, q2] == \"好\") >= 2", "(>= (count (== [q1 q2] \"好\")) 2)"},
        {"[1]", "[1]"},
        /* literals */
        {"20% + 0.5", "(+ 0.2 0.5)"},
        {"\"文本\"", "\"文本\""},
        /* Chinese keywords */
        {"真 且 假 或 非 x", "(or (and true false) (not x))"},
        {"如果 a 那么 1 否则 2", "(if a 1 2)"},
        {"x 属于 [1]", "(in x [1])"},
        {"计数(cases 其中 a > 1)", "(计数 cases where (> a 1))"},
    };
    return cr_make_param_array(ExprCase, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(ExprCase *c, parser, expressions)
{
    char text[160];
    snprintf(text, sizeof text, "let x = %s", c->src);
    Parsed ps;
    parse_ok(&ps, text);
    cr_assert_eq(ps.p->decls.n, 1);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_LET);
    cr_expect_str_eq(dump(&ps, d->expr), c->want, "let x = %s", c->src);
    parsed_free(&ps);
}

Test(parser, expression_spans)
{
    Parsed ps;
    parse_ok(&ps, "let x = (a + b) * -c");
    Expr *e = decl(&ps, 0)->expr;
    expect_span(e->span, 8, 20);     /* the whole product */
    expect_span(e->a->span, 8, 15);  /* parentheses included */
    expect_span(e->b->span, 18, 20); /* '-c' */
    expect_span(e->b->a->span, 19, 20);
    parsed_free(&ps);
}

/* ---- declarations ---- */

Test(parser, header)
{
    Parsed ps;
    parse_ok(&ps, "scheme \"考核\" version \"2023.1\"\nlet a = 1\n");
    cr_expect_str_eq(ps.p->scheme_name, "考核");
    cr_expect_str_eq(ps.p->version, "2023.1");
    expect_span(ps.p->header_span, 0, 32);
    cr_expect_eq(ps.p->decls.n, 1);
    parsed_free(&ps);

    parse_ok(&ps, "方案 \"x\"\n");
    cr_expect_str_eq(ps.p->scheme_name, "x");
    cr_expect_null(ps.p->version);
    cr_expect_eq(ps.p->decls.n, 0);
    parsed_free(&ps);

    parse_ok(&ps, "let a = 1");
    cr_expect_null(ps.p->scheme_name);
    cr_expect_null(ps.p->version);
    parsed_free(&ps);
}

Test(parser, empty_file_and_semicolons)
{
    Parsed ps;
    parse_ok(&ps, "");
    cr_expect_eq(ps.p->decls.n, 0);
    parsed_free(&ps);
    parse_ok(&ps, "# nothing\n;;\nlet a = 1; let b = 2;\n");
    cr_expect_eq(ps.p->decls.n, 2);
    parsed_free(&ps);
}

Test(parser, import)
{
    Parsed ps;
    parse_ok(&ps, "import \"std/grades\"\n导入 \"lib/a.kp\"\n");
    cr_assert_eq(ps.p->decls.n, 2);
    cr_expect_eq(decl(&ps, 0)->kind, D_IMPORT);
    cr_expect_str_eq(decl(&ps, 0)->name, "std/grades");
    expect_span(decl(&ps, 0)->name_span, 7, 19);
    expect_span(decl(&ps, 0)->span, 0, 19);
    cr_expect_eq(decl(&ps, 1)->kind, D_IMPORT);
    cr_expect_str_eq(decl(&ps, 1)->name, "lib/a.kp");
    for (int i = 0; i < 2; i++)
        cr_expect_eq(decl(&ps, i)->src, ps.src);
    parsed_free(&ps);
}

Test(parser, params)
{
    Parsed ps;
    parse_ok(&ps, "param 优秀比例: percent = 20%\n"
                  "param 基础分 = 60\n"
                  "param 名称: text? = \"某院\"\n"
                  "参数 生效: 日期 = date(\"2023-12-31\")\n"
                  "param neg = -3\n");
    cr_assert_eq(ps.p->decls.n, 5);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_PARAM);
    cr_expect_str_eq(d->name, "优秀比例");
    expect_span(d->name_span, 6, 18);
    cr_assert_not_null(d->type);
    cr_expect_str_eq(d->type->name, "percent");
    cr_expect_not(d->type->optional);
    cr_expect_eq(d->expr->kind, E_NUM);
    cr_expect(d->expr->is_percent);
    cr_expect_str_eq(dump(&ps, d->expr), "0.2");

    d = decl(&ps, 1);
    cr_expect_str_eq(d->name, "基础分");
    cr_expect_null(d->type);
    cr_expect_not(d->expr->is_percent);
    cr_expect_str_eq(dump(&ps, d->expr), "60");

    d = decl(&ps, 2);
    cr_expect_str_eq(d->type->name, "text");
    cr_expect(d->type->optional);
    cr_expect_eq(d->expr->kind, E_STR);
    cr_expect_str_eq(d->expr->str, "某院");

    d = decl(&ps, 3);
    cr_expect_str_eq(d->name, "生效");
    cr_expect_str_eq(d->type->name, "日期");
    cr_expect_str_eq(dump(&ps, d->expr), "(date \"2023-12-31\")");

    cr_expect_str_eq(dump(&ps, decl(&ps, 4)->expr), "(neg 3)");
    parsed_free(&ps);
}

static ColumnDecl *column(Decl *d, int i)
{
    cr_assert_lt(i, d->columns.n);
    return d->columns.items[i];
}

Test(parser, table)
{
    Parsed ps;
    parse_ok(&ps, "table persons key person_id {\n"
                  "    dept -> depts\n"
                  "    q1, q2: enum[\"好\", \"较好\"]\n"
                  "    note: text?\n"
                  "    boss -> persons?\n"
                  "    score: decimal; age: 整数\n"
                  "    grade: 枚举[\"甲\"]?\n"
                  "}\n");
    cr_assert_eq(ps.p->decls.n, 1);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_TABLE);
    cr_expect_str_eq(d->name, "persons");
    cr_expect_str_eq(d->key, "person_id");
    expect_span(d->name_span, 6, 13);
    expect_span(d->key_span, 18, 27);
    cr_assert_eq(d->columns.n, 8);

    ColumnDecl *c = column(d, 0);
    cr_expect_str_eq(c->name, "dept");
    cr_expect_str_eq(c->type->ref, "depts");
    cr_expect_null(c->type->name);
    cr_expect_not(c->type->optional);

    ColumnDecl *q1 = column(d, 1), *q2 = column(d, 2);
    cr_expect_str_eq(q1->name, "q1");
    cr_expect_str_eq(q2->name, "q2");
    cr_expect_eq(q1->type, q2->type, "columns declared together share one type");
    cr_assert_eq(q1->type->enum_vals.n, 2);
    cr_expect_str_eq(q1->type->enum_vals.items[0], "好");
    cr_expect_str_eq(q1->type->enum_vals.items[1], "较好");
    cr_expect_null(q1->type->ref);

    c = column(d, 3);
    cr_expect_str_eq(c->name, "note");
    cr_expect_str_eq(c->type->name, "text");
    cr_expect(c->type->optional);

    c = column(d, 4);
    cr_expect_str_eq(c->name, "boss");
    cr_expect_str_eq(c->type->ref, "persons");
    cr_expect(c->type->optional);

    cr_expect_str_eq(column(d, 5)->name, "score");
    cr_expect_str_eq(column(d, 5)->type->name, "decimal");
    cr_expect_str_eq(column(d, 6)->name, "age");
    cr_expect_str_eq(column(d, 6)->type->name, "整数");

    c = column(d, 7);
    cr_expect_eq(c->type->enum_vals.n, 1);
    cr_expect(c->type->optional);
    parsed_free(&ps);
}

Test(parser, assess_and_groups)
{
    Parsed ps;
    parse_ok(&ps, "assess persons\n"
                  "group 同岗 = persons by dept, category\n"
                  "分组 单位 = persons 按 dept.unit\n"
                  "group 全体 = persons\n");
    cr_assert_eq(ps.p->decls.n, 4);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_ASSESS);
    cr_expect_str_eq(d->name, "persons");

    d = decl(&ps, 1);
    cr_expect_eq(d->kind, D_GROUP);
    cr_expect_str_eq(d->name, "同岗");
    cr_expect_str_eq(d->table, "persons");
    cr_assert_eq(d->keys.n, 2);
    cr_expect_str_eq(dump(&ps, d->keys.items[0]), "dept");
    cr_expect_str_eq(dump(&ps, d->keys.items[1]), "category");

    d = decl(&ps, 2);
    cr_expect_str_eq(d->name, "单位");
    cr_assert_eq(d->keys.n, 1);
    cr_expect_str_eq(dump(&ps, d->keys.items[0]), "(. dept unit)");

    d = decl(&ps, 3);
    cr_expect_str_eq(d->name, "全体");
    cr_expect_eq(d->keys.n, 0);
    parsed_free(&ps);
}

Test(parser, let_and_def)
{
    Parsed ps;
    parse_ok(&ps, "let 办案数 = count(cases)\n"
                  "函数 功效(x, lo, hi) = 60 + (x - lo) / (hi - lo) * 40\n");
    cr_assert_eq(ps.p->decls.n, 2);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_LET);
    cr_expect_str_eq(d->name, "办案数");
    expect_span(d->name_span, 4, 13);
    cr_expect_str_eq(dump(&ps, d->expr), "(count cases)");

    d = decl(&ps, 1);
    cr_expect_eq(d->kind, D_FUNC);
    cr_expect_str_eq(d->name, "功效");
    cr_assert_eq(d->keys.n, 3);
    const char *params[] = {"x", "lo", "hi"};
    for (int i = 0; i < 3; i++) {
        Expr *p = d->keys.items[i];
        cr_expect_eq(p->kind, E_NAME);
        cr_expect_str_eq(p->name, params[i]);
    }
    cr_expect_str_eq(dump(&ps, d->expr), "(+ 60 (* (/ (- x lo) (- hi lo)) 40))");
    parsed_free(&ps);
}

Test(parser, step_tables)
{
    Parsed ps;
    parse_ok(&ps, "分段 数量得分 首个 {\n"
                  "    从 0 到 5 => 60\n"
                  "    从 5 到 10 => 60 到 80\n"
                  "    从 20 => 满分\n"
                  "}\n"
                  "step q unique { to 80% => 70 from 80% => 90 }\n"
                  "let 从业年限 = 到期 - 1\n");
    cr_assert_eq(ps.p->decls.n, 3);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_FUNC);
    cr_expect(d->step);
    cr_expect_not(d->step_unique);
    cr_expect_str_eq(d->name, "数量得分");
    cr_assert_eq(d->keys.n, 1, "a step table is a function of one value");
    cr_expect_null(d->expr, "the resolver writes the body");
    cr_assert_eq(d->bands.n, 3);
    StepBand *b = d->bands.items[1];
    cr_expect_str_eq(dump(&ps, b->lo), "5");
    cr_expect_str_eq(dump(&ps, b->hi), "10");
    cr_expect_str_eq(dump(&ps, b->val), "60");
    cr_expect_str_eq(dump(&ps, b->val_to), "80");
    b = d->bands.items[2];
    cr_expect_null(b->hi);
    cr_expect_null(b->val_to);
    cr_expect_str_eq(dump(&ps, b->val), "满分");

    d = decl(&ps, 1);
    cr_expect(d->step_unique);
    cr_assert_eq(d->bands.n, 2);
    b = d->bands.items[0];
    cr_expect_null(b->lo, "'to HI' is open below");
    cr_expect_str_eq(dump(&ps, b->hi), "0.8");

    /* Names longer than the keywords stay names. */
    d = decl(&ps, 2);
    cr_expect_str_eq(d->name, "从业年限");
    cr_expect_str_eq(dump(&ps, d->expr), "(- 到期 1)");
    parsed_free(&ps);
}

Test(parser, step_table_open_below_band_only_first)
{
    Parsed ps;
    parse(&ps, "step s first { from 0 to 5 => 1 to 0 => 2 }");
    cr_expect_str_eq(ps.diags, "1:38: unexpected '=>'\n");
    parsed_free(&ps);
}

static Indicator *child(PtrVec *v, int i)
{
    cr_assert_lt(i, v->n);
    return v->items[i];
}

static Branch *branch(Indicator *ind, int i)
{
    cr_assert_lt(i, ind->branches.n);
    return ind->branches.items[i];
}

Test(parser, indicator_tree_with_variants)
{
    Parsed ps;
    parse_ok(&ps, "indicator 业务 weight 70% {\n"
                  "    when category == \"检察官\" {\n"
                  "        indicator 数量 weight 50% = a\n"
                  "        indicator 质量 weight 50% = b\n"
                  "    }\n"
                  "    when category == \"助理\" = c\n"
                  "    otherwise {\n"
                  "        indicator 基础 = 1\n"
                  "    }\n"
                  "}\n"
                  "indicator 共性 weight 30% = peer\n"
                  "indicator 综合 {\n"
                  "    indicator 上级 = x\n"
                  "    indicator 同级 = y\n"
                  "}\n");
    cr_assert_eq(ps.p->decls.n, 3);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_INDICATOR);
    cr_expect_str_eq(d->name, "业务");
    Indicator *ind = d->ind;
    cr_assert_not_null(ind);
    cr_expect_str_eq(ind->name, "业务");
    cr_expect_str_eq(dump(&ps, ind->weight), "0.7");
    cr_expect_null(ind->formula);
    cr_expect_eq(ind->children.n, 0);
    cr_assert_eq(ind->branches.n, 3);

    Branch *b = branch(ind, 0);
    cr_expect_str_eq(dump(&ps, b->cond), "(== category \"检察官\")");
    cr_expect_null(b->formula);
    cr_assert_eq(b->children.n, 2);
    cr_expect_str_eq(child(&b->children, 0)->name, "数量");
    cr_expect_str_eq(dump(&ps, child(&b->children, 0)->weight), "0.5");
    cr_expect_str_eq(dump(&ps, child(&b->children, 0)->formula), "a");
    cr_expect_str_eq(child(&b->children, 1)->name, "质量");
    cr_expect_str_eq(dump(&ps, child(&b->children, 1)->formula), "b");

    b = branch(ind, 1);
    cr_expect_str_eq(dump(&ps, b->cond), "(== category \"助理\")");
    cr_expect_str_eq(dump(&ps, b->formula), "c");
    cr_expect_eq(b->children.n, 0);

    b = branch(ind, 2);
    cr_expect_null(b->cond);
    cr_expect_null(b->formula);
    cr_assert_eq(b->children.n, 1);
    cr_expect_str_eq(child(&b->children, 0)->name, "基础");
    cr_expect_null(child(&b->children, 0)->weight);
    cr_expect_str_eq(dump(&ps, child(&b->children, 0)->formula), "1");

    ind = decl(&ps, 1)->ind;
    cr_expect_str_eq(ind->name, "共性");
    cr_expect_str_eq(dump(&ps, ind->weight), "0.3");
    cr_expect_str_eq(dump(&ps, ind->formula), "peer");
    cr_expect_eq(ind->children.n + ind->branches.n, 0);

    ind = decl(&ps, 2)->ind;
    cr_expect_str_eq(ind->name, "综合");
    cr_expect_null(ind->weight);
    cr_expect_null(ind->formula);
    cr_expect_eq(ind->branches.n, 0);
    cr_assert_eq(ind->children.n, 2);
    cr_expect_str_eq(child(&ind->children, 0)->name, "上级");
    cr_expect_str_eq(child(&ind->children, 1)->name, "同级");
    parsed_free(&ps);
}

Test(parser, indicator_in_chinese_with_formula_variants)
{
    Parsed ps;
    parse_ok(&ps, "指标 甲 权重 50% { 当 x > 1 = 1 当 y = 2 否则 = 0.6 * z }");
    Indicator *ind = decl(&ps, 0)->ind;
    cr_expect_str_eq(ind->name, "甲");
    cr_expect_str_eq(dump(&ps, ind->weight), "0.5");
    cr_assert_eq(ind->branches.n, 3);
    cr_expect_str_eq(dump(&ps, branch(ind, 0)->cond), "(> x 1)");
    cr_expect_str_eq(dump(&ps, branch(ind, 0)->formula), "1");
    cr_expect_str_eq(dump(&ps, branch(ind, 1)->cond), "y");
    cr_expect_null(branch(ind, 2)->cond);
    cr_expect_str_eq(dump(&ps, branch(ind, 2)->formula), "(* 0.6 z)");
    parsed_free(&ps);
}

Test(parser, bonus_penalty_and_adjust)
{
    Parsed ps;
    parse_ok(&ps, "bonus 疑难 = 0.5 * n cap 5\n"
                  "加分 表彰 = honors\n"
                  "bonus cap 10\n"
                  "penalty 无罪 = 3 * m 封顶 6\n"
                  "减分 封顶 20\n"
                  "adjust 负责人 when is_head = 70% * total + 30% * dept.score\n"
                  "调整 全体 = total + 1\n");
    cr_assert_eq(ps.p->decls.n, 7);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_BONUS);
    cr_expect_str_eq(d->name, "疑难");
    cr_expect_str_eq(dump(&ps, d->expr), "(* 0.5 n)");
    cr_expect_str_eq(dump(&ps, d->cap), "5");

    d = decl(&ps, 1);
    cr_expect_eq(d->kind, D_BONUS);
    cr_expect_str_eq(d->name, "表彰");
    cr_expect_null(d->cap);

    d = decl(&ps, 2);
    cr_expect_eq(d->kind, D_BONUS_CAP);
    cr_expect_null(d->name);
    cr_expect_str_eq(dump(&ps, d->expr), "10");

    d = decl(&ps, 3);
    cr_expect_eq(d->kind, D_PENALTY);
    cr_expect_str_eq(d->name, "无罪");
    cr_expect_str_eq(dump(&ps, d->expr), "(* 3 m)");
    cr_expect_str_eq(dump(&ps, d->cap), "6");

    d = decl(&ps, 4);
    cr_expect_eq(d->kind, D_PENALTY_CAP);
    cr_expect_str_eq(dump(&ps, d->expr), "20");

    d = decl(&ps, 5);
    cr_expect_eq(d->kind, D_ADJUST);
    cr_expect_str_eq(d->name, "负责人");
    cr_expect_str_eq(dump(&ps, d->cond), "is_head");
    cr_expect_str_eq(dump(&ps, d->expr), "(+ (* 0.7 total) (* 0.3 (. dept score)))");

    d = decl(&ps, 6);
    cr_expect_eq(d->kind, D_ADJUST);
    cr_expect_str_eq(d->name, "全体");
    cr_expect_null(d->cond);
    cr_expect_str_eq(dump(&ps, d->expr), "(+ total 1)");
    parsed_free(&ps);
}

Test(parser, vetoes)
{
    Parsed ps;
    parse_ok(&ps, "veto 违纪 when violation => 不称职\n"
                  "veto 负面 when a and b => at most 称职\n"
                  "一票否决 试用 当 x 属于 [\"a\"] => 不定等次\n"
                  "veto 诫勉 when y => 至多 基本称职\n"
                  "veto 新人 when z => ungraded\n");
    cr_assert_eq(ps.p->decls.n, 5);
    struct {
        const char *name, *cond;
        VetoEffect effect;
        const char *grade;
    } want[] = {
        {"违纪", "violation", VETO_FORCE, "不称职"},
        {"负面", "(and a b)", VETO_CAP, "称职"},
        {"试用", "(in x [\"a\"])", VETO_UNGRADED, NULL},
        {"诫勉", "y", VETO_CAP, "基本称职"},
        {"新人", "z", VETO_UNGRADED, NULL},
    };
    for (int i = 0; i < 5; i++) {
        Decl *d = decl(&ps, i);
        cr_expect_eq(d->kind, D_VETO);
        cr_expect_str_eq(d->name, want[i].name);
        cr_expect_str_eq(dump(&ps, d->cond), want[i].cond);
        cr_expect_eq(d->effect, want[i].effect, "veto %s", want[i].name);
        if (want[i].grade)
            cr_expect_str_eq(d->grade, want[i].grade);
        else
            cr_expect_null(d->grade);
    }
    /* The grade's span is the grade name. */
    expect_span(decl(&ps, 0)->grade_span, 30, 39);
    parsed_free(&ps);
}

static GradeRule *rule(Decl *d, int i)
{
    cr_assert_lt(i, d->rules.n);
    return d->rules.items[i];
}

Test(parser, grades_block)
{
    Parsed ps;
    parse_ok(&ps, "grades within 单位 by total desc, person_id asc, x {\n"
                  "    override override_grade\n"
                  "    优秀 quota floor(20% * count(单位)) require q >= 2 when total >= 90\n"
                  "    称职 when total >= 60\n"
                  "    不称职\n"
                  "}\n");
    cr_assert_eq(ps.p->decls.n, 1);
    Decl *d = decl(&ps, 0);
    cr_expect_eq(d->kind, D_GRADES);
    cr_expect_str_eq(d->within, "单位");
    cr_assert_eq(d->order.n, 3);
    OrderKey *k0 = d->order.items[0], *k1 = d->order.items[1], *k2 = d->order.items[2];
    cr_expect_str_eq(dump(&ps, k0->e), "total");
    cr_expect(k0->desc);
    cr_expect_str_eq(dump(&ps, k1->e), "person_id");
    cr_expect_not(k1->desc);
    cr_expect_str_eq(dump(&ps, k2->e), "x");
    cr_expect_not(k2->desc);

    cr_assert_eq(d->rules.n, 4);
    GradeRule *r = rule(d, 0);
    cr_expect_null(r->name, "an override line is a rule without a name");
    cr_assert_not_null(r->when);
    cr_expect_eq(r->when->kind, E_NAME);
    cr_expect_str_eq(r->when->name, "override_grade");
    cr_expect_null(r->quota);

    r = rule(d, 1);
    cr_expect_str_eq(r->name, "优秀");
    cr_expect_str_eq(dump(&ps, r->quota), "(floor (* 0.2 (count 单位)))");
    cr_expect_str_eq(dump(&ps, r->require), "(>= q 2)");
    cr_expect_str_eq(dump(&ps, r->when), "(>= total 90)");

    r = rule(d, 2);
    cr_expect_str_eq(r->name, "称职");
    cr_expect_null(r->quota);
    cr_expect_null(r->require);
    cr_expect_str_eq(dump(&ps, r->when), "(>= total 60)");

    r = rule(d, 3);
    cr_expect_str_eq(r->name, "不称职");
    cr_expect_null(r->quota);
    cr_expect_null(r->when);
    cr_expect_null(r->require);
    parsed_free(&ps);
}

Test(parser, grades_in_chinese_and_minimal)
{
    Parsed ps;
    parse_ok(&ps, "等次 范围 G 按 total 降序 { 指定 ov 甲 名额 1 条件 ok 当 total > 1 乙 }\n"
                  "grades { 丙 }\n"
                  "grades by total {}\n");
    cr_assert_eq(ps.p->decls.n, 3);
    Decl *d = decl(&ps, 0);
    cr_expect_str_eq(d->within, "G");
    cr_assert_eq(d->order.n, 1);
    cr_expect(((OrderKey *)d->order.items[0])->desc);
    cr_assert_eq(d->rules.n, 3);
    cr_expect_null(rule(d, 0)->name);
    cr_expect_str_eq(rule(d, 1)->name, "甲");
    cr_expect_str_eq(dump(&ps, rule(d, 1)->quota), "1");
    cr_expect_str_eq(dump(&ps, rule(d, 1)->require), "ok");
    cr_expect_str_eq(dump(&ps, rule(d, 1)->when), "(> total 1)");
    cr_expect_str_eq(rule(d, 2)->name, "乙");

    d = decl(&ps, 1);
    cr_expect_null(d->within);
    cr_expect_eq(d->order.n, 0);
    cr_assert_eq(d->rules.n, 1);
    cr_expect_str_eq(rule(d, 0)->name, "丙");

    d = decl(&ps, 2);
    cr_expect_eq(d->order.n, 1);
    cr_expect_eq(d->rules.n, 0);
    parsed_free(&ps);
}

Test(parser, declarations_keep_their_order_and_source)
{
    Parsed ps;
    parse_ok(&ps, "let a = 1\nparam b = 2\nassess t\nlet c = 3\n");
    DeclKind kinds[] = {D_LET, D_PARAM, D_ASSESS, D_LET};
    cr_assert_eq(ps.p->decls.n, 4);
    for (int i = 0; i < 4; i++) {
        cr_expect_eq(decl(&ps, i)->kind, kinds[i]);
        cr_expect_eq(decl(&ps, i)->src, ps.src);
    }
    expect_span(decl(&ps, 1)->span, 10, 21);
    parsed_free(&ps);
}

/* ---- syntax errors ---- */

typedef struct ErrCase {
    char src[64];
    char diags[160];
} ErrCase;

/* Each input ends where the parser stops: at the end of the file (after a
** final newline, as files do), or at a token that can start a declaration
** or end a block. An unexpected end of file is reported just past the last
** token. */
ParameterizedTestParameters(parser, error_messages)
{
    static ErrCase cases[] = {
        {"let x = 1 let y\n", "1:16: unexpected end of file, expecting '='\n"},
        {"let x = (1 + 2\n", "1:15: unexpected end of file\n"},
        {"let x = [\n", "1:10: unexpected end of file\n"},
        {"param p: ;", "1:10: unexpected ';', expecting 'enum' or name\n"},
        {"veto v when x => ;", "1:18: unexpected ';', expecting 'at most' or 'ungraded' or name\n"},
        {"veto v when x => at most\n", "1:25: unexpected end of file, expecting name\n"},
        {"group g = ;", "1:11: unexpected ';', expecting name\n"},
        {"grades within ;", "1:15: unexpected ';', expecting name\n"},
        {"table t key k\n", "1:14: unexpected end of file, expecting '{'\n"},
        {"table t key k { a -> ; }", "1:22: unexpected ';', expecting name\n"},
        {"table t key k { a: }", "1:20: unexpected '}', expecting 'enum' or name\n"},
        {"indicator a\n", "1:12: unexpected end of file, expecting 'weight' or '=' or '{'\n"},
        {"indicator a weight\n", "1:19: unexpected end of file\n"},
        {"bonus\n", "1:6: unexpected end of file, expecting 'cap' or name\n"},
        {"bonus b = 1 cap\n", "1:16: unexpected end of file\n"},
        {"def f(x)\n", "1:9: unexpected end of file, expecting '='\n"},
        {"scheme version", "1:8: unexpected 'version', expecting string\n"},
        {"let x = 1 +\nlet y = 2", "2:1: unexpected 'let'\n"},
    };
    return cr_make_param_array(ErrCase, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(ErrCase *c, parser, error_messages)
{
    Parsed ps;
    parse(&ps, c->src);
    cr_expect_str_eq(ps.diags, c->diags, "input: %s", c->src);
    cr_expect_eq(ps.d.nerrors, 1);
    parsed_free(&ps);
}

Test(parser, error_location_is_the_unexpected_token)
{
    Parsed ps;
    parse(&ps, "let x = 1 +\n  let y = 2\n");
    cr_assert_eq(ps.d.n, 1);
    cr_expect_eq(ps.d.items[0].line, 2);
    cr_expect_eq(ps.d.items[0].col, 3);
    cr_expect_eq(ps.d.items[0].caret_len, 3);
    cr_expect_str_eq(ps.d.items[0].text_line, "  let y = 2");
    parsed_free(&ps);
}

Test(parser, recovery_at_top_level)
{
    Parsed ps;
    parse(&ps, "let a = 1 +\n"
               "let b = 2\n"
               "param p: ;\n"
               "veto v when x =>\n"
               "let d = 4\n");
    cr_expect_str_eq(ps.diags,
                     "2:1: unexpected 'let'\n"
                     "3:10: unexpected ';', expecting 'enum' or name\n"
                     "5:1: unexpected 'let', expecting 'at most' or 'ungraded' or name\n");
    cr_expect_eq(ps.d.nerrors, 3);
    /* The declarations around the errors are kept. */
    cr_assert_eq(ps.p->decls.n, 2);
    cr_expect_str_eq(decl(&ps, 0)->name, "b");
    cr_expect_str_eq(dump(&ps, decl(&ps, 0)->expr), "2");
    cr_expect_str_eq(decl(&ps, 1)->name, "d");
    parsed_free(&ps);
}

Test(parser, recovery_inside_a_table)
{
    Parsed ps;
    parse(&ps, "table t key k {\n"
               " a: ;\n"
               " b: int\n"
               " c -> ;\n"
               " d: text\n"
               "}\n"
               "let z = 1\n");
    cr_expect_str_eq(ps.diags, "2:5: unexpected ';', expecting 'enum' or name\n"
                               "4:7: unexpected ';', expecting name\n");
    cr_assert_eq(ps.p->decls.n, 2);
    Decl *t = decl(&ps, 0);
    cr_expect_eq(t->kind, D_TABLE);
    cr_assert_eq(t->columns.n, 2);
    cr_expect_str_eq(column(t, 0)->name, "b");
    cr_expect_str_eq(column(t, 1)->name, "d");
    cr_expect_str_eq(decl(&ps, 1)->name, "z");
    parsed_free(&ps);
}

Test(parser, recovery_inside_an_indicator)
{
    Parsed ps;
    parse(&ps, "indicator a {\n"
               " indicator b = ;\n"
               " indicator c = 1\n"
               " when x =\n"
               "}\n"
               "indicator e = 2\n");
    cr_expect_str_eq(ps.diags, "2:16: unexpected ';'\n"
                               "5:1: unexpected '}'\n");
    cr_assert_eq(ps.p->decls.n, 2);
    Indicator *a = decl(&ps, 0)->ind;
    cr_expect_str_eq(a->name, "a");
    cr_assert_eq(a->children.n, 1);
    cr_expect_str_eq(child(&a->children, 0)->name, "c");
    cr_expect_eq(a->branches.n, 0);
    cr_expect_str_eq(decl(&ps, 1)->name, "e");
    parsed_free(&ps);
}

Test(parser, recovery_inside_grades)
{
    Parsed ps;
    parse(&ps, "grades {\n"
               " 优秀 quota ;\n"
               " 合格 when ;\n"
               " 不合格\n"
               "}\n"
               "let z = 1\n");
    cr_expect_str_eq(ps.diags, "2:11: unexpected ';'\n"
                               "3:10: unexpected ';'\n");
    cr_assert_eq(ps.p->decls.n, 2);
    Decl *g = decl(&ps, 0);
    cr_assert_eq(g->rules.n, 1);
    cr_expect_str_eq(rule(g, 0)->name, "不合格");
    cr_expect_str_eq(decl(&ps, 1)->name, "z");
    parsed_free(&ps);
}

Test(parser, lexical_errors_do_not_stop_parsing)
{
    Parsed ps;
    parse(&ps, "let a = 1 ！\nlet b = \"x\n");
    cr_expect_str_eq(ps.diags, "1:11: unexpected full-width '！' (did you mean '!'?)\n"
                               "2:9: unterminated string (missing '\"')\n");
    cr_assert_eq(ps.p->decls.n, 2);
    cr_expect_str_eq(dump(&ps, decl(&ps, 0)->expr), "1");
    cr_expect_str_eq(decl(&ps, 1)->expr->str, "x");
    parsed_free(&ps);
}

/* ---- column defaults and tests ---- */

Test(parser, column_defaults_keep_the_cell_text)
{
    Parsed ps;
    parse_ok(&ps, "table persons key pid {\n"
                  "    research: int = 0\n"
                  "    rate: percent = 85%\n"
                  "    delta: decimal = - 1.5\n"
                  "    flag: bool = 假\n"
                  "    q1, q2: enum[\"好\", \"较好\"] = 好\n"
                  "    dept -> depts = \"D 1\"\n"
                  "    note: text?\n"
                  "}\n");
    Decl *d = decl(&ps, 0);
    cr_assert_eq(d->columns.n, 8);
    const char *want[] = {"0", "85%", "-1.5", "false", "好", "好", "D 1"};
    for (int i = 0; i < 7; i++) {
        Cell *c = column(d, i)->type->def;
        cr_assert_not_null(c, "column %d has a default", i);
        cr_expect_str_eq(c->text, want[i], "default of column %d", i);
    }
    cr_expect_eq(column(d, 4)->type, column(d, 5)->type, "q1 and q2 share one default");
    expect_span(column(d, 0)->type->def->span, 44, 45);
    cr_expect_null(column(d, 7)->type->def);
    parsed_free(&ps);
}

Test(parser, test_block_rows_and_expectations)
{
    Parsed ps;
    parse_ok(&ps, "test \"t1\" {\n"
                  "    persons (pid, work, flag) {\n"
                  "        P1, 87.35, true\n"
                  "        \"P 2\", -3, 否\n"
                  "    }\n"
                  "    expect P1.total == 87.35\n"
                  "    expect P1.vetoes contains 违纪\n"
                  "    expect P1.vetoes not contains 违纪\n"
                  "    期望 P1.一票否决 不包含 违纪\n"
                  "    期望 P1.等次 == 不定等次\n"
                  "    expect f(1) != 2\n"
                  "}\n"
                  "table persons key pid { }\n");
    cr_assert_eq(ps.p->decls.n, 1, "a test is not a declaration of the scheme");
    cr_assert_eq(ps.p->tests.n, 1);
    TestBlock *tb = ps.p->tests.items[0];
    cr_expect_str_eq(tb->name, "t1");
    cr_expect_eq(tb->src, ps.src);
    cr_assert_eq(tb->tables.n, 1);
    TestRows *tr = tb->tables.items[0];
    cr_expect_str_eq(tr->table, "persons");
    cr_assert_eq(tr->cols.n, 3);
    cr_expect_str_eq(((ColumnDecl *)tr->cols.items[2])->name, "flag");
    cr_assert_eq(tr->rows.n, 2, "rows are told apart by the missing comma");
    const char *cells[2][3] = {{"P1", "87.35", "true"}, {"P 2", "-3", "否"}};
    for (int i = 0; i < 2; i++) {
        TestRow *row = tr->rows.items[i];
        cr_assert_eq(row->cells.n, 3);
        for (int k = 0; k < 3; k++)
            cr_expect_str_eq(((Cell *)row->cells.items[k])->text, cells[i][k]);
    }

    cr_assert_eq(tb->expects.n, 6);
    Expect *x = tb->expects.items[0];
    cr_expect_str_eq(dump(&ps, x->e), "(== (. P1 total) 87.35)");
    cr_expect_not(x->contains);
    x = tb->expects.items[1];
    cr_expect(x->contains);
    cr_expect_not(x->negated);
    cr_expect_str_eq(dump(&ps, x->e), "(. P1 vetoes)");
    cr_expect_str_eq(dump(&ps, x->item), "违纪");
    x = tb->expects.items[2];
    cr_expect(x->contains && x->negated);
    x = tb->expects.items[3];
    cr_expect(x->contains && x->negated);
    cr_expect_str_eq(dump(&ps, x->e), "(. P1 一票否决)", "a field named by the keyword");
    x = tb->expects.items[4];
    cr_expect_str_eq(dump(&ps, x->e), "(== (. P1 等次) \"不定等次\")");
    x = tb->expects.items[5];
    cr_expect_str_eq(dump(&ps, x->e), "(!= (f 1) 2)");
    parsed_free(&ps);
}

Test(parser, declarations_inside_a_test_belong_to_it)
{
    Parsed ps;
    parse_ok(&ps, "param a = 1\n"
                  "测试 \"t\" {\n"
                  "    参数 a = 2\n"
                  "    表 persons 主键 pid { x: 小数 }\n"
                  "    persons (pid, x) { P1, 1 }\n"
                  "    指标 y = x\n"
                  "    期望 P1.y == 1\n"
                  "}\n");
    cr_assert_eq(ps.p->decls.n, 1);
    cr_expect_not(decl(&ps, 0)->in_test);
    TestBlock *tb = ps.p->tests.items[0];
    cr_assert_eq(tb->decls.n, 3);
    for (int i = 0; i < 3; i++) {
        Decl *d = tb->decls.items[i];
        cr_expect(d->in_test);
        cr_expect_eq(d->src, ps.src);
    }
    cr_expect_eq(((Decl *)tb->decls.items[0])->kind, D_PARAM);
    cr_expect_eq(((Decl *)tb->decls.items[1])->kind, D_TABLE);
    cr_expect_eq(((Decl *)tb->decls.items[2])->kind, D_INDICATOR);
    cr_expect_eq(tb->tables.n, 1);
    cr_expect_eq(tb->expects.n, 1);
    parsed_free(&ps);
}

Test(parser, test_syntax_errors)
{
    Parsed ps;
    parse(&ps, "test name { }\n");
    cr_expect_str_eq(ps.diags, "1:6: unexpected name, expecting string\n");
    parsed_free(&ps);
    parse(&ps, "test \"t\" {\n    expect 1 ==\n}\n");
    cr_expect_str_eq(ps.diags, "3:1: unexpected '}'\n");
    parsed_free(&ps);
    parse(&ps, "test \"t\" {\n    persons (a) { 1 + 2 }\n}\n");
    cr_expect_str_eq(ps.diags, "2:21: unexpected '+'\n");
    parsed_free(&ps);
}
