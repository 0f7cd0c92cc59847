/*
** doc_rules.c — the sections of the document after the indicators: bonus
** and penalty items with their caps, adjustments, vetoes, the grade rules
** in order, and the definitions (let values and the functions in use).
*/
#include "doc.h"

#include <string.h>

#define DASH "—"

/* A name, with the module it comes from when that is not the scheme itself. */
static const char *named(DocCtx *c, const char *name, const Source *src)
{
    const char *from = doc_origin(c, src);
    return from ? doc_fmt(c, PH_PAREN, name, doc_fmt(c, PH_FROM_MODULE, from)) : name;
}

/* ---- bonus and penalty items ---- */

static void item_table(DocCtx *c, Phrase title, const PtrVec *items, const Expr *cap,
                       Phrase with_cap, Phrase without_cap)
{
    if (!items->n && !cap) return;
    docbuf_heading(c->b, 3, tr(c->lang, title));
    if (items->n) {
        const char *h[] = {tr(c->lang, H_ITEM), tr(c->lang, H_METHOD), tr(c->lang, H_CAP)};
        Block *t = docbuf_table(c->b, 3, h);
        for (int i = 0; i < items->n; i++) {
            const ValueDef *v = items->items[i];
            const char *row[] = {named(c, v->name, v->decl->src), doc_expr(c, v->formula),
                                 v->cap ? doc_expr(c, v->cap) : tr(c->lang, PH_NO_CAP)};
            docbuf_row(c->b, t, row);
        }
    }
    docbuf_para(c->b, cap ? doc_fmt(c, with_cap, doc_expr(c, cap)) : tr(c->lang, without_cap));
}

void doc_items(DocCtx *c)
{
    Model *m = c->m;
    if (!m->bonuses.n && !m->penalties.n && !m->bonus_cap && !m->penalty_cap) return;
    doc_section(c, S_ITEMS);
    docbuf_para(c->b, tr(c->lang, m->adjusts.n ? PH_TOTAL_ADJUSTED : PH_TOTAL));
    item_table(c, PH_BONUSES, &m->bonuses, m->bonus_cap, PH_BONUS_CAP, PH_BONUS_NO_CAP);
    item_table(c, PH_PENALTIES, &m->penalties, m->penalty_cap, PH_PENALTY_CAP, PH_PENALTY_NO_CAP);
}

/* ---- adjustments ---- */

void doc_adjusts(DocCtx *c)
{
    Model *m = c->m;
    if (!m->adjusts.n) return;
    doc_section(c, S_ADJUSTS);
    const char *h[] = {tr(c->lang, H_ADJUST), tr(c->lang, H_APPLIES), tr(c->lang, H_NEW_TOTAL)};
    Block *t = docbuf_table(c->b, 3, h);
    for (int i = 0; i < m->adjusts.n; i++) {
        const ValueDef *v = m->adjusts.items[i];
        const char *row[] = {named(c, v->name, v->decl->src),
                             v->cond ? doc_expr(c, v->cond) : tr(c->lang, PH_ADJUST_ALL),
                             doc_expr(c, v->formula)};
        docbuf_row(c->b, t, row);
    }
    docbuf_para(c->b, tr(c->lang, PH_ADJUST_NOTE));
}

/* ---- vetoes ---- */

void doc_vetoes(DocCtx *c)
{
    Model *m = c->m;
    if (!m->nvetoes) return;
    doc_section(c, S_VETOES);
    const char *h[] = {tr(c->lang, H_VETO), tr(c->lang, H_TRIGGER), tr(c->lang, H_EFFECT)};
    Block *t = docbuf_table(c->b, 3, h);
    for (int i = 0; i < m->nvetoes; i++) {
        const Veto *v = m->vetoes[i];
        const Decl *d = v->decl;
        const char *effect = d->effect == VETO_FORCE ? doc_fmt(c, PH_VETO_FORCE, d->grade)
                             : d->effect == VETO_CAP ? doc_fmt(c, PH_VETO_CAP, d->grade)
                                                     : tr(c->lang, PH_VETO_UNGRADED);
        const char *row[] = {named(c, v->name, d->src), doc_expr(c, d->cond), effect};
        docbuf_row(c->b, t, row);
    }
    docbuf_para(c->b, tr(c->lang, PH_VETO_NOTE));
}

