/*
** test_diag.c — collecting diagnostics, their exact rendering, and
** suggest_closest.
*/
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "diag.h"

static Source *mem(const char *text)
{
    Source *s = source_from_mem("x.kp", text, strlen(text));
    cr_assert_not_null(s);
    return s;
}

/* The span of the first occurrence of needle. */
static Span span_of(const Source *s, const char *needle)
{
    const char *p = strstr(s->text, needle);
    cr_assert_not_null(p, "'%s' not in source", needle);
    uint32_t a = (uint32_t)(p - s->text);
    return (Span){a, a + (uint32_t)strlen(needle)};
}

static void expect_render(const Diags *d, const char *want)
{
    char *got = diags_render(d);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, want);
    free(got);
}

Test(diag, init_is_empty_and_renders_empty_string)
{
    Diags d;
    diags_init(&d);
    cr_expect_eq(d.n, 0);
    cr_expect_eq(d.nerrors, 0);
    cr_expect_eq(d.nwarnings, 0);
    cr_expect_eq(d.max_errors, 0);
    cr_expect_not(diags_too_many(&d));
    expect_render(&d, "");
    diags_free(&d);
}

Test(diag, span_error_matches_documented_example)
{
    Source *s = mem("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n"
                    "  let n = count(cases where reveiw == 1)\n");
    Diags d;
    diags_init(&d);
    diag_at(&d, DIAG_ERROR, s, span_of(s, "reveiw"), "unknown column '%s'", "reveiw");
    cr_assert_eq(d.n, 1);
    cr_expect_eq(d.nerrors, 1);
    cr_expect_eq(d.items[0].line, 12);
    cr_expect_eq(d.items[0].col, 29);
    cr_expect_eq(d.items[0].caret_len, 6);
    cr_expect_str_eq(d.items[0].path, "x.kp");
    cr_expect_str_eq(d.items[0].text_line, "  let n = count(cases where reveiw == 1)");
    expect_render(&d, "x.kp:12:29: error: unknown column 'reveiw'\n"
                      "   12 |   let n = count(cases where reveiw == 1)\n"
                      "      |                             ^~~~~~\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, path_is_copied)
{
    Source *s = mem("x");
    Diags d;
    diags_init(&d);
    diag_at(&d, DIAG_ERROR, s, (Span){0, 1}, "m");
    source_free(s); /* the diagnostic must not point into the source */
    expect_render(&d, "x.kp:1:1: error: m\n"
                      "    1 | x\n"
                      "      | ^\n");
    diags_free(&d);
}

Test(diag, tabs_are_kept_in_the_caret_line)
{
    Source *s = mem("rule r:\n\tlet x = y +\tzz\n");
    Diags d;
    diags_init(&d);
    diag_at(&d, DIAG_ERROR, s, span_of(s, "zz"), "unknown name 'zz'");
    cr_expect_eq(d.items[0].col, 14);
    expect_render(&d, "x.kp:2:14: error: unknown name 'zz'\n"
                      "    2 | \tlet x = y +\tzz\n"
                      "      | \t           \t^~\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, cjk_columns_count_code_points_and_carets_use_display_width)
{
    Source *s = mem("名字 = 优秀比列 + 1\n");
    Diags d;
    diags_init(&d);
    diag_at(&d, DIAG_ERROR, s, span_of(s, "优秀比列"), "unknown name '%s' (did you mean '%s'?)",
            "优秀比列", "优秀比例");
    cr_expect_eq(d.items[0].col, 6);
    cr_expect_eq(d.items[0].caret_len, 4);
    expect_render(&d, "x.kp:1:6: error: unknown name '优秀比列' (did you mean '优秀比例'?)\n"
                      "    1 | 名字 = 优秀比列 + 1\n"
                      "      |        ^~~~~~~~\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, warning_and_note_levels)
{
    Source *s = mem("let unused = 1\nlet a = 2\n");
    Diags d;
    diags_init(&d);
    diag_at(&d, DIAG_WARNING, s, span_of(s, "unused"), "'%s' is never used", "unused");
    diag_at(&d, DIAG_NOTE, s, span_of(s, "a ="), "declared here");
    cr_expect_eq(d.n, 2);
    cr_expect_eq(d.nerrors, 0);
    cr_expect_eq(d.nwarnings, 1);
    expect_render(&d, "x.kp:1:5: warning: 'unused' is never used\n"
                      "    1 | let unused = 1\n"
                      "      |     ^~~~~~\n"
                      "x.kp:2:5: note: declared here\n"
                      "    2 | let a = 2\n"
                      "      |     ^~~\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, position_only_diagnostics)
{
    Diags d;
    diags_init(&d);
    diag_pos(&d, DIAG_ERROR, "data/cases.csv", 3, 7, "invalid UTF-8 byte 0x%02x", 0xff);
    diag_pos(&d, DIAG_WARNING, "data/cases.csv", 9, 0, "%d fields, expected %d", 4, 5);
    diag_pos(&d, DIAG_ERROR, "data/none.csv", 0, 0, "cannot open: %s", "No such file");
    diag_pos(&d, DIAG_NOTE, "data/none.csv", 0, 5, "column without a line is ignored");
    cr_expect_eq(d.nerrors, 2);
    cr_expect_eq(d.nwarnings, 1);
    cr_expect_null(d.items[0].text_line);
    expect_render(&d, "data/cases.csv:3:7: error: invalid UTF-8 byte 0xff\n"
                      "data/cases.csv:9: warning: 4 fields, expected 5\n"
                      "data/none.csv: error: cannot open: No such file\n"
                      "data/none.csv: note: column without a line is ignored\n");
    diags_free(&d);
}

Test(diag, empty_span_gets_one_caret)
{
    Source *s = mem("let x = \n");
    Diags d;
    diags_init(&d);
    uint32_t at = (uint32_t)strlen("let x");
    diag_at(&d, DIAG_ERROR, s, (Span){at, at}, "expected ':'");
    cr_expect_eq(d.items[0].caret_len, 1);
    expect_render(&d, "x.kp:1:6: error: expected ':'\n"
                      "    1 | let x = \n"
                      "      |      ^\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, multi_line_span_is_clipped_to_its_first_line)
{
    Source *s = mem("let s = \"abc\ndef\"\n");
    Diags d;
    diags_init(&d);
    Span sp = span_of(s, "\"abc\ndef\"");
    diag_at(&d, DIAG_ERROR, s, sp, "newline in string");
    cr_expect_eq(d.items[0].caret_len, 4);
    expect_render(&d, "x.kp:1:9: error: newline in string\n"
                      "    1 | let s = \"abc\n"
                      "      |         ^~~~\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, error_at_end_of_file_points_past_the_last_line)
{
    Source *s = mem("rule r:\n  let x = (1 +\n");
    Diags d;
    diags_init(&d);
    uint32_t end = (uint32_t)s->len;
    diag_at(&d, DIAG_ERROR, s, (Span){end, end}, "unexpected end of file");
    expect_render(&d, "x.kp:2:15: error: unexpected end of file\n"
                      "    2 |   let x = (1 +\n"
                      "      |               ^\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, crlf_and_bom_are_not_shown)
{
    Source *s = mem("\xEF\xBB\xBFlet 名 = ?\r\nlet b = 1\r\n");
    Diags d;
    diags_init(&d);
    diag_at(&d, DIAG_ERROR, s, span_of(s, "?"), "unexpected '?'");
    diag_at(&d, DIAG_WARNING, s, span_of(s, "b = 1\r"), "w");
    expect_render(&d, "x.kp:1:9: error: unexpected '?'\n"
                      "    1 | let 名 = ?\n"
                      "      |          ^\n"
                      "x.kp:2:5: warning: w\n"
                      "    2 | let b = 1\n"
                      "      |     ^~~~~\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, wide_line_numbers)
{
    char *text = malloc(123456 * 2 + 8);
    cr_assert_not_null(text);
    size_t n = 0;
    for (int i = 0; i < 123456; i++) {
        text[n++] = 'x';
        text[n++] = '\n';
    }
    strcpy(text + n, "oops\n");
    Source *s = mem(text);
    free(text);
    Diags d;
    diags_init(&d);
    diag_at(&d, DIAG_ERROR, s, span_of(s, "oops"), "bad");
    expect_render(&d, "x.kp:123457:1: error: bad\n"
                      "123457 | oops\n"
                      "      | ^~~~\n");
    diags_free(&d);
    source_free(s);
}

Test(diag, long_messages_are_not_truncated)
{
    char big[3000];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    Diags d;
    diags_init(&d);
    diag_pos(&d, DIAG_ERROR, "f", 1, 1, "<%s>", big);
    cr_assert_eq(strlen(d.items[0].msg), sizeof big + 1);
    char *out = diags_render(&d);
    cr_assert_not_null(out);
    cr_expect_eq(strlen(out), strlen("f:1:1: error: <>\n") + sizeof big - 1);
    free(out);
    diags_free(&d);
}

Test(diag, max_errors_drops_later_diagnostics)
{
    Diags d;
    diags_init(&d);
    d.max_errors = 2;
    diag_pos(&d, DIAG_WARNING, "f", 1, 0, "w1");
    diag_pos(&d, DIAG_ERROR, "f", 2, 0, "e1");
    cr_expect_not(diags_too_many(&d));
    diag_pos(&d, DIAG_ERROR, "f", 3, 0, "e2");
    cr_expect(diags_too_many(&d));
    diag_pos(&d, DIAG_ERROR, "f", 4, 0, "e3");
    diag_pos(&d, DIAG_WARNING, "f", 5, 0, "w2");
    diag_pos(&d, DIAG_NOTE, "f", 6, 0, "n1");
    Source *s = mem("x");
    diag_at(&d, DIAG_ERROR, s, (Span){0, 1}, "e4");
    source_free(s);
    cr_expect_eq(d.n, 3);
    cr_expect_eq(d.nerrors, 2);
    cr_expect_eq(d.nwarnings, 1);
    expect_render(&d, "f:1: warning: w1\n"
                      "f:2: error: e1\n"
                      "f:3: error: e2\n");
    diags_free(&d);
}

Test(diag, zero_max_errors_is_unlimited)
{
    Diags d;
    diags_init(&d);
    for (uint32_t i = 1; i <= 1000; i++)
        diag_pos(&d, DIAG_ERROR, "f", i, 1, "e%u", i);
    cr_expect_eq(d.n, 1000);
    cr_expect_eq(d.nerrors, 1000);
    cr_expect_not(diags_too_many(&d));
    cr_expect_str_eq(d.items[999].msg, "e1000");
    cr_expect_eq(d.items[999].line, 1000);
    diags_free(&d);
    cr_expect_eq(d.n, 0);
    cr_expect_null(d.items);
}

/* ---- suggest_closest ---- */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

Test(suggest, english_typo)
{
    const char *const cands[] = {"name", "score", "review", "reviewer"};
    cr_expect_str_eq(suggest_closest("reveiw", cands, COUNT(cands)), "review");
    cr_expect_str_eq(suggest_closest("scre", cands, COUNT(cands)), "score");
    cr_expect_str_eq(suggest_closest("nme", cands, COUNT(cands)), "name");
}

Test(suggest, returns_the_candidate_pointer)
{
    const char *const cands[] = {"alpha", "beta"};
    cr_expect_eq(suggest_closest("betta", cands, COUNT(cands)), cands[1]);
}

Test(suggest, chinese_counts_code_points)
{
    const char *const cands[] = {"及格率", "优秀比例", "平均分"};
    cr_expect_str_eq(suggest_closest("优秀比列", cands, COUNT(cands)), "优秀比例");
    cr_expect_str_eq(suggest_closest("及格律", cands, COUNT(cands)), "及格率");
    /* Two of three characters wrong is too far, though only 6 of 9 bytes. */
    cr_expect_null(suggest_closest("平局数", cands, COUNT(cands)));
}

Test(suggest, no_match)
{
    const char *const cands[] = {"review", "score"};
    cr_expect_null(suggest_closest("xyz", cands, COUNT(cands)));
    cr_expect_null(suggest_closest("totally_different", cands, COUNT(cands)));
    cr_expect_null(suggest_closest("review", cands, 0));
}

Test(suggest, threshold_is_a_third_of_the_length)
{
    const char *const near[] = {"abcdxy"};
    const char *const far[] = {"abcxyz"};
    cr_expect_str_eq(suggest_closest("abcdef", near, 1), "abcdxy"); /* 2 <= 6/3 */
    cr_expect_null(suggest_closest("abcdef", far, 1));              /* 3 > 6/3 */
    const char *const two[] = {"xy", "ax"};
    cr_expect_str_eq(suggest_closest("ab", two, 2), "ax"); /* short names allow 1 */
    const char *const longer[] = {"abcdefg"};
    cr_expect_null(suggest_closest("abc", longer, 1)); /* 4 insertions */
}

Test(suggest, case_sensitive)
{
    const char *const cands[] = {"Review"};
    /* One edit, so it is suggested, but it is not treated as equal. */
    cr_expect_str_eq(suggest_closest("review", cands, 1), "Review");
    const char *const abc[] = {"ABC"};
    cr_expect_null(suggest_closest("abc", abc, 1));
}

Test(suggest, skips_the_name_itself)
{
    const char *const cands[] = {"score", "scare"};
    cr_expect_str_eq(suggest_closest("score", cands, COUNT(cands)), "scare");
    const char *const only[] = {"score"};
    cr_expect_null(suggest_closest("score", only, 1));
}

Test(suggest, ties_go_to_the_first_and_closer_wins)
{
    const char *const tie[] = {"bat", "cot", "cab"};
    cr_expect_str_eq(suggest_closest("cat", tie, COUNT(tie)), "bat");
    const char *const closer[] = {"abcdxy", "abcdex"};
    cr_expect_str_eq(suggest_closest("abcdef", closer, COUNT(closer)), "abcdex");
}

Test(suggest, transposition_costs_two)
{
    /* Plain Levenshtein: a swap is two edits, too many for a 3-letter name. */
    const char *const cands[] = {"tac"};
    cr_expect_null(suggest_closest("tca", cands, 1));
}

/* ---- merging: a scheme compiled once per test repeats its own problems ---- */

Test(diag, merge_keeps_each_diagnostic_once_and_drops_warnings)
{
    Source *s = mem("let a = b\nlet c = d\n");
    Diags into, one, two;
    diags_init(&into);
    diags_init(&one);
    diags_init(&two);
    diag_at(&one, DIAG_ERROR, s, span_of(s, "b"), "unknown name 'b'");
    diag_at(&one, DIAG_NOTE, s, span_of(s, "a"), "declared here");
    diag_at(&one, DIAG_WARNING, s, span_of(s, "c"), "value 'c' is never used");
    diag_at(&one, DIAG_NOTE, s, span_of(s, "c"), "a note on the warning");
    diag_at(&two, DIAG_ERROR, s, span_of(s, "b"), "unknown name 'b'");
    diag_at(&two, DIAG_NOTE, s, span_of(s, "a"), "declared here");
    diag_at(&two, DIAG_ERROR, s, span_of(s, "d"), "unknown name 'd'");
    diags_merge(&into, &one, false);
    diags_merge(&into, &two, false);
    cr_expect_eq(into.nerrors, 2);
    cr_expect_eq(into.nwarnings, 0);
    expect_render(&into, "x.kp:1:9: error: unknown name 'b'\n"
                         "    1 | let a = b\n"
                         "      |         ^\n"
                         "x.kp:1:5: note: declared here\n"
                         "    1 | let a = b\n"
                         "      |     ^\n"
                         "x.kp:2:9: error: unknown name 'd'\n"
                         "    2 | let c = d\n"
                         "      |         ^\n");
    Diags all;
    diags_init(&all);
    diags_merge(&all, &one, true);
    cr_expect_eq(all.n, 4, "with warnings, everything is copied");
    cr_expect_eq(all.nwarnings, 1);
    diags_free(&all);
    diags_free(&into);
    diags_free(&one);
    diags_free(&two);
    source_free(s);
}

Test(diag, merge_respects_max_errors)
{
    Diags into, from;
    diags_init(&into);
    diags_init(&from);
    into.max_errors = 1;
    diag_pos(&from, DIAG_ERROR, "a.csv", 1, 1, "first");
    diag_pos(&from, DIAG_ERROR, "a.csv", 2, 1, "second");
    diags_merge(&into, &from, false);
    cr_expect_eq(into.n, 1);
    cr_expect(diags_too_many(&into));
    diags_free(&into);
    diags_free(&from);
}
