/*
** doc.c — the head of the scheme's document, its params, tables, assessed
** table and groups, the helpers the other section writers share, and the
** order of the sections. Nothing here depends on the time or the machine:
** the same scheme and --set values always give the same bytes.
*/
#include "doc.h"
#include "date.h"
#include "expr_print.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DASH "—"

/* ---- helpers ---- */

const char *doc_fmt(DocCtx *c, Phrase p, ...)
{
    va_list ap, ap2;
    va_start(ap, p);
    va_copy(ap2, ap);
    const char *fmt = tr(c->lang, p);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = arena_alloc(c->a, (size_t)(n < 0 ? 0 : n) + 1);
    if (n > 0) vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    va_end(ap);
    return s;
}

const char *doc_expr(DocCtx *c, const Expr *e)
{
    return e ? expr_print(c->a, e, EXPR_READABLE, c->lang) : DASH;
}

void doc_section(DocCtx *c, Phrase title)
{
    char num[32];
    tr_section_number(c->lang, ++c->section, num, sizeof num);
    docbuf_heading(c->b, 2, arena_printf(c->a, "%s%s", num, tr(c->lang, title)));
}

const char *doc_origin(DocCtx *c, const Source *src)
{
    if (!src || src == c->main) return NULL;
    const char *p = src->path;
    size_t n = strlen(p);
    /* The standard library's modules are named "<std/x>". */
    if (n > 2 && p[0] == '<' && p[n - 1] == '>') return arena_strndup(c->a, p + 1, n - 2);
    return p;
}

const char *doc_join(DocCtx *c, const char *const *items, int n)
{
    const char *sep = tr(c->lang, PH_LIST_SEP);
    const char *s = "";
    for (int i = 0; i < n; i++)
        s = arena_printf(c->a, "%s%s%s", s, i ? sep : "", items[i]);
    return s;
}

const char *doc_number(DocCtx *c, Dec v, bool percent)
{
    char buf[DEC_FMT_MAX + 2];
    if (percent)
        expr_format_percent(v, buf);
    else
        dec_format(v, buf);
    return arena_strdup(c->a, buf);
}

static const char *comment_at(DocCtx *c, const Source *src, uint32_t off)
{
    size_t len = 0;
    const char *s = source_comment_after(src, off, &len);
    return s ? arena_strndup(c->a, s, len) : NULL;
}

/* A remark and the module the declaration comes from, either or both. */
static const char *note(DocCtx *c, const char *remark, const Source *src)
{
    const char *from = doc_origin(c, src);
    if (!from) return remark;
    const char *origin = doc_fmt(c, PH_FROM_MODULE, from);
    return remark ? doc_fmt(c, PH_PAREN, remark, origin) : origin;
}

/* ---- head ---- */

static void head(DocCtx *c)
{
    Model *m = c->m;
    const char *name = m->scheme_name ? m->scheme_name : tr(c->lang, PH_UNTITLED);
    const char *title = m->version ? doc_fmt(c, PH_TITLE, name, m->version) : name;
    c->b->title = title;
    docbuf_heading(c->b, 1, title);
    docbuf_para(c->b, doc_fmt(c, PH_GENERATED, c->main->path));
    const char **mods = ARENA_ARR(c->a, const char *, m->programs.n);
    int nmods = 0;
    for (int i = 1; i < m->programs.n; i++)
        mods[nmods++] = doc_origin(c, ((Program *)m->programs.items[i])->src);
    if (nmods) docbuf_para(c->b, doc_fmt(c, PH_IMPORTS, doc_join(c, mods, nmods)));
    const char **set = ARENA_ARR(c->a, const char *, m->nparams + 1);
    int nset = 0;
    for (int i = 0; i < m->nparams; i++)
        if (m->params[i]->overridden) set[nset++] = m->params[i]->name;
    if (nset) docbuf_para(c->b, doc_fmt(c, PH_OVERRIDES, doc_join(c, set, nset)));
}

/* ---- params ---- */

static const Phrase param_types[] = {
    [PARAM_NUM] = TY_DECIMAL, [PARAM_PERCENT] = TY_PERCENT, [PARAM_INT] = TY_INT,
    [PARAM_TEXT] = TY_TEXT,   [PARAM_BOOL] = TY_BOOL,       [PARAM_DATE] = TY_DATE,
};