/* ---- grades ---- */

/* The ranking order, with the key column that breaks the remaining ties. */
static const char *order_text(DocCtx *c, const Decl *d)
{
    const char *key = c->m->assessed->decl->key;
    if (!d->order.n) return doc_fmt(c, PH_ORDER_KEY_ONLY, key);
    const char **keys = ARENA_ARR(c->a, const char *, d->order.n);
    for (int i = 0; i < d->order.n; i++) {
        const OrderKey *k = d->order.items[i];
        keys[i] = doc_fmt(c, k->desc ? PH_DESC : PH_ASC, doc_expr(c, k->e));
    }
    const char *list = doc_join(c, keys, d->order.n);
    const OrderKey *last = d->order.items[d->order.n - 1];
    bool by_key = !last->desc && last->e->kind == E_NAME && strcmp(last->e->name, key) == 0;
    return by_key ? doc_fmt(c, PH_ORDER, list) : doc_fmt(c, PH_ORDER_THEN_KEY, list, key);
}

void doc_grades(DocCtx *c)
{
    Model *m = c->m;
    const Decl *d = m->grades_decl;
    if (!d) return;
    doc_section(c, S_GRADES);
    const char *from = doc_origin(c, d->src);
    if (from) docbuf_para(c->b, doc_fmt(c, PH_GRADES_FROM, from));
    docbuf_bullet(c->b,
                  d->within ? doc_fmt(c, PH_GRADES_WITHIN, d->within) : tr(c->lang, PH_GRADES_ALL));
    docbuf_bullet(c->b, order_text(c, d));
    for (int i = 0; i < d->rules.n; i++) {
        const GradeRule *g = d->rules.items[i];
        if (!g->name) docbuf_bullet(c->b, doc_fmt(c, PH_OVERRIDE, g->when->name));
    }
    const char *h[] = {tr(c->lang, H_NO), tr(c->lang, H_GRADE), tr(c->lang, H_QUOTA),
                       tr(c->lang, H_WHEN), tr(c->lang, H_REQUIRE)};
    Block *t = docbuf_table(c->b, 5, h);
    int n = 0;
    for (int i = 0; i < d->rules.n; i++) {
        const GradeRule *g = d->rules.items[i];
        if (!g->name) continue;
        bool rest = !g->quota && !g->when && !g->require;
        const char *row[] = {arena_printf(c->a, "%d", ++n), g->name,
                             g->quota ? doc_expr(c, g->quota) : DASH,
                             rest ? tr(c->lang, PH_GRADE_REST) : doc_expr(c, g->when),
                             g->require ? doc_expr(c, g->require) : DASH};
        docbuf_row(c->b, t, row);
    }
    docbuf_para(c->b, tr(c->lang, PH_GRADES_NOTE));
}

/* ---- definitions ---- */

typedef struct FuncUse {
    Decl **funcs;
    bool *used;
    int n;
} FuncUse;

static void mark_calls(Expr *e, void *ctx)
{
    FuncUse *u = ctx;
    if (!e) return;
    if (e->kind == E_CALL)
        for (int i = 0; i < u->n; i++)
            if (strcmp(u->funcs[i]->name, e->name) == 0) u->used[i] = true;
    /* A call's `a` is the resolver's expansion of a user function: not written. */
    if (e->kind != E_CALL) mark_calls(e->a, ctx);
    mark_calls(e->b, ctx);
    mark_calls(e->c, ctx);
    mark_calls(e->where, ctx);
    for (int i = 0; i < e->args.n; i++)
        mark_calls(e->args.items[i], ctx);
}

/* The functions called from the scheme's formulas, directly or through
** other functions, in declaration order. */
static FuncUse used_functions(DocCtx *c)
{
    FuncUse u = {0};
    PtrVec *progs = &c->m->programs;
    PtrVec all = {0};
    for (int p = 0; p < progs->n; p++) {
        Program *prog = progs->items[p];
        for (int i = 0; i < prog->decls.n; i++)
            if (((Decl *)prog->decls.items[i])->kind == D_FUNC)
                ptrvec_push(c->a, &all, prog->decls.items[i]);
    }
    u.funcs = (Decl **)all.items;
    u.n = all.n;
    u.used = ARENA_ARR(c->a, bool, u.n + 1);
    for (int p = 0; p < progs->n; p++) {
        Program *prog = progs->items[p];
        for (int i = 0; i < prog->decls.n; i++)
            if (((Decl *)prog->decls.items[i])->kind != D_FUNC)
                ast_walk_decl(prog->decls.items[i], mark_calls, &u);
    }
    /* A function called by a used function is used too. */
    bool *walked = ARENA_ARR(c->a, bool, u.n + 1);
    for (bool again = true; again;) {
        again = false;
        for (int i = 0; i < u.n; i++)
            if (u.used[i] && !walked[i]) {
                walked[i] = again = true;
                mark_calls(u.funcs[i]->expr, &u);
            }
    }
    return u;
}

