/*
** numcol.h — a column of decimals stored in 8 bytes per row while every
** value fits (|x| < 9.2e6 at 12 fractional digits, which covers scores,
** counts and amounts of one person), widened to 16-byte Decs the first time
** one does not. Halves the memory of a run at a million persons.
*/
#ifndef KP_NUMCOL_H
#define KP_NUMCOL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "xalloc.h"

typedef struct NumCol {
    int64_t *narrow; /* INT64_MIN marks an absent value */
    Dec *wide;       /* used instead of narrow once widened */
    int32_t cap;
} NumCol;

static inline Dec numcol_get(const NumCol *c, int32_t i)
{
    if (c->wide) return c->wide[i];
    int64_t v = c->narrow[i];
    return v == INT64_MIN ? DEC_NULL : (Dec)v;
}

/* Grows the column to hold at least n rows (new rows are absent). */
static inline void numcol_reserve(NumCol *c, int32_t n)
{
    if (n <= c->cap) return;
    int32_t cap = c->cap ? c->cap : 16;
    while (cap < n)
        cap *= 2;
    if (c->wide) {
        c->wide = xrealloc(c->wide, sizeof(Dec) * (size_t)cap);
        for (int32_t i = c->cap; i < cap; i++)
            c->wide[i] = DEC_NULL;
    } else {
        c->narrow = xrealloc(c->narrow, sizeof(int64_t) * (size_t)cap);
        for (int32_t i = c->cap; i < cap; i++)
            c->narrow[i] = INT64_MIN;
    }
    c->cap = cap;
}

static inline void numcol_widen(NumCol *c)
{
    Dec *w = xmalloc(sizeof(Dec) * (size_t)(c->cap ? c->cap : 1));
    for (int32_t i = 0; i < c->cap; i++)
        w[i] = numcol_get(c, i);
    free(c->narrow);
    c->narrow = NULL;
    c->wide = w;
}

static inline void numcol_set(NumCol *c, int32_t i, Dec v)
{
    if (!c->wide) {
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

static inline void numcol_free(NumCol *c)
{
    free(c->narrow);
    free(c->wide);
    memset(c, 0, sizeof *c);
}

#endif
