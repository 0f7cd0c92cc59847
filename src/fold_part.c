/*
** fold_part.c — a filter over an event table's rows taken apart, once, per
** value of one coded column (see fold_part.h).
**
** A filter such as
**     (case_type == "审查逮捕" and days > 逮捕期限)
**     or (case_type == "审查起诉" and days > 起诉期限) or ...
** evaluated as written runs every comparison for every case. Yet for each
** case type, what is left of it is small: for 审查逮捕 it is days >
** 逮捕期限, for a type it does not name it is false. So before the first row
** it is worked out, per value of the coded column (an enumeration or a truth
** value; an empty cell counts as one more value), what the filter comes to:
** the parts that read only that column, literals and params (a `not` of
** them included) are answered on a made-up row, and `and` and `or` fold the
** answers in as the evaluator's logic of absent values has them:
**     a and b:  a false: false;  a true: b;  a absent, b an answer: absent;
**               a left to evaluate, b true: a.
**     a or b:   a true: true;  a false: b;  a absent, b an answer: absent;
**               a left to evaluate, b false: a.
** Anything else, a `not` of what is left included, is left to evaluate as it
** stands. Each row then looks its value up and is either answered or
** evaluated, with the other rows of its batch that were left the same
** expression. It is only used when every part left can never raise an
** error, so the rows that pass and the row at which an empty filter is
** reported are those of the whole filter.
*/
#include "fold_part.h"
#include "xalloc.h"

#include <string.h>

#define ANSWER_LEFT 3 /* not answered: evaluate left[value] */
#define TRUTH_NULL  2

/* What e comes to for one value of the column: an answer (0, 1 or
** TRUTH_NULL), or ANSWER_LEFT with *left the expression still to evaluate. */
typedef struct Part {
    uint8_t answer;
    Expr *left;
} Part;

typedef struct Builder {
    Eval *ev;
    const Table *t;
    int col;
    Value *rows; /* one made-up row per value, the empty cell last */
} Builder;

/* Does e read nothing but the column (and literals and params), through
** the operators a made-up row can answer? */
static bool column_only(const Builder *b, const Expr *e)
{
    int col = b->col;
    return fold_lookup_shape(b->t, e, &col);
}

static Part answer(uint8_t a)
{
    return (Part){a, NULL};
}

static Part part_of(const Builder *b, Expr *e, int value)
{
    const Bound *bd = e->bound;
    if (column_only(b, e)) {
        int32_t idx = value;
        uint8_t out;
        vec_bool(b->ev, e, &idx, 1, NULL, &out);
        return answer(out);
    }
    Part left = {ANSWER_LEFT, e};
    if (!bd || bd->kind != B_FUNC || bd->type.list || bd->type.base != T_BOOL) return left;
    /* (A `not` of what the column answers was answered whole above.) */
    if (e->kind != E_BINARY || (e->op != OP_AND && e->op != OP_OR)) return left;
    bool is_and = e->op == OP_AND;
    uint8_t decisive = is_and ? 0 : 1, neutral = is_and ? 1 : 0;
    Part a = part_of(b, e->a, value);
    if (a.answer == decisive) return a;
    Part c = part_of(b, e->b, value);
    if (a.answer == neutral) return c;
    if (a.answer == TRUTH_NULL) return c.answer == ANSWER_LEFT ? left : answer(TRUTH_NULL);
    if (c.answer == neutral) return a; /* a is left to evaluate */
    return left;
}

/* The first enumeration or truth-value column of t that a part of e can
** be answered from, or -1. */
static int coded_column(const Table *t, const Expr *e)
{
    int col = -1;
    if (fold_lookup_shape(t, e, &col)) return col;
    const Bound *b = e->bound;
    if (!b || b->kind != B_FUNC) return -1;
    if (e->kind == E_UNARY && e->op == OP_NOT) return coded_column(t, e->a);
    if (e->kind != E_BINARY || (e->op != OP_AND && e->op != OP_OR)) return -1;
    col = coded_column(t, e->a);
    return col >= 0 ? col : coded_column(t, e->b);
}

