/*
** kaoping.c — the library entry points: compiling a scheme with its imports,
** overriding params, running it over a data directory, writing results.
** Runtime errors longjmp back here (Lua-style protected calls); everything a
** run allocated is registered and freed in one place.
*/
#include "kaoping.h"
#include "scheme.h"
#include "share.h"
#include "tablematch.h"
#include "csvpipe.h"
#include "date.h"
#include "load.h"
#include "output.h"
#include "parse.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct KpEmbedded {
    const char *name;
    const char *text;
    size_t len;
};
extern const struct KpEmbedded kp_stdlib_files[];

static Source *find_stdlib(const char *name)
{
    for (const struct KpEmbedded *e = kp_stdlib_files; e->name; e++)
        if (strcmp(e->name, name) == 0) {
            char path[256];
            snprintf(path, sizeof path, "<%s>", name);
            return source_from_mem(path, e->text, e->len);
        }
    return NULL;
}

static char *import_path(Arena *a, const Source *from, const char *name)
{
    const char *slash = strrchr(from->path, '/');
    size_t dirlen = slash ? (size_t)(slash - from->path + 1) : 0;
    bool has_ext = strlen(name) > 3 && strcmp(name + strlen(name) - 3, ".kp") == 0;
    return arena_printf(a, "%.*s%s%s", (int)dirlen, from->path, name, has_ext ? "" : ".kp");
}

/* The same file reached by two relative paths ("lib", "sub/../lib") is one
** module: compare canonical paths, and remember each one loaded. */
static bool already_loaded(KpScheme *s, const char *path)
{
    char *canon = realpath(path, NULL);
    const char *key = canon ? canon : path;
    for (int i = 0; i < s->loaded.n; i++)
        if (strcmp(s->loaded.items[i], key) == 0) {
            free(canon);
            return true;
        }
    ptrvec_push(&s->arena, &s->loaded, arena_strdup(&s->arena, key));
    free(canon);
    return false;
}

/* Parses src and, depth first, everything it imports. */
static bool valid_utf8(const Source *src, Diags *d)
{
    size_t bad = utf8_invalid_at(src->text, src->len);
    if (bad == (size_t)-1) return true;
    uint32_t line, col;
    source_linecol(src, (uint32_t)bad, &line, &col);
    diag_pos(d, DIAG_ERROR, src->path, line, col,
             "invalid UTF-8 byte 0x%02x (save the file as UTF-8, not GBK)",
             (unsigned char)src->text[bad]);
    return false;
}

static void load_program(KpScheme *s, Source *src, PtrVec *programs, Diags *d)
{
    ptrvec_push(&s->arena, &s->sources, src);
    if (!valid_utf8(src, d)) return;
    Program *p = parse_program(&s->arena, src, d);
    ast_set_source(p);
    ptrvec_push(&s->arena, programs, p);
    for (int i = 0; i < p->decls.n; i++) {
        Decl *dl = p->decls.items[i];
        if (dl->kind != D_IMPORT) continue;
        Source *child = NULL;
        const char *err = NULL;
        if (strncmp(dl->name, "std/", 4) == 0) {
            char path[256];
            snprintf(path, sizeof path, "<%s>", dl->name);
            if (already_loaded(s, path)) continue;
            child = find_stdlib(dl->name);
            if (!child) {
                diag_at(d, DIAG_ERROR, src, dl->name_span, "no standard module \"%s\"", dl->name);
                continue;
            }
        } else {
            char *path = import_path(&s->arena, src, dl->name);
            if (already_loaded(s, path)) continue;
            child = source_load(path, &err);
            if (!child) {
                diag_at(d, DIAG_ERROR, src, dl->name_span, "cannot import \"%s\": %s", path, err);
                continue;
            }
        }
        load_program(s, child, programs, d);
    }
}

static KpScheme *compile(const char *path, Intern *strings, Diags *d)
{
    const char *err = NULL;
    Source *src = source_load(path, &err);
    if (!src) {
        diag_pos(d, DIAG_ERROR, path, 0, 0, "cannot read the scheme: %s", err);
        return NULL;
    }
    KpScheme *s = xcalloc(1, sizeof *s);
    arena_init(&s->arena);
    already_loaded(s, path);
    PtrVec programs = {0};
    load_program(s, src, &programs, d);
    if (d->nerrors) {
        kp_free(s);
        return NULL;
    }
    s->m = resolve_scheme(&s->arena, d, &programs, strings);
    if (!s->m) {
        kp_free(s);
        return NULL;
    }
    s->m->sources = s->sources;
    s->ev.m = s->m;
    return s;
}

KpScheme *kp_compile(const char *path, Diags *d)
{
    return compile(path, NULL, d);
}

KpScheme *kp_compile_beside(const char *path, KpScheme *base, Diags *d)
{
    return compile(path, base->m->strings, d);
}

static void free_tables(Model *m)
{
    for (int i = 0; i < m->ntables; i++) {
        Table *t = m->tables[i];
        for (int j = 0; j < t->ncols; j++) {
            Column *c = t->cols[j];
            numcol_free(&c->num);
            free(c->text);
            free(c->date);
            free(c->boolean);
            free(c->row);
        }
        free(t->key_text);
        free(t->key_line);
        free(t->row_by_text);
    }
}

