/*
** doc_ind.c — the indicator tree of the document: how the score is made,
** one table of the indicators with their weights, the effective weight of
** each (the product of the weights above it) and how each is scored; an
** indicator with `when` variants gets a section of its own after the table,
** one case per variant.
*/
#include "doc.h"
#include "resolve.h"

#include <stdio.h>

#define DASH "—"

/* An indicator whose variants are described after the table it appears in. */
typedef struct Pending {
    const Indicator *ind;
    const char *num; /* its number in that table, e.g. "1.2" */
    Dec eff;         /* its effective weight */
} Pending;

/* Whether a weight is best read as a percent: a percent literal or param. */
static bool percent_weight(const Expr *w)
{
    if (w->kind == E_NUM) return w->is_percent;
    if (w->kind == E_NAME && w->bound && w->bound->kind == B_PARAM)
        return w->bound->param->kind == PARAM_PERCENT;
    return true;
}

/* The weight's value (1 when there is none), or DEC_NULL when it is not a
** constant the document can work out (e.g. max(p, 20%)). */
static Dec weight_of(const Indicator *ind)
{
    Dec w = DEC_ONE;
    if (ind->weight && !const_number(ind->weight, &w)) return DEC_NULL;
    return w;
}

/* 30%, or 60%（业绩权重） for a weight written as a param or a formula. */
static const char *weight_cell(DocCtx *c, const Indicator *ind)
{
    const Expr *w = ind->weight;
    if (!w) return tr(c->lang, PH_POINTS);
    Dec v = weight_of(ind);
    if (w->kind == E_NUM || v == DEC_NULL) return doc_expr(c, w);
    return doc_fmt(c, PH_PAREN, doc_number(c, v, percent_weight(w)), doc_expr(c, w));
}

/* A product of weights; unknown when either is. */
static Dec times(Dec a, Dec b)
{
    Dec r;
    if (a == DEC_NULL || b == DEC_NULL || dec_mul(a, b, &r) > DEC_INEXACT) return DEC_NULL;
    return r;
}

static const char *percent_or_dash(DocCtx *c, Dec v)
{
    return v == DEC_NULL ? DASH : doc_number(c, v, true);
}

static bool weighted(const PtrVec *kids)
{
    return kids->n && ((Indicator *)kids->items[0])->weight;
}

static const char *method(DocCtx *c, const Indicator *ind)
{
    if (ind->formula) return doc_expr(c, ind->formula);
    if (ind->children.n)
        return tr(c->lang, weighted(&ind->children) ? PH_WEIGHTED_SUM : PH_POINTS_SUM);
    return doc_fmt(c, PH_SEE_VARIANTS, ind->name);
}

static void rows(DocCtx *c, Block *t, const PtrVec *kids, const char *prefix, Dec eff,
                 PtrVec *pending)
{
    for (int i = 0; i < kids->n; i++) {
        const Indicator *k = kids->items[i];
        const char *num =
            prefix ? arena_printf(c->a, "%s.%d", prefix, i + 1) : arena_printf(c->a, "%d", i + 1);
        Dec e = times(eff, weight_of(k));
        const char *row[] = {num, k->name, weight_cell(c, k), percent_or_dash(c, e), method(c, k)};
        docbuf_row(c->b, t, row);
        if (k->branches.n && !k->children.n && !k->formula) {
            Pending *p = ARENA_NEW(c->a, Pending);
            *p = (Pending){k, num, e};
            ptrvec_push(c->a, pending, p);
        }
        rows(c, t, &k->children, num, e, pending);
    }
}

static Block *ind_table(DocCtx *c)
{
    const char *h[] = {tr(c->lang, H_NO), tr(c->lang, H_INDICATOR), tr(c->lang, H_WEIGHT),
                       tr(c->lang, H_EFFECTIVE), tr(c->lang, H_METHOD)};
    return docbuf_table(c->b, 5, h);
}

/* "当 category = “检察官”" for a heading; the bare condition in a table's column. */
static const char *case_text(DocCtx *c, const Branch *br, bool heading)
{
    if (!br->cond) return tr(c->lang, PH_OTHERWISE);
    const char *cond = doc_expr(c, br->cond);
    return heading ? doc_fmt(c, PH_WHEN, cond) : cond;
}

static void variants(DocCtx *c, const Pending *p)
{
    const Indicator *ind = p->ind;
    docbuf_heading(c->b, 3, doc_fmt(c, PH_VARIANTS_HEADING, ind->name));
    docbuf_para(c->b, tr(c->lang, PH_VARIANTS_INTRO));
    bool all_formulas = true;
    for (int i = 0; i < ind->branches.n; i++)
        all_formulas &= ((Branch *)ind->branches.items[i])->formula != NULL;
    if (all_formulas) {
        /* Only formulas: one table of the cases. */
        const char *h[] = {tr(c->lang, H_CASE), tr(c->lang, H_CONDITION), tr(c->lang, H_METHOD)};
        Block *t = docbuf_table(c->b, 3, h);
        for (int i = 0; i < ind->branches.n; i++) {
            const Branch *br = ind->branches.items[i];
            const char *row[] = {arena_printf(c->a, "%d", i + 1), case_text(c, br, false),
                                 doc_expr(c, br->formula)};
            docbuf_row(c->b, t, row);
        }
        return;
    }
    /* Variants within these cases come after all of them. */
    PtrVec nested = {0};
    for (int i = 0; i < ind->branches.n; i++) {
        const Branch *br = ind->branches.items[i];
        const char *n = arena_printf(c->a, "%d", i + 1);
        docbuf_heading(c->b, 4, doc_fmt(c, PH_CASE, n, case_text(c, br, true)));
        if (br->formula)
            docbuf_para(c->b, doc_fmt(c, PH_METHOD_IS, doc_expr(c, br->formula)));
        else
            rows(c, ind_table(c), &br->children, p->num, p->eff, &nested);
    }
    for (int k = 0; k < nested.n; k++)
        variants(c, nested.items[k]);
}

/* score = 业绩 × 60% + 共性 × 20% + …, or a plain sum of points. */
static const char *score_formula(DocCtx *c, const PtrVec *top)
{
    const char *s = "";
    for (int i = 0; i < top->n; i++) {
        const Indicator *k = top->items[i];
        const char *term = k->name;
        Dec w = weight_of(k);
        if (k->weight)
            term = arena_printf(c->a, "%s × %s", k->name,
                                w == DEC_NULL ? doc_expr(c, k->weight)
                                              : doc_number(c, w, percent_weight(k->weight)));
        s = arena_printf(c->a, "%s%s%s", s, i ? " + " : "", term);
    }
    return s;
}

void doc_indicators(DocCtx *c)
{
    PtrVec *top = &c->m->top_indicators;
    doc_section(c, S_INDICATORS);
    if (!top->n) {
        docbuf_para(c->b, tr(c->lang, PH_NO_INDICATORS));
        return;
    }
    docbuf_para(c->b, doc_fmt(c, PH_SCORE, score_formula(c, top)));
    docbuf_para(c->b, tr(c->lang, PH_EFFECTIVE_NOTE));
    PtrVec pending = {0};
    rows(c, ind_table(c), top, NULL, DEC_ONE, &pending);
    for (int i = 0; i < pending.n; i++)
        variants(c, pending.items[i]);
}
