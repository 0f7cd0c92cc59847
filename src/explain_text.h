/*
** explain_text.h — shared by the text renderer (explain_text.c) and the
** grading part and summary sentence (explain_summary.c).
*/
#ifndef KP_EXPLAIN_TEXT_H
#define KP_EXPLAIN_TEXT_H

#include "explain_lang.h"

typedef struct TextR {
    Buf *b;
    const Model *m;
    const Phrases *p;
    XLang lang;
    Arena *tmp; /* the texts made for phrase arguments */
} TextR;

/* Appends phrase t with the given text arguments for {1}, {2} ... */
#define TPL(r, t, ...)                                                                             \
    explain_tpl((r)->b, (t), (const char *const[]){__VA_ARGS__},                                   \
                (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))

/* Moves the text of tmp into the rendering's arena. */
const char *text_keep(TextR *r, Buf *tmp);
const char *text_val(TextR *r, XVal v);
const char *text_dec(TextR *r, Dec d);
const char *text_int(TextR *r, int64_t n);
const char *text_assign(TextR *r, const char *text, XVal v);
const char *text_inputs(TextR *r, const XFormula *f);
const char *text_effect(TextR *r, const XVeto *v);
void text_indent(TextR *r, int level);
void text_eol(TextR *r, XRule rule);
void text_inputs_lines(TextR *r, const XFormula *f, int level);
void text_formula(TextR *r, const XFormula *f, int level, const char *label);
void text_section(TextR *r, const char *title, XRule rule);
/* explain_summary.c */
void text_grading(TextR *r, const Explanation *x);

#endif
