/*
** test_csv.c — the streaming CSV reader: RFC 4180 quoting, line ends, the
** BOM, errors with their line/column, records that span buffer refills, and a
** randomized round trip through memory and through a file.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"

/* The reader's read size; inputs around it put tokens across a refill. */
#define CHUNK ((size_t)1 << 20)

#define NARGS(...)        (sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *))
#define REC(r, line, ...) expect_rec(r, line, NARGS(__VA_ARGS__), (const char *[]){__VA_ARGS__})

static CsvReader *open_n(const char *data, size_t len)
{
    CsvError e = {0};
    CsvReader *r = csv_open_mem(data, len, &e);
    cr_assert_not_null(r, "csv_open_mem: %s", e.msg);
    return r;
}

static CsvReader *open_str(const char *s)
{
    return open_n(s, strlen(s));
}

static const CsvField *next_ok(CsvReader *r, size_t *n)
{
    const CsvField *f = NULL;
    CsvError e = {0};
    int rc = csv_next(r, &f, n, &e);
    cr_assert_eq(rc, 1, "csv_next returned %d (%u:%u: %s)", rc, e.line, e.col, e.msg);
    return f;
}

static void expect_rec(CsvReader *r, uint32_t line, size_t n, const char *const *want)
{
    size_t nf = 0;
    const CsvField *f = next_ok(r, &nf);
    cr_assert_eq(nf, n, "record at line %u: %zu fields, want %zu", line, nf, n);
    for (size_t i = 0; i < n; i++) {
        cr_expect_eq(f[i].len, strlen(want[i]), "field %zu: length %zu, want %zu", i, f[i].len,
                     strlen(want[i]));
        cr_expect(memcmp(f[i].ptr, want[i], strlen(want[i])) == 0, "field %zu: '%s', want '%s'", i,
                  f[i].ptr, want[i]);
        cr_expect_eq(f[i].ptr[f[i].len], '\0', "field %zu not NUL-terminated", i);
    }
    cr_expect_eq(csv_record_line(r), line, "record line %u, want %u", csv_record_line(r), line);
}

static void expect_end(CsvReader *r)
{
    const CsvField *f;
    size_t n;
    CsvError e = {0};
    int rc = csv_next(r, &f, &n, &e);
    cr_assert_eq(rc, 0, "want end of input, csv_next returned %d (%s)", rc, e.msg);
}

static void expect_pos(CsvReader *r, size_t i, uint32_t line, uint32_t col)
{
    uint32_t l = 0, c = 0;
    csv_field_pos(r, i, &l, &c);
    cr_expect_eq(l, line, "field %zu: line %u, want %u", i, l, line);
    cr_expect_eq(c, col, "field %zu: col %u, want %u", i, c, col);
}

/* Reads records until one fails; that failure must be exactly the given one. */
static void expect_err_n(const char *data, size_t len, uint32_t line, uint32_t col, const char *msg)
{
    CsvReader *r = open_n(data, len);
    const CsvField *f;
    size_t n;
    CsvError e = {0};
    int rc;
    while ((rc = csv_next(r, &f, &n, &e)) == 1)
        ;
    cr_assert_eq(rc, -1, "want an error '%s', csv_next returned %d", msg, rc);
    cr_expect_str_eq(e.msg, msg);
    cr_expect_eq(e.line, line, "error line %u, want %u (%s)", e.line, line, e.msg);
    cr_expect_eq(e.col, col, "error col %u, want %u (%s)", e.col, col, e.msg);
    csv_close(r);
}

static void expect_err(const char *data, uint32_t line, uint32_t col, const char *msg)
{
    expect_err_n(data, strlen(data), line, col, msg);
}

Test(csv, simple_records)
{
    CsvReader *r = open_str("name,age\nAda,36\nBo,7\n");
    REC(r, 1, "name", "age");
    REC(r, 2, "Ada", "36");
    REC(r, 3, "Bo", "7");
    expect_end(r);
    expect_end(r);
    csv_close(r);
}

Test(csv, final_record_without_newline)
{
    CsvReader *r = open_str("a,b\nc,d");
    REC(r, 1, "a", "b");
    REC(r, 2, "c", "d");
    expect_end(r);
    csv_close(r);
    r = open_str("a,\"q\"");
    REC(r, 1, "a", "q");
    expect_end(r);
    csv_close(r);
}