void kp_free(KpScheme *s)
{
    if (!s) return;
    if (s->ev.open_csv) csvpipe_close(s->ev.open_csv);
    eval_free_all(&s->ev);
    if (s->m) {
        for (int i = 0; i < s->m->nvalues; i++)
            if (!s->m->values[i]->borrowed) numcol_free(&s->m->values[i]->num);
        for (int i = 0; i < s->m->relaggs.n; i++)
            numcol_free(&((RelAgg *)s->m->relaggs.items[i])->acc);
        if (!s->borrowed_tables) free_tables(s->m);
        resolve_free(s->m);
    }
    for (int i = 0; i < s->sources.n; i++)
        source_free(s->sources.items[i]);
    arena_free(&s->arena);
    free(s);
}

static const char *const param_kind_names[] = {"a decimal number", "a percent such as 25% or 0.25",
                                               "a whole number",   "text",
                                               "true or false",    "a date YYYY-MM-DD"};

bool kp_set_param(KpScheme *s, const char *assignment, Diags *d)
{
    Model *m = s->m;
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) {
        diag_pos(d, DIAG_ERROR, "--set", 0, 0, "expected NAME=VALUE, got \"%s\"", assignment);
        return false;
    }
    size_t n = (size_t)(eq - assignment);
    const char *val = eq + 1;
    Param *p = NULL;
    for (int i = 0; i < m->nparams && !p; i++)
        if (strlen(m->params[i]->name) == n && memcmp(m->params[i]->name, assignment, n) == 0)
            p = m->params[i];
    if (!p) {
        char *name = arena_strndup(&s->arena, assignment, n);
        const char *cands[256];
        size_t nc = 0;
        for (int i = 0; i < m->nparams && nc < 256; i++)
            cands[nc++] = m->params[i]->name;
        const char *best = suggest_closest(name, cands, nc);
        if (best)
            diag_pos(d, DIAG_ERROR, "--set", 0, 0, "unknown param '%s' (did you mean '%s'?)", name,
                     best);
        else
            diag_pos(d, DIAG_ERROR, "--set", 0, 0, "unknown param '%s'", name);
        return false;
    }
    Value v = {0};
    bool ok = true;
    size_t len = strlen(val);
    switch (p->kind) {
    case PARAM_NUM:
    case PARAM_PERCENT: ok = dec_parse(val, len, true, &v.n) == DEC_OK; break;
    case PARAM_INT: ok = dec_parse(val, len, false, &v.n) == DEC_OK && dec_is_integer(v.n); break;
    case PARAM_TEXT: v.t = intern_put(m->strings, val, len); break;
    case PARAM_BOOL:
        ok = strcmp(val, "true") == 0 || strcmp(val, "false") == 0;
        v.b = strcmp(val, "true") == 0;
        break;
    case PARAM_DATE: ok = date_parse(val, len, &v.d); break;
    }
    if (!ok) {
        diag_pos(d, DIAG_ERROR, "--set", 0, 0, "param '%s' expects %s, got \"%s\"", p->name,
                 param_kind_names[p->kind], val);
        return false;
    }
    p->value = v;
    p->overridden = true;
    return true;
}

/* Every value in dependency order, then the grades. */
static void compute_all(KpScheme *s)
{
    Model *m = s->m;
    for (int i = 0; i < m->nvalues; i++) {
        ValueDef *v = m->values[i];
        for (int k = 0; k < v->deps.n; k++)
            ((ValueDef *)v->deps.items[k])->readers++;
    }
    for (int i = 0; i < m->order.n; i++)
        compute_value(&s->ev, m->order.items[i]);
    compute_value(&s->ev, m->v_grade);
    s->ran = true;
}

bool kp_run(KpScheme *s, const char *dir, Diags *d)
{
    jmp_buf on_error;
    s->ev.d = d;
    s->ev.on_error = &on_error;
    if (setjmp(on_error)) return false;
    if (!load_tables(&s->ev, dir)) return false;
    compute_all(s);
    return true;
}

bool kp_run_both(KpScheme *a, KpScheme *b, const char *dir, Diags *d)
{
    if (a->m->strings != b->m->strings || a->ran || b->ran) return false;
    if (!tables_match(a->m, b->m, d)) return false;
    jmp_buf on_error;
    a->ev.d = b->ev.d = d;
    a->ev.on_error = b->ev.on_error = &on_error;
    /* From here b's tables point into a's storage, table by table as they load. */
    b->borrowed_tables = true;
    if (setjmp(on_error)) return false;
    share_plan(a->m, b->m);
    if (!load_tables_shared(&a->ev, &b->ev, dir)) return false;
    compute_all(a);
    share_borrow(b->m);
    compute_all(b);
    return true;
}

bool kp_write(KpScheme *s, FILE *f, KpFormat fmt, Diags *d)
{
    jmp_buf on_error;
    if (!s->ran) return false;
    s->ev.d = d;
    s->ev.on_error = &on_error;
    if (setjmp(on_error)) return false;
    return output_write(&s->ev, f, fmt == KP_FORMAT_JSON ? OUT_JSON : OUT_CSV);
}
