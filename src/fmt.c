/*
** fmt.c — the formatter's input and its safety check: splitting a rule file
** into tokens and comments (the lexer gives the tokens; what lies between two
** tokens can only be white space and comments), and, after layout and
** rendering, lexing the result again to make sure it is the same program
** with the same comments.
*/
#include "fmt.h"
#include "parse.h"
#include "parser.h"
#include "xalloc.h"

#include <string.h>

#define IDEOGRAPHIC_SPACE "\xE3\x80\x80"

typedef struct ElemVec {
    FmtElem *items;
    int n, cap;
} ElemVec;

static void push(Arena *a, ElemVec *v, FmtElem e)
{
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 256;
        FmtElem *bigger = ARENA_ARR(a, FmtElem, cap);
        if (v->n) memcpy(bigger, v->items, sizeof *bigger * (size_t)v->n);
        v->items = bigger;
        v->cap = cap;
    }
    v->items[v->n++] = e;
}

static bool is_ideographic_space(const char *p, const char *end)
{
    return end - p >= 3 && memcmp(p, IDEOGRAPHIC_SPACE, 3) == 0;
}

/* A comment runs to the end of the line; blanks at its end (a CR of a CRLF
** file among them) are layout, not text. */
static uint32_t comment_len(const char *p, const char *end)
{
    const char *e = memchr(p, '\n', (size_t)(end - p));
    if (!e) e = end;
    for (;;) {
        if (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        else if (e - p >= 3 && memcmp(e - 3, IDEOGRAPHIC_SPACE, 3) == 0)
            e -= 3;
        else
            break;
    }
    return (uint32_t)(e - p);
}

/* Adds the comments in text[from, to), which the lexer skipped, and returns
** the line breaks after the last of them; false if something else is there. */
static bool scan_gap(Arena *a, const Source *src, uint32_t from, uint32_t to, ElemVec *v,
                     uint32_t *newlines)
{
    const char *p = src->text + from, *end = src->text + to;
    uint32_t nl = 0;
    while (p < end) {
        if (*p == '\n') {
            nl++;
            p++;
        } else if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
        } else if (is_ideographic_space(p, end)) {
            p += 3;
        } else if (*p == '#' || (*p == '/' && p + 1 < end && p[1] == '/')) {
            uint32_t len = comment_len(p, end);
            uint32_t at = (uint32_t)(p - src->text);
            push(a, v, (FmtElem){FE_COMMENT, 0, p, len, nl, {at, at + len}});
            nl = 0;
            p += len;
            while (p < end && *p != '\n')
                p++;
        } else {
            return false;
        }
    }
    *newlines = nl;
    return true;
}

bool fmt_scan(Arena *a, Source *src, Diags *d, FmtDoc *doc)
{
    Diags lexd;
    diags_init(&lexd);
    LexToken *toks;
    int ntoks = lex_tokens(a, src, &lexd, &toks);
    bool lexed = lexd.nerrors == 0;
    diags_free(&lexd);
    memset(doc, 0, sizeof *doc);
    uint32_t pos = 0;
    if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0) {
        doc->bom = true;
        pos = 3;
    }
    ElemVec v = {0};
    for (int i = 0; lexed && i <= ntoks; i++) {
        uint32_t start = i < ntoks ? toks[i].span.start : (uint32_t)src->len, nl;
        if (!scan_gap(a, src, pos, start, &v, &nl)) {
            diag_at(d, DIAG_ERROR, src, (Span){pos, start}, "cannot format: unexpected text");
            return false;
        }
        if (i == ntoks) break;
        Span sp = toks[i].span;
        push(a, &v,
             (FmtElem){FE_TOKEN, toks[i].kind, src->text + sp.start, sp.end - sp.start, nl, sp});
        pos = sp.end;
    }
    if (!lexed) {
        diag_at(d, DIAG_ERROR, src, (Span){0, 0}, "cannot format: the file has lexical errors");
        return false;
    }
    doc->elems = v.items;
    doc->n = v.n;
    return true;
}

/* The next element of kind k from *i on, or NULL. */
static const FmtElem *next_of(const FmtDoc *doc, int *i, FmtElemKind k)
{
    while (*i < doc->n && doc->elems[*i].kind != k)
        (*i)++;
    return *i < doc->n ? &doc->elems[(*i)++] : NULL;
}

/* "at most" may be written with any white space between the words. */
static bool same_elem(const FmtElem *x, const FmtElem *y)
{
    if (x->kind != y->kind || x->tok != y->tok) return false;
    if (x->kind == FE_TOKEN && x->tok == AT_MOST) return true;
    return x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
}

bool fmt_same(const FmtDoc *a, const FmtDoc *b, Span *first_diff)
{
    for (FmtElemKind k = FE_TOKEN; k <= FE_COMMENT; k++) {
        int i = 0, j = 0;
        for (;;) {
            const FmtElem *x = next_of(a, &i, k), *y = next_of(b, &j, k);
            if (!x && !y) break;
            if (!x || !y || !same_elem(x, y)) {
                *first_diff = x ? x->span : (Span){0, 0};
                return false;
            }
        }
    }
    return true;
}

char *fmt_source(Arena *a, Source *src, Diags *d, size_t *len)
{
    FmtDoc doc, again;
    if (!fmt_scan(a, src, d, &doc)) return NULL;
    int nlines;
    FmtLine *lines = fmt_layout(a, &doc, &nlines);
    char *out = fmt_render(lines, nlines, doc.bom, len);
    Source *check = source_from_mem(src->path, out, *len);
    Diags scratch;
    diags_init(&scratch);
    Span diff = {0, 0};
    bool ok = check && fmt_scan(a, check, &scratch, &again) && fmt_same(&doc, &again, &diff);
    diags_free(&scratch);
    source_free(check);
    if (!ok) {
        diag_at(d, DIAG_ERROR, src, diff,
                "internal error: the formatted text would not be the same program; "
                "the file is left as it is");
        free(out);
        return NULL;
    }
    return out;
}