Test(csv, trailing_blank_line_is_not_a_record)
{
    CsvReader *r = open_str("a\n\n");
    REC(r, 1, "a");
    expect_end(r);
    csv_close(r);
    r = open_str("a\r\n\r\n");
    REC(r, 1, "a");
    expect_end(r);
    csv_close(r);
}

Test(csv, empty_line_in_the_middle_is_one_empty_field)
{
    CsvReader *r = open_str("a\n\nb\r\n\r\nc\n");
    REC(r, 1, "a");
    REC(r, 2, "");
    REC(r, 3, "b");
    REC(r, 4, "");
    REC(r, 5, "c");
    expect_end(r);
    csv_close(r);
}

Test(csv, empty_inputs_have_no_records)
{
    const char *inputs[] = {"", "\n", "\r\n", "\xef\xbb\xbf", "\xef\xbb\xbf\n"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        CsvReader *r = open_str(inputs[i]);
        expect_end(r);
        csv_close(r);
    }
}

Test(csv, empty_fields)
{
    CsvReader *r = open_str(",a,,\n,\n\"\",\"\"\n");
    REC(r, 1, "", "a", "", "");
    REC(r, 2, "", "");
    size_t n;
    const CsvField *f = next_ok(r, &n);
    cr_assert_eq(n, 2);
    cr_expect_eq(f[0].len, 0);
    cr_expect(f[0].quoted && f[1].quoted, "\"\" is an empty quoted field");
    expect_end(r);
    csv_close(r);
}

Test(csv, quoted_fields_unescape_in_place)
{
    CsvReader *r = open_str("\"a,b\",\"say \"\"hi\"\"\",plain,\"\"\"\"\n");
    size_t n;
    const CsvField *f = next_ok(r, &n);
    cr_assert_eq(n, 4);
    cr_expect_str_eq(f[0].ptr, "a,b");
    cr_expect_str_eq(f[1].ptr, "say \"hi\"");
    cr_expect_eq(f[1].len, 8);
    cr_expect_str_eq(f[2].ptr, "plain");
    cr_expect_str_eq(f[3].ptr, "\"");
    cr_expect(f[0].quoted && f[1].quoted && !f[2].quoted && f[3].quoted);
    expect_end(r);
    csv_close(r);
}

Test(csv, embedded_newlines_count_physical_lines)
{
    CsvReader *r = open_str("\"l1\nl2\",x\nnext\n\"a\r\nb\r\nc\"\r\nlast\r\n");
    REC(r, 1, "l1\nl2", "x");
    REC(r, 3, "next");
    REC(r, 4, "a\r\nb\r\nc");
    REC(r, 7, "last");
    expect_end(r);
    csv_close(r);
}

Test(csv, crlf_record_ends)
{
    CsvReader *r = open_str("a,b\r\n\"c\",d\r\ne,\"f\"\r\ng,h\r");
    REC(r, 1, "a", "b");
    REC(r, 2, "c", "d");
    REC(r, 3, "e", "f");
    REC(r, 4, "g", "h"); /* a CR before the end of input ends the line too */
    expect_end(r);
    csv_close(r);
}

Test(csv, lone_cr_inside_a_field_is_data)
{
    CsvReader *r = open_str("a\rb,c\n");
    REC(r, 1, "a\rb", "c");
    expect_end(r);
    csv_close(r);
}

Test(csv, bom_is_skipped_and_not_counted)
{
    CsvReader *r = open_str("\xef\xbb\xbfname,age\n\xef\xbb\xbfx,1\n");
    REC(r, 1, "name", "age");
    expect_pos(r, 0, 1, 1);
    expect_pos(r, 1, 1, 6);
    REC(r, 2, "\xef\xbb\xbfx", "1"); /* only the very first one is a BOM */
    expect_end(r);
    csv_close(r);
    expect_err("\xef\xbb\xbf"
               "ab\"c\n",
               1, 3, "unexpected '\"' in unquoted field");
}

Test(csv, many_fields)
{
    char line[400] = "";
    for (int i = 0; i < 100; i++)
        sprintf(line + strlen(line), "%s%d", i ? "," : "", i);
    strcat(line, "\nx\n");
    CsvReader *r = open_str(line);
    size_t n;
    const CsvField *f = next_ok(r, &n);
    cr_assert_eq(n, 100);
    for (int i = 0; i < 100; i++)
        cr_expect_eq(atoi(f[i].ptr), i);
    expect_pos(r, 99, 1, 1 + 10 * 2 + 89 * 3);
    REC(r, 2, "x");
    csv_close(r);
}

