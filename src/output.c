/*
** output.c — result writers (see output.h). Columns: the key, every
** indicator (in declaration order, parents before children), every bonus and
** penalty item, score, bonus_total, penalty_total, total, the vetoes that
** fired, eligibility for each grade with a `require`, grade and rank.
*/
#include "output.h"
#include "date.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Rows are formatted into a buffer that is handed to stdio in large blocks:
** at a million persons, per-field stdio calls cost more than the formatting. */
#define OUT_FLUSH (1 << 16)
/* Large outputs are formatted by two threads, a block of rows each in turn:
** formatting is pure reading of finished columns, and the blocks keep memory
** small and the bytes in order. */
#define OUT_BLOCK_ROWS   4096
#define OUT_PARALLEL_MIN (4 * OUT_BLOCK_ROWS)

typedef struct Out {
    Eval *ev;
    FILE *f; /* NULL: a block buffer, which grows instead of being flushed */
    OutFormat fmt;
    PtrVec cols; /* ValueDef * in output order */
    char *buf;
    size_t len, cap;
    /* A tile of the small-tier number columns for rows [tile_row, +TILE_ROWS):
    ** tile[i * TILE_ROWS + k] is column i's row tile_row + k. NULL: none. */
    int32_t *tile;
    int32_t tile_row;
    /* The fraction of each 4-decimal number as written: frac4[f] is its
    ** length, then ".5" for f = 5000 (none for 0); NULL: not made. */
    const char (*frac4)[8];
} Out;

#define TILE_ROWS 256

static void flush(Out *o)
{
    fwrite_unlocked(o->buf, 1, o->len, o->f);
    o->len = 0;
}

/* Room for n more bytes. */
static inline char *reserve(Out *o, size_t n)
{
    if (o->len + n > o->cap) {
        if (o->f) flush(o);
        if (o->len + n > o->cap) {
            o->cap = o->len + n > 2 * o->cap ? o->len + n : 2 * o->cap;
            o->buf = xrealloc(o->buf, o->cap);
        }
    }
    return o->buf + o->len;
}

static void put_bytes(Out *o, const char *s, size_t n)
{
    memcpy(reserve(o, n), s, n);
    o->len += n;
}

static void put_str(Out *o, const char *s)
{
    put_bytes(o, s, strlen(s));
}

static void put_char(Out *o, char c)
{
    *reserve(o, 1) = c;
    o->len++;
}

static void put_csv_text(Out *o, const char *s, size_t n)
{
    bool plain = true;
    for (size_t i = 0; i < n && plain; i++)
        plain = s[i] != ',' && s[i] != '"' && s[i] != '\r' && s[i] != '\n';
    if (plain) {
        put_bytes(o, s, n);
        return;
    }
    char *p = reserve(o, 2 * n + 2), *start = p;
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') *p++ = '"';
        *p++ = s[i];
    }
    *p++ = '"';
    o->len += (size_t)(p - start);
}

static void put_json_text(Out *o, const char *s, size_t n)
{
    char *p = reserve(o, 6 * n + 2), *start = p;
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c == '\n') {
            *p++ = '\\';
            *p++ = 'n';
        } else if (c < 0x20) {
            p += snprintf(p, 7, "\\u%04x", c);
        } else {
            *p++ = (char)c;
        }
    }
    *p++ = '"';
    o->len += (size_t)(p - start);
}

static void put_text(Out *o, const char *s)
{
    if (o->fmt == OUT_CSV)
        put_csv_text(o, s, strlen(s));
    else
        put_json_text(o, s, strlen(s));
}

/* A fixed-point number with `scale` fractional digits (units of 10^-scale),
** written as dec_format writes the same value: no trailing fractional zeros,
** no '.' for integers, '-' only for negatives. Most stored values fit 64 bits,
** where this is much cheaper than the 128-bit path. */
static inline __attribute__((always_inline)) size_t put_fixed(char *p, int64_t units, int scale,
                                                              uint64_t one)
{
    char *start = p;
    uint64_t m = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
    if (units < 0) *p++ = '-';
    uint64_t ip = m / one, fp = m % one;
    p += dec_put_digits(p, ip, 1);
    if (fp) {
        int width = scale;
        while (fp % 10 == 0) {
            fp /= 10;
            width--;
        }
        *p++ = '.';
        p += dec_put_digits(p, fp, width);
    }
    return (size_t)(p - start);
}

