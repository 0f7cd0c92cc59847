/*
** test_source.c — source loading, the line table, line/column mapping and
** the UTF-8 helpers.
*/
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

#define NONE ((size_t)-1)

static Source *mem(const char *text)
{
    Source *s = source_from_mem("t.kp", text, strlen(text));
    cr_assert_not_null(s);
    return s;
}

static void expect_lc(const Source *s, uint32_t off, uint32_t line, uint32_t col)
{
    uint32_t l = 99, c = 99;
    source_linecol(s, off, &l, &c);
    cr_expect_eq(l, line, "offset %u: line %u, want %u", off, l, line);
    cr_expect_eq(c, col, "offset %u: col %u, want %u", off, c, col);
}

static void expect_line(const Source *s, uint32_t line, const char *want)
{
    size_t len = 12345;
    const char *p = source_line(s, line, &len);
    cr_assert_not_null(p, "line %u missing", line);
    cr_expect_eq(len, strlen(want), "line %u: length %zu, want %zu", line, len, strlen(want));
    cr_expect(memcmp(p, want, strlen(want)) == 0, "line %u text differs", line);
}

static uint32_t off_of(const Source *s, const char *needle)
{
    const char *p = strstr(s->text, needle);
    cr_assert_not_null(p, "'%s' not in source", needle);
    return (uint32_t)(p - s->text);
}

Test(source, from_mem_copies_and_terminates)
{
    char buf[] = "ab\ncd";
    Source *s = source_from_mem("rules/x.kp", buf, 5);
    cr_assert_not_null(s);
    buf[0] = 'Z'; /* the source owns its own copy */
    cr_expect_str_eq(s->path, "rules/x.kp");
    cr_expect_eq(s->len, 5);
    cr_expect_str_eq(s->text, "ab\ncd");
    cr_expect_eq(s->text[5], '\0');
    cr_expect_eq(s->nlines, 2);
    cr_expect_eq(s->line_starts[0], 0);
    cr_expect_eq(s->line_starts[1], 3);
    source_free(s);
}

Test(source, linecol_ascii)
{
    Source *s = mem("ab\ncd\n\nxyz\n");
    cr_expect_eq(s->nlines, 4);
    expect_lc(s, 0, 1, 1);
    expect_lc(s, 1, 1, 2);
    expect_lc(s, 2, 1, 3); /* the newline itself: one past the text */
    expect_lc(s, 3, 2, 1);
    expect_lc(s, 4, 2, 2);
    expect_lc(s, 6, 3, 1); /* empty line */
    expect_lc(s, 7, 4, 1);
    expect_lc(s, 9, 4, 3);
    expect_line(s, 1, "ab");
    expect_line(s, 3, "");
    expect_line(s, 4, "xyz");
    source_free(s);
}

Test(source, linecol_chinese_counts_code_points)
{
    Source *s = mem("名字 = \"优秀\"\n分数 >= 90 且 评语 == \"好\"\n");
    expect_lc(s, 3, 1, 2); /* after one 3-byte character */
    expect_lc(s, off_of(s, "优秀"), 1, 7);
    expect_lc(s, off_of(s, "秀"), 1, 8);
    expect_lc(s, off_of(s, "分数"), 2, 1);
    expect_lc(s, off_of(s, "90"), 2, 7);
    expect_lc(s, off_of(s, "评语"), 2, 12);
    expect_lc(s, off_of(s, "\"好"), 2, 18);
    expect_line(s, 2, "分数 >= 90 且 评语 == \"好\"");
    source_free(s);
}

Test(source, linecol_four_byte_characters)
{
    Source *s = mem("a😀b");
    expect_lc(s, 1, 1, 2);
    expect_lc(s, 5, 1, 3);
    expect_lc(s, 6, 1, 4);
    source_free(s);
}

Test(source, bom_kept_in_text_but_not_in_columns)
{
    Source *s = mem("\xEF\xBB\xBFlet x = 1\nlet y = 2\n");
    cr_expect_eq(s->len, 23, "the BOM stays in the text for the lexer");
    cr_expect_eq((unsigned char)s->text[0], 0xEF);
    expect_lc(s, 0, 1, 1);
    expect_lc(s, 3, 1, 1);
    expect_lc(s, 7, 1, 5); /* 'x' */
    expect_lc(s, off_of(s, "y"), 2, 5);
    expect_line(s, 1, "let x = 1");
    expect_line(s, 2, "let y = 2");
    source_free(s);
}

