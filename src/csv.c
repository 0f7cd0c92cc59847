/*
** csv.c — streaming RFC 4180 reader.
**
** The file is read with read() into one growable buffer. A record is parsed in
** place: an unquoted field becomes a pointer into the buffer with a NUL written
** over its delimiter, and a quoted field is unescaped where it lies (removing
** quotes only shortens it). When a record runs past the data read so far, the
** unconsumed tail is moved to the front of the buffer (the buffer doubles when
** one record fills it) and parsing resumes at the field in progress, so fields
** already finished are never looked at again.
**
** Each block read is checked to be valid UTF-8 at once (utf8.c), up to the
** first invalid byte; the field scan stops there as at a delimiter, so bytes
** >= 0x80 cost it nothing and a bad byte is reported where a byte-by-byte
** check would meet it, after any problem earlier in the text.
**
** Columns are not tracked while scanning: csv_field_pos and the error paths
** recompute them from the finished fields, which hold enough to rebuild the
** widths of the text as it was written.
*/
#include "csv.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CSV_AVX2 1
#endif

#define CSV_CHUNK ((size_t)1 << 20)
/* Room after the data for the NUL sentinel and block_mask's loads. */
#define CSV_PAD 64

struct CsvReader {
    int fd;      /* -1 when reading from mem */
    bool ranged; /* reading only `left` bytes of fd from `pos` */
    uint64_t pos, left;
    unsigned char *mem; /* owned copy for csv_open_mem */
    size_t mem_len, mem_pos;
    unsigned char *buf;     /* cap + CSV_PAD bytes; buf[end] is always NUL */
    size_t cap, start, end; /* start: first byte of the record being parsed */
    bool eof, bom_done, done, failed;
    size_t valid;      /* buf[0..valid) is valid UTF-8; buf[valid] is bad or cut off */
    bool bad;          /* buf[valid] starts an invalid sequence (else valid == end,
                          or a sequence there is cut off by end) */
    uint32_t line;     /* physical line on which the next record starts */
    uint32_t rec_line; /* line of the last returned record */
    CsvField *fields;
    size_t nf, fcap;
    /* Parse state of the record in progress, offsets relative to buf + start,
       so it survives the buffer being moved by a refill. */
    size_t fpos, scan, next, ndq;
    uint32_t nl; /* newlines inside quoted fields so far */
    bool infield, quoted;
    bool avx2;      /* unquoted text is scanned 32 bytes to a compare */
    CsvError saved; /* errors are sticky: later calls repeat this one */
};

enum { ST_FIELD, ST_EOL, ST_END, ST_NEED, ST_ERR };

/* Byte classes: STOP_U stops the unquoted scan, STOP_Q the check of quoted text. */
#define STOP_U 1
#define STOP_Q 2
static const unsigned char cls[256] = {
    [0] = STOP_U | STOP_Q, ['\n'] = STOP_U | STOP_Q, [','] = STOP_U, ['"'] = STOP_U};

/* Stops of the unquoted scan, found 64 bytes at a time: bit i of the mask is
** set when p[i] is NUL, newline, comma or quote. The buffer's padding keeps
** these loads inside it. */
#if defined(__SSE2__) && !defined(CSV_NO_SSE2)
static inline uint64_t block_mask(const unsigned char *p)
{
    const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    uint64_t m = 0;
    for (int i = 0; i < 4; i++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        __m128i t = _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, nl));
        t = _mm_or_si128(t, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, zero)));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(t) << (16 * i);
    }
    return m;
}
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* (x & 0x7f) + 0x7f sets bit 7 of a byte unless its low bits are 0, without
** a carry into the next byte; or-ing x adds its own bit 7, so what is left
** clear marks exactly the zero bytes. The multiply gathers the eight bit-7
** flags into the top byte. */
#define ONES (~(uint64_t)0 / 255)
#define LOW7 (ONES * 0x7f)
static inline uint64_t zero_bytes(uint64_t x)
{
    return ~(((x & LOW7) + LOW7) | x) & ONES * 0x80;
}
static inline uint64_t block_mask(const unsigned char *p)
{
    uint64_t m = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t v;
        memcpy(&v, p + 8 * i, 8);
        v = zero_bytes(v) | zero_bytes(v ^ ONES * '\n') | zero_bytes(v ^ ONES * ',') |
            zero_bytes(v ^ ONES * '"');
        m |= (((v >> 7) * 0x0102040810204080u) >> 56) << (8 * i);
    }
    return m;
}
#else
static inline uint64_t block_mask(const unsigned char *p)
{
    uint64_t m = 0;
    for (int i = 0; i < 64; i++)
        m |= (uint64_t)(cls[p[i]] & STOP_U) << i;
    return m;
}
#endif