/* The fractions of the 4-decimal tier, for put_small. */
static char (*frac4_table(void))[8]
{
    char(*t)[8] = xmalloc(sizeof *t * 10000);
    for (uint32_t f = 0; f < 10000; f++) {
        char digits[5] = {(char)('0' + f / 1000), (char)('0' + f / 100 % 10),
                          (char)('0' + f / 10 % 10), (char)('0' + f % 10), 0};
        int n = 4;
        while (n > 0 && digits[n - 1] == '0')
            n--;
        t[f][0] = (char)(n ? n + 1 : 0);
        t[f][1] = '.';
        memcpy(t[f] + 2, digits, 4);
        t[f][6] = t[f][7] = 0;
    }
    return t;
}

/* A 4-decimal number (units of 10^-4), as put_fixed writes it: the table
** gives the fraction, and most integer parts have one or two digits. p has
** room for 32 bytes. */
static inline size_t put_small(const Out *o, char *p, int32_t units)
{
    char *start = p;
    uint32_t m = units < 0 ? (uint32_t)0 - (uint32_t)units : (uint32_t)units;
    if (units < 0) *p++ = '-';
    uint32_t ip = m / 10000, fp = m % 10000;
    if (ip < 10)
        *p++ = (char)('0' + ip);
    else if (ip < 100)
        p[0] = (char)('0' + ip / 10), p[1] = (char)('0' + ip % 10), p += 2;
    else
        p += dec_put_digits(p, ip, 1);
    memcpy(p, o->frac4[fp] + 1, 6);
    p += o->frac4[fp][0];
    return (size_t)(p - start);
}

/* A number column's cell straight from its storage; false for absent. */
static bool put_number(Out *o, const NumCol *c, int32_t row)
{
    if (c->small) {
        int32_t q = c->small[row];
        if (q == INT32_MIN) return false;
        o->len += put_small(o, reserve(o, 32), q);
        return true;
    }
    if (c->narrow) {
        int64_t q = c->narrow[row];
        if (q == INT64_MIN) return false;
        o->len += put_fixed(reserve(o, 32), q, 12, 1000000000000ULL);
        return true;
    }
    Dec x = c->wide[row];
    if (x == DEC_NULL) return false;
    o->len += dec_format(x, reserve(o, DEC_FMT_MAX));
    return true;
}

static void put_value(Out *o, ValueDef *v, int32_t row)
{
    if (v->type.base == T_NUM && !v->type.list && v->computed && !v->released) {
        if (!put_number(o, &v->num, row) && o->fmt == OUT_JSON) put_bytes(o, "null", 4);
        return;
    }
    Value x = value_get(o->ev, v, row);
    if (x.null) {
        if (o->fmt == OUT_JSON) put_bytes(o, "null", 4);
        return;
    }
    switch (v->type.base) {
    case T_TEXT: {
        size_t n;
        const char *s = intern_str(o->ev->m->strings, x.t, &n);
        if (o->fmt == OUT_CSV)
            put_csv_text(o, s, n);
        else
            put_json_text(o, s, n);
        return;
    }
    case T_BOOL: put_str(o, x.b ? "true" : "false"); return;
    case T_DATE: {
        char buf[DEC_FMT_MAX];
        date_format(x.d, buf);
        if (o->fmt == OUT_JSON) put_char(o, '"');
        put_str(o, buf);
        if (o->fmt == OUT_JSON) put_char(o, '"');
        return;
    }
    default: o->len += dec_format(x.n, reserve(o, DEC_FMT_MAX)); return;
    }
}

static void collect_indicator(Out *o, Indicator *ind)
{
    Model *m = o->ev->m;
    ptrvec_push(m->arena, &o->cols, m->values[ind->value_id]);
    for (int i = 0; i < ind->children.n; i++)
        collect_indicator(o, ind->children.items[i]);
    for (int i = 0; i < ind->branches.n; i++) {
        Branch *b = ind->branches.items[i];
        for (int j = 0; j < b->children.n; j++)
            collect_indicator(o, b->children.items[j]);
    }
}

