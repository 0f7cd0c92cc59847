/*
** explain_grade.c — how grading went for one person: the grading group and
** the person's place in it, the quotas there and how many of each were given
** before the person's turn, the override, and the grade-by-grade reasoning
** of grade.c replayed for this row (vetoes decide first, then an override,
** then the first grade, in rank order, whose condition and eligibility hold
** and whose quota is not used up).
*/
#include "explain.h"

#include <string.h>

typedef struct Decision {
    XHow how;
    int veto;     /* the veto that forced or left ungraded */
    int cap;      /* best grade allowed */
    int cap_veto; /* the veto that set the cap, or -1 */
    int override; /* grade named by the override column, or -1 */
    bool override_ignored;
} Decision;

static int grade_of_text(const Model *m, uint32_t t)
{
    for (int g = 0; g < m->ngrades; g++)
        if (m->grades[g].text_id == t) return g;
    return -1;
}

/* The decision grade.c took for a row before allocation, from the vetoes
** that fired and the override column. */
static Decision decide(const Model *m, int32_t row)
{
    Decision d = {XHOW_ALLOCATED, -1, 0, -1, -1, false};
    uint64_t bits = m->vetoes_fired[row];
    int forced = -1, ungraded = -1;
    for (int i = 0; i < m->nvetoes; i++) {
        if (!(bits >> i & 1)) continue;
        const Veto *v = m->vetoes[i];
        if (v->effect == VETO_FORCE && v->grade > forced) forced = v->grade, d.veto = i;
        if (v->effect == VETO_UNGRADED && ungraded < 0) ungraded = i;
        if (v->effect == VETO_CAP && v->grade > d.cap) d.cap = v->grade, d.cap_veto = i;
    }
    if (forced >= 0) {
        d.how = XHOW_FORCED;
        return d;
    }
    if (ungraded >= 0) {
        d.how = XHOW_UNGRADED;
        d.veto = ungraded;
        return d;
    }
    if (m->override_col && m->override_col->text[row] != INTERN_NONE) {
        d.override = grade_of_text(m, m->override_col->text[row]);
        if (d.override >= d.cap)
            d.how = XHOW_OVERRIDE;
        else
            d.override_ignored = true;
    }
    return d;
}

/* Walks each group in rank order (the order grade.c allocated in) and
** counts, for every row, how many of each quota grade its group had given
** before its turn: all overrides (they come first, in no rank order), then
** the allocations to those ranked before it. */
void explain_prepare(ExplainRun *r, Eval *ev)
{
    Model *m = ev->m;
    int32_t n = ev->nrows;
    r->ev = ev;
    r->qslot = ev_alloc(ev, sizeof(int) * (size_t)(m->ngrades + 1));
    r->nq = 0;
    for (int g = 0; g < m->ngrades; g++)
        r->qslot[g] = m->grades[g].rule->quota ? r->nq++ : -1;
    if (!r->nq || !n) return;
    size_t nq = (size_t)r->nq;
    r->given = ev_alloc(ev, sizeof(int32_t) * (size_t)n * nq);
    const int32_t *gid = m->grade_group ? m->grade_group->gid : NULL;
    int32_t ngroups = m->grade_group ? m->grade_group->ngroups : 1;
    int32_t *start = ev_alloc(ev, sizeof(int32_t) * (size_t)(ngroups + 1));
    int32_t *over = ev_alloc(ev, sizeof(int32_t) * (size_t)ngroups * nq);
    int32_t *perm = ev_alloc(ev, sizeof(int32_t) * (size_t)n);
    int8_t *self = ev_alloc(ev, (size_t)n); /* quota slot an override takes, or -1 */
    uint8_t *alloc = ev_alloc(ev, (size_t)n);
    for (int32_t row = 0; row < n; row++) {
        int32_t g = gid ? gid[row] : 0;
        start[g + 1]++;
        Decision d = decide(m, row);
        alloc[row] = d.how == XHOW_ALLOCATED;
        self[row] = d.how == XHOW_OVERRIDE ? (int8_t)r->qslot[d.override] : -1;
        if (self[row] >= 0) over[(size_t)g * nq + (size_t)self[row]]++;
    }
    for (int32_t g = 0; g < ngroups; g++)
        start[g + 1] += start[g];
    for (int32_t row = 0; row < n; row++) {
        int64_t rank = 0;
        dec_to_int64(value_get(ev, m->v_rank, row).n, &rank);
        perm[start[gid ? gid[row] : 0] + rank - 1] = row;
    }
    int32_t *count = ev_alloc(ev, sizeof(int32_t) * nq);
    for (int32_t g = 0; g < ngroups; g++) {
        memset(count, 0, sizeof(int32_t) * nq);
        for (int32_t i = start[g]; i < start[g + 1]; i++) {
            int32_t row = perm[i];
            /* an overridden person's own place is not one given before it */
            for (size_t s = 0; s < nq; s++)
                r->given[(size_t)row * nq + s] =
                    over[(size_t)g * nq + s] - (self[row] == (int)s) + count[s];
            int gi = grade_of_text(m, m->v_grade->text[row]);
            if (alloc[row] && gi >= 0 && r->qslot[gi] >= 0) count[r->qslot[gi]]++;
        }
    }
    ev_free(ev, count);
    ev_free(ev, alloc);
    ev_free(ev, self);
    ev_free(ev, perm);
    ev_free(ev, over);
    ev_free(ev, start);
}

