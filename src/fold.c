/*
** fold.c — folding event rows into aggregates (see fold.h).
**
** Each filter and argument is evaluated for the whole batch at once. Most
** filters of real schemes test one coded column of the row (review ==
** "优质", outcome in [...], not effect_ok): such a filter has as many
** answers as the column has values, so they are worked out once, before the
** first row, by evaluating the filter on one made-up row per value, and each
** row then looks its answer up. At 7.5 million cases this replaces most of
** the evaluation the fold does.
*/
#include "fold.h"
#include "fold_part.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

bool fold_lookup_shape(const Table *t, const Expr *e, int *col)
{
    const Bound *b = e->bound;
    if (!b || b->type.list) return false;
    switch (b->kind) {
    case B_LIT:
    case B_PARAM: return true;
    case B_COL: {
        if (b->npath != 1 || b->path[0]->table != t) return false;
        const Column *c = b->path[0];
        if (c->kind != COL_ENUM && c->kind != COL_BOOL) return false;
        if (*col >= 0 && *col != c->index) return false;
        *col = c->index;
        return true;
    }
    case B_FUNC: break;
    default: return false;
    }
    if (e->kind == E_UNARY && e->op == OP_NOT) return fold_lookup_shape(t, e->a, col);
    if (e->kind == E_BINARY &&
        (e->op == OP_EQ || e->op == OP_NE || e->op == OP_AND || e->op == OP_OR))
        return fold_lookup_shape(t, e->a, col) && fold_lookup_shape(t, e->b, col);
    if (e->kind == E_IN && e->b->kind == E_LIST) {
        if (!fold_lookup_shape(t, e->a, col)) return false;
        for (int i = 0; i < e->b->args.n; i++)
            if (!fold_lookup_shape(t, e->b->args.items[i], col)) return false;
        return true;
    }
    return false;
}

Value *fold_value_rows(Eval *ev, const Table *t, int col, int *nv, uint32_t *size)
{
    const Column *c = t->cols[col];
    int n = c->kind == COL_BOOL ? 2 : c->type.enum_vals ? c->type.enum_vals->n : 0;
    uint32_t keys = c->kind == COL_BOOL ? 2 : 0;
    for (int i = 0; c->kind == COL_ENUM && i < n; i++)
        if (c->enum_ids[i] + 1 > keys) keys = c->enum_ids[i] + 1;
    if (n <= 0 || keys > FOLD_MAX_KEY || n + 1 > EVAL_BATCH) return NULL;
    size_t stride = (size_t)t->ncols;
    Value *rows = ev_alloc(ev, sizeof(Value) * stride * (size_t)(n + 1));
    for (int i = 0; i <= n; i++) {
        Value *v = &rows[(size_t)i * stride + (size_t)col];
        if (i == n)
            v->null = true;
        else if (c->kind == COL_BOOL)
            v->b = i == 1;
        else
            v->t = c->enum_ids[i];
    }
    *nv = n;
    *size = keys;
    return rows;
}

/* The filter's answer (0, 1, or 2 for absent) for each value of its column:
** indexed by the value's text id for an enum, by 0/1 for a bool; the answer
** for an empty cell goes to lookup_null. */
static void build_lookup(Eval *ev, Table *t, RelAgg *ag, int col)
{
    const Column *c = t->cols[col];
    int nv;
    uint32_t size;
    Value *rows = fold_value_rows(ev, t, col, &nv, &size);
    if (!rows) return;
    uint32_t lines[EVAL_BATCH] = {0};
    int32_t idx[EVAL_BATCH];
    uint8_t out[EVAL_BATCH];
    for (int i = 0; i <= nv; i++)
        idx[i] = i;
    ev->rowbuf = rows;
    ev->buf_lines = lines;
    ev->row_ncols = t->ncols;
    vec_bool(ev, ag->where, idx, nv + 1, NULL, out);
    ev->rowbuf = NULL;
    ag->lookup = ev_alloc(ev, size);
    for (int i = 0; i < nv; i++)
        ag->lookup[c->kind == COL_BOOL ? (uint32_t)i : c->enum_ids[i]] = out[i];
    ag->lookup_null = out[nv];
    ag->lookup_col = col;
    ev_free(ev, rows);
}

void fold_prepare(Eval *ev, Table *t)
{
    for (int a = 0; a < t->naggs; a++) {
        RelAgg *ag = t->aggs[a];
        int col = -1;
        ag->lookup = NULL;
        ag->parts = NULL;
        if (ag->where && fold_lookup_shape(t, ag->where, &col) && col >= 0)
            build_lookup(ev, t, ag, col);
        if (ag->where && !ag->lookup) ag->parts = filter_parts_build(ev, t, ag->where);
    }
}

