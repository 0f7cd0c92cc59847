/*
** test_cell.c — cell_parse: the text of a CSV cell or a column default as a
** typed value, and the exact reason when it does not fit.
*/
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <string.h>

#include "cell.h"
#include "date.h"

typedef struct CellCase {
    ColKind kind;
    char text[32];
    bool ok;
    char want[120]; /* the value as dec_format/date_format writes it, or the error */
} CellCase;

ParameterizedTestParameters(cell, parse)
{
    static CellCase cases[] = {
        {COL_INT, "12", true, "12"},
        {COL_INT, "-3", true, "-3"},
        {COL_INT, "1.0", true, "1"},
        {COL_INT, "1.5", false, "expected int, got \"1.5\""},
        {COL_INT, "八十", false, "expected int, got \"八十\""},
        {COL_DEC, "87.35", true, "87.35"},
        {COL_DEC, "85%", false, "expected decimal, got \"85%\""},
        {COL_DEC, "0.1234567890123", false,
         "expected decimal, got \"0.1234567890123\" (more than 12 decimal places)"},
        {COL_PERCENT, "85%", true, "0.85"},
        {COL_PERCENT, "0.85", true, "0.85"},
        {COL_BOOL, "是", true, "true"},
        {COL_BOOL, "否", true, "false"},
        {COL_BOOL, "1", true, "true"},
        {COL_BOOL, "false", true, "false"},
        {COL_BOOL, "对", false, "expected true or false (also 1/0, 是/否), got \"对\""},
        {COL_DATE, "2023-12-31", true, "2023-12-31"},
        {COL_DATE, "2023-02-30", false, "expected a date YYYY-MM-DD, got \"2023-02-30\""},
        {COL_DATE, "2023/12/31", false, "expected a date YYYY-MM-DD, got \"2023/12/31\""},
    };
    return cr_make_param_array(CellCase, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(CellCase *c, cell, parse)
{
    Model m = {0};
    m.strings = &m.own_strings;
    intern_init(m.strings);
    Column col = {.name = "x", .kind = c->kind};
    Value v;
    char err[200] = "", got[64] = "";
    bool ok = cell_parse(&m, &col, c->text, strlen(c->text), true, &v, err, sizeof err);
    cr_assert_eq(ok, c->ok, "%s: %s", c->text, err);
    if (!ok)
        cr_expect_str_eq(err, c->want);
    else if (c->kind == COL_BOOL)
        cr_expect_str_eq(v.b ? "true" : "false", c->want);
    else if (c->kind == COL_DATE) {
        date_format(v.d, got);
        cr_expect_str_eq(got, c->want);
    } else {
        dec_format(v.n, got);
        cr_expect_str_eq(got, c->want);
    }
    cr_expect_not(v.null);
    intern_free(m.strings);
}

static Column enum_column(Model *m, Arena *a, PtrVec *vals)
{
    static const char *const names[] = {"好", "较好", "一般"};
    static uint32_t ids[3];
    vals->items = (void **)names;
    vals->n = vals->cap = 3;
    for (int i = 0; i < 3; i++)
        ids[i] = intern_put(m->strings, names[i], strlen(names[i]));
    Column c = {.name = "q1", .kind = COL_ENUM, .enum_ids = ids};
    c.enum_keys = cell_enum_keys(a, vals, ids);
    c.type.base = T_TEXT;
    c.type.enum_vals = vals;
    return c;
}

Test(cell, enum_values_are_their_interned_ids)
{
    Model m = {0};
    m.strings = &m.own_strings;
    intern_init(m.strings);
    PtrVec vals;
    Arena a;
    arena_init(&a);
    Column c = enum_column(&m, &a, &vals);
    Value v;
    char err[200] = "";
    cr_assert(cell_parse(&m, &c, "较好", strlen("较好"), false, &v, err, sizeof err));
    cr_expect_eq(v.t, intern_find(m.strings, "较好", strlen("较好")));
    cr_assert_not(cell_parse(&m, &c, "较差", strlen("较差"), false, &v, err, sizeof err));
    cr_expect_str_eq(err, "\"较差\" is not one of the allowed values (did you mean \"较好\"?)");
    cr_assert_not(cell_parse(&m, &c, "优秀", strlen("优秀"), false, &v, err, sizeof err));
    cr_expect_str_eq(err, "\"优秀\" is not one of the allowed values");
    intern_free(m.strings);
    arena_free(&a);
}

Test(cell, text_is_interned_only_when_kept)
{
    Model m = {0};
    m.strings = &m.own_strings;
    intern_init(m.strings);
    Column c = {.name = "note", .kind = COL_TEXT};
    Value v;
    char err[200] = "";
    cr_assert(cell_parse(&m, &c, "甲", strlen("甲"), false, &v, err, sizeof err));
    cr_expect_eq(v.t, INTERN_NONE, "only checked, not stored");
    cr_expect_eq(intern_find(m.strings, "甲", strlen("甲")), INTERN_NONE);
    cr_assert(cell_parse(&m, &c, "甲", strlen("甲"), true, &v, err, sizeof err));
    cr_expect_neq(v.t, INTERN_NONE);
    cr_expect_str_eq(intern_str(m.strings, v.t, NULL), "甲");
    intern_free(m.strings);
}