static const char *param_value(DocCtx *c, const Param *p)
{
    char date[16];
    switch (p->kind) {
    case PARAM_NUM:
    case PARAM_INT: return doc_number(c, p->value.n, false);
    case PARAM_PERCENT: return doc_number(c, p->value.n, true);
    case PARAM_TEXT:
        return arena_printf(c->a, "%s%s%s", tr(c->lang, W_QUOTE_OPEN),
                            intern_str(c->m->strings, p->value.t, NULL),
                            tr(c->lang, W_QUOTE_CLOSE));
    case PARAM_BOOL: return tr(c->lang, p->value.b ? V_TRUE : V_FALSE);
    case PARAM_DATE: date_format(p->value.d, date); return arena_strdup(c->a, date);
    }
    return DASH;
}

/* The value as the scheme file writes it: date("2023-12-31") is shown as the date. */
static const char *written_value(DocCtx *c, const Expr *e)
{
    if (e->kind == E_CALL && e->args.n == 1 && ((Expr *)e->args.items[0])->kind == E_STR)
        return ((Expr *)e->args.items[0])->str;
    return doc_expr(c, e);
}

static void params(DocCtx *c)
{
    Model *m = c->m;
    if (!m->nparams) return;
    doc_section(c, S_PARAMS);
    docbuf_para(c->b, tr(c->lang, PH_PARAMS_INTRO));
    if (m->period_decl)
        docbuf_para(c->b, doc_fmt(c, PH_PERIOD, m->period_decl->key, m->period_decl->table));
    const char *h[] = {tr(c->lang, H_NAME), tr(c->lang, H_TYPE), tr(c->lang, H_VALUE),
                       tr(c->lang, H_NOTE)};
    Block *t = docbuf_table(c->b, 4, h);
    for (int i = 0; i < m->nparams; i++) {
        Param *p = m->params[i];
        Decl *d = p->decl;
        const char *value = param_value(c, p);
        if (p->overridden) value = doc_fmt(c, PH_OVERRIDDEN, value, written_value(c, d->expr));
        const char *remark = comment_at(c, d->src, d->span.end);
        if (d->dated.n) {
            const char **parts = ARENA_ARR(c->a, const char *, d->dated.n);
            for (int k = 0; k < d->dated.n; k++) {
                const DatedValue *v = d->dated.items[k];
                const char *val = written_value(c, v->value);
                parts[k] = v->from ? doc_fmt(c, PH_DATED_FROM, c->lang == LANG_EN ? val : v->from,
                                             c->lang == LANG_EN ? v->from : val)
                                   : doc_fmt(c, PH_DATED_BEFORE, val);
            }
            const char *dated = doc_fmt(c, PH_DATED, doc_join(c, parts, d->dated.n));
            remark = remark ? doc_fmt(c, PH_PAREN, remark, dated) : dated;
        }
        const char *row[] = {p->name, tr(c->lang, param_types[p->kind]), value,
                             note(c, remark, d->src)};
        docbuf_row(c->b, t, row);
    }
}

/* ---- tables ---- */

static const char *column_type(DocCtx *c, const Column *col, const TypeRef *ref, bool key)
{
    static const Phrase names[] = {
        [COL_TEXT] = TY_TEXT,       [COL_INT] = TY_INT,   [COL_DEC] = TY_DECIMAL,
        [COL_PERCENT] = TY_PERCENT, [COL_BOOL] = TY_BOOL, [COL_DATE] = TY_DATE,
        [COL_ENUM] = TY_ENUM,       [COL_REF] = TY_REF,
    };
    const char *s;
    if (col->kind == COL_ENUM)
        s = doc_fmt(c, TY_ENUM,
                    doc_join(c, (const char *const *)ref->enum_vals.items, ref->enum_vals.n));
    else if (col->kind == COL_REF)
        s = doc_fmt(c, TY_REF, col->ref ? col->ref->name : ref->ref);
    else
        s = tr(c->lang, names[col->kind]);
    if (col->optional) s = doc_fmt(c, TY_OPTIONAL, s);
    if (ref->def) s = doc_fmt(c, TY_DEFAULT, s, ref->def->text);
    return key ? doc_fmt(c, TY_KEY, s) : s;
}

static const Column *find_column(const Table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i]->name, name) == 0) return t->cols[i];
    return NULL;
}