static void set_msg(CsvError *e, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set_msg(CsvError *e, uint32_t line, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    e->line = line;
    e->col = col;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

/* Advances (line, col) over finished fields [0, n) and the comma after each,
** rebuilding the width each had in the file: quotes around a quoted field and
** the doubling of the quotes inside it. */
static void walk_fields(const CsvField *f, size_t n, uint32_t *line, uint32_t *col)
{
    for (size_t j = 0; j < n; j++) {
        const unsigned char *s = (const unsigned char *)f[j].ptr;
        *col += f[j].quoted;
        for (size_t k = 0; k < f[j].len; k++) {
            if (s[k] == '\n') {
                (*line)++;
                *col = 1;
            } else if (s[k] == '"') {
                *col += 2;
            } else if ((s[k] & 0xc0) != 0x80) {
                (*col)++;
            }
        }
        *col += f[j].quoted + 1;
    }
}

static int fail_at(CsvReader *r, CsvError *err, const unsigned char *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fills err for a problem at byte `at` of the field being parsed, which is
** still raw text, so its width is counted straight from the buffer. */
static int fail_at(CsvReader *r, CsvError *err, const unsigned char *at, const char *fmt, ...)
{
    va_list ap;
    uint32_t line = r->line, col = 1;
    const unsigned char *p = r->buf + r->start + r->fpos;
    walk_fields(r->fields, r->nf, &line, &col);
    for (; p < at; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else if ((*p & 0xc0) != 0x80) {
            col++;
        }
    }
    err->line = line;
    err->col = col;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return ST_ERR;
}

static int fail_oom(CsvError *err)
{
    set_msg(err, 0, 0, "out of memory");
    return ST_ERR;
}

static int grow_fields(CsvReader *r, CsvError *err)
{
    size_t ncap = r->fcap * 2;
    CsvField *nf = realloc(r->fields, ncap * sizeof *nf);
    if (!nf) return fail_oom(err);
    r->fields = nf;
    r->fcap = ncap;
    return ST_FIELD;
}

/* Records a finished field and NUL-terminates it in the buffer. */
static inline int push_field(CsvReader *r, unsigned char *p, size_t len, bool quoted, CsvError *err)
{
    if (r->nf == r->fcap && grow_fields(r, err) != ST_FIELD) return ST_ERR;
    p[len] = '\0';
    r->fields[r->nf++] = (CsvField){(const char *)p, len, quoted};
    return ST_FIELD;
}

/* Ends the unquoted field [f, s) at a newline or the end of input (s == e). */
static int end_line(CsvReader *r, unsigned char *f, unsigned char *s, CsvError *err)
{
    unsigned char *rec = r->buf + r->start, *e = r->buf + r->end;
    size_t len = (size_t)(s - f);
    unsigned char *after = s < e ? s + 1 : s;
    if (len && s[-1] == '\r') len--;
    if (r->nf == 0 && len == 0 && after == e) {
        /* An empty last line is not a record, but only EOF can tell. */
        if (r->eof) return ST_END;
        r->scan = (size_t)(s - rec);
        return ST_NEED;
    }
    if (push_field(r, f, len, false, err) != ST_FIELD) return ST_ERR;
    r->next = (size_t)(after - rec);
    return ST_EOL;
}

/* A stop other than a comma or a non-ASCII byte ends the unquoted field [f, s). */
static int unquoted_stop(CsvReader *r, unsigned char *f, unsigned char *s, CsvError *err)
{
    unsigned char *rec = r->buf + r->start, *e = r->buf + r->end;
    if (*s == '\n') return end_line(r, f, s, err);
    if (*s == '"') return fail_at(r, err, s, "unexpected '\"' in unquoted field");
    if (s < e) return fail_at(r, err, s, "unexpected NUL byte");
    if (r->eof) return end_line(r, f, s, err);
    r->scan = (size_t)(s - rec);
    return ST_NEED;
}

/* The scan reached s, the first byte not known to be valid UTF-8. */
static int utf8_stop(CsvReader *r, unsigned char *s, CsvError *err)
{
    if (r->bad) return fail_at(r, err, s, "invalid UTF-8 byte 0x%02x", *s);
    r->scan = (size_t)(s - (r->buf + r->start)); /* cut off: more text completes it */
    return ST_NEED;
}

#if CSV_AVX2
#define AVX2 __attribute__((target("avx2")))
/* block_mask with two 32-byte compares for each of its four. */
static AVX2 inline uint64_t block_mask_avx2(const unsigned char *p)
{
    const __m256i comma = _mm256_set1_epi8(','), nl = _mm256_set1_epi8('\n');
    const __m256i quote = _mm256_set1_epi8('"'), zero = _mm256_setzero_si256();
    uint64_t m = 0;
    for (int i = 0; i < 2; i++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * i));
        __m256i t = _mm256_or_si256(_mm256_cmpeq_epi8(v, comma), _mm256_cmpeq_epi8(v, nl));
        t = _mm256_or_si256(
            t, _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, zero)));
        m |= (uint64_t)(uint32_t)_mm256_movemask_epi8(t) << (32 * i);
    }
    return m;
}
#endif

