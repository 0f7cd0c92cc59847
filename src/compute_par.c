/*
** compute_par.c — a column computed on two threads: a value's, or any
** per-row result (a veto's condition).
**
** Each row of a column depends only on other, finished columns, so the rows
** can be split: the first batch is computed alone (it builds whatever the
** value needs once, such as the branch each row takes), then the rest is cut
** in two at a batch boundary and each half runs on its own thread, with its
** own copy of the evaluator. The second half writes its numbers into a column
** of its own, copied into the value's after both are done, because a number
** column may be reallocated when a wider value arrives.
**
** The outcome is that of computing the rows in order:
**   - a runtime error in the first half is reported as it would have been;
**   - one in the second half only when the first half finished cleanly;
**   - a half that needs to build shared state (a group, another value)
**     gives up, and the rows it had are computed again on this thread.
** A half never writes shared state, so giving up leaves nothing behind.
*/
#include "eval.h"

#include <pthread.h>
#include <string.h>

/* Below this many rows a second thread costs more than it saves. */
#define PAR_MIN_ROWS (16 * EVAL_BATCH)

enum { PART_DONE, PART_FAILED, PART_SHARED };

typedef struct Part {
    Eval ev; /* a copy: its own rows, allocations, error exit */
    RowsFn fn;
    void *ctx;
    jmp_buf exit;
    int status;
    NumCol num;  /* the second half's numbers */
    Diags diags; /* the second half's error */
} Part;

static void run_part(Part *p)
{
    int code = setjmp(p->exit);
    if (code == 0) {
        p->fn(&p->ev, p->ctx);
        p->status = PART_DONE;
    } else {
        p->status = code == 2 ? PART_SHARED : PART_FAILED;
    }
}

static void *part_thread(void *arg)
{
    run_part(arg);
    return NULL;
}

static void part_init(Part *p, const Eval *ev, RowsFn fn, void *ctx, int32_t lo, int32_t hi)
{
    memset(p, 0, sizeof *p);
    p->ev = *ev;
    p->ev.allocs = NULL;
    p->ev.nallocs = p->ev.cap_allocs = 0;
    p->ev.lo = lo;
    p->ev.hi = hi;
    p->ev.on_error = &p->exit;
    p->ev.on_shared = &p->exit;
    p->ev.progress = NULL;
    p->fn = fn;
    p->ctx = ctx;
}

/* Rows [lo, hi) on this thread, as if nothing were split. */
static void run_rows(Eval *ev, RowsFn fn, void *ctx, int32_t lo, int32_t hi)
{
    ev->lo = lo;
    ev->hi = hi;
    fn(ev, ctx);
}

/* The second half's numbers, into the column. */
static int tier(const NumCol *c)
{
    return c->small ? 0 : c->narrow ? 1 : 2;
}

static void merge_numbers(NumCol *dest, const NumCol *part, int32_t lo, int32_t hi)
{
    /* The column as wide as the part, then a block copy when they match. */
    while (tier(dest) < tier(part))
        numcol_widen(dest);
    size_t n = (size_t)(hi - lo);
    if (tier(dest) == tier(part)) {
        if (dest->small) memcpy(dest->small + lo, part->small, n * sizeof *dest->small);
        if (dest->narrow) memcpy(dest->narrow + lo, part->narrow, n * sizeof *dest->narrow);
        if (dest->wide) memcpy(dest->wide + lo, part->wide, n * sizeof *dest->wide);
        return;
    }
    for (int32_t row = lo; row < hi; row++)
        numcol_set(dest, row, numcol_get(part, row - lo));
}

void eval_rows_split(Eval *ev, RowsFn fn, void *ctx, NumCol *numbers)
{
    int32_t n = ev->nrows;
    if (n < PAR_MIN_ROWS || ev->on_shared) {
        run_rows(ev, fn, ctx, 0, n);
        return;
    }
    run_rows(ev, fn, ctx, 0, EVAL_BATCH);
    int32_t mid = EVAL_BATCH + (n - EVAL_BATCH) / 2 / EVAL_BATCH * EVAL_BATCH;
    Part *a = ev_alloc(ev, sizeof(Part)), *b = ev_alloc(ev, sizeof(Part));
    part_init(a, ev, fn, ctx, EVAL_BATCH, mid);
    part_init(b, ev, fn, ctx, mid, n);
    diags_init(&b->diags);
    b->ev.d = &b->diags;
    if (numbers) {
        numcol_reserve(&b->num, n - mid);
        b->ev.part = &b->num;
    }
    pthread_t t;
    bool started = pthread_create(&t, NULL, part_thread, b) == 0;
    run_part(a);
    if (started) pthread_join(t, NULL);
    eval_free_all(&a->ev);
    eval_free_all(&b->ev);
    int sa = a->status, sb = started ? b->status : PART_SHARED;
    if (sa == PART_DONE && sb == PART_DONE && numbers) merge_numbers(numbers, &b->num, mid, n);
    if (sa == PART_DONE && sb == PART_FAILED) diags_merge(ev->d, &b->diags, true);
    numcol_free(&b->num);
    diags_free(&b->diags);
    ev_free(ev, a);
    ev_free(ev, b);
    ev->lo = 0;
    ev->hi = n;
    if (sa == PART_FAILED || (sa == PART_DONE && sb == PART_FAILED)) longjmp(*ev->on_error, 1);
    if (sa == PART_SHARED)
        run_rows(ev, fn, ctx, EVAL_BATCH, n);
    else if (sb == PART_SHARED)
        run_rows(ev, fn, ctx, mid, n);
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

void compute_rows(Eval *ev, ValueDef *v, ComputeFn fn)
{
    ValueRows vr = {v, fn};
    eval_rows_split(ev, value_rows, &vr, v->type.base == T_NUM && !v->type.list ? &v->num : NULL);
}
