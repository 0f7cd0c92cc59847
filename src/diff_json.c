/*
** diff_json.c — kaoping diff as JSON: the two schemes, the counts, the
** grades and the transition matrix, grades per unit, the items compared,
** and one entry per person (sorted by key) with the results before and
** after, the change of every item that moved and, when the grade changes,
** the causes.
*/
#include "diff.h"
#include "xalloc.h"

static void side_header(const KpDiff *df, int side, Wbuf *b)
{
    const DiffSide *s = &df->side[side];
    wbuf_str(b, "{\"path\": ");
    wbuf_json(b, s->path);
    wbuf_str(b, ", \"scheme\": ");
    wbuf_json(b, s->m->scheme_name ? s->m->scheme_name : "");
    wbuf_str(b, ", \"version\": ");
    wbuf_json(b, s->m->version ? s->m->version : "");
    wbuf_str(b, ", \"set\": [");
    for (int i = 0; side && i < df->info.nsets; i++) {
        if (i) wbuf_str(b, ", ");
        wbuf_json(b, df->info.sets[i]);
    }
    wbuf_str(b, "]}");
}

static void int_list(const int32_t *v, int n, Wbuf *b)
{
    wbuf_char(b, '[');
    for (int i = 0; i < n; i++)
        wbuf_printf(b, "%s%d", i ? ", " : "", v[i]);
    wbuf_char(b, ']');
}

static void summary(const KpDiff *df, Wbuf *b)
{
    int ng = df->ngrades;
    wbuf_str(b, "{\n  \"old\": ");
    side_header(df, 0, b);
    wbuf_str(b, ",\n  \"new\": ");
    side_header(df, 1, b);
    wbuf_str(b, ",\n  \"params\": [");
    Wbuf tmp;
    wbuf_init(&tmp, NULL);
    for (int i = 0; i < df->nparams; i++) {
        wbuf_str(b, i ? ", {\"name\": " : "{\"name\": ");
        wbuf_json(b, df->params[i].name);
        for (int side = 0; side < 2; side++) {
            wbuf_str(b, side ? ", \"new\": " : ", \"old\": ");
            wbuf_clear(&tmp);
            diff_param_value(df, df->params[i].p[side], &tmp);
            if (df->params[i].p[side])
                wbuf_json(b, wbuf_cstr(&tmp));
            else
                wbuf_str(b, "null");
        }
        wbuf_char(b, '}');
    }
    wbuf_finish(&tmp);
    wbuf_str(b, "]");
    wbuf_printf(b, ",\n  \"persons\": %d,\n  \"grade_changes\": %d,\n  \"total_changes\": %d",
                df->n, df->ngrade_changes, df->ntotal_changes);
    wbuf_str(b, ",\n  \"grades\": [");
    for (int i = 0; i < ng; i++) {
        if (i) wbuf_str(b, ", ");
        wbuf_json(b, df->grades[i].name);
    }
    wbuf_str(b, "],\n  \"transitions\": [");
    for (int i = 0; i < ng; i++) {
        wbuf_str(b, i ? ", [" : "[");
        for (int j = 0; j < ng; j++)
            wbuf_printf(b, "%s%lld", j ? ", " : "", (long long)df->matrix[i * ng + j]);
        wbuf_char(b, ']');
    }
    wbuf_str(b, "],\n  \"unit_group\": ");
    if (df->unit_group)
        wbuf_json(b, df->unit_group);
    else
        wbuf_str(b, "null");
    wbuf_str(b, ",\n  \"units\": [");
    for (int32_t u = 0; u < df->nunits; u++) {
        const DiffUnit *x = &df->units[u];
        wbuf_str(b, u ? ",\n    {\"unit\": " : "\n    {\"unit\": ");
        wbuf_json(b, diff_unit_label(x, false));
        wbuf_printf(b, ", \"persons\": %d, \"changes\": %d, \"old\": ", x->persons, x->changes);
        int_list(x->count[0], ng, b);
        wbuf_str(b, ", \"new\": ");
        int_list(x->count[1], ng, b);
        wbuf_char(b, '}');
    }
    wbuf_str(b, "\n  ],\n  \"items\": [");
    for (int i = 0; i < df->nitems; i++) {
        const DiffItem *it = &df->items[i];
        static const char *const kinds[] = {"indicator", "bonus",       "bonus_cap",
                                            "penalty",   "penalty_cap", "adjust"};
        wbuf_str(b, i ? ",\n    {\"column\": " : "\n    {\"column\": ");
        wbuf_json(b, it->column);
        wbuf_printf(b, ", \"kind\": \"%s\", \"name\": ", kinds[it->kind]);
        if (it->name)
            wbuf_json(b, it->name);
        else
            wbuf_str(b, "null");
        wbuf_printf(b, ", \"in\": \"%s\"}", !it->v[0] ? "new" : !it->v[1] ? "old" : "both");
    }
    wbuf_str(b, "\n  ]");
}

