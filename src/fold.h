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
/* Folds k parsed rows (row-major, t->ncols Values each; lines[i] is row i's
** line in the CSV file) into every aggregate of t. */
void fold_batch(Eval *ev, Table *t, Value *buf, const uint32_t *lines, int k);

#endif
