/*
** vec_typed.c — batch evaluation of numbers and truth values in plain arrays.
**
** The general batch evaluator (vec.c) moves a 32-byte Value per row through
** every node. Most of a scheme is arithmetic, comparisons and logic over
** numeric columns, and for those a Dec per row (DEC_NULL for absent) or a
** byte per row (0 false, 1 true, 2 absent) is all there is to carry. Nodes
** this file does not know go to the general evaluator, and its results are
** converted, so both paths always agree; the rules for absent values,
** inactive rows and runtime errors are the ones vec.c documents.
*/
#include "eval.h"

#include <string.h>

#define TRUTH_NULL 2

static inline bool on(const uint8_t *act, int i)
{
    return !act || act[i];
}

static void general_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    Value v[EVAL_BATCH];
    vec_general(ev, e, rows, n, act, v);
    for (int i = 0; i < n; i++)
        out[i] = v[i].null || !on(act, i) ? DEC_NULL : v[i].n;
}

static void general_bool(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act,
                         uint8_t *out)
{
    Value v[EVAL_BATCH];
    vec_general(ev, e, rows, n, act, v);
    for (int i = 0; i < n; i++)
        out[i] = v[i].null || !on(act, i) ? TRUTH_NULL : v[i].b;
}

/* Follows the references of a path from assessed rows; -1 where one is empty. */
static void follow_path(const Bound *b, const int32_t *rows, int n, int32_t *at)
{
    for (int i = 0; i < n; i++) {
        int32_t r = rows[i];
        for (int k = 0; k + 1 < b->npath && r >= 0; k++)
            r = b->path[k]->row[r];
        at[i] = r;
    }
}

static bool is_num_col(const Column *c)
{
    return c->kind == COL_INT || c->kind == COL_DEC || c->kind == COL_PERCENT;
}

static void column_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    const Bound *b = e->bound;
    const Column *last = b->path[b->npath - 1];
    if (ev->rowbuf && b->npath == 1 && last->table == ev->row_table) {
        /* the rows of a table being loaded, parsed into the batch buffer */
        const Value *buf = ev->rowbuf;
        size_t stride = (size_t)ev->row_ncols, idx = (size_t)last->index;
        for (int i = 0; i < n; i++) {
            const Value *x = &buf[(size_t)rows[i] * stride + idx];
            out[i] = x->null ? DEC_NULL : x->n;
        }
        return;
    }
    if (ev->rowbuf || !is_num_col(last)) {
        general_num(ev, e, rows, n, act, out);
        return;
    }
    if (b->npath == 1) {
        numcol_gather(&last->num, rows, n, out);
        return;
    }
    int32_t at[EVAL_BATCH];
    follow_path(b, rows, n, at);
    for (int i = 0; i < n; i++)
        out[i] = at[i] < 0 ? DEC_NULL : numcol_get(&last->num, at[i]);
}

static void arith_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    Dec a[EVAL_BATCH];
    vec_num(ev, e->a, rows, n, act, a);
    vec_num(ev, e->b, rows, n, act, out);
    for (int i = 0; i < n; i++) {
        if (!on(act, i) || a[i] == DEC_NULL || out[i] == DEC_NULL) {
            out[i] = DEC_NULL;
            continue;
        }
        DecStatus st;
        Dec r;
        switch (e->op) {
        case OP_ADD: st = dec_add(a[i], out[i], &r); break;
        case OP_SUB: st = dec_sub(a[i], out[i], &r); break;
        case OP_MUL: st = dec_mul(a[i], out[i], &r); break;
        default: st = dec_div(a[i], out[i], &r); break;
        }
        if (st != DEC_OK && st != DEC_INEXACT)
            eval_fail(ev, e, vec_row(ev, rows, i),
                      st == DEC_DIVZERO ? "division by zero" : "arithmetic overflow");
        out[i] = r;
    }
}

static void if_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    uint8_t c[EVAL_BATCH], yes[EVAL_BATCH], no[EVAL_BATCH];
    Dec f[EVAL_BATCH];
    vec_bool(ev, e->a, rows, n, act, c);
    for (int i = 0; i < n; i++) {
        bool live = on(act, i);
        if (live && c[i] == TRUTH_NULL)
            eval_fail(ev, e->a, vec_row(ev, rows, i),
                      "the condition of 'if' is empty (it uses a value that is absent)");
        yes[i] = live && c[i] == 1;
        no[i] = live && c[i] == 0;
    }
    vec_num(ev, e->b, rows, n, yes, out);
    vec_num(ev, e->c, rows, n, no, f);
    for (int i = 0; i < n; i++)
        if (no[i]) out[i] = f[i];
}

