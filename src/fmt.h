/*
** fmt.h — the formatter behind `kaoping fmt`: a rule file in one canonical
** layout. It only moves white space: the tokens and comments of the result
** are those of the input, in the same order (a block's '{' may move before
** comments that stood between it and its header), and fmt_source checks that
** by lexing its own output before returning it.
**
**   fmt_scan     source -> elements: tokens and comments, each with the number
**                of line breaks before it
**   fmt_layout   elements -> lines: indentation, spacing, line breaks, blank
**                lines, the aligned weight column of sibling indicators
**   fmt_render   lines -> text, trailing comments aligned
*/
#ifndef KP_FMT_H
#define KP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

typedef enum { FE_TOKEN, FE_COMMENT } FmtElemKind;

typedef struct FmtElem {
    FmtElemKind kind;
    int tok;          /* token kind as in parser.h (FE_TOKEN) */
    const char *text; /* into the source; a comment without trailing blanks */
    uint32_t len;
    uint32_t newlines; /* line breaks in the white space before the element */
    Span span;         /* in the source, for diagnostics */
} FmtElem;

typedef struct FmtDoc {
    FmtElem *elems;
    int n;
    bool bom; /* the file starts with a UTF-8 byte order mark (kept) */
} FmtDoc;

typedef struct FmtLine {
    int indent;          /* spaces */
    const char *code;    /* tokens and the spaces between them ("" on a comment line) */
    uint32_t code_len;   /* bytes */
    const char *comment; /* the line's comment (trailing, or alone on the line), or NULL */
    uint32_t comment_len;
    bool blank;      /* an empty line; nothing else is set */
    int depth;       /* blocks around the line ('{' and '}' lines: around the block) */
    uint32_t pad_at; /* byte offset in code where pad spaces go (the weight column) */
    int pad;
} FmtLine;

/* Splits src, which must lex without errors, into elements (in arena a).
** Returns false with a diagnostic in d if it does not. */
bool fmt_scan(Arena *a, Source *src, Diags *d, FmtDoc *doc);

/* Whether two documents have the same tokens in the same order and the same
** comments in the same order; *first_diff is the span in a of the first
** difference. */
bool fmt_same(const FmtDoc *a, const FmtDoc *b, Span *first_diff);

/* Lays the elements out in lines (array in arena a). */
FmtLine *fmt_layout(Arena *a, const FmtDoc *doc, int *nlines);

/* The text of the lines (malloc'd, caller frees), trailing comments aligned. */
char *fmt_render(const FmtLine *lines, int n, bool bom, size_t *len);

/* The whole formatter: src must parse without errors. Returns the formatted
** text (malloc'd, *len bytes), or NULL with an error in d. */
char *fmt_source(Arena *a, Source *src, Diags *d, size_t *len);

#endif
