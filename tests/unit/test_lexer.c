/*
** test_lexer.c — the token stream of grammar/lexer.l through lex_dump():
** every keyword in both spellings, symbols, numbers, strings and their
** escapes, Chinese identifiers, `at most`, comments, the BOM, and the
** diagnostics for full-width punctuation, invalid bytes and unterminated
** strings, with their byte ranges and line:column.
*/
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp_test_util.h"
#include "parse.h"

typedef struct Lexed {
    Arena arena;
    Source *src;
    Diags d;
    char *toks;
    char *diags; /* kt_diag_summary, malloc'd */
} Lexed;

static void lex_n(Lexed *l, const char *text, size_t len)
{
    arena_init(&l->arena);
    diags_init(&l->d);
    l->src = source_from_mem("t.kp", text, len);
    cr_assert_not_null(l->src);
    l->toks = lex_dump(&l->arena, l->src, &l->d);
    cr_assert_not_null(l->toks);
    l->diags = kt_diag_summary(&l->d);
}

static void lexed_free(Lexed *l)
{
    free(l->diags);
    diags_free(&l->d);
    source_free(l->src);
    arena_free(&l->arena);
}

/* Lexes text (len bytes) and compares the token dump and the diagnostics. */
static void expect_lex_n(const char *text, size_t len, const char *toks, const char *diags)
{
    Lexed l;
    lex_n(&l, text, len);
    cr_expect_str_eq(l.toks, toks, "tokens of \"%s\"", text);
    cr_expect_str_eq(l.diags, diags, "diagnostics of \"%s\"", text);
    lexed_free(&l);
}

static void expect_lex(const char *text, const char *toks, const char *diags)
{
    expect_lex_n(text, strlen(text), toks, diags);
}

/* ---- keywords ---- */

typedef struct Keyword {
    char en[16];
    char zh[16];
    char tok[24];
} Keyword;

ParameterizedTestParameters(lexer, keyword_spellings)
{
    static Keyword kws[] = {
        {"scheme", "方案", "'scheme'"},
        {"version", "版本", "'version'"},
        {"import", "导入", "'import'"},
        {"param", "参数", "'param'"},
        {"table", "表", "'table'"},
        {"key", "主键", "'key'"},
        {"assess", "考核对象", "'assess'"},
        {"group", "分组", "'group'"},
        {"by", "按", "'by'"},
        {"let", "定义", "'let'"},
        {"indicator", "指标", "'indicator'"},
        {"weight", "权重", "'weight'"},
        {"when", "当", "'when'"},
        {"otherwise", "否则", "'otherwise'"},
        {"else", "否则", "'otherwise'"},
        {"bonus", "加分", "'bonus'"},
        {"penalty", "减分", "'penalty'"},
        {"cap", "封顶", "'cap'"},
        {"adjust", "调整", "'adjust'"},
        {"veto", "一票否决", "'veto'"},
        {"at most", "至多", "'at most'"},
        {"ungraded", "不定等次", "'ungraded'"},
        {"grades", "等次", "'grades'"},
        {"within", "范围", "'within'"},
        {"quota", "名额", "'quota'"},
        {"require", "条件", "'require'"},
        {"override", "指定", "'override'"},
        {"asc", "升序", "'asc'"},
        {"desc", "降序", "'desc'"},
        {"and", "且", "'and'"},
        {"or", "或", "'or'"},
        {"not", "非", "'not'"},
        {"in", "属于", "'in'"},
        {"if", "如果", "'if'"},
        {"then", "那么", "'then'"},
        {"where", "其中", "'where'"},
        {"true", "真", "'true' or 'false'"},
        {"false", "假", "'true' or 'false'"},
        {"enum", "枚举", "'enum'"},
        {"def", "函数", "'def'"},
        {"output", "输出", "'output'"},
        {"extends", "继承", "'extends'"},
        {"replace", "替换", "'replace'"},
        {"remove", "删除", "'remove'"},
        {"period", "考核期", "'period'"},
        {"from", "从", "'from'"},
        {"to", "到", "'to'"},
        {"before", "此前", "'before'"},
        {"test", "测试", "'test'"},
        {"expect", "期望", "'expect'"},
        {"contains", "包含", "'contains'"},
        {"step", "分段", "'step'"},
        {"first", "首个", "'first'"},
        {"unique", "唯一", "'unique'"},
    };
    return cr_make_param_array(Keyword, kws, sizeof kws / sizeof kws[0]);
}

