/*
** vec.c — batch evaluation: one expression node for up to EVAL_BATCH rows at
** a time, so the cost of walking the tree is paid once per batch instead of
** once per person. Nodes without a batch form fall back to eval_expr row by
** row, which keeps both evaluators giving the same answers.
*/
#include "eval.h"

#include <string.h>

/* Points the scalar evaluator at row i of the batch; returns the row to pass it. */
int32_t vec_row(Eval *ev, const int32_t *rows, int i)
{
    if (!ev->rowbuf) return rows[i];
    ev->rowvals = ev->rowbuf + (size_t)rows[i] * (size_t)ev->row_ncols;
    ev->row_line = ev->buf_lines[rows[i]];
    return -1;
}

static void fallback(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Value *out)
{
    for (int i = 0; i < n; i++) {
        if (act && !act[i]) {
            memset(&out[i], 0, sizeof(Value));
            out[i].null = true;
            continue;
        }
        out[i] = eval_expr(ev, e, vec_row(ev, rows, i));
    }
}

static void vec_column(Eval *ev, const Bound *b, const int32_t *rows, int n, Value *out)
{
    const Column *c = b->path[0];
    if (ev->rowbuf && c->table == ev->row_table) {
        const Value *buf = ev->rowbuf;
        size_t stride = (size_t)ev->row_ncols;
        for (int i = 0; i < n; i++)
            out[i] = buf[(size_t)rows[i] * stride + (size_t)c->index];
        if (b->npath == 1) return;
        for (int i = 0; i < n; i++) {
            int32_t r = out[i].d;
            for (int k = 1; k < b->npath && !out[i].null; k++) {
                out[i] = column_get(b->path[k], r);
                r = out[i].d;
            }
        }
        return;
    }
    for (int i = 0; i < n; i++)
        out[i] = eval_path(ev, b, rows[i], b->npath);
}

static void vec_logic(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Value *out)
{
    Value a[EVAL_BATCH];
    uint8_t need[EVAL_BATCH];
    eval_vec(ev, e->a, rows, n, act, a);
    bool any = false;
    for (int i = 0; i < n; i++) {
        bool decisive = !a[i].null && (e->op == OP_AND ? !a[i].b : a[i].b);
        need[i] = (!act || act[i]) && !decisive;
        any |= need[i];
    }
    if (!any) {
        memcpy(out, a, sizeof(Value) * (size_t)n);
        return;
    }
    eval_vec(ev, e->b, rows, n, need, out);
    for (int i = 0; i < n; i++) {
        if (!need[i])
            out[i] = a[i];
        else if (a[i].null || out[i].null)
            out[i].null = true;
        else
            out[i].b = e->op == OP_AND ? a[i].b && out[i].b : a[i].b || out[i].b;
    }
}

