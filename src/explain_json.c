/*
** explain_json.c — an explanation as one JSON object on one line (JSON
** Lines, one person per line): the same facts as the text form, with the
** summary sentence in the chosen language and every other field language
** neutral. Numbers are written exactly, as in the results.
*/
#include "date.h"
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct J {
    Buf *b;
    const Model *m;
    bool first; /* no comma before the next member */
} J;

/* Bytes a JSON string cannot hold as they are; NUL ends the text. */
static const bool special[256] = {
    [0] = 1,  [1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,  [5] = 1,   [6] = 1,    [7] = 1,  [8] = 1,
    [9] = 1,  [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1,  [15] = 1,   [16] = 1, [17] = 1,
    [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1,  [24] = 1,   [25] = 1, [26] = 1,
    [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1, ['"'] = 1, ['\\'] = 1,
};

/* Appends s escaped, without quotes: plain runs are copied whole. */
static void escaped(J *j, const char *s)
{
    while (*s) {
        size_t n = 0;
        while (!special[(unsigned char)s[n]])
            n++;
        buf_put(j->b, s, n);
        s += n;
        if (!*s) return;
        unsigned char c = (unsigned char)*s++;
        if (c == '"' || c == '\\')
            buf_printf(j->b, "\\%c", c);
        else if (c == '\n')
            buf_puts(j->b, "\\n");
        else
            buf_printf(j->b, "\\u%04x", c);
    }
}

static void str(J *j, const char *s)
{
    buf_put(j->b, "\"", 1);
    escaped(j, s);
    buf_put(j->b, "\"", 1);
}

static void jopen(J *j, char c)
{
    buf_put(j->b, &c, 1);
    j->first = true;
}

static void jclose(J *j, char c)
{
    buf_put(j->b, &c, 1);
    j->first = false;
}

static void key(J *j, const char *k)
{
    if (!j->first) buf_put(j->b, ",", 1);
    j->first = false;
    if (k) {
        str(j, k);
        buf_put(j->b, ":", 1);
    }
}

static void kstr(J *j, const char *k, const char *s)
{
    key(j, k);
    if (s)
        str(j, s);
    else
        buf_puts(j->b, "null");
}

static void kbool(J *j, const char *k, bool v)
{
    key(j, k);
    buf_puts(j->b, v ? "true" : "false");
}

static void kint(J *j, const char *k, int64_t v)
{
    key(j, k);
    buf_printf(j->b, "%lld", (long long)v);
}

static void kdec(J *j, const char *k, Dec d)
{
    char buf[DEC_FMT_MAX];
    key(j, k);
    if (d == DEC_NULL) {
        buf_puts(j->b, "null");
        return;
    }
    dec_format(d, buf);
    buf_puts(j->b, buf);
}

static void kval(J *j, const char *k, XVal v)
{
    char buf[DEC_FMT_MAX];
    if (v.v.null) {
        key(j, k);
        buf_puts(j->b, "null");
        return;
    }
    switch (v.type) {
    case T_TEXT: kstr(j, k, intern_str(j->m->strings, v.v.t, NULL)); return;
    case T_BOOL: kbool(j, k, v.v.b); return;
    case T_DATE:
        date_format(v.v.d, buf);
        kstr(j, k, buf);
        return;
    default: kdec(j, k, v.v.n); return;
    }
}

static void krule(J *j, const char *k, XRule r)
{
    key(j, k);
    if (!r.src) {
        buf_puts(j->b, "null");
        return;
    }
    char line[16];
    buf_put(j->b, "\"", 1);
    escaped(j, r.src->path);
    buf_put(j->b, line, (size_t)snprintf(line, sizeof line, ":%u\"", (unsigned)r.line));
}

static const char *const input_kinds[] = {"column", "param", "value",   "relation",
                                          "group",  "list",  "function"};

static void formula(J *j, const char *k, const XFormula *f)
{
    key(j, k);
    if (!f) {
        buf_puts(j->b, "null");
        return;
    }
    jopen(j, '{');
    kstr(j, "text", f->text);
    krule(j, "rule", f->rule);
    kval(j, "value", f->val);
    key(j, "inputs");
    jopen(j, '[');
    for (int i = 0; i < f->inputs.n; i++) {
        const XInput *in = f->inputs.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "text", in->text);
        kstr(j, "kind", input_kinds[in->kind]);
        kval(j, "value", in->val);
        krule(j, "rule", in->rule);
        if (in->kind == XIN_PARAM) kbool(j, "set", in->overridden);
        jclose(j, '}');
    }
    jclose(j, ']');
    if (!f->conds.n) { /* most formulas have no `if` */
        jclose(j, '}');
        return;
    }
    key(j, "conditions");
    jopen(j, '[');
    for (int i = 0; i < f->conds.n; i++) {
        const XCond *c = f->conds.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "text", c->text);
        kbool(j, "holds", c->holds);
        jclose(j, '}');
    }
    jclose(j, ']');
    jclose(j, '}');
}

static void indicators(J *j, const Explanation *x)
{
    key(j, "indicators");
    jopen(j, '[');
    for (int i = 0; i < x->indicators.n; i++) {
        const XIndicator *xi = x->indicators.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "name", xi->name);
        krule(j, "rule", xi->rule);
        kstr(j, "parent", xi->parent);
        kint(j, "depth", xi->depth);
        kval(j, "value", xi->val);
        if (xi->weighted) {
            kdec(j, "weight", xi->weight);
            kstr(j, "weight_text", xi->weight_text);
        }
        kdec(j, "contribution", xi->contribution);
        key(j, "branches");
        jopen(j, '[');
        for (int k = 0; k < xi->branches.n; k++) {
            const XBranch *br = xi->branches.items[k];
            key(j, NULL);
            jopen(j, '{');
            formula(j, "when", br->cond);
            krule(j, "rule", br->rule);
            kbool(j, "holds", br->holds);
            jclose(j, '}');
        }
        jclose(j, ']');
        formula(j, "formula", xi->formula);
        jclose(j, '}');
    }
    jclose(j, ']');
}

static void items(J *j, const char *k, const XItems *it)
{
    key(j, k);
    jopen(j, '{');
    key(j, "items");
    jopen(j, '[');
    for (int i = 0; i < it->items.n; i++) {
        const XItem *item = it->items.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "name", item->name);
        krule(j, "rule", item->rule);
        formula(j, "formula", item->f);
        formula(j, "cap", item->cap);
        kdec(j, "value", item->value);
        kbool(j, "capped", item->cut);
        jclose(j, '}');
    }
    jclose(j, ']');
    kdec(j, "sum", it->sum);
    formula(j, "cap", it->cap);
    kdec(j, "total", it->total);
    kbool(j, "capped", it->cut);
    jclose(j, '}');
}

