/*
** resolve_test.c — what a test's expectations name and compare:
**
**     expect P1.total == 87.35            a result of one person (by key)
**     expect P2.grade == 不称职           a grade: text, checked to be a grade
**     expect P3.vetoes contains 违纪违法  the vetoes that fired (or `eligible`)
**     expect 功效系数法(90, 60, 100) == 100   no person: constants only
**
** The expected value is a constant expression (literals, params, functions);
** a bare name where text is expected is that text. Every name is checked
** here, with "did you mean" suggestions, before anything runs.
*/
#include "resolve_int.h"

#include <string.h>

static const char UNGRADED_TEXT[] = "不定等次";

/* KEY.NAME with a key written as a name, a string or a number. */
static bool names_person(const Expr *e)
{
    return e->kind == E_FIELD &&
           (e->a->kind == E_NAME || e->a->kind == E_STR || e->a->kind == E_NUM);
}

static const char *key_text(Resolver *r, const Expr *k)
{
    if (k->kind == E_NAME) return k->name;
    if (k->kind == E_STR) return k->str;
    return arena_strndup(r->arena, r->src->text + k->span.start, k->span.end - k->span.start);
}

static void unknown_result(Resolver *r, const Expr *e)
{
    PtrVec c = {0};
    static const char *const extra[] = {"grade", "vetoes", "eligible"};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        ptrvec_push(r->arena, &c, (void *)extra[i]);
    for (Sym *s = r->m->symbols; s; s = s->hh.next)
        if (s->kind == SYM_VALUE) ptrvec_push(r->arena, &c, (void *)s->name);
    const char *best = suggest_closest(e->name, (const char *const *)c.items, (size_t)c.n);
    Table *t = r->m->assessed;
    bool column = false;
    for (int i = 0; i < t->ncols; i++)
        column |= strcmp(t->cols[i]->name, e->name) == 0;
    if (column)
        RERR(r, e->name_span,
             "'%s' is a column of the data, not a result; expectations check what the scheme "
             "computes",
             e->name);
    else if (best)
        RERR(r, e->name_span, "unknown result '%s' (did you mean '%s'?)", e->name, best);
    else
        RERR(r, e->name_span, "unknown result '%s'", e->name);
}

/* The subject KEY.NAME: which result of which person. */
static bool resolve_subject(Resolver *r, Expect *x, Expr *e, Type *type)
{
    Model *m = r->m;
    if (!m->assessed) {
        RERR(r, e->span, "'%.*s' names a person, but the scheme assesses no table",
             (int)(e->span.end - e->span.start), r->src->text + e->span.start);
        return false;
    }
    x->key = key_text(r, e->a);
    x->key_span = e->a->span;
    const char *n = e->name;
    type->list = false;
    type->enum_vals = NULL;
    if (!strcmp(n, "vetoes") || !strcmp(n, "一票否决")) {
        x->subject = EXPECT_VETOES;
        return true;
    }
    if (!strcmp(n, "eligible") || !strcmp(n, "资格")) {
        x->subject = EXPECT_ELIGIBLE;
        return true;
    }
    Sym *s = !strcmp(n, "等次") ? sym_find(r, "grade") : sym_find(r, n);
    if (!s || s->kind != SYM_VALUE) {
        unknown_result(r, e);
        return false;
    }
    x->subject = EXPECT_VALUE;
    x->val = s->ptr;
    x->val->shown = true; /* a let is kept for the check instead of freed once read */
    *type = x->val->type;
    return true;
}

