/*
** diff_html.c — kaoping diff as one self-contained HTML page for a reader
** who does not use the command line: the two versions, the counts, the
** transition matrix as a heat map, the distribution of totals before and
** after, grades per unit as bars, and a table of the persons who change
** grade that sorts by any column and filters by text. No network, no
** external files: the styles, the charts (inline SVG, svg.c) and the
** script are in the page; every piece of data is escaped. The page is in
** Chinese, for the leaders who read it.
**
** Opened with ?selftest=TEXT in its URL, the script checks itself: it sorts
** the table, filters it by TEXT and writes what it saw into #selftest (the
** browser test reads that back).
*/
#include "diff.h"
#include "svg.h"
#include "xalloc.h"

#include <math.h>
#include <string.h>

static const char css[] =
    "body{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\","
    "\"Source Han Sans CN\",\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\","
    "\"WenQuanYi Micro Hei\",sans-serif;margin:0;background:#fafafa;color:#212121;"
    "font-size:14px;line-height:1.5}\n"
    "main{max-width:1120px;margin:0 auto;padding:24px}\n"
    "h1{font-size:24px;margin:0 0 8px}\n"
    "h2{font-size:18px;margin:28px 0 10px;border-left:4px solid #1565c0;padding-left:8px}\n"
    ".schemes{color:#555;margin:0}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}\n"
    ".card{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px 16px;"
    "min-width:110px}\n"
    ".card .v{font-size:22px;font-weight:bold}\n"
    ".card .k{color:#666;font-size:12px}\n"
    "figure{background:#fff;border:1px solid #e0e0e0;border-radius:6px;margin:0;padding:12px;"
    "overflow-x:auto}\n"
    "figcaption,.note{color:#666;font-size:12px;margin-top:6px}\n"
    "svg text{font-family:inherit;font-size:13px;fill:#333}\n"
    "svg text.title{font-weight:bold}\n"
    "svg text.count{font-size:14px}\n"
    "svg text.dark,svg text.seg{fill:#fff}\n"
    "svg text.tick{font-size:11px;fill:#666}\n"
    "svg text.seg{font-size:11px}\n"
    "svg line.grid{stroke:#e0e0e0}\n"
    "table{border-collapse:collapse;background:#fff;width:100%}\n"
    "th,td{border:1px solid #e0e0e0;padding:4px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#eceff1;cursor:pointer;user-select:none;white-space:nowrap}\n"
    "th[aria-sort=ascending]::after{content:\" \\25B2\"}\n"
    "th[aria-sort=descending]::after{content:\" \\25BC\"}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.up{color:#2e7d32}td.down{color:#c62828}\n"
    ".dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px}\n"
    "ul.causes{margin:0;padding-left:18px}\n"
    "#filter{font:inherit;padding:4px 8px;width:320px;margin:0 12px 8px 0}\n";

