/*
** test_csv_utf8.c — the CSV reader checks UTF-8 in bulk, ahead of its field
** scan; these tests hold it to what a byte-by-byte reader reports: the same
** records, field positions and first error (line, column, message), for bad
** bytes at refill edges, in quoted fields, after a BOM and at the end of the
** input, and on random inputs.
*/
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8_ref.h"
#include "buf.h"
#include "csv.h"

#define CHUNK ((size_t)1 << 20) /* the reader's read size */

/* ---- a byte-by-byte reference reader over the whole input ---- */

/* Length of the valid sequence at in[i], decoded within [i, e); 0 if invalid
** (a sequence cut off by e is invalid: e is the end of the input). */
static size_t ref_seq_at(const unsigned char *in, size_t i, size_t e)
{
    int k = ref_seq(in + i, e - i);
    return k > 0 ? (size_t)k : 0;
}

/* Line and column of byte at, counted from byte from on line `line`. */
static void ref_pos(const unsigned char *in, size_t from, size_t at, uint32_t line, Buf *o)
{
    uint32_t col = 1;
    for (size_t i = from; i < at; i++) {
        if (in[i] == '\n') {
            line++;
            col = 1;
        } else if ((in[i] & 0xc0) != 0x80) {
            col++;
        }
    }
    buf_printf(o, "@%u:%u", line, col);
}

static void ref_err(Buf *o, const unsigned char *in, size_t rec, size_t at, uint32_t line,
                    const char *msg)
{
    buf_printf(o, "ERR ");
    ref_pos(in, rec, at, line, o);
    if (strcmp(msg, "utf8") == 0)
        buf_printf(o, " invalid UTF-8 byte 0x%02x\n", in[at]);
    else
        buf_printf(o, " %s\n", msg);
}

static void ref_field(Buf *rec, const unsigned char *in, size_t rs, size_t at, uint32_t line,
                      const unsigned char *s, size_t len, bool quoted)
{
    ref_pos(in, rs, at, line, rec);
    buf_printf(rec, " %c%zu:", quoted ? 'q' : 'u', len);
    buf_put(rec, (const char *)s, len);
    buf_put(rec, "\n", 1);
}

/* One quoted field at in[p] == '"'; returns 0 and moves *p past it and its
** comma (*more set) or line end, or -1 after writing the error. */
static int ref_quoted(const unsigned char *in, size_t n, size_t rs, uint32_t line, size_t *p,
                      bool *more, uint32_t *nl, Buf *rec, Buf *o)
{
    size_t x = *p + 1, t;
    for (;; x += 2) {
        while (x < n && in[x] != '"')
            x++;
        if (x == n) return ref_err(o, in, rs, *p, line, "unterminated quoted field"), -1;
        if (x + 1 == n || in[x + 1] != '"') break;
    }
    t = x + 1;
    *more = t < n && in[t] == ',';
    if (!*more && t < n && in[t] == '\r' && (t + 1 == n || in[t + 1] == '\n'))
        t++;
    else if (!*more && t < n && in[t] != '\n')
        return ref_err(o, in, rs, t, line, "expected ',' or end of line after closing quote"), -1;
    unsigned char *text = malloc(x - *p + 1);
    size_t len = 0;
    for (size_t i = *p + 1; i < x;) {
        size_t k = ref_seq_at(in, i, x);
        if (in[i] == '\0' || k == 0) {
            ref_err(o, in, rs, i, line, in[i] ? "utf8" : "unexpected NUL byte");
            free(text);
            return -1;
        }
        *nl += in[i] == '\n';
        if (in[i] == '"') i++; /* the first of a doubled quote */
        memcpy(text + len, in + i, k);
        len += k;
        i += k;
    }
    ref_field(rec, in, rs, *p, line, text, len, true);
    free(text);
    *p = *more ? t + 1 : t < n ? t + 1 : t;
    return 0;
}

static void ref_parse(const unsigned char *in, size_t n, Buf *o)
{
    size_t p = n >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    uint32_t line = 1;
    for (;;) {
        size_t rs = p, nf = 0;
        uint32_t nl = 0;
        Buf rec = {0};
        for (bool more = true; more; nf++) {
            if (p < n && in[p] == '"') {
                if (ref_quoted(in, n, rs, line, &p, &more, &nl, &rec, o) < 0) goto done;
                continue;
            }
            size_t s = p;
            while (s < n && in[s] != '\n' && in[s] != ',') {
                size_t k = ref_seq_at(in, s, n);
                if (in[s] == '"' || in[s] == '\0' || k == 0) {
                    ref_err(o, in, rs, s, line,
                            in[s] == '"'    ? "unexpected '\"' in unquoted field"
                            : in[s] == '\0' ? "unexpected NUL byte"
                                            : "utf8");
                    goto done;
                }
                s += k;
            }
            more = s < n && in[s] == ',';
            size_t len = s - p, after = s < n ? s + 1 : s;
            if (!more && len && in[s - 1] == '\r') len--;
            if (!more && nf == 0 && len == 0 && after == n) {
                buf_put(o, "END\n", 4);
                goto done;
            }
            ref_field(&rec, in, rs, p, line, in + p, len, false);
            p = after;
        }
        buf_printf(o, "L%u %zu\n", line, nf);
        if (rec.len) buf_put(o, rec.p, rec.len);
        free(rec.p);
        line += nl + 1;
        continue;
    done:
        free(rec.p);
        return;
    }
}

