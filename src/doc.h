/*
** doc.h — the scheme as the document staff publish (考核实施细则), built
** from the resolved model: doc.c writes the head, params, tables and groups
** and puts the sections in order; doc_ind.c the indicator tree; doc_rules.c
** the items, adjustments, vetoes, grades and definitions.
*/
#ifndef KP_DOC_H
#define KP_DOC_H

#include "docbuf.h"
#include "i18n.h"
#include "model.h"

typedef struct DocCtx {
    Model *m;
    Arena *a; /* everything built for the document */
    DocBuf *b;
    Lang lang;
    const Source *main; /* the scheme's own file (the others are imports) */
    int section;        /* sections written so far */
} DocCtx;

/* Fills b with the document of m, whose params hold their effective values. */
void doc_build(Model *m, Arena *a, DocBuf *b, Lang lang);

/* ---- helpers for the section writers (doc.c) ---- */

/* A phrase with its %s arguments filled in; arena-allocated. */
const char *doc_fmt(DocCtx *c, Phrase p, ...);
const char *doc_expr(DocCtx *c, const Expr *e);
/* Starts the next numbered section. */
void doc_section(DocCtx *c, Phrase title);
/* The module a declaration comes from ("std/grades"), or NULL for the scheme's own. */
const char *doc_origin(DocCtx *c, const Source *src);
/* Items joined with the language's list separator. */
const char *doc_join(DocCtx *c, const char *const *items, int n);
/* A number as text ("60"), or as a percent ("20%"). */
const char *doc_number(DocCtx *c, Dec v, bool percent);

/* ---- sections ---- */
void doc_indicators(DocCtx *c);
void doc_items(DocCtx *c);
void doc_adjusts(DocCtx *c);
void doc_vetoes(DocCtx *c);
void doc_grades(DocCtx *c);
void doc_definitions(DocCtx *c);

#endif
