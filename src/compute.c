/*
** compute.c — columnar evaluation: each value is a column over all assessed
** rows, computed once, on first use, after the values it depends on (the
** resolver has ruled out cycles). Group values are a reduction per group and
** a broadcast back to the members.
*/
#include "eval.h"
#include "xalloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void alloc_storage(Eval *ev, ValueDef *v)
{
    size_t n = (size_t)(ev->nrows ? ev->nrows : 1);
    switch (v->type.base) {
    case T_TEXT: v->text = ev_alloc(ev, (size_t)(n) * sizeof(uint32_t)); break;
    case T_DATE: v->date = ev_alloc(ev, (size_t)(n) * sizeof(int32_t)); break;
    case T_BOOL: v->boolean = ev_alloc(ev, (size_t)(n)*1); break;
    default: numcol_reserve(&v->num, (int32_t)n); break;
    }
}

static void store(ValueDef *v, int32_t row, Value x)
{
    switch (v->type.base) {
    case T_TEXT: v->text[row] = x.null ? INTERN_NONE : x.t; break;
    case T_DATE: v->date[row] = x.null ? INT32_MIN : x.d; break;
    case T_BOOL: v->boolean[row] = x.null ? 2 : x.b; break;
    default: numcol_set(&v->num, row, x.null ? DEC_NULL : x.n); break;
    }
}

Value value_get(Eval *ev, ValueDef *v, int32_t row)
{
    if (!v->computed) compute_value(ev, v);
    assert(!v->released);
    Value x = {0};
    switch (v->type.base) {
    case T_TEXT:
        x.t = v->text[row];
        x.null = x.t == INTERN_NONE;
        break;
    case T_DATE:
        x.d = v->date[row];
        x.null = x.d == INT32_MIN;
        break;
    case T_BOOL:
        x.b = v->boolean[row] == 1;
        x.null = v->boolean[row] == 2;
        break;
    default:
        x.n = numcol_get(&v->num, row);
        x.null = x.n == DEC_NULL;
        break;
    }
    return x;
}

static Dec add_checked(Eval *ev, const Expr *at, int32_t row, Dec a, Dec b)
{
    Dec out;
    if (dec_add(a, b, &out) != DEC_OK) eval_fail(ev, at, row, "arithmetic overflow");
    return out;
}

static Dec mul_checked(Eval *ev, const Expr *at, int32_t row, Dec a, Dec b)
{
    Dec out;
    DecStatus st = dec_mul(a, b, &out);
    if (st != DEC_OK && st != DEC_INEXACT) eval_fail(ev, at, row, "arithmetic overflow");
    return out;
}

/* ---- indicators ---- */

/* Evaluates e for the rows [start, start + n) in one batch. */
static void batch(Eval *ev, Expr *e, int32_t start, int n, const uint8_t *act, Value *out)
{
    int32_t rows[EVAL_BATCH];
    for (int i = 0; i < n; i++)
        rows[i] = start + i;
    eval_vec(ev, e, rows, n, act, out);
}

static void ensure_choice(Eval *ev, ValueDef *v)
{
    if (v->choice) return;
    Indicator *ind = v->ind;
    v->choice = ev_alloc(ev, (size_t)(ev->nrows ? ev->nrows : 1));
    Value c[EVAL_BATCH];
    uint8_t open[EVAL_BATCH];
    for (int32_t start = 0; start < ev->nrows; start += EVAL_BATCH) {
        int n = ev->nrows - start < EVAL_BATCH ? ev->nrows - start : EVAL_BATCH;
        memset(open, 1, (size_t)n);
        for (int k = 0; k < ind->branches.n; k++) {
            Branch *b = ind->branches.items[k];
            if (b->cond) batch(ev, b->cond, start, n, open, c);
            for (int i = 0; i < n; i++) {
                if (!open[i]) continue;
                if (b->cond && c[i].null)
                    eval_fail(ev, b->cond, start + i,
                              "the 'when' condition is empty (it uses a value that is absent)");
                if (!b->cond || c[i].b) {
                    v->choice[start + i] = (uint8_t)k;
                    open[i] = 0;
                }
            }
        }
    }
}

/* Is the indicator scored for this row: every enclosing variant was taken? */
static bool indicator_active(Eval *ev, Indicator *ind, int32_t row)
{
    for (Indicator *p = ind->parent; p; ind = p, p = p->parent) {
        if (!p->branches.n) continue;
        ValueDef *pv = ev->m->values[p->value_id];
        ensure_choice(ev, pv);
        Branch *b = p->branches.items[pv->choice[row]];
        bool inside = false;
        for (int i = 0; i < b->children.n && !inside; i++)
            inside = b->children.items[i] == ind;
        if (!inside) return false;
    }
    return true;
}

