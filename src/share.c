/*
** share.c — finding the values two versions compute alike (see share.h).
**
** Two values are alike when they are of the same kind and name and are
** computed the same way from alike inputs. Expressions are compared node by
** node, with what each name was resolved to: the same column (by table and
** column name), a param of the same name and value, a value that is alike,
** an aggregate over alike rows. Anything not known to be alike is not: the
** second version then computes it itself, which is always correct.
*/
#include "share.h"
#include "resolve.h"

#include <string.h>

typedef struct Share {
    Model *a, *b;
    ValueDef **candidate; /* per value of b: the value of a with its kind and name, or NULL */
    int8_t *memo;         /* per value of b: 0 not yet, 1 comparing, 2 alike, 3 not */
} Share;

static bool value_alike(Share *S, ValueDef *va, ValueDef *vb);
static bool expr_alike(Share *S, const Expr *x, const Expr *y);

static bool same_str(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

static bool same_column(const Column *c, const Column *d)
{
    return strcmp(c->name, d->name) == 0 && strcmp(c->table->name, d->table->name) == 0;
}

static bool same_path(Column *const *p, Column *const *q, int n)
{
    for (int i = 0; i < n; i++)
        if (!same_column(p[i], q[i])) return false;
    return true;
}

static bool same_param(const Param *p, const Param *q)
{
    if (strcmp(p->name, q->name) != 0 || p->type.base != q->type.base) return false;
    const Value *x = &p->value, *y = &q->value;
    return x->n == y->n && x->t == y->t && x->d == y->d && x->b == y->b && x->null == y->null;
}

static bool group_alike(Share *S, const Group *g, const Group *h)
{
    if (g->keys.n != h->keys.n) return false;
    for (int i = 0; i < g->keys.n; i++)
        if (!expr_alike(S, g->keys.items[i], h->keys.items[i])) return false;
    return true;
}

static bool bound_alike(Share *S, const Bound *p, const Bound *q)
{
    if (p->kind != q->kind || p->type.base != q->type.base || p->type.list != q->type.list)
        return false;
    switch (p->kind) {
    case B_LIT:
        return p->lit.n == q->lit.n && p->lit.t == q->lit.t && p->lit.d == q->lit.d &&
               p->lit.b == q->lit.b && p->lit.null == q->lit.null;
    case B_PARAM: return same_param(p->param, q->param);
    case B_VALUE: return value_alike(S, p->val, q->val);
    case B_COL: return p->npath == q->npath && same_path(p->path, q->path, p->npath);
    case B_RELAGG: {
        const RelAgg *x = p->agg, *y = q->agg;
        return p->npath == q->npath && same_path(p->path, q->path, p->npath) &&
               x->func == y->func && strcmp(x->child->name, y->child->name) == 0 &&
               strcmp(x->parent->name, y->parent->name) == 0 && same_column(x->via, y->via) &&
               expr_alike(S, x->arg, y->arg) && expr_alike(S, x->where, y->where);
    }
    case B_GROUPAGG: {
        const GroupAgg *x = p->gagg, *y = q->gagg;
        return x->fn == y->fn && group_alike(S, x->g, y->g) && expr_alike(S, x->arg, y->arg) &&
               expr_alike(S, x->where, y->where);
    }
    case B_LISTAGG:
    case B_FUNC: return p->fn == q->fn;
    case B_ARG: return false;
    }
    return false;
}

static bool expr_alike(Share *S, const Expr *x, const Expr *y)
{
    if (!x || !y) return x == y;
    if (x->kind != y->kind || x->op != y->op || x->num != y->num ||
        x->is_percent != y->is_percent || x->boolean != y->boolean || !same_str(x->str, y->str) ||
        !same_str(x->name, y->name) || x->args.n != y->args.n)
        return false;
    if (!expr_alike(S, x->a, y->a) || !expr_alike(S, x->b, y->b) || !expr_alike(S, x->c, y->c) ||
        !expr_alike(S, x->where, y->where))
        return false;
    for (int i = 0; i < x->args.n; i++)
        if (!expr_alike(S, x->args.items[i], y->args.items[i])) return false;
    if (!x->bound || !y->bound) return x->bound == y->bound;
    return bound_alike(S, x->bound, y->bound);
}

/* ---- indicators ---- */

/* Sub-indicators summed alike: the same weights and alike values. */
static bool level_alike(Share *S, const PtrVec *p, const PtrVec *q)
{
    if (p->n != q->n) return false;
    for (int i = 0; i < p->n; i++) {
        const Indicator *x = p->items[i], *y = q->items[i];
        if (!expr_alike(S, x->weight, y->weight) ||
            !value_alike(S, S->a->values[x->value_id], S->b->values[y->value_id]))
            return false;
    }
    return true;
}

static int branch_of(const Indicator *parent, const Indicator *ind)
{
    for (int k = 0; k < parent->branches.n; k++) {
        const Branch *b = parent->branches.items[k];
        for (int i = 0; i < b->children.n; i++)
            if (b->children.items[i] == ind) return k;
    }
    return -1;
}

/* Is each indicator scored for the same persons: every enclosing variant
** chosen by alike conditions, and the indicator in the same variant? */
static bool scored_alike(Share *S, const Indicator *x, const Indicator *y)
{
    for (; x->parent || y->parent; x = x->parent, y = y->parent) {
        const Indicator *p = x->parent, *q = y->parent;
        if (!p || !q || p->branches.n != q->branches.n) return false;
        for (int k = 0; k < p->branches.n; k++)
            if (!expr_alike(S, ((Branch *)p->branches.items[k])->cond,
                            ((Branch *)q->branches.items[k])->cond))
                return false;
        if (branch_of(p, x) != branch_of(q, y)) return false;
    }
    return true;
}

static bool indicator_alike(Share *S, const Indicator *x, const Indicator *y)
{
    if (!expr_alike(S, x->formula, y->formula) || !level_alike(S, &x->children, &y->children) ||
        x->branches.n != y->branches.n)
        return false;
    for (int k = 0; k < x->branches.n; k++) {
        const Branch *p = x->branches.items[k], *q = y->branches.items[k];
        if (!expr_alike(S, p->cond, q->cond) || !expr_alike(S, p->formula, q->formula) ||
            !level_alike(S, &p->children, &q->children))
            return false;
    }
    return scored_alike(S, x, y);
}

/* ---- values ---- */

static bool items_alike(Share *S, const PtrVec *p, const PtrVec *q)
{
    if (p->n != q->n) return false;
    for (int i = 0; i < p->n; i++)
        if (!value_alike(S, p->items[i], q->items[i])) return false;
    return true;
}

static bool computed_alike(Share *S, ValueDef *va, ValueDef *vb)
{
    Model *a = S->a, *b = S->b;
    switch (va->kind) {
    case VAL_LET: return expr_alike(S, va->formula, vb->formula);
    case VAL_BONUS:
    case VAL_PENALTY:
        return expr_alike(S, va->formula, vb->formula) && expr_alike(S, va->cap, vb->cap);
    case VAL_ADJUST:
        return expr_alike(S, va->cond, vb->cond) && expr_alike(S, va->formula, vb->formula) &&
               value_alike(S, a->values[va->prev_total], b->values[vb->prev_total]);
    case VAL_INDICATOR: return indicator_alike(S, va->ind, vb->ind);
    case VAL_SCORE: return level_alike(S, &a->top_indicators, &b->top_indicators);
    case VAL_BONUS_TOTAL:
        return items_alike(S, &a->bonuses, &b->bonuses) &&
               expr_alike(S, a->bonus_cap, b->bonus_cap);
    case VAL_PENALTY_TOTAL:
        return items_alike(S, &a->penalties, &b->penalties) &&
               expr_alike(S, a->penalty_cap, b->penalty_cap);
    case VAL_TOTAL:
        return value_alike(S, a->v_score, b->v_score) &&
               value_alike(S, a->v_bonus_total, b->v_bonus_total) &&
               value_alike(S, a->v_penalty_total, b->v_penalty_total);
    case VAL_COLUMN: /* not made by the resolver */
    case VAL_GRADE:
    case VAL_RANK: return false; /* what the comparison is about */
    }
    return false;
}

/* Only a value's candidate can be its twin; the answer is remembered. */
static bool value_alike(Share *S, ValueDef *va, ValueDef *vb)
{
    if (!va || va != S->candidate[vb->id]) return false;
    int8_t *st = &S->memo[vb->id];
    if (*st == 2) return true;
    if (*st != 0) return false;
    *st = 1;
    bool ok = va->type.base == vb->type.base && computed_alike(S, va, vb);
    *st = ok ? 2 : 3;
    if (ok) vb->twin = va;
    return ok;
}

/* The value of a of the same kind and name: the only one that can be a twin. */
static ValueDef *candidate(const Model *a, const ValueDef *vb)
{
    for (int i = 0; i < a->nvalues; i++) {
        ValueDef *va = a->values[i];
        if (va->kind == vb->kind && same_str(va->name, vb->name)) return va;
    }
    return NULL;
}

/* Values an expression reads directly. */
static void keep_read(Expr *e)
{
    if (!e) return;
    if (e->bound && e->bound->kind == B_VALUE) e->bound->val->kept = true;
    keep_read(e->a);
    keep_read(e->b);
    keep_read(e->c);
    keep_read(e->where);
    for (int i = 0; i < e->args.n; i++)
        keep_read(e->args.items[i]);
}

/* The comparison evaluates grade conditions and the grading group's keys
** after the run: what they read must still be there. */
static void keep_for_diff(Model *m)
{
    for (int g = 0; g < m->ngrades; g++)
        keep_read(m->grades[g].rule->when);
    if (m->grade_group)
        for (int k = 0; k < m->grade_group->keys.n; k++)
            keep_read(m->grade_group->keys.items[k]);
}

void share_plan(Model *a, Model *b)
{
    int n = b->nvalues ? b->nvalues : 1;
    Share S = {a, b, ARENA_ARR(b->arena, ValueDef *, n), ARENA_ARR(b->arena, int8_t, n)};
    for (int i = 0; i < b->nvalues; i++)
        S.candidate[i] = candidate(a, b->values[i]);
    for (int i = 0; i < b->nvalues; i++) {
        ValueDef *vb = b->values[i], *va = S.candidate[i];
        if (va && value_alike(&S, va, vb)) va->kept = true;
    }
    keep_for_diff(a);
    keep_for_diff(b);
}

void share_borrow(Model *b)
{
    for (int i = 0; i < b->nvalues; i++) {
        ValueDef *v = b->values[i], *t = v->twin;
        if (!t || !t->computed || t->released) continue;
        v->num = t->num;
        v->text = t->text;
        v->date = t->date;
        v->boolean = t->boolean;
        v->choice = t->choice;
        v->computed = v->borrowed = true;
    }
}
