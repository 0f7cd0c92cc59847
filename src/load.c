/*
** load.c — tables from CSV (see load.h). Stored tables keep the columns that
** some expression reads, plus their key index; an event table is streamed and
** only folded into the aggregates the scheme uses over it, so memory grows
** with the number of persons and not of cases. A second model (kaoping diff)
** folds its own aggregates from the same parsed rows and shares the storage.
*/
#include "load.h"
#include "load_int.h"
#include "cell.h"
#include "cell_fast.h"
#include "csvpipe.h"
#include "fold.h"
#include "prefault.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void cell_error(Loader *L, size_t field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A problem with one field: at its place in the CSV file, or in the rule file
** the rows were written in. */
static void cell_error(Loader *L, size_t field, const char *fmt, ...)
{
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->in) {
        Span sp = L->in->spans[(size_t)L->record * (size_t)L->in->nfields + field];
        diag_at(L->ev->d, DIAG_ERROR, L->in->src, sp, "%s", msg);
        return;
    }
    uint32_t line, col;
    csvpipe_field_pos(L->csv, field, &line, &col);
    diag_pos(L->ev->d, DIAG_ERROR, L->path, line, col, "%s", msg);
}

/* The line of the record just read: of the CSV file, or of the rule file. */
static uint32_t record_line(const Loader *L)
{
    if (!L->in) return csvpipe_record_line(L->csv);
    uint32_t line, col;
    source_linecol(L->in->src, L->in->spans[(size_t)L->record * (size_t)L->in->nfields].start,
                   &line, &col);
    return line;
}

/* Excel's plain "CSV" export on Chinese Windows writes GBK. */
static const char *utf8_hint(const char *msg)
{
    return strncmp(msg, "invalid UTF-8", 13) == 0 ? " (save the file as UTF-8, not GBK)" : "";
}

/* Rows of the referenced table tried after the last one referenced: in the
** generated data 99.6% of changes of handler go to one of the next four
** persons. */
#define REF_LOOKAHEAD 4

static bool parse_ref(Loader *L, Column *c, const char *s, size_t len, size_t fi, Value *v,
                      const char *note)
{
    Model *m = L->ev->m;
    Table *rt = c->ref;
    RefCache *last = &L->refs[c->index];
    /* Exports list a person's cases together, in key order: the same key
    ** as the row before, or the key of one of the next few rows of the
    ** referenced table (persons without cases are skipped), needs no hash
    ** lookup (a cold one, at 10^6 keys). */
    if (last->id && len == last->len) {
        size_t n;
        const char *prev = intern_text(m->strings, last->id, &n);
        if (cell_same_text(prev, s, n)) {
            v->d = last->row;
            v->t = last->id;
            return true;
        }
    }
    uint32_t id = 0;
    int32_t row = -1;
    for (int32_t r = last->row + 1; last->id && r <= last->row + REF_LOOKAHEAD && r < rt->nrows;
         r++) {
        uint32_t next = rt->key_text[r];
        size_t n;
        const char *str = intern_text(m->strings, next, &n);
        if (n == len && cell_same_text(str, s, n)) {
            id = next;
            row = r;
            break;
        }
    }
    if (row < 0) {
        id = intern_find(m->strings, s, len);
        row = id && id < rt->row_by_text_cap ? rt->row_by_text[id] : -1;
    }
    if (row < 0) {
        cell_error(L, fi, "column '%s': no row of %s has %s \"%.300s\"%s", c->name, rt->name,
                   rt->cols[rt->key_col]->name, s, note);
        return false;
    }
    v->d = row;
    v->t = id;
    *last = (RefCache){id, len, row};
    return true;
}

/* A cell cell_parse rejected, parsed again for the reason: kept out of
** parse_cell, which runs for every cell, with the message's buffer. */
static __attribute__((noinline, cold)) bool cell_rejected(Loader *L, Column *c, const char *s,
                                                          size_t len, size_t fi, const char *note)
{
    char err[700];
    Value v;
    cell_parse(L->ev->m, c, s, len, false, &v, err, sizeof err);
    cell_error(L, fi, "column '%s': %s%s", c->name, err, note);
    return false;
}

