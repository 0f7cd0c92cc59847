/*
** tablematch.c — the tables of two schemes compared, then aligned (see
** tablematch.h). Reordering b's columns is safe because expressions refer
** to Column structs, and only a column's index says where its value sits in
** a parsed row.
*/
#include "tablematch.h"

#include <string.h>

typedef struct Pair {
    Model *a, *b;
    Diags *d;
} Pair;

static const char *scheme_path(const Model *m)
{
    return ((Program *)m->programs.items[0])->src->path;
}

static Table *table_named(const Model *m, const char *name)
{
    for (int i = 0; i < m->ntables; i++)
        if (strcmp(m->tables[i]->name, name) == 0) return m->tables[i];
    return NULL;
}

static Column *column_named(const Table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i]->name, name) == 0) return t->cols[i];
    return NULL;
}

/* The type as written: decimal, int?, -> depts, enum["好", "较好"]. */
static const char *type_text(Arena *ar, const Column *c)
{
    static const char *const names[] = {"text", "int", "decimal", "percent", "bool", "date"};
    char *s;
    if (c->kind == COL_REF) {
        s = arena_printf(ar, "-> %s", c->ref ? c->ref->name : "?");
    } else if (c->kind == COL_ENUM) {
        s = arena_strdup(ar, "enum[");
        const PtrVec *v = c->type.enum_vals;
        for (int i = 0; i < v->n; i++)
            s = arena_printf(ar, "%s%s\"%s\"", s, i ? ", " : "", (const char *)v->items[i]);
        s = arena_printf(ar, "%s]", s);
    } else {
        s = arena_strdup(ar, names[c->kind]);
    }
    return c->optional ? arena_printf(ar, "%s?", s) : s;
}

static bool has_value(const PtrVec *v, const char *s)
{
    for (int i = 0; i < v->n; i++)
        if (strcmp(v->items[i], s) == 0) return true;
    return false;
}

/* Enumerations match as sets: listing the values in another order changes nothing. */
static bool same_type(const Column *x, const Column *y)
{
    if (x->kind != y->kind || x->optional != y->optional) return false;
    if (x->kind == COL_REF) return x->ref && y->ref && strcmp(x->ref->name, y->ref->name) == 0;
    if (x->kind != COL_ENUM) return true;
    const PtrVec *u = x->type.enum_vals, *v = y->type.enum_vals;
    if (u->n != v->n) return false;
    for (int i = 0; i < u->n; i++)
        if (!has_value(v, u->items[i])) return false;
    return true;
}

static Span key_span(const Table *t)
{
    return t->decl->key_span;
}

/* The declaration `assess T` of a model. */
static Decl *assess_decl(const Model *m)
{
    for (int p = 0; p < m->programs.n; p++) {
        Program *prog = m->programs.items[p];
        for (int i = 0; i < prog->decls.n; i++)
            if (((Decl *)prog->decls.items[i])->kind == D_ASSESS) return prog->decls.items[i];
    }
    return NULL;
}

/* A table declared in one scheme but not in `lacks`. */
static bool missing_table(Pair *p, const Model *lacks, const Table *t)
{
    diag_at(p->d, DIAG_ERROR, t->src, t->span,
            "table '%s' is declared here but not in %s; both schemes read the same data, so "
            "they must declare the same tables",
            t->name, scheme_path(lacks));
    const Table *first = lacks->tables[0];
    diag_at(p->d, DIAG_NOTE, first->src, first->span, "the tables of %s are declared from here",
            scheme_path(lacks));
    return false;
}

/* A column of one scheme's table that the same table `other` of `lacks` does not declare. */
static bool missing_column(Pair *p, const Column *c, const Table *other, const Model *lacks)
{
    diag_at(p->d, DIAG_ERROR, c->src, c->span,
            "column '%s' of table %s is declared here but not in %s; both schemes read the same "
            "data, so their tables must match",
            c->name, c->table->name, scheme_path(lacks));
    diag_at(p->d, DIAG_NOTE, other->src, other->span, "table %s of %s has no column '%s'",
            other->name, scheme_path(lacks), c->name);
    return false;
}

static bool match_table(Pair *p, Table *ta, Table *tb)
{
    Arena *ar = p->b->arena;
    const Column *ka = ta->cols[ta->key_col], *kb = tb->cols[tb->key_col];
    if (strcmp(ka->name, kb->name) != 0) {
        diag_at(p->d, DIAG_ERROR, tb->src, key_span(tb),
                "table %s has the key '%s' here but '%s' in %s; both schemes read the same data, "
                "so their tables must match",
                tb->name, kb->name, ka->name, scheme_path(p->a));
        diag_at(p->d, DIAG_NOTE, ta->src, key_span(ta), "'%s' is the key of %s here", ka->name,
                ta->name);
        return false;
    }
    for (int i = 0; i < ta->ncols; i++) {
        Column *ca = ta->cols[i], *cb = column_named(tb, ca->name);
        if (!cb) return missing_column(p, ca, tb, p->b);
        if (same_type(ca, cb)) continue;
        diag_at(p->d, DIAG_ERROR, cb->src, cb->span,
                "column '%s' of table %s is %s here but %s in %s; both schemes read the same "
                "data, so their tables must match",
                cb->name, tb->name, type_text(ar, cb), type_text(ar, ca), scheme_path(p->a));
        diag_at(p->d, DIAG_NOTE, ca->src, ca->span, "'%s' is declared here as %s", ca->name,
                type_text(ar, ca));
        return false;
    }
    for (int i = 0; i < tb->ncols; i++)
        if (!column_named(ta, tb->cols[i]->name)) return missing_column(p, tb->cols[i], ta, p->a);
    return true;
}

static bool match_assessed(Pair *p)
{
    Table *ta = p->a->assessed, *tb = p->b->assessed;
    if (strcmp(ta->name, tb->name) == 0) return true;
    Decl *da = assess_decl(p->a), *db = assess_decl(p->b);
    diag_at(p->d, DIAG_ERROR, db->src, db->name_span,
            "this scheme assesses table %s but %s assesses %s; both must assess the same persons",
            tb->name, scheme_path(p->a), ta->name);
    diag_at(p->d, DIAG_NOTE, da->src, da->name_span, "%s assesses %s here", scheme_path(p->a),
            ta->name);
    return false;
}

/* b's columns in a's order; a stores what either reads. */
static void align(Table *ta, Table *tb, Arena *ar)
{
    Column **cols = ARENA_ARR(ar, Column *, tb->ncols);
    for (int i = 0; i < ta->ncols; i++) {
        Column *cb = column_named(tb, ta->cols[i]->name);
        cb->index = i;
        cols[i] = cb;
        if (cb->used) ta->cols[i]->used = true;
    }
    tb->cols = cols;
    tb->key_col = ta->key_col;
}

bool tables_match(Model *a, Model *b, Diags *d)
{
    Pair p = {a, b, d};
    for (int i = 0; i < a->ntables; i++) {
        Table *tb = table_named(b, a->tables[i]->name);
        if (!tb) return missing_table(&p, b, a->tables[i]);
        if (!match_table(&p, a->tables[i], tb)) return false;
    }
    for (int i = 0; i < b->ntables; i++)
        if (!table_named(a, b->tables[i]->name)) return missing_table(&p, a, b->tables[i]);
    if (!match_assessed(&p)) return false;
    for (int i = 0; i < a->ntables; i++)
        align(a->tables[i], table_named(b, a->tables[i]->name), b->arena);
    return true;
}
