/*
** output.h — writing the results of a run: one row per assessed person,
** sorted by key, as CSV or JSON. The same scheme and data always give the
** same bytes.
*/
#ifndef KP_OUTPUT_H
#define KP_OUTPUT_H

#include <stdio.h>

#include "eval.h"

typedef enum { OUT_CSV, OUT_JSON } OutFormat;

/* Writes every row; returns false on a write error (errno set). */
bool output_write(Eval *ev, FILE *f, OutFormat fmt);

#endif