static void csv_header(Out *o)
{
    Model *m = o->ev->m;
    put_text(o, m->assessed->cols[m->assessed->key_col]->name);
    for (int i = 0; i < o->cols.n; i++) {
        ValueDef *v = o->cols.items[i];
        put_char(o, ',');
        /* the last adjustment stage carries its own name; the column is the total */
        put_text(o, v == m->v_total ? "total" : v->name);
    }
    put_str(o, ",vetoes");
    for (int g = 0; g < m->ngrades; g++)
        if (m->grades[g].rule->require) {
            char name[300];
            snprintf(name, sizeof name, "eligible:%s", m->grades[g].name);
            put_char(o, ',');
            put_text(o, name);
        }
    put_str(o, ",grade,rank\n");
}

static void put_vetoes(Out *o, int32_t row)
{
    Model *m = o->ev->m;
    uint64_t bits = m->vetoes_fired ? m->vetoes_fired[row] : 0;
    if (o->fmt == OUT_JSON) {
        put_char(o, '[');
        bool first = true;
        for (int i = 0; i < m->nvetoes; i++) {
            if (!(bits & (1ull << i))) continue;
            if (!first) put_str(o, ", ");
            put_text(o, m->vetoes[i]->name);
            first = false;
        }
        put_char(o, ']');
        return;
    }
    if (!bits) return;
    /* CSV: the names joined by ';', quoted as one field when needed */
    char joined[1024];
    size_t len = 0;
    for (int i = 0; i < m->nvetoes; i++) {
        if (!(bits & (1ull << i))) continue;
        int w =
            snprintf(joined + len, sizeof joined - len, "%s%s", len ? ";" : "", m->vetoes[i]->name);
        if (w < 0 || (size_t)w >= sizeof joined - len) break;
        len += (size_t)w;
    }
    put_csv_text(o, joined, len);
}

static void csv_row(Out *o, int32_t row)
{
    Model *m = o->ev->m;
    size_t n;
    const char *key = intern_str(m->strings, m->assessed->key_text[row], &n);
    put_csv_text(o, key, n);
    for (int i = 0; i < o->cols.n; i++) {
        put_char(o, ',');
        ValueDef *v = o->cols.items[i];
        if (o->tile && v->num.small && !v->released) {
            int32_t q = o->tile[i * TILE_ROWS + (row - o->tile_row)];
            if (q != INT32_MIN) o->len += put_small(o, reserve(o, 32), q);
            continue;
        }
        put_value(o, v, row);
    }
    put_char(o, ',');
    put_vetoes(o, row);
    for (int g = 0; g < m->ngrades; g++)
        if (m->grades[g].rule->require)
            put_str(o, m->eligible[(size_t)row * m->ngrades + g] ? ",true" : ",false");
    put_char(o, ',');
    put_value(o, m->v_grade, row);
    put_char(o, ',');
    put_value(o, m->v_rank, row);
    put_char(o, '\n');
}

static void json_section(Out *o, const char *name, ValKind kind, int32_t row)
{
    put_str(o, ", \"");
    put_str(o, name);
    put_str(o, "\": {");
    bool first = true;
    for (int i = 0; i < o->cols.n; i++) {
        ValueDef *v = o->cols.items[i];
        if (v->kind != kind) continue;
        if (!first) put_str(o, ", ");
        put_text(o, v->name);
        put_str(o, ": ");
        put_value(o, v, row);
        first = false;
    }
    put_char(o, '}');
}