Test(source, bom_only_file)
{
    Source *s = mem("\xEF\xBB\xBF");
    cr_expect_eq(s->nlines, 1);
    expect_lc(s, 3, 1, 1);
    expect_line(s, 1, "");
    source_free(s);
}

Test(source, crlf_line_ends)
{
    Source *s = mem("a\r\nbc\r\n\r\nd");
    cr_expect_eq(s->nlines, 4);
    expect_lc(s, 1, 1, 2); /* the CR */
    expect_lc(s, 2, 1, 2); /* the LF: still just past the text */
    expect_lc(s, 3, 2, 1);
    expect_lc(s, 4, 2, 2);
    expect_lc(s, 9, 4, 1);
    expect_line(s, 1, "a");
    expect_line(s, 2, "bc");
    expect_line(s, 3, "");
    expect_line(s, 4, "d");
    source_free(s);
}

Test(source, lone_cr_is_part_of_the_line)
{
    Source *s = mem("a\rb\nc\r");
    cr_expect_eq(s->nlines, 2);
    expect_line(s, 1, "a\rb");
    expect_line(s, 2, "c\r");
    expect_lc(s, 2, 1, 3);
    source_free(s);
}

Test(source, last_line_without_newline)
{
    Source *s = mem("x = 1\ny = 22");
    cr_expect_eq(s->nlines, 2);
    expect_line(s, 2, "y = 22");
    expect_lc(s, 11, 2, 6);
    expect_lc(s, 12, 2, 7); /* end of file */
    source_free(s);
}

Test(source, offset_at_end_of_file)
{
    /* A final newline opens no extra line: EOF is just past the last line. */
    Source *s = mem("x\ny优\n");
    cr_expect_eq(s->nlines, 2);
    expect_lc(s, (uint32_t)s->len, 2, 3);
    expect_lc(s, (uint32_t)s->len + 100, 2, 3); /* clamped */
    cr_expect_null(source_line(s, 3, &(size_t){0}));
    source_free(s);
}

Test(source, empty_file)
{
    Source *s = mem("");
    cr_expect_eq(s->nlines, 1);
    cr_expect_eq(s->len, 0);
    cr_expect_str_eq(s->text, "");
    expect_lc(s, 0, 1, 1);
    expect_line(s, 1, "");
    source_free(s);
}

Test(source, only_newlines)
{
    Source *s = mem("\n\n");
    cr_expect_eq(s->nlines, 2);
    expect_lc(s, 0, 1, 1);
    expect_lc(s, 1, 2, 1);
    expect_lc(s, 2, 2, 1);
    source_free(s);
}

Test(source, line_out_of_range)
{
    Source *s = mem("a\nb");
    size_t len = 7;
    cr_expect_null(source_line(s, 0, &len));
    cr_expect_eq(len, 0);
    len = 7;
    cr_expect_null(source_line(s, 3, &len));
    cr_expect_eq(len, 0);
    source_free(s);
}

Test(source, load_reads_whole_file)
{
    char path[] = "/tmp/kp_test_source_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    /* Larger than one read buffer, with a NUL byte inside. */
    size_t n = 10000;
    char *data = malloc(n);
    cr_assert_not_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (i % 50 == 49) ? '\n' : (char)('a' + i % 26);
    data[10] = '\0';
    cr_assert_eq(write(fd, data, n), (ssize_t)n);
    close(fd);

    const char *err = NULL;
    Source *s = source_load(path, &err);
    unlink(path);
    cr_assert_not_null(s, "load failed: %s", err ? err : "?");
    cr_expect_str_eq(s->path, path);
    cr_expect_eq(s->len, n);
    cr_expect(memcmp(s->text, data, n) == 0);
    cr_expect_eq(s->text[n], '\0');
    cr_expect_eq(s->nlines, n / 50);
    expect_lc(s, 50 * 7 + 3, 8, 4);
    source_free(s);
    free(data);
}

