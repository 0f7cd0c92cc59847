/*
** diag.c — collecting diagnostics and rendering them as text.
**
** The library only collects; main.c decides where the rendered text goes.
** When max_errors is reached every later diagnostic is dropped, warnings and
** notes included, so a note never shows up without the error it explains.
** Allocation failures never lose the count: a diagnostic that cannot be
** stored still counts, so callers still see that something went wrong.
*/
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diags_init(Diags *d)
{
    memset(d, 0, sizeof *d);
}

void diags_free(Diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].path);
        free(d->items[i].text_line);
        free(d->items[i].msg);
    }
    free(d->items);
    diags_init(d);
}

bool diags_too_many(const Diags *d)
{
    return d->max_errors != 0 && d->nerrors >= d->max_errors;
}

/* Counts a new diagnostic and returns a zeroed slot for it, or NULL when it
** is dropped (too many errors) or cannot be stored (out of memory). */
static Diag *diag_push(Diags *d, DiagLevel lv)
{
    if (diags_too_many(d)) return NULL;
    if (lv == DIAG_ERROR)
        d->nerrors++;
    else if (lv == DIAG_WARNING)
        d->nwarnings++;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        Diag *items = realloc(d->items, cap * sizeof *items);
        if (!items) return NULL;
        d->items = items;
        d->cap = cap;
    }
    Diag *g = &d->items[d->n++];
    memset(g, 0, sizeof *g);
    g->level = lv;
    return g;
}