static XElig *elig_of(const Explanation *out, const char *grade)
{
    for (int i = 0; i < out->elig.n; i++)
        if (((XElig *)out->elig.items[i])->grade == grade) return out->elig.items[i];
    return NULL;
}

static XQuota *quota_of(const XGrading *g, const char *grade)
{
    for (int i = 0; i < g->quotas.n; i++)
        if (((XQuota *)g->quotas.items[i])->grade == grade) return g->quotas.items[i];
    return NULL;
}

static void place_in_group(XCtx *x, XGrading *g)
{
    Model *m = x->m;
    Group *G = m->grade_group;
    g->group_size = x->ev->nrows;
    if (G) {
        g->group = G->name;
        g->group_rule = explain_rule(G->src, G->span);
        g->group_size = G->size[G->gid[x->row]];
        for (int k = 0; k < G->keys.n; k++)
            ptrvec_push(x->a, &g->group_keys, explain_formula(x, G->keys.items[k]));
    }
    Decl *gd = m->grades_decl;
    for (int k = 0; k < gd->order.n; k++) {
        OrderKey *ok = gd->order.items[k];
        XOrderKey *xk = ARENA_NEW(x->a, XOrderKey);
        XFormula *f = explain_formula(x, ok->e);
        xk->text = f->text;
        xk->desc = ok->desc;
        xk->val = f->val;
        ptrvec_push(x->a, &g->order, xk);
    }
    dec_to_int64(value_get(x->ev, m->v_rank, x->row).n, &g->rank);
}

static void collect_quotas(ExplainRun *r, XCtx *x, XGrading *g)
{
    Model *m = x->m;
    for (int gi = 0; gi < m->ngrades; gi++) {
        GradeRule *rule = m->grades[gi].rule;
        if (!rule->quota) continue;
        XQuota *q = ARENA_NEW(x->a, XQuota);
        q->grade = m->grades[gi].name;
        q->rule = explain_rule(m->grades_decl->src, rule->span);
        q->f = explain_formula(x, rule->quota);
        dec_to_int64(q->f->val.v.n, &q->quota);
        q->given_before = r->given[(size_t)x->row * (size_t)r->nq + (size_t)r->qslot[gi]];
        ptrvec_push(x->a, &g->quotas, q);
    }
}

/* grade.c's allocation for this row, grade by grade, up to the one given. */
static void replay_allocation(XCtx *x, const Explanation *out, XGrading *g, const Decision *d)
{
    Model *m = x->m;
    for (int gi = 0; gi < m->ngrades; gi++) {
        GradeRule *rule = m->grades[gi].rule;
        XStep *s = ARENA_NEW(x->a, XStep);
        s->grade = m->grades[gi].name;
        s->rule = explain_rule(m->grades_decl->src, rule->span);
        s->elig = elig_of(out, s->grade);
        s->quota = quota_of(g, s->grade);
        ptrvec_push(x->a, &g->steps, s);
        if (gi < d->cap) {
            s->outcome = XSTEP_CAPPED;
            continue;
        }
        if (rule->when) {
            s->when = explain_formula(x, rule->when);
            if (!s->when->val.v.b) {
                s->outcome = XSTEP_WHEN_FALSE;
                continue;
            }
        }
        if (m->eligible[(size_t)x->row * (size_t)m->ngrades + (size_t)gi] == 0) {
            s->outcome = XSTEP_NOT_ELIGIBLE;
            continue;
        }
        if (s->quota && s->quota->given_before >= s->quota->quota) {
            s->outcome = XSTEP_QUOTA_FULL;
            continue;
        }
        s->outcome = XSTEP_GIVEN;
        return;
    }
}

void explain_grading(ExplainRun *r, XCtx *x, Explanation *out)
{
    Model *m = x->m;
    XGrading *g = &out->grading;
    g->how = XHOW_NO_GRADES;
    if (!m->ngrades) return;
    Decl *gd = m->grades_decl;
    g->rule = explain_rule(gd->src, gd->span);
    place_in_group(x, g);
    collect_quotas(r, x, g);
    if (m->override_col) {
        g->override_col = m->override_col->name;
        g->override_val = (XVal){column_get(m->override_col, x->row), T_TEXT, false};
    }
    Decision d = decide(m, x->row);
    g->how = d.how;
    g->override_ignored = d.override_ignored;
    if (d.veto >= 0) g->by_veto = out->vetoes.items[d.veto];
    if (d.cap_veto >= 0) {
        g->cap_veto = out->vetoes.items[d.cap_veto];
        g->cap_grade = m->grades[d.cap].name;
    }
    g->grade = (XVal){value_get(x->ev, m->v_grade, x->row), T_TEXT, false};
    if (d.how == XHOW_ALLOCATED) replay_allocation(x, out, g, &d);
}