/* Parses one cell into a Value; false (and a diagnostic) when it does not
** fit. An empty cell takes the column's default when it has one. */
static bool parse_cell(Loader *L, Column *c, const CsvField *f, size_t fi, Value *v)
{
    memset(v, 0, sizeof *v);
    const char *s = f->ptr, *note = "";
    size_t len = f->len;
    if (len == 0 && c->def) {
        s = c->def;
        len = strlen(s);
        note = " (the column's default)";
    }
    if (len == 0) {
        v->null = true;
        if (c->optional) return true;
        cell_error(L, fi,
                   "column '%s': missing value (mark the column optional with '?', or give it a "
                   "default, if it may be empty)",
                   c->name);
        return false;
    }
    if (c->kind == COL_REF) return parse_ref(L, c, s, len, fi, v, note);
    /* Keys of stored tables are indexed; an event table's keys are not kept,
    ** so memory does not grow with the number of cases. */
    bool keep = c->used || (c->index == L->t->key_col && !L->t->streamed);
    if (L->key_hash && c->index == L->t->key_col && c->kind == COL_TEXT) {
        v->t = intern_put_hashed(L->ev->m->strings, s, len, L->key_hash);
        return true;
    }
    if (L->defer_text && keep && c->kind == COL_TEXT) {
        stored_defer_text(L, c, s, len);
        return true;
    }
    if (cell_parse(L->ev->m, c, s, len, keep, v, NULL, 0)) {
        /* An int key is indexed by its text, as references name it. */
        if (c->index == L->t->key_col && !L->t->streamed && c->kind != COL_TEXT)
            v->t = intern_put(L->ev->m->strings, s, len);
        return true;
    }
    return cell_rejected(L, c, s, len, fi, note);
}

bool load_cells(Loader *L, const CsvField *f, size_t n, int key_field, Value *vals)
{
    Table *t = L->t;
    bool row_ok = true;
    /* The key's slot in the string table loads while the other cells
    ** parse; a key that is there cannot fail, so interning it last
    ** leaves the order of any diagnostics as it was. */
    uint32_t hash = 0;
    if (key_field >= 0 && f[key_field].len && !L->defer_text)
        hash = intern_prefetch(L->ev->m->strings, f[key_field].ptr, f[key_field].len);
    /* From the local: a load of L->key_hash right after this store, merged
    ** with the next field's, would wait for the store to reach the cache. */
    L->key_hash = hash;
    int skip = hash || L->defer_text ? key_field : -1;
    for (size_t i = 0; i < n; i++) {
        int c = L->field_col[i];
        if ((int)i == skip) continue;
        if (f[i].len) {
            uint8_t how = L->fast[i];
            if (how == CELL_SKIP) {
                memset(&vals[c], 0, sizeof vals[c]);
                continue;
            }
            if (how == CELL_FAST && cell_fast(t->cols[c], f[i].ptr, f[i].len, &vals[c])) continue;
            if (how == CELL_REF) { /* what parse_cell would do, less its checks */
                memset(&vals[c], 0, sizeof vals[c]);
                if (!parse_ref(L, t->cols[c], f[i].ptr, f[i].len, i, &vals[c], "")) row_ok = false;
                continue;
            }
        }
        if (!parse_cell(L, t->cols[c], &f[i], i, &vals[c])) row_ok = false;
    }
    if (L->key_hash)
        parse_cell(L, t->cols[t->key_col], &f[key_field], (size_t)key_field, &vals[t->key_col]);
    return row_ok;
}

