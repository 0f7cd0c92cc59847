/*
** svg.c — inline SVG charts (see svg.h).
*/
#include "svg.h"

#include <math.h>
#include <string.h>

#define CHAR_PX 7 /* width of one terminal column of text at the charts' 13px font */

const char *svg_color(int i)
{
    static const char *const palette[] = {"#2e7d32", "#1565c0", "#f9a825", "#c62828",
                                          "#757575", "#6a1b9a", "#00838f", "#ef6c00"};
    return palette[i % 8];
}

static int label_px(const char *s)
{
    return text_width(s) * CHAR_PX;
}

static void text_at(Wbuf *b, double x, double y, const char *anchor, const char *cls, const char *s)
{
    wbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor,
                cls);
    wbuf_html(b, s);
    wbuf_str(b, "</text>");
}

/* ---- heat map ---- */

/* White-blue ramp on a log scale, so a few persons who move still show. */
static void heat_color(int64_t c, int64_t max, char *out, bool *dark)
{
    if (c == 0 || max == 0) {
        strcpy(out, "#f5f5f5");
        *dark = false;
        return;
    }
    double t = log1p((double)c) / log1p((double)max);
    int r = (int)(227 + (13 - 227) * t), g = (int)(242 + (71 - 242) * t),
        bl = (int)(253 + (161 - 253) * t);
    snprintf(out, 8, "#%02x%02x%02x", r, g, bl);
    *dark = t > 0.55;
}

void svg_heatmap(Wbuf *b, const SvgHeat *h)
{
    int lw = label_px(h->row_title) + 16, cw = 76, ch = 38, top = 58;
    for (int i = 0; i < h->nr; i++)
        if (label_px(h->rows[i]) + 24 > lw) lw = label_px(h->rows[i]) + 24;
    for (int j = 0; j < h->nc; j++)
        if (label_px(h->cols[j]) + 12 > cw) cw = label_px(h->cols[j]) + 12;
    int64_t max = 0;
    for (int i = 0; i < h->nr * h->nc; i++)
        if (h->counts[i] > max) max = h->counts[i];
    int w = lw + h->nc * cw + 10, ht = top + h->nr * ch + 10;
    wbuf_printf(b,
                "<svg class=\"chart heatmap\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "role=\"img\">",
                w, ht, w, ht);
    text_at(b, lw + h->nc * cw / 2.0, 18, "middle", "title", h->col_title);
    text_at(b, 4, top - 10, "start", "title", h->row_title);
    for (int j = 0; j < h->nc; j++)
        text_at(b, lw + j * cw + cw / 2.0, top - 10, "middle", "label", h->cols[j]);
    for (int i = 0; i < h->nr; i++) {
        double y = top + i * ch;
        text_at(b, lw - 10, y + ch / 2.0 + 5, "end", "label", h->rows[i]);
        for (int j = 0; j < h->nc; j++) {
            int64_t c = h->counts[i * h->nc + j];
            char fill[8];
            bool dark;
            heat_color(c, max, fill, &dark);
            bool same = strcmp(h->rows[i], h->cols[j]) == 0;
            wbuf_str(b, "<g class=\"cell\" data-old=\"");
            wbuf_html(b, h->rows[i]);
            wbuf_str(b, "\" data-new=\"");
            wbuf_html(b, h->cols[j]);
            wbuf_printf(b, "\" data-count=\"%lld\"><title>", (long long)c);
            wbuf_html(b, h->rows[i]);
            wbuf_str(b, " → ");
            wbuf_html(b, h->cols[j]);
            wbuf_printf(b, "：%lld", (long long)c);
            wbuf_html(b, h->unit);
            wbuf_printf(b,
                        "</title><rect x=\"%d\" y=\"%.0f\" width=\"%d\" height=\"%d\" "
                        "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>",
                        lw + j * cw + 1, y + 1, cw - 2, ch - 2, fill, same ? "#455a64" : "#ffffff",
                        same ? "1.5" : "1");
            char num[32];
            snprintf(num, sizeof num, "%lld", (long long)c);
            text_at(b, lw + j * cw + cw / 2.0, y + ch / 2.0 + 5, "middle",
                    dark ? "count dark" : "count", num);
            wbuf_str(b, "</g>");
        }
    }
    wbuf_str(b, "</svg>\n");
}

/* ---- histogram ---- */

double svg_nice(double x)
{
    if (x <= 0) return 1;
    double p = pow(10, floor(log10(x)));
    for (int k = 0; k < 3; k++) {
        double step = (k == 0 ? 1 : k == 1 ? 2 : 5) * p;
        if (step >= x) return step;
    }
    return 10 * p;
}

static void legend(Wbuf *b, double x, double y, const char *const *names, int n,
                   const char *const *colors)
{
    for (int i = 0; i < n; i++) {
        wbuf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x,
                    y - 10, colors[i]);
        text_at(b, x + 16, y, "start", "label", names[i]);
        x += 16 + label_px(names[i]) + 18;
    }
}