static void totals(J *j, const Explanation *x)
{
    kdec(j, "score", x->score);
    key(j, "values");
    jopen(j, '[');
    for (int i = 0; i < x->lets.n; i++) {
        const XNamed *n = x->lets.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "name", n->name);
        krule(j, "rule", n->rule);
        formula(j, "formula", n->f);
        jclose(j, '}');
    }
    jclose(j, ']');
    items(j, "bonus", &x->bonus);
    items(j, "penalty", &x->penalty);
    kdec(j, "total_before_adjustments", x->total_base);
    key(j, "adjustments");
    jopen(j, '[');
    for (int i = 0; i < x->adjusts.n; i++) {
        const XAdjust *ad = x->adjusts.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "name", ad->name);
        krule(j, "rule", ad->rule);
        formula(j, "condition", ad->cond);
        kbool(j, "applied", ad->applied);
        kdec(j, "before", ad->before);
        kdec(j, "after", ad->after);
        formula(j, "formula", ad->f);
        jclose(j, '}');
    }
    jclose(j, ']');
    kdec(j, "total", x->total);
}

static const char *const effects[] = {"force", "at_most", "ungraded"};

static void vetoes_and_eligibility(J *j, const Explanation *x)
{
    key(j, "vetoes");
    jopen(j, '[');
    for (int i = 0; i < x->vetoes.n; i++) {
        const XVeto *v = x->vetoes.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "name", v->name);
        krule(j, "rule", v->rule);
        formula(j, "condition", v->cond);
        kbool(j, "fired", v->fired);
        kstr(j, "effect", effects[v->effect]);
        kstr(j, "grade", v->grade);
        jclose(j, '}');
    }
    jclose(j, ']');
    key(j, "eligibility");
    jopen(j, '[');
    for (int i = 0; i < x->elig.n; i++) {
        const XElig *el = x->elig.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "grade", el->grade);
        krule(j, "rule", el->rule);
        kbool(j, "eligible", el->eligible);
        key(j, "parts");
        jopen(j, '[');
        for (int k = 0; k < el->parts.n; k++) {
            const XPart *p = el->parts.items[k];
            key(j, NULL);
            jopen(j, '{');
            kstr(j, "text", p->text);
            kbool(j, "checked", p->f != NULL);
            kbool(j, "holds", p->holds);
            formula(j, "formula", p->f);
            jclose(j, '}');
        }
        jclose(j, ']');
        jclose(j, '}');
    }
    jclose(j, ']');
}

