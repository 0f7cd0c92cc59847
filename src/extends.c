/*
** extends.c — a scheme that extends another (see extends.h).
**
** The merge works on declarations, before names are resolved: the result is
** the base's list with each change applied where the base had the item, so
** evaluation and output order stay the base's, and additions at the end.
** A change must name something the base has (else an error with the closest
** name), and a plain declaration must not repeat a base name (else an error
** pointing at `replace`): a misspelling is never a silent addition.
*/
#include "extends.h"

#include <string.h>

static const char *kind_word(DeclKind k)
{
    switch (k) {
    case D_PARAM: return "param";
    case D_LET: return "value";
    case D_INDICATOR: return "indicator";
    case D_BONUS: return "bonus";
    case D_PENALTY: return "penalty";
    case D_BONUS_CAP: return "bonus cap";
    case D_PENALTY_CAP: return "penalty cap";
    case D_ADJUST: return "adjustment";
    case D_VETO: return "veto";
    case D_GRADES: return "grades";
    case D_GRADE_RULE: return "grade";
    case D_PERIOD: return "period";
    case D_FUNC: return "function";
    case D_GROUP: return "group";
    case D_TABLE: return "table";
    default: return "declaration";
    }
}

typedef struct Merge {
    Arena *a;
    Diags *d;
    PtrVec decls; /* the merged list */
    const char *base_path;
} Merge;

/* ---- finding what the base declares ---- */

static int find_decl(const Merge *mg, DeclKind k, const char *name)
{
    for (int i = 0; i < mg->decls.n; i++) {
        const Decl *x = mg->decls.items[i];
        if (x->kind == k && (!name || (x->name && strcmp(x->name, name) == 0))) return i;
    }
    return -1;
}

/* An indicator anywhere in a tree, with the list that holds it. */
static Indicator *find_in_tree(Indicator *ind, const char *name, PtrVec **holder)
{
    PtrVec *lists[64];
    int nl = 0;
    lists[nl++] = &ind->children;
    for (int b = 0; b < ind->branches.n && nl < 64; b++)
        lists[nl++] = &((Branch *)ind->branches.items[b])->children;
    for (int l = 0; l < nl; l++)
        for (int i = 0; i < lists[l]->n; i++) {
            Indicator *k = lists[l]->items[i];
            if (strcmp(k->name, name) == 0) {
                *holder = lists[l];
                return k;
            }
            Indicator *deeper = find_in_tree(k, name, holder);
            if (deeper) return deeper;
        }
    return NULL;
}

/* A nested indicator (top-level ones are found as declarations). */
static Indicator *find_nested(const Merge *mg, const char *name, PtrVec **holder)
{
    for (int i = 0; i < mg->decls.n; i++) {
        const Decl *x = mg->decls.items[i];
        if (x->kind != D_INDICATOR) continue;
        Indicator *hit = find_in_tree(x->ind, name, holder);
        if (hit) return hit;
    }
    return NULL;
}

static void tree_names(Arena *a, const Indicator *ind, PtrVec *out)
{
    ptrvec_push(a, out, (void *)ind->name);
    for (int i = 0; i < ind->children.n; i++)
        tree_names(a, ind->children.items[i], out);
    for (int b = 0; b < ind->branches.n; b++) {
        const Branch *br = ind->branches.items[b];
        for (int i = 0; i < br->children.n; i++)
            tree_names(a, br->children.items[i], out);
    }
}

static GradeRule *find_rule(const Merge *mg, const char *name, PtrVec **holder)
{
    int g = find_decl(mg, D_GRADES, NULL);
    if (g < 0) return NULL;
    Decl *gd = mg->decls.items[g];
    for (int i = 0; i < gd->rules.n; i++) {
        GradeRule *r = gd->rules.items[i];
        if (r->name && strcmp(r->name, name) == 0) {
            *holder = &gd->rules;
            return r;
        }
    }
    return NULL;
}

