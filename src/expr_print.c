/*
** expr_print.c — expressions back to text (see expr_print.h). Each node is
** printed at a precedence level; a child whose level is below what its place
** requires is wrapped in parentheses. The levels follow grammar/parser.y:
**
**   0 if … then … else     3 not               6 * /
**   1 or                   4 == != < <= > >= in 7 unary -
**   2 and                  5 + -               8 names, literals, calls, a.b, [..]
*/
#include "expr_print.h"
#include "xalloc.h"

#include <string.h>

typedef struct Printer {
    char *p;
    size_t n, cap;
    ExprStyle style;
    Lang lang;
} Printer;

static void put(Printer *pr, const char *s)
{
    size_t len = strlen(s);
    if (pr->n + len + 1 > pr->cap) {
        pr->cap = (pr->n + len + 1) * 2;
        pr->p = xrealloc(pr->p, pr->cap);
    }
    memcpy(pr->p + pr->n, s, len + 1);
    pr->n += len;
}

enum { P_IF, P_OR, P_AND, P_NOT, P_CMP, P_ADD, P_MUL, P_NEG, P_ATOM };

static int level(const Expr *e)
{
    switch (e->kind) {
    case E_IF: return P_IF;
    case E_IN: return P_CMP;
    case E_UNARY: return e->op == OP_NOT ? P_NOT : P_NEG;
    case E_BINARY:
        switch (e->op) {
        case OP_OR: return P_OR;
        case OP_AND: return P_AND;
        case OP_ADD:
        case OP_SUB: return P_ADD;
        case OP_MUL:
        case OP_DIV: return P_MUL;
        default: return P_CMP;
        }
    default: return P_ATOM;
    }
}

static const char *const source_ops[] = {"+",  "-", "*",  "/",   "==", "!=", "<",
                                         "<=", ">", ">=", "and", "or", "-",  "not"};
static const char *const readable_ops[] = {"+", "-", "×", "÷",  "=",  "≠", "<",
                                           "≤", ">", "≥", NULL, NULL, "-", NULL};

/* The word for a keyword: English in source, the document's language otherwise. */
static const char *word(const Printer *pr, Phrase p)
{
    return tr(pr->style == EXPR_SOURCE ? LANG_EN : pr->lang, p);
}

static const char *op_text(const Printer *pr, Op op)
{
    if (op == OP_AND) return word(pr, W_AND);
    if (op == OP_OR) return word(pr, W_OR);
    if (op == OP_NOT) return word(pr, W_NOT);
    return pr->style == EXPR_SOURCE ? source_ops[op] : readable_ops[op];
}

static void print(Printer *pr, const Expr *e);

static void child(Printer *pr, const Expr *e, int min_level)
{
    bool parens = level(e) < min_level;
    if (parens) put(pr, "(");
    print(pr, e);
    if (parens) put(pr, ")");
}

void expr_format_percent(Dec v, char *buf)
{
    Dec pct;
    /* Beyond the range as a percent: the number itself, which is still right. */
    if (dec_mul(v, dec_from_int(100), &pct) > DEC_INEXACT) {
        dec_format(v, buf);
        return;
    }
    size_t n = dec_format(pct, buf);
    buf[n] = '%';
    buf[n + 1] = '\0';
}

static void print_string(Printer *pr, const char *s)
{
    bool src = pr->style == EXPR_SOURCE;
    put(pr, src ? "\"" : word(pr, W_QUOTE_OPEN));
    char one[2] = {0, 0};
    for (; *s; s++) {
        if (*s == '\n')
            put(pr, "\\n");
        else if (*s == '\t')
            put(pr, "\\t");
        else if (src && (*s == '"' || *s == '\\'))
            put(pr, *s == '"' ? "\\\"" : "\\\\");
        else {
            one[0] = *s;
            put(pr, one);
        }
    }
    put(pr, src ? "\"" : word(pr, W_QUOTE_CLOSE));
}

static void print_items(Printer *pr, const PtrVec *items)
{
    for (int i = 0; i < items->n; i++) {
        if (i) put(pr, ", ");
        child(pr, items->items[i], P_IF);
    }
}

static void print_binary(Printer *pr, const Expr *e)
{
    int lv = level(e);
    /* Left-associative: the left operand may be of the same level, the right
    ** not; comparisons do not chain at all. */
    int left = lv == P_CMP ? lv + 1 : lv, right = lv + 1;
    bool clarify = e->op == OP_OR;
    const Expr *sides[2] = {e->a, e->b};
    for (int i = 0; i < 2; i++) {
        if (i) {
            put(pr, " ");
            put(pr, op_text(pr, e->op));
            put(pr, " ");
        }
        const Expr *x = sides[i];
        child(pr, x, clarify && level(x) == P_AND ? P_NOT : i ? right : left);
    }
}

static void print_unary(Printer *pr, const Expr *e)
{
    if (e->op == OP_NEG) {
        put(pr, "-");
        /* "--x" reads badly and "-(-x)" says the same. */
        child(pr, e->a, level(e->a) == P_NEG ? P_ATOM : P_NEG);
        return;
    }
    put(pr, op_text(pr, OP_NOT));
    put(pr, " ");
    int lv = level(e->a);
    child(pr, e->a, lv == P_NOT ? P_NOT : P_ADD);
}

static void print(Printer *pr, const Expr *e)
{
    char num[DEC_FMT_MAX + 2];
    switch (e->kind) {
    case E_NUM:
        if (e->is_percent)
            expr_format_percent(e->num, num);
        else
            dec_format(e->num, num);
        put(pr, num);
        return;
    case E_STR: print_string(pr, e->str); return;
    case E_BOOL: put(pr, word(pr, e->boolean ? W_TRUE : W_FALSE)); return;
    case E_NAME: put(pr, e->name); return;
    case E_FIELD:
        child(pr, e->a, P_ATOM);
        put(pr, ".");
        put(pr, e->name);
        return;
    case E_UNARY: print_unary(pr, e); return;
    case E_BINARY: print_binary(pr, e); return;
    case E_IF:
        put(pr, word(pr, W_IF));
        put(pr, " ");
        child(pr, e->a, P_OR);
        put(pr, " ");
        put(pr, word(pr, W_THEN));
        put(pr, " ");
        child(pr, e->b, P_OR);
        put(pr, " ");
        put(pr, word(pr, W_ELSE));
        put(pr, " ");
        child(pr, e->c, P_IF);
        return;
    case E_IN:
        child(pr, e->a, P_ADD);
        put(pr, " ");
        put(pr, word(pr, W_IN));
        put(pr, " ");
        child(pr, e->b, P_ADD);
        return;
    case E_CALL:
        put(pr, e->name);
        put(pr, "(");
        print_items(pr, &e->args);
        if (e->where) {
            if (e->args.n) put(pr, " ");
            put(pr, word(pr, W_WHERE));
            put(pr, " ");
            child(pr, e->where, P_IF);
        }
        put(pr, ")");
        return;
    case E_LIST:
        put(pr, "[");
        print_items(pr, &e->args);
        put(pr, "]");
        return;
    }
}

char *expr_print(Arena *a, const Expr *e, ExprStyle style, Lang lang)
{
    Printer pr = {.style = style, .lang = lang};
    put(&pr, "");
    print(&pr, e);
    char *s = arena_strndup(a, pr.p, pr.n);
    free(pr.p);
    return s;
}
