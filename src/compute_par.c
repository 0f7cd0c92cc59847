/*
** compute_par.c — a column computed on two threads: a value's, or any
** per-row result (a veto's condition).
**
** Each row of a column depends only on other, finished columns, so the rows
** can be split: the first batch is computed alone (it builds whatever the
** value needs once, such as the branch each row takes), then the rest is cut
** into blocks that two threads take in order as they come, each with its own
** copy of the evaluator: a thread that finishes its block early (the other
** one clearing new pages, or on a slower core) takes the next. Each thread
** empties a block's rows of the value's number column as it takes it (the
** column is not emptied ahead, on one thread) and stores its numbers there
** in the column's storage as it is: a number that needs a wider one would
** move the column under the other thread, so it is set aside, and stored
** (widening the column) after both are done.
**
** The outcome is that of computing the rows in order:
**   - of the blocks that failed, the first one's error is reported: every
**     block before it was taken before it, and finished;
**   - a block that needs to build shared state (a group, another value)
**     gives up, and from that block on the rows are computed again on this
**     thread, in order.
** A block never writes shared state, so giving up leaves nothing behind.
*/
#include "eval.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

/* Below this many rows a second thread costs more than it saves. */
#define PAR_MIN_ROWS (16 * EVAL_BATCH)
/* Rows per block: small enough that the threads finish together, large
** enough that taking one costs nothing. */
#define BLOCK_ROWS (32 * EVAL_BATCH)

enum { BLOCK_TODO, BLOCK_DONE, BLOCK_FAILED, BLOCK_SHARED };

/* The blocks of [first, n), taken in order by whichever thread is free. */
typedef struct Blocks {
    int32_t first, n, count;
    NumCol *numbers; /* the column the blocks fill, or NULL */
    atomic_int next;
    atomic_bool stop;   /* a block failed or gave up: take no more */
    uint8_t *status;    /* per block */
    uint8_t *by_second; /* per block: computed by the second thread */
} Blocks;

typedef struct Part {
    Eval ev; /* a copy: its own rows, allocations, error exit, diagnostics */
    RowsFn fn;
    void *ctx;
    Blocks *blocks;
    jmp_buf exit;
    Diags diags;
    int32_t failed_block; /* the block whose error diags holds, or -1 */
    NumAside aside;       /* numbers that would widen the column */
} Part;

static void block_rows(const Blocks *b, int32_t i, int32_t *lo, int32_t *hi)
{
    *lo = b->first + i * BLOCK_ROWS;
    *hi = b->n - *lo < BLOCK_ROWS ? b->n : *lo + BLOCK_ROWS;
}

static void run_part(Part *p, bool second)
{
    Blocks *b = p->blocks;
    for (;;) {
        if (atomic_load(&b->stop)) return;
        int32_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->count) return;
        block_rows(b, i, &p->ev.lo, &p->ev.hi);
        b->by_second[i] = second;
        if (b->numbers) numcol_fill_absent(b->numbers, p->ev.lo, p->ev.hi - p->ev.lo);
        int code = setjmp(p->exit);
        if (code == 0) {
            p->fn(&p->ev, p->ctx);
            b->status[i] = BLOCK_DONE;
            continue;
        }
        b->status[i] = code == 2 ? BLOCK_SHARED : BLOCK_FAILED;
        if (code != 2) p->failed_block = i;
        atomic_store(&b->stop, true);
        return;
    }
}

static void *part_thread(void *arg)
{
    run_part(arg, true);
    return NULL;
}

static void part_init(Part *p, const Eval *ev, RowsFn fn, void *ctx, Blocks *b)
{
    memset(p, 0, sizeof *p);
    eval_fork(&p->ev, ev, &p->diags, &p->exit, true);
    p->fn = fn;
    p->ctx = ctx;
    p->blocks = b;
    p->failed_block = -1;
    p->ev.aside = b->numbers ? &p->aside : NULL;
}

void eval_set_aside(Eval *ev, int32_t row, Dec x)
{
    NumAside *a = ev->aside;
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->rows = xrealloc(a->rows, a->cap * sizeof *a->rows);
        a->vals = xrealloc(a->vals, a->cap * sizeof *a->vals);
    }
    a->rows[a->n] = row;
    a->vals[a->n++] = x;
}

/* The numbers a part set aside for rows before `end`, stored now. */
static void store_aside(NumCol *numbers, const NumAside *a, int32_t end)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->rows[i] < end) numcol_set(numbers, a->rows[i], a->vals[i]);
}

