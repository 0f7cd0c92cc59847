/*
** vec_agg.c — aggregates in the typed batch evaluator: those over related
** rows (count(cases), avg(cases.days), folded while the table loaded) and
** those over a group (avg(同岗.办案数), computed once per group), read for a
** batch of assessed rows. The same answers as eval_relagg and group_agg in
** eval.c, row by row.
*/
#include "eval.h"

/* The parent row of each row through the aggregate's path; -1 when a
** reference on the way is empty. */
static void parents(const Bound *b, const int32_t *rows, int n, int32_t *at)
{
    for (int i = 0; i < n; i++) {
        int32_t r = rows[i];
        for (int k = 0; k < b->npath && r >= 0; k++)
            r = b->path[k]->row[r];
        at[i] = r;
    }
}

static bool relagg_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    const Bound *b = e->bound;
    for (int k = 0; k < b->npath; k++)
        if (b->path[k]->kind != COL_REF || !b->path[k]->row) return false;
    int32_t at[EVAL_BATCH];
    parents(b, rows, n, at);
    const RelAgg *ag = b->agg;
    for (int i = 0; i < n; i++) {
        int32_t p = at[i];
        out[i] = DEC_NULL;
        if (p < 0) continue; /* inactive rows too, as eval_relagg is called for them */
        int64_t cnt = ag->n[p];
        if (ag->func == AGG_COUNT) {
            out[i] = dec_from_int(cnt);
            continue;
        }
        Dec acc = cnt ? numcol_get(&ag->acc, p) : 0;
        if (ag->func == AGG_SUM)
            out[i] = acc;
        else if (ag->func != AGG_AVG)
            out[i] = cnt ? acc : DEC_NULL;
        else if (cnt && dec_div(acc, dec_from_int(cnt), &out[i]) == DEC_OVERFLOW)
            eval_fail(ev, e, rows[i], "arithmetic overflow");
    }
    for (int i = 0; act && i < n; i++)
        if (!act[i]) out[i] = DEC_NULL;
    return true;
}

static void groupagg_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act,
                         Dec *out)
{
    GroupAgg *g = e->bound->gagg;
    bool any = !act;
    for (int i = 0; i < n && !any; i++)
        any = act[i];
    if (!any) { /* computed on first use by an active row, as eval_expr does */
        for (int i = 0; i < n; i++)
            out[i] = DEC_NULL;
        return;
    }
    if (!g->computed) group_agg_compute(ev, g);
    const int32_t *gid = g->g->gid;
    for (int i = 0; i < n; i++) {
        int32_t row = rows[i], id = gid[row];
        if (act && !act[i])
            out[i] = DEC_NULL;
        else if (g->per_person)
            out[i] = g->per_person[row];
        else
            out[i] = g->group_null[id] ? DEC_NULL : g->per_group[id];
    }
}

bool vec_agg_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *act, Dec *out)
{
    if (ev->rowbuf) return false; /* rows of a table loading: the general path reads them */
    if (e->bound->kind == B_GROUPAGG) {
        groupagg_num(ev, e, rows, n, act, out);
        return true;
    }
    return e->bound->kind == B_RELAGG && relagg_num(ev, e, rows, n, act, out);
}