FilterParts *filter_parts_build(Eval *ev, const Table *t, Expr *where)
{
    int col = coded_column(t, where);
    if (col < 0) return NULL;
    const Column *c = t->cols[col];
    int nv;
    uint32_t size;
    Value *made_up = fold_value_rows(ev, t, col, &nv, &size);
    if (!made_up) return NULL;
    Builder b = {ev, t, col, made_up};
    uint32_t lines[EVAL_BATCH] = {0};
    Value *rowbuf = ev->rowbuf;
    const uint32_t *buf_lines = ev->buf_lines;
    int row_ncols = ev->row_ncols;
    ev->rowbuf = b.rows;
    ev->buf_lines = lines;
    ev->row_ncols = t->ncols;
    FilterParts *p = ev_alloc(ev, sizeof *p);
    p->answer = ev_alloc(ev, (size_t)(nv + 1));
    p->group = ev_alloc(ev, (size_t)(nv + 1));
    p->left = ev_alloc(ev, sizeof(Expr *) * (size_t)(nv + 1));
    bool gains = false, safe = true;
    for (int i = 0; i <= nv && safe; i++) {
        Part r = part_of(&b, where, i);
        p->answer[i] = r.answer;
        if (r.answer != ANSWER_LEFT) {
            gains = true;
            continue;
        }
        gains |= r.left != where;
        safe = expr_infallible(r.left);
        int g = 0;
        while (g < p->ngroups && p->left[g] != r.left)
            g++;
        if (g == p->ngroups) p->left[p->ngroups++] = r.left;
        p->group[i] = (uint8_t)g;
    }
    ev->rowbuf = rowbuf;
    ev->buf_lines = buf_lines;
    ev->row_ncols = row_ncols;
    ev_free(ev, b.rows);
    if (!gains || !safe) {
        filter_parts_free(ev, p);
        return NULL;
    }
    p->col = col;
    p->is_bool = c->kind == COL_BOOL;
    p->null_at = (uint16_t)nv;
    p->index = ev_alloc(ev, sizeof(uint16_t) * size);
    for (int i = 0; i < nv; i++)
        p->index[c->kind == COL_BOOL ? (uint32_t)i : c->enum_ids[i]] = (uint16_t)i;
    return p;
}

void filter_parts_free(Eval *ev, FilterParts *p)
{
    if (!p) return;
    ev_free(ev, p->answer);
    ev_free(ev, p->group);
    ev_free(ev, p->left);
    ev_free(ev, p->index);
    ev_free(ev, p);
}

void filter_parts_eval(Eval *ev, const Table *t, const FilterParts *p, const Value *buf, int k,
                       const uint8_t *act, uint8_t *w)
{
    size_t stride = (size_t)t->ncols, col = (size_t)p->col;
    uint16_t at[EVAL_BATCH];
    bool any_left = false;
    for (int i = 0; i < k; i++) {
        if (!act[i]) continue;
        const Value *x = &buf[(size_t)i * stride + col];
        uint16_t v = x->null ? p->null_at : p->index[p->is_bool ? (uint32_t)x->b : x->t];
        at[i] = v;
        w[i] = p->answer[v];
        any_left |= w[i] == ANSWER_LEFT;
    }
    if (!any_left) return;
    int32_t rows[EVAL_BATCH];
    uint8_t out[EVAL_BATCH];
    for (int g = 0; g < p->ngroups; g++) {
        int m = 0;
        for (int i = 0; i < k; i++)
            if (act[i] && w[i] == ANSWER_LEFT && p->group[at[i]] == g) rows[m++] = i;
        if (!m) continue;
        vec_bool(ev, p->left[g], rows, m, NULL, out);
        for (int j = 0; j < m; j++)
            w[rows[j]] = out[j];
    }
}
