/*
** lint.c — warnings about schemes that are valid but probably not what
** their authors meant, checked once a scheme has resolved cleanly:
**   - a table that nothing reads (its file is still required);
**   - a param or value named like a column, which the column hides in
**     formulas (columns of the row come first in name lookup);
**   - a veto that can never change a grade, because an earlier veto fires on
**     the same condition and decides at least as much;
**   - a quota grade ranked without an explicit tie order;
**   - == or != between decimals computed by a division, a square root or an
**     average, which are exact only to 12 places.
*/
#include "resolve_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void warn(Model *m, const Source *src, Span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void warn(Model *m, const Source *src, Span at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_at(m->diags, DIAG_WARNING, src, at, "%s", msg);
}

/* ---- names hidden by columns ---- */

static const Table *table_with_column(const Model *m, const char *name, bool assessed_only)
{
    for (int i = 0; i < m->ntables; i++) {
        const Table *t = m->tables[i];
        if (assessed_only && t != m->assessed) continue;
        for (int j = 0; j < t->ncols; j++)
            if (strcmp(t->cols[j]->name, name) == 0) return t;
    }
    return NULL;
}

static void lint_shadowed(Model *m, const Source *main_src)
{
    for (int i = 0; i < m->nparams; i++) {
        const Param *p = m->params[i];
        const Table *t = table_with_column(m, p->name, false);
        if (!t || p->decl->src != main_src) continue;
        warn(m, p->decl->src, p->span,
             "param '%s' has the name of a column of %s; in formulas over %s rows '%s' means "
             "the column (rename one of them)",
             p->name, t->name, t->name, p->name);
    }
    for (int i = 0; i < m->nvalues; i++) {
        const ValueDef *v = m->values[i];
        if (v->kind != VAL_LET && v->kind != VAL_INDICATOR) continue;
        if (!v->decl || v->decl->src != main_src) continue;
        const Table *t = table_with_column(m, v->name, true);
        if (!t) continue;
        Span at = v->kind == VAL_INDICATOR ? v->ind->name_span : v->decl->name_span;
        warn(m, v->decl->src, at,
             "'%s' has the name of a column of %s; in formulas '%s' means the column, not this "
             "value (rename one of them)",
             v->name, t->name, v->name);
    }
}

/* ---- tables nothing reads ---- */

static void lint_unused_tables(Model *m, const Source *main_src)
{
    for (int i = 0; i < m->ntables; i++) {
        const Table *t = m->tables[i];
        if (t->assessed || t->referenced || t->src != main_src) continue;
        bool read = false;
        for (int k = 0; k < m->relaggs.n && !read; k++)
            read = ((const RelAgg *)m->relaggs.items[k])->child == t;
        if (read) continue;
        warn(m, t->src, t->span,
             "table '%s' is never used: no value reads it, yet %s.csv must still be given; "
             "use it or remove it",
             t->name, t->name);
    }
}

/* ---- vetoes that never decide ---- */

/* Does veto a, firing whenever b fires, leave b nothing to decide? Forced
** grades win over ungraded, which wins over caps; among forced grades and
** among caps, the lower grade wins. */
static bool dominates(const Veto *a, const Veto *b)
{
    switch (a->decl->effect) {
    case VETO_FORCE: return b->decl->effect != VETO_FORCE || b->grade <= a->grade;
    case VETO_UNGRADED: return b->decl->effect != VETO_FORCE;
    default: return b->decl->effect == VETO_CAP && b->grade <= a->grade;
    }
}

static void lint_vetoes(Model *m)
{
    for (int j = 1; j < m->nvetoes; j++) {
        const Veto *b = m->vetoes[j];
        char *cb = ast_dump_expr(m->arena, b->decl->cond);
        for (int i = 0; i < j; i++) {
            const Veto *a = m->vetoes[i];
            if (strcmp(ast_dump_expr(m->arena, a->decl->cond), cb) != 0 || !dominates(a, b))
                continue;
            warn(m, b->decl->src, b->decl->name_span,
                 "veto '%s' never changes a grade: veto '%s' fires on the same condition and "
                 "decides %s",
                 b->name, a->name,
                 a->decl->effect == VETO_FORCE ? "the grade" : "at least as much");
            break;
        }
    }
}

/* ---- quota grades without a tie order ---- */

