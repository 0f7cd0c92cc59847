/*
** load_par.c — a large event table loaded in two parts, one per thread.
**
** An event table (a person's cases) is only folded into aggregates, and
** counts, sums, minima and maxima can be added up part by part. So the file
** is cut at a line end near its middle; each thread reads its own part with
** its own reader (no record crosses between the cores) and parses and folds
** it, the second part into accumulators of its own, added in at the end.
**
** The cut is only right if that line end ends a record (it could be inside
** a quoted field): the first part's reader, which stops there, then ends
** cleanly; otherwise it fails on an unterminated quote. Any problem at all
** in either part (a bad cell, a quote, an empty filter, an overflow) makes
** the attempt give way to the ordinary load, which reads the file from the
** start and reports exactly what it always did. Nothing the attempt did
** remains: it wrote only its own accumulators.
*/
#include "fold.h"
#include "load_int.h"
#include "xalloc.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Below this size one thread reads as fast as two. */
#define PAR_MIN_BYTES ((uint64_t)16 << 20)

typedef struct Part {
    Loader L;
    Eval ev; /* a copy: its own diagnostics, error exit, allocations */
    Diags d;
    jmp_buf exit;
    FoldAcc *acc;
    Value *buf;
    uint64_t rows;
    bool ok;
} Part;

/* Can t be read in parts: an event table, read from a file, feeding one
** model, with no text column that would be interned as it is read. */
static bool eligible(const Loader *L)
{
    const Table *t = L->t;
    if (!t->streamed || L->in || L->also || !t->naggs) return false;
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i]->kind == COL_TEXT && t->cols[i]->used) return false;
    return true;
}

/* The offset just after the first line end at or after the middle of the
** file; 0 when there is none. */
static uint64_t cut_point(const char *path, uint64_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char window[1 << 16];
    uint64_t at = size / 2, cut = 0;
    ssize_t got = pread(fd, window, sizeof window, (off_t)at);
    close(fd);
    for (ssize_t i = 0; i < got && !cut; i++)
        if (window[i] == '\n') cut = at + (uint64_t)i + 1;
    return cut < size ? cut : 0;
}

/* own: the part folds into accumulators of its own (else into the
** aggregates', which the first part does). */
static void part_init(Part *p, const Loader *L, uint64_t off, uint64_t len, bool own)
{
    memset(p, 0, sizeof *p);
    p->L = *L;
    p->ev = *L->ev;
    diags_init(&p->d);
    p->ev.d = &p->d;
    p->ev.on_error = &p->exit;
    p->ev.allocs = NULL;
    p->ev.nallocs = p->ev.cap_allocs = 0;
    p->ev.progress = NULL;
    p->ev.open_csv = NULL;
    p->L.ev = &p->ev;
    p->L.refs = xcalloc((size_t)(L->t->ncols ? L->t->ncols : 1), sizeof(RefCache));
    CsvError err;
    CsvReader *r = csv_open_range(L->path, off, len, &err);
    p->L.csv = r ? csvpipe_new(r, false, &err) : NULL;
    p->acc = own ? fold_new(L->t) : NULL;
    p->buf = xmalloc(sizeof(Value) * (size_t)L->t->ncols * EVAL_BATCH);
    p->ok = p->L.csv != NULL;
}

static void part_free(Part *p)
{
    csvpipe_close(p->L.csv);
    fold_free(p->L.t, p->acc);
    free(p->L.refs);
    free(p->buf);
    eval_free_all(&p->ev);
    diags_free(&p->d);
}

/* Every record of the part, parsed and folded; ok stays true only when all
** of it went through without a problem. */
static void run_part(Part *p)
{
    if (!p->ok) return;
    if (setjmp(p->exit)) { /* a runtime error in a filter or a sum */
        p->ok = false;
        return;
    }
    Table *t = p->L.t;
    const CsvField *f;
    size_t n;
    CsvError err;
    uint32_t lines[EVAL_BATCH];
    int k = 0, r;
    while ((r = csvpipe_next(p->L.csv, &f, &n, &err)) > 0) {
        Value *vals = p->buf + (size_t)k * (size_t)t->ncols;
        if (n != (size_t)p->L.nfields || !load_cells(&p->L, f, n, -1, vals)) {
            p->ok = false;
            return;
        }
        lines[k] = csvpipe_record_line(p->L.csv);
        p->rows++;
        if (++k == EVAL_BATCH) {
            fold_batch(&p->ev, t, p->acc, p->buf, lines, k);
            k = 0;
        }
    }
    if (r < 0) {
        p->ok = false;
        return;
    }
    if (k) fold_batch(&p->ev, t, p->acc, p->buf, lines, k);
}

static void *part_thread(void *arg)
{
    run_part(arg);
    return NULL;
}

/* Back to empty accumulators, as attach_aggs left them. */
static void reset_aggs(Table *t)
{
    for (int a = 0; a < t->naggs; a++) {
        RelAgg *ag = t->aggs[a];
        size_t n = (size_t)(ag->parent->nrows ? ag->parent->nrows : 1);
        memset(ag->n, 0, n * sizeof(uint32_t));
        for (size_t i = 0; ag->func != AGG_COUNT && i < n; i++)
            numcol_set(&ag->acc, (int32_t)i, DEC_NULL);
    }
}

bool load_in_parts(Loader *L)
{
    struct stat st;
    if (!eligible(L) || stat(L->path, &st) != 0 || (uint64_t)st.st_size < PAR_MIN_BYTES)
        return false;
    uint64_t size = (uint64_t)st.st_size, cut = cut_point(L->path, size);
    if (!cut) return false;
    Part *a = xmalloc(sizeof *a), *b = xmalloc(sizeof *b);
    part_init(a, L, 0, cut, false);
    part_init(b, L, cut, size - cut, true);
    /* The header, read by the first part, names the fields of both. */
    a->ok = a->ok && load_header(&a->L);
    b->L.field_col = a->L.field_col;
    b->L.nfields = a->L.nfields;
    pthread_t thread;
    bool started = a->ok && b->ok && pthread_create(&thread, NULL, part_thread, b) == 0;
    if (started) {
        run_part(a);
        pthread_join(thread, NULL);
    }
    bool ok = started && a->ok && b->ok && fold_merge(L->t, b->acc);
    if (!ok) reset_aggs(L->t);
    Eval *ev = L->ev;
    if (ok && ev->progress)
        ev->progress(ev->progress_ctx, EVAL_PROGRESS_READ, load_csv_name(L->path),
                     a->rows + b->rows, 0);
    part_free(a);
    part_free(b);
    free(a);
    free(b);
    return ok;
}
