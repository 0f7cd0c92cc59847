/*
** diff.c — building the comparison of two runs (see diff.h) and the entry
** points of kaoping.h that hand it to the writers.
**
** Both models read the same loaded tables, so row i is the same person in
** both, and text (grades, keys, group values) has the same interned id.
*/
#include "diff.h"
#include "date.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const item_columns[] = {"indicator", "bonus",       "bonus_cap",
                                           "penalty",   "penalty_cap", "adjust"};

/* ---- reading the two runs ---- */

Dec diff_total(const KpDiff *df, int side, int32_t row)
{
    const DiffSide *s = &df->side[side];
    return value_get(s->ev, s->m->v_total, row).n;
}

Dec diff_delta(const KpDiff *df, int32_t row)
{
    return diff_total(df, 1, row) - diff_total(df, 0, row);
}

int64_t diff_rank(const KpDiff *df, int side, int32_t row)
{
    const DiffSide *s = &df->side[side];
    Value v = value_get(s->ev, s->m->v_rank, row);
    int64_t r = 0;
    if (!v.null) dec_to_int64(v.n, &r);
    return r;
}

const char *diff_key(const KpDiff *df, int32_t row)
{
    const Model *m = df->side[0].m;
    return intern_str(m->strings, m->assessed->key_text[row], NULL);
}

int32_t diff_by_key(const KpDiff *df, int32_t i)
{
    return key_row(df->side[0].ev, i);
}

int diff_vetoes_fired(const KpDiff *df, int side, int32_t row, const char **names)
{
    const Model *m = df->side[side].m;
    uint64_t bits = m->vetoes_fired ? m->vetoes_fired[row] : 0;
    int n = 0;
    for (int i = 0; i < m->nvetoes; i++)
        if (bits & (1ull << i)) names[n++] = m->vetoes[i]->name;
    return n;
}

const DiffUnit *diff_unit_of(const KpDiff *df, int32_t row)
{
    return &df->units[df->unit_gid ? df->unit_at[df->unit_gid[row]] : 0];
}

const char *diff_unit_label(const DiffUnit *u, bool zh)
{
    return u->label ? u->label : zh ? "全体" : "(all)";
}

static Dec sum_items(const DiffSide *s, const PtrVec *items, int32_t row)
{
    Dec sum = 0;
    for (int i = 0; i < items->n; i++)
        sum += value_get(s->ev, items->items[i], row).n;
    return sum;
}

Dec diff_item_value(const KpDiff *df, const DiffItem *it, int side, int32_t row)
{
    ValueDef *v = it->v[side];
    if (!v) return 0;
    const DiffSide *s = &df->side[side];
    Value x = value_get(s->ev, v, row);
    Dec out = 0;
    switch (it->kind) {
    case ITEM_INDICATOR:
        /* an indicator of a variant not taken scores nothing */
        if (!x.null) dec_mul(it->factor[side], x.n, &out);
        return out;
    case ITEM_BONUS: return x.n;
    case ITEM_PENALTY: return -x.n;
    case ITEM_BONUS_CAP: return x.n - sum_items(s, &s->m->bonuses, row);
    case ITEM_PENALTY_CAP: return sum_items(s, &s->m->penalties, row) - x.n;
    case ITEM_ADJUST: return x.n - value_get(s->ev, s->m->values[v->prev_total], row).n;
    }
    return 0;
}

/* ---- items matched by kind and name ---- */

static void add_item(KpDiff *df, ItemKind kind, const char *name, int side, ValueDef *v, Dec factor)
{
    DiffItem *it = NULL;
    for (int i = 0; i < df->nitems && !it; i++) {
        DiffItem *x = &df->items[i];
        if (x->kind == kind && !x->v[side] && (name ? x->name && !strcmp(x->name, name) : !x->name))
            it = x;
    }
    if (!it) {
        it = &df->items[df->nitems++];
        it->kind = kind;
        it->name = name;
        it->column =
            name ? arena_printf(&df->arena, "%s:%s", item_columns[kind], name) : item_columns[kind];
    }
    it->v[side] = v;
    it->factor[side] = factor;
}

/* Indicators in output order (parents before children), each with the
** product of the weights from the total down to it. */
static void add_indicators(KpDiff *df, int side, const PtrVec *kids, Dec factor)
{
    DiffSide *s = &df->side[side];
    for (int i = 0; i < kids->n; i++) {
        Indicator *k = kids->items[i];
        Dec f = factor;
        if (k->weight) dec_mul(factor, eval_expr(s->ev, k->weight, -1).n, &f);
        add_item(df, ITEM_INDICATOR, k->name, side, s->m->values[k->value_id], f);
        add_indicators(df, side, &k->children, f);
        for (int j = 0; j < k->branches.n; j++)
            add_indicators(df, side, &((Branch *)k->branches.items[j])->children, f);
    }
}

static void add_values(KpDiff *df, int side, ItemKind kind, const PtrVec *vals)
{
    for (int i = 0; i < vals->n; i++) {
        ValueDef *v = vals->items[i];
        add_item(df, kind, v->name, side, v, DEC_ONE);
    }
}

