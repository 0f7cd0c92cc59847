/*
** resolve_table.c — tables: column types, references between tables and the
** order they load in.
*/
#include "resolve_int.h"
#include "cell.h"

#include <string.h>

/* ---- tables ---- */

static const struct {
    const char *name;
    ColKind kind;
    BaseType base;
} col_types[] = {
    {"text", COL_TEXT, T_TEXT},     {"文本", COL_TEXT, T_TEXT},  {"int", COL_INT, T_NUM},
    {"整数", COL_INT, T_NUM},       {"decimal", COL_DEC, T_NUM}, {"小数", COL_DEC, T_NUM},
    {"number", COL_DEC, T_NUM},     {"数值", COL_DEC, T_NUM},    {"percent", COL_PERCENT, T_NUM},
    {"百分比", COL_PERCENT, T_NUM}, {"bool", COL_BOOL, T_BOOL},  {"布尔", COL_BOOL, T_BOOL},
    {"date", COL_DATE, T_DATE},     {"日期", COL_DATE, T_DATE},
};
#define NCOLTYPES (sizeof col_types / sizeof col_types[0])

static bool type_from_name(Resolver *r, TypeRef *t, ColKind *kind, Type *type)
{
    if (t->ref) return false;
    if (t->enum_vals.n) {
        *kind = COL_ENUM;
        type->base = T_TEXT;
        type->enum_vals = &t->enum_vals;
        return true;
    }
    for (size_t i = 0; i < NCOLTYPES; i++)
        if (strcmp(col_types[i].name, t->name) == 0) {
            *kind = col_types[i].kind;
            type->base = col_types[i].base;
            return true;
        }
    const char *cands[NCOLTYPES];
    for (size_t i = 0; i < NCOLTYPES; i++)
        cands[i] = col_types[i].name;
    const char *best = suggest_closest(t->name, cands, NCOLTYPES);
    if (best)
        RERR(r, t->span, "unknown type '%s' (did you mean '%s'?)", t->name, best);
    else
        RERR(r, t->span,
             "unknown type '%s' (expected text, int, decimal, percent, bool, date, enum[...] or -> "
             "table)",
             t->name);
    return false;
}

/* `x: int = 0`: the default must be a value the column could hold. Columns
** declared together (`a, b: int = 0`) share it; it is reported once. */
static void check_default(Resolver *r, Decl *d, Column *c, const ColumnDecl *cd, bool first)
{
    Cell *def = cd->type->def;
    const char *why = NULL;
    char err[700];
    if (strcmp(c->name, d->key) == 0)
        why = "the key column cannot have a default: every row names its own key";
    else if (c->optional)
        why = "a column with a default is never empty; drop the '?'";
    else if (!def->text[0])
        why = "a default cannot be empty; mark the column optional with '?' instead";
    if (why) {
        if (first) RERR(r, def->span, "column '%s': %s", c->name, why);
        return;
    }
    Value v;
    if (c->kind != COL_REF && c->type.base != T_ERROR &&
        !cell_parse(r->m, c, def->text, strlen(def->text), false, &v, err, sizeof err)) {
        if (first) RERR(r, def->span, "default of column '%s': %s", c->name, err);
        return;
    }
    c->def = def->text;
}

void declare_table(Resolver *r, Decl *d)
{
    Table *t = ARENA_NEW(r->arena, Table);
    t->name = d->name;
    t->span = d->name_span;
    t->src = d->src;
    t->decl = d;
    t->key_col = -1;
    t->cols = ARENA_ARR(r->arena, Column *, d->columns.n);
    for (int i = 0; i < d->columns.n; i++) {
        ColumnDecl *cd = d->columns.items[i];
        for (int j = 0; j < t->ncols; j++)
            if (strcmp(t->cols[j]->name, cd->name) == 0) {
                RERR(r, cd->span, "column '%s' is declared twice in table %s", cd->name, t->name);
                goto next;
            }
        Column *c = ARENA_NEW(r->arena, Column);
        c->name = cd->name;
        c->span = cd->span;
        c->src = d->src;
        c->table = t;
        c->index = t->ncols;
        c->optional = cd->type->optional;
        if (!cd->type->ref && type_from_name(r, cd->type, &c->kind, &c->type)) {
            if (c->kind == COL_ENUM) {
                PtrVec *ev = &cd->type->enum_vals;
                c->enum_ids = ARENA_ARR(r->arena, uint32_t, ev->n);
                for (int a = 0; a < ev->n; a++)
                    c->enum_ids[a] = intern_put(r->m->strings, ev->items[a], strlen(ev->items[a]));
                c->enum_keys = cell_enum_keys(r->arena, ev, c->enum_ids);
                for (int a = 0; a < ev->n; a++)
                    for (int b = a + 1; b < ev->n; b++)
                        if (strcmp(ev->items[a], ev->items[b]) == 0)
                            RERR(r, cd->type->span, "\"%s\" appears twice in the enumeration",
                                 (const char *)ev->items[a]);
            }
        } else if (cd->type->ref) {
            c->kind = COL_REF;
            c->type.base = T_TEXT; /* its value is the referenced row's key */
        }
        /* An unknown type was reported; its type stays T_ERROR. */
        if (cd->type->def)
            check_default(r, d, c, cd,
                          i == 0 || ((ColumnDecl *)d->columns.items[i - 1])->type != cd->type);
        if (strcmp(c->name, d->key) == 0) t->key_col = c->index;
        t->cols[t->ncols++] = c;
    next:;
    }
    if (t->key_col < 0) {
        /* The key column need not be listed: it is text. */
        Column *c = ARENA_NEW(r->arena, Column);
        c->name = d->key;
        c->span = d->key_span;
        c->src = d->src;
        c->table = t;
        c->kind = COL_TEXT;
        c->type.base = T_TEXT;
        Column **cols = ARENA_ARR(r->arena, Column *, t->ncols + 1);
        cols[0] = c;
        for (int i = 0; i < t->ncols; i++) {
            cols[i + 1] = t->cols[i];
            cols[i + 1]->index = i + 1;
        }
        t->cols = cols;
        t->ncols++;
        t->key_col = 0;
    } else if (t->cols[t->key_col]->kind != COL_TEXT && t->cols[t->key_col]->kind != COL_INT) {
        RERR(r, t->cols[t->key_col]->span, "the key column '%s' must be text or int", d->key);
    }
    Model *m = r->m;
    m->tables = ptrarr_append(r->arena, m->tables, &m->ntables, t);
    declare(r, t->name, t->span, SYM_TABLE, t);
}

