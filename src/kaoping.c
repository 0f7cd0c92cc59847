/*
** kaoping.c — the library entry points: compiling a scheme with its imports,
** overriding params, running it over a data directory, writing results.
** Runtime errors longjmp back here (Lua-style protected calls); everything a
** run allocated is registered and freed in one place.
*/
#include "scheme.h"
#include "share.h"
#include "tablematch.h"
#include "csvpipe.h"
#include "date.h"
#include "extends.h"
#include "doc.h"
#include "fmt.h"
#include "explain.h"
#include "load.h"
#include "output.h"
#include "parse.h"
#include "prefault.h"
#include "xalloc.h"

#include <assert.h>
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

/* Parses src and, when it extends a base scheme, merges it into the base
** (itself parsed the same way, so chains work). `chain` holds the canonical
** paths on the way down, to refuse a scheme that extends itself. */
static Program *parse_merged(KpScheme *s, Source *src, PtrVec *chain, Diags *d)
{
    ptrvec_push(&s->arena, &s->sources, src);
    if (!valid_utf8(src, d)) return NULL;
    Program *p = parse_program(&s->arena, src, d);
    ast_set_source(p);
    if (!p->extends) {
        extends_check_plain(d, p);
        return p;
    }
    char *path = import_path(&s->arena, src, p->extends);
    char *canon = realpath(path, NULL);
    bool loop = false;
    for (int i = 0; canon && i < chain->n && !loop; i++)
        loop = strcmp(chain->items[i], canon) == 0;
    if (canon) ptrvec_push(&s->arena, chain, arena_strdup(&s->arena, canon));
    free(canon);
    if (loop) {
        diag_at(d, DIAG_ERROR, src, p->extends_span, "\"%s\" extends itself (through \"%s\")",
                src->path, path);
        return p;
    }
    const char *err = NULL;
    Source *base_src = source_load(path, &err);
    if (!base_src) {
        diag_at(d, DIAG_ERROR, src, p->extends_span, "cannot read the base scheme \"%s\": %s", path,
                err);
        return p;
    }
    Program *base = parse_merged(s, base_src, chain, d);
    if (base && !d->nerrors) extends_merge(&s->arena, d, base, p);
    return p;
}

