/*
** load_int.h — the loader's state and steps, shared by the ordinary load
** (load.c) and the load of an event table in two parts (load_par.c).
*/
#ifndef KP_LOAD_INT_H
#define KP_LOAD_INT_H

#include "csvpipe.h"
#include "load.h"

#include <stdatomic.h>

/* The key a reference column read last, and its row (load.c's parse_ref). */
typedef struct RefCache {
    uint32_t id;
    size_t len;
    int32_t row;
} RefCache;

/* How load_cells takes a nonempty cell of a field, decided once per file:
** through parse_cell, through cell_fast first, as a text no expression reads
** (the reader has checked it is UTF-8: nothing is left to do), or as a
** reference, looked up. */
enum { CELL_SLOW, CELL_FAST, CELL_SKIP, CELL_REF };

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
    uint8_t *fast;        /* per CSV field: how a nonempty cell is taken (CELL_*) */
    int nfields;
    size_t errors_before;
    uint32_t key_hash; /* of the current row's text key, prefetched; 0 none */
    /* load_stored.c: texts are not interned as they are read but set aside
    ** (stored_defer_text), and load_cells leaves the key to the caller. */
    bool defer_text;
    RefCache *refs; /* per column of t */
} Loader;

/* A large file is loaded in pieces on two threads (load_par.c for event
** tables, load_stored.c for stored ones) of about PIECE_BYTES: a thread that
** finishes first waits at most one piece (a few milliseconds), and opening
** a piece costs far less. */
#define PIECE_BYTES ((uint64_t)4 << 20)
#define MAX_PIECES  1024

/* The file's pieces, taken in order by whichever thread is free. */
typedef struct Pieces {
    const char *path;
    uint64_t cut[MAX_PIECES + 1]; /* piece i is [cut[i], cut[i + 1]) */
    int n;
    atomic_int next;    /* the next piece not yet taken */
    atomic_bool failed; /* a piece failed: the others stop */
} Pieces;

/* Cuts the file of `size` bytes at the first line end at or after each
** multiple of about piece bytes; false when there is not even one cut. */
bool pieces_cut(Pieces *ps, uint64_t size, uint64_t piece);
/* The next piece not yet taken, for the calling thread; -1 when none is
** left or a piece has failed. */
int pieces_take(Pieces *ps);

/* "cases.csv" of "dir/cases.csv", for progress reports. */
const char *load_csv_name(const char *path);
/* Reads the header and maps its fields to t's columns; false (with
** diagnostics) when a column is missing, unknown or repeated. */
bool load_header(Loader *L);
/* Parses the n fields of one record into vals (by column); false (with a
** diagnostic per bad cell) when one does not fit. key_field: the field of a
** text key to intern last (or to leave alone, with defer_text), or -1. */
bool load_cells(Loader *L, const CsvField *f, size_t n, int key_field, Value *vals);
/* Room for need rows in t's columns and key arrays: exactly need when
** exact, else doubling. */
void grow_columns(Table *t, int32_t need, bool exact);
/* The accumulators that tables loaded later fold for t's rows, allocated
** for `rows` rows and emptied on pf's thread. */
struct Prefault;
void presize_aggs(Eval *ev, struct Prefault *pf, const Table *t, int32_t rows);
/* load_par.c: loads event table t (the loader set up, its aggregates
** attached, nothing read yet) in two parts on two threads when it is large
** and nothing in it needs the string table written; false when it did not,
** leaving the aggregates empty: the caller then loads it the ordinary way. */
bool load_in_parts(Loader *L);

/* load_stored.c: loads stored table t (the loader set up, nothing read
** yet) in pieces on two threads when it is large and only its key is text
** to intern; false when it did not, having left nothing behind that the
** ordinary load would see. */
bool load_stored_in_parts(Loader *L);
/* Sets a text cell of column c aside, to be interned after the parse. */
void stored_defer_text(Loader *L, const Column *c, const char *s, size_t len);

#endif
