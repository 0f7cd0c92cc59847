/*
** numcol.h — a column of decimals stored as compactly as its values allow.
**
** Scores, counts and amounts of one person mostly have few decimal places
** and small magnitudes, so a column starts at 4 bytes per row (units of
** 10^-4, |x| < 214748), widens to 8 bytes (units of 10^-12, |x| < 9.2e6) the
** first time a value does not fit, and to full 16-byte Decs after that.
** Widening copies the column once; every stored value stays exact. At a
** million persons this is the difference between 300 MB and 80 MB of values.
*/
#ifndef KP_NUMCOL_H
#define KP_NUMCOL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "xalloc.h"

#define NUMCOL_SMALL_UNIT ((Dec)100000000) /* 10^-4 expressed in 10^-12 units */

/* The value in the small tier's units, when it has at most 4 decimals and
** fits. The quotient is checked by multiplying back: asked for both the
** quotient and the remainder, the compiler divides (idiv, tens of cycles,
** for every number stored) instead of multiplying by the inverse. */
static inline bool numcol_small_of(Dec v, int32_t *out)
{
    /* 64-bit arithmetic: anything wider could not fit in 32 bits of 10^-4 */
    if (v <= (Dec)INT64_MIN || v > (Dec)INT64_MAX) return false;
    int64_t s = (int64_t)v, q = s / (int64_t)NUMCOL_SMALL_UNIT;
    if (q * (int64_t)NUMCOL_SMALL_UNIT != s || q <= INT32_MIN || q > INT32_MAX) return false;
    *out = (int32_t)q;
    return true;
}

typedef struct NumCol {
    int32_t *small;  /* tier 0: units of 10^-4, INT32_MIN = absent */
    int64_t *narrow; /* tier 1: units of 10^-12, INT64_MIN = absent */
    Dec *wide;       /* tier 2 */
    int32_t cap;
    int32_t filled; /* rows [0, filled) hold a value or absent; the rest is unset */
} NumCol;

static inline Dec numcol_get(const NumCol *c, int32_t i)
{
    if (c->small) {
        int32_t v = c->small[i];
        return v == INT32_MIN ? DEC_NULL : (Dec)v * NUMCOL_SMALL_UNIT;
    }
    if (c->narrow) {
        int64_t v = c->narrow[i];
        return v == INT64_MIN ? DEC_NULL : (Dec)v;
    }
    return c->wide[i];
}

/* Grows the column to hold exactly n rows (new rows are absent): callers
** that grow a row at a time double n themselves, and the others know it. */
static inline void numcol_reserve(NumCol *c, int32_t n)
{
    if (n <= c->cap) return;
    if (c->wide) {
        c->wide = xrealloc(c->wide, sizeof(Dec) * (size_t)n);
        for (int32_t i = c->filled; i < n; i++)
            c->wide[i] = DEC_NULL;
    } else if (c->narrow) {
        c->narrow = xrealloc(c->narrow, sizeof(int64_t) * (size_t)n);
        for (int32_t i = c->filled; i < n; i++)
            c->narrow[i] = INT64_MIN;
    } else {
        c->small = xrealloc(c->small, sizeof(int32_t) * (size_t)n);
        for (int32_t i = c->filled; i < n; i++)
            c->small[i] = INT32_MIN;
    }
    c->cap = c->filled = n;
}

/* Grows the column to hold exactly n rows, leaving the new ones unset (not
** even written, so not yet in memory): for a loader that sets every row, in
** order, before anything reads it. */
static inline void numcol_reserve_unset(NumCol *c, int32_t n)
{
    if (n <= c->cap) return;
    if (c->wide)
        c->wide = xrealloc(c->wide, sizeof(Dec) * (size_t)n);
    else if (c->narrow)
        c->narrow = xrealloc(c->narrow, sizeof(int64_t) * (size_t)n);
    else
        c->small = xrealloc(c->small, sizeof(int32_t) * (size_t)n);
    c->cap = n;
}

/* The column's storage and the size of one row in it. */
static inline void *numcol_data(const NumCol *c, size_t *width)
{
    if (c->small) return *width = sizeof(int32_t), (void *)c->small;
    if (c->narrow) return *width = sizeof(int64_t), (void *)c->narrow;
    return *width = sizeof(Dec), (void *)c->wide;
}

