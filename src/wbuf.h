/*
** wbuf.h — a write buffer for the report writers (kaoping diff): text is
** appended in memory and handed to stdio in large blocks, with the escapes
** each format needs (CSV fields, JSON strings, HTML/XML text).
*/
#ifndef KP_WBUF_H
#define KP_WBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "decimal.h"

typedef struct Wbuf {
    FILE *f; /* flushed to when the buffer fills, and by wbuf_finish; NULL: grows in memory */
    char *p;
    size_t len, cap;
} Wbuf;

void wbuf_init(Wbuf *b, FILE *f);
/* In memory (f NULL): the text so far, NUL-terminated; valid until the next write. */
const char *wbuf_cstr(Wbuf *b);
/* In memory: forget the text, keep the buffer. */
void wbuf_clear(Wbuf *b);
/* Flushes and frees; false when a write failed (errno set). In memory: frees. */
bool wbuf_finish(Wbuf *b);

void wbuf_put(Wbuf *b, const char *s, size_t n);
void wbuf_str(Wbuf *b, const char *s);
void wbuf_char(Wbuf *b, char c);
void wbuf_printf(Wbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Exact decimal; with sign, a '+' before positive numbers. */
void wbuf_dec(Wbuf *b, Dec x, bool sign);
/* s quoted as one CSV field when it has to be. */
void wbuf_csv(Wbuf *b, const char *s);
/* s as a JSON string, with its quotes. */
void wbuf_json(Wbuf *b, const char *s);
/* s with & < > " ' escaped, for HTML and SVG text and attribute values. */
void wbuf_html(Wbuf *b, const char *s);
/* s padded with spaces to `width` terminal columns (CJK characters take two). */
void wbuf_pad(Wbuf *b, const char *s, int width, bool right);

/* Terminal columns of UTF-8 text: East Asian wide characters count two. */
int text_width(const char *s);

#endif
