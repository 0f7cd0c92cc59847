/*
** fmt_layout.c — where each token goes: which line, how far indented, and
** whether a space separates it from the one before. The layout rules
** (docs/language.md, "格式化 / Formatting"):
**
**   - every item (declaration, column, indicator, when/otherwise branch,
**     grade rule, override) starts a line, indented 4 spaces per enclosing
**     block; '{' ends its item's line, '}' stands on a line of its own
**     ("{}" when the block is empty);
**   - a line break the author put inside an item is kept, and the line goes
**     on 4 spaces deeper than the item's first line (a line that starts with
**     ')' or ']' lines up with the item instead); no other breaks are added;
**   - one space between tokens, none inside brackets, before ',' ':' ';' '?'
**     or ')' ']', around '.', after a unary '-', before a call's '(' or after
**     enum before '[';
**   - blank lines are kept but at most one in a row, none at the start of a
**     block or the file, none before '}' or at the end;
**   - comments stay where they are: at the end of their line, or on a line
**     of their own indented like the code that follows; a '{' that was put
**     on the line after its header (comments between them) moves up;
**   - the 权重 (weight) keyword lines up across consecutive sibling indicators
**     that are not separated by a blank line.
**
** Which token starts an item depends on the block it is in; the grammar
** makes the start unambiguous from the token, the one before and the one
** after (see starts_item).
*/
#include "fmt.h"
#include "parser.h"

#include <string.h>

#define INDENT 4

typedef enum { BK_TOP, BK_TABLE, BK_IND, BK_GRADES, BK_TEST, BK_ROWS, BK_STEP } BlockKind;

typedef struct RunEntry {
    int line;
    size_t width; /* display width of the code before the weight keyword */
} RunEntry;

/* A block being laid out, with the weighted indicators whose 权重 column is
** being lined up (the run). */
typedef struct Block {
    BlockKind kind;
    bool blank; /* a blank line since the block's last item started */
    RunEntry *run;
    int nrun, caprun;
} Block;

typedef struct Layout {
    Arena *a;
    FmtElem *el; /* the elements, each block's '{' moved before comments */
    int nel;
    FmtLine *lines;
    int n, cap;
    char *buf; /* the line being built */
    size_t len, bufcap;
    bool open; /* a line is being built */
    int indent, line_depth;
    uint32_t pad_at; /* weight column of the line being built, 0 if none */
    bool after_open; /* the last line ends with '{' */
    Block *blocks;   /* blocks[0] is the file */
    int depth, capblocks;
    int prev; /* the previous token, 0 at the start */
    bool prev_unary;
    int item_kw;    /* first token of the current item */
    int weight_due; /* tokens until the name of a weighted indicator is complete */
} Layout;

static void *grow(Arena *a, void *items, int n, int *cap, size_t size)
{
    if (n < *cap) return items;
    int ncap = *cap ? *cap * 2 : 64;
    void *bigger = arena_alloc(a, size * (size_t)ncap);
    if (n) memcpy(bigger, items, size * (size_t)n);
    *cap = ncap;
    return bigger;
}

static void append(Layout *L, const char *s, size_t n)
{
    if (L->len + n + 1 > L->bufcap) {
        size_t cap = L->bufcap ? L->bufcap * 2 : 256;
        while (cap < L->len + n + 1)
            cap *= 2;
        char *bigger = arena_alloc(L->a, cap);
        if (L->len) memcpy(bigger, L->buf, L->len);
        L->buf = bigger;
        L->bufcap = cap;
    }
    memcpy(L->buf + L->len, s, n);
    L->len += n;
}

static FmtLine *new_line(Layout *L)
{
    L->lines = grow(L->a, L->lines, L->n, &L->cap, sizeof *L->lines);
    FmtLine *ln = &L->lines[L->n++];
    memset(ln, 0, sizeof *ln);
    ln->code = "";
    return ln;
}

