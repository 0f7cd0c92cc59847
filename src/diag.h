/*
** diag.h — diagnostics: collected by the library, rendered to text for main.c.
**
** A diagnostic names a file, line and column (1-based, columns in code points)
** and a message; when it comes from a source buffer it also keeps the source
** line so the rendering can show it with a caret line under the span:
**
**   rules/x.kp:12:7: error: unknown column 'reveiw' (did you mean 'review'?)
**      12 |   let n = count(cases where reveiw == "优质")
**         |                             ^~~~~~
*/
#ifndef KP_DIAG_H
#define KP_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

typedef struct Diag {
    DiagLevel level;
    char *path;         /* owned copy */
    uint32_t line, col; /* 0 when unknown (e.g. a whole-file problem) */
    char *text_line;    /* owned copy of the source line, or NULL */
    uint32_t caret_len; /* code points to underline, >= 1 when text_line */
    char *msg;          /* owned */
} Diag;

typedef struct Diags {
    Diag *items;
    size_t n, cap;
    size_t nerrors, nwarnings;
    size_t max_errors; /* 0 = unlimited; after this many errors diag_error is a no-op */
} Diags;

void diags_init(Diags *d);
void diags_free(Diags *d);
/* Span-based: line/col/caret are computed from the source. */
void diag_at(Diags *d, DiagLevel lv, const Source *src, Span span, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_vat(Diags *d, DiagLevel lv, const Source *src, Span span, const char *fmt, va_list ap);
/* Position-based, for data files: no source line shown. line/col may be 0. */
void diag_pos(Diags *d, DiagLevel lv, const char *path, uint32_t line, uint32_t col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
bool diags_too_many(const Diags *d);
/* Appends the diagnostics of `from` that `into` does not hold yet (the same
** level, place and message): a scheme compiled once per test repeats its own
** problems. Without with_warnings, warnings and their notes are left out. */
void diags_merge(Diags *into, const Diags *from, bool with_warnings);

/* Renders every diagnostic in order into a malloc'd string (caller frees):
** "path:line:col: error: msg\n" then, when there is a source line,
** "%5u | <line>\n      | <caret line>\n". Tabs in the source line are kept in
** the caret line so the caret lines up. */
char *diags_render(const Diags *d);

/* Closest candidate by edit distance over code points, or NULL when nothing is
** close enough (distance <= max(1, len/3)). Candidates equal to name are skipped. */
const char *suggest_closest(const char *name, const char *const *cands, size_t n);

#endif
