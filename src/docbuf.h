/*
** docbuf.h — a document as a list of blocks (headings, paragraphs, bullets,
** tables of plain text), written out as Markdown or as one self-contained
** HTML page. Text is plain: the writers escape whatever their format would
** otherwise read as markup. Everything lives in the caller's arena.
*/
#ifndef KP_DOCBUF_H
#define KP_DOCBUF_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"

typedef enum { BLK_HEADING, BLK_PARA, BLK_BULLET, BLK_TABLE } BlockKind;

typedef struct Block {
    BlockKind kind;
    int level;        /* BLK_HEADING: 1 (title) to 4 */
    const char *text; /* heading, paragraph, bullet */
    int ncols;        /* BLK_TABLE */
    PtrVec cells;     /* BLK_TABLE: the header row, then each row; ncols texts each */
} Block;

typedef struct DocBuf {
    Arena *arena;
    const char *title; /* the HTML page's <title> */
    const char *lang;  /* the HTML page's language tag, e.g. "zh-CN" */
    PtrVec blocks;     /* Block * */
} DocBuf;

void docbuf_heading(DocBuf *b, int level, const char *text);
void docbuf_para(DocBuf *b, const char *text);
void docbuf_bullet(DocBuf *b, const char *text);
/* A table with these ncols header texts; add rows with docbuf_row. */
Block *docbuf_table(DocBuf *b, int ncols, const char *const *header);
/* One row of ncols texts (NULL is written as an empty cell). */
void docbuf_row(DocBuf *b, Block *table, const char *const *cells);

/* Both return false when writing to f failed. */
bool docbuf_write_markdown(const DocBuf *b, FILE *f);
bool docbuf_write_html(const DocBuf *b, FILE *f);

#endif