static void lint_tie_order(Model *m, const Source *main_src)
{
    Decl *gd = m->grades_decl;
    if (!gd || gd->order.n >= 2 || gd->src != main_src) return;
    const GradeRule *quota = NULL;
    for (int i = 0; i < gd->rules.n && !quota; i++) {
        const GradeRule *g = gd->rules.items[i];
        if (g->name && g->quota) quota = g;
    }
    if (!quota) return;
    const char *key = m->assessed->cols[m->assessed->key_col]->name;
    warn(m, gd->src, gd->span,
         "grade '%s' has a quota but the ranking has no tie order: persons with equal keys are "
         "ranked by %s; write it out, e.g. 'by total desc, %s asc'",
         quota->name, key, key);
}

/* ---- exact comparison of inexact decimals ---- */

typedef struct EqCtx {
    Model *m;
    const Source *main_src;
    uint8_t *memo; /* per value: 0 not seen, 1 exact, 2 inexact */
} EqCtx;

static bool inexact(EqCtx *c, const Expr *e);

/* A value is inexact when its formula is: a let of a quotient stays one. */
static bool inexact_value(EqCtx *c, ValueDef *v)
{
    if (!c->memo[v->id]) {
        c->memo[v->id] = 1; /* no cycles after resolving; this only stops re-walking */
        bool x = v->kind == VAL_LET && inexact(c, v->formula);
        c->memo[v->id] = x ? 2 : 1;
    }
    return c->memo[v->id] == 2;
}

static bool inexact(EqCtx *c, const Expr *e)
{
    if (!e) return false;
    const Bound *b = e->bound;
    if (b && b->kind == B_VALUE) return inexact_value(c, b->val);
    if (e->kind == E_BINARY && e->op == OP_DIV) return true;
    if (e->kind == E_CALL && b) {
        if (b->kind == B_FUNC && b->fn == FN_SQRT) return true;
        /* rounding makes a value exact again */
        if (b->kind == B_FUNC &&
            (b->fn == FN_ROUND || b->fn == FN_ROUND_EVEN || b->fn == FN_FLOOR || b->fn == FN_CEIL))
            return false;
        if (b->kind == B_GROUPAGG && b->gagg &&
            (b->gagg->fn == FN_AVG || b->gagg->fn == FN_STDDEV || b->gagg->fn == FN_ZSCORE))
            return true;
        if (b->kind == B_LISTAGG && (b->fn == FN_AVG || b->fn == FN_STDDEV)) return true;
        if (b->kind == B_RELAGG && b->agg && b->agg->func == AGG_AVG) return true;
    }
    if (inexact(c, e->a) || inexact(c, e->b) || inexact(c, e->c)) return true;
    if (e->kind == E_CALL || e->kind == E_LIST)
        for (int i = 0; i < e->args.n; i++)
            if (inexact(c, e->args.items[i])) return true;
    return false;
}

static void check_eq(Expr *e, void *arg)
{
    EqCtx *c = arg;
    if (!e || !e->bound) return;
    if (e->kind == E_BINARY && (e->op == OP_EQ || e->op == OP_NE) && e->a->bound &&
        e->a->bound->type.base == T_NUM && e->src == c->main_src &&
        (inexact(c, e->a) || inexact(c, e->b))) {
        warn(c->m, e->src, e->span,
             "'%s' compares a quotient exactly (to 12 decimal places); round both sides first, "
             "e.g. round(x, 2) %s round(y, 2), or compare with a tolerance such as "
             "abs(x - y) < 0.001",
             e->op == OP_EQ ? "==" : "!=", e->op == OP_EQ ? "==" : "!=");
        return;
    }
    check_eq(e->a, arg);
    check_eq(e->b, arg);
    check_eq(e->c, arg);
    check_eq(e->where, arg);
    for (int i = 0; i < e->args.n; i++)
        check_eq(e->args.items[i], arg);
}

void lint_model(Model *m, const Source *main_src)
{
    lint_unused_tables(m, main_src);
    lint_shadowed(m, main_src);
    lint_vetoes(m);
    lint_tie_order(m, main_src);
    EqCtx c = {m, main_src, arena_alloc(m->arena, (size_t)m->nvalues + 1)};
    memset(c.memo, 0, (size_t)m->nvalues + 1);
    for (int i = 0; i < m->programs.n; i++)
        ast_walk(m->programs.items[i], check_eq, &c);
}
