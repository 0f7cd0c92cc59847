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
    default:
        /* A number column compute_rows fills is emptied there, block by block
        ** on the thread that computes it. */
        if (v->type.base == T_NUM && !v->type.list)
            numcol_reserve_unset(&v->num, (int32_t)n);
        else
            numcol_reserve(&v->num, (int32_t)n);
        break;
    }
}

/* A number of v's column (set aside, in a part of a split computation,
** when it would widen the column). */
static inline void set_num(Eval *ev, ValueDef *v, int32_t row, Dec x)
{
    eval_set_num(ev, &v->num, row, x);
}

/* Numbers of v's rows [row, row + n), likewise. */
static inline void set_num_run(Eval *ev, ValueDef *v, int32_t row, const Dec *x, int n)
{
    eval_set_num_run(ev, &v->num, row, x, n);
}

static void store(Eval *ev, ValueDef *v, int32_t row, Value x)
{
    switch (v->type.base) {
    case T_TEXT: v->text[row] = x.null ? INTERN_NONE : x.t; break;
    case T_DATE: v->date[row] = x.null ? INT32_MIN : x.d; break;
    case T_BOOL: v->boolean[row] = x.null ? 2 : x.b; break;
    default: set_num(ev, v, row, x.null ? DEC_NULL : x.n); break;
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

/* The branch of variant v each row of [ev->lo, ev->hi) takes. */
static void choice_rows(Eval *ev, void *ctx)
{
    ValueDef *v = ctx;
    Indicator *ind = v->ind;
    int32_t rows[EVAL_BATCH];
    uint8_t c[EVAL_BATCH], open[EVAL_BATCH];
    for (int32_t start = ev->lo; start < ev->hi; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->hi, rows);
        memset(open, 1, (size_t)n);
        for (int k = 0; k < ind->branches.n; k++) {
            Branch *b = ind->branches.items[k];
            if (b->cond) vec_bool(ev, b->cond, rows, n, open, c);
            for (int i = 0; i < n; i++) {
                if (!open[i]) continue;
                if (b->cond && c[i] == 2)
                    eval_fail(ev, b->cond, start + i,
                              "the 'when' condition is empty (it uses a value that is absent)");
                if (!b->cond || c[i] == 1) {
                    v->choice[start + i] = (uint8_t)k;
                    open[i] = 0;
                }
            }
        }
    }
}

/* Worked out for every row on first use, on two threads when there are
** many; that use may be the first batch of a column being split, whose
** rows are put back afterwards. */
static void ensure_choice(Eval *ev, ValueDef *v)
{
    if (v->choice) return;
    eval_shared_init(ev);
    v->choice = ev_alloc(ev, (size_t)(ev->nrows ? ev->nrows : 1));
    int32_t lo = ev->lo, hi = ev->hi;
    eval_rows_split(ev, choice_rows, v, NULL);
    ev->lo = lo;
    ev->hi = hi;
}

/* An indicator is scored for a row when every enclosing variant chose the
** branch it sits in: for each such ancestor, its choice column and that
** branch (-1 when it sits in none). */
typedef struct Within {
    const uint8_t *choice;
    int branch;
} Within;

static int enclosing(Eval *ev, Indicator *ind, Within **out)
{
    int depth = 0;
    for (Indicator *p = ind->parent; p; p = p->parent)
        depth += p->branches.n > 0;
    Within *w = ev_alloc(ev, sizeof(Within) * (size_t)(depth ? depth : 1));
    int n = 0;
    for (Indicator *p = ind->parent; p; ind = p, p = p->parent) {
        if (!p->branches.n) continue;
        ValueDef *pv = ev->m->values[p->value_id];
        ensure_choice(ev, pv);
        int k = -1;
        for (int b = 0; b < p->branches.n && k < 0; b++) {
            Branch *br = p->branches.items[b];
            for (int i = 0; i < br->children.n && k < 0; i++)
                if (br->children.items[i] == ind) k = b;
        }
        w[n++] = (Within){pv->choice, k};
    }
    *out = w;
    return n;
}

/* Is the indicator scored for this row: every enclosing variant was taken? */
bool indicator_active(Eval *ev, Indicator *ind, int32_t row)
{
    Within *w;
    int n = enclosing(ev, ind, &w);
    bool on = true;
    for (int k = 0; k < n && on; k++)
        on = w[k].choice[row] == w[k].branch;
    ev_free(ev, w);
    return on;
}

/* Weighted (or plain) sum of one level of indicators for a row; the
** children are computed already. */
static Dec level_sum(Eval *ev, PtrVec *kids, int32_t row, Dec *weights)
{
    Dec sum = 0;
    for (int i = 0; i < kids->n; i++) {
        Indicator *k = kids->items[i];
        Dec x = numcol_get(&ev->m->values[k->value_id]->num, row);
        if (x == DEC_NULL) eval_fail(ev, k->formula, row, "indicator '%s' has no value", k->name);
        Dec term = k->weight ? mul_checked(ev, k->weight, row, weights[i], x) : x;
        sum = add_checked(ev, k->weight ? k->weight : k->formula, row, sum, term);
    }
    return sum;
}

/* level_sum for the rows of a batch that sel marks (every row when NULL), a
** column at a time; false at the first row without a value or with an
** overflow, which level_sum, row after row, then reports in its order. */
static bool level_sums(Eval *ev, PtrVec *kids, const int32_t *rows, int n, const uint8_t *sel,
                       const Dec *weights, Dec *out)
{
    Dec x[EVAL_BATCH];
    for (int i = 0; i < n; i++)
        out[i] = 0;
    for (int k = 0; k < kids->n; k++) {
        Indicator *kid = kids->items[k];
        numcol_gather(&ev->m->values[kid->value_id]->num, rows, n, x);
        for (int i = 0; i < n; i++) {
            if (sel && !sel[i]) continue;
            Dec term = x[i];
            if (term == DEC_NULL) return false;
            if (kid->weight) {
                DecStatus st = dec_mul(weights[k], term, &term);
                if (st != DEC_OK && st != DEC_INEXACT) return false;
            }
            if (dec_add(out[i], term, &out[i]) != DEC_OK) return false;
        }
    }
    return true;
}

static Dec *level_weights(Eval *ev, PtrVec *kids)
{
    Dec *w = ev_alloc(ev, (size_t)((size_t)kids->n + 1) * sizeof(Dec));
    for (int i = 0; i < kids->n; i++) {
        Indicator *k = kids->items[i];
        if (k->weight) w[i] = eval_expr(ev, k->weight, -1).n;
        compute_value(ev, ev->m->values[k->value_id]);
    }
    return w;
}

/* Leaf formulas, one batch: the indicator's own, or each branch's for the
** rows that chose it. */
static void leaf_batch(Eval *ev, ValueDef *v, const int32_t *rows, int n, const uint8_t *act,
                       Dec *out)
{
    Indicator *ind = v->ind;
    if (ind->formula) vec_num(ev, ind->formula, rows, n, act, out);
    for (int k = 0; k < ind->branches.n; k++) {
        Branch *b = ind->branches.items[k];
        if (!b->formula) continue;
        uint8_t sel[EVAL_BATCH];
        bool any = false;
        for (int i = 0; i < n; i++)
            any |= sel[i] = act[i] && v->choice[rows[i]] == k;
        if (!any) continue;
        Dec tmp[EVAL_BATCH];
        vec_num(ev, b->formula, rows, n, sel, tmp);
        for (int i = 0; i < n; i++)
            if (sel[i]) out[i] = tmp[i];
    }
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
    Within *within;
    int nwithin = enclosing(ev, ind, &within);
    int32_t rows[EVAL_BATCH];
    Dec out[EVAL_BATCH], sums[EVAL_BATCH], x[EVAL_BATCH];
    uint8_t act[EVAL_BATCH], sel[EVAL_BATCH];
    for (int32_t start = ev->lo; start < ev->hi; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->hi, rows);
        for (int i = 0; i < n; i++) {
            act[i] = 1;
            for (int k = 0; k < nwithin && act[i]; k++)
                act[i] = within[k].choice[rows[i]] == within[k].branch;
        }
        leaf_batch(ev, v, rows, n, act, out);
        /* The weighted sums of the children a column at a time; row by row
        ** when one fails, for the error that order meets first. */
        bool summed = !ind->formula;
        if (summed && ind->children.n)
            summed = level_sums(ev, &ind->children, rows, n, act, w, sums);
        for (int k = 0; summed && !ind->children.n && k < ind->branches.n; k++) {
            Branch *b = ind->branches.items[k];
            if (b->formula) continue;
            for (int i = 0; i < n; i++)
                sel[i] = act[i] && v->choice[rows[i]] == k;
            Dec part[EVAL_BATCH];
            summed = level_sums(ev, &b->children, rows, n, sel, bw[k], part);
            for (int i = 0; i < n; i++)
                if (sel[i]) sums[i] = part[i];
        }
        for (int i = 0; i < n; i++) {
            int32_t row = rows[i];
            if (!act[i]) {
                x[i] = DEC_NULL;
            } else if (ind->formula) {
                x[i] = out[i];
            } else if (ind->children.n) {
                x[i] = summed ? sums[i] : level_sum(ev, &ind->children, row, w);
            } else {
                Branch *b = ind->branches.items[v->choice[row]];
                x[i] = b->formula ? out[i]
                       : summed   ? sums[i]
                                  : level_sum(ev, &b->children, row, bw[v->choice[row]]);
            }
        }
        set_num_run(ev, v, start, x, n);
    }
    ev_free(ev, within);
    ev_free(ev, w);
    if (bw)
        for (int k = 0; k < ind->branches.n; k++)
            ev_free(ev, bw[k]);
    ev_free(ev, bw);
}

