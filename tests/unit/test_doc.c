/*
** test_doc.c — kp_doc through the library: effective weights follow the
** params as overridden, only the functions in use are listed (also those
** reached through other functions), the English document has no Chinese
** left in it when the scheme's names are English, and the Markdown and
** HTML documents say the same things.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp_test_util.h"

/* The document of scheme (after applying sets, NULL-terminated), malloc'd. */
static char *doc_of(const char *scheme, const char *const *sets, KpDocFormat fmt, KpLang lang)
{
    char *dir = kt_tmpdir();
    kt_write(dir, "scheme.kp", scheme);
    char path[4096];
    snprintf(path, sizeof path, "%s/scheme.kp", dir);
    Diags d;
    diags_init(&d);
    KpScheme *s = kp_compile(path, &d);
    char *diags = diags_render(&d);
    cr_assert_not_null(s, "scheme does not compile:\n%s", diags);
    free(diags);
    for (int i = 0; sets && sets[i]; i++)
        cr_assert(kp_set_param(s, sets[i], &d), "--set %s failed", sets[i]);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_not_null(f);
    cr_assert(kp_doc(s, f, fmt, lang));
    fclose(f);
    kp_free(s);
    diags_free(&d);
    kt_rmdir(dir);
    return out;
}

#define expect_has(doc, text)                                                                      \
    cr_expect(strstr((doc), (text)) != NULL, "missing \"%s\" in:\n%s", (text), (doc))
#define expect_lacks(doc, text)                                                                    \
    cr_expect(strstr((doc), (text)) == NULL, "unexpected \"%s\" in:\n%s", (text), (doc))

static const char weights[] = "scheme \"w\" version \"1\"\n"
                              "param work: percent = 60%\n"
                              "table persons key pid { a: decimal\n b: decimal\n c: decimal }\n"
                              "assess persons\n"
                              "indicator top weight work {\n"
                              "    indicator left weight 25% = a\n"
                              "    indicator right weight 75% {\n"
                              "        indicator r1 = b\n"
                              "        indicator r2 = c\n"
                              "    }\n"
                              "}\n"
                              "indicator rest weight 1 - work = a\n";

Test(doc, effective_weights)
{
    char *md = doc_of(weights, NULL, KP_DOC_MARKDOWN, KP_LANG_EN);
    expect_has(md, "score = top × 60% + rest × 40%.");
    expect_has(md, "| 1 | top | 60% (work) | 60% | weighted sum of the items below |");
    expect_has(md, "| 1.1 | left | 25% | 15% | a |");
    expect_has(md, "| 1.2 | right | 75% | 45% | sum of the points of the items below |");
    /* a level without weights: each item's points count in full */
    expect_has(md, "| 1.2.1 | r1 | points added | 45% | b |");
    expect_has(md, "| 2 | rest | 40% (1 - work) | 40% | a |");
    free(md);
}

Test(doc, effective_weights_follow_set)
{
    const char *sets[] = {"work=50%", NULL};
    char *md = doc_of(weights, sets, KP_DOC_MARKDOWN, KP_LANG_EN);
    expect_has(md, "These params were changed with --set when this document was generated and "
                   "differ from the scheme file: work.");
    expect_has(md, "| work | percent | 50% (set with --set; 60% in the scheme file) |");
    expect_has(md, "score = top × 50% + rest × 50%.");
    expect_has(md, "| 1.1 | left | 25% | 12.5% | a |");
    expect_has(md, "| 2 | rest | 50% (1 - work) | 50% | a |");
    free(md);
}

Test(doc, only_functions_in_use)
{
    char *md = doc_of("scheme \"f\"\n"
                      "def unused(x) = x\n"
                      "def inner(x) = 2 * x\n"
                      "def outer(x, y) = inner(x) + y\n"
                      "def only_in_unused(x) = x\n"
                      "def also_unused(x) = only_in_unused(x)\n"
                      "table persons key pid { a: decimal }\n"
                      "assess persons\n"
                      "indicator i = outer(a, 1)\n",
                      NULL, KP_DOC_MARKDOWN, KP_LANG_EN);
    expect_has(md, "| inner(x) | 2 × x |");
    expect_has(md, "| outer(x, y) | inner(x) + y |");
    expect_lacks(md, "unused(");
    expect_lacks(md, "only_in_unused");
    /* declaration order, not order of use */
    cr_expect_lt(strstr(md, "| inner(x)"), strstr(md, "| outer(x, y)"));
    free(md);
}

