/*
** resolve_expr.c — names and types inside expressions: what each name
** denotes in its context, aggregates over relations, groups and lists,
** built-in and user functions.
*/
#include "resolve_int.h"
#include "date.h"

#include <string.h>

typedef struct FuncName {
    const char *name;
    FuncId fn;
} FuncName;

static const FuncName func_names[] = {
    {"min", FN_MIN},
    {"最小", FN_MIN},
    {"max", FN_MAX},
    {"最大", FN_MAX},
    {"clamp", FN_CLAMP},
    {"限定", FN_CLAMP},
    {"abs", FN_ABS},
    {"绝对值", FN_ABS},
    {"round", FN_ROUND},
    {"四舍五入", FN_ROUND},
    {"round_half_even", FN_ROUND_EVEN},
    {"银行家舍入", FN_ROUND_EVEN},
    {"floor", FN_FLOOR},
    {"去尾", FN_FLOOR},
    {"ceil", FN_CEIL},
    {"进一", FN_CEIL},
    {"sqrt", FN_SQRT},
    {"开方", FN_SQRT},
    {"coalesce", FN_COALESCE},
    {"缺省", FN_COALESCE},
    {"year", FN_YEAR},
    {"年份", FN_YEAR},
    {"month", FN_MONTH},
    {"月份", FN_MONTH},
    {"days_between", FN_DAYS_BETWEEN},
    {"相隔天数", FN_DAYS_BETWEEN},
    {"date", FN_DATE},
    {"日期", FN_DATE},
    {STEP_NO_BAND, FN_NO_BAND},
    {STEP_INPUT, FN_STEP_INPUT},
    {"count", FN_COUNT},
    {"计数", FN_COUNT},
    {"sum", FN_SUM},
    {"合计", FN_SUM},
    {"avg", FN_AVG},
    {"mean", FN_AVG},
    {"平均", FN_AVG},
    {"any", FN_ANY},
    {"任一", FN_ANY},
    {"all", FN_ALL},
    {"全部", FN_ALL},
    {"stddev", FN_STDDEV},
    {"标准差", FN_STDDEV},
    {"rank", FN_RANK},
    {"排名", FN_RANK},
    {"rank_asc", FN_RANK_ASC},
    {"升序排名", FN_RANK_ASC},
    {"zscore", FN_ZSCORE},
    {"标准分", FN_ZSCORE},
};
#define NFUNCS (sizeof func_names / sizeof func_names[0])

static const Type T_NUMT = {T_NUM, false, NULL};
static const Type T_BOOLT = {T_BOOL, false, NULL};
static const Type T_TEXTT = {T_TEXT, false, NULL};
static const Type T_DATET = {T_DATE, false, NULL};
static const Type T_ERR = {T_ERROR, false, NULL};

const char *type_name(Type t)
{
    static const char *const names[] = {"error", "number", "bool", "text", "date"};
    static const char *const lists[] = {"list", "list of numbers", "list of bools", "list of texts",
                                        "list of dates"};
    return t.list ? lists[t.base] : names[t.base];
}

bool type_is(Type t, BaseType b)
{
    return t.base == T_ERROR || (t.base == b && !t.list);
}

void expect_type(Resolver *r, Expr *e, Type got, BaseType want, const char *what)
{
    if (type_is(got, want)) return;
    Type w = {want, false, NULL};
    EERR(r, e, e->span, "%s must be a %s, not a %s", what, type_name(w), type_name(got));
}

/* A date literal that date_parse rejected: wrongly written, or no such day. */
void bad_date(Resolver *r, const Expr *lit, Span span)
{
    const char *s = lit->str;
    bool shape = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; i < 10 && shape; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) shape = false;
    if (shape)
        EERR(r, lit, span, "\"%s\" is not a date: the calendar has no such day", s);
    else
        EERR(r, lit, span, "\"%s\" is not a date (expected YYYY-MM-DD)", s);
}

bool ptrvec_has(const PtrVec *v, const void *item)
{
    for (int i = 0; i < v->n; i++)
        if (v->items[i] == item) return true;
    return false;
}

bool name_poisoned(const Resolver *r, const char *name)
{
    for (int i = 0; i < r->poisoned.n; i++)
        if (strcmp(r->poisoned.items[i], name) == 0) return true;
    return false;
}

void add_dep(ValueDef *owner, ValueDef *dep, Arena *a)
{
    if (!owner) return;
    for (int i = 0; i < owner->deps.n; i++)
        if (owner->deps.items[i] == dep) return;
    ptrvec_push(a, &owner->deps, dep);
}

static Bound *bind(Resolver *r, Expr *e, BoundKind k, Type t)
{
    Bound *b = ARENA_NEW(r->arena, Bound);
    b->kind = k;
    b->type = t;
    e->bound = b;
    return b;
}

static Column *table_column(Table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i]->name, name) == 0) return t->cols[i];
    return NULL;
}