ParameterizedTest(Keyword *k, lexer, keyword_spellings)
{
    size_t ne = strlen(k->en), nz = strlen(k->zh);
    char text[64], want[160];

    snprintf(want, sizeof want, "%s@0-%zu", k->tok, ne);
    expect_lex(k->en, want, "");
    snprintf(want, sizeof want, "%s@0-%zu", k->tok, nz);
    expect_lex(k->zh, want, "");

    /* Both spellings mixed, and inside surrounding names. */
    snprintf(text, sizeof text, "%s %s", k->en, k->zh);
    snprintf(want, sizeof want, "%s@0-%zu %s@%zu-%zu", k->tok, ne, k->tok, ne + 1, ne + 1 + nz);
    expect_lex(text, want, "");
    snprintf(text, sizeof text, "x %s y", k->zh);
    snprintf(want, sizeof want, "name@0-1 %s@2-%zu name@%zu-%zu", k->tok, 2 + nz, 3 + nz, 4 + nz);
    expect_lex(text, want, "");

    /* A keyword glued to more letters is a single name (指标业务 is one name). */
    snprintf(text, sizeof text, "%s甲", k->zh);
    snprintf(want, sizeof want, "name@0-%zu", nz + 3);
    expect_lex(text, want, "");
    snprintf(text, sizeof text, "甲%s", k->zh);
    expect_lex(text, want, "");
    if (!strchr(k->en, ' ')) {
        snprintf(text, sizeof text, "%s_1", k->en);
        snprintf(want, sizeof want, "name@0-%zu", ne + 2);
        expect_lex(text, want, "");
        snprintf(text, sizeof text, "x%s", k->en);
        snprintf(want, sizeof want, "name@0-%zu", ne + 1);
        expect_lex(text, want, "");
    }
}

Test(lexer, keywords_are_case_sensitive)
{
    expect_lex("Scheme LET If", "name@0-6 name@7-10 name@11-13", "");
}

Test(lexer, keyword_next_to_punctuation)
{
    expect_lex("如果(x)那么", "'if'@0-6 '('@6-7 name@7-8 ')'@8-9 'then'@9-15", "");
    expect_lex("count(cases其中 x)", "name@0-5 '('@5-6 name@6-17 name@18-19 ')'@19-20", "");
}

Test(lexer, booleans_carry_their_value)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    const char *text = "let x = [true, false, 真, 假]";
    Source *s = source_from_mem("t.kp", text, strlen(text));
    Program *p = parse_program(&a, s, &d);
    cr_assert_eq(d.n, 0);
    cr_assert_eq(p->decls.n, 1);
    Decl *dl = p->decls.items[0];
    cr_expect_str_eq(ast_dump_expr(&a, dl->expr), "[true false true false]");
    source_free(s);
    diags_free(&d);
    arena_free(&a);
}

/* ---- symbols ---- */

Test(lexer, operators_and_punctuation)
{
    expect_lex("-> => == != <= >= ≥ ≤ ≠ + - * / < > = ( ) { } [ ] , . : ; ?",
               "'->'@0-2 '=>'@3-5 '=='@6-8 '!='@9-11 '<='@12-14 '>='@15-17 '>='@18-21 "
               "'<='@22-25 '!='@26-29 '+'@30-31 '-'@32-33 '*'@34-35 '/'@36-37 '<'@38-39 "
               "'>'@40-41 '='@42-43 '('@44-45 ')'@46-47 '{'@48-49 '}'@50-51 '['@52-53 "
               "']'@54-55 ','@56-57 '.'@58-59 ':'@60-61 ';'@62-63 '?'@64-65",
               "");
}