/* min, max, clamp, abs, the roundings and default(): the functions of scores. */
static bool call_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    FuncId fn = e->bound->fn;
    int na = e->args.n;
    bool rounding = fn == FN_ROUND || fn == FN_ROUND_EVEN || fn == FN_FLOOR || fn == FN_CEIL;
    if (na > 3 || !(fn == FN_MIN || fn == FN_MAX || fn == FN_CLAMP || fn == FN_ABS ||
                    fn == FN_COALESCE || rounding))
        return false;
    Dec args[3][EVAL_BATCH];
    int ne = rounding ? 1 : na; /* a rounding's digits are a literal */
    for (int k = 0; k < ne; k++)
        vec_num(ev, e->args.items[k], rows, n, act, args[k]);
    int64_t digits = 0;
    if (rounding && na == 2) dec_to_int64(((Expr *)e->args.items[1])->num, &digits);
    DecRound mode = fn == FN_ROUND        ? DEC_ROUND_HALF_UP
                    : fn == FN_ROUND_EVEN ? DEC_ROUND_HALF_EVEN
                    : fn == FN_FLOOR      ? DEC_ROUND_FLOOR
                                          : DEC_ROUND_CEIL;
    for (int i = 0; i < n; i++) {
        out[i] = DEC_NULL;
        if (!on(act, i)) continue;
        if (fn == FN_COALESCE) {
            out[i] = args[0][i] != DEC_NULL ? args[0][i] : args[1][i];
            continue;
        }
        bool absent = false;
        for (int k = 0; k < ne; k++)
            absent |= args[k][i] == DEC_NULL;
        if (absent) continue;
        Dec x = args[0][i];
        int32_t row = vec_row(ev, rows, i);
        switch (fn) {
        case FN_MIN:
        case FN_MAX:
            for (int k = 1; k < na; k++)
                if (fn == FN_MIN ? dec_cmp(args[k][i], x) < 0 : dec_cmp(args[k][i], x) > 0)
                    x = args[k][i];
            break;
        case FN_CLAMP:
            if (dec_cmp(args[1][i], args[2][i]) > 0)
                eval_fail(ev, e, row, "clamp() lower bound is above its upper bound");
            if (dec_cmp(x, args[1][i]) < 0) x = args[1][i];
            if (dec_cmp(x, args[2][i]) > 0) x = args[2][i];
            break;
        case FN_ABS:
            if (dec_cmp(x, 0) < 0 && dec_neg(x, &x) != DEC_OK)
                eval_fail(ev, e, row, "arithmetic overflow");
            break;
        default:
            if (dec_round(x, (int)digits, mode, &x) != DEC_OK)
                eval_fail(ev, e, row, "arithmetic overflow");
            break;
        }
        out[i] = x;
    }
    return true;
}

/* A literal's or a param's value: the same for every row. */
static Value constant(const Bound *b)
{
    return b->kind == B_LIT ? b->lit : b->param->value;
}

/* A computed value of the assessed rows, computed on first use. */
static const ValueDef *ready(Eval *ev, const Bound *b)
{
    if (!b->val->computed) compute_value(ev, b->val);
    return b->val;
}

void vec_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    const Bound *b = e->bound;
    if (b->type.list || b->type.base != T_NUM) {
        general_num(ev, e, rows, n, act, out);
        return;
    }
    switch (b->kind) {
    case B_LIT:
    case B_PARAM: {
        Value v = constant(b);
        for (int i = 0; i < n; i++)
            out[i] = v.null || !on(act, i) ? DEC_NULL : v.n;
        return;
    }
    case B_VALUE:
        if (ev->rowbuf) break;
        numcol_gather(&ready(ev, b)->num, rows, n, out);
        return;
    case B_COL: column_num(ev, e, rows, n, act, out); return;
    case B_LISTAGG:
        if (vec_list_num(ev, e, rows, n, act, out)) return;
        break;
    case B_RELAGG:
    case B_GROUPAGG:
        if (vec_agg_num(ev, e, rows, n, act, out)) return;
        break;
    case B_FUNC:
        switch (e->kind) {
        case E_UNARY:
            vec_num(ev, e->a, rows, n, act, out);
            for (int i = 0; i < n; i++)
                if (on(act, i) && out[i] != DEC_NULL && dec_neg(out[i], &out[i]) != DEC_OK)
                    eval_fail(ev, e, vec_row(ev, rows, i), "arithmetic overflow");
            return;
        case E_BINARY:
            if (e->op > OP_DIV) break;
            arith_num(ev, e, rows, n, act, out);
            return;
        case E_IF: if_num(ev, e, rows, n, act, out); return;
        case E_CALL:
            if (b->fn == (FuncId)-1) {
                vec_num(ev, e->a, rows, n, act, out);
                return;
            }
            if (call_num(ev, e, rows, n, act, out)) return;
            break;
        default: break;
        }
        break;
    default: break;
    }
    general_num(ev, e, rows, n, act, out);
}