/* "unknown table 'x'", with the closest table name when one is close. */
void unknown_table(Resolver *r, const char *name, Span span)
{
    const char *cands[64];
    size_t n = 0;
    for (int k = 0; k < r->m->ntables && n < 64; k++)
        cands[n++] = r->m->tables[k]->name;
    const char *best = suggest_closest(name, cands, n);
    if (best)
        RERR(r, span, "unknown table '%s' (did you mean '%s'?)", name, best);
    else
        RERR(r, span, "unknown table '%s'", name);
}

/* Was this declaration written with the Chinese keywords (表, 考核对象 ...)? */
bool written_in_chinese(const Source *src, Span span)
{
    return src && span.start < src->len && (unsigned char)src->text[span.start] >= 0x80;
}

void resolve_refs(Resolver *r)
{
    Model *m = r->m;
    for (int i = 0; i < m->ntables; i++) {
        Table *t = m->tables[i];
        r->src = t->src;
        for (int j = 0; j < t->decl->columns.n; j++) {
            ColumnDecl *cd = t->decl->columns.items[j];
            if (!cd->type->ref) continue;
            Column *c = NULL;
            for (int k = 0; k < t->ncols; k++)
                if (t->cols[k]->span.start == cd->span.start) c = t->cols[k];
            Sym *s = sym_find(r, cd->type->ref);
            if (!s || s->kind != SYM_TABLE) {
                unknown_table(r, cd->type->ref, cd->type->ref_span);
                continue;
            }
            if (c) {
                c->ref = s->ptr;
                c->ref->referenced = true;
            }
        }
    }
}

/* A table that could not be placed refers to another one that could not
** (other than itself); following such references from t ends in a cycle.
** Reports that cycle, unless an earlier call did (load_order -2 marks its
** tables). Returns whether t is part of, or leads to, a cycle. */
static bool report_table_cycle(Resolver *r, Table *t)
{
    PtrVec path = {0};
    Table *at = t;
    while (at && at->load_order == -1 && !ptrvec_has(&path, at)) {
        ptrvec_push(r->arena, &path, at);
        Table *next = NULL;
        for (int j = 0; j < at->ncols && !next; j++) {
            Column *c = at->cols[j];
            if (c->kind == COL_REF && c->ref && c->ref != at && c->ref->load_order < 0)
                next = c->ref;
        }
        at = next;
    }
    if (!at || at->load_order != -1) return at != NULL; /* leads to a cycle already reported */
    int from = 0;
    while (path.items[from] != at)
        from++;
    char *names = arena_strdup(r->arena, "");
    for (int i = from; i < path.n; i++) {
        Table *x = path.items[i];
        names = arena_printf(r->arena, "%s%s -> ", names, x->name);
        x->load_order = -2;
    }
    names = arena_printf(r->arena, "%s%s", names, at->name);
    r->src = at->src;
    RERR(r, at->span,
         "tables refer to each other in a cycle: %s (a table is loaded after the tables it "
         "refers to)",
         names);
    return true;
}

/* Parents load before children; a cycle of references cannot be loaded. */
void order_tables(Resolver *r)
{
    Model *m = r->m;
    int placed = 0;
    for (int i = 0; i < m->ntables; i++)
        m->tables[i]->load_order = -1;
    for (int round = 0; round < m->ntables && placed < m->ntables; round++) {
        for (int i = 0; i < m->ntables; i++) {
            Table *t = m->tables[i];
            if (t->load_order >= 0) continue;
            bool ready = true;
            for (int j = 0; j < t->ncols; j++) {
                Column *c = t->cols[j];
                if (c->kind == COL_REF && c->ref && c->ref != t && c->ref->load_order < 0)
                    ready = false;
                if (c->kind == COL_REF && c->ref == t)
                    ready = ready; /* self-reference: rows of the same table */
            }
            if (ready) t->load_order = placed++;
        }
    }
    bool cycle = false;
    for (int i = 0; i < m->ntables; i++)
        if (m->tables[i]->load_order < 0 && report_table_cycle(r, m->tables[i])) cycle = true;
    if (cycle) return;
    for (int i = 0; i < m->ntables; i++) {
        Table *t = m->tables[i];
        for (int j = 0; j < t->ncols; j++)
            if (t->cols[j]->kind == COL_REF && t->cols[j]->ref == t) {
                r->src = t->src;
                RERR(r, t->cols[j]->span, "a table cannot refer to itself");
            }
    }
}
