/*
** load.h — reading a scheme's tables from CSV files: header checks, typed
** cells, key indexes, references, and the aggregates folded while an event
** table streams by.
*/
#ifndef KP_LOAD_H
#define KP_LOAD_H

#include "eval.h"

/* Rows written in a rule file (a test's rows) instead of a CSV file: rendered
** as CSV text and read by the same loader, with the place each field was
** written, so a bad value is reported at its place in the rule file. */
typedef struct InlineRows {
    char *csv; /* header and rows */
    size_t len;
    const Source *src;
    Span *spans; /* record r (0 = the header), field f: spans[r * nfields + f] */
    int nfields, nrecords;
} InlineRows;

/* Loads every table in dependency order: from its inline rows when it has
** them (Table.inline_rows), otherwise from dir/<table>.csv. Problems are
** reported to ev->d; returns false when any was. */
bool load_tables(Eval *ev, const char *dir);

/* The same load feeding a second model `also` whose tables match ev's (see
** tablematch.h): each file is read and parsed once, also's aggregates are
** folded from the same rows, and also's tables share ev's storage. Runtime
** errors of either model jump to its on_error. */
bool load_tables_shared(Eval *ev, Eval *also, const char *dir);

#endif