/* block_mask (block_mask_avx2 when avx2, a constant where this is inlined)
** plus a stop at lim, the end of the text known to be valid. */
static inline __attribute__((always_inline)) uint64_t stops(const unsigned char *p,
                                                            const unsigned char *lim, bool avx2)
{
#if CSV_AVX2
    uint64_t m = avx2 ? block_mask_avx2(p) : block_mask(p);
#else
    (void)avx2;
    uint64_t m = block_mask(p);
#endif
    size_t k = (size_t)(lim - p);
    if (k < 64) m |= (uint64_t)1 << k;
    return m;
}

/* The unquoted scan, made twice below: with 16-byte compares for any
** x86-64, and with 32-byte ones for a processor that has AVX2. */
static inline __attribute__((always_inline)) int scan_unquoted_with(CsvReader *r, CsvError *err,
                                                                    bool avx2)
{
    unsigned char *rec = r->buf + r->start, *e = r->buf + r->end;
    unsigned char *f = rec + r->fpos, *s = rec + r->scan, *base = s;
    const unsigned char *lim = r->buf + r->valid;
    /* Kept in locals: the NUL stores below could alias *r for the compiler. */
    CsvField *fl = r->fields;
    size_t nf = r->nf, fcap = r->fcap;
    uint64_t m = stops(base, lim, avx2); /* stops at or after s in base[0..63] */
    for (;;) {
        while (!m) /* the NUL sentinel at e or the stop at lim ends this */
            m = stops(base += 64, lim, avx2);
        s = base + __builtin_ctzll(m);
        m &= m - 1;
        if (*s == ',') {
            if (nf == fcap) {
                r->nf = nf;
                if (grow_fields(r, err) != ST_FIELD) return ST_ERR;
                fl = r->fields;
                fcap = r->fcap;
            }
            *s = '\0';
            fl[nf++] = (CsvField){(const char *)f, (size_t)(s - f), false};
            f = s + 1;
            /* Stay in this loop while the next field is unquoted too. */
            if (*f != '"' && f != e) continue;
            r->nf = nf;
            r->fpos = (size_t)(f - rec);
            return ST_FIELD;
        }
        r->nf = nf;
        r->fpos = (size_t)(f - rec);
        if (s == lim && s < e) return utf8_stop(r, s, err);
        return unquoted_stop(r, f, s, err);
    }
}