/* The veto or the grade (with a `require`) that `contains` looks for. */
static bool resolve_item(Resolver *r, Expect *x)
{
    Model *m = r->m;
    Expr *it = x->item;
    const char *name = it->kind == E_NAME ? it->name : it->kind == E_STR ? it->str : NULL;
    bool vetoes = x->subject == EXPECT_VETOES;
    if (!name) {
        RERR(r, it->span, "expected the name of a %s", vetoes ? "veto" : "grade");
        return false;
    }
    const char *cands[64];
    size_t n = 0;
    if (vetoes) {
        for (int i = 0; i < m->nvetoes; i++) {
            if (!strcmp(m->vetoes[i]->name, name)) return x->item_index = i, true;
            if (n < 64) cands[n++] = m->vetoes[i]->name;
        }
    } else {
        for (int g = 0; g < m->ngrades; g++) {
            if (strcmp(m->grades[g].name, name)) continue;
            if (m->grades[g].rule->require) return x->item_index = g, true;
            RERR(r, it->span,
                 "grade '%s' has no 'require' condition; eligible lists the grades that have one",
                 name);
            return false;
        }
        for (int g = 0; g < m->ngrades && n < 64; g++)
            cands[n++] = m->grades[g].name;
    }
    const char *best = suggest_closest(name, cands, n);
    const char *what = vetoes ? "veto" : "grade";
    if (best)
        RERR(r, it->span, "unknown %s '%s' (did you mean '%s'?)", what, name, best);
    else if (!n)
        RERR(r, it->span, "unknown %s '%s' (the scheme has none)", what, name);
    else
        RERR(r, it->span, "unknown %s '%s'", what, name);
    return false;
}

/* The expected value of a grade: one of the grades, or 不定等次. */
static bool check_grade_text(Resolver *r, const Expr *rhs)
{
    if (rhs->kind != E_STR || !strcmp(rhs->str, UNGRADED_TEXT)) return true;
    for (int g = 0; g < r->m->ngrades; g++)
        if (!strcmp(r->m->grades[g].name, rhs->str)) return true;
    grade_index(r, rhs->str, rhs->span); /* reports it, with a suggestion */
    return false;
}

/* "a number", "text" ...: what a value is, in a sentence. */
static const char *a_type(Type t)
{
    static const char *const names[] = {"unknown", "a number", "true or false", "text", "a date"};
    return t.list ? "a list" : names[t.base];
}

static bool resolve_expected(Resolver *r, Expect *x, Type lt)
{
    Expr *rhs = x->rhs;
    if (names_person(rhs)) {
        RERR(r, rhs->span, "the expected value must be a constant (a literal, a param or a call)");
        return false;
    }
    /* `grade == 优秀`: a bare name where text is expected is that text. */
    if (rhs->kind == E_NAME && lt.base == T_TEXT) {
        Sym *s = sym_find(r, rhs->name);
        if (!s || s->kind != SYM_PARAM) {
            rhs->kind = E_STR;
            rhs->str = rhs->name;
        }
    }
    Ctx cc = {.kind = CTX_CONST};
    size_t errors = r->diags->nerrors;
    Type rt = resolve_expr(r, rhs, &cc);
    if (r->diags->nerrors > errors) return false;
    if (lt.base == T_ERROR || rt.base == T_ERROR) return true;
    if (rt.list || lt.base != rt.base) {
        RERR(r, rhs->span, "'%.*s' is %s, but the expected value is %s",
             (int)(x->lhs->span.end - x->lhs->span.start), r->src->text + x->lhs->span.start,
             a_type(lt), a_type(rt));
        return false;
    }
    if ((lt.base == T_TEXT || lt.base == T_BOOL) && x->op != OP_EQ && x->op != OP_NE) {
        RERR(r, x->e->span, "a %s can only be compared with == or !=", type_name(lt));
        return false;
    }
    if (x->subject == EXPECT_VALUE && x->val == r->m->v_grade) return check_grade_text(r, rhs);
    return true;
}

static bool resolve_const_side(Resolver *r, Expr *e, Type *t)
{
    Sym *s = e->kind == E_NAME ? sym_find(r, e->name) : NULL;
    if (s && s->kind == SYM_VALUE) {
        const char *key =
            r->m->assessed ? r->m->assessed->cols[r->m->assessed->key_col]->name : "KEY";
        RERR(r, e->span, "'%s' is a result of each person; say whose, e.g. P1.%s (the %s)", e->name,
             e->name, key);
        return false;
    }
    Ctx cc = {.kind = CTX_CONST};
    size_t errors = r->diags->nerrors;
    *t = resolve_expr(r, e, &cc);
    return r->diags->nerrors == errors;
}