/* Each kind in turn: the old version's items, then those only the new one has. */
static void collect_items(KpDiff *df)
{
    int cap = 4;
    for (int side = 0; side < 2; side++)
        cap += df->side[side].m->nvalues;
    df->items = ARENA_ARR(&df->arena, DiffItem, cap);
    for (int side = 0; side < 2; side++)
        add_indicators(df, side, &df->side[side].m->top_indicators, DEC_ONE);
    for (int side = 0; side < 2; side++)
        add_values(df, side, ITEM_BONUS, &df->side[side].m->bonuses);
    for (int side = 0; side < 2; side++)
        if (df->side[side].m->bonus_cap)
            add_item(df, ITEM_BONUS_CAP, NULL, side, df->side[side].m->v_bonus_total, DEC_ONE);
    for (int side = 0; side < 2; side++)
        add_values(df, side, ITEM_PENALTY, &df->side[side].m->penalties);
    for (int side = 0; side < 2; side++)
        if (df->side[side].m->penalty_cap)
            add_item(df, ITEM_PENALTY_CAP, NULL, side, df->side[side].m->v_penalty_total, DEC_ONE);
    for (int side = 0; side < 2; side++)
        add_values(df, side, ITEM_ADJUST, &df->side[side].m->adjusts);
}

/* ---- params that differ ---- */

static bool same_value(const Param *a, const Param *b)
{
    if (a->type.base != b->type.base) return false;
    switch (a->type.base) {
    case T_TEXT: return a->value.t == b->value.t;
    case T_BOOL: return a->value.b == b->value.b;
    case T_DATE: return a->value.d == b->value.d;
    default:
        return a->value.n == b->value.n && (a->kind == PARAM_PERCENT) == (b->kind == PARAM_PERCENT);
    }
}

static const Param *param_named(const Model *m, const char *name)
{
    for (int i = 0; i < m->nparams; i++)
        if (strcmp(m->params[i]->name, name) == 0) return m->params[i];
    return NULL;
}

static void collect_params(KpDiff *df)
{
    const Model *a = df->side[0].m, *b = df->side[1].m;
    df->params = ARENA_ARR(&df->arena, DiffParam, a->nparams + b->nparams + 1);
    for (int i = 0; i < a->nparams; i++) {
        const Param *p = a->params[i], *q = param_named(b, p->name);
        if (!q || !same_value(p, q)) df->params[df->nparams++] = (DiffParam){p->name, {p, q}};
    }
    for (int i = 0; i < b->nparams; i++)
        if (!param_named(a, b->params[i]->name))
            df->params[df->nparams++] = (DiffParam){b->params[i]->name, {NULL, b->params[i]}};
}

void diff_param_value(const KpDiff *df, const Param *p, Wbuf *b)
{
    char buf[DEC_FMT_MAX];
    if (!p) {
        wbuf_char(b, '-');
        return;
    }
    switch (p->type.base) {
    case T_TEXT: wbuf_json(b, intern_str(df->side[0].m->strings, p->value.t, NULL)); return;
    case T_BOOL: wbuf_str(b, p->value.b ? "true" : "false"); return;
    case T_DATE:
        date_format(p->value.d, buf);
        wbuf_str(b, buf);
        return;
    default: break;
    }
    if (p->kind != PARAM_PERCENT) {
        wbuf_dec(b, p->value.n, false);
        return;
    }
    Dec pct;
    dec_mul(p->value.n, dec_from_int(100), &pct);
    wbuf_dec(b, pct, false);
    wbuf_char(b, '%');
}

/* ---- grades and vetoes by name ---- */

static int name_index(DiffName *list, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0) return i;
    return -1;
}

static void collect_names(KpDiff *df)
{
    int gcap = 2, vcap = 0;
    for (int side = 0; side < 2; side++) {
        gcap += df->side[side].m->ngrades;
        vcap += df->side[side].m->nvetoes;
    }
    df->grades = ARENA_ARR(&df->arena, DiffName, gcap);
    df->vetoes = ARENA_ARR(&df->arena, DiffName, vcap ? vcap : 1);
    for (int side = 0; side < 2; side++) {
        Model *m = df->side[side].m;
        for (int g = 0; g < m->ngrades; g++) {
            int u = name_index(df->grades, df->ngrades, m->grades[g].name);
            if (u < 0) {
                u = df->ngrades++;
                df->grades[u] = (DiffName){m->grades[g].name, m->grades[g].text_id, {-1, -1}};
            }
            df->grades[u].idx[side] = g;
        }
        for (int i = 0; i < m->nvetoes; i++) {
            int u = name_index(df->vetoes, df->nvetoes, m->vetoes[i]->name);
            if (u < 0) {
                u = df->nvetoes++;
                df->vetoes[u] = (DiffName){m->vetoes[i]->name, 0, {-1, -1}};
            }
            df->vetoes[u].idx[side] = i;
        }
    }
}

