/*
** test_rows.c — the rows a test writes for its tables:
**
**     persons (person_id, dept, score) {
**         "P1", "D1", 90
**         "P2", "D1", 75
**     }
**
** Each column list is checked against its table (every column named exists,
** none twice, every column left out has a default or is optional), every row
** has one value per column, and then each table's rows are rendered as CSV
** text with the place each field was written. The loader reads that text
** exactly as it reads a CSV file, so the values get the same checks (types,
** enumerations, references, duplicate keys) and a bad one is reported at its
** place in the rule file. A table the test gives no rows is empty.
*/
#include "resolve_int.h"
#include "buf.h"
#include "load.h"

#include <string.h>

static void buf_field(Buf *b, const char *s, bool first)
{
    if (!first) buf_put(b, ",", 1);
    buf_put(b, "\"", 1);
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        buf_put(b, s, (size_t)(q - s) + 1);
        buf_put(b, "\"", 1);
    }
    buf_put(b, s, strlen(s));
    buf_put(b, "\"", 1);
}

static int column_index(const Table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i]->name, name) == 0) return i;
    return -1;
}

static uint32_t line_of(const Resolver *r, uint32_t off)
{
    uint32_t line, col;
    source_linecol(r->src, off, &line, &col);
    return line;
}

static void unknown_column(Resolver *r, const Table *t, const ColumnDecl *cd)
{
    const char *cands[256];
    size_t n = 0;
    for (int i = 0; i < t->ncols && n < 256; i++)
        cands[n++] = t->cols[i]->name;
    const char *best = suggest_closest(cd->name, cands, n);
    if (best)
        RERR(r, cd->span, "unknown column '%s' in table %s (did you mean '%s'?)", cd->name, t->name,
             best);
    else
        RERR(r, cd->span, "unknown column '%s' in table %s", cd->name, t->name);
}

/* Checks one block of rows; fills pos[column] with its place in the column
** list (-1: left out). Returns the table, or NULL after an error. */
static Table *check_rows(Resolver *r, TestBlock *tb, int k, int *pos, int maxcols)
{
    TestRows *tr = tb->tables.items[k];
    Sym *s = sym_find(r, tr->table);
    if (!s || s->kind != SYM_TABLE) {
        if (s)
            RERR(r, tr->table_span, "'%s' is a %s, not a table; rows are given for tables",
                 tr->table, sym_kind_names[s->kind]);
        else
            unknown_table(r, tr->table, tr->table_span);
        return NULL;
    }
    for (int j = 0; j < k; j++) {
        TestRows *prev = tb->tables.items[j];
        if (strcmp(prev->table, tr->table) != 0) continue;
        RERR(r, tr->table_span, "this test already gives the rows of table %s", tr->table);
        diag_at(r->diags, DIAG_NOTE, r->src, prev->table_span, "they are given here");
        return NULL;
    }
    Table *t = s->ptr;
    bool ok = true;
    for (int i = 0; i < t->ncols && i < maxcols; i++)
        pos[i] = -1;
    for (int p = 0; p < tr->cols.n; p++) {
        ColumnDecl *cd = tr->cols.items[p];
        int c = column_index(t, cd->name);
        if (c < 0) {
            unknown_column(r, t, cd);
            ok = false;
        } else if (pos[c] >= 0) {
            RERR(r, cd->span, "column '%s' is listed twice", cd->name);
            ok = false;
        } else {
            pos[c] = p;
        }
    }
    for (int c = 0; c < t->ncols && ok; c++) {
        Column *col = t->cols[c];
        if (pos[c] >= 0 || col->def || col->optional) continue;
        RERR(r, tr->span,
             "the rows of %s leave out column '%s', which has no default (list it, or declare "
             "a default in the table: %s: ... = value)",
             t->name, col->name, col->name);
        ok = false;
    }
    for (int i = 0; i < tr->rows.n; i++) {
        TestRow *row = tr->rows.items[i];
        TestRow *next = i + 1 < tr->rows.n ? tr->rows.items[i + 1] : NULL;
        if (next && line_of(r, next->span.start) == line_of(r, row->span.end - 1)) {
            /* Rows are told apart by a missing comma: two on one line means one was
            ** meant, and a comma is missing (or a date is unquoted: 2023-01-01). */
            RERR(r, ((Cell *)next->cells.items[0])->span,
                 "expected ',' before this value (one row per line; write a date in quotes, "
                 "\"2023-01-01\")");
            ok = false;
            while (i + 1 < tr->rows.n &&
                   line_of(r, ((TestRow *)tr->rows.items[i + 1])->span.start) ==
                       line_of(r, row->span.start))
                i++;
            continue;
        }
        if (row->cells.n == tr->cols.n) continue;
        RERR(r, row->span, "this row has %d value%s, but the column list names %d", row->cells.n,
             row->cells.n == 1 ? "" : "s", tr->cols.n);
        ok = false;
    }
    return ok ? t : NULL;
}