Test(csv, utf8_text_and_columns_in_code_points)
{
    CsvReader *r = open_str("张三,\"李,四\",😀,é\n");
    REC(r, 1, "张三", "李,四", "😀", "é");
    expect_pos(r, 1, 1, 4);
    expect_pos(r, 2, 1, 10);
    expect_pos(r, 3, 1, 12);
    csv_close(r);
}

/* Long unquoted UTF-8 text at every alignment, so multi-byte characters
** straddle the scanner's internal word and block edges. */
Test(csv, long_unquoted_utf8_fields)
{
    char in[1200], want[1100];
    for (size_t shift = 0; shift < 70; shift++) {
        size_t n = 0, w = 0;
        memset(in, 'a', shift);
        n = shift;
        in[n++] = ',';
        for (int i = 0; i < 60; i++) {
            memcpy(in + n, "张😀é", 9);
            memcpy(want + w, "张😀é", 9);
            n += 9;
            w += 9;
        }
        want[w] = '\0';
        memcpy(in + n, ",z\n", 3);
        CsvReader *r = open_n(in, n + 3);
        size_t nf;
        const CsvField *f = next_ok(r, &nf);
        cr_assert_eq(nf, 3, "shift %zu", shift);
        cr_expect_eq(f[0].len, shift);
        cr_expect_str_eq(f[1].ptr, want, "shift %zu", shift);
        cr_expect_str_eq(f[2].ptr, "z", "shift %zu", shift);
        expect_pos(r, 2, 1, (uint32_t)shift + 2 + 180 + 1);
        expect_end(r);
        csv_close(r);
    }
    char bad[200];
    memset(bad, 'a', sizeof bad);
    memcpy(bad + 100, "\xe5\xbc", 2); /* cut short by the next byte */
    expect_err_n(bad, sizeof bad, 1, 101, "invalid UTF-8 byte 0xe5");
}

Test(csv, field_pos_after_multiline_quoted_field)
{
    CsvReader *r = open_str("first\na,\"x\ny,z\",b,\"q\"\"q\",c\n\"张\n三四\",五,六\n");
    REC(r, 1, "first");
    REC(r, 2, "a", "x\ny,z", "b", "q\"q", "c");
    expect_pos(r, 0, 2, 1);
    expect_pos(r, 1, 2, 3);
    expect_pos(r, 2, 3, 6);
    expect_pos(r, 3, 3, 8);
    expect_pos(r, 4, 3, 15);
    REC(r, 4, "张\n三四", "五", "六");
    expect_pos(r, 1, 5, 5);
    expect_pos(r, 2, 5, 7);
    expect_end(r);
    csv_close(r);
}

Test(csv, error_unterminated_quote_points_at_opening_quote)
{
    expect_err("a,b\nc,\"open\nmore\n", 2, 3, "unterminated quoted field");
    expect_err("\"", 1, 1, "unterminated quoted field");
    expect_err("x,\"ab\"\"", 1, 3, "unterminated quoted field");
}

Test(csv, error_text_after_closing_quote)
{
    expect_err("\"ab\"c\n", 1, 5, "expected ',' or end of line after closing quote");
    expect_err("张三,\"x\"y\n", 1, 7, "expected ',' or end of line after closing quote");
    expect_err("\"a\nb\" ,c\n", 2, 3, "expected ',' or end of line after closing quote");
    expect_err("\"a\"\rb\n", 1, 4, "expected ',' or end of line after closing quote");
}

Test(csv, error_stray_quote_in_unquoted_field)
{
    expect_err("ok\nab\"c\n", 2, 3, "unexpected '\"' in unquoted field");
    expect_err("a, \"b\"\n", 1, 4, "unexpected '\"' in unquoted field");
    expect_err("\"x\ny\",张\"\n", 2, 5, "unexpected '\"' in unquoted field");
}

Test(csv, error_invalid_utf8)
{
    expect_err("ok\n张\xff\n", 2, 2, "invalid UTF-8 byte 0xff");
    expect_err("a,\xc0\xaf\n", 1, 3, "invalid UTF-8 byte 0xc0");       /* overlong */
    expect_err("\xed\xa0\x80\n", 1, 1, "invalid UTF-8 byte 0xed");     /* surrogate */
    expect_err("\xf4\x90\x80\x80\n", 1, 1, "invalid UTF-8 byte 0xf4"); /* > U+10FFFF */
    expect_err("x\x80y\n", 1, 2, "invalid UTF-8 byte 0x80");           /* stray continuation */
    expect_err("ab\xe4\xb8", 1, 3, "invalid UTF-8 byte 0xe4");         /* cut off by EOF */
    expect_err("ab\xe4\xb8,c\n", 1, 3, "invalid UTF-8 byte 0xe4");
    expect_err("\"q\"\"\nx\xc3(\"\n", 2, 2, "invalid UTF-8 byte 0xc3"); /* inside quotes */
}