/* Ends the line being built, with an optional trailing comment. */
static void flush(Layout *L, const FmtElem *comment)
{
    if (!L->open) return;
    FmtLine *ln = new_line(L);
    ln->indent = L->indent;
    ln->depth = L->depth < L->line_depth ? L->depth : L->line_depth;
    ln->code = arena_strndup(L->a, L->buf, L->len);
    ln->code_len = (uint32_t)L->len;
    ln->pad_at = L->pad_at;
    if (comment) ln->comment = comment->text, ln->comment_len = comment->len;
    L->after_open = L->len && L->buf[L->len - 1] == '{';
    L->open = false;
    L->len = 0;
    L->pad_at = 0;
}

static void open_line(Layout *L, int indent)
{
    L->open = true;
    L->indent = indent;
    L->line_depth = L->depth;
    L->len = 0;
    L->pad_at = 0;
}

/* A blank line for newlines >= 2 where one may stand. */
static void blank_line(Layout *L, uint32_t newlines)
{
    if (newlines < 2 || L->n == 0 || L->after_open) return;
    new_line(L)->blank = true;
    L->blocks[L->depth].blank = true;
}

/* Lines up the 权重 keyword of the run's indicators, then forgets the run. */
static void close_run(Layout *L, Block *b)
{
    size_t widest = 0;
    for (int i = 0; i < b->nrun; i++)
        if (b->run[i].width > widest) widest = b->run[i].width;
    for (int i = 0; b->nrun > 1 && i < b->nrun; i++)
        L->lines[b->run[i].line].pad = (int)(widest - b->run[i].width);
    b->nrun = 0;
}

static void push_block(Layout *L)
{
    BlockKind k = L->item_kw == TABLE    ? BK_TABLE
                  : L->item_kw == GRADES ? BK_GRADES
                  : L->item_kw == TEST   ? BK_TEST
                  : L->item_kw == STEP   ? BK_STEP
                  : L->item_kw == ID     ? BK_ROWS /* a test's rows: `persons (a, b) {` */
                                         : BK_IND;
    L->depth++;
    L->blocks = grow(L->a, L->blocks, L->depth, &L->capblocks, sizeof *L->blocks);
    L->blocks[L->depth] = (Block){k, false, NULL, 0, 0};
}

static bool ends_operand(int t)
{
    return t == ID || t == NUMBER || t == STRING || t == BOOL || t == ')' || t == ']';
}

static bool starts_decl(int t)
{
    switch (t) {
    case SCHEME:
    case IMPORT:
    case PARAM:
    case TABLE:
    case ASSESS:
    case GROUP:
    case LET:
    case INDICATOR:
    case BONUS:
    case PENALTY:
    case ADJUST:
    case VETO:
    case GRADES:
    case OUTPUT:
    case DEF:
    case STEP:
    case TEST:
    case PERIOD:
    case REPLACE:
    case REMOVE: return true;
    default: return false;
    }
}

static bool starts_cell(int t)
{
    return t == ID || t == NUMBER || t == STRING || t == BOOL || t == '-';
}