bool load_header(Loader *L)
{
    Table *t = L->t;
    const CsvField *f;
    size_t n;
    CsvError err;
    int r = csvpipe_next(L->csv, &f, &n, &err);
    if (r < 0) {
        diag_pos(L->ev->d, DIAG_ERROR, L->path, err.line, err.col, "%s%s", err.msg,
                 utf8_hint(err.msg));
        return false;
    }
    if (r == 0) {
        diag_pos(L->ev->d, DIAG_ERROR, L->path, 0, 0,
                 "the file is empty; expected a header row naming the columns");
        return false;
    }
    L->record++;
    L->nfields = (int)n;
    L->field_col = arena_alloc(L->ev->m->arena, sizeof(int) * n);
    for (int i = 0; i < t->ncols; i++)
        t->cols[i]->csv_pos = -1;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        L->field_col[i] = -1;
        for (int c = 0; c < t->ncols; c++)
            if (strcmp(t->cols[c]->name, f[i].ptr) == 0) L->field_col[i] = c;
        int c = L->field_col[i];
        if (c >= 0 && t->cols[c]->csv_pos >= 0) {
            cell_error(L, i, "column '%s' appears twice in the header", f[i].ptr);
            ok = false;
        } else if (c >= 0) {
            t->cols[c]->csv_pos = (int)i;
        } else {
            const char *cands[256];
            size_t nc = 0;
            for (int k = 0; k < t->ncols && nc < 256; k++)
                cands[nc++] = t->cols[k]->name;
            const char *best = suggest_closest(f[i].ptr, cands, nc);
            char alt[300] = "";
            if (best) snprintf(alt, sizeof alt, " (did you mean '%.200s'?)", best);
            cell_error(L, i, "unknown column '%.300s' (table %s does not declare it)%s", f[i].ptr,
                       t->name, alt);
            ok = false;
        }
    }
    /* Cells that cell_fast may parse: not references, which are looked up,
    ** nor texts that are kept or keys of stored tables, which are interned;
    ** a text that is neither needs nothing at all. */
    L->fast = arena_alloc(L->ev->m->arena, n);
    for (size_t i = 0; i < n; i++) {
        const Column *c = L->field_col[i] >= 0 ? t->cols[L->field_col[i]] : NULL;
        bool stored_key = c && c->index == t->key_col && !t->streamed;
        L->fast[i] = !c                               ? CELL_SLOW
                     : c->kind == COL_REF             ? CELL_REF
                     : stored_key                     ? CELL_SLOW
                     : c->kind == COL_TEXT && c->used ? CELL_SLOW
                     : c->kind == COL_TEXT            ? CELL_SKIP
                                                      : CELL_FAST;
    }
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c]->csv_pos < 0) {
            diag_pos(L->ev->d, DIAG_ERROR, L->path, 1, 0,
                     "missing column '%s' (declared in table %s)", t->cols[c]->name, t->name);
            ok = false;
        }
    return ok;
}

/* Room for need rows: exactly need when exact, else doubling. */
void grow_columns(Table *t, int32_t need, bool exact)
{
    if (need <= t->cap) return;
    int32_t cap = t->cap ? t->cap * 2 : 1024;
    while (cap < need)
        cap *= 2;
    if (exact) cap = need;
    for (int i = 0; i < t->ncols; i++) {
        Column *c = t->cols[i];
        size_t n = (size_t)cap;
        if (!c->used) continue; /* validated on load, never read: not stored */
        switch (c->kind) {
        case COL_TEXT:
        case COL_ENUM: c->text = xrealloc(c->text, n * sizeof(uint32_t)); break;
        case COL_INT:
        case COL_DEC:
        case COL_PERCENT: numcol_reserve_unset(&c->num, cap); break; /* store_row sets each row */
        case COL_BOOL: c->boolean = xrealloc(c->boolean, n); break;
        case COL_DATE: c->date = xrealloc(c->date, n * sizeof(int32_t)); break;
        case COL_REF: c->row = xrealloc(c->row, n * sizeof(int32_t)); break;
        }
    }
    t->key_text = xrealloc(t->key_text, (size_t)cap * sizeof(uint32_t));
    t->key_line = xrealloc(t->key_line, (size_t)cap * sizeof(uint32_t));
    t->cap = cap;
}

