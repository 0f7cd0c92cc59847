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

#endif