/* Moves the column one tier up (small -> narrow -> wide). */
static inline void numcol_widen(NumCol *c)
{
    size_t n = (size_t)(c->cap ? c->cap : 1);
    if (c->small) {
        int64_t *w = xmalloc(sizeof(int64_t) * n);
        for (int32_t i = 0; i < c->filled; i++)
            w[i] = c->small[i] == INT32_MIN ? INT64_MIN : (int64_t)c->small[i] * 100000000;
        free(c->small);
        c->small = NULL;
        c->narrow = w;
        return;
    }
    Dec *w = xmalloc(sizeof(Dec) * n);
    for (int32_t i = 0; i < c->filled; i++)
        w[i] = numcol_get(c, i);
    free(c->narrow);
    c->narrow = NULL;
    c->wide = w;
}

/* Rows past `filled` must be set in order (filled, filled + 1, ...). */
static inline void numcol_set(NumCol *c, int32_t i, Dec v)
{
    if (i >= c->filled) c->filled = i + 1;
    if (c->small) {
        if (v == DEC_NULL) {
            c->small[i] = INT32_MIN;
            return;
        }
        if (numcol_small_of(v, &c->small[i])) return;
        numcol_widen(c);
    }
    if (c->narrow) {
        if (v == DEC_NULL) {
            c->narrow[i] = INT64_MIN;
            return;
        }
        if (v > (Dec)INT64_MIN && v <= (Dec)INT64_MAX) {
            c->narrow[i] = (int64_t)v;
            return;
        }
        numcol_widen(c);
    }
    c->wide[i] = v;
}

/* v stored at row i in the column's tier as it is, never widening it (two
** threads may be writing other rows of the column): false, with the row left
** absent, when v needs a wider tier. */
static inline bool numcol_put(NumCol *c, int32_t i, Dec v)
{
    if (c->small) {
        if (v == DEC_NULL) {
            c->small[i] = INT32_MIN;
            return true;
        }
        if (numcol_small_of(v, &c->small[i])) return true;
        c->small[i] = INT32_MIN;
        return false;
    }
    if (c->narrow) {
        bool fits = v == DEC_NULL || (v > (Dec)INT64_MIN && v <= (Dec)INT64_MAX);
        c->narrow[i] = fits && v != DEC_NULL ? (int64_t)v : INT64_MIN;
        return fits;
    }
    c->wide[i] = v;
    return true;
}

/* Rows [row, row + n) absent, in the column's tier. */
static inline void numcol_fill_absent(NumCol *c, int32_t row, int32_t n)
{
    for (int32_t i = row; i < row + n; i++) {
        if (c->small)
            c->small[i] = INT32_MIN;
        else if (c->narrow)
            c->narrow[i] = INT64_MIN;
        else
            c->wide[i] = DEC_NULL;
    }
}

/* Rows [row, row + n) set to x[0..n), in order: numcol_set with the
** column's tier looked at once for the run, until a value needs a wider one. */
static inline void numcol_set_run(NumCol *c, int32_t row, const Dec *x, int n)
{
    int i = 0;
    if (c->small) {
        int32_t *d = c->small + row;
        for (; i < n; i++) {
            if (x[i] == DEC_NULL)
                d[i] = INT32_MIN;
            else if (!numcol_small_of(x[i], &d[i]))
                break;
        }
        if (row + i > c->filled) c->filled = row + i;
    }
    for (; i < n; i++)
        numcol_set(c, row + i, x[i]);
}

/* out[i] = the value at rows[i], DEC_NULL where absent. */
static inline void numcol_gather(const NumCol *c, const int32_t *rows, int n, Dec *out)
{
    if (c->small) {
        for (int i = 0; i < n; i++) {
            int32_t x = c->small[rows[i]];
            out[i] = x == INT32_MIN ? DEC_NULL : (Dec)x * NUMCOL_SMALL_UNIT;
        }
    } else if (c->narrow) {
        for (int i = 0; i < n; i++) {
            int64_t x = c->narrow[rows[i]];
            out[i] = x == INT64_MIN ? DEC_NULL : (Dec)x;
        }
    } else {
        for (int i = 0; i < n; i++)
            out[i] = c->wide[rows[i]];
    }
}

static inline void numcol_free(NumCol *c)
{
    free(c->small);
    free(c->narrow);
    free(c->wide);
    memset(c, 0, sizeof *c);
}

#endif
