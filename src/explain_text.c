/*
** explain_text.c — an explanation as plain text for a reader of 公示 and
** 复核, in Chinese or English (phrases in explain_lang.c): the result and
** one sentence of why first, then each part of the scheme with the formula
** as written, the inputs it read and the file:line of its rule.
*/
#include "explain_lang.h"
#include "explain_text.h"
#include "date.h"

#include <stdlib.h>
#include <string.h>

/* ---- values as text ---- */

void explain_put_value(Buf *b, const Model *m, XVal v, XLang lang)
{
    const Phrases *p = explain_phrases(lang);
    char buf[DEC_FMT_MAX + 2];
    if (v.v.null) {
        buf_puts(b, p->empty);
        return;
    }
    switch (v.type) {
    case T_TEXT: buf_puts(b, intern_str(m->strings, v.v.t, NULL)); return;
    case T_BOOL: buf_puts(b, v.v.b ? p->yes : p->no); return;
    case T_DATE:
        date_format(v.v.d, buf);
        buf_puts(b, buf);
        return;
    default: break;
    }
    Dec n = v.v.n;
    if (v.percent) dec_mul(n, dec_from_int(100), &n);
    size_t len = dec_format(n, buf);
    if (v.percent) buf[len++] = '%', buf[len] = 0;
    buf_puts(b, buf);
}

void explain_put_rule(Buf *b, XRule r)
{
    if (r.src) buf_printf(b, "%s:%u", r.src->path, (unsigned)r.line);
}

/* Text made for one argument of a phrase, kept until the rendering ends. */
const char *text_keep(TextR *r, Buf *tmp)
{
    char *s = arena_strdup(r->tmp, tmp->p ? tmp->p : "");
    free(tmp->p);
    return s;
}

const char *text_val(TextR *r, XVal v)
{
    Buf t = {0};
    explain_put_value(&t, r->m, v, r->lang);
    return text_keep(r, &t);
}

const char *text_dec(TextR *r, Dec d)
{
    return text_val(r, (XVal){{.n = d}, T_NUM, false});
}

const char *text_int(TextR *r, int64_t n)
{
    return arena_printf(r->tmp, "%lld", (long long)n);
}

/* "text = value" */
const char *text_assign(TextR *r, const char *text, XVal v)
{
    return arena_printf(r->tmp, "%s = %s", text, text_val(r, v));
}

/* The inputs of a formula on one line: "a = 1, b = 2". */
const char *text_inputs(TextR *r, const XFormula *f)
{
    Buf t = {0};
    for (int i = 0; i < f->inputs.n; i++) {
        const XInput *in = f->inputs.items[i];
        if (i) buf_puts(&t, r->p->list_sep);
        buf_puts(&t, text_assign(r, in->text, in->val));
    }
    return text_keep(r, &t);
}

/* ---- lines ---- */

void text_indent(TextR *r, int level)
{
    for (int i = 0; i < level; i++)
        buf_puts(r->b, "  ");
}

/* Ends a line, citing the rule it comes from. */
void text_eol(TextR *r, XRule rule)
{
    if (rule.src) {
        buf_puts(r->b, "  [");
        explain_put_rule(r->b, rule);
        buf_puts(r->b, "]");
    }
    buf_puts(r->b, "\n");
}

static const XRule NORULE = {NULL, 0};

/* The `if`s taken and the inputs, one per line. */
void text_inputs_lines(TextR *r, const XFormula *f, int level)
{
    for (int i = 0; i < f->conds.n; i++) {
        const XCond *c = f->conds.items[i];
        text_indent(r, level);
        TPL(r, c->holds ? r->p->if_holds : r->p->if_fails, c->text);
        text_eol(r, NORULE);
    }
    for (int i = 0; i < f->inputs.n; i++) {
        const XInput *in = f->inputs.items[i];
        text_indent(r, level);
        TPL(r, r->p->input, text_assign(r, in->text, in->val));
        if (in->overridden) buf_puts(r->b, r->p->set_by_option);
        text_eol(r, in->rule);
    }
}

