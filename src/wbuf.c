/*
** wbuf.c — the report writers' buffer (see wbuf.h).
*/
#include "wbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define WBUF_BLOCK (1 << 16)

void wbuf_init(Wbuf *b, FILE *f)
{
    b->f = f;
    b->cap = WBUF_BLOCK;
    b->p = xmalloc(b->cap);
    b->len = 0;
}

static void flush(Wbuf *b)
{
    if (b->len && b->f) fwrite(b->p, 1, b->len, b->f);
    b->len = 0;
}

bool wbuf_finish(Wbuf *b)
{
    flush(b);
    free(b->p);
    b->p = NULL;
    return !b->f || !ferror(b->f);
}

const char *wbuf_cstr(Wbuf *b)
{
    wbuf_char(b, 0);
    b->len--;
    return b->p;
}

void wbuf_clear(Wbuf *b)
{
    b->len = 0;
}

void wbuf_put(Wbuf *b, const char *s, size_t n)
{
    if (!b->f && b->len + n > b->cap) {
        while (b->len + n > b->cap)
            b->cap *= 2;
        b->p = xrealloc(b->p, b->cap);
    }
    if (b->len + n > b->cap) {
        flush(b);
        if (n > b->cap) {
            fwrite(s, 1, n, b->f);
            return;
        }
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void wbuf_str(Wbuf *b, const char *s)
{
    wbuf_put(b, s, strlen(s));
}

void wbuf_char(Wbuf *b, char c)
{
    wbuf_put(b, &c, 1);
}

void wbuf_printf(Wbuf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        wbuf_put(b, small, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    wbuf_put(b, big, (size_t)n);
    free(big);
}

void wbuf_dec(Wbuf *b, Dec x, bool sign)
{
    char buf[DEC_FMT_MAX];
    if (sign && x > 0) wbuf_char(b, '+');
    wbuf_put(b, buf, dec_format(x, buf));
}

void wbuf_csv(Wbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        wbuf_str(b, s);
        return;
    }
    wbuf_char(b, '"');
    for (; *s; s++) {
        if (*s == '"') wbuf_char(b, '"');
        wbuf_char(b, *s);
    }
    wbuf_char(b, '"');
}

void wbuf_json(Wbuf *b, const char *s)
{
    wbuf_char(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            wbuf_char(b, '\\');
            wbuf_char(b, (char)*p);
        } else if (*p == '\n') {
            wbuf_str(b, "\\n");
        } else if (*p < 0x20) {
            wbuf_printf(b, "\\u%04x", *p);
        } else {
            wbuf_char(b, (char)*p);
        }
    }
    wbuf_char(b, '"');
}

void wbuf_html(Wbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': wbuf_str(b, "&amp;"); break;
        case '<': wbuf_str(b, "&lt;"); break;
        case '>': wbuf_str(b, "&gt;"); break;
        case '"': wbuf_str(b, "&quot;"); break;
        case '\'': wbuf_str(b, "&#39;"); break;
        default: wbuf_char(b, *s); break;
        }
    }
}

/* Wide code points (Unicode East Asian Width W/F), in the ranges that matter
** for Chinese text and full-width punctuation. */
static bool wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

int text_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c = *p;
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (n > 1) {
            c &= 0xFF >> (n + 1);
            for (int i = 1; i < n && p[i]; i++)
                c = (c << 6) | (p[i] & 0x3F);
        }
        for (int i = 0; i < n && *p; i++)
            p++;
        w += wide(c) ? 2 : 1;
    }
    return w;
}

void wbuf_pad(Wbuf *b, const char *s, int width, bool right)
{
    int pad = width - text_width(s);
    if (right)
        for (int i = 0; i < pad; i++)
            wbuf_char(b, ' ');
    wbuf_str(b, s);
    if (!right)
        for (int i = 0; i < pad; i++)
            wbuf_char(b, ' ');
}