static void empty_filter(Eval *ev, RelAgg *ag, Value *row, uint32_t line)
{
    ev->rowvals = row;
    ev->row_line = line;
    eval_fail(ev, ag->where, -1, "the filter is empty (it uses a value that is absent)");
}

/* Narrows act to the rows the aggregate's filter lets through. */
static void filter_rows(Eval *ev, Table *t, RelAgg *ag, Value *buf, const uint32_t *lines,
                        const int32_t *rows, int k, uint8_t *act)
{
    size_t stride = (size_t)t->ncols;
    if (ag->lookup) {
        size_t col = (size_t)ag->lookup_col;
        bool is_bool = t->cols[col]->kind == COL_BOOL;
        for (int i = 0; i < k; i++) {
            if (!act[i]) continue;
            const Value *x = &buf[(size_t)i * stride + col];
            uint8_t w = x->null ? ag->lookup_null : ag->lookup[is_bool ? (uint32_t)x->b : x->t];
            if (w == 2) empty_filter(ev, ag, buf + (size_t)i * stride, lines[i]);
            act[i] = w;
        }
        return;
    }
    uint8_t w[EVAL_BATCH];
    if (ag->parts)
        filter_parts_eval(ev, t, ag->parts, buf, k, act, w);
    else
        vec_bool(ev, ag->where, rows, k, act, w);
    for (int i = 0; i < k; i++) {
        if (!act[i]) continue;
        if (w[i] == 2) empty_filter(ev, ag, buf + (size_t)i * stride, lines[i]);
        act[i] = w[i];
    }
}

/* A cell of a coded column as a lookup indexes it: its text id, 0/1 for a
** truth value; NO_KEY for an empty cell. */
#define NO_KEY UINT32_MAX

/* A count whose filter is a lookup: each row adds its answer (0 or 1) to
** its parent, and an answer of absent is reported at its row, as
** filter_rows would. parent[i] < 0: the row has none. */
static void count_looked_up(Eval *ev, const Table *t, RelAgg *ag, Value *buf, const uint32_t *lines,
                            const int32_t *parent, const uint32_t *key, int k, uint32_t *count)
{
    size_t stride = (size_t)t->ncols;
    for (int i = 0; i < k; i++) {
        if (parent[i] < 0) continue;
        uint8_t w = key[i] == NO_KEY ? ag->lookup_null : ag->lookup[key[i]];
        if (w == 2) empty_filter(ev, ag, buf + (size_t)i * stride, lines[i]);
        count[parent[i]] += w;
    }
}

void fold_batch(Eval *ev, Table *t, FoldAcc *into, Value *buf, const uint32_t *lines, int k)
{
    int32_t rows[EVAL_BATCH];
    uint8_t act[EVAL_BATCH];
    Dec x[EVAL_BATCH];
    /* The parent of each row through one reference column, and the cells of
    ** one coded column: read out of the rows once for all the aggregates
    ** that share the column (a scheme has several counts over one case
    ** table, most filtered on the same few columns). */
    int32_t parent[EVAL_BATCH];
    uint32_t key[EVAL_BATCH];
    int parent_col = -1, key_col = -1;
    size_t stride = (size_t)t->ncols;
    for (int i = 0; i < k; i++)
        rows[i] = i;
    ev->rowbuf = buf;
    ev->buf_lines = lines;
    ev->row_ncols = t->ncols;
    for (int a = 0; a < t->naggs; a++) {
        RelAgg *ag = t->aggs[a];
        size_t via = (size_t)ag->via->index;
        if ((int)via != parent_col) {
            for (int i = 0; i < k; i++) {
                const Value *v = &buf[(size_t)i * stride + via];
                parent[i] = v->null ? -1 : v->d;
            }
            parent_col = (int)via;
        }
        uint32_t *count = into ? into[a].n : ag->n;
        if (ag->func == AGG_COUNT && ag->lookup) {
            size_t col = (size_t)ag->lookup_col;
            if ((int)col != key_col) {
                bool is_bool = t->cols[col]->kind == COL_BOOL;
                for (int i = 0; i < k; i++) {
                    const Value *v = &buf[(size_t)i * stride + col];
                    key[i] = v->null ? NO_KEY : is_bool ? (uint32_t)v->b : v->t;
                }
                key_col = (int)col;
            }
            count_looked_up(ev, t, ag, buf, lines, parent, key, k, count);
            continue;
        }
        for (int i = 0; i < k; i++)
            act[i] = parent[i] >= 0;
        if (ag->where) filter_rows(ev, t, ag, buf, lines, rows, k, act);
        if (ag->arg) vec_num(ev, ag->arg, rows, k, act, x);
        NumCol *acc = into ? &into[a].acc : &ag->acc;
        for (int i = 0; i < k; i++) {
            if (!act[i]) continue;
            if (ag->func == AGG_COUNT) {
                count[parent[i]]++;
                continue;
            }
            if (x[i] == DEC_NULL) continue;
            bool first = count[parent[i]]++ == 0;
            Dec cur = first ? x[i] : numcol_get(acc, parent[i]);
            if (!first && (ag->func == AGG_SUM || ag->func == AGG_AVG)) {
                if (dec_add(cur, x[i], &cur) != DEC_OK) {
                    ev->rowvals = buf + (size_t)i * stride;
                    ev->row_line = lines[i];
                    eval_fail(ev, ag->origin, -1, "arithmetic overflow");
                }
            } else if (!first &&
                       (ag->func == AGG_MIN ? dec_cmp(x[i], cur) < 0 : dec_cmp(x[i], cur) > 0)) {
                cur = x[i];
            }
            numcol_set(acc, parent[i], cur);
        }
    }
    ev->rowbuf = NULL;
    ev->rowvals = NULL;
}