/* Candidates for "did you mean": every symbol and the context table's columns. */
static void unknown_name(Resolver *r, Expr *e, const char *name, Table *t, const char *what)
{
    if (name_poisoned(r, name)) return;
    PtrVec c = {0};
    for (Sym *s = r->m->symbols; s; s = s->hh.next)
        if (s->kind != SYM_GRADE) ptrvec_push(r->arena, &c, (void *)s->name);
    if (t)
        for (int i = 0; i < t->ncols; i++)
            ptrvec_push(r->arena, &c, (void *)t->cols[i]->name);
    const char *best = suggest_closest(name, (const char *const *)c.items, (size_t)c.n);
    if (best)
        EERR(r, e, e->name_span, "unknown %s '%s' (did you mean '%s'?)", what, name, best);
    else
        EERR(r, e, e->name_span, "unknown %s '%s'", what, name);
}

/* Column c is read by the value being resolved; read outside a value's
** computation, it is pinned. */
static void note_column(Resolver *r, const Ctx *ctx, Column *c)
{
    c->used = true;
    if (ctx->kind != CTX_PERSON || !ctx->owner)
        c->pinned = true;
    else if (!ptrvec_has(&ctx->owner->cols, c))
        ptrvec_push(r->arena, &ctx->owner->cols, c);
}

static Type column_bind(Resolver *r, Expr *e, const Ctx *ctx, Column **path, int n)
{
    Bound *b = bind(r, e, B_COL, path[n - 1]->type);
    b->path = ARENA_ARR(r->arena, Column *, n);
    memcpy(b->path, path, sizeof(Column *) * (size_t)n);
    b->npath = n;
    for (int i = 0; i < n; i++)
        note_column(r, ctx, path[i]);
    return b->type;
}

/* The table a name's columns come from in this context. */
static Table *ctx_table(Resolver *r, const Ctx *ctx)
{
    if (ctx->kind == CTX_PERSON) return r->m->assessed;
    if (ctx->kind == CTX_ROW) return ctx->table;
    return NULL;
}

/* owner reads the values a group key reads. A key still being resolved
** (the group is used inside the resolution of its own key, which is a
** cycle) has no binding yet: its names are looked up as they will bind, so
** the cycle is found and reported. */
static void add_key_deps(Resolver *r, ValueDef *owner, Expr *k)
{
    if (!k) return;
    if (k->bound) {
        if (k->bound->kind == B_VALUE) add_dep(owner, k->bound->val, r->arena);
        if (k->kind != E_NAME) {
            add_key_deps(r, owner, k->a);
            add_key_deps(r, owner, k->b);
            add_key_deps(r, owner, k->c);
            for (int i = 0; i < k->args.n; i++)
                add_key_deps(r, owner, k->args.items[i]);
        }
        return;
    }
    if (k->kind == E_NAME) {
        Sym *s = table_column(r->m->assessed, k->name) ? NULL : sym_find(r, k->name);
        if (s && s->kind == SYM_VALUE) add_dep(owner, s->ptr, r->arena);
        return;
    }
    add_key_deps(r, owner, k->a);
    add_key_deps(r, owner, k->b);
    add_key_deps(r, owner, k->c);
    for (int i = 0; i < k->args.n; i++)
        add_key_deps(r, owner, k->args.items[i]);
}

static Type resolve_name(Resolver *r, Expr *e, const Ctx *ctx)
{
    const char *name = e->name;
    if (ctx->func) {
        for (int i = 0; i < ctx->func->keys.n; i++) {
            Expr *p = ctx->func->keys.items[i];
            if (p->kind == E_NAME && strcmp(p->name, name) == 0) {
                bind(r, e, B_ARG, T_ERR);
                return T_ERR;
            }
        }
    }
    if (ctx->kind == CTX_PERSON && ctx->total_alias &&
        (strcmp(name, "total") == 0 || strcmp(name, "总分") == 0)) {
        bind(r, e, B_VALUE, T_NUMT)->val = ctx->total_alias;
        add_dep(ctx->owner, ctx->total_alias, r->arena);
        return T_NUMT;
    }
    Table *t = ctx_table(r, ctx);
    Column *col = t ? table_column(t, name) : NULL;
    if (col) return column_bind(r, e, ctx, &col, 1);
    Sym *s = sym_find(r, name);
    if (s) s->used = true;
    if (s && s->kind == SYM_PARAM) {
        Param *p = s->ptr;
        p->used = true;
        bind(r, e, B_PARAM, p->type)->param = p;
        return p->type;
    }
    if (s && s->kind == SYM_VALUE) {
        if (ctx->kind != CTX_PERSON) {
            EERR(r, e, e->span,
                 ctx->kind == CTX_ROW
                     ? "'%s' is a value of the assessed person; only the columns of '%s' and "
                       "params can be used here"
                     : "'%s' is not a constant; only params and literals can be used here%s",
                 name, ctx->kind == CTX_ROW ? ctx->table->name : "");
            return T_ERR;
        }
        ValueDef *v = s->ptr;
        /* A let further down: its type comes from its formula. One under
        ** way is a cycle, reported with the dependency order. */
        if (v->kind == VAL_LET && v->decl && v->typing == 0) resolve_let(r, v);
        if (v->kind == VAL_LET && v->typing == 1) {
            bind(r, e, B_VALUE, T_ERR)->val = v;
            add_dep(ctx->owner, v, r->arena);
            return T_ERR;
        }
        bind(r, e, B_VALUE, v->type)->val = v;
        add_dep(ctx->owner, v, r->arena);
        return v->type;
    }
    if (s && (s->kind == SYM_TABLE || s->kind == SYM_GROUP)) {
        EERR(r, e, e->span, "'%s' is a %s, not a value; use an aggregate such as count(%s)", name,
             s->kind == SYM_TABLE ? "table" : "group", name);
        return T_ERR;
    }
    if (s && s->kind == SYM_FUNC) {
        EERR(r, e, e->span, "'%s' is a function; call it with arguments", name);
        return T_ERR;
    }
    if (s && s->kind == SYM_GRADE) {
        EERR(r, e, e->span, "'%s' is a grade; compare grades as text: grade == \"%s\"", name, name);
        return T_ERR;
    }
    if (ctx->func) {
        EERR(
            r, e, e->span,
            "'%s' is neither a parameter of function '%s' nor a param (a function sees only those)",
            name, ctx->func->name);
        return T_ERR;
    }
    if (!t && r->m->assessed && table_column(r->m->assessed, name)) {
        EERR(r, e, e->span, "'%s' is a column; only params and literals can be used here", name);
        return T_ERR;
    }
    unknown_name(r, e, name, t, t ? "name" : "param");
    return T_ERR;
}