static void load_program(KpScheme *s, Source *src, PtrVec *programs, Diags *d)
{
    PtrVec chain = {0};
    char *canon = realpath(src->path, NULL);
    if (canon) ptrvec_push(&s->arena, &chain, arena_strdup(&s->arena, canon));
    free(canon);
    Program *p = parse_merged(s, src, &chain, d);
    if (!p) return;
    ptrvec_push(&s->arena, programs, p);
    for (int i = 0; i < p->decls.n; i++) {
        Decl *dl = p->decls.items[i];
        if (dl->kind != D_IMPORT) continue;
        /* a base scheme's imports are relative to the base's file */
        src = (Source *)dl->src;
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

/* Does a program (not a test) declare a param of this name? */
static bool declares_param(const PtrVec *programs, const char *name)
{
    for (int p = 0; p < programs->n; p++) {
        Program *prog = programs->items[p];
        for (int i = 0; i < prog->decls.n; i++) {
            Decl *dl = prog->decls.items[i];
            if (dl->kind == D_PARAM && strcmp(dl->name, name) == 0) return true;
        }
    }
    return false;
}

/* Compiles a scheme, for a test of its file when test >= 0, interning its
** text in `strings` when given (a scheme compiled beside another). */
static KpScheme *compile(const char *path, int test, Intern *strings, Diags *d)
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
    Program *main_prog = programs.items[0];
    PtrVec overrides = {0};
    if (test >= 0 && test < main_prog->tests.n) {
        s->test = main_prog->tests.items[test];
        for (int i = 0; i < s->test->decls.n; i++) {
            Decl *dl = s->test->decls.items[i];
            bool override = dl->kind == D_PARAM && declares_param(&programs, dl->name);
            ptrvec_push(&s->arena, override ? &overrides : &main_prog->decls, dl);
        }
    }
    s->m = resolve_scheme_with(&s->arena, d, &programs, test >= 0, strings);
    for (int i = 0; s->m && i < overrides.n; i++)
        resolve_param_override(s->m, d, overrides.items[i]);
    if (!s->m || d->nerrors) {
        kp_free(s);
        return NULL;
    }
    s->m->sources = s->sources;
    s->ev.m = s->m;
    return s;
}

KpScheme *kp_compile(const char *path, Diags *d)
{
    return compile(path, -1, NULL, d);
}

KpScheme *scheme_compile(const char *path, int test, Diags *d)
{
    return compile(path, test, NULL, d);
}

KpScheme *kp_compile_beside(const char *path, KpScheme *base, Diags *d)
{
    return compile(path, -1, base->m->strings, d);
}

static void free_tables(Model *m)
{
    for (int i = 0; i < m->ntables; i++) {
        Table *t = m->tables[i];
        for (int j = 0; j < t->ncols; j++)
            column_free(t->cols[j]);
        free(t->key_text);
        free(t->key_line);
        free(t->row_by_text);
    }
}

void kp_free(KpScheme *s)
{
    if (!s) return;
    prefault_wait(s->ev.prefault); /* a load an error left: its thread writes our memory */
    s->ev.prefault = NULL;
    if (s->ev.open_csv) csvpipe_close(s->ev.open_csv);
    eval_free_all(&s->ev);
    if (s->xr_ready) explain_release(&s->xr);
    if (s->m) {
        for (int i = 0; i < s->m->nvalues; i++)
            if (!s->m->values[i]->borrowed) numcol_free(&s->m->values[i]->num);
        for (int i = 0; i < s->m->relaggs.n; i++) {
            numcol_free(&((RelAgg *)s->m->relaggs.items[i])->acc);
            numcol_free(&((RelAgg *)s->m->relaggs.items[i])->pre_acc);
        }
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

static void eval_progress(void *ctx, int stage, const char *what, uint64_t done, uint64_t total)
{
    KpScheme *s = ctx;
    KpProgress p = {.stage = (KpProgressStage)stage, .done = done, .total = total};
    if (stage == EVAL_PROGRESS_READ) {
        p.file = what;
        p.rows = done;
    } else {
        p.persons = stage == EVAL_PROGRESS_EXPLAIN ? done : (uint64_t)s->ev.nrows;
    }
    s->progress(s->progress_ctx, &p);
}

void kp_set_progress(KpScheme *s, KpProgressFn fn, void *ctx)
{
    s->progress = fn;
    s->progress_ctx = ctx;
    s->ev.progress = fn ? eval_progress : NULL;
    s->ev.progress_ctx = s;
}

bool kp_load(KpScheme *s, const char *dir, Diags *d)
{
    jmp_buf on_error;
    s->ev.d = d;
    s->ev.on_error = &on_error;
    if (setjmp(on_error)) return false;
    if (!load_tables(&s->ev, dir)) return false;
    intern_drop_index(s->m->strings); /* see intern.h */
    s->data_loaded = true;
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
        for (int k = 0; k < v->cols.n; k++)
            ((Column *)v->cols.items[k])->readers++;
        for (int k = 0; k < v->aggs.n; k++)
            ((RelAgg *)v->aggs.items[k])->readers++;
    }
    for (int i = 0; i < m->order.n; i++) {
        compute_value(&s->ev, m->order.items[i]);
        if (s->ev.progress)
            s->ev.progress(s->ev.progress_ctx, EVAL_PROGRESS_COMPUTE, NULL, (uint64_t)i + 1,
                           (uint64_t)m->order.n);
    }
    compute_value(&s->ev, m->v_grade);
    s->ran = true;
}

bool scheme_compute(KpScheme *s, Diags *d)
{
    jmp_buf on_error;
    s->ev.d = d;
    s->ev.on_error = &on_error;
    if (setjmp(on_error)) return false;
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
    a->ev.keep_columns = b->ev.keep_columns = true;
    if (setjmp(on_error)) return false;
    share_plan(a->m, b->m);
    if (!load_tables_shared(&a->ev, &b->ev, dir)) return false;
    intern_drop_index(a->m->strings);
    compute_all(a);
    share_borrow(b->m);
    compute_all(b);
    return true;
}

bool kp_compute(KpScheme *s, Diags *d)
{
    return s->data_loaded && scheme_compute(s, d);
}

bool kp_run(KpScheme *s, const char *dir, Diags *d)
{
    return kp_load(s, dir, d) && kp_compute(s, d);
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

bool kp_doc(KpScheme *s, FILE *f, KpDocFormat fmt, KpLang lang)
{
    Arena a;
    arena_init(&a);
    DocBuf b = {0};
    doc_build(s->m, &a, &b, lang == KP_LANG_EN ? LANG_EN : LANG_ZH);
    bool ok = fmt == KP_DOC_HTML ? docbuf_write_html(&b, f) : docbuf_write_markdown(&b, f);
    arena_free(&a);
    return ok;
}

char *kp_format(const char *path, FILE *in, size_t *len, bool *changed, Diags *d)
{
    const char *err = NULL;
    Source *src = in ? source_read(in, path, &err) : source_load(path, &err);
    if (!src) {
        diag_pos(d, DIAG_ERROR, path, 0, 0, "cannot read the scheme: %s", err);
        return NULL;
    }
    Arena arena;
    arena_init(&arena);
    char *out = NULL;
    size_t before = d->nerrors;
    if (valid_utf8(src, d)) parse_program(&arena, src, d);
    if (d->nerrors == before) out = fmt_source(&arena, src, d, len);
    if (out) *changed = *len != src->len || memcmp(out, src->text, *len) != 0;
    arena_free(&arena);
    source_free(src);
    return out;
}
/* ---- explanations ---- */

void kp_keep_columns(KpScheme *s)
{
    s->ev.keep_columns = true;
}

void kp_keep_values(KpScheme *s)
{
    s->ev.keep_values = true;
}

static int32_t person_row(const Model *m, const char *id)
{
    const Table *t = m->assessed;
    uint32_t k = intern_find(m->strings, id, strlen(id));
    return k && k < t->row_by_text_cap ? t->row_by_text[k] : -1;
}

bool kp_has_person(KpScheme *s, const char *id, Diags *d)
{
    Model *m = s->m;
    if (s->data_loaded && person_row(m, id) >= 0) return true;
    const Table *t = m->assessed;
    size_t n = (size_t)(s->data_loaded ? t->nrows : 0);
    const char **keys = xmalloc(sizeof(char *) * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        keys[i] = intern_str(m->strings, t->key_text[i], NULL);
    const char *best = suggest_closest(id, keys, n);
    const char *key = t->cols[t->key_col]->name;
    if (best)
        diag_pos(d, DIAG_ERROR, "--id", 0, 0, "no row of %s has %s \"%s\" (did you mean \"%s\"?)",
                 t->name, key, id, best);
    else
        diag_pos(d, DIAG_ERROR, "--id", 0, 0, "no row of %s has %s \"%s\"", t->name, key, id);
    free(keys);
    return false;
}

/* Explaining reads every value of the run, and the quota counts of all. */
static void explain_ready(KpScheme *s)
{
    assert(s->ran && s->ev.keep_values);
    if (s->xr_ready) return;
    explain_prepare(&s->xr, &s->ev);
    s->xr_ready = true;
}

char *kp_explain(KpScheme *s, const char *id, KpLang lang, bool json, Diags *d)
{
    if (!s->ran || !kp_has_person(s, id, d)) return NULL;
    jmp_buf on_error;
    s->ev.d = d;
    s->ev.on_error = &on_error;
    /* allocated before setjmp: what a runtime error leaves is freed after it */
    Arena *a = xcalloc(1, sizeof *a);
    Buf *b = xcalloc(1, sizeof *b);
    char *text = NULL;
    if (setjmp(on_error) == 0) {
        explain_ready(s);
        Explanation *x = explain_row(&s->xr, a, person_row(s->m, id));
        XLang xl = lang == KP_LANG_EN ? XLANG_EN : XLANG_ZH;
        if (json)
            explain_render_json(b, s->m, x, xl);
        else
            explain_render_text(b, s->m, x, xl);
        text = buf_take(b);
    }
    arena_free(a);
    free(a);
    free(b->p);
    free(b);
    return text;
}

#define EXPLAIN_PROGRESS_PERSONS 4096

bool kp_write_explanations(KpScheme *s, FILE *f, KpLang lang, Diags *d)
{
    if (!s->ran) return false;
    jmp_buf on_error;
    s->ev.d = d;
    s->ev.on_error = &on_error;
    Arena *a = xcalloc(1, sizeof *a);
    Buf *b = xcalloc(1, sizeof *b);
    bool ok = false;
    if (setjmp(on_error) == 0) {
        explain_ready(s);
        key_order(&s->ev);
        XLang xl = lang == KP_LANG_EN ? XLANG_EN : XLANG_ZH;
        int32_t n = s->ev.nrows;
        for (int32_t i = 0; i < n; i++) {
            Explanation *x = explain_row(&s->xr, a, key_row(&s->ev, i));
            b->len = 0;
            explain_render_json(b, s->m, x, xl);
            fwrite_unlocked(b->p, 1, b->len, f);
            arena_free(a);
            if (s->ev.progress && ((i + 1) % EXPLAIN_PROGRESS_PERSONS == 0 || i + 1 == n))
                s->ev.progress(s->ev.progress_ctx, EVAL_PROGRESS_EXPLAIN, NULL, (uint64_t)i + 1,
                               (uint64_t)n);
        }
        ok = !ferror(f);
    }
    arena_free(a);
    free(a);
    free(b->p);
    free(b);
    return ok;
}