/* "公式: text" and its inputs; a formula that is one input names its value. */
void text_formula(TextR *r, const XFormula *f, int level, const char *label)
{
    const XInput *only = f->inputs.n == 1 ? f->inputs.items[0] : NULL;
    bool self = only && !f->conds.n && strcmp(only->text, f->text) == 0;
    text_indent(r, level);
    TPL(r, label, self ? text_assign(r, f->text, only->val) : f->text);
    if (self && only->overridden) buf_puts(r->b, r->p->set_by_option);
    text_eol(r, self ? only->rule : NORULE);
    if (!self) text_inputs_lines(r, f, level);
}

void text_section(TextR *r, const char *title, XRule rule)
{
    buf_puts(r->b, "\n");
    buf_puts(r->b, title);
    text_eol(r, rule);
}

/* ---- the parts of the scheme ---- */

static const char *percent(TextR *r, Dec w)
{
    return text_val(r, (XVal){{.n = w}, T_NUM, true});
}

static void put_indicator(TextR *r, const XIndicator *xi)
{
    text_indent(r, 1 + xi->depth);
    buf_puts(r->b, text_assign(r, xi->name, xi->val));
    if (xi->weighted) {
        const char *w = percent(r, xi->weight);
        TPL(r, strcmp(w, xi->weight_text) ? r->p->ind_weight_named : r->p->ind_weight, w,
            xi->weight_text);
    }
    TPL(r, r->p->ind_counts, xi->parent ? xi->parent : r->p->score_name,
        text_dec(r, xi->contribution));
    text_eol(r, xi->rule);
    for (int i = 0; i < xi->branches.n; i++) {
        const XBranch *b = xi->branches.items[i];
        text_indent(r, 2 + xi->depth);
        if (!b->cond)
            buf_puts(r->b, r->p->otherwise);
        else
            TPL(r, b->holds ? r->p->when_holds : r->p->when_fails, b->cond->text);
        text_eol(r, b->rule);
        if (b->cond) text_inputs_lines(r, b->cond, 3 + xi->depth);
    }
    if (xi->formula) text_formula(r, xi->formula, 2 + xi->depth, r->p->formula);
}

static void put_indicators(TextR *r, const Explanation *x)
{
    if (!x->indicators.n) return;
    text_section(r, r->p->sec_indicators, NORULE);
    Buf terms = {0};
    for (int i = 0; i < x->indicators.n; i++) {
        const XIndicator *xi = x->indicators.items[i];
        put_indicator(r, xi);
        if (xi->parent) continue;
        if (terms.len) buf_puts(&terms, " + ");
        buf_printf(&terms, "%s %s", xi->name, text_dec(r, xi->contribution));
    }
    text_indent(r, 1);
    TPL(r, r->p->score_line, text_keep(r, &terms), text_dec(r, x->score));
    text_eol(r, NORULE);
}

static void put_lets(TextR *r, const Explanation *x)
{
    if (!x->lets.n) return;
    text_section(r, r->p->sec_lets, NORULE);
    for (int i = 0; i < x->lets.n; i++) {
        const XNamed *n = x->lets.items[i];
        text_indent(r, 1);
        buf_puts(r->b, text_assign(r, n->name, n->f->val));
        text_eol(r, n->rule);
        text_formula(r, n->f, 2, r->p->formula);
    }
}

static void put_items(TextR *r, const char *title, const char *total_name, const XItems *it)
{
    text_section(r, title, NORULE);
    for (int i = 0; i < it->items.n; i++) {
        const XItem *item = it->items.items[i];
        text_indent(r, 1);
        buf_puts(r->b, text_assign(r, item->name, (XVal){{.n = item->value}, T_NUM, false}));
        text_eol(r, item->rule);
        text_formula(r, item->f, 2, r->p->formula);
        if (!item->cap) continue;
        text_indent(r, 2);
        TPL(r, item->cut ? r->p->cap_cut : r->p->cap_ok, text_val(r, item->cap->val),
            text_val(r, item->f->val));
        text_eol(r, NORULE);
        if (item->cap->inputs.n) text_inputs_lines(r, item->cap, 3);
    }
    text_indent(r, 1);
    const char *total = text_dec(r, it->total), *sum = text_dec(r, it->sum);
    if (!it->cap)
        TPL(r, r->p->items_sum, total_name, total);
    else
        TPL(r, it->cut ? r->p->items_cap_cut : r->p->items_cap_ok, total_name, total, sum,
            text_val(r, it->cap->val));
    text_eol(r, it->cap ? it->cap->rule : NORULE);
}