/* Whether token t (after prev, before next) starts an item of the block:
**   file     a declaration keyword (none of them occurs inside a declaration)
**   table    a name after the end of a column ('{' ';' ']' '?', the type's
**            or the referenced table's name, or a default value: two names,
**            or a value and a name, never meet inside a column)
**   indicator  indicator, when, or otherwise followed by '=' or '{' (the
**            'else' of an if expression is followed by an expression)
**   grades   override, or a name after '{' ';' or the end of an operand (no
**            expression has a name right after an operand)
**   test     expect, a declaration keyword, or a table's name before '(' that
**            does not continue an expression
**   step     from, or to right after '{' (only the first band may be open
**            below; elsewhere 'to' continues a bound or a value: A to B)
**   rows     a cell right after '{', or one that starts a line after the
**            last cell of a row (cells of one row are joined by commas; two
**            rows on one line are an error the layout must not hide)
** A declaration after replace/remove belongs to their item. */
static bool starts_item(const Layout *L, int at, int t, int prev, int next)
{
    switch (L->blocks[L->depth].kind) {
    case BK_TOP: return starts_decl(t) && prev != REPLACE && prev != REMOVE;
    case BK_TEST:
        return t == EXPECT || (starts_decl(t) && prev != REPLACE && prev != REMOVE) ||
               (t == ID && next == '(' && (prev == '{' || prev == '}' || ends_operand(prev)));
    case BK_ROWS: /* rows are the author's lines: two on one line is an error to keep */
        return starts_cell(t) &&
               (prev == '{' || prev == ';' || (ends_operand(prev) && L->el[at].newlines > 0));
    case BK_TABLE:
        return t == ID && (prev == '{' || prev == ';' || prev == ']' || prev == '?' || prev == ID ||
                           prev == NUMBER || prev == STRING || prev == BOOL);
    case BK_IND: return t == INDICATOR || t == WHEN || (t == ELSE && (next == '=' || next == '{'));
    case BK_STEP: return t == FROM || (t == TO && (prev == '{' || prev == ';'));
    case BK_GRADES:
        return t == OVERRIDE || (t == ID && (prev == '{' || prev == ';' || ends_operand(prev)));
    }
    return false;
}

/* The kind of the next token from element i on (0 at the end), and its index. */
static int next_token(const Layout *L, int i, int *at)
{
    while (i < L->nel && L->el[i].kind != FE_TOKEN)
        i++;
    if (at) *at = i;
    return i < L->nel ? L->el[i].tok : 0;
}

static bool space_between(const Layout *L, int prev, int t)
{
    if (prev == 0 || (prev == '{' && t == '}')) return false;
    if (t < 128 && strchr(",)].:;?", t)) return false;
    if (prev == '(' || prev == '[' || prev == '.') return false;
    if (prev == '-' && L->prev_unary) return false;
    if (t == '(' && prev == ID) return false;
    if (t == '[' && prev == ENUM) return false;
    return true;
}

/* An indicator whose name and weight keyword follow on the same line takes
** part in lining up the weight column. */
static bool weighted_header(const Layout *L, int i)
{
    const FmtElem *e = L->el;
    return i + 2 < L->nel && e[i].tok == INDICATOR && e[i + 1].kind == FE_TOKEN &&
           e[i + 1].tok == ID && e[i + 1].newlines == 0 && e[i + 2].kind == FE_TOKEN &&
           e[i + 2].tok == WEIGHT && e[i + 2].newlines == 0;
}

/* Bookkeeping when element i starts an item of the current block. */
static void item_starts(Layout *L, int i)
{
    Block *b = &L->blocks[L->depth];
    bool weighted = weighted_header(L, i);
    if (!weighted || b->blank) close_run(L, b);
    b->blank = false;
    L->item_kw = L->el[i].tok;
    /* `replace grades … {`: the block is the declaration's, not the keyword's */
    if ((L->item_kw == REPLACE || L->item_kw == REMOVE) && i + 1 < L->nel &&
        L->el[i + 1].kind == FE_TOKEN)
        L->item_kw = L->el[i + 1].tok;
    L->weight_due = weighted ? 2 : 0;
}

/* Records the weight column once the weighted indicator's name is on the line. */
static void note_weight_column(Layout *L)
{
    if (!L->weight_due || --L->weight_due) return;
    Block *b = &L->blocks[L->depth];
    if (b->nrun == b->caprun) b->run = grow(L->a, b->run, b->nrun, &b->caprun, sizeof *b->run);
    b->run[b->nrun++] = (RunEntry){L->n, utf8_width(L->buf, L->len)};
    L->pad_at = (uint32_t)L->len;
}

