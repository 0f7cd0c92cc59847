/*
** explain.c — collecting the facts of one person (see explain.h): formulas
** and the inputs they read, indicators with their variants and weights,
** intermediate values, bonus and penalty items with their caps, the
** adjustments of the total, vetoes and eligibility. Grading is in
** explain_grade.c.
**
** A formula is walked the way the evaluator ran it: only the branch of an
** `if` that was taken, and the right side of `and`/`or` only when the left
** side did not decide. So every sub-expression evaluated here was evaluated
** for this person during the run, and gives the same value.
*/
#include "explain.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

XRule explain_rule(const Source *src, Span sp)
{
    XRule r = {src, 0};
    if (!src) return r;
    size_t lo = 0, hi = src->nlines; /* the last line starting at or before sp.start */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_starts[mid] <= sp.start)
            lo = mid;
        else
            hi = mid;
    }
    r.line = (uint32_t)lo + 1;
    return r;
}

/* The text of a span as written, comments dropped and each run of
** whitespace (a formula may span lines) made one space. */
static const char *span_text(Arena *a, const Source *src, Span sp)
{
    const char *s = src->text + sp.start;
    size_t n = sp.end - sp.start, k = 0;
    char *out = arena_alloc(a, n + 1);
    bool in_str = false, space = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!in_str && (c == '#' || (c == '/' && i + 1 < n && s[i + 1] == '/'))) {
            while (i + 1 < n && s[i + 1] != '\n')
                i++;
            space = true;
            continue;
        }
        if (!in_str && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            space = true;
            continue;
        }
        if (space && k) out[k++] = ' ';
        space = false;
        out[k++] = c;
        if (in_str && c == '\\' && i + 1 < n)
            out[k++] = s[++i];
        else if (c == '"')
            in_str = !in_str;
    }
    out[k] = 0;
    return out;
}

static size_t text_slot(const ExplainRun *r, const Expr *e)
{
    size_t h = (size_t)(((uintptr_t)e >> 4) * 0x9e3779b97f4a7c15ull);
    size_t i = h & (r->text_cap - 1);
    while (r->text_keys[i] && r->text_keys[i] != e)
        i = (i + 1) & (r->text_cap - 1);
    return i;
}

/* The text of e as written; the same for every row, so made once. */
static const char *expr_text(XCtx *x, const Expr *e)
{
    ExplainRun *r = x->run;
    if (r->text_n * 2 >= r->text_cap) {
        const Expr **keys = r->text_keys;
        const char **vals = r->text_vals;
        size_t old = r->text_cap;
        r->text_cap = old ? old * 2 : 256;
        r->text_keys = xcalloc(r->text_cap, sizeof *keys);
        r->text_vals = xcalloc(r->text_cap, sizeof *vals);
        for (size_t i = 0; i < old; i++)
            if (keys[i]) {
                size_t k = text_slot(r, keys[i]);
                r->text_keys[k] = keys[i];
                r->text_vals[k] = vals[i];
            }
        free(keys);
        free(vals);
    }
    size_t k = text_slot(r, e);
    if (!r->text_keys[k]) {
        r->text_keys[k] = e;
        r->text_vals[k] = span_text(&r->texts, e->src, e->span);
        r->text_n++;
    }
    return r->text_vals[k];
}

void explain_release(ExplainRun *r)
{
    arena_free(&r->texts);
    free(r->text_keys);
    free(r->text_vals);
    r->text_keys = NULL;
    r->text_vals = NULL;
    r->text_cap = r->text_n = 0;
}

XVal explain_val(const Expr *e, Value v)
{
    XVal x = {v, e->bound ? e->bound->type.base : T_NUM, false};
    const Bound *b = e->bound;
    if (b && b->kind == B_PARAM) x.percent = b->param->kind == PARAM_PERCENT;
    if (b && b->kind == B_COL) x.percent = b->path[b->npath - 1]->kind == COL_PERCENT;
    return x;
}

static XRule value_rule(const ValueDef *v)
{
    if (v->ind) return explain_rule(v->decl->src, v->ind->name_span);
    if (v->decl) return explain_rule(v->decl->src, v->decl->name_span);
    return explain_rule(NULL, (Span){0, 0});
}

