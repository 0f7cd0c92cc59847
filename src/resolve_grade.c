/*
** resolve_grade.c — the grades block, vetoes and the `output` list.
*/
#include "resolve_int.h"

#include <string.h>

/* ---- grades and vetoes ---- */

int grade_index(Resolver *r, const char *name, Span span)
{
    Model *m = r->m;
    for (int i = 0; i < m->ngrades; i++)
        if (strcmp(m->grades[i].name, name) == 0) return i;
    const char *cands[64];
    size_t n = 0;
    for (int i = 0; i < m->ngrades && n < 64; i++)
        cands[n++] = m->grades[i].name;
    const char *best = suggest_closest(name, cands, n);
    if (!m->ngrades)
        RERR(r, span, "unknown grade '%s' (the scheme has no grades block)", name);
    else if (best)
        RERR(r, span, "unknown grade '%s' (did you mean '%s'?)", name, best);
    else
        RERR(r, span, "unknown grade '%s'", name);
    return -1;
}

void declare_grades(Resolver *r, Decl *d)
{
    Model *m = r->m;
    if (m->grades_decl) {
        RERR(r, d->span, "a scheme has only one grades block");
        return;
    }
    m->grades_decl = d;
    /* Interned now: grading runs after the loads, when the string table has
    ** given up its index (intern_drop_index). */
    m->ungraded_text = intern_put(m->strings, "不定等次", strlen("不定等次"));
    m->grades = ARENA_ARR(r->arena, Grade, d->rules.n);
    for (int i = 0; i < d->rules.n; i++) {
        GradeRule *g = d->rules.items[i];
        if (!g->name) continue;
        if (!declare(r, g->name, g->span, SYM_GRADE, g)) continue;
        m->grades[m->ngrades].name = g->name;
        m->grades[m->ngrades].rule = g;
        m->grades[m->ngrades].text_id = intern_put(m->strings, g->name, strlen(g->name));
        m->ngrades++;
    }
}

/* The import declaration that loaded the module `src`, or NULL. */
static Decl *importer_of(Resolver *r, const Source *src, const Source **from)
{
    PtrVec *progs = &r->m->programs;
    for (int p = 0; p < progs->n; p++) {
        Program *prog = progs->items[p];
        const char *slash = strrchr(prog->src->path, '/');
        int dirlen = slash ? (int)(slash - prog->src->path + 1) : 0;
        for (int i = 0; i < prog->decls.n; i++) {
            Decl *d = prog->decls.items[i];
            if (d->kind != D_IMPORT) continue;
            size_t n = strlen(d->name);
            bool has_ext = n > 3 && strcmp(d->name + n - 3, ".kp") == 0;
            /* As kaoping.c names what it loads: "<std/x>", or beside the importer. */
            const char *path = strncmp(d->name, "std/", 4) == 0
                                   ? arena_printf(r->arena, "<%s>", d->name)
                                   : arena_printf(r->arena, "%.*s%s%s", dirlen, prog->src->path,
                                                  d->name, has_ext ? "" : ".kp");
            if (strcmp(path, src->path) == 0) {
                *from = prog->src;
                return d;
            }
        }
    }
    return NULL;
}

/* `grades within G` names no symbol at all. */
static void unknown_group(Resolver *r, Decl *d)
{
    Model *m = r->m;
    const char *cands[64];
    size_t n = 0;
    for (int i = 0; i < m->ngroups && n < 64; i++)
        cands[n++] = m->groups[i]->name;
    const char *best = suggest_closest(d->within, cands, n);
    if (best)
        RERR(r, d->within_span, "unknown group '%s' (did you mean '%s'?)", d->within, best);
    else
        RERR(r, d->within_span, "unknown group '%s'", d->within);
    /* A module's grades block counts on the scheme that imports it for the group. */
    const Source *from = NULL;
    Decl *imp = importer_of(r, d->src, &from);
    if (!imp) return;
    /* The module's other uses of the name (count(G) in a quota) say nothing new. */
    ptrvec_push(r->arena, &r->poisoned, (void *)d->within);
    bool zh = written_in_chinese(from, imp->span);
    diag_at(r->diags, DIAG_NOTE, from, imp->span,
            "\"%s\" expects the scheme that imports it to declare the group '%s', e.g. '%s %s = "
            "%s %s ...'",
            imp->name, d->within, zh ? "分组" : "group", d->within, m->assessed->name,
            zh ? "按" : "by");
}