static void store_row(Table *t, int32_t row, const Value *v)
{
    for (int i = 0; i < t->ncols; i++) {
        Column *c = t->cols[i];
        const Value *x = &v[i];
        if (!c->used) continue;
        switch (c->kind) {
        case COL_TEXT:
        case COL_ENUM: c->text[row] = x->null ? INTERN_NONE : x->t; break;
        case COL_INT:
        case COL_DEC:
        case COL_PERCENT: numcol_set(&c->num, row, x->null ? DEC_NULL : x->n); break;
        case COL_BOOL: c->boolean[row] = x->null ? 2 : x->b; break;
        case COL_DATE: c->date[row] = x->null ? INT32_MIN : x->d; break;
        case COL_REF: c->row[row] = x->null ? -1 : x->d; break;
        }
    }
}

/* Indexes the key; false on a duplicate. */
static bool index_key(Loader *L, int32_t row, uint32_t id, size_t field)
{
    Table *t = L->t;
    if (id >= t->row_by_text_cap) {
        uint32_t cap = t->row_by_text_cap ? t->row_by_text_cap : 1024;
        while (cap <= id)
            cap *= 2;
        /* Ids stay below the string table's room, which a load reserves. */
        uint32_t room = L->ev->m->strings->ids_cap;
        if (cap > room && room > id) cap = room;
        t->row_by_text = xrealloc(t->row_by_text, cap * sizeof(int32_t));
        for (uint32_t i = t->row_by_text_cap; i < cap; i++)
            t->row_by_text[i] = -1;
        t->row_by_text_cap = cap;
    }
    if (t->row_by_text[id] >= 0) {
        cell_error(L, field, "duplicate key '%.300s' in column '%s' (first on line %u)",
                   intern_str(L->ev->m->strings, id, NULL), t->cols[t->key_col]->name,
                   (unsigned)t->key_line[t->row_by_text[id]]);
        return false;
    }
    t->row_by_text[id] = row;
    return true;
}

/* "cases.csv" of "dir/cases.csv", for progress reports. */
const char *load_csv_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void fold_both(Loader *L, Value *buf, const uint32_t *lines, int k)
{
    fold_batch(L->ev, L->t, NULL, buf, lines, k);
    if (L->also && L->also_t->naggs) fold_batch(L->also, L->also_t, NULL, buf, lines, k);
}

/* Rows read before the size of a stored table is estimated. */
#define ESTIMATE_AFTER 8192

/* The untouched part [from, to) of an array of rows of width w. */
static void touch_rows(Prefault *pf, void *base, size_t w, int32_t from, int32_t to)
{
    if (base && to > from)
        prefault_touch(pf, (char *)base + (size_t)from * w, (size_t)(to - from) * w);
}

/* The new rows of t's columns and key arrays, and the string table's new
** room, made present while the rows are parsed into them. */
static void touch_reserved(Prefault *pf, const Table *t, int32_t rows, const Intern *in,
                           uint32_t ids_before, size_t chars_before)
{
    for (int i = 0; i < t->ncols; i++) {
        const Column *c = t->cols[i];
        size_t w = 0;
        void *base = NULL;
        if (!c->used) continue;
        switch (c->kind) {
        case COL_TEXT:
        case COL_ENUM: base = c->text, w = sizeof *c->text; break;
        case COL_INT:
        case COL_DEC:
        case COL_PERCENT: base = numcol_data(&c->num, &w); break;
        case COL_BOOL: base = c->boolean, w = 1; break;
        case COL_DATE: base = c->date, w = sizeof *c->date; break;
        case COL_REF: base = c->row, w = sizeof *c->row; break;
        }
        touch_rows(pf, base, w, rows, t->cap);
    }
    touch_rows(pf, t->key_text, sizeof *t->key_text, rows, t->cap);
    touch_rows(pf, t->key_line, sizeof *t->key_line, rows, t->cap);
    touch_rows(pf, in->entries, sizeof *in->entries, (int32_t)ids_before, (int32_t)in->ids_cap);
    if (in->chars_cap > chars_before)
        prefault_touch(pf, in->chars + chars_before, in->chars_cap - chars_before);
}