static void place_comment(Layout *L, int i)
{
    const FmtElem *e = &L->el[i];
    if (e->newlines == 0 && L->open) {
        flush(L, e);
        return;
    }
    flush(L, NULL);
    blank_line(L, e->newlines);
    int at, next = next_token(L, i, &at);
    int prev = L->prev;
    int indent = L->depth * INDENT;
    bool between_items = prev == 0 || prev == '{' || prev == '}' || prev == ';' || next == '}' ||
                         next == 0 || starts_item(L, at, next, prev, next_token(L, at + 1, NULL));
    if (!between_items) indent += INDENT;
    FmtLine *ln = new_line(L);
    ln->indent = indent;
    ln->depth = L->depth;
    ln->comment = e->text;
    ln->comment_len = e->len;
    L->after_open = false;
}

/* Whether token i goes on a new line. */
static bool breaks_before(const Layout *L, int i, bool start)
{
    int t = L->el[i].tok, prev = L->prev;
    if (!L->open) return true;
    if (t == '{' || t == ';') return false;
    if (t == '}') return prev != '{';
    if (prev == '{' || prev == '}' || start) return true;
    return L->el[i].newlines > 0;
}

static void place_token(Layout *L, int i)
{
    const FmtElem *e = &L->el[i];
    int t = e->tok, prev = L->prev;
    bool start = starts_item(L, i, t, prev, next_token(L, i + 1, NULL));
    if (breaks_before(L, i, start)) {
        flush(L, NULL);
        if (t != '}') blank_line(L, e->newlines);
        int indent = L->depth * INDENT;
        if (t == '}')
            indent -= INDENT;
        else if (!start && prev && prev != '{' && prev != '}' && t != ';' && t != ')' && t != ']')
            indent += INDENT;
        open_line(L, indent);
    } else if (space_between(L, prev, t)) {
        append(L, " ", 1);
    }
    if (start) item_starts(L, i);
    if (t == AT_MOST && e->text[0] == 'a')
        append(L, "at most", 7);
    else
        append(L, e->text, e->len);
    note_weight_column(L);
    if (t == '{') push_block(L);
    if (t == '}' && L->depth > 0) {
        close_run(L, &L->blocks[L->depth]);
        L->depth--;
    }
    L->prev_unary = t == '-' && !ends_operand(prev);
    L->prev = t;
}

/* Each block's '{' moves before the comments between it and its header, so
** that it can end the header's line; the comments follow it. */
static FmtElem *hoist_braces(Arena *a, const FmtDoc *doc)
{
    FmtElem *el = ARENA_ARR(a, FmtElem, doc->n + 1);
    if (doc->n) memcpy(el, doc->elems, sizeof *el * (size_t)doc->n);
    for (int i = 0; i < doc->n; i++) {
        if (el[i].kind != FE_TOKEN || el[i].tok != '{') continue;
        int j = i;
        while (j > 0 && el[j - 1].kind == FE_COMMENT)
            j--;
        if (j == 0 || j == i) continue;
        FmtElem brace = el[i];
        memmove(el + j + 1, el + j, sizeof *el * (size_t)(i - j));
        el[j] = brace;
        el[j].newlines = 0;
    }
    return el;
}

FmtLine *fmt_layout(Arena *a, const FmtDoc *doc, int *nlines)
{
    Layout L = {0};
    L.a = a;
    L.el = hoist_braces(a, doc);
    L.nel = doc->n;
    L.blocks = grow(a, NULL, 0, &L.capblocks, sizeof *L.blocks);
    L.blocks[0] = (Block){BK_TOP, false, NULL, 0, 0};
    for (int i = 0; i < L.nel; i++) {
        if (L.el[i].kind == FE_COMMENT)
            place_comment(&L, i);
        else
            place_token(&L, i);
    }
    flush(&L, NULL);
    while (L.depth >= 0)
        close_run(&L, &L.blocks[L.depth--]);
    *nlines = L.n;
    return L.lines;
}