static void vec_binary(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act,
                       Value *out)
{
    Value a[EVAL_BATCH];
    if (ev->rowbuf && (e->op == OP_EQ || e->op == OP_NE)) {
        Value probe;
        ev->rowvals = ev->rowbuf;
        if (eval_fast_text_eq(ev, e, &probe)) {
            const Bound *l = e->a->bound, *r = e->b->bound;
            size_t idx = (size_t)l->path[0]->index, stride = (size_t)ev->row_ncols;
            memset(out, 0, sizeof(Value) * (size_t)n);
            for (int i = 0; i < n; i++) {
                const Value *x = &ev->rowbuf[(size_t)rows[i] * stride + idx];
                out[i].null = x->null;
                out[i].b = (x->t == r->lit.t) == (e->op == OP_EQ);
            }
            return;
        }
    }
    eval_vec(ev, e->a, rows, n, act, a);
    eval_vec(ev, e->b, rows, n, act, out);
    if (e->op <= OP_DIV) {
        for (int i = 0; i < n; i++) {
            if ((act && !act[i]) || a[i].null || out[i].null) {
                out[i].null = true;
                continue;
            }
            DecStatus st;
            Dec r;
            switch (e->op) {
            case OP_ADD: st = dec_add(a[i].n, out[i].n, &r); break;
            case OP_SUB: st = dec_sub(a[i].n, out[i].n, &r); break;
            case OP_MUL: st = dec_mul(a[i].n, out[i].n, &r); break;
            default: st = dec_div(a[i].n, out[i].n, &r); break;
            }
            if (st != DEC_OK && st != DEC_INEXACT)
                eval_fail(ev, e, vec_row(ev, rows, i),
                          st == DEC_DIVZERO ? "division by zero" : "arithmetic overflow");
            out[i].n = r;
        }
        return;
    }
    if (e->a->bound->type.base == T_NUM && e->b->bound->type.base == T_NUM) {
        /* numeric comparison: one loop, no per-row dispatch */
        for (int i = 0; i < n; i++) {
            if ((act && !act[i]) || a[i].null || out[i].null) {
                out[i].null = true;
                continue;
            }
            int c = dec_cmp(a[i].n, out[i].n);
            out[i].b = e->op == OP_EQ   ? c == 0
                       : e->op == OP_NE ? c != 0
                       : e->op == OP_LT ? c < 0
                       : e->op == OP_LE ? c <= 0
                       : e->op == OP_GT ? c > 0
                                        : c >= 0;
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        if (act && !act[i]) {
            out[i].null = true;
            continue;
        }
        out[i] = eval_binary(ev, e, -1, a[i], out[i]);
    }
}

/* Built-ins over numbers: the arguments as batches, then one loop. */
static bool vec_call(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Value *out)
{
    FuncId fn = e->bound->fn;
    int na = e->args.n;
    if (na > 3 || fn == FN_DATE) return false;
    Value args[3][EVAL_BATCH];
    for (int k = 0; k < na; k++)
        eval_vec(ev, e->args.items[k], rows, n, act, args[k]);
    for (int i = 0; i < n; i++) {
        if (act && !act[i]) {
            memset(&out[i], 0, sizeof(Value));
            out[i].null = true;
            continue;
        }
        Value a[3];
        for (int k = 0; k < na; k++)
            a[k] = args[k][i];
        out[i] = eval_call_values(ev, e, vec_row(ev, rows, i), a);
    }
    return true;
}

static void vec_if(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Value *out)
{
    Value c[EVAL_BATCH], f[EVAL_BATCH];
    uint8_t yes[EVAL_BATCH], no[EVAL_BATCH];
    eval_vec(ev, e->a, rows, n, act, c);
    for (int i = 0; i < n; i++) {
        bool on = !act || act[i];
        if (on && c[i].null)
            eval_fail(ev, e->a, vec_row(ev, rows, i),
                      "the condition of 'if' is empty (it uses a value that is absent)");
        yes[i] = on && c[i].b;
        no[i] = on && !c[i].b;
    }
    eval_vec(ev, e->b, rows, n, yes, out);
    eval_vec(ev, e->c, rows, n, no, f);
    for (int i = 0; i < n; i++)
        if (no[i]) out[i] = f[i];
}

static void vec_unary(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Value *out)
{
    eval_vec(ev, e->a, rows, n, act, out);
    for (int i = 0; i < n; i++) {
        if (out[i].null || (act && !act[i])) continue;
        if (e->op == OP_NOT)
            out[i].b = !out[i].b;
        else if (dec_neg(out[i].n, &out[i].n) != DEC_OK)
            eval_fail(ev, e, vec_row(ev, rows, i), "arithmetic overflow");
    }
}

void eval_vec(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Value *out)
{
    const Type *t = &e->bound->type;
    if (!t->list && t->base == T_NUM) {
        Dec x[EVAL_BATCH];
        vec_num(ev, e, rows, n, act, x);
        memset(out, 0, sizeof(Value) * (size_t)n);
        for (int i = 0; i < n; i++) {
            out[i].n = x[i];
            out[i].null = x[i] == DEC_NULL;
        }
        return;
    }
    if (!t->list && t->base == T_BOOL) {
        uint8_t x[EVAL_BATCH];
        vec_bool(ev, e, rows, n, act, x);
        memset(out, 0, sizeof(Value) * (size_t)n);
        for (int i = 0; i < n; i++) {
            out[i].b = x[i] == 1;
            out[i].null = x[i] == 2;
        }
        return;
    }
    vec_general(ev, e, rows, n, act, out);
}

void vec_general(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Value *out)
{
    const Bound *b = e->bound;
    switch (b->kind) {
    case B_LIT:
    case B_PARAM:
        for (int i = 0; i < n; i++)
            out[i] = b->kind == B_LIT ? b->lit : b->param->value;
        return;
    case B_VALUE:
        if (!b->val->computed) compute_value(ev, b->val);
        for (int i = 0; i < n; i++)
            out[i] = value_get(ev, b->val, rows[i]);
        return;
    case B_COL: vec_column(ev, b, rows, n, out); return;
    case B_RELAGG:
        for (int i = 0; i < n; i++)
            out[i] = eval_relagg(ev, e, rows[i]);
        return;
    case B_FUNC: break;
    default: fallback(ev, e, rows, n, act, out); return;
    }
    if (b->type.list) {
        fallback(ev, e, rows, n, act, out);
        return;
    }
    switch (e->kind) {
    case E_UNARY: vec_unary(ev, e, rows, n, act, out); return;
    case E_BINARY:
        if (e->op == OP_AND || e->op == OP_OR)
            vec_logic(ev, e, rows, n, act, out);
        else
            vec_binary(ev, e, rows, n, act, out);
        return;
    case E_IF: vec_if(ev, e, rows, n, act, out); return;
    case E_CALL:
        if (b->fn == (FuncId)-1) {
            eval_vec(ev, e->a, rows, n, act, out);
            return;
        }
        if (!vec_call(ev, e, rows, n, act, out)) fallback(ev, e, rows, n, act, out);
        return;
    default: fallback(ev, e, rows, n, act, out); return;
    }
}