/* Weighted (or plain) sum of one level of indicators for a row. */
static Dec level_sum(Eval *ev, PtrVec *kids, int32_t row, Dec *weights)
{
    Dec sum = 0;
    for (int i = 0; i < kids->n; i++) {
        Indicator *k = kids->items[i];
        Value x = value_get(ev, ev->m->values[k->value_id], row);
        if (x.null) eval_fail(ev, k->formula, row, "indicator '%s' has no value", k->name);
        Dec term = k->weight ? mul_checked(ev, k->weight, row, weights[i], x.n) : x.n;
        sum = add_checked(ev, k->weight ? k->weight : k->formula, row, sum, term);
    }
    return sum;
}

static Dec *level_weights(Eval *ev, PtrVec *kids)
{
    Dec *w = ev_alloc(ev, (size_t)((size_t)kids->n + 1) * sizeof(Dec));
    for (int i = 0; i < kids->n; i++) {
        Indicator *k = kids->items[i];
        if (k->weight) w[i] = eval_expr(ev, k->weight, -1).n;
    }
    return w;
}

static void compute_indicator(Eval *ev, ValueDef *v)
{
    Indicator *ind = v->ind;
    Dec *w = ind->children.n ? level_weights(ev, &ind->children) : NULL;
    Dec **bw = NULL;
    if (ind->branches.n) {
        ensure_choice(ev, v);
        bw = ev_alloc(ev, (size_t)((size_t)ind->branches.n) * sizeof(Dec *));
        for (int k = 0; k < ind->branches.n; k++) {
            Branch *b = ind->branches.items[k];
            if (b->children.n) bw[k] = level_weights(ev, &b->children);
        }
    }
    Value out[EVAL_BATCH];
    uint8_t act[EVAL_BATCH], sel[EVAL_BATCH];
    for (int32_t start = 0; start < ev->nrows; start += EVAL_BATCH) {
        int n = ev->nrows - start < EVAL_BATCH ? ev->nrows - start : EVAL_BATCH;
        for (int i = 0; i < n; i++)
            act[i] = indicator_active(ev, ind, start + i);
        if (ind->formula) batch(ev, ind->formula, start, n, act, out);
        for (int k = 0; k < ind->branches.n; k++) {
            Branch *b = ind->branches.items[k];
            if (!b->formula) continue;
            bool any = false;
            for (int i = 0; i < n; i++)
                any |= sel[i] = act[i] && v->choice[start + i] == k;
            if (!any) continue;
            Value tmp[EVAL_BATCH];
            batch(ev, b->formula, start, n, sel, tmp);
            for (int i = 0; i < n; i++)
                if (sel[i]) out[i] = tmp[i];
        }
        for (int i = 0; i < n; i++) {
            int32_t row = start + i;
            Value x = {0};
            if (!act[i]) {
                x.null = true;
            } else if (ind->formula) {
                x = out[i];
            } else if (ind->children.n) {
                x.n = level_sum(ev, &ind->children, row, w);
            } else {
                Branch *b = ind->branches.items[v->choice[row]];
                if (b->formula)
                    x = out[i];
                else
                    x.n = level_sum(ev, &b->children, row, bw[v->choice[row]]);
            }
            store(v, row, x);
        }
    }
    ev_free(ev, w);
    if (bw)
        for (int k = 0; k < ind->branches.n; k++)
            ev_free(ev, bw[k]);
    ev_free(ev, bw);
}

/* ---- bonus, penalty, totals ---- */

static Dec items_total(Eval *ev, PtrVec *items, Expr *cap, int32_t row)
{
    Dec sum = 0;
    for (int i = 0; i < items->n; i++) {
        ValueDef *it = items->items[i];
        Value x = value_get(ev, it, row);
        if (x.null) eval_fail(ev, it->formula, row, "'%s' has no value", it->name);
        sum = add_checked(ev, it->formula, row, sum, x.n);
    }
    if (cap) {
        Value c = eval_expr(ev, cap, row);
        if (c.null) eval_fail(ev, cap, row, "the cap has no value");
        if (dec_cmp(sum, c.n) > 0) sum = c.n;
    }
    return sum;
}

