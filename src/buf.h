/*
** buf.h — a growable byte buffer for text built piece by piece (the
** explanation renderers). The caller owns buf.p (malloc'd) and frees it.
*/
#ifndef KP_BUF_H
#define KP_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct Buf {
    char *p; /* NUL-terminated once anything was written */
    size_t len, cap;
} Buf;

/* Room for n more bytes and the NUL. */
void buf_grow(Buf *b, size_t n);

static inline void buf_put(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) buf_grow(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes the text out of b (never NULL) and leaves b empty. */
char *buf_take(Buf *b);

#endif