/* The reader's view of the same input, written the same way. */
static void csv_parse(const unsigned char *in, size_t n, Buf *o)
{
    CsvError e = {0};
    CsvReader *r = csv_open_mem((const char *)in, n, &e);
    cr_assert_not_null(r);
    const CsvField *f;
    size_t nf;
    int rc;
    while ((rc = csv_next(r, &f, &nf, &e)) == 1) {
        buf_printf(o, "L%u %zu\n", csv_record_line(r), nf);
        for (size_t i = 0; i < nf; i++) {
            uint32_t l, c;
            csv_field_pos(r, i, &l, &c);
            buf_printf(o, "@%u:%u %c%zu:", l, c, f[i].quoted ? 'q' : 'u', f[i].len);
            /* csv.h: a record's fields lie in order in one block, NUL after each */
            cr_assert(i == 0 || f[i].ptr > f[i - 1].ptr + f[i - 1].len);
            cr_assert_eq(f[i].ptr[f[i].len], '\0');
            buf_put(o, (const char *)f[i].ptr, f[i].len);
            buf_put(o, "\n", 1);
        }
    }
    if (rc == 0)
        buf_put(o, "END\n", 4);
    else
        buf_printf(o, "ERR @%u:%u %s\n", e.line, e.col, e.msg);
    csv_close(r);
}

static void expect_like_reference(const unsigned char *in, size_t n, const char *what, int round)
{
    Buf want = {0}, got = {0};
    ref_parse(in, n, &want);
    csv_parse(in, n, &got);
    size_t i = 0;
    while (i < want.len && i < got.len && want.p[i] == got.p[i])
        i++;
    size_t from = i > 120 ? i - 120 : 0;
    cr_assert(i == want.len && i == got.len,
              "%s %d (%zu bytes): differs at output byte %zu\n-- want: %.240s\n-- got:  %.240s",
              what, round, n, i, want.p + from, got.p + from);
    free(want.p);
    free(got.p);
}

static void expect_err(const char *in, size_t n, const char *want)
{
    Buf got = {0};
    csv_parse((const unsigned char *)in, n, &got);
    const char *err = strstr(got.p, "ERR");
    cr_assert_not_null(err, "no error in: %s", got.p);
    cr_expect_str_eq(err, want);
    free(got.p);
}

#define ERR(lit, want) expect_err(lit, sizeof lit - 1, want)

Test(csv_utf8, bad_bytes_inside_quoted_fields)
{
    ERR("a,\"张\xe4\xb8\"\n", "ERR @1:5 invalid UTF-8 byte 0xe4\n"); /* cut by the quote */
    ERR("\"x\n\xff\",b\n", "ERR @2:1 invalid UTF-8 byte 0xff\n");
    ERR("\"a\"\"\xc3\"\n", "ERR @1:5 invalid UTF-8 byte 0xc3\n");
    /* a NUL before the bad byte is reported first, and a bad tail after the
    ** closing quote before the bad byte inside */
    ERR("\"\0\xff\"\n", "ERR @1:2 unexpected NUL byte\n");
    ERR("\"\xff\"x\n", "ERR @1:4 expected ',' or end of line after closing quote\n");
    ERR("\"\xff", "ERR @1:1 unterminated quoted field\n");
}

Test(csv_utf8, bad_bytes_after_a_bom)
{
    ERR("\xef\xbb\xbf\xff,a\n", "ERR @1:1 invalid UTF-8 byte 0xff\n");
    ERR("\xef\xbb\xbf\xbf\n", "ERR @1:1 invalid UTF-8 byte 0xbf\n");
    ERR("\xef\xbb\xbf\"\xe4\"\n", "ERR @1:2 invalid UTF-8 byte 0xe4\n");
    ERR("\xef\xbb\xc0\n", "ERR @1:1 invalid UTF-8 byte 0xef\n"); /* not a BOM */
    ERR("\xef\xbb", "ERR @1:1 invalid UTF-8 byte 0xef\n");
}

Test(csv_utf8, bad_bytes_in_the_last_record_without_newline)
{
    ERR("a\nb,\xe4\xb8", "ERR @2:3 invalid UTF-8 byte 0xe4\n");
    ERR("a\nb,\xf0\x9f\x98", "ERR @2:3 invalid UTF-8 byte 0xf0\n");
    ERR("a\nb,c\x80", "ERR @2:4 invalid UTF-8 byte 0x80\n");
    ERR("a\n\"b\xe4\xb8\"", "ERR @2:3 invalid UTF-8 byte 0xe4\n");
    ERR("a\n\xc3", "ERR @2:1 invalid UTF-8 byte 0xc3\n");
}

