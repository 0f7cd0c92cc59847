/*
** test_docbuf.c — the document writers: exact Markdown for each kind of
** block, the escaping of text that Markdown or a table would take as markup,
** and HTML that escapes its text, groups bullets into one list and closes
** every element it opens.
*/
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docbuf.h"

typedef struct Doc {
    Arena a;
    DocBuf b;
    char *out;
} Doc;

static void doc_init(Doc *d)
{
    arena_init(&d->a);
    memset(&d->b, 0, sizeof d->b);
    d->b.arena = &d->a;
    d->out = NULL;
}

static const char *render(Doc *d, bool html)
{
    size_t len = 0;
    free(d->out);
    FILE *f = open_memstream(&d->out, &len);
    cr_assert_not_null(f);
    bool ok = html ? docbuf_write_html(&d->b, f) : docbuf_write_markdown(&d->b, f);
    cr_assert(ok);
    fclose(f);
    return d->out;
}

static void doc_free(Doc *d)
{
    free(d->out);
    arena_free(&d->a);
}

Test(docbuf, markdown_blocks)
{
    Doc d;
    doc_init(&d);
    docbuf_heading(&d.b, 1, "方案");
    docbuf_para(&d.b, "说明。");
    docbuf_bullet(&d.b, "甲");
    docbuf_bullet(&d.b, "乙");
    const char *h[] = {"名称", "取值"};
    Block *t = docbuf_table(&d.b, 2, h);
    const char *r1[] = {"优秀比例", "20%"};
    const char *r2[] = {"空", NULL};
    docbuf_row(&d.b, t, r1);
    docbuf_row(&d.b, t, r2);
    docbuf_heading(&d.b, 3, "小节");
    cr_expect_str_eq(render(&d, false), "# 方案\n"
                                        "\n"
                                        "说明。\n"
                                        "\n"
                                        "- 甲\n"
                                        "- 乙\n"
                                        "\n"
                                        "| 名称 | 取值 |\n"
                                        "| --- | --- |\n"
                                        "| 优秀比例 | 20% |\n"
                                        "| 空 |  |\n"
                                        "\n"
                                        "### 小节\n");
    doc_free(&d);
}

typedef struct Esc {
    char in[64];
    char want[96];
} Esc;

ParameterizedTestParameters(docbuf, markdown_escapes)
{
    static Esc cases[] = {
        {"a | b", "a \\| b"},
        {"a * b", "a \\* b"},
        {"`x`", "\\`x\\`"},
        {"c:\\dir", "c:\\\\dir"},
        {"~~x~~", "\\~\\~x\\~\\~"},
        /* '_' only at the edge of a word */
        {"person_id", "person_id"},
        {"_x_", "\\_x\\_"},
        {"a _b", "a \\_b"},
        {"办案_数", "办案_数"},
        /* '<' only where it could open HTML */
        {"总分 < 60", "总分 < 60"},
        {"a <b>", "a \\<b>"},
        {"</x>", "\\</x>"},
        {"a<!--", "a\\<!--"},
        /* '&' only where it could be an entity */
        {"a & b", "a & b"},
        {"&amp; &#1;", "\\&amp; \\&#1;"},
        /* comparisons and the rest stay as they are */
        {"x ≥ 2 且 [q1, q2] = “好”", "x ≥ 2 且 [q1, q2] = “好”"},
        {"a\nb", "a b"},
    };
    return cr_make_param_array(Esc, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(Esc *c, docbuf, markdown_escapes)
{
    Doc d;
    doc_init(&d);
    docbuf_para(&d.b, c->in);
    char want[128];
    snprintf(want, sizeof want, "%s\n", c->want);
    cr_expect_str_eq(render(&d, false), want, "escaping \"%s\"", c->in);
    doc_free(&d);
}

Test(docbuf, html_escapes_and_structure)
{
    Doc d;
    doc_init(&d);
    d.b.title = "A & B <版本>";
    d.b.lang = "en";
    docbuf_heading(&d.b, 2, "x < y & \"z\"");
    docbuf_bullet(&d.b, "一");
    docbuf_bullet(&d.b, "二");
    docbuf_para(&d.b, "p");
    docbuf_bullet(&d.b, "三");
    const char *h[] = {"k", "v"};
    Block *t = docbuf_table(&d.b, 2, h);
    const char *r[] = {"a|b", "1 > 0"};
    docbuf_row(&d.b, t, r);
    const char *html = render(&d, true);
    cr_expect(strstr(html, "<html lang=\"en\">") != NULL);
    cr_expect(strstr(html, "<title>A &amp; B &lt;版本&gt;</title>") != NULL);
    cr_expect(strstr(html, "<h2>x &lt; y &amp; &quot;z&quot;</h2>\n") != NULL);
    cr_expect(strstr(html, "<ul>\n<li>一</li>\n<li>二</li>\n</ul>\n<p>p</p>\n<ul>\n<li>三</li>\n"
                           "</ul>\n") != NULL,
              "bullets not grouped:\n%s", html);
    cr_expect(strstr(html, "<tr><th>k</th><th>v</th></tr>\n</thead>\n<tbody>\n"
                           "<tr><td>a|b</td><td>1 &gt; 0</td></tr>\n</tbody>\n</table>\n") != NULL,
              "table:\n%s", html);
    cr_expect(strstr(html, "font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", "
                           "\"Microsoft YaHei\"") != NULL);
    /* Self-contained: nothing is fetched. */
    cr_expect(strstr(html, "http") == NULL && strstr(html, "<link") == NULL &&
              strstr(html, "<script") == NULL);
    doc_free(&d);
}

/* Every element opened is closed, in order ("<x/>" closes itself). */
static bool balanced(const char *html)
{
    char stack[64][16];
    int depth = 0;
    for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
        if (p[1] == '!') continue; /* <!DOCTYPE html> */
        const char *end = strchr(p, '>');
        if (!end) return false;
        bool closing = p[1] == '/', self = end[-1] == '/';
        const char *name = p + 1 + closing;
        size_t n = strcspn(name, " />");
        if (n >= 16) return false;
        if (self) continue;
        if (!closing) {
            if (depth == 64) return false;
            memcpy(stack[depth], name, n);
            stack[depth++][n] = 0;
        } else if (!depth || strlen(stack[depth - 1]) != n || strncmp(stack[--depth], name, n)) {
            return false;
        }
    }
    return depth == 0;
}

Test(docbuf, html_closes_what_it_opens)
{
    Doc d;
    doc_init(&d);
    docbuf_heading(&d.b, 1, "t");
    const char *h[] = {"only header"};
    docbuf_table(&d.b, 1, h);
    docbuf_bullet(&d.b, "last block is a bullet");
    const char *html = render(&d, true);
    cr_expect(balanced(html), "unbalanced:\n%s", html);
    cr_expect(!balanced("<p><b></p></b>"));
    cr_expect(!balanced("<p>"));
    doc_free(&d);
}
