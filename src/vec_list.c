/*
** vec_list.c — list aggregates (count([q1, q2] == "好"), sum([a, b]), …) in
** the typed batch evaluator.
**
** The scalar evaluator (eval.c, list_item) takes a list expression item by
** item: item k of [x, y] is x or y, and item k of `list op v` is `item op v`.
** Here item k becomes such a scalar expression, built on the stack from
** copies of the list's nodes, and goes through vec_num or vec_bool for the
** whole batch. Only lists whose items cannot raise a runtime error are taken
** (the order of the errors would be item by item, not row by row), and
** and/or over a list keep the general path, which evaluates both sides.
*/
#include "eval.h"

#include <string.h>

#define LIST_NODES 8

typedef struct ItemNodes {
    Expr e[LIST_NODES];
    Bound b[LIST_NODES];
    int n;
} ItemNodes;

/* Number of items, as list_len counts them; -1 for a shape not handled. */
static int list_items(const Expr *l)
{
    if (l->kind == E_LIST) return l->args.n;
    if (l->kind != E_BINARY || l->op == OP_AND || l->op == OP_OR) return -1;
    bool left = l->a->bound->type.list, right = l->b->bound->type.list;
    if (left == right) return -1;
    return list_items(left ? l->a : l->b);
}

/* Item k of list l as a scalar expression; its nodes live in buf. */
static Expr *item_expr(Expr *l, int k, ItemNodes *buf)
{
    if (l->kind == E_LIST) return l->args.items[k];
    if (buf->n == LIST_NODES) return NULL;
    bool left = l->a->bound->type.list;
    Expr *sub = item_expr(left ? l->a : l->b, k, buf);
    if (!sub) return NULL;
    int i = buf->n++;
    buf->e[i] = *l;
    buf->b[i] = *l->bound;
    buf->b[i].type.list = false;
    buf->e[i].bound = &buf->b[i];
    if (left)
        buf->e[i].a = sub;
    else
        buf->e[i].b = sub;
    return &buf->e[i];
}

bool expr_infallible(const Expr *e)
{
    const Bound *b = e->bound;
    switch (b->kind) {
    case B_LIT:
    case B_PARAM:
    case B_VALUE:
    case B_COL: return true;
    case B_RELAGG: return b->agg->func != AGG_AVG; /* no arithmetic but the average's */
    case B_FUNC: break;
    default: return false;
    }
    switch (e->kind) {
    case E_UNARY: return e->op == OP_NOT && expr_infallible(e->a);
    case E_BINARY: return e->op > OP_DIV && expr_infallible(e->a) && expr_infallible(e->b);
    case E_IN:
        for (int i = 0; i < e->b->args.n; i++)
            if (!expr_infallible(e->b->args.items[i])) return false;
        return expr_infallible(e->a);
    case E_LIST:
        for (int i = 0; i < e->args.n; i++)
            if (!expr_infallible(e->args.items[i])) return false;
        return true;
    case E_CALL:
        if (b->fn == (FuncId)-1) return expr_infallible(e->a);
        if (b->fn != FN_MIN && b->fn != FN_MAX && b->fn != FN_COALESCE) return false;
        for (int i = 0; i < e->args.n; i++)
            if (!expr_infallible(e->args.items[i])) return false;
        return true;
    default: return false;
    }
}

/* The items of l, when the typed path can take them all. */
static int typed_items(Expr *l, BaseType want)
{
    int len = list_items(l);
    if (len < 0 || !expr_infallible(l)) return -1;
    for (int k = 0; k < len; k++) {
        ItemNodes buf = {.n = 0};
        Expr *x = item_expr(l, k, &buf);
        if (!x || x->bound->type.list || x->bound->type.base != want) return -1;
    }
    return len;
}

static inline bool on(const uint8_t *act, int i)
{
    return !act || act[i];
}

