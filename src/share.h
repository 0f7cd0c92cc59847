/*
** share.h — values that two versions of a scheme compute alike (kaoping
** diff). A value of the second version whose formula is written alike and
** reads alike things (the same columns, params of equal value, values that
** are alike in turn) is not computed again: it borrows the first version's
** column. Changing one param of a large scheme then costs only what reads it.
*/
#ifndef KP_SHARE_H
#define KP_SHARE_H

#include "model.h"

/* Before the runs: finds the twin in a of each value of b (ValueDef.twin),
** and keeps those twins after a's run. Also keeps, in both models, the values
** the comparison reads after the runs (grade conditions, grading group keys).
** The tables must match (tablematch.h). */
void share_plan(Model *a, Model *b);

/* After a's run, before b's: b's values with a twin take its storage. */
void share_borrow(Model *b);

#endif