/* Resolves a chain a.b.c of reference columns; *n columns into path. When
** `reported` is given, a '.' after a column that is not a reference is an
** error, reported once, and *reported is set. */
static bool resolve_path(Resolver *r, Expr *e, const Ctx *ctx, Column **path, int *n,
                         bool *reported)
{
    if (*n >= 16) return false;
    if (e->kind == E_NAME) {
        Table *t = ctx_table(r, ctx);
        Column *c = t ? table_column(t, e->name) : NULL;
        if (!c) return false;
        path[(*n)++] = c;
        return true;
    }
    if (e->kind != E_FIELD) return false;
    if (!resolve_path(r, e->a, ctx, path, n, reported)) return false;
    Column *last = path[*n - 1];
    if (last->kind != COL_REF) {
        if (reported && !*reported) {
            EERR(r, e->a, e->a->span,
                 "'%s' is not a reference; only references (->) can be followed with '.'",
                 last->name);
            *reported = true;
        }
        return false;
    }
    if (!last->ref) { /* its table is unknown: reported with the table */
        if (reported) *reported = true;
        return false;
    }
    Column *c = table_column(last->ref, e->name);
    if (!c) return false;
    path[(*n)++] = c;
    return true;
}

/* COLL_ERROR: it is a related table, but an error was reported about it. */
typedef enum { COLL_NONE, COLL_REL, COLL_GROUP, COLL_ERROR } CollKind;
typedef struct Coll {
    CollKind kind;
    Column *path[16];
    int npath;
    Table *child, *parent;
    Column *via;
    Group *group;
} Coll;

static Column *ref_to(Resolver *r, Table *child, Table *parent, Expr *at, bool *ambiguous)
{
    Column *found = NULL;
    for (int i = 0; i < child->ncols; i++) {
        Column *c = child->cols[i];
        if (c->kind != COL_REF || c->ref != parent) continue;
        if (found && at) {
            EERR(r, at, at->span, "table '%s' refers to '%s' through two columns ('%s' and '%s')",
                 child->name, parent->name, found->name, c->name);
            *ambiguous = true;
            return NULL;
        }
        found = c;
    }
    return found;
}

/* Is e a related table (cases, dept.unit.depts) or a group? Quiet when not. */
static Coll resolve_coll(Resolver *r, Expr *e, const Ctx *ctx)
{
    Coll c = {0};
    if (ctx->kind != CTX_PERSON) return c;
    const char *name = e->kind == E_NAME || e->kind == E_FIELD ? e->name : NULL;
    Sym *s = name ? sym_find(r, name) : NULL;
    if (!s || (s->kind != SYM_TABLE && s->kind != SYM_GROUP)) return c;
    if (e->kind == E_NAME && table_column(r->m->assessed, name)) return c;
    if (s->kind == SYM_GROUP) {
        if (e->kind != E_NAME) return c;
        s->used = true;
        c.kind = COLL_GROUP;
        c.group = s->ptr;
        return c;
    }
    Table *child = s->ptr;
    Table *parent = r->m->assessed;
    if (e->kind == E_FIELD) {
        if (!resolve_path(r, e->a, ctx, c.path, &c.npath, NULL)) return c;
        Column *last = c.path[c.npath - 1];
        if (last->kind != COL_REF || !last->ref || table_column(last->ref, name)) return c;
        parent = last->ref;
    }
    bool ambiguous = false;
    c.via = ref_to(r, child, parent, e, &ambiguous);
    if (ambiguous) c.kind = COLL_ERROR;
    if (!c.via) return c;
    s->used = true;
    c.kind = COLL_REL;
    c.child = child;
    c.parent = parent;
    return c;
}