static const char *const hows[] = {"none", "forced", "ungraded", "override", "allocated"};
static const char *const outcomes[] = {"capped", "condition_false", "not_eligible", "quota_full",
                                       "given"};

static void grading_place(J *j, const XGrading *g)
{
    kstr(j, "group", g->group);
    krule(j, "group_rule", g->group_rule);
    key(j, "group_keys");
    jopen(j, '[');
    for (int i = 0; i < g->group_keys.n; i++) {
        const XFormula *k = g->group_keys.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "text", k->text);
        kval(j, "value", k->val);
        jclose(j, '}');
    }
    jclose(j, ']');
    kint(j, "group_size", g->group_size);
    key(j, "order");
    jopen(j, '[');
    for (int i = 0; i < g->order.n; i++) {
        const XOrderKey *k = g->order.items[i];
        key(j, NULL);
        jopen(j, '{');
        kstr(j, "text", k->text);
        kbool(j, "desc", k->desc);
        kval(j, "value", k->val);
        jclose(j, '}');
    }
    jclose(j, ']');
    kint(j, "rank", g->rank);
}

static void grading(J *j, const XGrading *g)
{
    key(j, "grading");
    jopen(j, '{');
    kstr(j, "how", hows[g->how]);
    if (g->how != XHOW_NO_GRADES) {
        krule(j, "rule", g->rule);
        grading_place(j, g);
        key(j, "override");
        if (g->override_col) {
            jopen(j, '{');
            kstr(j, "column", g->override_col);
            kval(j, "value", g->override_val);
            kbool(j, "ignored", g->override_ignored);
            jclose(j, '}');
        } else {
            buf_puts(j->b, "null");
        }
        key(j, "quotas");
        jopen(j, '[');
        for (int i = 0; i < g->quotas.n; i++) {
            const XQuota *q = g->quotas.items[i];
            key(j, NULL);
            jopen(j, '{');
            kstr(j, "grade", q->grade);
            krule(j, "rule", q->rule);
            formula(j, "formula", q->f);
            kint(j, "quota", q->quota);
            kint(j, "given_before", q->given_before);
            jclose(j, '}');
        }
        jclose(j, ']');
        kstr(j, "veto", g->by_veto ? g->by_veto->name : NULL);
        kstr(j, "cap_veto", g->cap_veto ? g->cap_veto->name : NULL);
        kstr(j, "cap_grade", g->cap_grade);
        key(j, "steps");
        jopen(j, '[');
        for (int i = 0; i < g->steps.n; i++) {
            const XStep *s = g->steps.items[i];
            key(j, NULL);
            jopen(j, '{');
            kstr(j, "grade", s->grade);
            krule(j, "rule", s->rule);
            kstr(j, "outcome", outcomes[s->outcome]);
            formula(j, "condition", s->when);
            jclose(j, '}');
        }
        jclose(j, ']');
    }
    kval(j, "grade", g->grade);
    jclose(j, '}');
}

void explain_render_json(Buf *b, const Model *m, const Explanation *x, XLang lang)
{
    J j = {b, m, true};
    jopen(&j, '{');
    kstr(&j, "id", x->id);
    kstr(&j, "table", x->table);
    kstr(&j, "key", x->key_col);
    kstr(&j, "scheme", x->scheme);
    kstr(&j, "version", x->version);
    kstr(&j, "data", x->data_path);
    kint(&j, "data_line", x->data_line);
    kval(&j, "grade", x->grading.grade);
    Buf sum = {0};
    explain_summary(&sum, m, x, lang);
    kstr(&j, "summary", sum.p ? sum.p : "");
    free(sum.p);
    indicators(&j, x);
    totals(&j, x);
    vetoes_and_eligibility(&j, x);
    grading(&j, &x->grading);
    jclose(&j, '}');
    buf_puts(b, "\n");
}
