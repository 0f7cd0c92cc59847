/*
** diff_group.c — the groups of the grading in the comparison (see diff.h):
** the units, with each one's grades before and after, and, for each grade
** with a quota, the places taken before each person (by override, then by
** rank), which explain a person's quota position.
*/
#include "diff.h"
#include "date.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- places taken before each person, per quota grade ---- */

/* Did the override column give this person grade `id`? Overrides are granted
** before anyone by rank, so they take their places first. */
static bool overridden_to(const Model *m, int32_t row, uint32_t id)
{
    return m->override_col && m->override_col->text[row] == id && m->v_grade->text[row] == id;
}

/* Places of one grade taken before each person of one group, who are given
** in rank order: the group's overrides to it, then those ranked above. */
static void count_group(const Model *m, uint32_t id, const int32_t *order, int32_t len,
                        int32_t *ahead)
{
    int32_t overrides = 0, taken = 0;
    for (int32_t i = 0; i < len; i++)
        overrides += overridden_to(m, order[i], id);
    for (int32_t i = 0; i < len; i++) {
        int32_t row = order[i];
        bool self = overridden_to(m, row, id);
        ahead[row] = overrides - self + taken;
        taken += !self && m->v_grade->text[row] == id;
    }
}

/* Ranks are 1..size within each group of the grading, so persons go straight
** to their place in rank order. */
void diff_count_ahead(KpDiff *df, int side)
{
    DiffSide *s = &df->side[side];
    Model *m = s->m;
    Group *g = m->grade_group;
    int32_t ng = g ? g->ngroups : 1, n = df->n;
    s->ahead = ARENA_ARR(&df->arena, int32_t *, m->ngrades ? m->ngrades : 1);
    int32_t *start = xcalloc((size_t)ng + 1, sizeof(int32_t));
    for (int32_t k = 0; k < ng; k++)
        start[k + 1] = start[k] + (g ? g->size[k] : n);
    int32_t *order = xmalloc(sizeof(int32_t) * (size_t)(n ? n : 1));
    for (int32_t row = 0; row < n; row++) {
        int32_t gid = g ? g->gid[row] : 0;
        int64_t rank = diff_rank(df, side, row);
        if (rank < 1 || rank > start[gid + 1] - start[gid]) goto done; /* no ranks: no grades */
        order[start[gid] + rank - 1] = row;
    }
    for (int gi = 0; gi < m->ngrades; gi++) {
        if (!m->grades[gi].quota) continue;
        s->ahead[gi] = ev_alloc(s->ev, sizeof(int32_t) * (size_t)(n ? n : 1));
        for (int32_t k = 0; k < ng; k++)
            count_group(m, m->grades[gi].text_id, order + start[k], start[k + 1] - start[k],
                        s->ahead[gi]);
    }
done:
    free(start);
    free(order);
}

/* ---- units ---- */

static const char *value_text(KpDiff *df, Type t, Value v)
{
    char buf[DEC_FMT_MAX];
    if (v.null) return "";
    switch (t.base) {
    case T_TEXT: return intern_str(df->side[0].m->strings, v.t, NULL);
    case T_BOOL: return v.b ? "true" : "false";
    case T_DATE: date_format(v.d, buf); return arena_strdup(&df->arena, buf);
    default: dec_format(v.n, buf); return arena_strdup(&df->arena, buf);
    }
}

/* A group's key values, e.g. "D0101 / 检察官", from one of its members. */
static const char *group_label(KpDiff *df, Eval *ev, const Group *g, int32_t row)
{
    char *s = arena_strdup(&df->arena, "");
    for (int k = 0; k < g->keys.n; k++) {
        Expr *e = g->keys.items[k];
        const char *v = value_text(df, e->bound->type, eval_expr(ev, e, row));
        s = arena_printf(&df->arena, "%s%s%s", s, k ? " / " : "", v);
    }
    return s;
}

static int unit_cmp(const void *pa, const void *pb)
{
    const DiffUnit *a = pa, *b = pb;
    if (a->changes != b->changes) return a->changes > b->changes ? -1 : 1;
    int c = a->label && b->label ? strcmp(a->label, b->label) : 0;
    return c ? c : (a->gid > b->gid) - (a->gid < b->gid);
}

void diff_collect_units(KpDiff *df)
{
    int side = df->side[0].m->grade_group ? 0 : df->side[1].m->grade_group ? 1 : -1;
    Group *g = side >= 0 ? df->side[side].m->grade_group : NULL;
    df->unit_group = g ? g->name : NULL;
    df->nunits = g ? g->ngroups : 1;
    df->units = ARENA_ARR(&df->arena, DiffUnit, df->nunits ? df->nunits : 1);
    for (int32_t u = 0; u < df->nunits; u++)
        for (int s = 0; s < 2; s++)
            df->units[u].count[s] = ARENA_ARR(&df->arena, int32_t, df->ngrades);
    for (int32_t row = 0; row < df->n; row++) {
        DiffUnit *u = &df->units[g ? g->gid[row] : 0];
        if (g && !u->persons) u->label = group_label(df, df->side[side].ev, g, row);
        u->persons++;
        u->changes += df->grade[0][row] != df->grade[1][row];
        u->count[0][df->grade[0][row]]++;
        u->count[1][df->grade[1][row]]++;
    }
    for (int32_t u = 0; u < df->nunits; u++)
        df->units[u].gid = u;
    qsort(df->units, (size_t)df->nunits, sizeof(DiffUnit), unit_cmp);
    df->unit_gid = g ? g->gid : NULL;
    df->unit_at = ARENA_ARR(&df->arena, int32_t, df->nunits ? df->nunits : 1);
    for (int32_t u = 0; u < df->nunits; u++)
        df->unit_at[df->units[u].gid] = u;
}