/* Checks the text [s, e) of a quoted field, counts its newlines, and undoes
** the ndq doubled quotes in it. Returns ST_FIELD or ST_ERR. */
static int quoted_text(CsvReader *r, unsigned char *s, unsigned char *e, CsvError *err)
{
    /* A closing quote was found, so text beyond the valid UTF-8 is bad, not cut off. */
    unsigned char *p = s, *lim = r->buf + r->valid, *stop = lim < e ? lim : e;
    uint32_t nl = 0;
    for (;;) {
        while (p < stop && !(cls[*p] & STOP_Q))
            p++;
        if (p == stop) break;
        if (*p == '\0') return fail_at(r, err, p, "unexpected NUL byte");
        nl++;
        p++;
    }
    if (stop < e) return fail_at(r, err, stop, "invalid UTF-8 byte 0x%02x", *stop);
    r->nl += nl;
    size_t len = (size_t)(e - s);
    if (r->ndq) {
        unsigned char *w = memchr(s, '"', len), *q = w;
        while (q < e) {
            if (*q == '"') q++; /* keep the second of each pair */
            *w++ = *q++;
        }
        len = (size_t)(w - s);
    }
    return push_field(r, s, len, true, err);
}

/* What follows the closing quote at x: a comma, a line end or the end of input. */
static int after_close(CsvReader *r, unsigned char *x, CsvError *err)
{
    unsigned char *rec = r->buf + r->start, *e = r->buf + r->end, *t = x + 1;
    unsigned char *open = rec + r->fpos;
    int st;
    bool comma = false;
    if (t < e && *t == ',') {
        comma = true;
    } else if (t < e && *t == '\r' && t + 1 == e && !r->eof) {
        r->scan = (size_t)(x - rec);
        return ST_NEED;
    } else if (t < e && *t == '\r' && (t + 1 == e || t[1] == '\n')) {
        t++;
    } else if (t < e && *t != '\n') {
        return fail_at(r, err, t, "expected ',' or end of line after closing quote");
    }
    st = quoted_text(r, open + 1, x, err);
    if (st != ST_FIELD) return st;
    if (comma) {
        r->fpos = (size_t)(t + 1 - rec);
        return ST_FIELD;
    }
    r->next = (size_t)((t < e ? t + 1 : t) - rec);
    return ST_EOL;
}

static int scan_quoted(CsvReader *r, CsvError *err)
{
    unsigned char *rec = r->buf + r->start, *e = r->buf + r->end;
    unsigned char *q = rec + r->scan;
    for (;;) {
        unsigned char *x = memchr(q, '"', (size_t)(e - q));
        if (!x) {
            if (r->eof) return fail_at(r, err, rec + r->fpos, "unterminated quoted field");
            r->scan = (size_t)(e - rec);
            return ST_NEED;
        }
        if (x + 1 == e && !r->eof) {
            r->scan = (size_t)(x - rec); /* a doubled quote may be cut here */
            return ST_NEED;
        }
        if (x + 1 < e && x[1] == '"') {
            r->ndq++;
            q = x + 2;
            continue;
        }
        return after_close(r, x, err);
    }
}

static int scan_unquoted_plain(CsvReader *r, CsvError *err)
{
    return scan_unquoted_with(r, err, false);
}