static void add_input(XCtx *x, XFormula *f, XInputKind kind, Expr *e)
{
    const char *text = expr_text(x, e);
    for (int i = 0; i < f->inputs.n; i++)
        if (strcmp(((XInput *)f->inputs.items[i])->text, text) == 0) return;
    XInput *in = ARENA_NEW(x->a, XInput);
    in->kind = kind;
    in->text = text;
    in->val = explain_val(e, eval_expr(x->ev, e, x->row));
    const Bound *b = e->bound;
    /* `total` read after an adjustment is the language's own total */
    if (b->kind == B_VALUE && b->val->kind != VAL_ADJUST) in->rule = value_rule(b->val);
    if (b->kind == B_PARAM) {
        in->rule = explain_rule(b->param->decl->src, b->param->decl->name_span);
        in->overridden = b->param->overridden;
    }
    ptrvec_push(x->a, &f->inputs, in);
}

/* Inside the body of a user function, expanded in place: its parameters
** are the call's argument expressions themselves. Only those (the caller's
** own inputs) are reported; the body's inner names mean nothing to a reader
** of the formula as written. */
typedef struct Scope {
    const Expr *call;
    const struct Scope *outer;
} Scope;

static bool is_arg(const Expr *call, const Expr *e)
{
    for (int i = 0; i < call->args.n; i++)
        if (call->args.items[i] == e) return true;
    return false;
}

static void walk(XCtx *x, XFormula *f, Expr *e, const Scope *in);

static void walk_args(XCtx *x, XFormula *f, Expr *e, const Scope *in)
{
    for (int i = 0; i < e->args.n; i++)
        walk(x, f, e->args.items[i], in);
}

static void walk_if(XCtx *x, XFormula *f, Expr *e, const Scope *in)
{
    bool holds = eval_expr(x->ev, e->a, x->row).b;
    if (!in) {
        XCond *c = ARENA_NEW(x->a, XCond);
        c->text = expr_text(x, e->a);
        c->holds = holds;
        ptrvec_push(x->a, &f->conds, c);
    }
    walk(x, f, e->a, in);
    walk(x, f, holds ? e->b : e->c, in);
}

/* Named inputs of e in the order they are read; `in` is the function
** bodies e is inside, NULL in the formula itself. */
static void walk(XCtx *x, XFormula *f, Expr *e, const Scope *in)
{
    if (!e || !e->bound) return;
    while (in && is_arg(in->call, e)) /* back in the caller's text */
        in = in->outer;
    const Bound *b = e->bound;
    bool list = b->type.list; /* evaluated item by item: every part is read */
    XInputKind kind = XIN_COLUMN;
    switch (b->kind) {
    case B_LIT:
    case B_ARG: return;
    case B_PARAM: kind = XIN_PARAM; break;
    case B_VALUE: kind = XIN_VALUE; break;
    case B_COL: kind = XIN_COLUMN; break;
    case B_RELAGG: kind = XIN_RELAGG; break;
    case B_GROUPAGG: kind = XIN_GROUPAGG; break;
    case B_LISTAGG:
        if (!in) add_input(x, f, XIN_LISTAGG, e);
        walk_args(x, f, e, in);
        return;
    case B_FUNC: break;
    }
    if (b->kind != B_FUNC) {
        /* a function's body sees the scheme's params, which are named everywhere */
        if (!in || kind == XIN_PARAM) add_input(x, f, kind, e);
        return;
    }
    switch (e->kind) {
    case E_CALL:
        if (b->fn == (FuncId)-1) { /* a user function, expanded in place */
            Scope body = {e, in};
            if (!in) add_input(x, f, XIN_FUNC, e);
            walk(x, f, e->a, &body);
        } else {
            walk_args(x, f, e, in);
        }
        return;
    case E_IF: walk_if(x, f, e, in); return;
    case E_BINARY:
        walk(x, f, e->a, in);
        if (!list && (e->op == OP_AND || e->op == OP_OR)) {
            Value a = eval_expr(x->ev, e->a, x->row);
            if (!a.null && (e->op == OP_AND ? !a.b : a.b)) return;
        }
        walk(x, f, e->b, in);
        return;
    case E_UNARY: walk(x, f, e->a, in); return;
    case E_IN:
        walk(x, f, e->a, in);
        walk_args(x, f, e->b, in);
        return;
    case E_LIST: walk_args(x, f, e, in); return;
    default: return;
    }
}