Test(csv_utf8, earlier_problems_come_first)
{
    ERR("a\"\xff\n", "ERR @1:2 unexpected '\"' in unquoted field\n");
    ERR("a\0\xff\n", "ERR @1:2 unexpected NUL byte\n");
    ERR("ok,\xff\"\n", "ERR @1:4 invalid UTF-8 byte 0xff\n");
}

/* Valid filler of exactly len bytes, ending in a newline: long records of
** Chinese and ASCII text, few enough to compare quickly. */
static void filler(unsigned char *buf, size_t len)
{
    static const char piece[] = "张三李四检察官 85.5 ";
    size_t i = 0;
    while (len - i > 2048) {
        size_t end = i + 1000;
        while (i + sizeof piece < end) {
            memcpy(buf + i, piece, sizeof piece - 1);
            i += sizeof piece - 1;
        }
        memcpy(buf + i, ",7\n", 3);
        i += 3;
    }
    memset(buf + i, 'p', len - i - 1);
    buf[len - 1] = '\n';
}

/* Bad or cut-off bytes at every offset around the first refill boundary,
** unquoted and quoted, with and without a newline after them. */
Test(csv_utf8, bad_bytes_across_the_refill_boundary)
{
    static const char *const snippets[] = {
        "x\xff,y\n",    "张\xe4\xb8,y\n", "\"张\xe4\",y\n",     "\"a\nb\xf0\x9f\x98\"\n",
        "张三\xe4\xb8", "😀\xf0\x9f\x98",  "a,\"\xed\xa0\x80\"", "\xc2\n",
        "张三李四,😀\n", /* valid: a sequence cut only by the refill */
    };
    unsigned char *in = malloc(CHUNK + 64);
    for (size_t c = 0; c < sizeof snippets / sizeof *snippets; c++) {
        size_t tl = strlen(snippets[c]);
        for (size_t pad = CHUNK - 8; pad < CHUNK + 2; pad++) {
            filler(in, pad);
            memcpy(in + pad, snippets[c], tl);
            expect_like_reference(in, pad + tl, "snippet", (int)c);
        }
    }
    free(in);
}

static uint64_t seed = 1;
static uint32_t rnd(uint32_t n)
{
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(seed >> 33) % n;
}

/* Random CSV: records of fields, quoted or not, of text that is mostly
** valid, with now and then a bad sequence, a NUL or a stray quote. */
static size_t random_csv(unsigned char *buf, size_t cap, uint32_t noise)
{
    static const char *const text[] = {"a", "7", " ", "张", "三", "é", "😀", "\r", "xyz"};
    static const char *const bad[] = {"\xff", "\x80",     "\xc0\xaf", "\xed\xa0\x80",    "\xe4",
                                      "\"",   "\xe4\xb8", "\0",       "\xf4\x90\x80\x80"};
    size_t n = 0;
    if (rnd(8) == 0) memcpy(buf, "\xef\xbb\xbf", 3), n = 3;
    while (n + 64 < cap && rnd(40)) {
        bool q = rnd(3) == 0;
        if (q) buf[n++] = '"';
        for (uint32_t k = rnd(6); k--;) {
            const char *a = rnd(noise) == 0 ? bad[rnd(9)] : text[rnd(9)];
            if (q && a[0] == '"') buf[n++] = '"';
            if (q && rnd(8) == 0) a = rnd(2) ? "\n" : ",";
            size_t l = a[0] ? strlen(a) : 1; /* "\0" is a NUL byte */
            memcpy(buf + n, a, l);
            n += l;
        }
        if (q) buf[n++] = '"';
        const char *sep = rnd(3) ? "," : rnd(2) ? "\n" : "\r\n";
        memcpy(buf + n, sep, strlen(sep));
        n += strlen(sep);
    }
    return n;
}

Test(csv_utf8, random_inputs_match_a_byte_by_byte_reader)
{
    unsigned char *buf = malloc(4096);
    /* Each reader takes a 1 MB buffer, which the sanitizer build pays for. */
    for (int round = 0; round < 2500; round++) {
        size_t n = random_csv(buf, round % 4 ? 600 : 4096, round % 2 ? 60 : 600);
        expect_like_reference(buf, n, "random", round);
    }
    free(buf);
}

/* The same, with the random text placed across the first refill. */
Test(csv_utf8, random_inputs_across_the_refill_boundary)
{
    unsigned char *in = malloc(CHUNK + 4096);
    for (int round = 0; round < 60; round++) {
        size_t pad = CHUNK - 1 - rnd(200);
        filler(in, pad);
        size_t n = random_csv(in + pad, 400, 100);
        expect_like_reference(in, pad + n, "boundary", round);
    }
    free(in);
}