/* "no bonus '表彰' in the base scheme (did you mean '表彰奖励'?)" */
static void not_in_base(Merge *mg, const Decl *dd)
{
    PtrVec cands = {0};
    for (int i = 0; i < mg->decls.n; i++) {
        const Decl *x = mg->decls.items[i];
        if (dd->kind == D_INDICATOR && x->kind == D_INDICATOR)
            tree_names(mg->a, x->ind, &cands);
        else if (dd->kind == D_GRADE_RULE && x->kind == D_GRADES)
            for (int k = 0; k < x->rules.n; k++) {
                const GradeRule *r = x->rules.items[k];
                if (r->name) ptrvec_push(mg->a, &cands, (void *)r->name);
            }
        else if (x->kind == dd->kind && x->name)
            ptrvec_push(mg->a, &cands, (void *)x->name);
    }
    const char *best =
        dd->name ? suggest_closest(dd->name, (const char *const *)cands.items, (size_t)cands.n)
                 : NULL;
    const char *verb = dd->change == CHANGE_REMOVE ? "remove" : "replace";
    if (!dd->name)
        diag_at(mg->d, DIAG_ERROR, dd->src, dd->span, "the base scheme \"%s\" has no %s to %s",
                mg->base_path, kind_word(dd->kind), verb);
    else if (best)
        diag_at(mg->d, DIAG_ERROR, dd->src, dd->name_span,
                "the base scheme \"%s\" has no %s '%s' to %s (did you mean '%s'?)", mg->base_path,
                kind_word(dd->kind), dd->name, verb, best);
    else
        diag_at(mg->d, DIAG_ERROR, dd->src, dd->name_span,
                "the base scheme \"%s\" has no %s '%s' to %s", mg->base_path, kind_word(dd->kind),
                dd->name, verb);
}

/* ---- the changes ---- */

static void remove_at(PtrVec *v, int i)
{
    memmove(&v->items[i], &v->items[i + 1], sizeof(void *) * (size_t)(v->n - i - 1));
    v->n--;
}

static void remove_ptr(PtrVec *v, const void *p)
{
    for (int i = 0; i < v->n; i++)
        if (v->items[i] == p) {
            remove_at(v, i);
            return;
        }
}

/* Weight, formula or sub-indicators: what the replacement gives, the rest kept. */
static void replace_indicator(Merge *mg, Decl *dd)
{
    Indicator *with = dd->ind, *old = NULL;
    PtrVec *holder = NULL;
    int top = find_decl(mg, D_INDICATOR, dd->name);
    if (top >= 0) {
        Decl *base = mg->decls.items[top];
        old = base->ind;
        bool body = with->formula || with->children.n || with->branches.n;
        if (body && with->weight) { /* the whole declaration */
            mg->decls.items[top] = dd;
            return;
        }
    } else {
        old = find_nested(mg, dd->name, &holder);
    }
    if (!old) {
        not_in_base(mg, dd);
        return;
    }
    if (with->weight) old->weight = with->weight;
    if (with->formula || with->children.n || with->branches.n) {
        old->formula = with->formula;
        old->children = with->children;
        old->branches = with->branches;
    }
}

static void replace_grade_rule(Merge *mg, Decl *dd)
{
    PtrVec *holder = NULL;
    GradeRule *old = find_rule(mg, dd->name, &holder), *with = dd->rules.items[0];
    if (!old) {
        not_in_base(mg, dd);
        return;
    }
    if (with->quota) old->quota = with->quota;
    if (with->when) old->when = with->when;
    if (with->require) old->require = with->require;
}

static void apply_replace(Merge *mg, Decl *dd)
{
    if (dd->kind == D_INDICATOR) {
        replace_indicator(mg, dd);
        return;
    }
    if (dd->kind == D_GRADE_RULE) {
        replace_grade_rule(mg, dd);
        return;
    }
    bool unnamed = dd->kind == D_BONUS_CAP || dd->kind == D_PENALTY_CAP || dd->kind == D_GRADES ||
                   dd->kind == D_PERIOD;
    int i = find_decl(mg, dd->kind, unnamed ? NULL : dd->name);
    if (i < 0) {
        not_in_base(mg, dd);
        return;
    }
    Decl *base = mg->decls.items[i];
    if (dd->kind == D_PARAM && !dd->type) dd->type = base->type; /* a new value, the same type */
    mg->decls.items[i] = dd;
}

