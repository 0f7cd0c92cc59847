/*
** extends.h — merging a scheme into the scheme it extends.
*/
#ifndef KP_EXTENDS_H
#define KP_EXTENDS_H

#include "ast.h"
#include "diag.h"

/* Applies the declarations of `derived` to those of `base` (already merged
** with its own base): `replace` swaps what the base declares, `remove`
** deletes it, anything else is added. Leaves the result in derived->decls
** and reports every change that names nothing in the base. */
void extends_merge(Arena *a, Diags *d, const Program *base, Program *derived);

/* Reports the replace/remove declarations of a program that extends nothing. */
void extends_check_plain(Diags *d, const Program *p);

#endif
