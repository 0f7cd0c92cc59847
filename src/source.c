/*
** source.c — loading rule files, the line table, byte offset to line/column
** and the UTF-8 helpers shared by the lexer, the CSV reader and diagnostics.
**
** Lines: a line starts at offset 0 and after every '\n' that is not the last
** byte, so a final newline does not open an empty extra line and there is
** always at least one line. Columns count code points; a UTF-8 BOM at the very
** start is kept in the text (the lexer skips it) but is not part of line 1:
** source_line leaves it out and columns on line 1 do not count it.
*/
#include "source.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOM_LEN 3

static size_t bom_len(const char *text, size_t len)
{
    if (len >= BOM_LEN && memcmp(text, "\xEF\xBB\xBF", BOM_LEN) == 0) return BOM_LEN;
    return 0;
}

static bool build_lines(Source *s)
{
    size_t n = 1;
    for (size_t i = 0; i + 1 < s->len; i++)
        n += s->text[i] == '\n';
    s->line_starts = malloc(n * sizeof *s->line_starts);
    if (!s->line_starts) return false;
    s->line_starts[0] = 0;
    s->nlines = 1;
    for (size_t i = 0; i + 1 < s->len; i++)
        if (s->text[i] == '\n') s->line_starts[s->nlines++] = (uint32_t)(i + 1);
    return true;
}

Source *source_from_mem(const char *path, const char *text, size_t len)
{
    /* Spans are 32-bit offsets; one past the end must still fit. */
    if (len >= UINT32_MAX) return NULL;
    Source *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    size_t plen = strlen(path);
    s->path = malloc(plen + 1);
    s->text = malloc(len + 1);
    if (!s->path || !s->text) {
        source_free(s);
        return NULL;
    }
    memcpy(s->path, path, plen + 1);
    if (len) memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    if (!build_lines(s)) {
        source_free(s);
        return NULL;
    }
    return s;
}

/* Reads until EOF rather than trusting the file size, so pipes work too. */
static char *read_all(FILE *f, size_t *lenp, const char **errmsg)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        *errmsg = "out of memory";
        return NULL;
    }
    for (;;) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) break;
        if (cap >= UINT32_MAX) {
            *errmsg = "file too large";
            free(buf);
            return NULL;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            *errmsg = "out of memory";
            free(buf);
            return NULL;
        }
        buf = nb;
        cap *= 2;
    }
    if (ferror(f)) {
        *errmsg = strerror(errno);
        free(buf);
        return NULL;
    }
    *lenp = len;
    return buf;
}

Source *source_read(FILE *f, const char *path, const char **errmsg)
{
    const char *dummy;
    if (!errmsg) errmsg = &dummy;
    size_t len = 0;
    char *buf = read_all(f, &len, errmsg);
    if (!buf) return NULL;
    Source *s = source_from_mem(path, buf, len);
    free(buf);
    if (!s) *errmsg = len >= UINT32_MAX ? "file too large" : "out of memory";
    return s;
}

Source *source_load(const char *path, const char **errmsg)
{
    const char *dummy;
    if (!errmsg) errmsg = &dummy;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *errmsg = strerror(errno);
        return NULL;
    }
    Source *s = source_read(f, path, errmsg);
    fclose(f);
    return s;
}

void source_free(Source *s)
{
    if (!s) return;
    free(s->path);
    free(s->text);
    free(s->line_starts);
    free(s);
}

/* Byte range [*start, *end) of line (1-based, valid) without BOM, CR or LF. */
static void line_bounds(const Source *s, size_t line, size_t *start, size_t *end)
{
    size_t a = s->line_starts[line - 1];
    size_t b = line < s->nlines ? s->line_starts[line] : s->len;
    if (b > a && s->text[b - 1] == '\n') {
        b--;
        if (b > a && s->text[b - 1] == '\r') b--;
    }
    if (line == 1) {
        size_t skip = bom_len(s->text, s->len);
        a = skip < b ? skip : b;
    }
    *start = a;
    *end = b;
}