XFormula *explain_formula(XCtx *x, Expr *e)
{
    XFormula *f = ARENA_NEW(x->a, XFormula);
    f->text = expr_text(x, e);
    f->rule = explain_rule(e->src, e->span);
    f->val = explain_val(e, eval_expr(x->ev, e, x->row));
    walk(x, f, e, NULL);
    return f;
}

/* ---- indicators ---- */

static Dec times(Dec a, Dec b)
{
    Dec out = 0;
    dec_mul(a, b, &out); /* the run computed the same product without overflow */
    return out;
}

/* An indicator and, below it, the variant taken and its sub-indicators. */
static void collect_indicator(XCtx *x, Explanation *out, Indicator *ind, int depth,
                              const char *parent)
{
    ValueDef *v = x->m->values[ind->value_id];
    XIndicator *xi = ARENA_NEW(x->a, XIndicator);
    xi->name = ind->name;
    xi->rule = value_rule(v);
    xi->depth = depth;
    xi->parent = parent;
    xi->val = (XVal){value_get(x->ev, v, x->row), T_NUM, false};
    xi->contribution = xi->val.v.n;
    if (ind->weight) {
        xi->weighted = true;
        xi->weight_text = expr_text(x, ind->weight);
        xi->weight = eval_expr(x->ev, ind->weight, -1).n;
        xi->contribution = times(xi->weight, xi->val.v.n);
    }
    ptrvec_push(x->a, &out->indicators, xi);
    if (ind->formula) {
        xi->formula = explain_formula(x, ind->formula);
        return;
    }
    PtrVec *kids = &ind->children;
    if (ind->branches.n) {
        int chosen = v->choice[x->row];
        for (int k = 0; k <= chosen; k++) {
            Branch *b = ind->branches.items[k];
            XBranch *xb = ARENA_NEW(x->a, XBranch);
            xb->cond = b->cond ? explain_formula(x, b->cond) : NULL;
            xb->rule = explain_rule(v->decl->src, b->span);
            xb->holds = k == chosen;
            ptrvec_push(x->a, &xi->branches, xb);
        }
        Branch *b = ind->branches.items[chosen];
        if (b->formula) {
            xi->formula = explain_formula(x, b->formula);
            return;
        }
        kids = &b->children;
    }
    xi->sums_weighted = kids->n && ((Indicator *)kids->items[0])->weight;
    for (int i = 0; i < kids->n; i++)
        collect_indicator(x, out, kids->items[i], depth + 1, ind->name);
}

/* ---- values, items, the total ---- */

static void collect_lets(XCtx *x, Explanation *out)
{
    for (int i = 0; i < x->m->nvalues; i++) {
        ValueDef *v = x->m->values[i];
        if (v->kind != VAL_LET) continue;
        XNamed *n = ARENA_NEW(x->a, XNamed);
        n->name = v->name;
        n->rule = value_rule(v);
        n->f = explain_formula(x, v->formula);
        ptrvec_push(x->a, &out->lets, n);
    }
}

static void collect_items(XCtx *x, XItems *out, PtrVec *items, Expr *cap, ValueDef *total)
{
    for (int i = 0; i < items->n; i++) {
        ValueDef *v = items->items[i];
        XItem *it = ARENA_NEW(x->a, XItem);
        it->name = v->name;
        it->rule = value_rule(v);
        it->f = explain_formula(x, v->formula);
        it->value = value_get(x->ev, v, x->row).n;
        if (v->cap && !it->f->val.v.null) {
            it->cap = explain_formula(x, v->cap);
            it->cut = dec_cmp(it->f->val.v.n, it->cap->val.v.n) > 0;
        }
        dec_add(out->sum, it->value, &out->sum);
        ptrvec_push(x->a, &out->items, it);
    }
    out->total = value_get(x->ev, total, x->row).n;
    if (cap) {
        out->cap = explain_formula(x, cap);
        out->cut = dec_cmp(out->sum, out->total) != 0;
    }
}