static const char js[] =
    "(function(){\n"
    "var table=document.getElementById('people');if(!table)return;\n"
    "var body=table.tBodies[0],heads=table.tHead.rows[0].cells;\n"
    "var input=document.getElementById('filter'),shown=document.getElementById('shown');\n"
    "function rows(){return Array.prototype.slice.call(body.rows);}\n"
    "function num(i){return heads[i].getAttribute('data-type')==='num';}\n"
    "function val(r,i){var c=r.cells[i];return num(i)?parseFloat(c.getAttribute('data-v')):"
    "c.textContent;}\n"
    "function sortBy(i,dir){var s=dir==='asc'?1:-1;var rs=rows();\n"
    " rs.sort(function(a,b){var x=val(a,i),y=val(b,i);"
    "return s*(num(i)?x-y:(x<y?-1:x>y?1:0));});\n"
    " rs.forEach(function(r){body.appendChild(r);});\n"
    " for(var k=0;k<heads.length;k++)heads[k].removeAttribute('aria-sort');\n"
    " heads[i].setAttribute('aria-sort',dir==='asc'?'ascending':'descending');}\n"
    "function filter(q){q=q.trim().toLowerCase();var n=0;\n"
    " rows().forEach(function(r){var on=!q||r.textContent.toLowerCase().indexOf(q)>=0;"
    "r.hidden=!on;if(on)n++;});\n"
    " shown.textContent='\\u663e\\u793a '+n+' / '+body.rows.length+' \\u4eba';return n;}\n"
    "Array.prototype.forEach.call(heads,function(h,i){h.addEventListener('click',function(){\n"
    " var cur=h.getAttribute('aria-sort');\n"
    " sortBy(i,cur?(cur==='ascending'?'desc':'asc'):(num(i)?'desc':'asc'));});});\n"
    "input.addEventListener('input',function(){filter(input.value);});\n"
    "filter('');\n"
    "function keys(){return rows().filter(function(r){return !r.hidden;})"
    ".map(function(r){return r.cells[0].textContent;});}\n"
    "function ordered(i,dir){var v=rows().map(function(r){return val(r,i);});\n"
    " for(var k=1;k<v.length;k++){if(dir==='asc'?v[k-1]>v[k]:v[k-1]<v[k])return 'FAIL';}"
    "return 'ok';}\n"
    "function selftest(q){var out=['selftest','rows '+body.rows.length];\n"
    " var d=table.getAttribute('data-delta-col')|0;\n"
    " sortBy(d,'desc');out.push('sort delta desc: '+keys().join(' '));"
    "out.push('delta ordered: '+ordered(d,'desc'));\n"
    " sortBy(0,'asc');out.push('sort key asc: '+keys().join(' '));"
    "out.push('key ordered: '+ordered(0,'asc'));\n"
    " var n=filter(q);out.push('filter \"'+q+'\": '+n+': '+keys().join(' '));\n"
    " var bad=rows().filter(function(r){var has=r.textContent.toLowerCase()"
    ".indexOf(q.toLowerCase())>=0;return has===r.hidden;}).length;\n"
    " out.push('filter consistent: '+(bad?'FAIL':'ok'));\n"
    " out.push('cleared: '+filter(''));\n"
    " var "
    "el=document.getElementById('selftest');el.textContent=out.join('\\n')+'\\n';el.hidden=false;}"
    "\n"
    "var m=/[?&]selftest(?:=([^&]*))?/.exec(location.search);\n"
    "if(m)selftest(m[1]?decodeURIComponent(m[1]):'');\n"
    "})();\n";

static void esc(Wbuf *b, const char *s)
{
    wbuf_html(b, s);
}

static void scheme_line(const KpDiff *df, int side, Wbuf *b)
{
    const DiffSide *s = &df->side[side];
    wbuf_str(b, side ? "<p class=\"schemes\">新方案：" : "<p class=\"schemes\">原方案：");
    esc(b, s->m->scheme_name ? s->m->scheme_name : "");
    wbuf_char(b, ' ');
    esc(b, s->m->version ? s->m->version : "");
    wbuf_str(b, "（");
    esc(b, s->path);
    wbuf_str(b, "）");
    for (int i = 0; side && i < df->info.nsets; i++) {
        wbuf_str(b, i ? "，" : "；参数调整：");
        esc(b, df->info.sets[i]);
    }
    wbuf_str(b, "</p>\n");
}

static void params(const KpDiff *df, Wbuf *b)
{
    if (!df->nparams) return;
    Wbuf v;
    wbuf_init(&v, NULL);
    wbuf_str(b, "<p class=\"schemes\" id=\"params\">参数变化：");
    for (int i = 0; i < df->nparams; i++) {
        if (i) wbuf_str(b, "；");
        esc(b, df->params[i].name);
        wbuf_char(b, ' ');
        for (int side = 0; side < 2; side++) {
            wbuf_clear(&v);
            diff_param_value(df, df->params[i].p[side], &v);
            esc(b, wbuf_cstr(&v));
            if (!side) wbuf_str(b, " → ");
        }
    }
    wbuf_str(b, "</p>\n");
    wbuf_finish(&v);
}

static void card(Wbuf *b, const char *key, const char *value)
{
    wbuf_str(b, "<div class=\"card\"><div class=\"v\">");
    esc(b, value);
    wbuf_str(b, "</div><div class=\"k\">");
    esc(b, key);
    wbuf_str(b, "</div></div>\n");
}

static void summary(const KpDiff *df, Wbuf *b)
{
    char v[128];
    wbuf_str(b, "<section id=\"summary\"><div class=\"cards\">\n");
    snprintf(v, sizeof v, "%d", df->n);
    card(b, "参考人数", v);
    snprintf(v, sizeof v, "%d", df->ngrade_changes);
    card(b, "等次变化（人）", v);
    snprintf(v, sizeof v, "%d", df->ntotal_changes);
    card(b, "总分变化（人）", v);
    int ng = df->ngrades;
    for (int g = 0; g < ng; g++) {
        int64_t before = 0, after = 0;
        for (int k = 0; k < ng; k++) {
            before += df->matrix[g * ng + k];
            after += df->matrix[k * ng + g];
        }
        snprintf(v, sizeof v, "%lld → %lld", (long long)before, (long long)after);
        card(b, df->grades[g].name, v);
    }
    wbuf_str(b, "</div></section>\n");
}