static void json_row(Out *o, int32_t row, bool last)
{
    Model *m = o->ev->m;
    size_t n;
    const char *key = intern_str(m->strings, m->assessed->key_text[row], &n);
    put_str(o, "    {");
    put_text(o, m->assessed->cols[m->assessed->key_col]->name);
    put_str(o, ": ");
    put_json_text(o, key, n);
    json_section(o, "indicators", VAL_INDICATOR, row);
    json_section(o, "bonus", VAL_BONUS, row);
    json_section(o, "penalty", VAL_PENALTY, row);
    if (m->outputs.n) json_section(o, "values", VAL_LET, row);
    ValueDef *tot[] = {m->v_score, m->v_bonus_total, m->v_penalty_total, m->v_total};
    const char *names[] = {"score", "bonus_total", "penalty_total", "total"};
    for (int i = 0; i < 4; i++) {
        put_str(o, ", \"");
        put_str(o, names[i]);
        put_str(o, "\": ");
        put_value(o, tot[i], row);
    }
    put_str(o, ", \"vetoes\": ");
    put_vetoes(o, row);
    put_str(o, ", \"eligible\": {");
    bool first = true;
    for (int g = 0; g < m->ngrades; g++)
        if (m->grades[g].rule->require) {
            if (!first) put_str(o, ", ");
            put_text(o, m->grades[g].name);
            put_str(o, m->eligible[(size_t)row * m->ngrades + g] ? ": true" : ": false");
            first = false;
        }
    put_str(o, "}, \"grade\": ");
    put_value(o, m->v_grade, row);
    put_str(o, ", \"rank\": ");
    put_value(o, m->v_rank, row);
    put_str(o, last ? "}\n" : "},\n");
}

/* Copies rows [row, row + TILE_ROWS) of the small-tier number columns
** into the tile: reading one column at a time, not one row of thirty
** columns at a time, the rows then format from a few kilobytes. */
static void fill_tile(Out *o, int32_t row, int32_t end)
{
    int32_t k = end - row < TILE_ROWS ? end - row : TILE_ROWS;
    for (int i = 0; i < o->cols.n; i++) {
        const ValueDef *v = o->cols.items[i];
        if (v->num.small && !v->released)
            memcpy(o->tile + i * TILE_ROWS, v->num.small + row, sizeof(int32_t) * (size_t)k);
    }
    o->tile_row = row;
}

/* Rows [from, to) in key order. */
static void format_rows(Out *o, int32_t from, int32_t to)
{
    int32_t n = o->ev->nrows;
    bool tiled = o->fmt == OUT_CSV && !o->ev->by_key && o->cols.n;
    if (tiled) o->tile = xmalloc(sizeof(int32_t) * TILE_ROWS * (size_t)o->cols.n);
    for (int32_t i = from; i < to; i++) {
        if (tiled && (i - from) % TILE_ROWS == 0) fill_tile(o, i, to);
        if (o->fmt == OUT_CSV)
            csv_row(o, key_row(o->ev, i));
        else
            json_row(o, key_row(o->ev, i), i == n - 1);
    }
    free(o->tile);
    o->tile = NULL;
}

/* Two formatters, taking blocks in turn (this thread the even ones), each
** writing its own block as soon as the one before is written. Each thus
** writes what it has just formatted, still in its cache, and the writing
** (the kernel filling new page-cache pages, about as costly as formatting
** at 10^6 rows) is shared: while one thread writes a block, the other
** formats the next. */
typedef struct Turns {
    Out out[2]; /* a block buffer per thread */
    FILE *f;    /* the output, written in turn */
    int32_t nblocks;
    atomic_int written; /* blocks written so far */
    pthread_mutex_t mu;
    pthread_cond_t changed; /* `written` moved on */
} Turns;

static void block_range(const Out *o, int32_t b, int32_t *from, int32_t *to)
{
    int32_t n = o->ev->nrows;
    *from = b * OUT_BLOCK_ROWS;
    *to = n - *from < OUT_BLOCK_ROWS ? n : *from + OUT_BLOCK_ROWS;
}