static char *dup_mem(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        if (n) memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static char *format_msg(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return NULL;
    char *p = malloc((size_t)n + 1);
    if (p) vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

void diag_vat(Diags *d, DiagLevel lv, const Source *src, Span span, const char *fmt, va_list ap)
{
    Diag *g = diag_push(d, lv);
    if (!g) return;
    g->msg = format_msg(fmt, ap);
    if (!src) return;
    g->path = dup_mem(src->path, strlen(src->path));
    source_linecol(src, span.start, &g->line, &g->col);
    size_t llen;
    const char *ltext = source_line(src, g->line, &llen);
    if (!ltext) return;
    g->text_line = dup_mem(ltext, llen);
    /* Underline the span's code points, clipped to the end of the line. */
    size_t lstart = (size_t)(ltext - src->text), lend = lstart + llen;
    size_t a = span.start > lstart ? span.start : lstart;
    size_t b = span.end < lend ? span.end : lend;
    g->caret_len = b > a ? (uint32_t)utf8_count(src->text + a, b - a) : 1;
}

void diag_at(Diags *d, DiagLevel lv, const Source *src, Span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(d, lv, src, span, fmt, ap);
    va_end(ap);
}

void diag_pos(Diags *d, DiagLevel lv, const char *path, uint32_t line, uint32_t col,
              const char *fmt, ...)
{
    Diag *g = diag_push(d, lv);
    if (!g) return;
    va_list ap;
    va_start(ap, fmt);
    g->msg = format_msg(fmt, ap);
    va_end(ap);
    if (path) g->path = dup_mem(path, strlen(path));
    g->line = line;
    g->col = line ? col : 0;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_diag(const Diag *a, const Diag *b)
{
    return a->level == b->level && a->line == b->line && a->col == b->col &&
           same_str(a->path, b->path) && same_str(a->msg, b->msg);
}

void diags_merge(Diags *into, const Diags *from, bool with_warnings)
{
    bool skip_notes = false;
    for (size_t i = 0; i < from->n; i++) {
        const Diag *g = &from->items[i];
        if (g->level == DIAG_NOTE && skip_notes) continue;
        skip_notes = false;
        bool seen = g->level == DIAG_WARNING && !with_warnings;
        for (size_t k = 0; k < into->n && !seen; k++)
            seen = same_diag(&into->items[k], g);
        if (seen) {
            skip_notes = true;
            continue;
        }
        Diag *c = diag_push(into, g->level);
        if (!c) continue;
        c->path = g->path ? dup_mem(g->path, strlen(g->path)) : NULL;
        c->line = g->line;
        c->col = g->col;
        c->text_line = g->text_line ? dup_mem(g->text_line, strlen(g->text_line)) : NULL;
        c->caret_len = g->caret_len;
        c->msg = g->msg ? dup_mem(g->msg, strlen(g->msg)) : NULL;
    }
}

/* ---- rendering ---- */

typedef struct Buf {
    char *p;
    size_t n, cap;
    bool oom;
} Buf;

static void buf_put(Buf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->n + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void buf_puts(Buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

/* Bytes in the code point at p, counted the way utf8_count counts them (an
** ill-formed byte is one code point), so carets agree with columns. */
static size_t cp_step(const char *p, size_t n)
{
    if ((unsigned char)*p < 0x80) return 1;
    for (size_t k = 2; k <= 4 && k <= n; k++)
        if (utf8_invalid_at(p, k) == (size_t)-1) return k;
    return 1;
}

/* Display width of the code point at p: East Asian wide and full-width
** characters take two terminal columns, so the caret stays under the name in
** lines full of Chinese identifiers. */
static int cp_width(const char *p, size_t k)
{
    const unsigned char *u = (const unsigned char *)p;
    uint32_t c;
    if (k == 1) return 1;
    if (k == 2)
        c = (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
    else if (k == 3)
        c = (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
    else
        c = (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3f) << 12 |
            (uint32_t)(u[2] & 0x3f) << 6 | (u[3] & 0x3f);
    bool wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
                (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
                (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
                (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
                (c >= 0x20000 && c <= 0x3fffd);
    return wide ? 2 : 1;
}

/* Blanks up to the column (a tab is copied so it lines up whatever the tab
** width), then '^' and '~' under the span, both in display columns. */
static void render_caret(Buf *b, const Diag *g)
{
    buf_puts(b, "      | ");
    const char *p = g->text_line;
    size_t left = strlen(p);
    for (uint32_t c = 1; c < g->col; c++) {
        size_t k = left ? cp_step(p, left) : 1;
        if (left && *p == '\t')
            buf_put(b, "\t", 1);
        else
            buf_puts(b, left && cp_width(p, k) == 2 ? "  " : " ");
        if (left) p += k, left -= k;
    }
    int width = 0;
    for (uint32_t i = 0; i < g->caret_len; i++) {
        size_t k = left ? cp_step(p, left) : 1;
        width += left ? cp_width(p, k) : 1;
        if (left) p += k, left -= k;
    }
    buf_put(b, "^", 1);
    for (int i = 1; i < width; i++)
        buf_put(b, "~", 1);
    buf_put(b, "\n", 1);
}

static const char *level_name(DiagLevel lv)
{
    switch (lv) {
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    default: return "error";
    }
}

static void render_one(Buf *b, const Diag *g)
{
    char num[32];
    buf_puts(b, g->path ? g->path : "<unknown>");
    if (g->line) {
        snprintf(num, sizeof num, ":%u", (unsigned)g->line);
        buf_puts(b, num);
        if (g->col) {
            snprintf(num, sizeof num, ":%u", (unsigned)g->col);
            buf_puts(b, num);
        }
    }
    buf_puts(b, ": ");
    buf_puts(b, level_name(g->level));
    buf_puts(b, ": ");
    buf_puts(b, g->msg ? g->msg : "(out of memory while formatting the message)");
    buf_put(b, "\n", 1);
    if (!g->text_line) return;
    snprintf(num, sizeof num, "%5u | ", (unsigned)g->line);
    buf_puts(b, num);
    buf_puts(b, g->text_line);
    buf_put(b, "\n", 1);
    render_caret(b, g);
}

char *diags_render(const Diags *d)
{
    Buf b = {0};
    buf_put(&b, "", 0); /* an empty list still renders as "" */
    for (size_t i = 0; i < d->n; i++)
        render_one(&b, &d->items[i]);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