/* ---- truth values ---- */

static void logic_bool(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act,
                       uint8_t *out)
{
    uint8_t a[EVAL_BATCH], need[EVAL_BATCH];
    vec_bool(ev, e->a, rows, n, act, a);
    bool any = false;
    for (int i = 0; i < n; i++) {
        bool decisive = a[i] != TRUTH_NULL && (e->op == OP_AND ? a[i] == 0 : a[i] == 1);
        need[i] = on(act, i) && !decisive;
        any |= need[i];
    }
    if (!any) {
        memcpy(out, a, (size_t)n);
        return;
    }
    vec_bool(ev, e->b, rows, n, need, out);
    for (int i = 0; i < n; i++) {
        if (!need[i])
            out[i] = a[i];
        else if (a[i] == TRUTH_NULL || out[i] == TRUTH_NULL)
            out[i] = TRUTH_NULL;
        else
            out[i] = e->op == OP_AND ? a[i] & out[i] : a[i] | out[i];
    }
}

/* The operator is chosen once for the batch, not per row: in an event
** table's filters this runs for every case. */
#define COMPARE_ROWS(OP)                                                                           \
    for (int i = 0; i < n; i++)                                                                    \
        out[i] = !on(act, i) || a[i] == DEC_NULL || b[i] == DEC_NULL ? TRUTH_NULL                  \
                                                                     : (uint8_t)(a[i] OP b[i]);

static void compare_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act,
                        uint8_t *out)
{
    Dec a[EVAL_BATCH], b[EVAL_BATCH];
    vec_num(ev, e->a, rows, n, act, a);
    vec_num(ev, e->b, rows, n, act, b);
    switch (e->op) {
    case OP_EQ: COMPARE_ROWS(==); break;
    case OP_NE: COMPARE_ROWS(!=); break;
    case OP_LT: COMPARE_ROWS(<); break;
    case OP_LE: COMPARE_ROWS(<=); break;
    case OP_GT: COMPARE_ROWS(>); break;
    default: COMPARE_ROWS(>=); break;
    }
}

/* Interned text ids of a text column, a text value or a literal, with
** INTERN_NONE for absent; false for any other expression. */
static bool text_ids(Eval *ev, Expr *x, const int32_t *rows, int n, uint32_t *out)
{
    const Bound *b = x->bound;
    if (b->type.list || b->type.base != T_TEXT) return false;
    if (b->kind == B_LIT) {
        for (int i = 0; i < n; i++)
            out[i] = b->lit.null ? INTERN_NONE : b->lit.t;
        return true;
    }
    if (b->kind == B_VALUE && !ev->rowbuf) {
        const uint32_t *col = ready(ev, b)->text;
        for (int i = 0; i < n; i++)
            out[i] = col[rows[i]];
        return true;
    }
    if (b->kind != B_COL || b->npath != 1) return false;
    const Column *c = b->path[0];
    if (c->kind != COL_TEXT && c->kind != COL_ENUM) return false;
    if (ev->rowbuf) {
        if (c->table != ev->row_table) return false;
        size_t stride = (size_t)ev->row_ncols, idx = (size_t)c->index;
        for (int i = 0; i < n; i++) {
            const Value *v = &ev->rowbuf[(size_t)rows[i] * stride + idx];
            out[i] = v->null ? INTERN_NONE : v->t;
        }
        return true;
    }
    for (int i = 0; i < n; i++)
        out[i] = c->text[rows[i]];
    return true;
}