Test(source, load_missing_file_reports_error)
{
    const char *err = NULL;
    Source *s = source_load("/nonexistent/dir/nothing.kp", &err);
    cr_expect_null(s);
    cr_assert_not_null(err);
    cr_expect_str_eq(err, strerror(ENOENT));
    source_free(s); /* NULL is accepted, like free() */
}

/* ---- UTF-8 ---- */

static size_t bad(const char *s)
{
    return utf8_invalid_at(s, strlen(s));
}

Test(utf8, valid_text)
{
    cr_expect_eq(bad(""), NONE);
    cr_expect_eq(bad("plain ascii"), NONE);
    cr_expect_eq(bad("优秀比例 ≥ 90%"), NONE);
    cr_expect_eq(bad("é"), NONE);
    cr_expect_eq(bad("😀 \xF4\x8F\xBF\xBF"), NONE); /* U+10FFFF is the last valid one */
    cr_expect_eq(bad("\xED\x9F\xBF"), NONE);       /* U+D7FF, just below the surrogates */
    cr_expect_eq(bad("\xEE\x80\x80"), NONE);       /* U+E000, just above them */
    cr_expect_eq(utf8_invalid_at("a\0b", 3), NONE, "NUL is valid UTF-8");
}

Test(utf8, overlong_forms)
{
    cr_expect_eq(bad("\xC0\x80"), 0);
    cr_expect_eq(bad("ab\xC1\xBF"), 2);
    cr_expect_eq(bad("\xE0\x80\x80"), 0);
    cr_expect_eq(bad("x\xE0\x9F\xBF"), 1);
    cr_expect_eq(bad("\xF0\x80\x80\x80"), 0);
    cr_expect_eq(bad("\xF0\x8F\xBF\xBF"), 0);
    cr_expect_eq(bad("\xE0\xA0\x80"), NONE, "U+0800 is the first 3-byte form");
    cr_expect_eq(bad("\xF0\x90\x80\x80"), NONE, "U+10000 is the first 4-byte form");
}

Test(utf8, surrogates)
{
    cr_expect_eq(bad("\xED\xA0\x80"), 0);   /* U+D800 */
    cr_expect_eq(bad("ok\xED\xBF\xBF"), 2); /* U+DFFF */
    cr_expect_eq(bad("\xED\xA0\xBD\xED\xB8\x80"), 0, "CESU-8 pairs are not UTF-8");
}

Test(utf8, truncated_sequences)
{
    cr_expect_eq(bad("ab\xE4\xBD"), 2); /* 优 missing its last byte at the end */
    cr_expect_eq(bad("\xE4\xBDx"), 0);  /* ... or followed by ASCII */
    cr_expect_eq(bad("\xF0\x9F\x98"), 0);
    cr_expect_eq(bad("a\xC3"), 1);
    cr_expect_eq(utf8_invalid_at("优", 2), 0, "len cuts the sequence");
    cr_expect_eq(bad("a\x80"), 1, "lone continuation byte");
    cr_expect_eq(bad("优\xBF"), 3, "extra continuation byte");
}

Test(utf8, above_max_code_point)
{
    cr_expect_eq(bad("\xF4\x90\x80\x80"), 0); /* U+110000 */
    cr_expect_eq(bad("z\xF5\x80\x80\x80"), 1);
    cr_expect_eq(bad("\xF8\x88\x80\x80\x80"), 0);
    cr_expect_eq(bad("\xFF"), 0);
    cr_expect_eq(bad("\xFE"), 0);
}

Test(utf8, count)
{
    cr_expect_eq(utf8_count("", 0), 0);
    cr_expect_eq(utf8_count("abc", 3), 3);
    cr_expect_eq(utf8_count("优秀", 6), 2);
    cr_expect_eq(utf8_count("a优b", 5), 3);
    cr_expect_eq(utf8_count("😀!", 5), 2);
    cr_expect_eq(utf8_count("a\xFF"
                            "b",
                            3),
                 3, "a bad byte counts as one");
    cr_expect_eq(utf8_count("\xE4\xBD", 2), 2, "each byte of a truncated sequence counts");
    cr_expect_eq(utf8_count("优秀", 4), 2, "len is respected");
}