Test(csv, error_nul_byte)
{
    expect_err_n("a,b\0c\n", 6, 1, 4, "unexpected NUL byte");
    expect_err_n("a\n\"b\nc\0\"\n", 9, 3, 2, "unexpected NUL byte");
}

Test(csv, errors_are_sticky)
{
    CsvReader *r = open_str("a\n\"b\"c\nd\n");
    REC(r, 1, "a");
    const CsvField *f;
    size_t n;
    CsvError e = {0}, again = {0};
    cr_assert_eq(csv_next(r, &f, &n, &e), -1);
    cr_assert_eq(csv_next(r, &f, &n, &again), -1);
    cr_expect_str_eq(again.msg, e.msg);
    cr_expect_eq(again.line, 2);
    cr_expect_eq(again.col, 4);
    csv_close(r);
}

Test(csv, open_missing_file)
{
    CsvError e = {0};
    e.line = 7;
    CsvReader *r = csv_open("/nonexistent/dir/data.csv", &e);
    cr_expect_null(r);
    cr_expect_str_eq(e.msg, "No such file or directory");
    cr_expect_eq(e.line, 0);
}

Test(csv, read_error_is_reported)
{
    CsvError e = {0};
    CsvReader *r = csv_open("/", &e);
    cr_assert_not_null(r, "%s", e.msg);
    const CsvField *f;
    size_t n;
    cr_expect_eq(csv_next(r, &f, &n, &e), -1);
    cr_expect_str_eq(e.msg, "Is a directory");
    csv_close(r);
}

/* Writes data to a temporary file and opens it with csv_open. The file is
** unlinked at once, so a failing test leaves nothing behind. */
static CsvReader *open_file(const char *data, size_t len)
{
    char path[] = "/tmp/kp_test_csv_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    CsvError e = {0};
    CsvReader *r = csv_open(path, &e);
    unlink(path);
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    cr_assert_not_null(r, "csv_open: %s", e.msg);
    return r;
}

Test(csv, reads_a_file)
{
    const char *text = "\xef\xbb\xbfid,name\r\n1,\"张\n三\"\r\n2,李四";
    CsvReader *r = open_file(text, strlen(text));
    REC(r, 1, "id", "name");
    REC(r, 2, "1", "张\n三");
    REC(r, 4, "2", "李四");
    expect_end(r);
    csv_close(r);
}

/* A 3 MB record: a quoted field with doubled quotes, CRLFs and Chinese text,
** then a long unquoted field; both cross several refills and the buffer must
** grow to hold them. */
static void check_huge_record(CsvReader *r, const char *quoted_text, size_t qlen, size_t ulen,
                              uint32_t nlines)
{
    REC(r, 1, "head", "er");
    size_t n;
    const CsvField *f = next_ok(r, &n);
    cr_assert_eq(n, 3);
    cr_expect_eq(csv_record_line(r), 2);
    cr_expect_eq(f[0].len, qlen);
    cr_expect(memcmp(f[0].ptr, quoted_text, qlen) == 0, "quoted field content differs");
    cr_expect(f[0].quoted);
    cr_expect_eq(f[1].len, ulen);
    size_t bad = 0;
    for (size_t i = 0; i < ulen; i++)
        bad += f[1].ptr[i] != (char)('a' + i % 26);
    cr_expect_eq(bad, 0, "unquoted field content differs");
    cr_expect_str_eq(f[2].ptr, "end");
    /* The quoted text's last line is "张x", then come the quote and a comma. */
    expect_pos(r, 1, 2 + nlines, 5);
    expect_pos(r, 2, 2 + nlines, 5 + (uint32_t)ulen + 1);
    REC(r, 2 + nlines + 1, "after", "records");
    expect_end(r);
}

