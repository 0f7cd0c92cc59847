/*
** ast.c — node constructors and the s-expression dumper used by tests.
*/
#include "ast.h"
#include "xalloc.h"

#include <stdio.h>
#include <string.h>

void ptrvec_push(Arena *a, PtrVec *v, void *item)
{
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 4;
        void **items = ARENA_ARR(a, void *, cap);
        if (v->n) memcpy(items, v->items, sizeof(void *) * (size_t)v->n);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n++] = item;
}

void *ptrarr_append(Arena *a, void *arr, int *n, void *item)
{
    void **items = ARENA_ARR(a, void *, *n + 1);
    if (*n) memcpy(items, arr, sizeof(void *) * (size_t)*n);
    items[(*n)++] = item;
    return items;
}

Span span_join(Span a, Span b)
{
    Span s = {a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end};
    return s;
}

Expr *ast_expr(Arena *a, ExprKind k, Span sp)
{
    Expr *e = ARENA_NEW(a, Expr);
    e->kind = k;
    e->span = sp;
    return e;
}

Expr *ast_binary(Arena *a, Op op, Expr *l, Expr *r)
{
    Expr *e = ast_expr(a, E_BINARY, span_join(l->span, r->span));
    e->op = op;
    e->a = l;
    e->b = r;
    return e;
}

Expr *ast_unary(Arena *a, Op op, Expr *x, Span sp)
{
    Expr *e = ast_expr(a, E_UNARY, span_join(sp, x->span));
    e->op = op;
    e->a = x;
    return e;
}

Decl *ast_decl(Arena *a, DeclKind k, Span sp)
{
    Decl *d = ARENA_NEW(a, Decl);
    d->kind = k;
    d->span = sp;
    return d;
}

static const char *const op_names[] = {"+",  "-", "*",  "/",   "==", "!=",  "<",
                                       "<=", ">", ">=", "and", "or", "neg", "not"};

typedef struct Buf {
    char *p;
    size_t n, cap;
} Buf;

static void buf_put(Buf *b, const char *s)
{
    size_t len = strlen(s);
    if (b->n + len + 1 > b->cap) {
        b->cap = (b->n + len + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, len + 1);
    b->n += len;
}

static void dump(Buf *b, const Expr *e)
{
    char num[DEC_FMT_MAX];
    switch (e->kind) {
    case E_NUM:
        dec_format(e->num, num);
        buf_put(b, num);
        return;
    case E_STR:
        buf_put(b, "\"");
        buf_put(b, e->str);
        buf_put(b, "\"");
        return;
    case E_BOOL: buf_put(b, e->boolean ? "true" : "false"); return;
    case E_NAME: buf_put(b, e->name); return;
    case E_FIELD:
        buf_put(b, "(. ");
        dump(b, e->a);
        buf_put(b, " ");
        buf_put(b, e->name);
        break;
    case E_UNARY:
    case E_BINARY:
        buf_put(b, "(");
        buf_put(b, op_names[e->op]);
        buf_put(b, " ");
        dump(b, e->a);
        if (e->kind == E_BINARY) {
            buf_put(b, " ");
            dump(b, e->b);
        }
        break;
    case E_IF:
        buf_put(b, "(if ");
        dump(b, e->a);
        buf_put(b, " ");
        dump(b, e->b);
        buf_put(b, " ");
        dump(b, e->c);
        break;
    case E_IN:
        buf_put(b, "(in ");
        dump(b, e->a);
        buf_put(b, " ");
        dump(b, e->b);
        break;
    case E_CALL:
    case E_LIST:
        buf_put(b, e->kind == E_CALL ? "(" : "[");
        if (e->kind == E_CALL) buf_put(b, e->name);
        for (int i = 0; i < e->args.n; i++) {
            if (e->kind == E_CALL || i) buf_put(b, " ");
            dump(b, e->args.items[i]);
        }
        if (e->where) {
            buf_put(b, " where ");
            dump(b, e->where);
        }
        buf_put(b, e->kind == E_CALL ? ")" : "]");
        return;
    }
    buf_put(b, ")");
}

char *ast_dump_expr(Arena *a, const Expr *e)
{
    Buf b = {0};
    dump(&b, e);
    char *s = arena_strdup(a, b.p ? b.p : "");
    free(b.p);
    return s;
}

static void walk_indicator(Indicator *ind, void (*fn)(Expr *, void *), void *ctx)
{
    if (ind->weight) fn(ind->weight, ctx);
    if (ind->formula) fn(ind->formula, ctx);
    for (int i = 0; i < ind->children.n; i++)
        walk_indicator(ind->children.items[i], fn, ctx);
    for (int i = 0; i < ind->branches.n; i++) {
        Branch *b = ind->branches.items[i];
        if (b->cond) fn(b->cond, ctx);
        if (b->formula) fn(b->formula, ctx);
        for (int j = 0; j < b->children.n; j++)
            walk_indicator(b->children.items[j], fn, ctx);
    }
}

void ast_walk_decl(Decl *d, void (*fn)(Expr *e, void *ctx), void *ctx)
{
    /* A step table's written expressions are its bands' (its body and its
    ** parameter are the resolver's). */
    for (int k = 0; k < d->bands.n; k++) {
        StepBand *b = d->bands.items[k];
        Expr *parts[] = {b->lo, b->hi, b->val, b->val_to};
        for (int j = 0; j < 4; j++)
            if (parts[j]) fn(parts[j], ctx);
    }
    if (d->step) return;
    Expr *direct[] = {d->expr, d->cond, d->cap};
    for (int k = 0; k < 3; k++)
        if (direct[k]) fn(direct[k], ctx);
    for (int k = 0; k < d->keys.n; k++)
        fn(d->keys.items[k], ctx);
    if (d->ind) walk_indicator(d->ind, fn, ctx);
    for (int k = 0; k < d->order.n; k++)
        fn(((OrderKey *)d->order.items[k])->e, ctx);
    for (int k = 0; k < d->rules.n; k++) {
        GradeRule *g = d->rules.items[k];
        Expr *parts[] = {g->quota, g->when, g->require};
        for (int j = 0; j < 3; j++)
            if (parts[j]) fn(parts[j], ctx);
    }
}

void ast_walk(Program *p, void (*fn)(Expr *e, void *ctx), void *ctx)
{
    for (int i = 0; i < p->decls.n; i++)
        ast_walk_decl(p->decls.items[i], fn, ctx);
}

static void set_source(Expr *e, void *ctx)
{
    if (!e) return;
    e->src = ctx;
    set_source(e->a, ctx);
    set_source(e->b, ctx);
    set_source(e->c, ctx);
    set_source(e->where, ctx);
    for (int i = 0; i < e->args.n; i++)
        set_source(e->args.items[i], ctx);
}

void ast_set_source(Program *p)
{
    ast_walk(p, set_source, p->src);
    for (int i = 0; i < p->tests.n; i++) {
        TestBlock *t = p->tests.items[i];
        for (int k = 0; k < t->decls.n; k++)
            ast_walk_decl(t->decls.items[k], set_source, p->src);
        for (int k = 0; k < t->expects.n; k++) {
            Expect *x = t->expects.items[k];
            set_source(x->e, p->src);
            set_source(x->item, p->src);
        }
    }
}
