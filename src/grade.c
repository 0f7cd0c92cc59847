/*
** grade.c — vetoes, eligibility, quotas and the allocation of grades by rank
** within each grading group.
**
** Per group, persons are ordered by the declared keys (ties broken by the
** table key, ascending). A veto decides first (forced grade, then ungraded,
** then a cap); then a grade override from the data; everyone else, in rank
** order, gets the first grade whose condition and eligibility hold, which no
** cap forbids and whose quota is not used up.
*/
#include "eval.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct Decision {
    int8_t forced; /* grade index, -1 none */
    int8_t cap;    /* best grade allowed */
    bool ungraded;
    bool overridden;
} Decision;

/* A veto's condition or a grade's requirement, and where its answer for
** each row goes. */
typedef struct CondRows {
    Expr *e;
    const char *what;
    int index;  /* the veto's, or the grade's */
    Veto *veto; /* or NULL: a requirement */
    Decision *dec;
} CondRows;

/* Rows [ev->lo, ev->hi) of a condition, a batch at a time, each answer put
** to use at once: rows are split between threads, every row's state is its
** own, and putting an answer to use twice (rows a block gave back are
** computed again) leaves what once did. */
static void cond_rows(Eval *ev, void *ctx)
{
    CondRows *c = ctx;
    Model *m = ev->m;
    size_t ng = (size_t)m->ngrades;
    Veto *v = c->veto;
    int32_t rows[EVAL_BATCH];
    uint8_t x[EVAL_BATCH];
    for (int32_t start = ev->lo; start < ev->hi; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->hi, rows);
        vec_bool(ev, c->e, rows, n, NULL, x);
        for (int i = 0; i < n; i++) {
            int32_t row = start + i;
            if (x[i] == 2)
                eval_fail(ev, c->e, row, "%s is empty (it uses a value that is absent)", c->what);
            if (!v) {
                m->eligible[(size_t)row * ng + (size_t)c->index] = x[i];
                continue;
            }
            if (!x[i]) continue;
            Decision *d = &c->dec[row];
            m->vetoes_fired[row] |= 1ull << c->index;
            if (v->effect == VETO_FORCE && v->grade > d->forced) d->forced = (int8_t)v->grade;
            if (v->effect == VETO_UNGRADED) d->ungraded = true;
            if (v->effect == VETO_CAP && v->grade > d->cap) d->cap = (int8_t)v->grade;
        }
    }
}

static void apply_vetoes(Eval *ev, Decision *dec)
{
    Model *m = ev->m;
    for (int32_t row = 0; row < ev->nrows; row++)
        dec[row].forced = -1;
    for (int i = 0; i < m->nvetoes; i++) {
        CondRows c = {m->vetoes[i]->decl->cond, "the veto's condition", i, m->vetoes[i], dec};
        eval_rows_split(ev, cond_rows, &c, NULL);
    }
}

static void eligibility(Eval *ev)
{
    Model *m = ev->m;
    size_t ng = (size_t)m->ngrades;
    for (int gi = 0; gi < m->ngrades; gi++) {
        GradeRule *rule = m->grades[gi].rule;
        CondRows c = {rule->require, "the eligibility condition", gi, NULL, NULL};
        if (rule->require)
            eval_rows_split(ev, cond_rows, &c, NULL);
        else
            for (int32_t row = 0; row < ev->nrows; row++)
                m->eligible[(size_t)row * ng + (size_t)gi] = 2;
    }
}

static int override_grade(Eval *ev, int32_t row)
{
    Model *m = ev->m;
    uint32_t t = m->override_col->text[row];
    if (t == INTERN_NONE) return -1;
    for (int g = 0; g < m->ngrades; g++)
        if (m->grades[g].text_id == t) return g;
    GradeRule *rule = NULL;
    for (int i = 0; i < m->grades_decl->rules.n && !rule; i++) {
        GradeRule *r = m->grades_decl->rules.items[i];
        if (!r->name) rule = r;
    }
    eval_fail(ev, rule->when, row, "override \"%s\" in column '%s' is not a grade",
              intern_str(m->strings, t, NULL), m->override_col->name);
}

/* The quota of one row: a whole number of persons. */
static int64_t quota_of(Eval *ev, GradeRule *rule, int32_t row, Value v)
{
    int64_t k;
    if (v.null) eval_fail(ev, rule->quota, row, "the quota of '%s' has no value", rule->name);
    if (!dec_to_int64(v.n, &k) || k < 0) {
        char buf[DEC_FMT_MAX];
        dec_format(v.n, buf);
        eval_fail(ev, rule->quota, row,
                  "the quota of '%s' must be a whole number of persons, not %s (round it with "
                  "floor, round or ceil)",
                  rule->name, buf);
    }
    return k;
}

typedef struct QuotaRows {
    GradeRule *rule;
    int64_t *k; /* per row */
} QuotaRows;