/* The accumulators that tables loaded later fold for t's rows, allocated
** for the rows expected and emptied on pf's thread; attach_aggs takes them
** when t has no more rows than that. */
void presize_aggs(Eval *ev, Prefault *pf, const Table *t, int32_t rows)
{
    Model *m = ev->m;
    for (int i = 0; i < m->relaggs.n; i++) {
        RelAgg *ag = m->relaggs.items[i];
        if (ag->parent != t || ag->child == t || ag->pre_n) continue;
        ag->pre_rows = rows;
        ag->pre_n = ev_alloc_unset(ev, (size_t)rows * sizeof(uint32_t));
        prefault_fill32(pf, ag->pre_n, (size_t)rows, 0);
        if (ag->func == AGG_COUNT) continue;
        numcol_reserve_unset(&ag->pre_acc, rows);
        prefault_fill32(pf, ag->pre_acc.small, (size_t)rows, (uint32_t)INT32_MIN);
        ag->pre_acc.filled = rows; /* once pf is waited for */
    }
}

/* Makes room at once for the rows the rest of the file will hold, as many
** as its size suggests at the bytes per row and new texts per row seen so
** far; the columns and the string table then grow once, not by doubling
** with a copy each time (at 10^6 rows, a fifth of the persons load). An
** estimate too low only leaves the doubling to finish the job. The new
** room is made present on a second thread (prefault.h), which also empties
** the accumulators later tables fold for these rows. */
static void reserve_for_file(Loader *L, int32_t rows, uint64_t bytes, uint32_t strings_before,
                             size_t chars_before)
{
    struct stat st;
    if (L->in || stat(L->path, &st) != 0 || !bytes) return;
    double per_byte = (double)rows / (double)bytes;
    double total = (double)st.st_size * per_byte * 1.01 + 64;
    if (total <= rows || total >= (double)INT32_MAX / 2) return;
    Intern *in = L->ev->m->strings;
    double more = total - rows;
    uint32_t ids_before = in->count;
    size_t nchars = in->nchars;
    intern_reserve(in, (size_t)(more * (in->count - strings_before) / rows),
                   (size_t)(more * (double)(in->nchars - chars_before) / rows));
    grow_columns(L->t, (int32_t)total, true);
    Prefault *pf = prefault_new();
    if (!pf) return;
    touch_reserved(pf, L->t, rows, in, ids_before, nchars);
    presize_aggs(L->ev, pf, L->t, L->t->cap);
    prefault_start(pf);
    L->ev->prefault = pf;
}

/* Waits for the thread reserve_for_file started, if any. */
static void prefault_done(Eval *ev)
{
    prefault_wait(ev->prefault);
    ev->prefault = NULL;
}