Test(lexer, operators_without_spaces)
{
    expect_lex("a>=b", "name@0-1 '>='@1-3 name@3-4", "");
    expect_lex("a=>b", "name@0-1 '=>'@1-3 name@3-4", "");
    expect_lex("-->", "'-'@0-1 '->'@1-3", "");
    expect_lex("a==-1", "name@0-1 '=='@1-3 '-'@3-4 number@4-5", "");
    expect_lex("x≥1", "name@0-1 '>='@1-4 number@4-5", "");
    expect_lex("a.b.c", "name@0-1 '.'@1-2 name@2-3 '.'@3-4 name@4-5", "");
}

/* ---- numbers ---- */

Test(lexer, numbers_and_percents)
{
    expect_lex("12 0.5 20% 1.25% 007",
               "number@0-2 number@3-6 number@7-10 number@11-16 number@17-20", "");
    /* No leading or trailing dot, no exponent: those are separate tokens. */
    expect_lex("12.", "number@0-2 '.'@2-3", "");
    expect_lex(".5", "'.'@0-1 number@1-2", "");
    expect_lex("1.2.3", "number@0-3 '.'@3-4 number@4-5", "");
    expect_lex("3abc", "number@0-1 name@1-4", "");
    expect_lex("1e5", "number@0-1 name@1-3", "");
    expect_lex("-7", "'-'@0-1 number@1-2", "");
    expect_lex("5 %", "number@0-1", "1:3: unexpected character '%'\n");
}

Test(lexer, number_values)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    const char *text = "let x = [12, 0.5, 20%, 1.25%, 007, 150%, 0.1234567890120]";
    Source *s = source_from_mem("t.kp", text, strlen(text));
    Program *p = parse_program(&a, s, &d);
    cr_assert_eq(d.n, 0);
    Expr *list = ((Decl *)p->decls.items[0])->expr;
    cr_expect_str_eq(ast_dump_expr(&a, list), "[12 0.5 0.2 0.0125 7 1.5 0.123456789012]");
    bool pct[] = {false, false, true, true, false, true, false};
    cr_assert_eq(list->args.n, 7);
    for (int i = 0; i < 7; i++)
        cr_expect_eq(((Expr *)list->args.items[i])->is_percent, pct[i], "item %d", i);
    source_free(s);
    diags_free(&d);
    arena_free(&a);
}

Test(lexer, number_errors)
{
    expect_lex("1.0000000000001", "number@0-15", "1:1: number has more than 12 decimal places\n");
    /* 11 digits, but as a percent that is 13. */
    expect_lex("x = 0.12345678901%", "name@0-1 '='@2-3 number@4-18",
               "1:5: number has more than 12 decimal places\n");
    expect_lex("123456789012345678901234567890", "number@0-30", "1:1: number is too large\n");
    expect_lex("99999999999999999999999999 1.000000000001", "number@0-26 number@27-41", "");
}

/* ---- strings ---- */

Test(lexer, strings)
{
    expect_lex("\"abc\" \"a\\\"b\" \"中文\" \"\"",
               "string@0-5 string@6-12 string@13-21 string@22-24", "");
    expect_lex("\"a # b // c\"x", "string@0-12 name@12-13", "");
}

Test(lexer, string_escapes)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    const char *text =
        "let x = [\"a\\\"b\", \"tab\\there\", \"nl\\nx\", \"back\\\\slash\", \"\", \"好\"]";
    Source *s = source_from_mem("t.kp", text, strlen(text));
    Program *p = parse_program(&a, s, &d);
    cr_assert_eq(d.n, 0, "%s", d.n ? d.items[0].msg : "");
    Expr *list = ((Decl *)p->decls.items[0])->expr;
    const char *want[] = {"a\"b", "tab\there", "nl\nx", "back\\slash", "", "好"};
    cr_assert_eq(list->args.n, 6);
    for (int i = 0; i < 6; i++) {
        Expr *e = list->args.items[i];
        cr_expect_eq(e->kind, E_STR);
        cr_expect_str_eq(e->str, want[i], "item %d", i);
    }
    source_free(s);
    diags_free(&d);
    arena_free(&a);
}