void source_linecol(const Source *s, uint32_t off, uint32_t *line, uint32_t *col)
{
    if (off > s->len) off = (uint32_t)s->len;
    /* Last line whose start is <= off. */
    size_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t a, b;
    line_bounds(s, lo + 1, &a, &b);
    /* An offset on the line end (CR, LF, or EOF after it) is one past the text. */
    size_t end = off < b ? off : b;
    *line = (uint32_t)(lo + 1);
    *col = (uint32_t)(end > a ? utf8_count(s->text + a, end - a) : 0) + 1;
}

const char *source_line(const Source *s, uint32_t line, size_t *len)
{
    if (line == 0 || line > s->nlines) {
        *len = 0;
        return NULL;
    }
    size_t a, b;
    line_bounds(s, line, &a, &b);
    *len = b - a;
    return s->text + a;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

const char *source_comment_after(const Source *s, uint32_t off, size_t *len)
{
    const char *t = s->text, *end = s->text + s->len;
    const char *p = off <= s->len ? t + off : end;
    while (p < end && (blank(*p) || *p == '?'))
        p++;
    if (p < end && *p == '#')
        p++;
    else if (p + 1 < end && p[0] == '/' && p[1] == '/')
        p += 2;
    else
        return NULL;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *q = eol ? eol : end;
    while (p < q && blank(*p))
        p++;
    while (q > p && blank(q[-1]))
        q--;
    *len = (size_t)(q - p);
    return q > p ? p : NULL;
}

/* Length of the well-formed sequence at p (Unicode Table 3-7), 0 if ill-formed. */
static size_t utf8_seq_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
    }
    if (n < need || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < need; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return need;
}

void source_flatten(const Source *s, Span sp, size_t max_points, char *out)
{
    size_t n = 0, points = 0;
    bool blank = false;
    for (uint32_t i = sp.start; i < sp.end && i < s->len; i++) {
        unsigned char ch = (unsigned char)s->text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            blank = true;
            continue;
        }
        if ((ch & 0xc0) != 0x80 && max_points && points++ == max_points) {
            memcpy(out + n, "…", 3);
            n += 3;
            break;
        }
        if (blank && n) out[n++] = ' ';
        blank = false;
        out[n++] = (char)ch;
    }
    out[n] = 0;
}

size_t utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq_len(p + i, len - i);
        if (!k) return i; /* start of the ill-formed sequence */
        i += k;
    }
    return (size_t)-1;
}

/* Each byte of an ill-formed sequence counts as one, as a terminal shows it. */
size_t utf8_count(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n = 0;
    while (i < len) {
        size_t k = p[i] < 0x80 ? 1 : utf8_seq_len(p + i, len - i);
        i += k ? k : 1;
        n++;
    }
    return n;
}

/* East Asian Wide and Fullwidth ranges (Unicode EastAsianWidth W and F): the
** CJK blocks, Hangul, full-width forms and the emoji most likely in a comment. */
static const uint32_t wide_ranges[][2] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static int codepoint_width(uint32_t c)
{
    if (c >= 0x0300 && c <= 0x036F) return 0; /* combining diacritics */
    if (c == 0x200B || c == 0x200D || c == 0xFEFF) return 0;
    size_t lo = 0, hi = sizeof wide_ranges / sizeof wide_ranges[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < wide_ranges[mid][0])
            hi = mid;
        else if (c > wide_ranges[mid][1])
            lo = mid + 1;
        else
            return 2;
    }
    return 1;
}

/* Columns a terminal or editor with a CJK font gives the text: two for
** Chinese characters and full-width forms, one for the rest (ambiguous-width
** characters such as '×' or '“' count as one, as outside CJK locales). The
** result does not depend on the locale, so the formatter's output does not. */
size_t utf8_width(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, w = 0;
    while (i < len) {
        size_t k = p[i] < 0x80 ? 1 : utf8_seq_len(p + i, len - i);
        if (k <= 1) {
            w += 1;
            i += 1;
            continue;
        }
        uint32_t c = p[i] & (0x7F >> k);
        for (size_t j = 1; j < k; j++)
            c = (c << 6) | (p[i + j] & 0x3F);
        w += (size_t)codepoint_width(c);
        i += k;
    }
    return w;
}