static void matrix(const KpDiff *df, Wbuf *b)
{
    const char **names = xmalloc(sizeof(char *) * (size_t)df->ngrades);
    for (int g = 0; g < df->ngrades; g++)
        names[g] = df->grades[g].name;
    SvgHeat h = {names, names, df->ngrades, df->ngrades, df->matrix, "原等次", "新等次", "人"};
    wbuf_str(b, "<section id=\"matrix\"><h2>等次转移矩阵</h2><figure>");
    svg_heatmap(b, &h);
    wbuf_str(b, "<figcaption>行为原方案等次，列为新方案等次，格中为人数；"
                "加框的对角格为等次不变的人数。</figcaption></figure></section>\n");
    free(names);
}

static void histogram(const KpDiff *df, Wbuf *b)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int side = 0; side < 2; side++)
        for (int32_t row = 0; row < df->n; row++) {
            double x = dec_to_double(diff_total(df, side, row));
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
    if (df->n == 0) lo = hi = 0;
    double width = hi - lo < 1e-9 ? 1 : svg_nice((hi - lo) / 20);
    double start = floor(lo / width) * width;
    int nbins = (int)floor((hi - start) / width) + 1;
    if (nbins > 60) nbins = 60;
    int64_t *counts[2];
    for (int side = 0; side < 2; side++) {
        counts[side] = xcalloc((size_t)nbins, sizeof(int64_t));
        for (int32_t row = 0; row < df->n; row++) {
            int i = (int)floor((dec_to_double(diff_total(df, side, row)) - start) / width);
            counts[side][i < 0 ? 0 : i >= nbins ? nbins - 1 : i]++;
        }
    }
    SvgHist h = {start, width, nbins, {counts[0], counts[1]}, {"原方案", "新方案"}, "总分", "人数"};
    wbuf_str(b, "<section id=\"hist\"><h2>总分分布</h2><figure>");
    svg_histogram(b, &h);
    wbuf_printf(b,
                "<figcaption>每组宽 %g 分；灰色为原方案，橙色为新方案。</figcaption>"
                "</figure></section>\n",
                width);
    free(counts[0]);
    free(counts[1]);
}

static void units(const KpDiff *df, Wbuf *b)
{
    int n = df->nunits < DIFF_HTML_UNITS ? df->nunits : DIFF_HTML_UNITS;
    const char **labels = xmalloc(sizeof(char *) * (size_t)(n ? n : 1));
    const int32_t **c[2] = {xmalloc(sizeof(int32_t *) * (size_t)(n ? n : 1)),
                            xmalloc(sizeof(int32_t *) * (size_t)(n ? n : 1))};
    const char **cats = xmalloc(sizeof(char *) * (size_t)df->ngrades);
    for (int g = 0; g < df->ngrades; g++)
        cats[g] = df->grades[g].name;
    for (int u = 0; u < n; u++) {
        labels[u] = diff_unit_label(&df->units[u], true);
        c[0][u] = df->units[u].count[0];
        c[1][u] = df->units[u].count[1];
    }
    SvgBars bars = {labels, n, cats, df->ngrades, {c[0], c[1]}, {"原", "新"}};
    wbuf_str(b, "<section id=\"units\"><h2>各单位等次人数</h2><figure>");
    svg_bars(b, &bars);
    wbuf_str(b, "<figcaption>");
    if (df->unit_group) {
        wbuf_str(b, "单位为分组“");
        esc(b, df->unit_group);
        wbuf_str(b, "”（等次在其中评定）；");
    }
    wbuf_printf(b, "每个单位上一条为原方案，下一条为新方案；等次变化多的单位在前。");
    if (n < df->nunits) wbuf_printf(b, "共 %d 个单位，此处显示前 %d 个。", df->nunits, n);
    wbuf_str(b, "</figcaption></figure></section>\n");
    free(labels);
    free(c[0]);
    free(c[1]);
    free(cats);
}