static bool load_rows(Loader *L)
{
    Eval *ev = L->ev;
    Table *t = L->t;
    const CsvField *f;
    size_t n;
    CsvError err;
    int r;
    bool ok = true;
    int32_t row = 0;
    int k = 0; /* rows in the batch buffer */
    Value *buf = arena_alloc(ev->m->arena, sizeof(Value) * (size_t)t->ncols * EVAL_BATCH);
    uint32_t lines[EVAL_BATCH];
    const Column *key = t->cols[t->key_col];
    int key_field = !t->streamed && key->kind == COL_TEXT ? key->csv_pos : -1;
    uint64_t bytes = 0; /* of the rows so far, until the estimate */
    uint32_t strings_before = ev->m->strings->count;
    size_t chars_before = ev->m->strings->nchars;
    while ((r = csvpipe_next(L->csv, &f, &n, &err)) > 0) {
        L->record++;
        if (row < ESTIMATE_AFTER && !t->streamed) {
            bytes += n;
            for (size_t i = 0; i < n; i++)
                bytes += f[i].len;
        }
        if (n != (size_t)L->nfields) {
            diag_pos(ev->d, DIAG_ERROR, L->path, csvpipe_record_line(L->csv), 0,
                     "expected %d fields as in the header, got %zu", L->nfields, n);
            ok = false;
            if (diags_too_many(ev->d)) return false;
            continue;
        }
        Value *vals = buf + (size_t)k * (size_t)t->ncols;
        bool row_ok = load_cells(L, f, n, key_field, vals);
        if (row_ok && !t->streamed) {
            uint32_t id = vals[t->key_col].t;
            if (vals[t->key_col].null ||
                !index_key(L, row, id, (size_t)t->cols[t->key_col]->csv_pos))
                row_ok = false;
        }
        if (!row_ok) {
            ok = false;
            if (diags_too_many(ev->d)) return false;
            continue;
        }
        if (!ok) continue; /* after an error, only look for more errors */
        lines[k] = record_line(L);
        if (!t->streamed) {
            if (row == ESTIMATE_AFTER)
                reserve_for_file(L, row, bytes, strings_before, chars_before);
            if (row >= t->cap) prefault_done(ev); /* the columns are about to move */
            grow_columns(t, row + 1, false);
            store_row(t, row, vals);
            t->key_text[row] = vals[t->key_col].t;
            t->key_line[row] = lines[k];
        }
        row++;
        if (ev->progress && (row & (EVAL_PROGRESS_ROWS - 1)) == 0)
            ev->progress(ev->progress_ctx, EVAL_PROGRESS_READ, load_csv_name(L->path),
                         (uint64_t)row, 0);
        if (++k == EVAL_BATCH) {
            fold_both(L, buf, lines, k);
            k = 0;
        }
    }
    if (r < 0) {
        diag_pos(ev->d, DIAG_ERROR, L->path, err.line, err.col, "%s%s", err.msg,
                 utf8_hint(err.msg));
        return false;
    }
    if (ok && k) fold_both(L, buf, lines, k);
    if (ev->progress)
        ev->progress(ev->progress_ctx, EVAL_PROGRESS_READ, load_csv_name(L->path), (uint64_t)row,
                     0);
    t->nrows = t->streamed ? 0 : row;
    return ok;
}

/* Accumulators of the aggregates table t feeds, one slot per parent row:
** the room presize_aggs emptied ahead, when it is enough. */
static void attach_aggs(Eval *ev, Table *t)
{
    Model *m = ev->m;
    for (int i = 0; i < m->relaggs.n; i++) {
        RelAgg *ag = m->relaggs.items[i];
        if (ag->child != t) continue;
        size_t n = (size_t)(ag->parent->nrows ? ag->parent->nrows : 1);
        if (ag->pre_n && (size_t)ag->pre_rows >= n) {
            ag->n = ag->pre_n;
            ag->acc = ag->pre_acc;
        } else {
            ev_free(ev, ag->pre_n);
            numcol_free(&ag->pre_acc);
            if (ag->func != AGG_COUNT) numcol_reserve(&ag->acc, (int32_t)n);
            ag->n = ev_alloc(ev, n * sizeof(uint32_t));
        }
        ag->pre_n = NULL;
        ag->pre_acc = (NumCol){0};
        RelAgg **aggs = arena_alloc(m->arena, sizeof(RelAgg *) * (size_t)(t->naggs + 1));
        if (t->naggs) memcpy(aggs, t->aggs, sizeof(RelAgg *) * (size_t)t->naggs);
        aggs[t->naggs++] = ag;
        t->aggs = aggs;
    }
}

