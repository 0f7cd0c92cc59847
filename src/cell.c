/*
** cell.c — typed values from their text (see cell.h).
**
** Every cell of a table passes through cell_parse, so the common forms take
** short paths: enumeration values are told apart by length and a few bytes,
** and plain numbers are read in 64 bits. Anything else goes to the general
** parsers, which also word the errors.
*/
#include "cell.h"
#include "date.h"

#include <stdio.h>
#include <string.h>

static bool parse_bool(const char *s, size_t len, bool *out)
{
    /* 是/否 and 1/0 first: they are what the exports write */
    if (len == 3 && (memcmp(s, "是", 3) == 0 || memcmp(s, "否", 3) == 0)) {
        *out = memcmp(s, "是", 3) == 0;
        return true;
    }
    if (len == 1 && (s[0] == '0' || s[0] == '1')) {
        *out = s[0] == '1';
        return true;
    }
    static const char *const yes[] = {"true", "TRUE", "True", "yes"};
    static const char *const no[] = {"false", "FALSE", "False", "no"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0) return *out = true;
        if (strcmp(s, no[i]) == 0) return !(*out = false);
    }
    return false;
}

static const char *kind_name(ColKind k)
{
    static const char *const names[] = {
        "text", "int", "decimal", "percent", "bool", "date", "one of the allowed values", "key"};
    return names[k];
}

static inline uint32_t load4(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

static void key_of(const char *s, size_t len, uint32_t *head, uint32_t *tail)
{
    if (len >= 4) {
        *head = load4(s);
        *tail = load4(s + len - 4);
        return;
    }
    uint32_t w = 0;
    for (size_t k = 0; k < len; k++)
        w |= (uint32_t)(unsigned char)s[k] << (8 * k);
    *head = *tail = w;
}

const CellEnumKey *cell_enum_keys(Arena *a, const PtrVec *vals, const uint32_t *ids)
{
    CellEnumKey *keys = ARENA_ARR(a, CellEnumKey, vals->n);
    for (int i = 0; i < vals->n; i++) {
        const char *t = vals->items[i];
        size_t len = strlen(t);
        keys[i].len = (uint32_t)len;
        keys[i].id = ids[i];
        keys[i].text = t;
        key_of(t, len, &keys[i].head, &keys[i].tail);
    }
    return keys;
}

/* Whether s and t, of len > 8 bytes and equal in their first and last 4,
** are equal, compared 8 bytes at a time (the last load overlaps). */
static bool same_middle(const char *s, const char *t, size_t len)
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

static bool enum_find(const Column *c, const char *s, size_t len, uint32_t *id)
{
    uint32_t head, tail;
    key_of(s, len, &head, &tail);
    const CellEnumKey *k = c->enum_keys;
    for (int i = 0, n = c->type.enum_vals->n; i < n; i++, k++)
        if (k->len == len && k->head == head && k->tail == tail &&
            (len <= 8 || same_middle(s, k->text, len))) {
            *id = k->id;
            return true;
        }
    return false;
}

static __attribute__((noinline)) bool enum_error(const Column *c, const char *s, char *err,
                                                 size_t cap)
{
    const char *best = suggest_closest(s, (const char *const *)c->type.enum_vals->items,
                                       (size_t)c->type.enum_vals->n);
    if (best)
        snprintf(err, cap, "\"%.200s\" is not one of the allowed values (did you mean \"%.200s\"?)",
                 s, best);
    else
        snprintf(err, cap, "\"%.200s\" is not one of the allowed values", s);
    return false;
}

static const uint64_t POW10[] = {1,           10,           100,          1000,      10000,
                                 100000,      1000000,      10000000,     100000000, 1000000000,
                                 10000000000, 100000000000, 1000000000000};

/* -?digits(.digits)?%? with up to 18 integer digits and up to 12 fraction
** digits (10 in a percentage): what exports write. Returns false for
** anything else, which dec_parse then decides; when it succeeds, its value
** is the one dec_parse gives. *whole: no nonzero fraction digit. */
static bool fast_number(const char *s, size_t len, bool allow_pct, Dec *out, bool *whole)
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
    Dec v = (Dec)ip * (Dec)POW10[scale] + (Dec)fp * (Dec)POW10[scale - (int)(i - fb)];
    *out = s[0] == '-' ? -v : v;
    *whole = fp == 0;
    return true;
}

static __attribute__((noinline)) bool number_slow(ColKind k, const char *s, size_t len, Dec *n,
                                                  char *err, size_t cap)
{
    DecStatus st = dec_parse(s, len, k == COL_PERCENT, n);
    if (st == DEC_OK && (k != COL_INT || dec_is_integer(*n))) return true;
    snprintf(err, cap, "expected %s, got \"%.200s\"%s", kind_name(k), s,
             st == DEC_TOO_PRECISE ? " (more than 12 decimal places)"
             : st == DEC_OVERFLOW  ? " (too large)"
                                   : "");
    return false;
}

static __attribute__((noinline)) bool cold_error(ColKind k, const char *s, char *err, size_t cap)
{
    if (k == COL_BOOL)
        snprintf(err, cap, "expected true or false (also 1/0, 是/否), got \"%.200s\"", s);
    else if (k == COL_DATE)
        snprintf(err, cap, "expected a date YYYY-MM-DD, got \"%.200s\"", s);
    else
        snprintf(err, cap, "a reference is checked against its table's rows");
    return false;
}

bool cell_parse(Model *m, const Column *c, const char *s, size_t len, bool keep_text, Value *v,
                char *err, size_t cap)
{
    bool whole;
    memset(v, 0, sizeof *v);
    switch (c->kind) {
    case COL_TEXT:
        if (keep_text) v->t = intern_put(m->strings, s, len);
        return true;
    case COL_ENUM: return enum_find(c, s, len, &v->t) || enum_error(c, s, err, cap);
    case COL_INT:
    case COL_DEC:
    case COL_PERCENT:
        if (fast_number(s, len, c->kind == COL_PERCENT, &v->n, &whole) &&
            (c->kind != COL_INT || whole))
            return true;
        return number_slow(c->kind, s, len, &v->n, err, cap);
    case COL_BOOL: return parse_bool(s, len, &v->b) || cold_error(c->kind, s, err, cap);
    case COL_DATE: return date_parse(s, len, &v->d) || cold_error(c->kind, s, err, cap);
    case COL_REF: break;
    }
    return cold_error(c->kind, s, err, cap);
}