#if CSV_AVX2
static AVX2 int scan_unquoted_avx2(CsvReader *r, CsvError *err)
{
    return scan_unquoted_with(r, err, true);
}
#endif

static int scan_unquoted(CsvReader *r, CsvError *err)
{
#if CSV_AVX2
    if (r->avx2) return scan_unquoted_avx2(r, err);
#endif
    return scan_unquoted_plain(r, err);
}

static int parse_record(CsvReader *r, CsvError *err)
{
    for (;;) {
        if (!r->infield) {
            unsigned char *p = r->buf + r->start + r->fpos;
            if (p == r->buf + r->end && !r->eof) return ST_NEED;
            r->quoted = *p == '"' && p < r->buf + r->end;
            r->scan = r->fpos + r->quoted;
            r->ndq = 0;
            r->infield = true;
        }
        int st = r->quoted ? scan_quoted(r, err) : scan_unquoted(r, err);
        if (st != ST_FIELD) return st;
        r->infield = false;
    }
}

/* Moves the record in progress to the front (doubling the buffer when it
** fills it) and reads more. Field pointers of the record are moved along. */
static int refill(CsvReader *r, CsvError *err)
{
    size_t keep = r->end - r->start;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, keep);
        r->valid -= r->start;
        for (size_t j = 0; j < r->nf; j++)
            r->fields[j].ptr -= r->start;
    } else if (r->end == r->cap) {
        size_t ncap = r->cap * 2;
        unsigned char *nb = calloc(ncap + CSV_PAD, 1);
        if (!nb) return fail_oom(err);
        memcpy(nb, r->buf, keep);
        for (size_t j = 0; j < r->nf; j++)
            r->fields[j].ptr = (const char *)nb + (r->fields[j].ptr - (const char *)r->buf);
        free(r->buf);
        r->buf = nb;
        r->cap = ncap;
    }
    r->start = 0;
    r->end = keep;
    size_t room = r->cap - r->end, n;
    if (r->fd < 0) {
        n = r->mem_len - r->mem_pos < room ? r->mem_len - r->mem_pos : room;
        memcpy(r->buf + r->end, r->mem + r->mem_pos, n);
        r->mem_pos += n;
    } else {
        ssize_t got;
        if (r->ranged && room > r->left) room = (size_t)r->left;
        do
            got = r->ranged ? pread(r->fd, r->buf + r->end, room, (off_t)r->pos)
                            : read(r->fd, r->buf + r->end, room);
        while (got < 0 && errno == EINTR);
        if (r->ranged && got > 0) {
            r->pos += (uint64_t)got;
            r->left -= (uint64_t)got;
        }
        if (got < 0) {
            set_msg(err, 0, 0, "%s", strerror(errno));
            return ST_ERR;
        }
        n = (size_t)got;
    }
    r->end += n;
    r->buf[r->end] = '\0';
    if (n == 0) r->eof = true;
    if (!r->bad) {
        r->valid += utf8_check(r->buf + r->valid, r->end - r->valid, &r->bad);
        r->bad |= r->eof && r->valid < r->end; /* cut off by the end of input */
    }
    return ST_FIELD;
}

static CsvReader *reader_new(int fd, CsvError *err)
{
    CsvReader *r = calloc(1, sizeof *r);
    if (r) {
        r->fd = fd;
        r->cap = CSV_CHUNK;
        r->buf = calloc(r->cap + CSV_PAD, 1);
        r->fcap = 16;
        r->fields = malloc(r->fcap * sizeof *r->fields);
        r->line = 1;
#if CSV_AVX2
        r->avx2 = __builtin_cpu_supports("avx2");
#endif
    }
    if (!r || !r->buf || !r->fields) {
        if (r) r->fd = -1; /* the caller still owns fd */
        csv_close(r);
        if (err) set_msg(err, 0, 0, "out of memory");
        return NULL;
    }
    r->buf[0] = '\0';
    return r;
}