/* Columns declared together (q1, q2, q3, q4: enum[...]) share one row. */
static void table_columns(DocCtx *c, const Table *t)
{
    const char *h[] = {tr(c->lang, H_COLUMN), tr(c->lang, H_TYPE), tr(c->lang, H_NOTE)};
    Block *blk = docbuf_table(c->b, 3, h);
    const Decl *d = t->decl;
    const char *key = d->key;
    bool key_listed = false;
    for (int i = 0; i < d->columns.n; i++)
        key_listed |= strcmp(((ColumnDecl *)d->columns.items[i])->name, key) == 0;
    if (!key_listed) {
        const char *row[] = {key, doc_fmt(c, TY_KEY, tr(c->lang, TY_TEXT)), NULL};
        docbuf_row(c->b, blk, row);
    }
    for (int i = 0; i < d->columns.n;) {
        const ColumnDecl *first = d->columns.items[i];
        const char *names[64];
        int n = 0;
        bool is_key = false;
        for (; i < d->columns.n && ((ColumnDecl *)d->columns.items[i])->type == first->type; i++) {
            const char *name = ((ColumnDecl *)d->columns.items[i])->name;
            is_key |= strcmp(name, key) == 0;
            if (n < 64) names[n++] = name;
        }
        const Column *col = find_column(t, first->name);
        if (!col) continue;
        const char *row[] = {
            doc_join(c, names, n), column_type(c, col, first->type, is_key),
            comment_at(c, t->src,
                       first->type->def ? first->type->def->span.end : first->type->span.end)};
        docbuf_row(c->b, blk, row);
    }
}

static void tables(DocCtx *c)
{
    Model *m = c->m;
    doc_section(c, S_TABLES);
    docbuf_para(c->b, tr(c->lang, PH_TABLES_INTRO));
    const char *h[] = {tr(c->lang, H_TABLE), tr(c->lang, H_KEY), tr(c->lang, H_FILE),
                       tr(c->lang, H_ROLE)};
    Block *sum = docbuf_table(c->b, 4, h);
    for (int i = 0; i < m->ntables; i++) {
        Table *t = m->tables[i];
        Phrase role = t->assessed ? PH_ROLE_ASSESSED : t->streamed ? PH_ROLE_EVENT : PH_ROLE_LOOKUP;
        const char *row[] = {t->name, t->decl->key, arena_printf(c->a, "%s.csv", t->name),
                             note(c, tr(c->lang, role), t->src)};
        docbuf_row(c->b, sum, row);
    }
    for (int i = 0; i < m->ntables; i++) {
        docbuf_heading(c->b, 3, doc_fmt(c, PH_TABLE_HEADING, m->tables[i]->name));
        table_columns(c, m->tables[i]);
    }
}

/* ---- assessed persons and groups ---- */

static void subjects(DocCtx *c)
{
    Model *m = c->m;
    doc_section(c, S_SUBJECTS);
    docbuf_para(c->b, doc_fmt(c, PH_ASSESSED, m->assessed->name, m->assessed->decl->key));
    if (!m->ngroups) return;
    docbuf_para(c->b, tr(c->lang, PH_GROUPS_INTRO));
    const char *h[] = {tr(c->lang, H_GROUP), tr(c->lang, H_BY)};
    Block *t = docbuf_table(c->b, 2, h);
    for (int i = 0; i < m->ngroups; i++) {
        Group *g = m->groups[i];
        const char **keys = ARENA_ARR(c->a, const char *, g->keys.n + 1);
        for (int k = 0; k < g->keys.n; k++)
            keys[k] = doc_expr(c, g->keys.items[k]);
        const char *by = g->keys.n ? doc_fmt(c, PH_GROUP_BY, doc_join(c, keys, g->keys.n))
                                   : tr(c->lang, PH_GROUP_ALL);
        const char *row[] = {g->name, note(c, by, g->src)};
        docbuf_row(c->b, t, row);
    }
}

void doc_build(Model *m, Arena *a, DocBuf *b, Lang lang)
{
    DocCtx c = {.m = m, .a = a, .b = b, .lang = lang};
    c.main = ((Program *)m->programs.items[0])->src;
    b->arena = a;
    b->lang = lang == LANG_ZH ? "zh-CN" : "en";
    head(&c);
    params(&c);
    tables(&c);
    subjects(&c);
    doc_indicators(&c);
    doc_items(&c);
    doc_adjusts(&c);
    doc_vetoes(&c);
    doc_grades(&c);
    doc_definitions(&c);
}
