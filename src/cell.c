/*
** cell.c — typed values from their text (see cell.h).
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

static bool parse_enum(Model *m, const Column *c, const char *s, size_t len, Value *v, char *err,
                       size_t cap)
{
    for (int i = 0; i < c->type.enum_vals->n; i++) {
        size_t n;
        const char *ok = intern_str(m->strings, c->enum_ids[i], &n);
        if (n == len && memcmp(ok, s, n) == 0) {
            v->t = c->enum_ids[i];
            return true;
        }
    }
    const char *best = suggest_closest(s, (const char *const *)c->type.enum_vals->items,
                                       (size_t)c->type.enum_vals->n);
    if (best)
        snprintf(err, cap, "\"%.200s\" is not one of the allowed values (did you mean \"%.200s\"?)",
                 s, best);
    else
        snprintf(err, cap, "\"%.200s\" is not one of the allowed values", s);
    return false;
}

bool cell_parse(Model *m, const Column *c, const char *s, size_t len, bool keep_text, Value *v,
                char *err, size_t cap)
{
    memset(v, 0, sizeof *v);
    DecStatus st;
    switch (c->kind) {
    case COL_TEXT:
        if (keep_text) v->t = intern_put(m->strings, s, len);
        return true;
    case COL_ENUM: return parse_enum(m, c, s, len, v, err, cap);
    case COL_INT:
    case COL_DEC:
    case COL_PERCENT:
        st = dec_parse(s, len, c->kind == COL_PERCENT, &v->n);
        if (st == DEC_OK && (c->kind != COL_INT || dec_is_integer(v->n))) return true;
        snprintf(err, cap, "expected %s, got \"%.200s\"%s", kind_name(c->kind), s,
                 st == DEC_TOO_PRECISE ? " (more than 12 decimal places)"
                 : st == DEC_OVERFLOW  ? " (too large)"
                                       : "");
        return false;
    case COL_BOOL:
        if (parse_bool(s, len, &v->b)) return true;
        snprintf(err, cap, "expected true or false (also 1/0, 是/否), got \"%.200s\"", s);
        return false;
    case COL_DATE:
        if (date_parse(s, len, &v->d)) return true;
        snprintf(err, cap, "expected a date YYYY-MM-DD, got \"%.200s\"", s);
        return false;
    case COL_REF: break;
    }
    snprintf(err, cap, "a reference is checked against its table's rows");
    return false;
}
