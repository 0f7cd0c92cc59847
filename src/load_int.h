/*
** load_int.h — the loader's state and steps, shared by the ordinary load
** (load.c) and the load of an event table in two parts (load_par.c).
*/
#ifndef KP_LOAD_INT_H
#define KP_LOAD_INT_H

#include "csvpipe.h"
#include "load.h"

/* The key a reference column read last, and its row (load.c's parse_ref). */
typedef struct RefCache {
    uint32_t id;
    size_t len;
    int32_t row;
} RefCache;

typedef struct Loader {
    Eval *ev;
    Table *t;
    Eval *also;    /* a second model fed by the same rows, or NULL */
    Table *also_t; /* its table of the same name (columns in t's order) */
    CsvPipe *csv;
    const char *path;
    const InlineRows *in; /* rows written in a rule file, or NULL */
    int record;           /* records read so far, the header included, minus one */
    int *field_col;       /* CSV field -> column index, -1 unused */
    bool *fast;           /* per CSV field: a nonempty cell may take cell_fast */
    int nfields;
    size_t errors_before;
    uint32_t key_hash; /* of the current row's text key, prefetched; 0 none */
    RefCache *refs;    /* per column of t */
} Loader;

/* "cases.csv" of "dir/cases.csv", for progress reports. */
const char *load_csv_name(const char *path);
/* Reads the header and maps its fields to t's columns; false (with
** diagnostics) when a column is missing, unknown or repeated. */
bool load_header(Loader *L);
/* Parses the n fields of one record into vals (by column); false (with a
** diagnostic per bad cell) when one does not fit. key_field: the field of a
** text key to intern last, or -1. */
bool load_cells(Loader *L, const CsvField *f, size_t n, int key_field, Value *vals);
/* load_par.c: loads event table t (the loader set up, its aggregates
** attached, nothing read yet) in two parts on two threads when it is large
** and nothing in it needs the string table written; false when it did not,
** leaving the aggregates empty: the caller then loads it the ordinary way. */
bool load_in_parts(Loader *L);

#endif
