/*
** svg.h — the inline SVG charts of the HTML report (kaoping diff), drawn
** from plain numbers. Every piece of text is escaped; sizes of labels are
** estimated from their terminal width (a CJK character is two columns), so
** the charts need no fonts to lay out.
*/
#ifndef KP_SVG_H
#define KP_SVG_H

#include <stdint.h>

#include "wbuf.h"

/* Counts of a rows x columns table, each cell shaded by its count and
** written in it; cells carry data-old, data-new and data-count attributes. */
typedef struct SvgHeat {
    const char *const *rows, *const *cols;
    int nr, nc;
    const int64_t *counts; /* [row * nc + col] */
    const char *row_title, *col_title;
    const char *unit; /* after a count in a cell's tooltip, e.g. "人" */
} SvgHeat;
void svg_heatmap(Wbuf *b, const SvgHeat *h);

/* Two distributions over the same bins [lo + i*width, lo + (i+1)*width),
** drawn side by side in each bin. */
typedef struct SvgHist {
    double lo, width;
    int nbins;
    const int64_t *counts[2];
    const char *names[2]; /* legend */
    const char *x_title, *y_title;
} SvgHist;
void svg_histogram(Wbuf *b, const SvgHist *h);

/* For each label two horizontal bars (before, after), split into the
** categories; lengths are to scale across all bars. */
typedef struct SvgBars {
    const char *const *labels;
    int n;
    const char *const *cats;
    int ncats;
    const int32_t *const *counts[2]; /* counts[side][label][cat] */
    const char *sides[2];            /* short names of the two bars */
} SvgBars;
void svg_bars(Wbuf *b, const SvgBars *bars);

/* 1, 2 or 5 times a power of ten, at least x (bin widths, axis maxima). */
double svg_nice(double x);
/* The colour of category i (grades), the same in every chart and legend. */
const char *svg_color(int i);

#endif
