/*
** cell.c — typed values from their text (see cell.h).
**
** Every cell of a table passes through cell_parse, so the common forms take
** short paths: enumeration values are told apart by length and a few bytes,
** and plain numbers are read in 64 bits. Anything else goes to the general
** parsers, which also word the errors.
*/
#include "cell.h"
#include "cell_fast.h"
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

const CellEnumKey *cell_enum_keys(Arena *a, const PtrVec *vals, const uint32_t *ids)
{
    CellEnumKey *keys = ARENA_ARR(a, CellEnumKey, vals->n);
    for (int i = 0; i < vals->n; i++) {
        const char *t = vals->items[i];
        size_t len = strlen(t);
        keys[i].len = (uint32_t)len;
        keys[i].id = ids[i];
        keys[i].text = t;
        cell_key_of(t, len, &keys[i].head, &keys[i].tail);
    }
    return keys;
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
    case COL_ENUM: return cell_enum_find(c, s, len, &v->t) || enum_error(c, s, err, cap);
    case COL_INT:
    case COL_DEC:
    case COL_PERCENT:
        if (cell_fast_number(s, len, c->kind == COL_PERCENT, &v->n, &whole) &&
            (c->kind != COL_INT || whole))
            return true;
        return number_slow(c->kind, s, len, &v->n, err, cap);
    case COL_BOOL: return parse_bool(s, len, &v->b) || cold_error(c->kind, s, err, cap);
    case COL_DATE: return date_parse(s, len, &v->d) || cold_error(c->kind, s, err, cap);
    case COL_REF: break;
    }
    return cold_error(c->kind, s, err, cap);
}