static void num_cell(Wbuf *b, Dec x, bool sign)
{
    wbuf_str(b, "<td class=\"n");
    if (sign && x) wbuf_str(b, x > 0 ? " up" : " down");
    wbuf_str(b, "\" data-v=\"");
    wbuf_dec(b, x, false);
    wbuf_str(b, "\">");
    wbuf_dec(b, x, sign);
    wbuf_str(b, "</td>");
}

static void grade_cell(const KpDiff *df, int g, Wbuf *b)
{
    wbuf_printf(b, "<td><span class=\"dot\" style=\"background:%s\"></span>", svg_color(g));
    esc(b, df->grades[g].name);
    wbuf_str(b, "</td>");
}

static void person_row(KpDiff *df, int32_t row, Cause *causes, Wbuf *b)
{
    wbuf_str(b, "<tr><td>");
    esc(b, diff_key(df, row));
    wbuf_str(b, "</td><td>");
    esc(b, diff_unit_label(diff_unit_of(df, row), true));
    wbuf_str(b, "</td>");
    grade_cell(df, df->grade[0][row], b);
    grade_cell(df, df->grade[1][row], b);
    num_cell(b, diff_total(df, 0, row), false);
    num_cell(b, diff_total(df, 1, row), false);
    num_cell(b, diff_delta(df, row), true);
    num_cell(b, dec_from_int(diff_rank(df, 0, row)), false);
    num_cell(b, dec_from_int(diff_rank(df, 1, row)), false);
    wbuf_str(b, "<td><ul class=\"causes\">");
    int n = diff_causes(df, row, causes);
    Wbuf text;
    wbuf_init(&text, NULL);
    for (int k = 0; k < n; k++) {
        wbuf_clear(&text);
        cause_write(df, &causes[k], true, &text);
        wbuf_str(b, "<li>");
        esc(b, wbuf_cstr(&text));
        wbuf_str(b, "</li>");
    }
    if (!n) wbuf_str(b, "<li>各项得分未变，其他人员的变化改变了其名次</li>");
    wbuf_finish(&text);
    wbuf_str(b, "</ul></td></tr>\n");
}

static void people(KpDiff *df, Wbuf *b)
{
    const Model *m = df->side[0].m;
    int32_t n = df->ngrade_changes < DIFF_HTML_PERSONS ? df->ngrade_changes : DIFF_HTML_PERSONS;
    wbuf_printf(b, "<section id=\"changes\"><h2>等次变化人员（%d 人）</h2>\n", df->ngrade_changes);
    if (n < df->ngrade_changes)
        wbuf_printf(
            b,
            "<p class=\"note\">此处列出总分变化最大的 %d 人；全部人员见 CSV 或 JSON 输出。</p>\n",
            n);
    wbuf_str(
        b, "<div><input id=\"filter\" type=\"search\" placeholder=\"筛选：工号、单位、等次或原因\">"
           "<span id=\"shown\"></span></div>\n");
    wbuf_str(b, "<table id=\"people\" data-delta-col=\"6\"><thead><tr><th data-type=\"text\">");
    esc(b, m->assessed->cols[m->assessed->key_col]->name);
    wbuf_str(b, "</th><th data-type=\"text\">单位</th><th data-type=\"text\">原等次</th>"
                "<th data-type=\"text\">新等次</th><th data-type=\"num\">原总分</th>"
                "<th data-type=\"num\">新总分</th><th data-type=\"num\">总分变化</th>"
                "<th data-type=\"num\">原名次</th><th data-type=\"num\">新名次</th>"
                "<th data-type=\"text\">原因（影响大的在前）</th></tr></thead>\n<tbody>\n");
    Cause *causes = xmalloc(sizeof(Cause) * (size_t)diff_max_causes(df));
    for (int32_t i = 0; i < n; i++)
        person_row(df, df->changed[i], causes, b);
    free(causes);
    wbuf_str(b, "</tbody></table>\n<pre id=\"selftest\" hidden></pre></section>\n");
}

void diff_write_html(KpDiff *df, Wbuf *b)
{
    wbuf_str(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>考核方案对比报告</title>\n<style>\n");
    wbuf_str(b, css);
    wbuf_str(b, "</style>\n</head>\n<body>\n<main>\n<h1>考核方案对比报告</h1>\n");
    scheme_line(df, 0, b);
    scheme_line(df, 1, b);
    params(df, b);
    summary(df, b);
    matrix(df, b);
    histogram(df, b);
    units(df, b);
    people(df, b);
    wbuf_str(b, "</main>\n<script>\n");
    wbuf_str(b, js);
    wbuf_str(b, "</script>\n</body>\n</html>\n");
}