static bool resolve_expect(Resolver *r, Expect *x)
{
    Expr *e = x->e;
    x->lhs = e;
    x->op = OP_EQ;
    if (!x->contains && e->kind == E_BINARY && e->op >= OP_EQ && e->op <= OP_GE) {
        x->lhs = e->a;
        x->rhs = e->b;
        x->op = e->op;
    }
    Type lt = {T_ERROR, false, NULL};
    bool person = names_person(x->lhs);
    if (person ? !resolve_subject(r, x, x->lhs, &lt) : !resolve_const_side(r, x->lhs, &lt))
        return false;
    bool set = x->subject == EXPECT_VETOES || x->subject == EXPECT_ELIGIBLE;
    if (x->contains) {
        if (!set) {
            RERR(r, x->lhs->span, "'contains' looks into vetoes or eligible, not into '%.*s'",
                 (int)(x->lhs->span.end - x->lhs->span.start), r->src->text + x->lhs->span.start);
            return false;
        }
        return resolve_item(r, x);
    }
    if (set) {
        RERR(r, x->lhs->span, "%s is a list of names: ask whether it contains one, e.g. %s.%s %s X",
             x->lhs->name, x->key, x->lhs->name, x->lhs->name[0] & 0x80 ? "包含" : "contains");
        return false;
    }
    if (x->rhs) return resolve_expected(r, x, lt);
    /* A condition on its own: expect P1.合格, expect 优秀比例 <= 25% and ... */
    if (!type_is(lt, T_BOOL)) {
        RERR(r, x->lhs->span, "an expectation is a condition; this is %s: compare it with a value",
             a_type(lt));
        return false;
    }
    return true;
}

bool resolve_test(Model *m, Diags *d, TestBlock *tb)
{
    Resolver r = {.arena = m->arena, .diags = d, .m = m, .src = tb->src};
    size_t errors = d->nerrors;
    if (tb->tables.n && !m->assessed)
        RERR(&r, ((TestRows *)tb->tables.items[0])->table_span,
             "rows are given for tables, but the scheme declares none");
    else if (m->assessed)
        test_rows_attach(&r, tb);
    for (int i = 0; i < tb->expects.n; i++)
        resolve_expect(&r, tb->expects.items[i]);
    return d->nerrors == errors;
}

bool resolve_test_keys(Model *m, Diags *d, TestBlock *tb)
{
    Resolver r = {.arena = m->arena, .diags = d, .m = m, .src = tb->src};
    Table *t = m->assessed;
    size_t errors = d->nerrors;
    for (int i = 0; i < tb->expects.n; i++) {
        Expect *x = tb->expects.items[i];
        if (x->subject == EXPECT_CONST) continue;
        uint32_t id = intern_find(m->strings, x->key, strlen(x->key));
        x->row = id && id < t->row_by_text_cap ? t->row_by_text[id] : -1;
        if (x->row >= 0) continue;
        const char *cands[256];
        size_t n = 0;
        for (int32_t k = 0; k < t->nrows && n < 256; k++)
            cands[n++] = intern_str(m->strings, t->key_text[k], NULL);
        const char *best = suggest_closest(x->key, cands, n);
        const char *key = t->cols[t->key_col]->name;
        if (!t->nrows)
            RERR(&r, x->key_span, "no row of %s has %s '%s': this test gives no rows of %s",
                 t->name, key, x->key, t->name);
        else if (best)
            RERR(&r, x->key_span, "no row of %s in this test has %s '%s' (did you mean '%s'?)",
                 t->name, key, x->key, best);
        else
            RERR(&r, x->key_span, "no row of %s in this test has %s '%s'", t->name, key, x->key);
    }
    return d->nerrors == errors;
}