static size_t parents(const RelAgg *ag)
{
    return (size_t)(ag->parent->nrows ? ag->parent->nrows : 1);
}

FoldAcc *fold_alloc(const Table *t)
{
    FoldAcc *acc = xcalloc((size_t)(t->naggs ? t->naggs : 1), sizeof *acc);
    for (int a = 0; a < t->naggs; a++) {
        const RelAgg *ag = t->aggs[a];
        acc[a].n = xmalloc(parents(ag) * sizeof(uint32_t));
        if (ag->func != AGG_COUNT) {
            acc[a].acc.small = xmalloc(parents(ag) * sizeof(int32_t));
            acc[a].acc.cap = (int32_t)parents(ag);
        }
    }
    return acc;
}

void fold_empty(const Table *t, FoldAcc *acc)
{
    for (int a = 0; a < t->naggs; a++) {
        size_t n = parents(t->aggs[a]);
        memset(acc[a].n, 0, n * sizeof(uint32_t));
        for (size_t i = 0; acc[a].acc.small && i < n; i++)
            acc[a].acc.small[i] = INT32_MIN;
        acc[a].acc.filled = acc[a].acc.cap;
    }
}

FoldAcc *fold_new(const Table *t)
{
    FoldAcc *acc = fold_alloc(t);
    fold_empty(t, acc);
    return acc;
}

void fold_free(const Table *t, FoldAcc *acc)
{
    if (!acc) return;
    for (int a = 0; a < t->naggs; a++) {
        free(acc[a].n);
        numcol_free(&acc[a].acc);
    }
    free(acc);
}

/* Aggregates [from, to) of part into t's. */
static bool merge_aggs(Table *t, const FoldAcc *part, int from, int to)
{
    for (int a = from; a < to; a++) {
        RelAgg *ag = t->aggs[a];
        const FoldAcc *p = &part[a];
        for (size_t i = 0; i < parents(ag); i++) {
            if (!p->n[i]) continue;
            if (ag->func != AGG_COUNT) {
                Dec y = numcol_get(&p->acc, (int32_t)i), cur = y;
                if (ag->n[i]) {
                    Dec x = numcol_get(&ag->acc, (int32_t)i);
                    if (ag->func == AGG_SUM || ag->func == AGG_AVG) {
                        if (dec_add(x, y, &cur) != DEC_OK) return false;
                    } else {
                        cur = (ag->func == AGG_MIN ? dec_cmp(y, x) < 0 : dec_cmp(y, x) > 0) ? y : x;
                    }
                }
                numcol_set(&ag->acc, (int32_t)i, cur);
            }
            ag->n[i] += p->n[i];
        }
    }
    return true;
}

typedef struct MergeJob {
    Table *t;
    const FoldAcc *part;
    int from, to;
    bool ok;
} MergeJob;

static void *merge_thread(void *arg)
{
    MergeJob *j = arg;
    j->ok = merge_aggs(j->t, j->part, j->from, j->to);
    return NULL;
}

/* Below this many parent rows one thread merges as fast as two. */
#define MERGE_PAR_MIN 65536

bool fold_merge(Table *t, const FoldAcc *part)
{
    /* Each aggregate's accumulators on one thread only (a sum's column may
    ** widen, which moves it): the first half of them on a second thread. */
    int half = t->naggs / 2;
    MergeJob j = {t, part, 0, half, true};
    pthread_t thread;
    bool split = half > 0 && parents(t->aggs[0]) >= MERGE_PAR_MIN &&
                 pthread_create(&thread, NULL, merge_thread, &j) == 0;
    bool ok = merge_aggs(t, part, split ? half : 0, t->naggs);
    if (split) pthread_join(thread, NULL);
    return ok && j.ok;
}