static Type resolve_call(Resolver *r, Expr *e, const Ctx *ctx);

/* a.b: a column reached through references, or a misused group or relation. */
static Type resolve_field(Resolver *r, Expr *e, const Ctx *ctx)
{
    Type a;

    Column *path[16];
    int n = 0;
    bool reported = false;
    if (resolve_path(r, e, ctx, path, &n, &reported)) return column_bind(r, e, ctx, path, n);
    if (reported || e->bound) return T_ERR;
    Coll c = resolve_coll(r, e->a, ctx);
    if (c.kind == COLL_ERROR) return T_ERR;
    if (c.kind == COLL_GROUP) {
        EERR(r, e, e->span, "'%s' is a group; use an aggregate such as avg(%s.%s)", e->a->name,
             e->a->name, e->name);
        return T_ERR;
    }
    n = 0;
    if (resolve_path(r, e->a, ctx, path, &n, NULL) && path[n - 1]->kind == COL_REF &&
        path[n - 1]->ref) {
        Column *last = path[n - 1];
        Coll rel = resolve_coll(r, e, ctx);
        if (rel.kind == COLL_ERROR) return T_ERR;
        if (rel.kind == COLL_REL) {
            EERR(r, e, e->span, "'%s' is a related table; use an aggregate such as count(%.*s)",
                 e->name, (int)(e->span.end - e->span.start), expr_src(r, e)->text + e->span.start);
            return T_ERR;
        }
        const char *cands[256];
        int nc = 0;
        for (int i = 0; i < last->ref->ncols && nc < 256; i++)
            cands[nc++] = last->ref->cols[i]->name;
        const char *best = suggest_closest(e->name, cands, (size_t)nc);
        if (best)
            EERR(r, e, e->name_span, "unknown column '%s' in table %s (did you mean '%s'?)",
                 e->name, last->ref->name, best);
        else
            EERR(r, e, e->name_span, "unknown column '%s' in table %s", e->name, last->ref->name);
    } else if (!e->a->bound || e->a->bound->kind != B_COL) {
        a = resolve_expr(r, e->a, ctx);
        if (a.base != T_ERROR)
            EERR(r, e->a, e->a->span, "only references (->) can be followed with '.'");
    }
    return T_ERR;
}

static Type resolve_binary(Resolver *r, Expr *e, const Ctx *ctx)
{
    Type a = resolve_expr(r, e->a, ctx);
    Type b = resolve_expr(r, e->b, ctx);
    bool list = a.list || b.list;
    if (a.list && b.list) {
        EERR(r, e, e->span, "cannot combine two lists; compare a list with one value");
        return T_ERR;
    }
    Type ea = a, eb = b;
    ea.list = eb.list = false;
    Type res = T_ERR;
    if (e->op <= OP_DIV) {
        expect_type(r, e->a, ea, T_NUM, "an operand of arithmetic");
        expect_type(r, e->b, eb, T_NUM, "an operand of arithmetic");
        res = T_NUMT;
    } else if (e->op == OP_AND || e->op == OP_OR) {
        expect_type(r, e->a, ea, T_BOOL, "an operand of 'and'/'or'");
        expect_type(r, e->b, eb, T_BOOL, "an operand of 'and'/'or'");
        res = T_BOOLT;
    } else {
        res = T_BOOLT;
        if (ea.base != T_ERROR && eb.base != T_ERROR && ea.base != eb.base)
            EERR(r, e, e->span, "cannot compare a %s with a %s", type_name(ea), type_name(eb));
        else if ((ea.base == T_TEXT || ea.base == T_BOOL) && e->op != OP_EQ && e->op != OP_NE)
            EERR(r, e, e->span, "a %s can only be compared with == or !=", type_name(ea));
        /* A literal compared with an enumeration must be one of its values. */
        Expr *lit = e->b->kind == E_STR ? e->b : e->a->kind == E_STR ? e->a : NULL;
        const PtrVec *ev = lit == e->b ? a.enum_vals : b.enum_vals;
        if (lit && ev) {
            bool found = false;
            for (int i = 0; i < ev->n && !found; i++)
                found = strcmp(ev->items[i], lit->str) == 0;
            if (!found) {
                const char *best =
                    suggest_closest(lit->str, (const char *const *)ev->items, (size_t)ev->n);
                if (best)
                    EERR(r, lit, lit->span,
                         "\"%s\" is not one of the allowed values (did you mean \"%s\"?)", lit->str,
                         best);
                else
                    EERR(r, lit, lit->span, "\"%s\" is not one of the allowed values", lit->str);
            }
        }
    }
    res.list = list;
    bind(r, e, B_FUNC, res);
    return res;
}