/* Renders the rows (tr may be NULL: no rows) of table t as CSV text. A
** column left out is an empty field, which takes the column's default as an
** empty CSV cell does; a problem with it is reported at the whole row. */
static InlineRows *render(Resolver *r, Table *t, const TestRows *tr, const int *pos)
{
    int nrows = tr ? tr->rows.n : 0, nf = t->ncols;
    InlineRows *in = ARENA_NEW(r->arena, InlineRows);
    in->src = r->src;
    in->nfields = nf;
    in->nrecords = 1 + nrows;
    in->spans = ARENA_ARR(r->arena, Span, (size_t)nf * (size_t)(1 + nrows));
    Buf b = {0};
    for (int c = 0; c < nf; c++) {
        buf_field(&b, t->cols[c]->name, c == 0);
        bool listed = tr && pos[c] >= 0;
        in->spans[c] = listed ? ((ColumnDecl *)tr->cols.items[pos[c]])->span
                       : tr   ? tr->span
                              : t->span;
    }
    buf_put(&b, "\n", 1);
    for (int i = 0; i < nrows; i++) {
        TestRow *row = tr->rows.items[i];
        Span *sp = in->spans + (size_t)(i + 1) * (size_t)nf;
        for (int c = 0; c < nf; c++) {
            Cell *cell = pos[c] >= 0 ? row->cells.items[pos[c]] : NULL;
            buf_field(&b, cell ? cell->text : "", c == 0);
            sp[c] = cell ? cell->span : row->span;
        }
        buf_put(&b, "\n", 1);
    }
    in->len = b.len;
    in->csv = arena_strndup(r->arena, b.p, b.len);
    free(b.p);
    return in;
}

/* Checks the test's rows and gives every table its rows to load. */
bool test_rows_attach(Resolver *r, TestBlock *tb)
{
    Model *m = r->m;
    int maxcols = 0;
    for (int i = 0; i < m->ntables; i++)
        if (m->tables[i]->ncols > maxcols) maxcols = m->tables[i]->ncols;
    const TestRows **given = ARENA_ARR(r->arena, const TestRows *, m->ntables ? m->ntables : 1);
    int **positions = ARENA_ARR(r->arena, int *, m->ntables ? m->ntables : 1);
    bool ok = true;
    for (int k = 0; k < tb->tables.n; k++) {
        int *pos = ARENA_ARR(r->arena, int, maxcols ? maxcols : 1);
        Table *t = check_rows(r, tb, k, pos, maxcols);
        if (!t) {
            ok = false;
            continue;
        }
        for (int i = 0; i < m->ntables; i++)
            if (m->tables[i] == t) {
                given[i] = tb->tables.items[k];
                positions[i] = pos;
            }
    }
    if (!ok) return false;
    for (int i = 0; i < m->ntables; i++)
        m->tables[i]->inline_rows = render(r, m->tables[i], given[i], positions[i]);
    return true;
}