/* ---- lets, bonus, penalty, adjustments ---- */

/* A numeric let, a bonus or penalty item (with its per-item cap) or an
** adjustment stage, a batch of rows at a time. */
static void compute_number(Eval *ev, ValueDef *v)
{
    int32_t rows[EVAL_BATCH];
    Dec x[EVAL_BATCH], y[EVAL_BATCH];
    uint8_t c[EVAL_BATCH], act[EVAL_BATCH], live[EVAL_BATCH];
    NumCol *prev = NULL;
    if (v->kind == VAL_ADJUST) {
        compute_value(ev, ev->m->values[v->prev_total]);
        prev = &ev->m->values[v->prev_total]->num;
    }
    for (int32_t start = ev->lo; start < ev->hi; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->hi, rows);
        const uint8_t *mask = NULL;
        if (v->kind == VAL_ADJUST && v->cond) {
            vec_bool(ev, v->cond, rows, n, NULL, c);
            for (int i = 0; i < n; i++) {
                if (c[i] == 2)
                    eval_fail(
                        ev, v->cond, start + i,
                        "the adjustment's condition is empty (it uses a value that is absent)");
                act[i] = c[i];
            }
            mask = act;
        }
        vec_num(ev, v->formula, rows, n, mask, x);
        if (v->cap) {
            for (int i = 0; i < n; i++)
                live[i] = x[i] != DEC_NULL;
            vec_num(ev, v->cap, rows, n, live, y);
        }
        for (int i = 0; i < n; i++) {
            int32_t row = rows[i];
            if (v->cap && x[i] != DEC_NULL) {
                if (y[i] == DEC_NULL)
                    eval_fail(ev, v->cap, row, "the cap of '%s' has no value", v->name);
                if (dec_cmp(x[i], y[i]) > 0) x[i] = y[i];
            }
            if (v->kind == VAL_ADJUST) {
                if (mask && !mask[i])
                    x[i] = numcol_get(prev, row);
                else if (x[i] == DEC_NULL)
                    eval_fail(ev, v->formula, row, "the adjusted total has no value");
            }
        }
        set_num_run(ev, v, start, x, n);
    }
}