/* The second model's table reads the first one's storage (columns aligned). */
static void share_storage(const Table *from, Table *to)
{
    to->nrows = from->nrows;
    to->cap = from->cap;
    to->key_text = from->key_text;
    to->key_line = from->key_line;
    to->row_by_text = from->row_by_text;
    to->row_by_text_cap = from->row_by_text_cap;
    to->path = from->path;
    for (int i = 0; i < from->ncols; i++) {
        const Column *f = from->cols[i];
        Column *c = to->cols[i];
        c->num = f->num;
        c->text = f->text;
        c->date = f->date;
        c->boolean = f->boolean;
        c->row = f->row;
    }
}

static Table *table_named(Model *m, const char *name)
{
    for (int i = 0; i < m->ntables; i++)
        if (strcmp(m->tables[i]->name, name) == 0) return m->tables[i];
    return NULL;
}

static bool load_table(Eval *ev, Eval *also, Table *t, const char *dir)
{
    Model *m = ev->m;
    const InlineRows *in = t->inline_rows;
    if (in) {
        t->path = arena_strdup(m->arena, in->src->path);
    } else {
        size_t plen = strlen(dir) + strlen(t->name) + 8;
        t->path = arena_alloc(m->arena, plen);
        snprintf(t->path, plen, "%s/%s.csv", dir, t->name);
    }
    CsvError err;
    Loader L = {.ev = ev,
                .t = t,
                .also = also,
                .also_t = also ? table_named(also->m, t->name) : NULL,
                .path = t->path,
                .in = in,
                .record = -1,
                .errors_before = ev->d->nerrors};
    L.refs = arena_alloc(m->arena, sizeof(RefCache) * (size_t)(t->ncols ? t->ncols : 1));
    memset(L.refs, 0, sizeof(RefCache) * (size_t)(t->ncols ? t->ncols : 1));
    attach_aggs(ev, t);
    ev->row_table = t;
    ev->row_path = t->path;
    if (also) {
        attach_aggs(also, L.also_t);
        also->row_table = L.also_t;
        also->row_path = t->path;
    }
    fold_prepare(ev, t);
    if (also) fold_prepare(also, L.also_t);
    if (load_in_parts(&L) || load_stored_in_parts(&L)) {
        ev->row_table = NULL;
        return true;
    }
    if (in) {
        CsvReader *r = csv_open_mem(in->csv, in->len, &err);
        L.csv = r ? csvpipe_new(r, false, &err) : NULL;
    } else {
        L.csv = csvpipe_open(t->path, &err);
    }
    if (!L.csv) {
        diag_pos(ev->d, DIAG_ERROR, t->path, 0, 0, "cannot read table %s: %s", t->name, err.msg);
        ev->row_table = NULL;
        return false;
    }
    ev->open_csv = L.csv;
    bool ok = load_header(&L) && load_rows(&L);
    prefault_done(ev);
    ev->row_table = NULL;
    ev->rowvals = NULL;
    if (also) {
        also->row_table = NULL;
        also->rowvals = NULL;
        if (ok) share_storage(t, L.also_t);
    }
    csvpipe_close(L.csv);
    ev->open_csv = NULL;
    return ok;
}

bool load_tables_shared(Eval *ev, Eval *also, const char *dir)
{
    Model *m = ev->m;
    bool ok = true;
    for (int order = 0; order < m->ntables; order++)
        for (int i = 0; i < m->ntables; i++) {
            Table *t = m->tables[i];
            if (t->load_order != order) continue;
            /* A table whose parent failed would only repeat the parent's errors. */
            if (!ok) continue;
            if (!load_table(ev, also, t, dir)) ok = false;
        }
    ev->nrows = m->assessed->nrows;
    if (also) also->nrows = also->m->assessed->nrows;
    return ok;
}

bool load_tables(Eval *ev, const char *dir)
{
    return load_tables_shared(ev, NULL, dir);
}