static Type resolve_in(Resolver *r, Expr *e, const Ctx *ctx)
{
    Type a = resolve_expr(r, e->a, ctx);
    if (e->b->kind != E_LIST) {
        EERR(r, e->b, e->b->span, "expected a list such as [\"a\", \"b\"] after 'in'");
        return T_ERR;
    }
    for (int i = 0; i < e->b->args.n; i++) {
        Expr *x = e->b->args.items[i];
        Expr cmp = {.kind = E_BINARY, .op = OP_EQ, .span = x->span, .a = e->a, .b = x};
        (void)cmp;
        Type b = resolve_expr(r, x, ctx);
        if (a.base != T_ERROR && b.base != T_ERROR && a.base != b.base)
            EERR(r, x, x->span, "cannot compare a %s with a %s", type_name(a), type_name(b));
        if (x->kind == E_STR && a.enum_vals) {
            bool found = false;
            for (int k = 0; k < a.enum_vals->n && !found; k++)
                found = strcmp(a.enum_vals->items[k], x->str) == 0;
            if (!found) EERR(r, x, x->span, "\"%s\" is not one of the allowed values", x->str);
        }
    }
    bind(r, e, B_FUNC, T_BOOLT);
    return T_BOOLT;
}

static Type resolve_list(Resolver *r, Expr *e, const Ctx *ctx)
{
    Type t = T_ERR;
    for (int i = 0; i < e->args.n; i++) {
        Expr *item = e->args.items[i];
        Type x = resolve_expr(r, item, ctx);
        if (x.list) EERR(r, item, item->span, "lists cannot be nested");
        if (t.base == T_ERROR)
            t = x;
        else if (x.base != T_ERROR && x.base != t.base)
            EERR(r, item, item->span, "list items differ: %s and %s", type_name(t), type_name(x));
    }
    t.list = true;
    bind(r, e, B_FUNC, t);
    return t;
}

Type resolve_expr(Resolver *r, Expr *e, const Ctx *ctx)
{
    Type a, b;
    switch (e->kind) {
    case E_NUM: bind(r, e, B_LIT, T_NUMT)->lit.n = e->num; return T_NUMT;
    case E_BOOL: bind(r, e, B_LIT, T_BOOLT)->lit.b = e->boolean; return T_BOOLT;
    case E_STR:
        bind(r, e, B_LIT, T_TEXTT)->lit.t = intern_put(r->m->strings, e->str, strlen(e->str));
        return T_TEXTT;
    case E_NAME: return resolve_name(r, e, ctx);
    case E_FIELD: return resolve_field(r, e, ctx);
    case E_UNARY:
        a = resolve_expr(r, e->a, ctx);
        if (e->op == OP_NEG) {
            expect_type(r, e->a, a, T_NUM, "the operand of '-'");
            bind(r, e, B_FUNC, T_NUMT);
            return T_NUMT;
        }
        expect_type(r, e->a, a, T_BOOL, "the operand of 'not'");
        bind(r, e, B_FUNC, T_BOOLT);
        return T_BOOLT;
    case E_BINARY: return resolve_binary(r, e, ctx);
    case E_IF:
        a = resolve_expr(r, e->a, ctx);
        expect_type(r, e->a, a, T_BOOL, "the condition of 'if'");
        a = resolve_expr(r, e->b, ctx);
        b = resolve_expr(r, e->c, ctx);
        if (a.base != T_ERROR && b.base != T_ERROR && (a.base != b.base || a.list || b.list)) {
            EERR(r, e, e->span, "the branches of 'if' differ: %s and %s", type_name(a),
                 type_name(b));
            return T_ERR;
        }
        a = a.base == T_ERROR ? b : a;
        bind(r, e, B_FUNC, a);
        return a;
    case E_IN: return resolve_in(r, e, ctx);
    case E_LIST: return resolve_list(r, e, ctx);
    case E_CALL: return resolve_call(r, e, ctx);
    }
    return T_ERR;
}

static FuncId *lookup_func(const char *name, FuncId *out)
{
    for (size_t i = 0; i < NFUNCS; i++)
        if (strcmp(func_names[i].name, name) == 0) {
            *out = func_names[i].fn;
            return out;
        }
    return NULL;
}

static bool names_collection(Resolver *r, Expr *x, const Ctx *ctx);

/* The arguments of a call whose function cannot be applied (unknown, or its
** body is wrong): still report what is wrong in them, but not that a table or
** a group (g.x, cases.points) is no value, since the function may take one. */
static void resolve_args_alone(Resolver *r, Expr *e, const Ctx *ctx)
{
    for (int i = 0; i < e->args.n; i++)
        if (!names_collection(r, e->args.items[i], ctx)) resolve_expr(r, e->args.items[i], ctx);
}

