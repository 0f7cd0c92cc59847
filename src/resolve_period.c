/*
** resolve_period.c — the assessment period (考核期) and params whose value
** changes with it (`param 优秀比例 = 20% from "2020-06-01", 15% before`).
**
** The value in force on the last day of the period is the param's value:
** appraisals are made at the end of the period, under the rules then in
** force. Without a period the newest value applies. A period that ends more
** than a year after a param's newest date gets a warning: a stale value
** used silently is what users of general rules engines complain about most.
*/
#include "date.h"
#include "resolve_int.h"

#include <string.h>

/* A date written in a string literal; reports and returns false when bad. */
static bool parse_day(Resolver *r, const char *s, Span at, int32_t *out)
{
    if (date_parse(s, strlen(s), out)) return true;
    RERR(r, at, "\"%s\" is not a date (expected YYYY-MM-DD)", s);
    return false;
}

static void find_period(Resolver *r)
{
    Model *m = r->m;
    for (int p = 0; p < m->programs.n; p++) {
        Program *prog = m->programs.items[p];
        for (int i = 0; i < prog->decls.n; i++) {
            Decl *d = prog->decls.items[i];
            if (d->kind != D_PERIOD) continue;
            r->src = d->src;
            if (m->period_decl) {
                RERR(r, d->span, "the assessment period is declared twice");
                continue;
            }
            int32_t a, b;
            if (!parse_day(r, d->key, d->key_span, &a) ||
                !parse_day(r, d->table, d->table_span, &b))
                continue;
            if (b < a) {
                RERR(r, d->table_span, "the period ends (%s) before it starts (%s)", d->table,
                     d->key);
                continue;
            }
            m->period_decl = d;
            m->period_start = a;
            m->period_end = b;
        }
    }
}

/* Chooses the value of one dated param and leaves it in d->expr. */
static void choose_value(Resolver *r, Decl *d)
{
    Model *m = r->m;
    r->src = d->src;
    DatedValue *chosen = NULL, *newest = NULL, *before = NULL;
    int32_t newest_day = INT32_MIN, chosen_day = INT32_MIN;
    for (int i = 0; i < d->dated.n; i++) {
        DatedValue *v = d->dated.items[i];
        if (!v->from) {
            if (before) RERR(r, v->at, "param '%s' has two values 'before'", d->name);
            before = v;
            continue;
        }
        int32_t day;
        if (!parse_day(r, v->from, v->at, &day)) return;
        for (int k = 0; k < i; k++) {
            DatedValue *w = d->dated.items[k];
            if (w->from && strcmp(w->from, v->from) == 0)
                RERR(r, v->at, "param '%s' has two values from %s", d->name, v->from);
        }
        if (day > newest_day) newest_day = day, newest = v;
        bool in_force = !m->period_decl || day <= m->period_end;
        if (in_force && day > chosen_day) chosen_day = day, chosen = v;
    }
    if (!chosen) chosen = m->period_decl ? before : newest;
    if (!chosen) {
        char end[16];
        date_format(m->period_end, end);
        RERR(r, d->name_span,
             "param '%s' has no value in force when the period ends (%s): its values start "
             "later; add one with 'before'",
             d->name, end);
        return;
    }
    d->expr = chosen->value;
    if (m->period_decl && newest && m->period_end - newest_day > 365) {
        char end[16];
        date_format(m->period_end, end);
        RWARN(r, newest->at,
              "stale parameter: the newest value of '%s' is from %s, more than a year before "
              "the period ends (%s); check that it is still in force",
              d->name, newest->from, end);
    }
}

void resolve_dated_params(Resolver *r)
{
    Model *m = r->m;
    find_period(r);
    for (int i = 0; i < m->nparams; i++) {
        Decl *d = m->params[i]->decl;
        if (d->dated.n) choose_value(r, d);
    }
}