static void quota_rows(Eval *ev, void *ctx)
{
    QuotaRows *c = ctx;
    int32_t rows[EVAL_BATCH];
    Value vals[EVAL_BATCH];
    for (int32_t start = ev->lo; start < ev->hi; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->hi, rows);
        eval_vec(ev, c->rule->quota, rows, n, NULL, vals);
        for (int i = 0; i < n; i++)
            c->k[start + i] = quota_of(ev, c->rule, start + i, vals[i]);
    }
}

/* Quota per group; it must be a whole number and the same for all members.
** Worked out for every row on two threads; when a row fails, again in row
** order, for the error that order meets first (a row differing from its
** group's first can come before the row that failed). */
static int64_t *group_quotas(Eval *ev, GradeRule *rule, const int32_t *gid, int32_t ngroups)
{
    int64_t *q = ev_alloc(ev, sizeof(int64_t) * (size_t)(ngroups ? ngroups : 1));
    int32_t *first = ev_alloc(ev, sizeof(int32_t) * (size_t)(ngroups ? ngroups : 1));
    for (int32_t g = 0; g < ngroups; g++)
        first[g] = -1;
    QuotaRows c = {rule, ev_alloc_unset(ev, sizeof(int64_t) * (size_t)(ev->nrows ? ev->nrows : 1))};
    bool all = eval_rows_try(ev, quota_rows, &c);
    int32_t rows[EVAL_BATCH];
    Value vals[EVAL_BATCH];
    for (int32_t row = 0; row < ev->nrows; row++) {
        int i = row % EVAL_BATCH;
        if (i == 0 && !all) {
            int n = ev->nrows - row < EVAL_BATCH ? ev->nrows - row : EVAL_BATCH;
            for (int k = 0; k < n; k++)
                rows[k] = row + k;
            eval_vec(ev, rule->quota, rows, n, NULL, vals);
        }
        int64_t k = all ? c.k[row] : quota_of(ev, rule, row, vals[i]);
        int32_t g = gid ? gid[row] : 0;
        if (first[g] < 0) {
            first[g] = row;
            q[g] = k;
        } else if (q[g] != k) {
            eval_fail(ev, rule->quota, row,
                      "the quota of '%s' differs within one group: %lld here, %lld for %s",
                      rule->name, (long long)k, (long long)q[g],
                      intern_str(ev->m->strings, ev->m->assessed->key_text[first[g]], NULL));
        }
    }
    ev_free(ev, c.k);
    ev_free(ev, first);
    return q;
}

typedef struct WhenRows {
    Expr *e;
    uint8_t *out;
} WhenRows;

static void when_rows(Eval *ev, void *ctx)
{
    WhenRows *c = ctx;
    int32_t rows[EVAL_BATCH];
    for (int32_t start = ev->lo; start < ev->hi; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->hi, rows);
        vec_bool(ev, c->e, rows, n, NULL, c->out + start);
    }
}

/* Each grade's condition for every row, when it cannot fail: reading it for
** rows that never reach the grade changes nothing. NULL where the condition
** is left to eval_cond, row by row in rank order. */
static uint8_t **when_columns(Eval *ev)
{
    Model *m = ev->m;
    uint8_t **when = ev_alloc(ev, sizeof(uint8_t *) * (size_t)m->ngrades);
    for (int gi = 0; gi < m->ngrades; gi++) {
        Expr *e = m->grades[gi].rule->when;
        if (!e || !expr_infallible(e)) continue;
        when[gi] = ev_alloc_unset(ev, (size_t)(ev->nrows ? ev->nrows : 1));
        WhenRows c = {e, when[gi]};
        eval_rows_split(ev, when_rows, &c, NULL);
    }
    return when;
}

static void allocate(Eval *ev, const int32_t *perm, const int32_t *gid, Decision *dec,
                     int64_t **remaining)
{
    Model *m = ev->m;
    ValueDef *vg = m->v_grade;
    uint8_t **when = when_columns(ev);
    for (int32_t i = 0; i < ev->nrows; i++) {
        int32_t row = perm[i];
        if (vg->text[row] != INTERN_NONE) continue;
        int32_t g = gid ? gid[row] : 0;
        int chosen = -1;
        for (int gi = dec[row].cap; gi < m->ngrades && chosen < 0; gi++) {
            GradeRule *rule = m->grades[gi].rule;
            if (when[gi] && when[gi][row] == 2)
                eval_fail(ev, rule->when, row,
                          "the grade's condition is empty (it uses a value that is absent)");
            if (when[gi] ? !when[gi][row]
                         : rule->when && !eval_cond(ev, rule->when, row, "the grade's condition"))
                continue;
            if (m->eligible[(size_t)row * m->ngrades + gi] == 0) continue;
            if (rule->quota && remaining[gi][g] <= 0) continue;
            chosen = gi;
        }
        if (chosen < 0) {
            Decl *gd = m->grades_decl;
            Expr at = {.src = gd->src, .span = {gd->span.start, gd->span.start + 1}};
            char total[DEC_FMT_MAX];
            dec_format(value_get(ev, m->v_total, row).n, total);
            eval_fail(
                ev, &at, row,
                "no grade applies to this person (total %s); give the last grade no condition",
                total);
        }
        if (m->grades[chosen].rule->quota) remaining[chosen][g]--;
        vg->text[row] = m->grades[chosen].text_id;
    }
    for (int gi = 0; gi < m->ngrades; gi++)
        ev_free(ev, when[gi]);
    ev_free(ev, when);
}