/* A let of any other type, through the general evaluator. */
static void compute_formula(Eval *ev, ValueDef *v)
{
    int32_t rows[EVAL_BATCH];
    Value x[EVAL_BATCH];
    for (int32_t start = ev->lo; start < ev->hi; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->hi, rows);
        eval_vec(ev, v->formula, rows, n, NULL, x);
        for (int i = 0; i < n; i++)
            store(ev, v, rows[i], x[i]);
    }
}

/* ---- totals ---- */

/* The sum of bonus or penalty items, cut at the total cap, for one batch. */
static void items_total(Eval *ev, PtrVec *items, Expr *cap, const int32_t *rows, int n, Dec *out)
{
    for (int i = 0; i < n; i++)
        out[i] = 0;
    for (int k = 0; k < items->n; k++) {
        ValueDef *it = items->items[k];
        compute_value(ev, it);
    }
    /* An item at a time; when a row fails, again row by row, for the error
    ** that order meets first. */
    bool summed = true;
    Dec x[EVAL_BATCH];
    for (int k = 0; k < items->n && summed; k++) {
        numcol_gather(&((ValueDef *)items->items[k])->num, rows, n, x);
        for (int i = 0; i < n && summed; i++)
            summed = x[i] != DEC_NULL && dec_add(out[i], x[i], &out[i]) == DEC_OK;
    }
    for (int i = 0; i < n && !summed; i++)
        out[i] = 0;
    for (int i = 0; i < n && !summed; i++)
        for (int k = 0; k < items->n; k++) {
            ValueDef *it = items->items[k];
            Dec y = numcol_get(&it->num, rows[i]);
            if (y == DEC_NULL) eval_fail(ev, it->formula, rows[i], "'%s' has no value", it->name);
            out[i] = add_checked(ev, it->formula, rows[i], out[i], y);
        }
    if (!cap) return;
    Dec c[EVAL_BATCH];
    vec_num(ev, cap, rows, n, NULL, c);
    for (int i = 0; i < n; i++) {
        if (c[i] == DEC_NULL) eval_fail(ev, cap, rows[i], "the cap has no value");
        if (dec_cmp(out[i], c[i]) > 0) out[i] = c[i];
    }
}

