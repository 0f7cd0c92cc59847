/*
** coverage.c — after a run, how many persons each rule item fired for (see
** kaoping.h), so an analyst can find rules that never fire on real data and
** an author the rules no test exercises. Items are labelled as written, with
** the scheme's own keywords: "加分 表彰奖励", "指标 业务 当 category == ...".
*/
#include "scheme.h"
#include "xalloc.h"

#include <string.h>

typedef struct Cov {
    KpCoverage *c;
    Eval *ev;
    Model *m;
    Arena *a;
} Cov;

static void add_item(Cov *cv, const Source *src, Span at, const char *label, long long count)
{
    KpCoverage *c = cv->c;
    c->items = xrealloc(c->items, sizeof *c->items * (size_t)(c->n + 1));
    KpCoverItem *it = &c->items[c->n++];
    uint32_t line, col;
    source_linecol(src, at.start, &line, &col);
    it->path = xstrdup(src->path);
    it->line = line;
    it->col = col;
    it->label = xstrdup(label);
    it->count = count;
}

/* The keyword (or name) written at off: "加分", "bonus", "当", "否则" ... */
static const char *word_at(Arena *a, const Source *src, uint32_t off)
{
    const char *t = src->text + off;
    size_t n = 0;
    bool ascii = (unsigned char)t[0] < 0x80;
    while (off + n < src->len) {
        unsigned char ch = (unsigned char)t[n];
        bool letter = ch == '_' || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
        if (ascii ? !letter : ch < 0x80) break;
        n++;
    }
    return arena_strndup(a, t, n);
}

/* The source of a condition on one line, cut after 60 code points. */
static const char *snippet(Arena *a, const Source *src, Span sp)
{
    char *out = arena_alloc(a, (size_t)(sp.end - sp.start) + 4);
    source_flatten(src, sp, 60, out);
    return out;
}

static void cover_indicator(Cov *cv, Indicator *ind, const Source *src)
{
    ValueDef *v = cv->m->values[ind->value_id];
    for (int k = 0; k < ind->branches.n; k++) {
        Branch *b = ind->branches.items[k];
        long long count = 0;
        for (int32_t row = 0; v->choice && row < cv->ev->nrows; row++)
            count += v->choice[row] == k && indicator_active(cv->ev, ind, row);
        const char *label =
            arena_printf(cv->a, "%s %s %s%s%s", word_at(cv->a, src, ind->span.start), ind->name,
                         word_at(cv->a, src, b->span.start), b->cond ? " " : "",
                         b->cond ? snippet(cv->a, src, b->cond->span) : "");
        add_item(cv, src, b->span, label, count);
        for (int j = 0; j < b->children.n; j++)
            cover_indicator(cv, b->children.items[j], src);
    }
    for (int i = 0; i < ind->children.n; i++)
        cover_indicator(cv, ind->children.items[i], src);
}

static ValueDef *value_of(Model *m, const Decl *d)
{
    for (int i = 0; i < m->nvalues; i++)
        if (m->values[i]->decl == d && m->values[i]->kind != VAL_INDICATOR) return m->values[i];
    return NULL;
}

/* Bonus and penalty items fire when nonzero; an adjustment when its
** condition holds (always, without one). */
static long long count_value(Cov *cv, ValueDef *v)
{
    long long count = 0;
    for (int32_t row = 0; row < cv->ev->nrows; row++) {
        if (v->kind == VAL_ADJUST) {
            count += !v->cond || eval_cond(cv->ev, v->cond, row, "the adjustment's condition");
            continue;
        }
        Value x = value_get(cv->ev, v, row);
        count += !x.null && x.n != 0;
    }
    return count;
}

static void cover_grades(Cov *cv, Decl *d)
{
    Model *m = cv->m;
    const char *kw = word_at(cv->a, d->src, d->span.start);
    bool zh = (unsigned char)kw[0] >= 0x80;
    for (int i = 0; i < d->rules.n; i++) {
        GradeRule *rule = d->rules.items[i];
        int g = -1;
        for (int k = 0; k < m->ngrades; k++)
            if (m->grades[k].rule == rule) g = k;
        if (rule->name && g < 0) continue;
        long long count = 0;
        for (int32_t row = 0; row < cv->ev->nrows; row++)
            count += rule->name ? m->graded_by[row] == GRADED_BY_RULE &&
                                      m->v_grade->text[row] == m->grades[g].text_id
                                : m->graded_by[row] == GRADED_BY_OVERRIDE;
        const char *label = rule->name ? arena_printf(cv->a, "%s %s", kw, rule->name)
                                       : arena_printf(cv->a, "%s %s %s", kw,
                                                      zh ? "指定" : "override", rule->when->name);
        add_item(cv, d->src, rule->span, label, count);
    }
}

static void cover_decl(Cov *cv, Decl *d)
{
    Model *m = cv->m;
    const char *kw = word_at(cv->a, d->src, d->span.start);
    switch (d->kind) {
    case D_INDICATOR: cover_indicator(cv, d->ind, d->src); break;
    case D_BONUS:
    case D_PENALTY:
    case D_ADJUST: {
        ValueDef *v = value_of(m, d);
        if (v)
            add_item(cv, d->src, d->name_span, arena_printf(cv->a, "%s %s", kw, d->name),
                     count_value(cv, v));
        break;
    }
    case D_VETO:
        for (int i = 0; i < m->nvetoes; i++) {
            if (m->vetoes[i]->decl != d) continue;
            long long count = 0;
            for (int32_t row = 0; row < cv->ev->nrows; row++)
                count += (m->vetoes_fired[row] >> i) & 1;
            add_item(cv, d->src, d->name_span, arena_printf(cv->a, "%s %s", kw, d->name), count);
        }
        break;
    case D_GRADES:
        if (d == m->grades_decl && m->ngrades) cover_grades(cv, d);
        break;
    default: break;
    }
}

bool kp_coverage(KpScheme *s, KpCoverage *c)
{
    memset(c, 0, sizeof *c);
    if (!s->ran) return false;
    jmp_buf on_error;
    s->ev.on_error = &on_error;
    if (setjmp(on_error)) return false; /* conditions held when computed: not expected */
    Cov cv = {c, &s->ev, s->m, &s->arena};
    c->persons = s->ev.nrows;
    for (int p = 0; p < s->m->programs.n; p++) {
        Program *prog = s->m->programs.items[p];
        for (int i = 0; i < prog->decls.n; i++) {
            Decl *d = prog->decls.items[i];
            if (!d->in_test) cover_decl(&cv, d);
        }
    }
    return true;
}

void kp_coverage_free(KpCoverage *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->items[i].path);
        free(c->items[i].label);
    }
    free(c->items);
    memset(c, 0, sizeof *c);
}