static void apply_remove(Merge *mg, Decl *dd)
{
    if (dd->kind == D_GRADE_RULE) {
        PtrVec *holder = NULL;
        GradeRule *old = find_rule(mg, dd->name, &holder);
        if (old)
            remove_ptr(holder, old);
        else
            not_in_base(mg, dd);
        return;
    }
    int i = find_decl(mg, dd->kind, dd->name);
    if (i >= 0) {
        remove_at(&mg->decls, i);
        return;
    }
    PtrVec *holder = NULL;
    Indicator *nested = dd->kind == D_INDICATOR ? find_nested(mg, dd->name, &holder) : NULL;
    if (nested)
        remove_ptr(holder, nested);
    else
        not_in_base(mg, dd);
}

/* A plain declaration that repeats a base name would be read as a second
** declaration; say how to change the base's instead. */
static bool repeats_base(Merge *mg, const Decl *dd)
{
    int i = -1;
    PtrVec *holder = NULL;
    const Decl *base = NULL;
    Span at = {0, 0};
    if (dd->kind == D_GRADES || dd->kind == D_PERIOD) {
        i = find_decl(mg, dd->kind, NULL);
    } else if (dd->name && dd->kind != D_IMPORT && dd->kind != D_ASSESS) {
        i = find_decl(mg, dd->kind, dd->name);
        if (i < 0 && dd->kind == D_INDICATOR) {
            Indicator *n = find_nested(mg, dd->name, &holder);
            for (int k = 0; n && k < mg->decls.n && !base; k++) {
                const Decl *x = mg->decls.items[k];
                PtrVec *h;
                if (x->kind == D_INDICATOR && find_in_tree(x->ind, dd->name, &h)) base = x;
            }
            if (n) at = n->name_span;
        }
    }
    if (i >= 0) {
        base = mg->decls.items[i];
        at = base->kind == D_GRADES || base->kind == D_PERIOD ? base->span : base->name_span;
    }
    if (!base) return false;
    bool block = dd->kind == D_GRADES || dd->kind == D_PERIOD;
    diag_at(mg->d, DIAG_ERROR, dd->src, block ? dd->span : dd->name_span,
            "the base scheme \"%s\" already declares %s%s%s%s; to change it, write 'replace' "
            "(替换) before the declaration; to drop it, 'remove' (删除)",
            mg->base_path, block ? "" : kind_word(dd->kind), dd->name ? " '" : "",
            dd->name ? dd->name
            : block  ? kind_word(dd->kind)
                     : "",
            dd->name ? "'" : "");
    diag_at(mg->d, DIAG_NOTE, base->src, at, "declared here");
    return true;
}

void extends_merge(Arena *a, Diags *d, const Program *base, Program *derived)
{
    Merge mg = {a, d, {0}, base->src->path};
    for (int i = 0; i < base->decls.n; i++)
        ptrvec_push(a, &mg.decls, base->decls.items[i]);
    for (int i = 0; i < derived->decls.n; i++) {
        Decl *dd = derived->decls.items[i];
        if (dd->change == CHANGE_REPLACE)
            apply_replace(&mg, dd);
        else if (dd->change == CHANGE_REMOVE)
            apply_remove(&mg, dd);
        else if (!repeats_base(&mg, dd))
            ptrvec_push(a, &mg.decls, dd);
    }
    derived->decls = mg.decls;
    if (!derived->version) derived->version = base->version;
}

/* The keyword a change starts with: replace, remove, 替换 or 删除. */
static Span keyword_span(const Decl *dd)
{
    const char *t = dd->src->text + dd->span.start;
    uint32_t n = strncmp(t, "replace", 7) == 0 ? 7 : 6;
    return (Span){dd->span.start, dd->span.start + n};
}

void extends_check_plain(Diags *d, const Program *p)
{
    for (int i = 0; i < p->decls.n; i++) {
        const Decl *dd = p->decls.items[i];
        if (dd->change == CHANGE_NONE) continue;
        diag_at(d, DIAG_ERROR, dd->src, keyword_span(dd),
                "'%s' changes a base scheme, but this one extends none (add 'extends \"FILE\"' "
                "after the scheme's name)",
                dd->change == CHANGE_REPLACE ? "replace" : "remove");
    }
}
