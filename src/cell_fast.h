/*
** cell_fast.h — the forms nearly every cell takes, parsed inline: the loader
** runs this for every cell of every table (some 10^8 at 10^6 persons), so
** what cell_parse would do in a call is done in the loop. Enumeration values
** are told apart by length and a few bytes, plain numbers are read in 64
** bits, and 是/否/1/0 are the booleans exports write. Anything else, every
** error included, is left to cell_parse.
*/
#ifndef KP_CELL_FAST_H
#define KP_CELL_FAST_H

#include "cell.h"
#include "date.h"

#include <string.h>

static inline uint32_t cell_load4(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

static inline void cell_key_of(const char *s, size_t len, uint32_t *head, uint32_t *tail)
{
    if (len >= 4) {
        *head = cell_load4(s);
        *tail = cell_load4(s + len - 4);
        return;
    }
    uint32_t w = 0;
    for (size_t k = 0; k < len; k++)
        w |= (uint32_t)(unsigned char)s[k] << (8 * k);
    *head = *tail = w;
}

/* Whether s and t, of len > 8 bytes and equal in their first and last 4,
** are equal, compared 8 bytes at a time (the last load overlaps). */
static inline bool cell_same_middle(const char *s, const char *t, size_t len)
{
    for (size_t k = 4; k < len - 4; k += 8) {
        size_t at = k + 8 <= len ? k : len - 8;
        uint64_t a, b;
        memcpy(&a, s + at, 8);
        memcpy(&b, t + at, 8);
        if (a != b) return false;
    }
    return true;
}

/* Whether the n bytes at s and t are equal: inline for the short texts
** keys are (a call to memcmp costs more than the comparison), with loads
** that overlap rather than a loop over the tail. */
static inline bool cell_same_text(const char *s, const char *t, size_t n)
{
    if (n > 16) return memcmp(s, t, n) == 0;
    if (n >= 8) {
        uint64_t a, b, c, d;
        memcpy(&a, s, 8);
        memcpy(&b, t, 8);
        memcpy(&c, s + n - 8, 8);
        memcpy(&d, t + n - 8, 8);
        return ((a ^ b) | (c ^ d)) == 0;
    }
    if (n >= 4)
        return ((cell_load4(s) ^ cell_load4(t)) |
                (cell_load4(s + n - 4) ^ cell_load4(t + n - 4))) == 0;
    for (size_t k = 0; k < n; k++)
        if (s[k] != t[k]) return false;
    return true;
}

static inline bool cell_enum_find(const Column *c, const char *s, size_t len, uint32_t *id)
{
    uint32_t head, tail;
    cell_key_of(s, len, &head, &tail);
    const CellEnumKey *k = c->enum_keys;
    for (int i = 0, n = c->type.enum_vals->n; i < n; i++, k++)
        if (k->len == len && k->head == head && k->tail == tail &&
            (len <= 8 || cell_same_middle(s, k->text, len))) {
            *id = k->id;
            return true;
        }
    return false;
}

static const uint64_t CELL_POW10[] = {
    1,        10,        100,        1000,        10000,        100000,       1000000,
    10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000};

/* -?digits(.digits)?%? with up to 18 integer digits and up to 12 fraction
** digits (10 in a percentage): what exports write. Returns false for
** anything else, which dec_parse then decides; when it succeeds, its value
** is the one dec_parse gives. *whole: no nonzero fraction digit. */
static inline bool cell_fast_number(const char *s, size_t len, bool allow_pct, Dec *out,
                                    bool *whole)
{
    size_t i = s[0] == '-', ib = i, fb;
    int scale = DEC_DIGITS;
    uint64_t ip = 0, fp = 0;
    if (allow_pct && s[len - 1] == '%') {
        len--;
        scale -= 2;
    }
    while (i < len && (unsigned)(s[i] - '0') < 10)
        ip = ip * 10 + (uint64_t)(s[i++] - '0');
    if (i == ib || i - ib > 18) return false;
    fb = i;
    if (i < len) {
        if (s[i] != '.') return false;
        fb = ++i;
        while (i < len && (unsigned)(s[i] - '0') < 10)
            fp = fp * 10 + (uint64_t)(s[i++] - '0');
        if (i == fb || i != len || i - fb > (size_t)scale) return false;
    }
    Dec v = (Dec)ip * (Dec)CELL_POW10[scale] + (Dec)fp * (Dec)CELL_POW10[scale - (int)(i - fb)];
    *out = s[0] == '-' ? -v : v;
    *whole = fp == 0;
    return true;
}

/* The value of a cell of column c (not empty; not a reference, and not a
** text to be interned) in its common forms, as cell_parse gives it; false
** for anything else, which cell_parse then decides. */
static inline bool cell_fast(const Column *c, const char *s, size_t len, Value *v)
{
    bool whole;
    memset(v, 0, sizeof *v);
    switch (c->kind) {
    case COL_TEXT: return true; /* accepted, not kept */
    case COL_ENUM: return cell_enum_find(c, s, len, &v->t);
    case COL_INT:
    case COL_DEC:
    case COL_PERCENT:
        return cell_fast_number(s, len, c->kind == COL_PERCENT, &v->n, &whole) &&
               (c->kind != COL_INT || whole);
    case COL_BOOL:
        if (len == 3 && (memcmp(s, "是", 3) == 0 || memcmp(s, "否", 3) == 0)) {
            v->b = memcmp(s, "是", 3) == 0;
            return true;
        }
        if (len == 1 && (s[0] == '0' || s[0] == '1')) {
            v->b = s[0] == '1';
            return true;
        }
        return false;
    case COL_DATE: return c->used ? date_parse(s, len, &v->d) != 0 : date_valid(s, len) != 0;
    case COL_REF: break;
    }
    return false;
}

#endif
