/*
** load.h — reading a scheme's tables from CSV files: header checks, typed
** cells, key indexes, references, and the aggregates folded while an event
** table streams by.
*/
#ifndef KP_LOAD_H
#define KP_LOAD_H

#include "eval.h"

/* Loads every table from dir/<table>.csv in dependency order. Problems are
** reported to ev->d; returns false when any was. */
bool load_tables(Eval *ev, const char *dir);

/* The same load feeding a second model `also` whose tables match ev's (see
** tablematch.h): each file is read and parsed once, also's aggregates are
** folded from the same rows, and also's tables share ev's storage. Runtime
** errors of either model jump to its on_error. */
bool load_tables_shared(Eval *ev, Eval *also, const char *dir);

#endif
