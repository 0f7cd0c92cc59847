/*
** expr_print.h — canonical text of an expression from its syntax tree, with
** only the parentheses that precedence requires.
**
** Two styles:
**   EXPR_READABLE  for documents: ×, ÷, =, ≠, ≤, ≥, the keywords of the
**                  document's language (且/或/非/属于/如果 … 那么 … 否则 …/其中,
**                  or and/or/not/in/if … then … else …/where), text in quotes
**                  of that language (“…” or "…");
**   EXPR_SOURCE    valid kaoping with English keywords and ASCII operators,
**                  which parses back to the same tree.
** Names and function names are printed as written; a call of a user function
** is printed as the call, never as its expansion.
**
** Beyond strict minimality, two places get parentheses for the reader, who
** does not know the precedence table: an `and` directly inside an `or`, and
** a comparison or `in` directly under `not`.
*/
#ifndef KP_EXPR_PRINT_H
#define KP_EXPR_PRINT_H

#include "arena.h"
#include "ast.h"
#include "i18n.h"

typedef enum { EXPR_READABLE, EXPR_SOURCE } ExprStyle;

/* Arena-allocated text of e (lang only matters for EXPR_READABLE). */
char *expr_print(Arena *a, const Expr *e, ExprStyle style, Lang lang);

/* A number as a percent: 0.2 -> "20%" (a number too large for that is
** written as it is). Writes into buf, of at least DEC_FMT_MAX + 1 bytes. */
void expr_format_percent(Dec v, char *buf);

#endif
