/*
** fold_part.h — an aggregate's filter over an event table's rows, taken
** apart per value of one coded column of the row (an enumeration or a truth
** value): for each value, its answer, or the smaller expression left to
** evaluate. Each row then looks its value up and only evaluates what was
** left for it (fold_part.c says how and when).
*/
#ifndef KP_FOLD_PART_H
#define KP_FOLD_PART_H

#include "eval.h"

typedef struct FilterParts {
    int col;          /* the coded column */
    bool is_bool;     /* indexed by 0/1, not by text id */
    uint16_t *index;  /* text id (or 0/1) -> the value's index */
    uint16_t null_at; /* the index of an empty cell */
    uint8_t *answer;  /* per index: 0, 1, 2 (absent), or 3: evaluate */
    uint8_t *group;   /* per index answered 3: which of left[] */
    Expr **left;      /* the distinct expressions left to evaluate */
    int ngroups;
} FilterParts;

/* The filter taken apart, or NULL when that gains nothing or what is left
** could raise an error. ev->rowbuf and its companions are as they were. */
FilterParts *filter_parts_build(Eval *ev, const Table *t, Expr *where);
void filter_parts_free(Eval *ev, FilterParts *p);
/* The filter's answer w[i] for each row i < k of buf (rows of t) with
** act[i] set, as vec_bool on the whole filter would give it; ev->rowbuf is
** buf. */
void filter_parts_eval(Eval *ev, const Table *t, const FilterParts *p, const Value *buf, int k,
                       const uint8_t *act, uint8_t *w);
/* Largest text id a table indexed by the values of a coded column may have. */
#define FOLD_MAX_KEY (1u << 16)
/* fold.c: one made-up row of t per value of coded column col, the empty
** cell last (row *nv), for answering a filter on each value; *size: the
** largest key (text id, or 0/1) + 1. NULL when the column has too many
** values or keys to tabulate. Free with ev_free. */
Value *fold_value_rows(Eval *ev, const Table *t, int col, int *nv, uint32_t *size);
/* fold.c: does e read only literals, params and the enum or bool column
** *col of the row (ops ==, !=, in, not, and, or)? *col is -1 until a column
** is seen. */
bool fold_lookup_shape(const Table *t, const Expr *e, int *col);

#endif