static Expr *clone_subst(Resolver *r, Expr *e, Decl *f, PtrVec *args)
{
    if (!e) return NULL;
    if (e->kind == E_NAME)
        for (int i = 0; i < f->keys.n; i++)
            if (((Expr *)f->keys.items[i])->kind == E_NAME &&
                strcmp(((Expr *)f->keys.items[i])->name, e->name) == 0)
                return args->items[i];
    Expr *c = ARENA_NEW(r->arena, Expr);
    *c = *e;
    c->bound = NULL;
    c->a = clone_subst(r, e->a, f, args);
    c->b = clone_subst(r, e->b, f, args);
    c->c = clone_subst(r, e->c, f, args);
    c->where = clone_subst(r, e->where, f, args);
    c->args = (PtrVec){0};
    for (int i = 0; i < e->args.n; i++)
        ptrvec_push(r->arena, &c->args, clone_subst(r, e->args.items[i], f, args));
    return c;
}

static Type expand_user_func(Resolver *r, Expr *e, Decl *f, const Ctx *ctx)
{
    if (e->args.n != f->keys.n) {
        EERR(r, e, e->span, "function '%s' takes %d argument%s, not %d", f->name, f->keys.n,
             f->keys.n == 1 ? "" : "s", e->args.n);
        return T_ERR;
    }
    if (e->where) {
        EERR(r, e->where, e->where->span, "'where' only filters aggregates");
        return T_ERR;
    }
    if (ptrvec_has(&r->bad_funcs, f)) {
        /* Its body was reported; what is wrong in the arguments themselves still is. */
        resolve_args_alone(r, e, ctx);
        return T_ERR;
    }
    if (ctx->depth > 32) {
        EERR(r, e, e->span, "function '%s' calls itself", f->name);
        return T_ERR;
    }
    Expr *body = clone_subst(r, f->expr, f, &e->args);
    Ctx inner = *ctx;
    inner.depth = ctx->depth + 1;
    size_t errors = r->diags->nerrors;
    Type t = resolve_expr(r, body, &inner);
    /* The body itself was checked on its own (check_funcs): what is wrong now
    ** comes from these arguments. */
    if (r->diags->nerrors > errors)
        diag_at(r->diags, DIAG_NOTE, expr_src(r, e), e->span, "in this call of function '%s'",
                f->name);
    e->a = body;
    bind(r, e, B_FUNC, t)->fn = (FuncId)-1; /* marks an expanded user function */
    return t;
}

static Type resolve_aggregate(Resolver *r, Expr *e, FuncId fn, Coll *c, Expr *arg, const Ctx *ctx);

static Type resolve_scalar_call(Resolver *r, Expr *e, FuncId fn, const Ctx *ctx)
{
    int n = e->args.n;
    Type at[8] = {0};
    if (e->where)
        EERR(r, e->where, e->where->span, "'where' only filters aggregates over tables and groups");
    for (int i = 0; i < n && i < 8; i++)
        at[i] = resolve_expr(r, e->args.items[i], ctx);
    Expr *a0 = n ? e->args.items[0] : e;
    Type res = T_NUMT;
    int lo = 1, hi = 1;
    switch (fn) {
    case FN_MIN:
    case FN_MAX: lo = 2, hi = 8; break;
    case FN_CLAMP: lo = hi = 3; break;
    case FN_ROUND:
    case FN_ROUND_EVEN:
    case FN_FLOOR:
    case FN_CEIL: lo = 1, hi = 2; break;
    case FN_COALESCE:
        lo = hi = 2;
        res = at[0];
        break;
    case FN_YEAR:
    case FN_MONTH: break;
    case FN_DAYS_BETWEEN: lo = hi = 2; break;
    case FN_DATE: res = T_DATET; break;
    case FN_NO_BAND: res = T_ERR; break; /* never a value: the if-chain's type is its bands' */
    case FN_STEP_INPUT: res = at[0]; break;
    default: break;
    }
    if (n < lo || n > hi) {
        if (lo == hi)
            EERR(r, e, e->span, "%s() takes %d argument%s, not %d", e->name, lo, lo == 1 ? "" : "s",
                 n);
        else
            EERR(r, e, e->span, "%s() takes %d to %d arguments, not %d", e->name, lo, hi, n);
        return T_ERR;
    }
    for (int i = 0; i < n; i++) {
        Expr *x = e->args.items[i];
        int32_t days;
        if (fn == FN_COALESCE) {
            if (at[i].base != T_ERROR && at[0].base != T_ERROR && at[i].base != at[0].base) {
                EERR(r, x, x->span, "coalesce() needs two values of the same type");
                res = T_ERR; /* which one was meant is unknown: no further complaints */
            }
        } else if (fn == FN_YEAR || fn == FN_MONTH || fn == FN_DAYS_BETWEEN) {
            expect_type(r, x, at[i], T_DATE, "the argument");
        } else if (fn == FN_NO_BAND || fn == FN_STEP_INPUT) {
            /* the input is checked by the bands' tests */
        } else if (fn == FN_DATE) {
            if (x->kind != E_STR)
                EERR(r, x, x->span, "date() takes a literal such as \"2023-12-31\"");
            else if (!date_parse(x->str, strlen(x->str), &days))
                bad_date(r, x, x->span);
        } else {
            expect_type(r, x, at[i], T_NUM, "the argument");
        }
    }
    if ((fn == FN_ROUND || fn == FN_ROUND_EVEN || fn == FN_FLOOR || fn == FN_CEIL) && n == 2) {
        Expr *d = e->args.items[1];
        int64_t digits;
        if (d->kind != E_NUM || !dec_to_int64(d->num, &digits) || digits < 0 || digits > DEC_DIGITS)
            EERR(r, d, d->span, "the number of decimal places must be a whole number from 0 to %d",
                 DEC_DIGITS);
    }
    (void)a0;
    bind(r, e, B_FUNC, res)->fn = fn;
    return res;
}