Test(csv, record_spanning_many_refills)
{
    size_t reps = 150000, ulen = 3 * CHUNK / 2;
    const char *piece = "ab\"\"c,\r\n张";
    const char *unesc = "ab\"c,\r\n张";
    char *in = malloc(64 + reps * strlen(piece) + ulen + 64);
    char *want = malloc(reps * strlen(unesc) + 8);
    size_t n = 0, w = 0;
    n += (size_t)sprintf(in, "head,er\n\"");
    for (size_t i = 0; i < reps; i++) {
        memcpy(in + n, piece, strlen(piece));
        n += strlen(piece);
        memcpy(want + w, unesc, strlen(unesc));
        w += strlen(unesc);
    }
    n += (size_t)sprintf(in + n, "x\",");
    want[w++] = 'x';
    for (size_t i = 0; i < ulen; i++)
        in[n++] = (char)('a' + i % 26);
    n += (size_t)sprintf(in + n, ",end\nafter,records\n");
    cr_assert_gt(n, 3 * CHUNK);

    CsvReader *r = open_n(in, n);
    check_huge_record(r, want, w, ulen, (uint32_t)reps);
    csv_close(r);

    r = open_file(in, n);
    check_huge_record(r, want, w, ulen, (uint32_t)reps);
    csv_close(r);
    free(in);
    free(want);
}

/* Puts each snippet at every offset around the first refill boundary. */
Test(csv, tokens_across_the_refill_boundary)
{
    static const struct {
        const char *text;
        size_t nf;
        const char *f0, *f1;
    } cases[] = {
        {"ab,cd\r\n", 2, "ab", "cd"},         {"\"a\"\"b\",\"c\"\r\n", 2, "a\"b", "c"},
        {"\"x\ny\"\r\n", 1, "x\ny", NULL},    {"张三,😀\n", 2, "张三", "😀"},
        {"\"张三\",\"😀\"\n", 2, "张三", "😀"}, {"\n", 1, "", NULL},
    };
    size_t pad0 = CHUNK - 16, cap = CHUNK + 64;
    char *in = malloc(cap);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        for (size_t pad = pad0; pad < CHUNK + 2; pad++) {
            /* One record of pad bytes, the snippet, then a final record. */
            memset(in, 'p', pad - 1);
            in[pad - 1] = '\n';
            size_t tl = strlen(cases[c].text), n = pad + tl;
            memcpy(in + pad, cases[c].text, tl);
            memcpy(in + n, "z\n", 2);
            n += 2;
            CsvReader *r = open_n(in, n);
            size_t nf;
            const CsvField *f = next_ok(r, &nf);
            cr_assert_eq(f[0].len, pad - 1);
            f = next_ok(r, &nf);
            cr_assert_eq(nf, cases[c].nf, "case %zu pad %zu", c, pad);
            cr_expect_str_eq(f[0].ptr, cases[c].f0, "case %zu pad %zu", c, pad);
            if (nf > 1) cr_expect_str_eq(f[1].ptr, cases[c].f1, "case %zu pad %zu", c, pad);
            cr_expect_eq(csv_record_line(r), 2);
            f = next_ok(r, &nf);
            cr_expect_str_eq(f[0].ptr, "z", "case %zu pad %zu", c, pad);
            expect_end(r);
            csv_close(r);
        }
    }
    free(in);
}

/* ---- randomized round trip ---- */

typedef struct Gen {
    uint64_t seed;
    char *out;
    size_t n, cap;
    uint32_t line, col; /* where the next byte goes */
} Gen;

typedef struct Want {
    char *text;
    size_t len;
    bool quoted;
    uint32_t line, col;
} Want;

static uint32_t rnd(Gen *g, uint32_t n)
{
    g->seed = g->seed * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(g->seed >> 33) % n;
}

static void emit(Gen *g, const char *s, size_t len)
{
    if (g->n + len > g->cap) {
        g->cap = (g->n + len) * 2;
        g->out = realloc(g->out, g->cap);
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            g->line++;
            g->col = 1;
        } else if (((unsigned char)s[i] & 0xc0) != 0x80) {
            g->col++;
        }
    }
    memcpy(g->out + g->n, s, len);
    g->n += len;
}