static void hist_axes(Wbuf *b, const SvgHist *h, int l, int t, int pw, int ph, double ymax)
{
    char s[64];
    for (int k = 0; k <= 4; k++) {
        double y = t + ph - ph * k / 4.0;
        wbuf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>", l, y,
                    l + pw, y);
        snprintf(s, sizeof s, "%g", ymax * k / 4);
        text_at(b, l - 6, y + 4, "end", "tick", s);
    }
    double bw = (double)pw / h->nbins;
    int every = (int)ceil(56 / bw);
    for (int i = 0; i <= h->nbins; i += every ? every : 1) {
        snprintf(s, sizeof s, "%g", h->lo + i * h->width);
        text_at(b, l + i * bw, t + ph + 16, "middle", "tick", s);
    }
    text_at(b, l + pw / 2.0, t + ph + 36, "middle", "title", h->x_title);
    text_at(b, 4, t - 12, "start", "title", h->y_title);
}

void svg_histogram(Wbuf *b, const SvgHist *h)
{
    int w = 760, ht = 300, l = 56, r = 16, t = 40, bot = 46;
    int pw = w - l - r, ph = ht - t - bot;
    int64_t max = 0;
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < h->nbins; i++)
            if (h->counts[s][i] > max) max = h->counts[s][i];
    double ymax = svg_nice((double)max);
    if (ymax < 4) ymax = 4;
    wbuf_printf(b,
                "<svg class=\"chart histogram\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "role=\"img\">",
                w, ht, w, ht);
    hist_axes(b, h, l, t, pw, ph, ymax);
    const char *colors[2] = {"#90a4ae", "#ef6c00"};
    legend(b, l + pw - 220, 18, h->names, 2, colors);
    double bw = (double)pw / h->nbins;
    for (int i = 0; i < h->nbins; i++)
        for (int s = 0; s < 2; s++) {
            int64_t c = h->counts[s][i];
            double bh = ph * (double)c / ymax, x = l + i * bw + bw * (0.08 + 0.43 * s);
            wbuf_printf(b,
                        "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        "fill=\"%s\"><title>",
                        x, t + ph - bh, bw * 0.41, bh, colors[s]);
            wbuf_html(b, h->names[s]);
            wbuf_printf(b, " %g–%g：%lld</title></rect>", h->lo + i * h->width,
                        h->lo + (i + 1) * h->width, (long long)c);
        }
    wbuf_str(b, "</svg>\n");
}

/* ---- bars per unit ---- */

static void bar(Wbuf *b, const SvgBars *bars, int side, int u, double x, double y, double scale)
{
    const int32_t *c = bars->counts[side][u];
    for (int k = 0; k < bars->ncats; k++) {
        if (!c[k]) continue;
        double len = c[k] * scale;
        wbuf_printf(b,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"%s\"><title>",
                    x, y, len, svg_color(k));
        wbuf_html(b, bars->labels[u]);
        wbuf_str(b, " ");
        wbuf_html(b, bars->sides[side]);
        wbuf_str(b, " ");
        wbuf_html(b, bars->cats[k]);
        wbuf_printf(b, "：%d</title></rect>", c[k]);
        if (len >= 22) {
            char num[16];
            snprintf(num, sizeof num, "%d", c[k]);
            text_at(b, x + len / 2, y + 11, "middle", "seg", num);
        }
        x += len;
    }
}

void svg_bars(Wbuf *b, const SvgBars *bars)
{
    int lw = 60, pw = 560, rowh = 44, top = 34;
    for (int u = 0; u < bars->n; u++)
        if (label_px(bars->labels[u]) + 40 > lw) lw = label_px(bars->labels[u]) + 40;
    int32_t max = 1;
    for (int s = 0; s < 2; s++)
        for (int u = 0; u < bars->n; u++) {
            int32_t sum = 0;
            for (int k = 0; k < bars->ncats; k++)
                sum += bars->counts[s][u][k];
            if (sum > max) max = sum;
        }
    double scale = (double)pw / max;
    int w = lw + pw + 20, ht = top + bars->n * rowh + 6;
    wbuf_printf(b,
                "<svg class=\"chart bars\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "role=\"img\">",
                w, ht, w, ht);
    const char *colors[64];
    for (int k = 0; k < bars->ncats && k < 64; k++)
        colors[k] = svg_color(k);
    legend(b, lw, 16, bars->cats, bars->ncats < 64 ? bars->ncats : 64, colors);
    for (int u = 0; u < bars->n; u++) {
        double y = top + u * rowh;
        wbuf_str(b, "<g class=\"unit\">");
        text_at(b, 4, y + 19, "start", "label", bars->labels[u]);
        for (int s = 0; s < 2; s++) {
            text_at(b, lw - 6, y + 12 + s * 18, "end", "tick", bars->sides[s]);
            bar(b, bars, s, u, lw, y + s * 18, scale);
        }
        wbuf_str(b, "</g>");
    }
    wbuf_str(b, "</svg>\n");
}