Test(lexer, unknown_escape)
{
    Lexed l;
    const char *text = "\"a\\qb\"";
    lex_n(&l, text, strlen(text));
    cr_expect_str_eq(l.toks, "string@0-6");
    cr_expect_str_eq(l.diags, "1:3: unknown escape '\\q' (expected \\n, \\t, \\\\ or \\\")\n");
    cr_assert_eq(l.d.n, 1);
    cr_expect_eq(l.d.items[0].caret_len, 2);
    lexed_free(&l);
}

Test(lexer, unterminated_string)
{
    expect_lex("let s = \"abc", "'let'@0-3 name@4-5 '='@6-7 string@8-12",
               "1:9: unterminated string (missing '\"')\n");
    /* A string ends at the end of its line. */
    expect_lex("\"abc\nx", "string@0-4 name@5-6", "1:1: unterminated string (missing '\"')\n");
    expect_lex("\"", "string@0-1", "1:1: unterminated string (missing '\"')\n");
}

/* ---- names ---- */

Test(lexer, identifiers_with_chinese)
{
    expect_lex("优秀比例 q1 _x 甲_1 指标业务 x指标",
               "name@0-12 name@13-15 name@16-18 name@19-24 name@25-37 name@38-45", "");
    /* Letters from other scripts are name characters too. */
    expect_lex("café·x", "name@0-8", "");
}

Test(lexer, name_values)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diags_init(&d);
    const char *text = "let 优秀比例 = 同岗人均办案数 + q_1";
    Source *s = source_from_mem("t.kp", text, strlen(text));
    Program *p = parse_program(&a, s, &d);
    cr_assert_eq(d.n, 0);
    Decl *dl = p->decls.items[0];
    cr_expect_str_eq(dl->name, "优秀比例");
    cr_expect_str_eq(ast_dump_expr(&a, dl->expr), "(+ 同岗人均办案数 q_1)");
    source_free(s);
    diags_free(&d);
    arena_free(&a);
}

/* ---- at most ---- */

Test(lexer, at_most)
{
    expect_lex("at most", "'at most'@0-7", "");
    expect_lex("at \t\n most", "'at most'@0-10", "");
    expect_lex("至多", "'at most'@0-6", "");
    expect_lex("=> at most 称职", "'=>'@0-2 'at most'@3-10 name@11-17", "");
    expect_lex("at", "name@0-2", "");
    expect_lex("most", "name@0-4", "");
    expect_lex("atmost", "name@0-6", "");
    expect_lex("at # c\nmost", "name@0-2 name@7-11", "");
    /* Joined to more letters it is a name, as every keyword is. */
    expect_lex("at mostly", "name@0-2 name@3-9", "");
    expect_lex("at most称职", "name@0-2 name@3-13", "");
}

/* ---- comments, whitespace, BOM ---- */

Test(lexer, comments)
{
    expect_lex("a # x y\nb // z\nc#d\n//e", "name@0-1 name@8-9 name@15-16", "");
    expect_lex("a#", "name@0-1", "");
    expect_lex("# only a comment", "", "");
    expect_lex("a / b", "name@0-1 '/'@2-3 name@4-5", "");
    expect_lex("# ，＝ full-width in a comment\nx", "name@33-34", "");
}

Test(lexer, whitespace)
{
    expect_lex("a\t\r\nb", "name@0-1 name@4-5", "");
    /* The ideographic space U+3000 separates tokens. */
    expect_lex("a\xE3\x80\x80"
               "b",
               "name@0-1 name@4-5", "");
    expect_lex("", "", "");
}

Test(lexer, bom_at_start_is_skipped)
{
    expect_lex("\xEF\xBB\xBFlet x", "'let'@3-6 name@7-8", "");
    /* Columns on line 1 do not count the BOM. */
    expect_lex("\xEF\xBB\xBF"
               "a @",
               "name@3-4", "1:3: unexpected character '@'\n");
}

Test(lexer, bom_elsewhere_is_an_error)
{
    expect_lex("a\xEF\xBB\xBF"
               "b",
               "name@0-1 name@4-5", "1:2: unexpected character '\xEF\xBB\xBF'\n");
}

/* ---- full-width punctuation ---- */