/* Lets, bonus and penalty items (with their per-item cap) and adjustment
** stages, a batch of rows at a time. */
static void compute_formula(Eval *ev, ValueDef *v)
{
    Value x[EVAL_BATCH], y[EVAL_BATCH];
    uint8_t act[EVAL_BATCH];
    for (int32_t start = 0; start < ev->nrows; start += EVAL_BATCH) {
        int n = ev->nrows - start < EVAL_BATCH ? ev->nrows - start : EVAL_BATCH;
        const uint8_t *mask = NULL;
        if (v->kind == VAL_ADJUST && v->cond) {
            batch(ev, v->cond, start, n, NULL, y);
            for (int i = 0; i < n; i++) {
                if (y[i].null)
                    eval_fail(
                        ev, v->cond, start + i,
                        "the adjustment's condition is empty (it uses a value that is absent)");
                act[i] = y[i].b;
            }
            mask = act;
        }
        batch(ev, v->formula, start, n, mask, x);
        if (v->cap) {
            for (int i = 0; i < n; i++)
                act[i] = !x[i].null;
            batch(ev, v->cap, start, n, act, y);
        }
        for (int i = 0; i < n; i++) {
            int32_t row = start + i;
            if (v->cap && !x[i].null) {
                if (y[i].null) eval_fail(ev, v->cap, row, "the cap of '%s' has no value", v->name);
                if (dec_cmp(x[i].n, y[i].n) > 0) x[i].n = y[i].n;
            }
            if (v->kind == VAL_ADJUST) {
                if (mask && !mask[i])
                    x[i] = value_get(ev, ev->m->values[v->prev_total], row);
                else if (x[i].null)
                    eval_fail(ev, v->formula, row, "the adjusted total has no value");
            }
            store(v, row, x[i]);
        }
    }
}

static void compute_value_columns(Eval *ev, ValueDef *v);

static Value total_value(Eval *ev, int32_t row)
{
    Model *m = ev->m;
    Value s = value_get(ev, m->v_score, row), b = value_get(ev, m->v_bonus_total, row),
          p = value_get(ev, m->v_penalty_total, row), x = {0};
    Dec t;
    if (dec_add(s.n, b.n, &t) != DEC_OK || dec_sub(t, p.n, &x.n) != DEC_OK)
        eval_fail(ev, NULL, row, "arithmetic overflow in the total");
    return x;
}

/* A `let` is not part of the output: once every value that reads it is
** computed, its column is freed, so intermediate values do not add up. */
static void release_inputs(Eval *ev, ValueDef *v)
{
    for (int i = 0; i < v->deps.n; i++) {
        ValueDef *d = v->deps.items[i];
        if (--d->readers > 0 || d->kind != VAL_LET || d->shown || d->kept || d->borrowed || d == v)
            continue;
        numcol_free(&d->num);
        ev_free(ev, d->text);
        ev_free(ev, d->date);
        ev_free(ev, d->boolean);
        d->text = NULL;
        d->date = NULL;
        d->boolean = NULL;
        d->released = true;
    }
}

void compute_value(Eval *ev, ValueDef *v)
{
    if (v->computed) return;
    compute_value_columns(ev, v);
    release_inputs(ev, v);
}

static void compute_value_columns(Eval *ev, ValueDef *v)
{
    Model *m = ev->m;
    if (v->kind == VAL_RANK) { /* computed with the grades */
        compute_value(ev, m->v_grade);
        return;
    }
    if (v->kind == VAL_GRADE) {
        grade_compute(ev);
        return;
    }
    alloc_storage(ev, v);
    if (v->kind == VAL_INDICATOR) {
        compute_indicator(ev, v);
        v->computed = true;
        return;
    }
    if (v->kind == VAL_LET || v->kind == VAL_BONUS || v->kind == VAL_PENALTY ||
        v->kind == VAL_ADJUST) {
        compute_formula(ev, v);
        v->computed = true;
        return;
    }
    Dec *w = v->kind == VAL_SCORE ? level_weights(ev, &m->top_indicators) : NULL;
    for (int32_t row = 0; row < ev->nrows; row++) {
        Value x = {0};
        switch (v->kind) {
        case VAL_SCORE: x.n = level_sum(ev, &m->top_indicators, row, w); break;
        case VAL_BONUS_TOTAL: x.n = items_total(ev, &m->bonuses, m->bonus_cap, row); break;
        case VAL_PENALTY_TOTAL: x.n = items_total(ev, &m->penalties, m->penalty_cap, row); break;
        case VAL_TOTAL: x = total_value(ev, row); break;
        default: break;
        }
        store(v, row, x);
    }
    ev_free(ev, w);
    v->computed = true;
}