/* The union grade of a grade's text: a declared grade, 不定等次 (ungraded by
** a veto) or none at all (a scheme without grades), added when first seen. */
static uint16_t grade_of_text(KpDiff *df, uint32_t id)
{
    for (int i = 0; i < df->ngrades; i++)
        if (df->grades[i].text_id == id) return (uint16_t)i;
    const char *name = id ? intern_str(df->side[0].m->strings, id, NULL) : "(none)";
    df->grades[df->ngrades] = (DiffName){name, id, {-1, -1}};
    return (uint16_t)df->ngrades++;
}

/* ---- who changes ---- */

typedef struct Moved {
    Dec size; /* |Δ total| */
    int32_t pos, row;
} Moved;

static int moved_cmp(const void *pa, const void *pb)
{
    const Moved *a = pa, *b = pb;
    int c = dec_cmp(b->size, a->size);
    return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* Keeps the `top` largest movements seen so far, in order. */
static void keep_move(Moved *top, int32_t *n, int32_t cap, Moved m)
{
    if (*n == cap && (cap == 0 || moved_cmp(&m, &top[cap - 1]) >= 0)) return;
    int32_t i = *n < cap ? (*n)++ : cap - 1;
    while (i > 0 && moved_cmp(&m, &top[i - 1]) < 0) {
        top[i] = top[i - 1];
        i--;
    }
    top[i] = m;
}

static void compare_persons(KpDiff *df)
{
    int32_t n = df->n;
    size_t nn = (size_t)(n ? n : 1);
    Eval *ev0 = df->side[0].ev;
    for (int side = 0; side < 2; side++) {
        df->grade[side] = ev_alloc(df->side[side].ev, nn * sizeof(uint16_t));
        const uint32_t *text = df->side[side].m->v_grade->text;
        for (int32_t row = 0; row < n; row++)
            df->grade[side][row] = grade_of_text(df, text ? text[row] : 0);
    }
    int32_t top = df->info.top;
    Moved *moves = xmalloc(sizeof(Moved) * (size_t)(top + 1));
    Moved *changed = xmalloc(sizeof(Moved) * nn);
    for (int32_t row = 0; row < n; row++) {
        Dec d = diff_delta(df, row);
        Moved mv = {d < 0 ? -d : d, key_pos(ev0, row), row};
        if (d) {
            df->ntotal_changes++;
            keep_move(moves, &df->nmoves, top, mv);
        }
        if (df->grade[0][row] != df->grade[1][row]) changed[df->ngrade_changes++] = mv;
    }
    qsort(changed, (size_t)df->ngrade_changes, sizeof(Moved), moved_cmp);
    df->changed = ARENA_ARR(&df->arena, int32_t, df->ngrade_changes + 1);
    for (int32_t i = 0; i < df->ngrade_changes; i++)
        df->changed[i] = changed[i].row;
    df->moves = ARENA_ARR(&df->arena, int32_t, df->nmoves + 1);
    for (int32_t i = 0; i < df->nmoves; i++)
        df->moves[i] = moves[i].row;
    free(moves);
    free(changed);
    int ng = df->ngrades;
    df->matrix = ARENA_ARR(&df->arena, int64_t, ng * ng);
    for (int32_t row = 0; row < n; row++)
        df->matrix[df->grade[0][row] * ng + df->grade[1][row]]++;
}

/* ---- entry points ---- */

KpDiff *kp_diff(KpScheme *old, KpScheme *new_, const KpDiffInfo *info, Diags *d)
{
    if (!old->ran || !new_->ran) return NULL;
    KpDiff *df = xcalloc(1, sizeof *df);
    arena_init(&df->arena);
    df->info = *info;
    if (df->info.top < 0) df->info.top = 0;
    KpScheme *ss[2] = {old, new_};
    const char *paths[2] = {info->old_path, info->new_path};
    jmp_buf on_error;
    for (int side = 0; side < 2; side++) {
        DiffSide *s = &df->side[side];
        s->s = ss[side];
        s->ev = &ss[side]->ev;
        s->m = ss[side]->m;
        s->path = paths[side];
        s->ev->d = d;
        s->ev->on_error = &on_error;
    }
    if (setjmp(on_error)) {
        kp_diff_free(df);
        return NULL;
    }
    df->n = df->side[0].ev->nrows;
    key_order(df->side[0].ev);
    collect_items(df);
    collect_names(df);
    collect_params(df);
    compare_persons(df);
    diff_collect_units(df);
    diff_count_ahead(df, 0);
    diff_count_ahead(df, 1);
    for (int side = 0; side < 2; side++)
        df->side[side].ev->on_error = NULL; /* the writers only read computed values */
    return df;
}

bool kp_diff_write(KpDiff *df, FILE *f, KpDiffFormat fmt)
{
    Wbuf b;
    wbuf_init(&b, f);
    switch (fmt) {
    case KP_DIFF_TEXT: diff_write_text(df, &b); break;
    case KP_DIFF_CSV: diff_write_csv(df, &b); break;
    case KP_DIFF_JSON: diff_write_json(df, &b); break;
    case KP_DIFF_HTML: diff_write_html(df, &b); break;
    }
    return wbuf_finish(&b);
}

void kp_diff_free(KpDiff *df)
{
    if (!df) return;
    arena_free(&df->arena);
    free(df);
}