static void aside_free(NumAside *a)
{
    free(a->rows);
    free(a->vals);
}

/* Rows [lo, hi) on this thread, as if nothing were split (numbers, if any,
** straight into the column). */
static void run_rows(Eval *ev, RowsFn fn, void *ctx, int32_t lo, int32_t hi)
{
    struct NumAside *aside = ev->aside;
    ev->aside = NULL;
    ev->lo = lo;
    ev->hi = hi;
    fn(ev, ctx);
    ev->aside = aside;
}

void eval_rows_split(Eval *ev, RowsFn fn, void *ctx, NumCol *numbers)
{
    int32_t n = ev->nrows;
    if (n < PAR_MIN_ROWS || ev->on_shared) {
        if (numbers) {
            numcol_fill_absent(numbers, 0, n);
            numbers->filled = n;
        }
        run_rows(ev, fn, ctx, 0, n);
        return;
    }
    if (numbers) { /* the first batch alone may widen the column */
        numcol_fill_absent(numbers, 0, EVAL_BATCH);
        numbers->filled = EVAL_BATCH;
    }
    run_rows(ev, fn, ctx, 0, EVAL_BATCH);
    Blocks b = {.first = EVAL_BATCH, .n = n, .numbers = numbers};
    b.count = (n - EVAL_BATCH + BLOCK_ROWS - 1) / BLOCK_ROWS;
    atomic_init(&b.next, 0);
    atomic_init(&b.stop, false);
    b.status = ev_alloc(ev, (size_t)b.count);
    b.by_second = ev_alloc(ev, (size_t)b.count);
    /* On lines of their own: each thread writes its part for every row. */
    Part *a = xcalloc_lines(sizeof(Part)), *s = xcalloc_lines(sizeof(Part));
    part_init(a, ev, fn, ctx, &b);
    part_init(s, ev, fn, ctx, &b);
    pthread_t t;
    bool started = pthread_create(&t, NULL, part_thread, s) == 0;
    run_part(a, false);
    if (started) pthread_join(t, NULL);
    eval_free_all(&a->ev);
    eval_free_all(&s->ev);
    /* The first block not done decides: all before it are. */
    int32_t stop = 0;
    while (stop < b.count && b.status[stop] == BLOCK_DONE)
        stop++;
    int32_t redo = n; /* the rows from here on are computed again, in order */
    if (stop < b.count) {
        int32_t hi;
        block_rows(&b, stop, &redo, &hi);
    }
    if (numbers) {
        numcol_fill_absent(numbers, redo, n - redo);
        numbers->filled = n;
        store_aside(numbers, &a->aside, redo);
        store_aside(numbers, &s->aside, redo);
    }
    int32_t failed = stop < b.count && b.status[stop] == BLOCK_FAILED ? stop : -1;
    if (failed >= 0) diags_merge(ev->d, b.by_second[failed] ? &s->diags : &a->diags, true);
    aside_free(&a->aside);
    aside_free(&s->aside);
    diags_free(&a->diags);
    diags_free(&s->diags);
    free(a);
    free(s);
    ev_free(ev, b.status);
    ev_free(ev, b.by_second);
    ev->lo = 0;
    ev->hi = n;
    if (failed >= 0) longjmp(*ev->on_error, 1);
    if (redo < n) run_rows(ev, fn, ctx, redo, n); /* gave up, or was stopped */
    ev->lo = 0;
    ev->hi = n;
}

bool eval_rows_try(Eval *ev, RowsFn fn, void *ctx)
{
    Diags quiet, *d = ev->d;
    jmp_buf *outer = ev->on_error, here;
    diags_init(&quiet);
    ev->d = &quiet;
    ev->on_error = &here;
    volatile bool ok = true;
    if (setjmp(here) == 0)
        eval_rows_split(ev, fn, ctx, NULL);
    else
        ok = false;
    ev->d = d;
    ev->on_error = outer;
    ev->lo = 0;
    ev->hi = ev->nrows;
    diags_free(&quiet);
    return ok;
}

typedef struct ValueRows {
    ValueDef *v;
    ComputeFn fn;
} ValueRows;

static void value_rows(Eval *ev, void *ctx)
{
    ValueRows *vr = ctx;
    vr->fn(ev, vr->v);
}

void compute_rows(Eval *ev, ValueDef *v, ComputeFn fn)
{
    ValueRows vr = {v, fn};
    eval_rows_split(ev, value_rows, &vr, v->type.base == T_NUM && !v->type.list ? &v->num : NULL);
}
