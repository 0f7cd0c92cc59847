/*
** suggest.c — "did you mean ...?" by Levenshtein distance over code points.
**
** Distances are counted in code points, not bytes, so a one-character slip in
** a Chinese name ('优秀比列' for '优秀比例') costs 1, not 3. Matching is
** case-sensitive because names in rules are. Running out of memory only
** means no suggestion.
*/
#include "diag.h"

#include <stdlib.h>
#include <string.h>

/* Bytes in the code point at p; an ill-formed byte counts as one code point,
** the same way utf8_count counts it. */
static size_t cp_step(const char *p, size_t n)
{
    if ((unsigned char)*p < 0x80) return 1;
    for (size_t k = 2; k <= 4 && k <= n; k++)
        if (utf8_invalid_at(p, k) == (size_t)-1) return k;
    return 1;
}

/* Splits s into code points, each packed as its bytes: equal packed values
** mean equal code points, and a stray byte can never equal a valid one. */
static uint32_t *to_units(const char *s, size_t *np)
{
    size_t len = strlen(s), n = utf8_count(s, len);
    uint32_t *u = malloc((n + 1) * sizeof *u);
    if (!u) return NULL;
    for (size_t i = 0, k = 0; i < len; k++) {
        size_t step = cp_step(s + i, len - i);
        uint32_t v = 0;
        for (size_t j = 0; j < step; j++)
            v = v << 8 | (unsigned char)s[i + j];
        u[k] = v;
        i += step;
    }
    *np = n;
    return u;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Edit distance of a and b, using row (an + 1 entries) as scratch. Returns
** something > cutoff as soon as the distance is known to exceed it. */
static size_t distance(const uint32_t *a, size_t an, const uint32_t *b, size_t bn, size_t *row,
                       size_t cutoff)
{
    for (size_t j = 0; j <= an; j++)
        row[j] = j;
    for (size_t i = 1; i <= bn; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= an; j++) {
            size_t up = row[j];
            row[j] = min3(up + 1, row[j - 1] + 1, diag + (a[j - 1] != b[i - 1]));
            diag = up;
            if (row[j] < best) best = row[j];
        }
        /* Every later cell is at least the row minimum. */
        if (best > cutoff) return cutoff + 1;
    }
    return row[an];
}

const char *suggest_closest(const char *name, const char *const *cands, size_t n)
{
    size_t an;
    uint32_t *a = name ? to_units(name, &an) : NULL;
    if (!a) return NULL;
    size_t *row = malloc((an + 1) * sizeof *row);
    /* A one-letter name is never "close" to another one-letter name. */
    size_t limit = an / 3 > 1 ? an / 3 : an > 1 ? 1 : 0;
    const char *best = NULL;
    size_t bestd = limit + 1; /* strictly smaller wins, so ties keep the first */
    for (size_t i = 0; row && i < n; i++) {
        if (!cands[i] || strcmp(cands[i], name) == 0) continue;
        size_t bn;
        uint32_t *b = to_units(cands[i], &bn);
        if (!b) break;
        size_t gap = an > bn ? an - bn : bn - an;
        if (gap < bestd) {
            size_t d = distance(a, an, b, bn, row, bestd - 1);
            if (d < bestd) {
                best = cands[i];
                bestd = d;
            }
        }
        free(b);
    }
    free(row);
    free(a);
    return best;
}