static void put_total(TextR *r, const Explanation *x)
{
    text_section(r, r->p->sec_total, NORULE);
    text_indent(r, 1);
    TPL(r, r->p->total_base, text_dec(r, x->score), text_dec(r, x->bonus.total),
        text_dec(r, x->penalty.total), text_dec(r, x->total_base));
    text_eol(r, NORULE);
    for (int i = 0; i < x->adjusts.n; i++) {
        const XAdjust *ad = x->adjusts.items[i];
        text_indent(r, 1);
        TPL(r, r->p->adjust, ad->name);
        text_eol(r, ad->rule);
        if (ad->cond) text_formula(r, ad->cond, 2, r->p->condition);
        if (ad->f) text_formula(r, ad->f, 2, r->p->formula);
        text_indent(r, 2);
        if (ad->applied)
            TPL(r, r->p->adjust_applied, text_dec(r, ad->before), text_dec(r, ad->after));
        else
            TPL(r, r->p->adjust_skipped, text_dec(r, ad->after));
        text_eol(r, NORULE);
    }
    text_indent(r, 1);
    TPL(r, r->p->total_line, text_dec(r, x->total));
    text_eol(r, NORULE);
}

const char *text_effect(TextR *r, const XVeto *v)
{
    Buf t = {0};
    if (v->effect == VETO_UNGRADED)
        buf_puts(&t, r->p->effect_ungraded);
    else
        explain_tpl(&t, v->effect == VETO_FORCE ? r->p->effect_force : r->p->effect_cap,
                    (const char *const[]){v->grade}, 1);
    return text_keep(r, &t);
}

static void put_vetoes(TextR *r, const Explanation *x)
{
    if (!x->vetoes.n) return;
    text_section(r, r->p->sec_vetoes, NORULE);
    for (int i = 0; i < x->vetoes.n; i++) {
        const XVeto *v = x->vetoes.items[i];
        text_indent(r, 1);
        TPL(r, v->fired ? r->p->veto_fired : r->p->veto_quiet, v->name, text_effect(r, v));
        text_eol(r, v->rule);
        text_formula(r, v->cond, 2, r->p->condition);
    }
}

static void put_eligibility(TextR *r, const Explanation *x)
{
    if (!x->elig.n) return;
    text_section(r, r->p->sec_elig, NORULE);
    for (int i = 0; i < x->elig.n; i++) {
        const XElig *el = x->elig.items[i];
        text_indent(r, 1);
        TPL(r, el->eligible ? r->p->eligible : r->p->not_eligible, el->grade);
        text_eol(r, el->rule);
        for (int k = 0; k < el->parts.n; k++) {
            const XPart *part = el->parts.items[k];
            text_indent(r, 2);
            TPL(r,
                !part->f      ? r->p->part_skipped
                : part->holds ? r->p->part_holds
                              : r->p->part_fails,
                part->text);
            text_eol(r, part->f ? part->f->rule : NORULE);
            if (part->f) text_inputs_lines(r, part->f, 3);
        }
    }
}

void explain_render_text(Buf *b, const Model *m, const Explanation *x, XLang lang)
{
    Arena tmp;
    arena_init(&tmp);
    TextR r = {b, m, explain_phrases(lang), lang, &tmp};
    TPL(&r, r.p->title, x->table, x->id);
    buf_puts(b, "\n");
    TPL(&r, r.p->scheme_line, x->scheme, x->version);
    buf_puts(b, "\n");
    TPL(&r, r.p->data_line, x->data_path, text_int(&r, x->data_line));
    buf_puts(b, "\n");
    Buf sum = {0};
    explain_summary(&sum, m, x, lang);
    TPL(&r, r.p->result_line, text_keep(&r, &sum));
    buf_puts(b, "\n");
    put_indicators(&r, x);
    put_lets(&r, x);
    if (x->has_bonus) put_items(&r, r.p->sec_bonus, r.p->bonus_total, &x->bonus);
    if (x->has_penalty) put_items(&r, r.p->sec_penalty, r.p->penalty_total, &x->penalty);
    put_total(&r, x);
    put_vetoes(&r, x);
    put_eligibility(&r, x);
    text_grading(&r, x);
    arena_free(&tmp);
}
