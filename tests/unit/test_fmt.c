/*
** test_fmt.c — the formatter (src/fmt*.c): each layout rule on a small
** input, that formatting its own output changes nothing, that tokens and
** comments survive, the display width it aligns by, fmt_same, and the
** library entry kp_format (reading, syntax errors, the changed flag).
*/
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "kp_test_util.h"
#include "parse.h"

/* Formats text as fmt_source does after a clean parse. Returns the result
** (malloc'd) or NULL; *diags gets kt_diag_summary of the diagnostics. */
static char *format(const char *text, char **diags)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    Source *src = source_from_mem("t.kp", text, strlen(text));
    cr_assert_not_null(src);
    parse_program(&a, src, &d);
    char *out = NULL;
    size_t len = 0;
    if (!d.nerrors) out = fmt_source(&a, src, &d, &len);
    if (out) cr_assert_eq(strlen(out), len);
    *diags = kt_diag_summary(&d);
    diags_free(&d);
    source_free(src);
    arena_free(&a);
    return out;
}

/* Asserts fmt(in) == want and fmt(want) == want. */
static void expect_fmt(const char *in, const char *want)
{
    char *diags, *again_diags;
    char *out = format(in, &diags);
    cr_assert_not_null(out, "fmt failed on:\n%s\n%s", in, diags);
    cr_expect_str_eq(out, want, "input:\n%s\ngot:\n%s", in, out);
    char *again = format(out, &again_diags);
    cr_assert_not_null(again, "fmt rejects its own output:\n%s\n%s", out, again_diags);
    cr_expect_str_eq(again, out, "not idempotent");
    free(out);
    free(again);
    free(diags);
    free(again_diags);
}

/* Parameters are copied into a re-executed test process: text inline. */
#define CASE_MAX 400

struct fmt_case {
    char name[40], in[CASE_MAX], out[CASE_MAX];
};

