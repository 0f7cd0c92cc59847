/*
** docbuf.c — document blocks and their two writers. The Markdown is
** CommonMark with GFM tables; the HTML is one well-formed page (it parses as
** XML too) with its style sheet inline and no outside resource, so it can be
** mailed, archived and printed as it is.
*/
#include "docbuf.h"

#include <string.h>

static Block *add(DocBuf *b, BlockKind k, int level, const char *text)
{
    Block *blk = ARENA_NEW(b->arena, Block);
    blk->kind = k;
    blk->level = level;
    blk->text = text ? text : "";
    ptrvec_push(b->arena, &b->blocks, blk);
    return blk;
}

void docbuf_heading(DocBuf *b, int level, const char *text)
{
    add(b, BLK_HEADING, level, text);
}

void docbuf_para(DocBuf *b, const char *text)
{
    add(b, BLK_PARA, 0, text);
}

void docbuf_bullet(DocBuf *b, const char *text)
{
    add(b, BLK_BULLET, 0, text);
}

Block *docbuf_table(DocBuf *b, int ncols, const char *const *header)
{
    Block *t = add(b, BLK_TABLE, 0, NULL);
    t->ncols = ncols;
    docbuf_row(b, t, header);
    return t;
}

void docbuf_row(DocBuf *b, Block *table, const char *const *cells)
{
    for (int i = 0; i < table->ncols; i++)
        ptrvec_push(b->arena, &table->cells, (void *)(cells[i] ? cells[i] : ""));
}

/* ---- Markdown ---- */

static bool word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Escapes what CommonMark or a GFM table would take as markup: backslashes,
** code spans, emphasis, strikethrough, table pipes, entity references and
** the start of inline HTML. An '_' between two word characters is left
** alone, since it never emphasises (person_id). */
static void md_text(FILE *f, const char *s)
{
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p, next = (unsigned char)p[1];
        bool esc = false;
        switch (c) {
        case '\\':
        case '`':
        case '*':
        case '|':
        case '~': esc = true; break;
        case '_': esc = p == s || !word_byte((unsigned char)p[-1]) || !word_byte(next); break;
        case '<':
            esc = next == '/' || next == '!' || next == '?' ||
                  ((next | 0x20) >= 'a' && (next | 0x20) <= 'z');
            break;
        case '&': esc = next == '#' || ((next | 0x20) >= 'a' && (next | 0x20) <= 'z'); break;
        case '\n': fputc(' ', f); continue;
        }
        if (esc) fputc('\\', f);
        fputc(c, f);
    }
}

static void md_table(FILE *f, const Block *t)
{
    int rows = t->cells.n / t->ncols;
    for (int r = 0; r < rows; r++) {
        fputc('|', f);
        for (int i = 0; i < t->ncols; i++) {
            fputc(' ', f);
            md_text(f, t->cells.items[r * t->ncols + i]);
            fputs(" |", f);
        }
        fputc('\n', f);
        if (r == 0) {
            fputc('|', f);
            for (int i = 0; i < t->ncols; i++)
                fputs(" --- |", f);
            fputc('\n', f);
        }
    }
}

bool docbuf_write_markdown(const DocBuf *b, FILE *f)
{
    for (int i = 0; i < b->blocks.n; i++) {
        const Block *blk = b->blocks.items[i];
        /* Blocks are separated by a blank line; bullets of one list are not. */
        bool in_list = blk->kind == BLK_BULLET && i &&
                       ((const Block *)b->blocks.items[i - 1])->kind == BLK_BULLET;
        if (i && !in_list) fputc('\n', f);
        switch (blk->kind) {
        case BLK_HEADING:
            for (int k = 0; k < blk->level; k++)
                fputc('#', f);
            fputc(' ', f);
            md_text(f, blk->text);
            fputc('\n', f);
            break;
        case BLK_PARA:
            md_text(f, blk->text);
            fputc('\n', f);
            break;
        case BLK_BULLET:
            fputs("- ", f);
            md_text(f, blk->text);
            fputc('\n', f);
            break;
        case BLK_TABLE: md_table(f, blk); break;
        }
    }
    return !ferror(f);
}

/* ---- HTML ---- */

static void html_text(FILE *f, const char *s)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*p, f);
        }
    }
}

static const char html_style[] =
    "body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", "
    "\"PingFang SC\", sans-serif;\n"
    "       line-height: 1.6; color: #222; max-width: 64em; margin: 2em auto; padding: 0 1em; }\n"
    "h1 { font-size: 1.6em; text-align: center; }\n"
    "h2 { font-size: 1.3em; border-bottom: 1px solid #bbb; padding-bottom: 0.2em; "
    "margin-top: 1.8em; }\n"
    "h3 { font-size: 1.15em; margin-top: 1.4em; }\n"
    "h4 { font-size: 1em; }\n"
    "table { border-collapse: collapse; margin: 0.6em 0 1em; }\n"
    "th, td { border: 1px solid #999; padding: 0.3em 0.6em; text-align: left; "
    "vertical-align: top; }\n"
    "th { background: #eee; white-space: nowrap; }\n"
    "@media print { body { max-width: none; margin: 0; } h2, h3 { break-after: avoid; } "
    "tr { break-inside: avoid; } }\n";

static void html_table(FILE *f, const Block *t)
{
    int rows = t->cells.n / t->ncols;
    fputs("<table>\n<thead>\n<tr>", f);
    for (int r = 0; r < rows; r++) {
        if (r == 1) fputs("\n</thead>\n<tbody>", f);
        if (r) fputs("\n<tr>", f);
        for (int i = 0; i < t->ncols; i++) {
            fputs(r ? "<td>" : "<th>", f);
            html_text(f, t->cells.items[r * t->ncols + i]);
            fputs(r ? "</td>" : "</th>", f);
        }
        fputs("</tr>", f);
    }
    fputs(rows > 1 ? "\n</tbody>\n</table>\n" : "\n</thead>\n</table>\n", f);
}

bool docbuf_write_html(const DocBuf *b, FILE *f)
{
    fputs("<!DOCTYPE html>\n<html lang=\"", f);
    html_text(f, b->lang ? b->lang : "zh-CN");
    fputs("\">\n<head>\n<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
          f);
    html_text(f, b->title ? b->title : "");
    fputs("</title>\n<style>\n", f);
    fputs(html_style, f);
    fputs("</style>\n</head>\n<body>\n", f);
    for (int i = 0; i < b->blocks.n; i++) {
        const Block *blk = b->blocks.items[i];
        bool first = !i || ((const Block *)b->blocks.items[i - 1])->kind != BLK_BULLET;
        bool last =
            i + 1 == b->blocks.n || ((const Block *)b->blocks.items[i + 1])->kind != BLK_BULLET;
        switch (blk->kind) {
        case BLK_HEADING:
            fprintf(f, "<h%d>", blk->level);
            html_text(f, blk->text);
            fprintf(f, "</h%d>\n", blk->level);
            break;
        case BLK_PARA:
            fputs("<p>", f);
            html_text(f, blk->text);
            fputs("</p>\n", f);
            break;
        case BLK_BULLET:
            if (first) fputs("<ul>\n", f);
            fputs("<li>", f);
            html_text(f, blk->text);
            fputs("</li>\n", f);
            if (last) fputs("</ul>\n", f);
            break;
        case BLK_TABLE: html_table(f, blk); break;
        }
    }
    fputs("</body>\n</html>\n", f);
    return !ferror(f);
}