/* A random field's text: mostly short ASCII, sometimes CSV's special
** characters, multi-byte UTF-8, or a long run. */
static size_t random_text(Gen *g, char *buf)
{
    static const char *const atoms[] = {"a",    "b",  "7",  " ",  ",", "\"", "\n",
                                        "\r\n", "\r", "张", "三", "é", "😀",  "xyz"};
    size_t len = 0, k = rnd(g, 8) == 0 ? 0 : rnd(g, 12);
    if (rnd(g, 200) == 0) k = 3000 + rnd(g, 3000);
    for (size_t i = 0; i < k; i++) {
        const char *a = atoms[rnd(g, 20) < 10 ? rnd(g, 3) : rnd(g, 14)];
        memcpy(buf + len, a, strlen(a));
        len += strlen(a);
    }
    return len;
}

static void emit_field(Gen *g, Want *w, bool only_field)
{
    char buf[6000 * 4];
    size_t len = random_text(g, buf);
    bool must = only_field && len == 0; /* an empty line is not always a record */
    for (size_t i = 0; i < len; i++)
        must |= buf[i] == ',' || buf[i] == '"' || buf[i] == '\n' || buf[i] == '\r';
    w->text = malloc(len + 1);
    memcpy(w->text, buf, len);
    w->len = len;
    w->quoted = must || rnd(g, 10) == 0;
    w->line = g->line;
    w->col = g->col;
    if (!w->quoted) {
        emit(g, buf, len);
        return;
    }
    emit(g, "\"", 1);
    for (size_t i = 0; i < len; i++)
        emit(g, buf[i] == '"' ? "\"\"" : buf + i, buf[i] == '"' ? 2 : 1);
    emit(g, "\"", 1);
}

static void check_round_trip(CsvReader *r, Want *want, size_t *nf, uint32_t *lines, size_t nrec)
{
    size_t k = 0;
    for (size_t i = 0; i < nrec; i++) {
        size_t n;
        const CsvField *f = next_ok(r, &n);
        cr_assert_eq(n, nf[i], "record %zu: %zu fields, want %zu", i, n, nf[i]);
        cr_assert_eq(csv_record_line(r), lines[i], "record %zu line", i);
        for (size_t j = 0; j < n; j++, k++) {
            cr_assert_eq(f[j].len, want[k].len, "record %zu field %zu length", i, j);
            cr_assert(memcmp(f[j].ptr, want[k].text, f[j].len) == 0, "record %zu field %zu", i, j);
            cr_assert_eq(f[j].quoted, want[k].quoted, "record %zu field %zu quoted", i, j);
            uint32_t l, c;
            csv_field_pos(r, j, &l, &c);
            cr_assert_eq(l, want[k].line, "record %zu field %zu pos line", i, j);
            cr_assert_eq(c, want[k].col, "record %zu field %zu pos col", i, j);
        }
    }
    expect_end(r);
}

Test(csv, random_round_trip)
{
    Gen g = {.seed = 42, .line = 1, .col = 1};
    size_t nrec = 0, nfield = 0, reccap = 1024, fcap = 8192;
    size_t *nf = malloc(reccap * sizeof *nf);
    uint32_t *lines = malloc(reccap * sizeof *lines);
    Want *want = malloc(fcap * sizeof *want);
    while (g.n < 3 * CHUNK) {
        if (nrec == reccap) {
            reccap *= 2;
            nf = realloc(nf, reccap * sizeof *nf);
            lines = realloc(lines, reccap * sizeof *lines);
        }
        size_t k = 1 + rnd(&g, 8);
        nf[nrec] = k;
        lines[nrec++] = g.line;
        for (size_t j = 0; j < k; j++) {
            if (nfield == fcap) want = realloc(want, (fcap *= 2) * sizeof *want);
            if (j) emit(&g, ",", 1);
            emit_field(&g, &want[nfield++], k == 1);
        }
        if (rnd(&g, 2))
            emit(&g, "\n", 1);
        else
            emit(&g, "\r\n", 2);
    }
    g.n -= g.out[g.n - 1] == '\n' ? 1 + (g.out[g.n - 2] == '\r') : 0; /* no final newline */

    /* from memory and from a file, scanned with AVX2 (where the processor
    ** has it) and without */
    for (int avx2 = 0; avx2 <= 1; avx2++) {
        CsvReader *r = open_n(g.out, g.n);
        csv_scan_avx2(r, avx2);
        check_round_trip(r, want, nf, lines, nrec);
        csv_close(r);
        r = open_file(g.out, g.n);
        csv_scan_avx2(r, avx2);
        check_round_trip(r, want, nf, lines, nrec);
        csv_close(r);
    }
    for (size_t i = 0; i < nfield; i++)
        free(want[i].text);
    free(want);
    free(nf);
    free(lines);
    free(g.out);
}