static const char english[] =
    "scheme \"annual\" version \"2024\"\n"
    "param share: percent = 20%\n"
    "param line = 60 # pass mark\n"
    "table units key uid { name: text }\n"
    "table persons key pid { unit -> units\n kind: enum[\"a\", \"b\"]\n s: decimal\n"
    " bad: bool\n trial: bool\n over: text? }\n"
    "table cases key cid { handler -> persons\n ok: bool }\n"
    "assess persons\n"
    "group same = persons by unit\n"
    "let n = count(cases where ok)\n"
    "indicator work weight 70% { when kind == \"a\" = s\n otherwise { indicator x weight 100% = s "
    "} }\n"
    "indicator other weight 30% = if n > 0 then s else 0\n"
    "bonus b1 = n * 0.5 cap 2\n bonus cap 3\n penalty p1 = 1\n"
    "adjust head when bad = total - 1\n"
    "veto v1 when bad => poor\n veto v2 when trial => ungraded\n veto v3 when n < 0 => at most "
    "fair\n"
    "grades within same by total desc {\n override over\n"
    " good quota floor(share * count(same)) require not bad\n fair when total >= line\n poor\n}\n";

/* Lead bytes of the UTF-8 encodings of U+4E00..U+9FFF (CJK ideographs) and
** of the full-width forms: none may be left in an English document of a
** scheme written in English. */
static const char *chinese_at(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p >= 0xE4 && *p <= 0xE9) || (*p == 0xEF && (p[1] == 0xBC || p[1] == 0xBD)) ||
            (*p == 0xE3 && p[1] == 0x80))
            return (const char *)p;
    return NULL;
}

Test(doc, english_has_no_chinese_left)
{
    char *md = doc_of(english, NULL, KP_DOC_MARKDOWN, KP_LANG_EN);
    const char *at = chinese_at(md);
    cr_expect_null(at, "Chinese in the English document at: %.60s", at);
    char *html = doc_of(english, NULL, KP_DOC_HTML, KP_LANG_EN);
    at = chinese_at(html);
    cr_expect_null(at, "Chinese in the English page at: %.60s", at);
    free(md);
    free(html);
}

Test(doc, chinese_by_default)
{
    char *md = doc_of(english, NULL, KP_DOC_MARKDOWN, KP_LANG_ZH);
    expect_has(md, "# annual（版本 2024）\n");
    expect_has(md, "## 一、参数\n");
    expect_has(md, "| line | 小数 | 60 | pass mark |");
    expect_has(md, "| v1 | bad | 定为 poor |");
    expect_has(md, "| v2 | trial | 不定等次 |");
    expect_has(md, "| v3 | n < 0 | 至多 fair |");
    expect_has(md, "- 排序：total 降序；仍相同时按 pid 升序。\n");
    expect_has(md, "- 人工指定：over 列写明等次的人员评为该等次");
    expect_has(md, "| 1 | good | floor(share × count(same)) | — | 非 bad |");
    expect_has(md, "| 3 | poor | — | 其余人员 | — |");
    expect_has(md, "| head | bad | total - 1 |");
    expect_has(md, "#### 情形 1：当 kind = “a”\n\n计分方法：s\n");
    expect_has(md, "#### 情形 2：其他情形\n");
    free(md);
}

/* s with &, <, > and " written as HTML writes them. */
static void html_escaped(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 8 < cap; s++) {
        const char *e = *s == '&'   ? "&amp;"
                        : *s == '<' ? "&lt;"
                        : *s == '>' ? "&gt;"
                        : *s == '"' ? "&quot;"
                                    : NULL;
        if (e) {
            memcpy(out + n, e, strlen(e));
            n += strlen(e);
        } else {
            out[n++] = *s;
        }
    }
    out[n] = 0;
}

/* Every heading of the Markdown is in the HTML too. */
Test(doc, markdown_and_html_say_the_same)
{
    char *md = doc_of(english, NULL, KP_DOC_MARKDOWN, KP_LANG_EN);
    char *html = doc_of(english, NULL, KP_DOC_HTML, KP_LANG_EN);
    int checked = 0;
    for (char *line = strtok(md, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') {
            char want[512], text[400];
            int level = (int)strspn(line, "#");
            html_escaped(line + level + 1, text, sizeof text);
            snprintf(want, sizeof want, "<h%d>%s</h%d>", level, text, level);
            expect_has(html, want);
            checked++;
        }
    }
    cr_expect_geq(checked, 8);
    expect_has(html, "<td>floor(share × count(same))</td>");
    expect_has(html, "<td>n &lt; 0</td>");
    free(md);
    free(html);
}

/* A weight that is no plain constant (max of two) is shown as written, and
** the effective weights that depend on it are left open, not guessed. */
Test(doc, weight_not_worked_out)
{
    char *md = doc_of("scheme \"w\"\n"
                      "param p = 30%\n"
                      "table persons key pid { a: decimal }\n"
                      "assess persons\n"
                      "indicator x weight max(p, 20%) { indicator x1 weight 50% = a\n"
                      "    indicator x2 weight 50% = a }\n"
                      "indicator y weight 70% = a\n",
                      NULL, KP_DOC_MARKDOWN, KP_LANG_EN);
    expect_has(md, "score = x × max(p, 20%) + y × 70%.");
    expect_has(md, "| 1 | x | max(p, 20%) | — | weighted sum of the items below |");
    expect_has(md, "| 1.1 | x1 | 50% | — | a |");
    expect_has(md, "| 2 | y | 70% | 70% | a |");
    free(md);
}