typedef struct FullWidth {
    char fw[8];
    char ascii[4];
} FullWidth;

ParameterizedTestParameters(lexer, full_width_punctuation)
{
    static FullWidth fws[] = {
        {"，", ","}, {"（", "("}, {"）", ")"}, {"：", ":"}, {"；", ";"}, {"“", "\""},
        {"”", "\""}, {"【", "["}, {"】", "]"}, {"。", "."}, {"＝", "="}, {"＞", ">"},
        {"＜", "<"}, {"％", "%"}, {"－", "-"}, {"＋", "+"}, {"、", ","}, {"｛", "{"},
        {"｝", "}"}, {"？", "?"}, {"！", "!"}, {"＊", "*"}, {"／", "/"},
    };
    return cr_make_param_array(FullWidth, fws, sizeof fws / sizeof fws[0]);
}

ParameterizedTest(FullWidth *f, lexer, full_width_punctuation)
{
    size_t n = strlen(f->fw);
    char text[32], toks[128], diags[128];
    snprintf(text, sizeof text, "a%sb", f->fw);
    /* Punctuation the grammar knows is also returned as the token that was meant. */
    if (f->ascii[1] == 0 && strchr("-+*/<>=(){}[],.:;?", f->ascii[0]))
        snprintf(toks, sizeof toks, "name@0-1 '%s'@1-%zu name@%zu-%zu", f->ascii, 1 + n, 1 + n,
                 2 + n);
    else
        snprintf(toks, sizeof toks, "name@0-1 name@%zu-%zu", 1 + n, 2 + n);
    snprintf(diags, sizeof diags, "1:2: unexpected full-width '%s' (did you mean '%s'?)\n", f->fw,
             f->ascii);
    Lexed l;
    lex_n(&l, text, strlen(text));
    cr_expect_str_eq(l.toks, toks);
    cr_expect_str_eq(l.diags, diags);
    cr_assert_eq(l.d.n, 1);
    cr_expect_eq(l.d.items[0].caret_len, 1);
    lexed_free(&l);
}

Test(lexer, full_width_between_chinese_names)
{
    expect_lex("优秀，比例", "name@0-6 ','@6-9 name@9-15",
               "1:3: unexpected full-width '，' (did you mean ','?)\n");
    /* Two in a row are two diagnostics. */
    expect_lex("f（（x", "name@0-1 '('@1-4 '('@4-7 name@7-8",
               "1:2: unexpected full-width '（' (did you mean '('?)\n"
               "1:3: unexpected full-width '（' (did you mean '('?)\n");
}

Test(lexer, diagnostics_on_later_lines)
{
    expect_lex("x ＝ 1\n  y：2", "name@0-1 '='@2-5 number@6-7 name@10-11 ':'@11-14 number@14-15",
               "1:3: unexpected full-width '＝' (did you mean '='?)\n"
               "2:4: unexpected full-width '：' (did you mean ':'?)\n");
}

Test(lexer, other_non_ascii_symbols)
{
    expect_lex("a…b", "name@0-1 name@4-5", "1:2: unexpected character '…'\n");
}

/* ---- invalid input ---- */

Test(lexer, unexpected_ascii_characters)
{
    expect_lex("@", "", "1:1: unexpected character '@'\n");
    expect_lex("a!b", "name@0-1 name@2-3", "1:2: unexpected character '!'\n");
    expect_lex("$ & | ~ ^ ` '", "",
               "1:1: unexpected character '$'\n1:3: unexpected character '&'\n"
               "1:5: unexpected character '|'\n1:7: unexpected character '~'\n"
               "1:9: unexpected character '^'\n1:11: unexpected character '`'\n"
               "1:13: unexpected character '''\n");
}