/* Written like an aggregate's argument: a table or a group, a column of one
** (g.x, cases.points) or a relation through a reference (dept.unit.depts)? */
static bool names_collection(Resolver *r, Expr *x, const Ctx *ctx)
{
    Table *t = ctx_table(r, ctx);
    if (x->kind == E_FIELD) {
        Sym *s = sym_find(r, x->name);
        if (s && s->kind == SYM_TABLE) return true;
    }
    while (x->kind == E_FIELD)
        x = x->a;
    if (x->kind != E_NAME || (t && table_column(t, x->name))) return false;
    Sym *s = sym_find(r, x->name);
    return s && (s->kind == SYM_TABLE || s->kind == SYM_GROUP);
}

/* stddev, rank, rank_asc, zscore: only over a group. */
static bool group_only(FuncId fn)
{
    return fn >= FN_STDDEV;
}

static Type resolve_call(Resolver *r, Expr *e, const Ctx *ctx)
{
    Sym *s = sym_find(r, e->name);
    if (s && s->kind == SYM_FUNC) {
        s->used = true;
        return expand_user_func(r, e, s->ptr, ctx);
    }
    FuncId fn;
    if (!lookup_func(e->name, &fn)) {
        const char *cands[NFUNCS + 64];
        size_t nc = 0;
        for (size_t i = 0; i < NFUNCS; i++)
            if (func_names[i].name[0] != ' ') cands[nc++] = func_names[i].name;
        for (Sym *x = r->m->symbols; x && nc < NFUNCS + 64; x = x->hh.next)
            if (x->kind == SYM_FUNC) cands[nc++] = x->name;
        const char *best = suggest_closest(e->name, cands, nc);
        if (best)
            EERR(r, e, e->name_span, "unknown function '%s' (did you mean '%s'?)", e->name, best);
        else
            EERR(r, e, e->name_span, "unknown function '%s'", e->name);
        resolve_args_alone(r, e, ctx);
        return T_ERR;
    }
    bool aggregate_capable = fn >= FN_COUNT || fn == FN_MIN || fn == FN_MAX;
    if (aggregate_capable && e->args.n >= 1 && e->args.n <= 2) {
        Expr *a0 = e->args.items[0];
        Coll c = resolve_coll(r, a0, ctx);
        Expr *arg = e->args.n == 2 ? e->args.items[1] : NULL;
        if (c.kind == COLL_NONE && e->args.n == 1 && a0->kind == E_FIELD) {
            c = resolve_coll(r, a0->a, ctx);
            if (c.kind != COLL_NONE) {
                arg = ast_expr(r->arena, E_NAME, a0->name_span);
                arg->src = a0->src;
                arg->name = a0->name;
                arg->name_span = a0->name_span;
            }
        }
        if (c.kind == COLL_ERROR) return T_ERR;
        if (c.kind != COLL_NONE) return resolve_aggregate(r, e, fn, &c, arg, ctx);
        if (e->args.n == 1) {
            Type t = resolve_expr(r, a0, ctx);
            if (t.list && !group_only(fn)) {
                if (e->where)
                    EERR(r, e->where, e->where->span,
                         "'where' filters tables and groups, not lists");
                BaseType want = fn == FN_COUNT || fn == FN_ANY || fn == FN_ALL ? T_BOOL : T_NUM;
                if (t.base != T_ERROR && t.base != want)
                    EERR(r, a0, a0->span, "%s() of a list needs a list of %s, not a %s", e->name,
                         want == T_BOOL ? "conditions such as [q1, q2] == \"好\"" : "numbers",
                         type_name(t));
                Type res = fn == FN_ANY || fn == FN_ALL ? T_BOOLT : T_NUMT;
                bind(r, e, B_LISTAGG, res)->fn = fn;
                return res;
            }
            /* A function's parameter has no type until the call site; do not guess. */
            if (t.base == T_ERROR) return T_ERR;
            if (group_only(fn)) {
                EERR(r, a0, a0->span,
                     "%s() works on groups, such as %s(g.x) for a group g; '%.*s' is a %s", e->name,
                     e->name, (int)(a0->span.end - a0->span.start),
                     expr_src(r, a0)->text + a0->span.start, type_name(t));
                return T_ERR;
            }
            if (fn != FN_MIN && fn != FN_MAX) {
                EERR(r, a0, a0->span,
                     "%s() needs a related table, a group or a list; '%.*s' is a %s", e->name,
                     (int)(a0->span.end - a0->span.start), expr_src(r, a0)->text + a0->span.start,
                     type_name(t));
                return T_ERR;
            }
        }
    }
    if (group_only(fn)) {
        EERR(r, e, e->span, "%s() works on groups, such as %s(g.x) for a group g", e->name,
             e->name);
        return T_ERR;
    }
    if (fn >= FN_COUNT) {
        EERR(r, e, e->span, "%s() needs a related table, a group or a list", e->name);
        return T_ERR;
    }
    return resolve_scalar_call(r, e, fn, ctx);
}