/* Waits until blocks [0, b) are written. A turn is usually a fraction of a
** millisecond away, and waking a sleeping thread costs tens of
** microseconds here: so spin a little before sleeping. */
static void wait_turn(Turns *t, int32_t b)
{
    for (int spin = 0; spin < 4096; spin++) {
        if (atomic_load_explicit(&t->written, memory_order_acquire) == b) return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    pthread_mutex_lock(&t->mu);
    while (atomic_load_explicit(&t->written, memory_order_acquire) != b)
        pthread_cond_wait(&t->changed, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

/* Blocks first, first + 2, ... through out[first]. */
static void take_turns(Turns *t, int first)
{
    Out *o = &t->out[first];
    for (int32_t b = first; b < t->nblocks; b += 2) {
        int32_t from, to;
        block_range(o, b, &from, &to);
        o->len = 0;
        format_rows(o, from, to);
        wait_turn(t, b);
        fwrite_unlocked(o->buf, 1, o->len, t->f);
        pthread_mutex_lock(&t->mu);
        atomic_store_explicit(&t->written, b + 1, memory_order_release);
        pthread_cond_broadcast(&t->changed);
        pthread_mutex_unlock(&t->mu);
    }
}

static void *helper_main(void *arg)
{
    take_turns(arg, 1);
    return NULL;
}

/* Every row, on two threads when there are enough of them; false when no
** second thread could be started (nothing is written then). */
static bool format_rows_parallel(Out *o)
{
    /* Away from this thread's stack, and each Out on lines of its own: each
    ** thread writes its own for every cell. */
    Turns *t = xcalloc_lines(sizeof *t);
    t->f = o->f;
    t->nblocks = (o->ev->nrows + OUT_BLOCK_ROWS - 1) / OUT_BLOCK_ROWS;
    atomic_init(&t->written, 0);
    for (int i = 0; i < 2; i++) {
        t->out[i] = *o;
        t->out[i].f = NULL;
        t->out[i].len = 0;
        t->out[i].buf = xmalloc(o->cap);
    }
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->changed, NULL);
    flush(o); /* what went before the rows (the header) */
    pthread_t th;
    bool started = pthread_create(&th, NULL, helper_main, t) == 0;
    if (started) {
        take_turns(t, 0);
        pthread_join(th, NULL);
    }
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->changed);
    for (int i = 0; i < 2; i++)
        free(t->out[i].buf);
    free(t);
    return started;
}

bool output_write(Eval *ev, FILE *f, OutFormat fmt)
{
    Model *m = ev->m;
    Out o = {.ev = ev, .f = f, .fmt = fmt, .cap = OUT_FLUSH};
    for (int i = 0; i < m->top_indicators.n; i++)
        collect_indicator(&o, m->top_indicators.items[i]);
    for (int i = 0; i < m->bonuses.n; i++)
        ptrvec_push(m->arena, &o.cols, m->bonuses.items[i]);
    for (int i = 0; i < m->penalties.n; i++)
        ptrvec_push(m->arena, &o.cols, m->penalties.items[i]);
    for (int i = 0; i < m->outputs.n; i++)
        ptrvec_push(m->arena, &o.cols, m->outputs.items[i]);
    if (fmt == OUT_CSV) {
        ValueDef *tot[] = {m->v_score, m->v_bonus_total, m->v_penalty_total, m->v_total};
        for (int i = 0; i < 4; i++)
            ptrvec_push(m->arena, &o.cols, tot[i]);
    }
    /* Compute everything first, so a runtime error leaves nothing half-written
    ** (and the formatting threads only read). */
    for (int i = 0; i < o.cols.n; i++)
        compute_value(ev, o.cols.items[i]);
    compute_value(ev, m->v_total);
    compute_value(ev, m->v_grade);
    for (int i = 0; i < m->order.n; i++)
        compute_value(ev, m->order.items[i]);
    key_order(ev);
    o.buf = xmalloc(o.cap);
    char(*frac4)[8] = frac4_table();
    o.frac4 = (const char(*)[8])frac4;
    int32_t n = ev->nrows;
    if (fmt == OUT_CSV) {
        csv_header(&o);
    } else {
        put_str(&o, "{\n  \"scheme\": ");
        put_text(&o, m->scheme_name ? m->scheme_name : "");
        put_str(&o, ",\n  \"version\": ");
        put_text(&o, m->version ? m->version : "");
        put_str(&o, ",\n  \"results\": [\n");
    }
    if (n < OUT_PARALLEL_MIN || !format_rows_parallel(&o)) format_rows(&o, 0, n);
    if (fmt == OUT_JSON) put_str(&o, "  ]\n}\n");
    flush(&o);
    free(o.buf);
    free(frac4);
    return !ferror(f);
}
