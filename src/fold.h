/*
** fold.h — folding the rows of an event table, a batch at a time as they are
** parsed, into the aggregates the scheme uses over them (count, sum, avg,
** min, max per parent row): the rows themselves are never kept.
*/
#ifndef KP_FOLD_H
#define KP_FOLD_H

#include "eval.h"

/* Once per load, after the aggregates are attached to t: works out the
** filters that can be answered by a table lookup. */
void fold_prepare(Eval *ev, Table *t);
/* What a fold adds up into, per aggregate of a table: the rows counted and
** the running sum, minimum or maximum of each parent row. */
typedef struct FoldAcc {
    uint32_t *n;
    NumCol acc;
} FoldAcc;

/* Folds k parsed rows (row-major, t->ncols Values each; lines[i] is row i's
** line in the CSV file) into every aggregate of t: into the aggregates' own
** accumulators, or into[a] for aggregate a when into is given. */
void fold_batch(Eval *ev, Table *t, FoldAcc *into, Value *buf, const uint32_t *lines, int k);
/* Accumulators like t's aggregates' own, empty (free with fold_free). */
FoldAcc *fold_new(const Table *t);
/* The same in two steps: fold_alloc on the thread whose heap should get the
** memory back, fold_empty on the one that will fold into them, which then
** takes the cost of the first touch of every page. */
FoldAcc *fold_alloc(const Table *t);
void fold_empty(const Table *t, FoldAcc *acc);
void fold_free(const Table *t, FoldAcc *acc);
/* Adds part (rows folded separately) into t's aggregates' own; false when
** a sum overflows (which row made it is not known here). */
bool fold_merge(Table *t, const FoldAcc *part);

#endif
