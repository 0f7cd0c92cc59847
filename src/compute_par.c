/*
** compute_par.c — a column computed on two threads: a value's, or any
** per-row result (a veto's condition).
**
** Each row of a column depends only on other, finished columns, so the rows
** can be split: the first batch is computed alone (it builds whatever the
** value needs once, such as the branch each row takes), then the rest is cut
** into blocks that two threads take in order as they come, each with its own
** copy of the evaluator: a thread that finishes its block early (the other
** one clearing new pages, or on a slower core) takes the next. The second
** thread writes its numbers into a column of its own, copied into the
** value's after both are done, because a number column may be reallocated
** when a wider value arrives.
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
    NumCol num;           /* the second thread's numbers, row first at 0 */
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
}

/* Rows [lo, hi) on this thread, as if nothing were split. */
static void run_rows(Eval *ev, RowsFn fn, void *ctx, int32_t lo, int32_t hi)
{
    ev->lo = lo;
    ev->hi = hi;
    fn(ev, ctx);
}

static int tier(const NumCol *c)
{
    return c->small ? 0 : c->narrow ? 1 : 2;
}

/* Rows [lo, hi) of the second thread's numbers (its row lo - base), into
** the column, which is at least as wide. */
static void merge_rows(NumCol *dest, const NumCol *part, int32_t base, int32_t lo, int32_t hi)
{
    size_t n = (size_t)(hi - lo);
    if (tier(dest) == tier(part)) {
        if (dest->small) memcpy(dest->small + lo, part->small + (lo - base), n * 4);
        if (dest->narrow) memcpy(dest->narrow + lo, part->narrow + (lo - base), n * 8);
        if (dest->wide) memcpy(dest->wide + lo, part->wide + (lo - base), n * sizeof(Dec));
        return;
    }
    for (int32_t row = lo; row < hi; row++)
        numcol_set(dest, row, numcol_get(part, row - base));
}

void eval_rows_split(Eval *ev, RowsFn fn, void *ctx, NumCol *numbers)
{
    int32_t n = ev->nrows;
    if (n < PAR_MIN_ROWS || ev->on_shared) {
        run_rows(ev, fn, ctx, 0, n);
        return;
    }
    run_rows(ev, fn, ctx, 0, EVAL_BATCH);
    Blocks b = {.first = EVAL_BATCH, .n = n};
    b.count = (n - EVAL_BATCH + BLOCK_ROWS - 1) / BLOCK_ROWS;
    atomic_init(&b.next, 0);
    atomic_init(&b.stop, false);
    b.status = ev_alloc(ev, (size_t)b.count);
    b.by_second = ev_alloc(ev, (size_t)b.count);
    /* On lines of their own: each thread writes its part for every row. */
    Part *a = xcalloc_lines(sizeof(Part)), *s = xcalloc_lines(sizeof(Part));
    part_init(a, ev, fn, ctx, &b);
    part_init(s, ev, fn, ctx, &b);
    if (numbers) {
        numcol_reserve(&s->num, n - EVAL_BATCH);
        s->ev.part = &s->num;
        s->ev.part_base = EVAL_BATCH;
    }
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
    if (numbers) {
        bool any = false;
        for (int32_t i = 0; i < stop && !any; i++)
            any = b.by_second[i];
        while (any && tier(numbers) < tier(&s->num))
            numcol_widen(numbers);
        for (int32_t i = 0; i < stop; i++) {
            int32_t lo, hi;
            block_rows(&b, i, &lo, &hi);
            if (b.by_second[i]) merge_rows(numbers, &s->num, EVAL_BATCH, lo, hi);
        }
    }
    int32_t failed = stop < b.count && b.status[stop] == BLOCK_FAILED ? stop : -1;
    if (failed >= 0) diags_merge(ev->d, b.by_second[failed] ? &s->diags : &a->diags, true);
    numcol_free(&s->num);
    diags_free(&a->diags);
    diags_free(&s->diags);
    free(a);
    free(s);
    ev_free(ev, b.status);
    ev_free(ev, b.by_second);
    ev->lo = 0;
    ev->hi = n;
    if (failed >= 0) longjmp(*ev->on_error, 1);
    if (stop < b.count) { /* gave up, or was stopped: the rest in order, here */
        int32_t lo, hi;
        block_rows(&b, stop, &lo, &hi);
        run_rows(ev, fn, ctx, lo, n);
    }
    ev->lo = 0;
    ev->hi = n;
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

void compute_rows(Eval *ev, ValueDef *v, ComputeFn fn)
{
    ValueRows vr = {v, fn};
    eval_rows_split(ev, value_rows, &vr, v->type.base == T_NUM && !v->type.list ? &v->num : NULL);
}