CsvReader *csv_open(const char *path, CsvError *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (err) set_msg(err, 0, 0, "%s", strerror(errno));
        return NULL;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL); /* a hint for readahead */
#endif
    CsvReader *r = reader_new(fd, err);
    if (!r) close(fd);
    return r;
}

CsvReader *csv_open_range(const char *path, uint64_t off, uint64_t len, CsvError *err)
{
    CsvReader *r = csv_open(path, err);
    if (!r) return NULL;
    r->ranged = true;
    r->pos = off;
    r->left = len;
    r->bom_done = off > 0; /* a byte order mark only begins a file */
    return r;
}

CsvReader *csv_open_mem(const char *data, size_t len, CsvError *err)
{
    CsvReader *r = reader_new(-1, err);
    if (!r) return NULL;
    r->mem = malloc(len ? len : 1);
    if (!r->mem) {
        csv_close(r);
        if (err) set_msg(err, 0, 0, "out of memory");
        return NULL;
    }
    if (len) memcpy(r->mem, data, len);
    r->mem_len = len;
    return r;
}

void csv_scan_avx2(CsvReader *r, bool on)
{
#if CSV_AVX2
    r->avx2 = on && __builtin_cpu_supports("avx2");
#else
    (void)on;
    r->avx2 = false;
#endif
}

void csv_close(CsvReader *r)
{
    if (!r) return;
    if (r->fd >= 0) close(r->fd);
    free(r->mem);
    free(r->buf);
    free(r->fields);
    free(r);
}

static int fail(CsvReader *r, CsvError *err, const CsvError *e)
{
    r->saved = *e;
    r->failed = true;
    r->nf = 0;
    if (err) *err = *e;
    return -1;
}

/* Skips a UTF-8 byte order mark at the very start of the input. */
static int skip_bom(CsvReader *r, CsvError *err)
{
    while (r->end - r->start < 3 && !r->eof)
        if (refill(r, err) == ST_ERR) return ST_ERR;
    if (r->end - r->start >= 3 && memcmp(r->buf + r->start, "\xef\xbb\xbf", 3) == 0) r->start += 3;
    r->bom_done = true;
    return ST_FIELD;
}

int csv_next(CsvReader *r, const CsvField **fields, size_t *nfields, CsvError *err)
{
    CsvError e; /* written only on failure; zeroing it costs per record */
    if (r->failed) return fail(r, err, &r->saved);
    r->nf = 0;
    if (r->done) return 0;
    if (!r->bom_done && skip_bom(r, &e) == ST_ERR) return fail(r, err, &e);
    r->fpos = 0;
    r->nl = 0;
    r->infield = false;
    for (;;) {
        int st = parse_record(r, &e);
        if (st == ST_NEED) {
            if (r->eof) { /* cannot happen: the scanners decide at EOF */
                set_msg(&e, r->line, 0, "internal error: no progress at end of input");
                return fail(r, err, &e);
            }
            if (refill(r, &e) == ST_ERR) return fail(r, err, &e);
            continue;
        }
        if (st == ST_ERR) return fail(r, err, &e);
        if (st == ST_END) {
            r->done = true;
            return 0;
        }
        r->rec_line = r->line;
        r->line += r->nl + 1;
        r->start += r->next;
        *fields = r->fields;
        *nfields = r->nf;
        return 1;
    }
}

uint32_t csv_record_line(const CsvReader *r)
{
    return r->rec_line;
}

void csv_field_pos(const CsvReader *r, size_t i, uint32_t *line, uint32_t *col)
{
    csv_fields_pos(r->fields, r->nf, r->rec_line, i, line, col);
}

void csv_fields_pos(const CsvField *f, size_t nf, uint32_t rec_line, size_t i, uint32_t *line,
                    uint32_t *col)
{
    uint32_t l = rec_line, c = 1;
    walk_fields(f, i < nf ? i : nf, &l, &c);
    *line = l;
    *col = c;
}
