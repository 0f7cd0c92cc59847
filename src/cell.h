/*
** cell.h — one data value from its text, as a CSV cell or a column's default
** holds it. The loader and the resolver share these checks, so a default is
** always a value the data could have held.
*/
#ifndef KP_CELL_H
#define KP_CELL_H

#include "model.h"

/* An allowed value of an enumeration, as cell_parse compares it: its length
** and its first and last 4 bytes (all of it, zero-padded, when shorter)
** rule out almost every other text before its bytes are compared. */
typedef struct CellEnumKey {
    uint32_t len, head, tail;
    uint32_t id; /* interned */
    const char *text;
} CellEnumKey;

/* The keys of the values vals (ids: their interned ids), for Column.enum_keys. */
const CellEnumKey *cell_enum_keys(Arena *a, const PtrVec *vals, const uint32_t *ids);

/* Parses s[0..len) (NUL-terminated, not empty) as a value of column c, which
** is not a reference. keep_text: intern a text value (otherwise it is only
** accepted). On failure writes why to err, e.g. `expected int, got "abc"`
** (the caller names the column; err may be NULL when cap is 0), and returns
** false. */
bool cell_parse(Model *m, const Column *c, const char *s, size_t len, bool keep_text, Value *v,
                char *err, size_t cap);

#endif
