/*
** fmt_render.c — the formatter's lines as text. Trailing comments line up
** within a paragraph: consecutive code lines of the same block, up to a blank
** line, a line holding only a comment, or a line that opens or closes a block
** (which is a paragraph of its own). Their column is two spaces after the
** widest code among the lines that have one (widths in display columns: a
** Chinese character counts two). Lines end in LF and never in blanks.
*/
#include "buf.h"
#include "fmt.h"

#include <string.h>

#define COMMENT_GAP 2

static void spaces(Buf *o, size_t n)
{
    static const char blanks[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof blanks - 1 ? n : sizeof blanks - 1;
        buf_put(o, blanks, k);
        n -= k;
    }
}

static bool is_code(const FmtLine *ln)
{
    return !ln->blank && ln->code_len > 0;
}

static bool is_block_edge(const FmtLine *ln)
{
    return ln->code[0] == '}' || ln->code[ln->code_len - 1] == '{';
}

/* Display width of a line's code, indentation and weight padding included. */
static size_t code_width(const FmtLine *ln)
{
    return (size_t)ln->indent + utf8_width(ln->code, ln->code_len) + (size_t)ln->pad;
}

/* The column of the trailing comments in the paragraph that starts at line
** i, and the line after the paragraph. */
static size_t comment_column(const FmtLine *lines, int n, int i, int *end)
{
    size_t widest = 0;
    int j = i;
    do {
        size_t w = code_width(&lines[j]);
        if (lines[j].comment && w > widest) widest = w;
        j++;
    } while (!is_block_edge(&lines[i]) && j < n && is_code(&lines[j]) &&
             lines[j].depth == lines[i].depth && !is_block_edge(&lines[j]));
    *end = j;
    return widest + COMMENT_GAP;
}

static void render_line(Buf *o, const FmtLine *ln, size_t comment_col)
{
    if (ln->blank) {
        buf_put(o, "\n", 1);
        return;
    }
    spaces(o, (size_t)ln->indent);
    if (ln->pad > 0) {
        buf_put(o, ln->code, ln->pad_at);
        spaces(o, (size_t)ln->pad);
        buf_put(o, ln->code + ln->pad_at, ln->code_len - ln->pad_at);
    } else {
        buf_put(o, ln->code, ln->code_len);
    }
    if (ln->comment) {
        if (ln->code_len > 0) spaces(o, comment_col - code_width(ln));
        buf_put(o, ln->comment, ln->comment_len);
    }
    buf_put(o, "\n", 1);
}

char *fmt_render(const FmtLine *lines, int n, bool bom, size_t *len)
{
    Buf o = {0};
    buf_put(&o, "", 0);
    if (bom) buf_put(&o, "\xEF\xBB\xBF", 3);
    size_t col = 0;
    int run_end = 0;
    for (int i = 0; i < n; i++) {
        if (i >= run_end && is_code(&lines[i])) col = comment_column(lines, n, i, &run_end);
        render_line(&o, &lines[i], col);
    }
    *len = o.len;
    return o.p;
}