/* text == text, text != text, text in ["a", "b"]: comparisons of interned ids. */
static bool text_bool(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act,
                      uint8_t *out)
{
    uint32_t a[EVAL_BATCH], b[EVAL_BATCH];
    if (e->kind == E_IN) {
        const PtrVec *items = &e->b->args;
        uint32_t lit[32]; /* the list's texts, read once for the batch */
        if (items->n > 32) return false;
        for (int k = 0; k < items->n; k++) {
            const Bound *ib = ((Expr *)items->items[k])->bound;
            if (ib->kind != B_LIT || ib->type.base != T_TEXT || ib->lit.null) return false;
            lit[k] = ib->lit.t;
        }
        if (!text_ids(ev, e->a, rows, n, a)) return false;
        for (int i = 0; i < n; i++) {
            if (!on(act, i) || a[i] == INTERN_NONE) {
                out[i] = TRUTH_NULL;
                continue;
            }
            uint8_t hit = 0;
            for (int k = 0; k < items->n; k++)
                hit |= lit[k] == a[i];
            out[i] = hit;
        }
        return true;
    }
    if (e->kind != E_BINARY || (e->op != OP_EQ && e->op != OP_NE)) return false;
    if (!text_ids(ev, e->a, rows, n, a) || !text_ids(ev, e->b, rows, n, b)) return false;
    for (int i = 0; i < n; i++)
        out[i] = !on(act, i) || a[i] == INTERN_NONE || b[i] == INTERN_NONE
                     ? TRUTH_NULL
                     : (a[i] == b[i]) == (e->op == OP_EQ);
    return true;
}

/* A true/false column: its bytes are already 0, 1 and 2 for absent. */
static bool column_bool(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act,
                        uint8_t *out)
{
    const Bound *b = e->bound;
    const Column *last = b->path[b->npath - 1];
    if (last->kind != COL_BOOL) return false;
    if (ev->rowbuf) {
        if (b->npath != 1 || last->table != ev->row_table) return false;
        size_t stride = (size_t)ev->row_ncols, idx = (size_t)last->index;
        for (int i = 0; i < n; i++) {
            const Value *x = &ev->rowbuf[(size_t)rows[i] * stride + idx];
            out[i] = x->null || !on(act, i) ? TRUTH_NULL : x->b;
        }
        return true;
    }
    if (!last->boolean) return false;
    int32_t at[EVAL_BATCH];
    follow_path(b, rows, n, at);
    for (int i = 0; i < n; i++)
        out[i] = at[i] < 0 || !on(act, i) ? TRUTH_NULL : last->boolean[at[i]];
    return true;
}

static bool plain_num(const Expr *x)
{
    return x->bound->type.base == T_NUM && !x->bound->type.list;
}

void vec_bool(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, uint8_t *out)
{
    const Bound *b = e->bound;
    if (b->type.list || b->type.base != T_BOOL) {
        general_bool(ev, e, rows, n, act, out);
        return;
    }
    switch (b->kind) {
    case B_LIT:
    case B_PARAM: {
        Value v = constant(b);
        for (int i = 0; i < n; i++)
            out[i] = v.null || !on(act, i) ? TRUTH_NULL : v.b;
        return;
    }
    case B_VALUE: {
        if (ev->rowbuf) break;
        const uint8_t *col = ready(ev, b)->boolean;
        for (int i = 0; i < n; i++)
            out[i] = col[rows[i]];
        return;
    }
    case B_LISTAGG:
        if (vec_list_bool(ev, e, rows, n, act, out)) return;
        break;
    case B_COL:
        if (column_bool(ev, e, rows, n, act, out)) return;
        break;
    case B_FUNC:
        if (e->kind == E_UNARY && e->op == OP_NOT) {
            vec_bool(ev, e->a, rows, n, act, out);
            for (int i = 0; i < n; i++)
                if (out[i] != TRUTH_NULL) out[i] = on(act, i) ? !out[i] : TRUTH_NULL;
            return;
        }
        if (e->kind == E_BINARY && (e->op == OP_AND || e->op == OP_OR)) {
            logic_bool(ev, e, rows, n, act, out);
            return;
        }
        if (e->kind == E_BINARY && e->op > OP_DIV && plain_num(e->a) && plain_num(e->b)) {
            compare_num(ev, e, rows, n, act, out);
            return;
        }
        if (text_bool(ev, e, rows, n, act, out)) return;
        break;
    default: break;
    }
    general_bool(ev, e, rows, n, act, out);
}