/* count, sum, avg, min, max of a list: false when the general path must. */
/* cnt[i] += 1 where x, a text column of the assessed rows compared with ==
** or != to a text literal, is true for row i: the usual item of a list count
** (count([q1, q2, q3, q4] == "好")), in one pass over the column. False for
** any other x. */
static bool count_text_equal(Eval *ev, const Expr *x, const int32_t *rows, int n,
                             const uint8_t *act, int32_t *cnt)
{
    if (ev->rowbuf || x->kind != E_BINARY || (x->op != OP_EQ && x->op != OP_NE)) return false;
    const Bound *cb = x->a->bound, *lb = x->b->bound;
    if (cb->kind == B_LIT) {
        const Bound *t = cb;
        cb = lb;
        lb = t;
    }
    if (cb->kind != B_COL || cb->npath != 1 || lb->kind != B_LIT || cb->type.list ||
        lb->type.list || cb->type.base != T_TEXT || lb->type.base != T_TEXT || lb->lit.null)
        return false;
    const Column *c = cb->path[0];
    if ((c->kind != COL_TEXT && c->kind != COL_ENUM) || !c->text) return false;
    uint32_t lit = lb->lit.t;
    bool eq = x->op == OP_EQ;
    for (int i = 0; i < n; i++) {
        uint32_t v = c->text[rows[i]];
        cnt[i] += on(act, i) && v != INTERN_NONE && (v == lit) == eq;
    }
    return true;
}

bool vec_list_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    FuncId fn = e->bound->fn;
    Expr *l = e->args.items[0];
    bool count = fn == FN_COUNT;
    if (!count && fn != FN_SUM && fn != FN_AVG && fn != FN_MIN && fn != FN_MAX) return false;
    int len = typed_items(l, count ? T_BOOL : T_NUM);
    if (len < 0) return false;
    int32_t cnt[EVAL_BATCH];
    uint8_t bad[EVAL_BATCH]; /* the sum overflowed */
    for (int i = 0; i < n; i++)
        out[i] = 0, cnt[i] = 0, bad[i] = 0;
    for (int k = 0; k < len; k++) {
        ItemNodes buf = {.n = 0};
        Expr *x = item_expr(l, k, &buf);
        if (count) {
            if (count_text_equal(ev, x, rows, n, act, cnt)) continue;
            uint8_t t[EVAL_BATCH];
            vec_bool(ev, x, rows, n, act, t);
            for (int i = 0; i < n; i++)
                cnt[i] += t[i] == 1;
            continue;
        }
        Dec v[EVAL_BATCH];
        vec_num(ev, x, rows, n, act, v);
        for (int i = 0; i < n; i++) {
            if (v[i] == DEC_NULL || bad[i]) continue;
            bool first = cnt[i]++ == 0;
            if (fn == FN_MIN || fn == FN_MAX) {
                if (first || (fn == FN_MIN ? v[i] < out[i] : v[i] > out[i])) out[i] = v[i];
            } else if (dec_add(out[i], v[i], &out[i]) == DEC_OVERFLOW) {
                bad[i] = 1;
            }
        }
    }
    for (int i = 0; i < n; i++) {
        if (!on(act, i)) {
            out[i] = DEC_NULL;
            continue;
        }
        if (count) {
            out[i] = dec_from_int(cnt[i]);
            continue;
        }
        if (bad[i]) eval_fail(ev, e, vec_row(ev, rows, i), "arithmetic overflow");
        if ((fn == FN_MIN || fn == FN_MAX || fn == FN_AVG) && !cnt[i])
            out[i] = DEC_NULL;
        else if (fn == FN_AVG && dec_div(out[i], dec_from_int(cnt[i]), &out[i]) == DEC_OVERFLOW)
            eval_fail(ev, e, vec_row(ev, rows, i), "arithmetic overflow");
    }
    return true;
}

/* any and all of a list: never absent, an empty list is all and not any. */
bool vec_list_bool(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, uint8_t *out)
{
    FuncId fn = e->bound->fn;
    Expr *l = e->args.items[0];
    if (fn != FN_ANY && fn != FN_ALL) return false;
    int len = typed_items(l, T_BOOL);
    if (len < 0) return false;
    for (int i = 0; i < n; i++)
        out[i] = fn == FN_ALL;
    for (int k = 0; k < len; k++) {
        ItemNodes buf = {.n = 0};
        Expr *x = item_expr(l, k, &buf);
        uint8_t t[EVAL_BATCH];
        vec_bool(ev, x, rows, n, act, t);
        for (int i = 0; i < n; i++)
            if (t[i] != 2) out[i] = fn == FN_ALL ? out[i] & t[i] : out[i] | t[i];
    }
    for (int i = 0; i < n; i++)
        if (!on(act, i)) out[i] = 2;
    return true;
}