static void lets(DocCtx *c)
{
    Model *m = c->m;
    const char *h[] = {tr(c->lang, H_NAME), tr(c->lang, H_DEFINITION), tr(c->lang, H_SHOWN)};
    Block *t = docbuf_table(c->b, 3, h);
    for (int i = 0; i < m->nvalues; i++) {
        const ValueDef *v = m->values[i];
        if (v->kind != VAL_LET) continue;
        const char *row[] = {named(c, v->name, v->decl->src), doc_expr(c, v->formula),
                             v->shown ? tr(c->lang, V_YES) : DASH};
        docbuf_row(c->b, t, row);
    }
}

/* A step table's bands: "[LO, HI) value", "A → B" when interpolated. */
static const char *step_bands(DocCtx *c, const Decl *f)
{
    const char *s = tr(c->lang, f->step_unique ? PH_STEP_UNIQUE : PH_STEP_FIRST);
    for (int k = 0; k < f->bands.n; k++) {
        const StepBand *b = f->bands.items[k];
        const char *lo = b->lo ? arena_printf(c->a, "[%s", doc_expr(c, b->lo)) : "(-∞";
        const char *hi = b->hi ? arena_printf(c->a, "%s)", doc_expr(c, b->hi)) : "+∞)";
        const char *v =
            b->val_to ? arena_printf(c->a, "%s → %s", doc_expr(c, b->val), doc_expr(c, b->val_to))
                      : doc_expr(c, b->val);
        s = arena_printf(c->a, "%s%s%s, %s %s", s, k ? "; " : "", lo, hi, v);
    }
    return s;
}

static void functions(DocCtx *c, const FuncUse *u)
{
    const char *h[] = {tr(c->lang, H_FUNCTION), tr(c->lang, H_DEFINITION)};
    Block *t = docbuf_table(c->b, 2, h);
    for (int i = 0; i < u->n; i++) {
        if (!u->used[i]) continue;
        const Decl *f = u->funcs[i];
        if (f->step) {
            const char *row[] = {named(c, arena_printf(c->a, "%s(x)", f->name), f->src),
                                 step_bands(c, f)};
            docbuf_row(c->b, t, row);
            continue;
        }
        const char **params = ARENA_ARR(c->a, const char *, f->keys.n + 1);
        for (int k = 0; k < f->keys.n; k++)
            params[k] = doc_expr(c, f->keys.items[k]);
        const char *sig = f->name;
        for (int k = 0; k < f->keys.n; k++)
            sig = arena_printf(c->a, "%s%s%s", sig, k ? ", " : "(", params[k]);
        sig = arena_printf(c->a, "%s%s", sig, f->keys.n ? ")" : "()");
        const char *row[] = {named(c, sig, f->src), doc_expr(c, f->expr)};
        docbuf_row(c->b, t, row);
    }
}

void doc_definitions(DocCtx *c)
{
    Model *m = c->m;
    int nlets = 0, nfuncs = 0;
    for (int i = 0; i < m->nvalues; i++)
        nlets += m->values[i]->kind == VAL_LET;
    FuncUse u = used_functions(c);
    for (int i = 0; i < u.n; i++)
        nfuncs += u.used[i];
    if (!nlets && !nfuncs) return;
    doc_section(c, S_DEFS);
    if (nlets) {
        docbuf_heading(c->b, 3, tr(c->lang, PH_LETS));
        lets(c);
    }
    if (nfuncs) {
        docbuf_heading(c->b, 3, tr(c->lang, PH_FUNCS));
        docbuf_para(c->b, tr(c->lang, PH_FUNCS_NOTE));
        functions(c, &u);
    }
}