void resolve_grades(Resolver *r)
{
    Model *m = r->m;
    Decl *d = m->grades_decl;
    if (!d) return;
    r->src = d->src;
    ValueDef *v = m->v_grade;
    Ctx pc = {.kind = CTX_PERSON, .owner = v};
    if (d->within) {
        Sym *s = sym_find(r, d->within);
        if (s && s->kind == SYM_GROUP) {
            s->used = true;
            m->grade_group = s->ptr;
        } else if (s) {
            RERR(r, d->within_span, "'%s' is a %s, not a group; grades are given within a group",
                 d->within, sym_kind_names[s->kind]);
        } else {
            unknown_group(r, d);
        }
    }
    for (int i = 0; i < d->order.n; i++) {
        OrderKey *k = d->order.items[i];
        Type t = resolve_expr(r, k->e, &pc);
        if (t.list || t.base == T_BOOL) RERR(r, k->e->span, "cannot order by a %s", type_name(t));
    }
    bool unconditional_seen = false;
    const char *uncond_name = NULL;
    GradeRule *override_rule = NULL;
    for (int i = 0; i < d->rules.n; i++) {
        GradeRule *g = d->rules.items[i];
        if (!g->name && override_rule) {
            RERR(r, g->span, "a grades block has only one 'override' line");
            diag_at(r->diags, DIAG_NOTE, r->src, override_rule->span,
                    "the first 'override' line is here");
            continue;
        }
        if (!g->name) {
            override_rule = g;
            Column *c = NULL;
            for (int j = 0; j < m->assessed->ncols; j++)
                if (strcmp(m->assessed->cols[j]->name, g->when->name) == 0)
                    c = m->assessed->cols[j];
            if (!c)
                RERR(r, g->span, "unknown column '%s' in table %s", g->when->name,
                     m->assessed->name);
            else if (c->type.base != T_TEXT || c->kind == COL_REF)
                RERR(r, g->span, "the override column '%s' must be text", c->name);
            else if (!c->optional)
                RWARN(
                    r, g->span,
                    "the override column '%s' is not optional ('?'), so every person is overridden",
                    c->name);
            if (c) c->used = c->pinned = true; /* read as grades are given */
            m->override_col = c;
            continue;
        }
        if (g->quota) expect_type(r, g->quota, resolve_expr(r, g->quota, &pc), T_NUM, "a quota");
        if (g->when)
            expect_type(r, g->when, resolve_expr(r, g->when, &pc), T_BOOL, "a grade condition");
        if (g->require)
            expect_type(r, g->require, resolve_expr(r, g->require, &pc), T_BOOL,
                        "an eligibility condition");
        /* A grade declared twice was reported: it is no grade of its own. */
        bool declared = false;
        for (int k = 0; k < m->ngrades && !declared; k++)
            declared = m->grades[k].rule == g;
        if (!declared) continue;
        if (unconditional_seen)
            RWARN(r, g->span, "grade '%s' can never be given: everyone gets '%s' before it",
                  g->name, uncond_name);
        if (!g->quota && !g->when && !g->require && !unconditional_seen) {
            unconditional_seen = true;
            uncond_name = g->name;
        }
    }
    if (m->ngrades && !unconditional_seen)
        RWARN(r, m->grades_decl->span,
              "the last grade has conditions; a person who meets none of them is an error at run "
              "time");
}

void resolve_veto(Resolver *r, Decl *d)
{
    Model *m = r->m;
    if (m->nvetoes == 64) {
        RERR(r, d->name_span, "too many vetoes (at most 64)");
        return;
    }
    Veto *v = ARENA_NEW(r->arena, Veto);
    v->name = d->name;
    v->decl = d;
    v->effect = d->effect;
    v->grade = d->effect == VETO_UNGRADED ? -1 : grade_index(r, d->grade, d->grade_span);
    Ctx pc = {.kind = CTX_PERSON, .owner = m->v_grade};
    expect_type(r, d->cond, resolve_expr(r, d->cond, &pc), T_BOOL, "a veto's condition");
    for (int i = 0; i < m->nvetoes; i++)
        if (strcmp(m->vetoes[i]->name, v->name) == 0)
            RERR(r, d->name_span, "veto '%s' is declared twice", v->name);
    m->vetoes = ptrarr_append(r->arena, m->vetoes, &m->nvetoes, v);
}

/* `output a, b`: lets shown in the results beside the indicators. */
void resolve_output(Resolver *r, Decl *d)
{
    for (int i = 0; i < d->keys.n; i++) {
        Expr *e = d->keys.items[i];
        Sym *s = e->kind == E_NAME ? sym_find(r, e->name) : NULL;
        if (e->kind != E_NAME) {
            RERR(r, e->span, "'output' lists names of values");
            continue;
        }
        if (!s || s->kind != SYM_VALUE || ((ValueDef *)s->ptr)->kind != VAL_LET) {
            RERR(r, e->span, "'%s' is not a value declared with 'let'%s", e->name,
                 s && s->kind == SYM_VALUE ? " (indicators, items and totals are always shown)"
                                           : "");
            continue;
        }
        ValueDef *v = s->ptr;
        for (int k = 0; k < r->m->outputs.n; k++)
            if (r->m->outputs.items[k] == v) {
                RERR(r, e->span, "'%s' is already listed in 'output'", e->name);
                v = NULL;
                break;
            }
        if (!v) continue;
        s->used = true;
        v->shown = true;
        ptrvec_push(r->arena, &r->m->outputs, v);
    }
}