/* Vetoes, eligibility, quotas and overrides: everything decided before the
** grades are handed out in rank order. */
static int64_t **decide(Eval *ev, Decision *dec, const int32_t *gid, int32_t ngroups,
                        uint32_t ungraded)
{
    Model *m = ev->m;
    ValueDef *vg = m->v_grade;
    int32_t n = ev->nrows;
    apply_vetoes(ev, dec);
    for (int32_t row = 0; row < n; row++) {
        if (dec[row].forced >= 0)
            vg->text[row] = m->grades[dec[row].forced].text_id;
        else if (dec[row].ungraded)
            vg->text[row] = ungraded;
        if (vg->text[row] != INTERN_NONE) m->graded_by[row] = GRADED_BY_VETO;
    }
    eligibility(ev);
    int64_t **remaining = ev_alloc(ev, (size_t)((size_t)m->ngrades) * sizeof(int64_t *));
    for (int gi = 0; gi < m->ngrades; gi++)
        if (m->grades[gi].rule->quota) {
            remaining[gi] = group_quotas(ev, m->grades[gi].rule, gid, ngroups);
            /* kept for explanations: remaining[] is used up by the allocation */
            size_t bytes = sizeof(int64_t) * (size_t)(ngroups ? ngroups : 1);
            m->grades[gi].quota = ev_alloc(ev, bytes);
            memcpy(m->grades[gi].quota, remaining[gi], bytes);
        }
    for (int32_t row = 0; m->override_col && row < n; row++) {
        if (vg->text[row] != INTERN_NONE) continue;
        int gi = override_grade(ev, row);
        if (gi < 0 || gi < dec[row].cap) continue; /* a veto's cap outranks an override */
        vg->text[row] = m->grades[gi].text_id;
        m->graded_by[row] = GRADED_BY_OVERRIDE;
        int32_t g = gid ? gid[row] : 0;
        if (remaining[gi] && --remaining[gi][g] < 0)
            eval_fail(ev, m->grades[gi].rule->quota, row,
                      "more persons are set to '%s' by override than its quota allows",
                      m->grades[gi].name);
    }
    return remaining;
}

/* Decides, then gives the grades in the rank order that job works out
** meanwhile on a second thread. An error on the way waits for the job and
** drops it before it goes on to the caller. */
static void grade_in_rank_order(Eval *ev, RankJob *job, Decision *dec, const int32_t *gid,
                                int32_t ngroups, uint32_t ungraded)
{
    jmp_buf *outer = ev->on_error, here;
    if (setjmp(here)) {
        ev->on_error = outer;
        rank_free(ev, job);
        longjmp(*outer, 1);
    }
    ev->on_error = &here;
    Model *m = ev->m;
    int64_t **remaining = decide(ev, dec, gid, ngroups, ungraded);
    int32_t *perm = rank_end(ev, job);
    for (int32_t i = 0, pos = 0; i < ev->nrows; i++) {
        pos = (i > 0 && (!gid || gid[perm[i]] == gid[perm[i - 1]])) ? pos + 1 : 1;
        numcol_set(&m->v_rank->num, perm[i], dec_from_int(pos));
    }
    allocate(ev, perm, gid, dec, remaining);
    for (int gi = 0; gi < m->ngrades; gi++)
        ev_free(ev, remaining[gi]);
    ev_free(ev, remaining);
    ev->on_error = outer;
}

void grade_compute(Eval *ev)
{
    Model *m = ev->m;
    int32_t n = ev->nrows;
    size_t nn = (size_t)(n ? n : 1);
    ValueDef *vg = m->v_grade, *vr = m->v_rank;
    vg->text = ev_alloc(ev, (size_t)(nn) * sizeof(uint32_t));
    numcol_reserve(&vr->num, (int32_t)nn);
    m->vetoes_fired = ev_alloc(ev, (size_t)(nn) * sizeof(uint64_t));
    m->eligible = ev_alloc(ev, (size_t)(nn * (size_t)(m->ngrades ? m->ngrades : 1)) * 1);
    m->graded_by = ev_alloc(ev, nn);
    vg->computed = vr->computed = true; /* set early: grading reads no value that reads grades */
    if (!m->ngrades) return;
    Group *G = m->grade_group;
    if (G) group_build(ev, G);
    const int32_t *gid = G ? G->gid : NULL;
    int32_t ngroups = G ? G->ngroups : 1;
    Decision *dec = ev_alloc(ev, (size_t)(nn) * sizeof(Decision));
    uint32_t ungraded = m->ungraded_text;
    RankJob *job = rank_begin(ev, gid, ngroups);
    grade_in_rank_order(ev, job, dec, gid, ngroups, ungraded);
    rank_free(ev, job);
    ev_free(ev, dec);
}
