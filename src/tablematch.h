/*
** tablematch.h — two schemes over the same data (kaoping diff) must declare
** the same tables; when they do, one load of the data serves both.
*/
#ifndef KP_TABLEMATCH_H
#define KP_TABLEMATCH_H

#include "model.h"

/* Checks that b declares the tables a declares: the same names, keys,
** columns with the same types and optionality, and the same assessed table.
** Reports the first difference at its place in one scheme with a note at the
** other, and returns false. When they match, puts b's columns in a's order
** (a parsed row then serves both) and marks every column that b reads as
** used in a, so the load stores it. */
bool tables_match(Model *a, Model *b, Diags *d);

#endif
