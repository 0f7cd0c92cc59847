/*
** explain_summary.c — the grading part of a text explanation, and the one
** sentence of why a person got their grade ("单位内第 12 名 (共 40 人); 优秀
** 名额 8 个, 排名在名额内但不符合条件: ... 不成立 (...); ... 评为称职"),
** which heads the text and is the "summary" of the JSON form.
*/
#include "explain_text.h"

#include <string.h>

static const XRule NORULE = {NULL, 0};

/* " (a = 1, b = 2)", or "" for a formula that reads nothing. */
static const char *paren_inputs(TextR *r, const XFormula *f)
{
    return f->inputs.n ? arena_printf(r->tmp, " (%s)", text_inputs(r, f)) : "";
}

/* "part does not hold (its inputs)" for the first part of an eligibility
** condition that does not hold. */
static const char *failed_part(TextR *r, const XElig *el)
{
    Buf t = {0};
    TextR sub = *r;
    sub.b = &t;
    for (int i = 0; i < el->parts.n; i++) {
        const XPart *p = el->parts.items[i];
        if (!p->f || p->holds) continue;
        TPL(&sub, r->p->sum_fails, p->text, paren_inputs(r, p->f));
        break;
    }
    return text_keep(r, &t);
}

static void summary_step(TextR *r, const XStep *s)
{
    const Phrases *p = r->p;
    const XQuota *q = s->quota;
    if (s->outcome == XSTEP_WHEN_FALSE) {
        TPL(r, p->sum_fails, s->when->text, paren_inputs(r, s->when));
        return;
    }
    if (q) {
        TPL(r, p->sum_quota, s->grade, text_int(r, q->quota));
        buf_puts(r->b, p->list_sep);
    }
    bool within = q && q->given_before < q->quota;
    switch (s->outcome) {
    case XSTEP_QUOTA_FULL:
        buf_puts(r->b, p->sum_quota_full);
        if (s->elig && !s->elig->eligible) {
            buf_puts(r->b, p->sum_sep);
            TPL(r, p->sum_not_elig, s->grade, failed_part(r, s->elig));
        }
        return;
    case XSTEP_NOT_ELIGIBLE:
        if (within) {
            TPL(r, p->sum_within_not_elig, failed_part(r, s->elig));
            return;
        }
        if (q) {
            buf_puts(r->b, p->sum_quota_full);
            buf_puts(r->b, p->sum_sep);
        }
        TPL(r, p->sum_not_elig, s->grade, failed_part(r, s->elig));
        return;
    case XSTEP_GIVEN:
        if (q) {
            buf_puts(r->b, s->elig ? p->sum_within_elig : p->sum_within);
            buf_puts(r->b, p->list_sep);
        }
        if (s->when) {
            TPL(r, p->sum_holds, s->when->text, paren_inputs(r, s->when));
            buf_puts(r->b, p->list_sep);
        }
        TPL(r, p->sum_given, s->grade);
        return;
    default: return;
    }
}

static void summary_allocated(TextR *r, const Explanation *x)
{
    const XGrading *g = &x->grading;
    const Phrases *p = r->p;
    const char *size = text_int(r, g->group_size), *rank = text_int(r, g->rank);
    if (g->group)
        TPL(r, p->sum_rank_group, g->group, rank, size);
    else
        TPL(r, p->sum_rank_all, rank, size);
    if (g->override_ignored) {
        buf_puts(r->b, p->sum_sep);
        TPL(r, p->sum_override_ignored, g->override_col, text_val(r, g->override_val));
    }
    bool capped_told = false;
    for (int i = 0; i < g->steps.n; i++) {
        const XStep *s = g->steps.items[i];
        if (s->outcome == XSTEP_CAPPED && capped_told) continue;
        buf_puts(r->b, p->sum_sep);
        if (s->outcome == XSTEP_CAPPED) {
            capped_told = true;
            TPL(r, p->sum_capped, g->cap_veto->name, g->cap_grade);
            continue;
        }
        summary_step(r, s);
    }
}

void explain_summary(Buf *b, const Model *m, const Explanation *x, XLang lang)
{
    Arena tmp;
    arena_init(&tmp);
    TextR r = {b, m, explain_phrases(lang), lang, &tmp};
    const XGrading *g = &x->grading;
    const char *grade = text_val(&r, g->grade);
    switch (g->how) {
    case XHOW_NO_GRADES: TPL(&r, r.p->sum_no_grades, text_dec(&r, x->total)); break;
    case XHOW_FORCED: TPL(&r, r.p->sum_forced, g->by_veto->name, grade); break;
    case XHOW_UNGRADED: TPL(&r, r.p->sum_ungraded, g->by_veto->name); break;
    case XHOW_OVERRIDE:
        TPL(&r, r.p->sum_override, g->override_col, grade);
        for (int i = 0; i < g->quotas.n; i++)
            if (!strcmp(((const XQuota *)g->quotas.items[i])->grade, grade))
                TPL(&r, r.p->sum_override_quota, g->group ? g->group : r.p->everyone, grade);
        break;
    case XHOW_ALLOCATED: summary_allocated(&r, x); break;
    }
    buf_puts(b, r.p->sum_end);
    arena_free(&tmp);
}