ParameterizedTestParameters(fmt, layout)
{
    static struct fmt_case params[] = {
        {"spaces around operators", "param a=1\nlet b=a*2+3/4-5==6",
         "param a = 1\nlet b = a * 2 + 3 / 4 - 5 == 6\n"},
        {"comparisons", "let c = a>=1 and b<=2 or x!=3 or y≥4 and z≠5",
         "let c = a >= 1 and b <= 2 or x != 3 or y ≥ 4 and z ≠ 5\n"},
        {"unary minus", "let x=-a- -1*(-b)\nlet y = max(-1,2)-3",
         "let x = -a - -1 * (-b)\nlet y = max(-1, 2) - 3\n"},
        {"brackets and commas", "let x = max( a ,b , [ c,d ] )", "let x = max(a, b, [c, d])\n"},
        {"navigation", "let x = dept . unit . name", "let x = dept.unit.name\n"},
        {"literals as written", "param a = 20%\nparam b = 0.50\nparam c = 1.0\nlet s = \"a  b\"",
         "param a = 20%\nparam b = 0.50\nparam c = 1.0\nlet s = \"a  b\"\n"},
        {"keyword spelling kept", "指标 a 权重 50% = 1\nindicator b weight 50% = 2",
         "指标 a      权重 50% = 1\nindicator b weight 50% = 2\n"},
        {"one item per line", "param a = 1 param b = 2 let c = 3",
         "param a = 1\nparam b = 2\nlet c = 3\n"},
        {"semicolons stay", "param a = 1;param b = 2 ;", "param a = 1;\nparam b = 2;\n"},
        {"table columns",
         "table t key id { a : int b,c : enum [ \"x\" , \"y\" ] ? d -> t e: text? }",
         "table t key id {\n    a: int\n    b, c: enum[\"x\", \"y\"]?\n    d -> t\n    e: "
         "text?\n}\n"},
        {"empty block", "table t key id {   }\ntable u key id {\n}",
         "table t key id {}\ntable u key id {}\n"},
        {"grade rules",
         "grades within g by total desc,id { override o 甲 quota 1 require x>1 乙 when total>=60 "
         "丙 }",
         "grades within g by total desc, id {\n    override o\n    甲 quota 1 require x > 1\n    "
         "乙 when total >= 60\n    丙\n}\n"},
        {"branches and if-else",
         "indicator a { when x {indicator b = 1} when y = if p then 1 else 2 otherwise=3 }",
         "indicator a {\n    when x {\n        indicator b = 1\n    }\n    when y = if p then 1 "
         "else 2\n    otherwise = 3\n}\n"},
        {"brace moves up", "indicator a weight 1 # why\n{\nindicator b = 1\n}",
         "indicator a weight 1 {  # why\n    indicator b = 1\n}\n"},
        {"comment before brace", "table t key id\n# note\n{ a: int }",
         "table t key id {\n    # note\n    a: int\n}\n"},
        {"comment before close", "table t key id {\na: int\n   # last\n}",
         "table t key id {\n    a: int\n    # last\n}\n"},
        {"comment in continuation", "let a = 1 +\n# two\n2", "let a = 1 +\n    # two\n    2\n"},
        {"continuation indent", "let a = f(1,\n2,\n3\n)\nlet b =\nc",
         "let a = f(1,\n    2,\n    3\n)\nlet b =\n    c\n"},
        {"blank lines", "\n\n# c\n\n\n\nparam a = 1\n\n\nparam b = 2\n\n\n",
         "# c\n\nparam a = 1\n\nparam b = 2\n"},
        {"no blank at block edges", "table t key id {\n\n\na: int\n\nb: int\n\n}",
         "table t key id {\n    a: int\n\n    b: int\n}\n"},
        {"weight run",
         "indicator a {\nindicator x weight 1 = 1\nindicator long weight 1 = 1\n\nindicator y "
         "weight 1 = 1\n}",
         "indicator a {\n    indicator x    weight 1 = 1\n    indicator long weight 1 = 1\n\n    "
         "indicator y weight 1 = 1\n}\n"},
        {"weight run with comment",
         "indicator a weight 1 = 1\n# c\nindicator bb weight 1 = 1\nlet x = 1\nindicator ccc "
         "weight 1 = 1",
         "indicator a  weight 1 = 1\n# c\nindicator bb weight 1 = 1\nlet x = 1\nindicator ccc "
         "weight 1 = 1\n"},
        {"weight run CJK width", "指标 甲 权重 1 = 1\n指标 乙乙 权重 1 = 1\n指标 abc 权重 1 = 1",
         "指标 甲   权重 1 = 1\n指标 乙乙 权重 1 = 1\n指标 abc  权重 1 = 1\n"},
        {"comment paragraph",
         "param a = 1 # x\nparam bbbbb = 2\nparam cc = 3 // y\n\nparam d = 4 # z",
         "param a = 1   # x\nparam bbbbb = 2\nparam cc = 3  // y\n\nparam d = 4  # z\n"},
        {"comment CJK width", "参数 甲乙 = 1 # x\nparam ab = 2 # y",
         "参数 甲乙 = 1  # x\nparam ab = 2   # y\n"},
        {"block lines apart", "let a = 1 # x\ntable t key id { # y\nlong_name: int # z\n} # w",
         "let a = 1  # x\ntable t key id {  # y\n    long_name: int  # z\n}  # w\n"},
        {"comment text kept", "#no space\n//\tslash  \n#### banner ####",
         "#no space\n//\tslash\n#### banner ####\n"},
        {"at most", "veto v when x => at   \n  most 乙\nveto w when x => 至多 乙",
         "veto v when x => at most 乙\nveto w when x => 至多 乙\n"},
        {"call and enum brackets", "def f ( x ) = x\nlet y = f (1) in [ \"a\" ]",
         "def f(x) = x\nlet y = f(1) in [\"a\"]\n"},
        {"not and parens", "let a = not(x or y)", "let a = not (x or y)\n"},
        {"empty file", "", ""},
        {"only comments", "  # a\n\n\n   // b  ", "# a\n\n// b\n"},
        {"white space kinds", "param\ta\xe3\x80\x80=\r\n1\r\n", "param a =\n    1\n"},
    };
    return cr_make_param_array(struct fmt_case, params, sizeof params / sizeof params[0]);
}

ParameterizedTest(struct fmt_case *p, fmt, layout)
{
    cr_log_info("%s", p->name);
    expect_fmt(p->in, p->out);
}

Test(fmt, byte_order_mark_kept)
{
    expect_fmt("\xEF\xBB\xBFparam a=1", "\xEF\xBB\xBFparam a = 1\n");
}

Test(fmt, deep_nesting)
{
    expect_fmt("indicator a { when x { indicator b { when y { indicator c = 1 } otherwise = 2 } } "
               "otherwise = 3 }",
               "indicator a {\n"
               "    when x {\n"
               "        indicator b {\n"
               "            when y {\n"
               "                indicator c = 1\n"
               "            }\n"
               "            otherwise = 2\n"
               "        }\n"
               "    }\n"
               "    otherwise = 3\n"
               "}\n");
}

Test(fmt, syntax_errors_are_not_formatted)
{
    char *diags;
    char *out = format("param a = \nparam b = 2\n", &diags);
    cr_expect_null(out);
    cr_expect_str_eq(diags, "2:1: unexpected 'param'\n");
    free(out);
    free(diags);
}

Test(fmt, full_width_punctuation_is_an_error)
{
    char *diags;
    char *out = format("let a = max（1, 2)\n", &diags);
    cr_expect_null(out);
    cr_expect_str_eq(diags, "1:12: unexpected full-width '（' (did you mean '('?)\n");
    free(out);
    free(diags);
}