static void collect_adjusts(XCtx *x, Explanation *out)
{
    Model *m = x->m;
    for (int i = 0; i < m->adjusts.n; i++) {
        ValueDef *v = m->adjusts.items[i];
        XAdjust *ad = ARENA_NEW(x->a, XAdjust);
        ad->name = v->name;
        ad->rule = value_rule(v);
        ad->before = value_get(x->ev, m->values[v->prev_total], x->row).n;
        ad->after = value_get(x->ev, v, x->row).n;
        ad->cond = v->cond ? explain_formula(x, v->cond) : NULL;
        ad->applied = !ad->cond || ad->cond->val.v.b;
        if (ad->applied) ad->f = explain_formula(x, v->formula);
        ptrvec_push(x->a, &out->adjusts, ad);
    }
}

/* ---- vetoes and eligibility ---- */

static void collect_vetoes(XCtx *x, Explanation *out)
{
    Model *m = x->m;
    for (int i = 0; i < m->nvetoes; i++) {
        Veto *v = m->vetoes[i];
        XVeto *xv = ARENA_NEW(x->a, XVeto);
        xv->name = v->name;
        xv->rule = explain_rule(v->decl->src, v->decl->name_span);
        xv->cond = explain_formula(x, v->decl->cond);
        xv->fired = m->vetoes_fired && (m->vetoes_fired[x->row] >> i & 1);
        xv->effect = v->effect;
        xv->grade = v->grade >= 0 ? m->grades[v->grade].name : NULL;
        ptrvec_push(x->a, &out->vetoes, xv);
    }
}

/* The parts of a condition joined by its top-level `and`, in order. */
static void split_and(Arena *a, Expr *e, PtrVec *parts)
{
    if (e->kind == E_BINARY && e->op == OP_AND && !e->bound->type.list) {
        split_and(a, e->a, parts);
        split_and(a, e->b, parts);
        return;
    }
    ptrvec_push(a, parts, e);
}

static void collect_eligibility(XCtx *x, Explanation *out)
{
    Model *m = x->m;
    for (int gi = 0; gi < m->ngrades; gi++) {
        GradeRule *rule = m->grades[gi].rule;
        if (!rule->require) continue;
        XElig *el = ARENA_NEW(x->a, XElig);
        el->grade = m->grades[gi].name;
        el->rule = explain_rule(m->grades_decl->src, rule->require->span);
        el->eligible = m->eligible[(size_t)x->row * (size_t)m->ngrades + (size_t)gi] != 0;
        PtrVec parts = {0};
        split_and(x->a, rule->require, &parts);
        bool stopped = false; /* `and` stops at the first part that does not hold */
        for (int i = 0; i < parts.n; i++) {
            XPart *p = ARENA_NEW(x->a, XPart);
            p->text = expr_text(x, parts.items[i]);
            if (!stopped) {
                p->f = explain_formula(x, parts.items[i]);
                p->holds = p->f->val.v.b;
                stopped = !p->holds;
            }
            ptrvec_push(x->a, &el->parts, p);
        }
        ptrvec_push(x->a, &out->elig, el);
    }
}

Explanation *explain_row(ExplainRun *r, Arena *a, int32_t row)
{
    Eval *ev = r->ev;
    Model *m = ev->m;
    XCtx x = {r, ev, m, a, row};
    Explanation *out = ARENA_NEW(a, Explanation);
    Table *t = m->assessed;
    out->table = t->name;
    out->key_col = t->cols[t->key_col]->name;
    out->id = intern_str(m->strings, t->key_text[row], NULL);
    out->scheme = m->scheme_name ? m->scheme_name : "";
    out->version = m->version ? m->version : "";
    out->data_path = t->path;
    out->data_line = t->key_line[row];
    for (int i = 0; i < m->top_indicators.n; i++)
        collect_indicator(&x, out, m->top_indicators.items[i], 0, NULL);
    out->score = value_get(ev, m->v_score, row).n;
    collect_lets(&x, out);
    out->has_bonus = m->bonuses.n > 0;
    out->has_penalty = m->penalties.n > 0;
    collect_items(&x, &out->bonus, &m->bonuses, m->bonus_cap, m->v_bonus_total);
    collect_items(&x, &out->penalty, &m->penalties, m->penalty_cap, m->v_penalty_total);
    out->total_base = value_get(ev, m->v_total_base, row).n;
    collect_adjusts(&x, out);
    out->total = value_get(ev, m->v_total, row).n;
    collect_vetoes(&x, out);
    collect_eligibility(&x, out);
    explain_grading(r, &x, out);
    return out;
}