static Type resolve_aggregate(Resolver *r, Expr *e, FuncId fn, Coll *c, Expr *arg, const Ctx *ctx)
{
    Type res = fn == FN_ANY || fn == FN_ALL ? T_BOOLT : T_NUMT;
    if (fn == FN_ANY || fn == FN_ALL) {
        EERR(r, e, e->span,
             "%s() works on lists; use count(... where ...) > 0 for tables and groups", e->name);
        return T_ERR;
    }
    if (fn != FN_COUNT && !arg) {
        EERR(r, e, e->span, "%s() needs the value to aggregate, e.g. %s(%s.x)", e->name, e->name,
             ((Expr *)e->args.items[0])->name);
        return T_ERR;
    }
    if (fn == FN_COUNT && arg) {
        EERR(r, arg, arg->span, "count() counts rows; filter them with 'where'");
        return T_ERR;
    }
    if (c->kind == COLL_REL) {
        if (fn >= FN_STDDEV) {
            EERR(r, e, e->span, "%s() works on groups, not on related tables", e->name);
            return T_ERR;
        }
        Ctx rc = {.kind = CTX_ROW, .table = c->child, .func = ctx->func, .depth = ctx->depth};
        RelAgg *ag = ARENA_NEW(r->arena, RelAgg);
        ag->func = fn == FN_COUNT ? AGG_COUNT
                   : fn == FN_SUM ? AGG_SUM
                   : fn == FN_AVG ? AGG_AVG
                   : fn == FN_MIN ? AGG_MIN
                                  : AGG_MAX;
        ag->child = c->child;
        ag->parent = c->parent;
        ag->via = c->via;
        ag->arg = arg;
        ag->where = e->where;
        ag->origin = e;
        if (arg) {
            Type t = resolve_expr(r, arg, &rc);
            expect_type(r, arg, t, T_NUM, "the aggregated value");
        }
        if (e->where)
            expect_type(r, e->where, resolve_expr(r, e->where, &rc), T_BOOL, "the filter");
        ptrvec_push(r->arena, &r->m->relaggs, ag);
        Bound *b = bind(r, e, B_RELAGG, res);
        b->agg = ag;
        b->npath = c->npath;
        for (int i = 0; i < c->npath; i++) {
            c->path[i]->used = true; /* read at run time */
            c->path[i]->pinned = true;
        }
        if (ctx->kind != CTX_PERSON || !ctx->owner)
            ag->pinned = true;
        else
            ptrvec_push(r->arena, &ctx->owner->aggs, ag);
        b->path = ARENA_ARR(r->arena, Column *, c->npath + 1);
        memcpy(b->path, c->path, sizeof(Column *) * (size_t)c->npath);
        return res;
    }
    GroupAgg *g = ARENA_NEW(r->arena, GroupAgg);
    g->fn = fn;
    g->g = c->group;
    g->arg = arg;
    g->where = e->where;
    g->origin = e;
    if (arg) expect_type(r, arg, resolve_expr(r, arg, ctx), T_NUM, "the aggregated value");
    if (e->where) expect_type(r, e->where, resolve_expr(r, e->where, ctx), T_BOOL, "the filter");
    if ((fn == FN_RANK || fn == FN_RANK_ASC || fn == FN_ZSCORE) && e->where)
        EERR(r, e->where, e->where->span, "%s() ranks the whole group; 'where' is not allowed",
             e->name);
    ptrvec_push(r->arena, &r->m->group_aggs, g);
    bind(r, e, B_GROUPAGG, res)->gagg = g;
    /* A group's key that aggregates over the group itself: who is in the
    ** group would depend on who is in the group. (Through a value, the
    ** dependency cycle says so.) */
    if (c->group->resolving == 1 && !ctx->owner) {
        EERR(r, e, e->span,
             "group '%s' is used in its own key; its members are what the key decides",
             c->group->name);
        return T_ERR;
    }
    /* Group membership depends on the group's key values. */
    resolve_group(r, c->group);
    for (int i = 0; i < c->group->keys.n; i++)
        add_key_deps(r, ctx->owner, c->group->keys.items[i]);
    return res;
}