/* ---- the comment at the end of a declaration's line ---- */

static const char *comment(const Source *s, const char *after, char *buf, size_t cap)
{
    uint32_t off = off_of(s, after) + (uint32_t)strlen(after);
    size_t len = 0;
    const char *c = source_comment_after(s, off, &len);
    if (!c) return NULL;
    snprintf(buf, cap, "%.*s", (int)len, c);
    return buf;
}

Test(source, comment_after)
{
    Source *s = mem("param a = 1   # 一般掌握在 20% 以内  \n"
                    "param b = 2 // slashes\n"
                    "param c = 3\n"
                    "# a line of its own\n"
                    "x: text?   # may be empty\r\n"
                    "y: text ? #\n"
                    "param d = 4 x # not right after\n"
                    "param e = 5 #");
    char buf[128];
    cr_expect_str_eq(comment(s, "a = 1", buf, sizeof buf), "一般掌握在 20% 以内");
    cr_expect_str_eq(comment(s, "b = 2", buf, sizeof buf), "slashes");
    /* the next line's comment is not this line's */
    cr_expect_null(comment(s, "c = 3", buf, sizeof buf));
    /* a column's type may end with '?' */
    cr_expect_str_eq(comment(s, "x: text", buf, sizeof buf), "may be empty");
    /* empty comments, and text before the comment */
    cr_expect_null(comment(s, "y: text", buf, sizeof buf));
    cr_expect_null(comment(s, "d = 4", buf, sizeof buf));
    cr_expect_null(comment(s, "e = 5", buf, sizeof buf));
    size_t len = 7;
    cr_expect_null(source_comment_after(s, (uint32_t)s->len, &len));
    cr_expect_null(source_comment_after(s, (uint32_t)s->len + 10, &len));
    source_free(s);
}

Test(source, flatten_makes_one_line)
{
    const char *text = "expect  P1.total\n        == 87.35   # x";
    Source *s = source_from_mem("t.kp", text, strlen(text));
    char out[64];
    source_flatten(s, (Span){0, 33}, 0, out);
    cr_expect_str_eq(out, "expect P1.total == 87.35");
    source_flatten(s, (Span){8, 16}, 0, out);
    cr_expect_str_eq(out, "P1.total");
    source_free(s);
}

Test(source, flatten_cuts_after_max_code_points)
{
    const char *text = "当 类别 == \"检察官\"";
    Source *s = source_from_mem("t.kp", text, strlen(text));
    char out[64];
    source_flatten(s, (Span){0, (uint32_t)strlen(text)}, 4, out);
    cr_expect_str_eq(out, "当 类别 =…"); /* blanks are not counted */
    source_flatten(s, (Span){0, (uint32_t)strlen(text)}, 60, out);
    cr_expect_str_eq(out, text);
    source_free(s);
}

Test(source, display_width)
{
    cr_expect_eq(utf8_width("", 0), 0);
    cr_expect_eq(utf8_width("abc", 3), 3);
    cr_expect_eq(utf8_width("指标", 6), 4);             /* CJK ideographs */
    cr_expect_eq(utf8_width("，（）《》：", 18), 12);   /* full-width punctuation */
    cr_expect_eq(utf8_width("\xE3\x80\x80", 3), 2);     /* ideographic space */
    cr_expect_eq(utf8_width("가", 3), 2);               /* Hangul */
    cr_expect_eq(utf8_width("\xF0\x9F\x98\x80", 4), 2); /* emoji */
    cr_expect_eq(utf8_width("\xF0\xA0\x80\x80", 4), 2); /* CJK extension B */
    cr_expect_eq(utf8_width("×÷“”—·≥", 18), 7);         /* ambiguous width: one */
    cr_expect_eq(utf8_width("e\xCC\x81", 3), 1);        /* combining accent */
    cr_expect_eq(utf8_width("a\xB2\xCE", 3), 3);        /* ill-formed bytes: one each */
    cr_expect_eq(utf8_width("权重 20% = 分", 16), 13);
}