static void result(const KpDiff *df, int side, int32_t row, Wbuf *b)
{
    wbuf_str(b, "{\"total\": ");
    wbuf_dec(b, diff_total(df, side, row), false);
    wbuf_str(b, ", \"grade\": ");
    const DiffName *g = &df->grades[df->grade[side][row]];
    if (g->text_id)
        wbuf_json(b, g->name);
    else
        wbuf_str(b, "null"); /* the scheme has no grades */
    int64_t rank = diff_rank(df, side, row);
    if (rank > 0)
        wbuf_printf(b, ", \"rank\": %lld", (long long)rank);
    else
        wbuf_str(b, ", \"rank\": null");
    const char *names[64];
    int n = diff_vetoes_fired(df, side, row, names);
    wbuf_str(b, ", \"vetoes\": [");
    for (int i = 0; i < n; i++) {
        if (i) wbuf_str(b, ", ");
        wbuf_json(b, names[i]);
    }
    wbuf_str(b, "]}");
}

static void state(int8_t st, Wbuf *b)
{
    wbuf_str(b, st < 0 ? "null" : st ? "true" : "false");
}

static void cause(const KpDiff *df, const Cause *c, Wbuf *tmp, Wbuf *b)
{
    wbuf_printf(b, "{\"kind\": \"%s\"", cause_kind_name(df, c));
    if (c->name) {
        wbuf_str(b,
                 c->kind == CAUSE_ITEM || c->kind == CAUSE_VETO ? ", \"name\": " : ", \"grade\": ");
        wbuf_json(b, c->name);
    }
    wbuf_str(b, ", \"old\": ");
    if (c->kind == CAUSE_ITEM) {
        wbuf_dec(b, c->val[0], false);
        wbuf_str(b, ", \"new\": ");
        wbuf_dec(b, c->val[1], false);
        wbuf_str(b, ", \"delta\": ");
        wbuf_dec(b, c->delta, false);
    } else if (c->kind == CAUSE_QUOTA) {
        for (int side = 0; side < 2; side++) {
            if (side) wbuf_str(b, ", \"new\": ");
            wbuf_printf(b, "{\"rank\": %lld", (long long)c->rank[side]);
            if (c->quota[side] >= 0)
                wbuf_printf(b, ", \"quota\": %lld, \"taken_before\": %lld}",
                            (long long)c->quota[side], (long long)c->ahead[side]);
            else
                wbuf_str(b, ", \"quota\": null, \"taken_before\": null}");
        }
    } else {
        state(c->state[0], b);
        wbuf_str(b, ", \"new\": ");
        state(c->state[1], b);
    }
    if (c->kind == CAUSE_VETO)
        for (int side = 0; side < 2; side++) {
            wbuf_str(b, side ? ", \"new_effect\": " : ", \"old_effect\": ");
            if (!c->veto[side]) {
                wbuf_str(b, "null");
                continue;
            }
            wbuf_clear(tmp);
            veto_effect(df->side[side].m, c->veto[side], false, tmp);
            wbuf_json(b, wbuf_cstr(tmp));
        }
    wbuf_clear(tmp);
    cause_write(df, c, false, tmp);
    wbuf_str(b, ", \"text\": ");
    wbuf_json(b, wbuf_cstr(tmp));
    wbuf_char(b, '}');
}

static void person(KpDiff *df, int32_t row, Cause *causes, Wbuf *tmp, Wbuf *b)
{
    const Model *m = df->side[0].m;
    wbuf_str(b, "    {");
    wbuf_json(b, m->assessed->cols[m->assessed->key_col]->name);
    wbuf_str(b, ": ");
    wbuf_json(b, diff_key(df, row));
    wbuf_str(b, ", \"old\": ");
    result(df, 0, row, b);
    wbuf_str(b, ", \"new\": ");
    result(df, 1, row, b);
    wbuf_str(b, ", \"delta_total\": ");
    wbuf_dec(b, diff_delta(df, row), false);
    bool changed = df->grade[0][row] != df->grade[1][row];
    wbuf_printf(b, ", \"grade_changed\": %s, \"items\": {", changed ? "true" : "false");
    /* only the items that moved: at a million persons the zeros would be most of the file */
    bool first = true;
    for (int k = 0; k < df->nitems; k++) {
        const DiffItem *it = &df->items[k];
        Dec d = diff_item_value(df, it, 1, row) - diff_item_value(df, it, 0, row);
        if (!d) continue;
        if (!first) wbuf_str(b, ", ");
        first = false;
        wbuf_json(b, it->column);
        wbuf_str(b, ": ");
        wbuf_dec(b, d, false);
    }
    wbuf_str(b, "}, \"causes\": [");
    int n = changed ? diff_causes(df, row, causes) : 0;
    for (int k = 0; k < n; k++) {
        if (k) wbuf_str(b, ", ");
        cause(df, &causes[k], tmp, b);
    }
    wbuf_str(b, "]}");
}

void diff_write_json(KpDiff *df, Wbuf *b)
{
    summary(df, b);
    wbuf_str(b, ",\n  \"results\": [\n");
    Cause *causes = xmalloc(sizeof(Cause) * (size_t)diff_max_causes(df));
    Wbuf tmp;
    wbuf_init(&tmp, NULL);
    for (int32_t i = 0; i < df->n; i++) {
        person(df, diff_by_key(df, i), causes, &tmp, b);
        wbuf_str(b, i == df->n - 1 ? "\n" : ",\n");
    }
    wbuf_finish(&tmp);
    free(causes);
    wbuf_str(b, "  ]\n}\n");
}
