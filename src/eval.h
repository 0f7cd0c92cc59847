/*
** eval.h — evaluation of resolved expressions, for one row at a time: a row
** of the assessed table (with every computed value, computed on first use in
** dependency order) or a row of a table while it loads.
*/
#ifndef KP_EVAL_H
#define KP_EVAL_H

#include <setjmp.h>

#include "model.h"
#include "resolve.h"

typedef struct Eval {
    Model *m;
    Diags *d;
    jmp_buf *on_error;         /* runtime errors longjmp here after a diagnostic */
    Table *row_table;          /* row context: the table loading */
    Value *rowvals;            /* its current row, by column index */
    Value *rowbuf;             /* a batch of parsed rows, row-major, row_ncols each */
    const uint32_t *buf_lines; /* CSV line of each buffered row */
    int row_ncols;
    const char *row_path;
    uint32_t row_line;
    int32_t nrows;             /* rows of the assessed table */
    struct CsvPipe *open_csv;  /* closed by the caller after an error */
    struct Prefault *prefault; /* a loader's, waited for by the caller after an error */
    bool key_order_known;      /* key_order has run */
    int32_t *by_key;           /* assessed rows in key order; NULL: already in order */
    int32_t *key_rank;         /* position of each row in that order; NULL likewise */
    void **allocs;             /* every run-time allocation, freed by eval_free_all */
    size_t nallocs, cap_allocs;
    bool keep_values;  /* never free a let's column: explanations read them all */
    bool keep_columns; /* never free a table's column: another model shares them */
    /* The rows a value's column is computed for, [lo, hi): all of them, or one
    ** block when the column is split across threads (compute_par.c). Both
    ** threads then store numbers in the column's storage as it is, and set
    ** aside those that would widen it (eval_set_num); a block jumps to
    ** on_shared (code 2) rather than build state every row shares. */
    int32_t lo, hi;
    struct NumAside *aside;
    jmp_buf *on_shared;
    /* Told now and then how far a long run is (rows of table `what` read, or
    ** values computed); NULL when nobody is watching. */
    void (*progress)(void *ctx, int stage, const char *what, uint64_t done, uint64_t total);
    void *progress_ctx;
} Eval;

enum { EVAL_PROGRESS_READ, EVAL_PROGRESS_COMPUTE, EVAL_PROGRESS_EXPLAIN };
/* Rows read between two progress reports (a power of two). */
#define EVAL_PROGRESS_ROWS 65536

Value eval_expr(Eval *ev, Expr *e, int32_t row);
/* Pieces of eval_expr shared with the batch evaluator (vec.c). */
Value eval_path(Eval *ev, const Bound *b, int32_t row, int n);
Value eval_binary(Eval *ev, Expr *e, int32_t row, Value a, Value b);
bool eval_fast_text_eq(Eval *ev, const Expr *e, Value *out);
Value eval_relagg(Eval *ev, Expr *e, int32_t row);
Value eval_call_values(Eval *ev, Expr *e, int32_t row, const Value *args);

/* Batch evaluation (vec.c): e for n rows at once, into out[0..n). rows are
** assessed-table rows, or, while a table loads (rowbuf set), indexes into
** the buffer of parsed rows. Rows whose `active` byte is 0 (when active is
** not NULL) get an absent value and never raise a runtime error, which is
** how `if` and `and`/`or` keep their short-circuit meaning. */
#define EVAL_BATCH 256
/* rows[] = the rows [start, start + n) of the assessed table, n at most a
** batch and start + n at most end; returns n. */
static inline int eval_batch_rows(int32_t start, int32_t end, int32_t *rows)
{
    int n = end - start < EVAL_BATCH ? end - start : EVAL_BATCH;
    for (int i = 0; i < n; i++)
        rows[i] = start + i;
    return n;
}
void eval_vec(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *active, Value *out);
/* The general form of eval_vec for one node (its children still go through
** eval_vec), and the typed forms: numbers as Decs with DEC_NULL for absent,
** truth values as bytes 0, 1 or 2 (absent). vec_row points the scalar
** evaluator at row i of a batch and returns the row to pass it. */
void vec_general(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *active, Value *out);
void vec_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *active, Dec *out);
void vec_bool(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *active, uint8_t *out);
int32_t vec_row(Eval *ev, const int32_t *rows, int i);
/* vec_list.c: a list aggregate in the typed forms; false when it is left to
** the general evaluator. */
bool vec_list_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *active, Dec *out);
bool vec_list_bool(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *active,
                   uint8_t *out);
/* Can evaluating e never raise a runtime error? Then a batch may evaluate it
** in any order and still report the errors around it as the scalar path does. */
bool expr_infallible(const Expr *e);
/* vec_agg.c: an aggregate over related rows or a group, likewise. */
bool vec_agg_num(Eval *ev, Expr *e, const int32_t *rows, int n, const uint8_t *active, Dec *out);
bool eval_cond(Eval *ev, Expr *e, int32_t row, const char *what);
Value column_get(const Column *c, int32_t row);
void eval_fail(Eval *ev, const Expr *e, int32_t row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));
/* "(persons P0001)" or "(cases.csv:12)": where a runtime error happened. */
const char *eval_where(Eval *ev, int32_t row, char *buf, size_t cap);
int value_cmp_text(const Model *m, uint32_t a, uint32_t b);

