/*
** load_par.c — a large event table loaded on two threads.
**
** An event table (a person's cases) is only folded into aggregates, and
** counts, sums, minima and maxima can be added up part by part. So the file
** is cut at line ends into pieces of a few tens of megabytes; each thread
** takes the next piece not yet taken, reads it with a reader of its own (no
** record crosses between the cores), and parses and folds it, the second
** thread into accumulators of its own, added in at the end. Taking pieces
** as they come, rather than half the file each, keeps both threads busy to
** the end when one core runs slower than the other, as virtual machines'
** cores do.
**
** A cut is only right if that line end ends a record (it could be inside a
** quoted field): the reader of the piece before it, which stops there, then
** ends cleanly; otherwise it fails on an unterminated quote. Any problem at
** all in any piece (a bad cell, a quote, an empty filter, an overflow) makes
** the attempt give way to the ordinary load, which reads the file from the
** start and reports exactly what it always did. Nothing the attempt did
** remains: it wrote only accumulators, which are emptied again.
*/
#include "fold.h"
#include "load_int.h"
#include "xalloc.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
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
    Pieces *pieces;
    FoldAcc *acc; /* its own accumulators, or NULL: the aggregates' */
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

static void part_init(Part *p, const Loader *L, Pieces *ps, bool own)
{
    memset(p, 0, sizeof *p);
    p->L = *L;
    p->L.csv = NULL;
    eval_fork(&p->ev, L->ev, &p->d, &p->exit, false);
    p->L.ev = &p->ev;
    p->L.refs = xcalloc_lines(sizeof(RefCache) * (size_t)(L->t->ncols ? L->t->ncols : 1));
    p->pieces = ps;
    /* Allocated here, so that the memory returns to this thread's heap for
    ** the columns computed next; emptied by the part's thread. */
    p->acc = own ? fold_alloc(L->t) : NULL;
    p->buf = xmalloc(sizeof(Value) * (size_t)L->t->ncols * EVAL_BATCH);
    p->ok = true;
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

/* Piece i becomes the part's input; false when it cannot be opened. */
static bool open_piece(Part *p, int i)
{
    csvpipe_close(p->L.csv);
    const Pieces *ps = p->pieces;
    CsvError err;
    CsvReader *r = csv_open_range(ps->path, ps->cut[i], ps->cut[i + 1] - ps->cut[i], &err);
    p->L.csv = r ? csvpipe_new(r, false, &err) : NULL;
    return p->L.csv != NULL;
}

/* Every record of the current piece, parsed and folded; false at the first
** problem. */
static bool run_piece(Part *p)
{
    Table *t = p->L.t;
    const CsvField *f;
    size_t n;
    CsvError err;
    uint32_t lines[EVAL_BATCH];
    int k = 0, r;
    uint64_t rows = 0;
    while ((r = csvpipe_next(p->L.csv, &f, &n, &err)) > 0) {
        Value *vals = p->buf + (size_t)k * (size_t)t->ncols;
        if (n != (size_t)p->L.nfields || !load_cells(&p->L, f, n, -1, vals)) return false;
        lines[k] = csvpipe_record_line(p->L.csv);
        rows++;
        if (++k == EVAL_BATCH) {
            fold_batch(&p->ev, t, p->acc, p->buf, lines, k);
            k = 0;
        }
    }
    p->rows += rows;
    if (r < 0) return false;
    if (k) fold_batch(&p->ev, t, p->acc, p->buf, lines, k);
    return true;
}

/* The piece already open (the first, whose header was read), if any, then
** pieces as they come, until none is left or one has failed. */
static void run_part(Part *p)
{
    Pieces *ps = p->pieces;
    if (setjmp(p->exit)) { /* a runtime error in a filter or a sum */
        p->ok = false;
        atomic_store(&ps->failed, true);
        return;
    }
    if (p->acc) fold_empty(p->L.t, p->acc);
    if (p->L.csv && !run_piece(p)) p->ok = false;
    for (int i; p->ok && (i = pieces_take(ps)) >= 0;)
        if (!open_piece(p, i) || !run_piece(p)) p->ok = false;
    if (!p->ok) atomic_store(&ps->failed, true);
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
    Pieces *ps = xcalloc(1, sizeof *ps);
    ps->path = L->path;
    if (!pieces_cut(ps, (uint64_t)st.st_size, PIECE_BYTES)) {
        free(ps);
        return false;
    }
    /* Each on lines of its own, like the parts' reference caches: the
    ** threads write them for every record. */
    Part *a = xcalloc_lines(sizeof *a), *b = xcalloc_lines(sizeof *b);
    part_init(a, L, ps, false);
    part_init(b, L, ps, true);
    /* The first piece starts with the header, which names the fields of all. */
    atomic_store(&ps->next, 1);
    a->ok = open_piece(a, 0) && load_header(&a->L);
    b->L.field_col = a->L.field_col;
    b->L.fast = a->L.fast;
    b->L.nfields = a->L.nfields;
    pthread_t thread;
    bool started = a->ok && pthread_create(&thread, NULL, part_thread, b) == 0;
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
    free(ps);
    return ok;
}

bool pieces_cut(Pieces *ps, uint64_t size, uint64_t piece)
{
    int fd = open(ps->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    uint64_t want = size / piece;
    if (want < 2) want = 2;
    if (want > MAX_PIECES) want = MAX_PIECES;
    char window[1 << 16];
    ps->cut[0] = 0;
    ps->n = 0;
    for (uint64_t i = 1; i < want; i++) {
        uint64_t at = size / want * i, cut = 0;
        if (at <= ps->cut[ps->n]) continue; /* a line longer than a piece */
        ssize_t got = pread(fd, window, sizeof window, (off_t)at);
        for (ssize_t k = 0; k < got && !cut; k++)
            if (window[k] == '\n') cut = at + (uint64_t)k + 1;
        if (cut && cut < size) ps->cut[++ps->n] = cut;
    }
    close(fd);
    ps->cut[++ps->n] = size;
    return ps->n >= 2;
}

int pieces_take(Pieces *ps)
{
    if (atomic_load(&ps->failed)) return -1;
    int i = atomic_fetch_add(&ps->next, 1);
    return i < ps->n ? i : -1;
}