/* ---- fmt_scan and fmt_same ---- */

static FmtDoc scan(Arena *a, Source **src, const char *text)
{
    Diags d;
    diags_init(&d);
    *src = source_from_mem("t.kp", text, strlen(text));
    FmtDoc doc;
    cr_assert(fmt_scan(a, *src, &d, &doc));
    diags_free(&d);
    return doc;
}

Test(fmt, scan_elements)
{
    Arena a;
    arena_init(&a);
    Source *src;
    FmtDoc doc = scan(&a, &src, "\xEF\xBB\xBF# one \r\nlet x =\n\n 1 // two\n");
    cr_expect(doc.bom);
    cr_assert_eq(doc.n, 6);
    const char *texts[] = {"# one", "let", "x", "=", "1", "// two"};
    const uint32_t newlines[] = {0, 1, 0, 0, 2, 0};
    for (int i = 0; i < 6; i++) {
        cr_expect_eq(doc.elems[i].len, strlen(texts[i]), "element %d", i);
        cr_expect(memcmp(doc.elems[i].text, texts[i], doc.elems[i].len) == 0, "element %d", i);
        cr_expect_eq(doc.elems[i].newlines, newlines[i], "element %d", i);
    }
    cr_expect_eq(doc.elems[0].kind, FE_COMMENT);
    cr_expect_eq(doc.elems[4].kind, FE_TOKEN);
    source_free(src);
    arena_free(&a);
}

Test(fmt, same_ignores_layout_only)
{
    Arena a;
    arena_init(&a);
    Source *s1, *s2, *s3, *s4;
    FmtDoc d1 = scan(&a, &s1, "veto v when x => at most y # c\n");
    FmtDoc d2 = scan(&a, &s2, "veto  v\nwhen x=>at\tmost y\n\n# c");
    FmtDoc d3 = scan(&a, &s3, "veto v when x => at most z # c\n");
    FmtDoc d4 = scan(&a, &s4, "veto v when x => at most y # d\n");
    Span diff;
    cr_expect(fmt_same(&d1, &d2, &diff));
    cr_expect_not(fmt_same(&d1, &d3, &diff));
    cr_expect_eq(diff.start, 25); /* 'y' */
    cr_expect_not(fmt_same(&d1, &d4, &diff));
    cr_expect_eq(diff.start, 27); /* '# c' */
    source_free(s1);
    source_free(s2);
    source_free(s3);
    source_free(s4);
    arena_free(&a);
}

/* ---- kp_format ---- */

Test(fmt, kp_format_reports_change)
{
    char *dir = kt_tmpdir();
    kt_write(dir, "messy.kp", "param a=1");
    kt_write(dir, "clean.kp", "param a = 1\n");
    char path[4096];
    Diags d;
    diags_init(&d);
    size_t len = 0;
    bool changed = false;
    snprintf(path, sizeof path, "%s/messy.kp", dir);
    char *out = kp_format(path, NULL, &len, &changed, &d);
    cr_assert_not_null(out);
    cr_expect_str_eq(out, "param a = 1\n");
    cr_expect(changed);
    free(out);
    snprintf(path, sizeof path, "%s/clean.kp", dir);
    out = kp_format(path, NULL, &len, &changed, &d);
    cr_assert_not_null(out);
    cr_expect_not(changed);
    cr_expect_eq(d.n, 0);
    free(out);
    snprintf(path, sizeof path, "%s/missing.kp", dir);
    cr_expect_null(kp_format(path, NULL, &len, &changed, &d));
    cr_assert_eq(d.nerrors, 1);
    cr_expect(strstr(d.items[0].msg, "cannot read the scheme") != NULL);
    diags_free(&d);
    kt_rmdir(dir);
}

Test(fmt, kp_format_reads_a_stream)
{
    char text[] = "let x=1";
    FILE *f = fmemopen(text, strlen(text), "r");
    cr_assert_not_null(f);
    Diags d;
    diags_init(&d);
    size_t len = 0;
    bool changed = false;
    char *out = kp_format("<stdin>", f, &len, &changed, &d);
    fclose(f);
    cr_assert_not_null(out);
    cr_expect_str_eq(out, "let x = 1\n");
    cr_expect(changed);
    free(out);
    diags_free(&d);
}

Test(fmt, kp_format_rejects_invalid_utf8)
{
    char text[] = "param \xb2\xce = 1\n";
    FILE *f = fmemopen(text, strlen(text), "r");
    Diags d;
    diags_init(&d);
    size_t len = 0;
    bool changed = false;
    cr_expect_null(kp_format("gbk.kp", f, &len, &changed, &d));
    fclose(f);
    cr_assert_eq(d.nerrors, 1);
    cr_expect_str_eq(d.items[0].msg, "invalid UTF-8 byte 0xb2 (save the file as UTF-8, not GBK)");
    diags_free(&d);
}