Test(lexer, invalid_bytes)
{
    expect_lex("a\xFF"
               "b",
               "name@0-1 name@2-3", "1:2: invalid byte 0xff\n");
    expect_lex("\x01", "", "1:1: invalid byte 0x01\n");
    expect_lex("a\x80", "name@0-1", "1:2: invalid byte 0x80\n");
    /* A lead byte without its continuation: one diagnostic, lexing goes on. */
    expect_lex("\xC3(", "'('@1-2", "1:1: invalid byte 0xc3\n");
    expect_lex("\xE4\xB8 x", "name@3-4", "1:1: invalid byte 0xe4\n");
    /* An overlong encoding is two bad bytes. */
    expect_lex("\xC0\x80", "", "1:1: invalid byte 0xc0\n1:2: invalid byte 0x80\n");
    expect_lex_n("a\0b", 3, "name@0-1 name@2-3", "1:2: invalid byte 0x00\n");
}

Test(lexer, a_whole_declaration)
{
    expect_lex("指标 数量 权重 30% = 最小(120, 办案数)\n",
               "'indicator'@0-6 name@7-13 'weight'@14-20 number@21-24 '='@25-26 name@27-33 "
               "'('@33-34 number@34-37 ','@37-38 name@39-48 ')'@48-49",
               "");
}

/* 不包含 has one spelling: in English it is two words, `not contains`. */
Test(lexer, not_contains)
{
    expect_lex("不包含", "'不包含'@0-9", "");
    expect_lex("not contains", "'not'@0-3 'contains'@4-12", "");
    expect_lex("不包含x", "name@0-10", "");
}

/* ---- the keyword table of the language reference ---- */

/* The token names of text, positions dropped: "'scheme' 'version'". */
static char *token_names(const char *text)
{
    Lexed l;
    lex_n(&l, text, strlen(text));
    char *out = calloc(1, strlen(l.toks) + 1);
    size_t k = 0;
    for (const char *p = l.toks; *p;) {
        const char *at = strchr(p, '@');
        if (!at) break;
        memcpy(out + k, p, (size_t)(at - p));
        k += (size_t)(at - p);
        p = at;
        while (*p && *p != ' ')
            p++;
        while (*p == ' ')
            out[k++] = *p++;
    }
    out[k] = 0;
    lexed_free(&l);
    return out;
}

/* The `code` spans of a table cell, leaving out alternatives in parentheses. */
static int code_spans(char *cell, char spans[][32], int max)
{
    int n = 0, depth = 0;
    for (char *p = cell; *p && n < max; p++) {
        if (*p == '(') depth++;
        if (*p == ')') depth--;
        if (*p != '`' || depth) continue;
        char *end = strchr(p + 1, '`');
        if (!end) break;
        snprintf(spans[n++], 32, "%.*s", (int)(end - p - 1), p + 1);
        p = end;
    }
    return n;
}

/* Every English spelling in docs/language.md's keyword table lexes as the same
** token as the Chinese spelling beside it, so the table cannot drift from the
** lexer. */
Test(lexer, keyword_table_of_the_language_reference)
{
    FILE *f = fopen("docs/language.md", "r");
    cr_assert_not_null(f, "docs/language.md (run the tests from the repository root)");
    char line[1024];
    bool in_table = false;
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "## Keywords", 11))
            in_table = true;
        else if (!strncmp(line, "## ", 3))
            in_table = false;
        if (!in_table || strncmp(line, "| `", 3) != 0) continue;
        char *en = line + 1, *zh = strchr(en, '|');
        cr_assert_not_null(zh);
        *zh++ = 0;
        char *rest = strchr(zh, '|');
        cr_assert_not_null(rest);
        *rest = 0;
        char a[8][32], b[8][32];
        int na = code_spans(en, a, 8), nb = code_spans(zh, b, 8);
        cr_expect_eq(na, nb, "keyword row %d: %d English spellings, %d Chinese", rows + 1, na, nb);
        for (int i = 0; i < na && i < nb; i++) {
            if (!strcmp(a[i], "not contains")) continue; /* two tokens, one in Chinese */
            char *ta = token_names(a[i]), *tb = token_names(b[i]);
            cr_expect_str_eq(ta, tb, "`%s` and `%s` are different tokens", a[i], b[i]);
            cr_expect(strchr(ta, '\'') != NULL, "`%s` is not a keyword (%s)", a[i], ta);
            free(ta);
            free(tb);
        }
        rows++;
    }
    fclose(f);
    cr_expect_gt(rows, 25, "only %d keyword rows found", rows);
}