static void compute_totals(Eval *ev, ValueDef *v)
{
    Model *m = ev->m;
    Dec *w = v->kind == VAL_SCORE ? level_weights(ev, &m->top_indicators) : NULL;
    ValueDef *parts[] = {m->v_score, m->v_bonus_total, m->v_penalty_total};
    if (v->kind == VAL_TOTAL)
        for (int k = 0; k < 3; k++)
            compute_value(ev, parts[k]);
    int32_t rows[EVAL_BATCH];
    Dec x[EVAL_BATCH];
    for (int32_t start = ev->lo; start < ev->hi; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->hi, rows);
        switch (v->kind) {
        case VAL_SCORE:
            if (!level_sums(ev, &m->top_indicators, rows, n, NULL, w, x))
                for (int i = 0; i < n; i++)
                    x[i] = level_sum(ev, &m->top_indicators, rows[i], w);
            break;
        case VAL_BONUS_TOTAL: items_total(ev, &m->bonuses, m->bonus_cap, rows, n, x); break;
        case VAL_PENALTY_TOTAL: items_total(ev, &m->penalties, m->penalty_cap, rows, n, x); break;
        default:
            for (int i = 0; i < n; i++) {
                Dec t, s = numcol_get(&parts[0]->num, rows[i]);
                if (dec_add(s, numcol_get(&parts[1]->num, rows[i]), &t) != DEC_OK ||
                    dec_sub(t, numcol_get(&parts[2]->num, rows[i]), &x[i]) != DEC_OK)
                    eval_fail(ev, NULL, rows[i], "arithmetic overflow in the total");
            }
            break;
        }
        set_num_run(ev, v, start, x, n);
    }
    ev_free(ev, w);
}

static void compute_value_columns(Eval *ev, ValueDef *v);

void column_free(Column *c)
{
    numcol_free(&c->num);
    free(c->text);
    free(c->date);
    free(c->boolean);
    free(c->row);
    c->text = NULL;
    c->date = NULL;
    c->boolean = NULL;
    c->row = NULL;
}

/* The assessed table's columns and the aggregates over its rows, likewise:
** their memory goes to the values computed after them (at 10^6 persons,
** fresh pages cost more to clear than most values cost to compute). */
static void release_data(Eval *ev, ValueDef *v)
{
    const Table *assessed = ev->m->assessed;
    for (int i = 0; i < v->cols.n; i++) {
        Column *c = v->cols.items[i];
        if (--c->readers == 0 && !c->pinned && c->table == assessed) column_free(c);
    }
    for (int i = 0; i < v->aggs.n; i++) {
        RelAgg *ag = v->aggs.items[i];
        if (--ag->readers > 0 || ag->pinned || ag->parent != assessed) continue;
        numcol_free(&ag->acc);
        ev_free(ev, ag->n);
        ag->n = NULL;
    }
}

/* A `let` is not part of the output: once every value that reads it is
** computed, its column is freed, so intermediate values do not add up. */
static void release_inputs(Eval *ev, ValueDef *v)
{
    if (ev->keep_values) return;
    if (!ev->keep_columns) release_data(ev, v);
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
    eval_shared_init(ev);
    /* A value computed on first use, inside another's computation, covers
    ** every row; the outer one then goes on with its own rows. */
    int32_t lo = ev->lo, hi = ev->hi;
    ev->lo = 0;
    ev->hi = ev->nrows;
    compute_value_columns(ev, v);
    ev->lo = lo;
    ev->hi = hi;
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
    ComputeFn fn = compute_totals;
    if (v->kind == VAL_INDICATOR)
        fn = compute_indicator;
    else if (v->kind == VAL_LET || v->kind == VAL_BONUS || v->kind == VAL_PENALTY ||
             v->kind == VAL_ADJUST)
        fn = v->type.base == T_NUM && !v->type.list ? compute_number : compute_formula;
    compute_rows(ev, v, fn);
    v->computed = true;
}