/* ---- the grading section of the text ---- */

static void grading_place(TextR *r, const XGrading *g)
{
    const Phrases *p = r->p;
    const char *size = text_int(r, g->group_size);
    text_indent(r, 1);
    if (g->group) {
        Buf keys = {0};
        for (int i = 0; i < g->group_keys.n; i++) {
            const XFormula *k = g->group_keys.items[i];
            if (i) buf_puts(&keys, p->list_sep);
            buf_puts(&keys, text_assign(r, k->text, k->val));
        }
        TPL(r, p->group_line, g->group, text_keep(r, &keys), size);
    } else {
        TPL(r, p->all_line, size);
    }
    text_eol(r, g->group ? g->group_rule : NORULE);
    if (g->order.n) {
        Buf keys = {0};
        for (int i = 0; i < g->order.n; i++) {
            const XOrderKey *k = g->order.items[i];
            if (i) buf_puts(&keys, p->list_sep);
            buf_printf(&keys, "%s %s", k->text, text_assign(r, k->desc ? p->desc : p->asc, k->val));
        }
        text_indent(r, 1);
        TPL(r, p->order_line, text_keep(r, &keys));
        text_eol(r, NORULE);
    }
    text_indent(r, 1);
    TPL(r, p->rank_line, text_int(r, g->rank), size);
    text_eol(r, NORULE);
    if (g->override_col) {
        text_indent(r, 1);
        TPL(r, p->override_line, g->override_col, text_val(r, g->override_val));
        text_eol(r, NORULE);
    }
}

static void grading_quotas(TextR *r, const XGrading *g)
{
    for (int i = 0; i < g->quotas.n; i++) {
        const XQuota *q = g->quotas.items[i];
        text_indent(r, 1);
        TPL(r, r->p->quota_line, q->grade, text_int(r, q->quota));
        text_eol(r, q->rule);
        text_formula(r, q->f, 2, r->p->formula);
        int64_t left = q->quota > q->given_before ? q->quota - q->given_before : 0;
        text_indent(r, 2);
        TPL(r, r->p->quota_used, q->grade, text_int(r, q->given_before), text_int(r, left));
        text_eol(r, NORULE);
    }
}

static void grading_step(TextR *r, const XGrading *g, const XStep *s)
{
    const Phrases *p = r->p;
    text_indent(r, 2);
    switch (s->outcome) {
    case XSTEP_CAPPED: TPL(r, p->step_capped, s->grade, g->cap_veto->name, g->cap_grade); break;
    case XSTEP_WHEN_FALSE: TPL(r, p->step_when_false, s->grade); break;
    case XSTEP_NOT_ELIGIBLE: TPL(r, p->step_not_elig, s->grade); break;
    case XSTEP_QUOTA_FULL:
        TPL(r, p->step_quota_full, s->grade, text_int(r, s->quota->quota));
        break;
    case XSTEP_GIVEN: TPL(r, p->step_given, s->grade); break;
    }
    text_eol(r, s->rule);
    if (s->when) text_formula(r, s->when, 3, p->condition);
    if (s->outcome != XSTEP_NOT_ELIGIBLE) return;
    for (int i = 0; i < s->elig->parts.n; i++) {
        const XPart *part = s->elig->parts.items[i];
        if (!part->f || part->holds) continue;
        text_indent(r, 3);
        TPL(r, p->part_fails, part->text);
        text_eol(r, part->f->rule);
        break;
    }
}

void text_grading(TextR *r, const Explanation *x)
{
    const XGrading *g = &x->grading;
    const Phrases *p = r->p;
    text_section(r, p->sec_grade, g->how == XHOW_NO_GRADES ? NORULE : g->rule);
    if (g->how == XHOW_NO_GRADES) {
        text_indent(r, 1);
        buf_puts(r->b, p->no_grades);
        text_eol(r, NORULE);
        return;
    }
    grading_place(r, g);
    grading_quotas(r, g);
    if (g->steps.n) {
        text_indent(r, 1);
        buf_puts(r->b, p->steps);
        text_eol(r, NORULE);
        for (int i = 0; i < g->steps.n; i++)
            grading_step(r, g, g->steps.items[i]);
    }
    text_indent(r, 1);
    TPL(r, p->grade_line, text_val(r, g->grade));
    text_eol(r, NORULE);
}