/* Zeroed memory owned by the run: freed by eval_free_all even when a runtime
** error jumps out; ev_free returns a temporary early. */
void *ev_alloc(Eval *ev, size_t n);
/* The same, its contents unset (its pages not yet touched, for a Prefault). */
void *ev_alloc_unset(Eval *ev, size_t n);
void ev_free(Eval *ev, void *p);
void eval_free_all(Eval *ev);
/* to: a copy of from for another thread, with allocations of its own, its
** diagnostics in d (initialized here) and its runtime errors jumping to
** exit; with shared, asking for shared state jumps there too (code 2).
** Free with eval_free_all and diags_free. */
void eval_fork(Eval *to, const Eval *from, Diags *d, jmp_buf *exit, bool shared);

/* Called where work would build state every row shares (a value's column,
** a group, a group aggregate, the key order): a part of a column split
** across threads cannot, and gives up; the column is then computed on one
** thread. */
static inline void eval_shared_init(Eval *ev)
{
    if (ev->on_shared) longjmp(*ev->on_shared, 2);
}

/* compute.c */
void compute_value(Eval *ev, ValueDef *v);
/* Frees a data column's storage (it reads as never loaded). */
void column_free(Column *c);
/* compute_par.c: runs fn (which computes v's column for rows [ev->lo,
** ev->hi)) over every row, on two threads when there are enough rows. */
typedef void (*ComputeFn)(Eval *ev, ValueDef *v);
void compute_rows(Eval *ev, ValueDef *v, ComputeFn fn);
/* The same for any fn that fills per-row results for [ev->lo, ev->hi):
** numbers into `numbers` through eval_set_num (NULL when fn writes no
** NumCol; else reserved for every row, none of them set yet), anything else
** straight into arrays indexed by row. */
typedef void (*RowsFn)(Eval *ev, void *ctx);
void eval_rows_split(Eval *ev, RowsFn fn, void *ctx, NumCol *numbers);
/* The same for an fn that writes no NumCol, reporting nothing: false when a
** row failed, for a caller that then works in row order to report the
** error a row-by-row pass meets first (the state any row built is kept). */
bool eval_rows_try(Eval *ev, RowsFn fn, void *ctx);
/* Numbers a part of a split column could not store without widening it,
** stored after both threads are done (compute_par.c). */
typedef struct NumAside {
    int32_t *rows;
    Dec *vals;
    size_t n, cap;
} NumAside;
void eval_set_aside(Eval *ev, int32_t row, Dec x);

/* A number of row `row` of column c, as fn of eval_rows_split stores it. */
static inline void eval_set_num(Eval *ev, NumCol *c, int32_t row, Dec x)
{
    if (!ev->aside)
        numcol_set(c, row, x);
    else if (!numcol_put(c, row, x))
        eval_set_aside(ev, row, x);
}

/* Rows [row, row + n) of c set to x[0..n), likewise. */
static inline void eval_set_num_run(Eval *ev, NumCol *c, int32_t row, const Dec *x, int n)
{
    if (!ev->aside) {
        numcol_set_run(c, row, x, n);
        return;
    }
    if (c->small) { /* the common tier, looked at once for the run */
        int32_t *d = c->small + row;
        for (int i = 0; i < n; i++) {
            if (x[i] == DEC_NULL) {
                d[i] = INT32_MIN;
            } else if (!numcol_small_of(x[i], &d[i])) {
                d[i] = INT32_MIN;
                eval_set_aside(ev, row + i, x[i]);
            }
        }
        return;
    }
    for (int i = 0; i < n; i++)
        if (!numcol_put(c, row + i, x[i])) eval_set_aside(ev, row + i, x[i]);
}

/* Is the indicator scored for this row: every enclosing variant was taken? */
bool indicator_active(Eval *ev, Indicator *ind, int32_t row);
Value value_get(Eval *ev, ValueDef *v, int32_t row);
void group_build(Eval *ev, Group *g);
void group_agg_compute(Eval *ev, GroupAgg *g);

/* keyorder.c: works out the key order once; then key_row(ev, i) is the
** i-th row by key and key_pos(ev, row) the position of a row. */
void key_order(Eval *ev);
static inline int32_t key_row(const Eval *ev, int32_t i)
{
    return ev->by_key ? ev->by_key[i] : i;
}
static inline int32_t key_pos(const Eval *ev, int32_t row)
{
    return ev->key_rank ? ev->key_rank[row] : row;
}

/* grade.c */
void grade_compute(Eval *ev);
/* grade_rank.c: rank_begin starts working out the rank order (persons by
** grading group, then by the grades' order keys) on a second thread;
** rank_end waits for it and gives it (made on this thread when the second
** could not), or reports the job's error; rank_free frees it all, and waits
** for the thread first if rank_end was never reached. */
typedef struct RankJob RankJob;
RankJob *rank_begin(Eval *ev, const int32_t *gid, int32_t ngroups);
int32_t *rank_end(Eval *ev, RankJob *j);
void rank_free(Eval *ev, RankJob *j);

#endif
