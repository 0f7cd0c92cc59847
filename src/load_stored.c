/*
** load_stored.c — a large stored table (the persons) loaded on two threads.
**
** The ordinary load of a stored table parses every cell on one thread, with
** a second one only splitting the file into records ahead of it, and at 10^6
** persons that thread waits more than it works. Here the file is cut into
** pieces at line ends, as for an event table (load_par.c), and each thread
** parses the pieces it takes straight into the table's columns. For that a
** piece must know its first row before it starts, so the pieces' records
** are counted first (a quick pass, on both threads: line ends outside
** quotes), and the columns are made exactly as long as the table.
**
** What cannot be done piece by piece is done after, on one thread, in row
** order, from what the pieces set aside: the texts to keep and the keys are
** interned in the order the ordinary load interns them (the string table is
** not shared between threads, and a duplicate is the first row that repeats
** a key), and a number too wide for its column's storage widens the column.
** A table with aggregates folded from its rows, rows written in a rule file,
** a reference to its own rows, a key that is not text, or a second model
** reading it (kaoping diff) goes the ordinary way.
**
** Any problem at all (a bad cell, a quote in the wrong place, a count that
** does not match the records parsed, a duplicate key) gives way to the
** ordinary load, which reads the file again and reports exactly what it
** always did. What the attempt wrote, it wrote in rows the ordinary load
** overwrites; the key index it filled is emptied again.
*/
#include "load_int.h"
#include "prefault.h"
#include "xalloc.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Below this size one thread parses about as fast as two; the pieces are
** smaller than an event table's, the rows being fewer per byte. */
#define STORED_MIN_BYTES ((uint64_t)4 << 20)
#define STORED_PIECE     ((uint64_t)1 << 20)
/* Keys ahead of the one interned whose slot is fetched. */
#define KEY_AHEAD 16
/* Bytes read at a time while counting records. */
#define COUNT_CHUNK (256 << 10)

/* A text as a piece found it, interned later: it lies in the chars of the
** part that parsed the row (the top bit of off says which). */
typedef struct TextRef {
    uint32_t hash, off, len;
} TextRef;
#define TEXT_PART_B 0x80000000u

/* A text cell other than the key, set aside with its place. */
typedef struct TextLater {
    int32_t row;
    int col;
    TextRef ref;
} TextLater;

/* A number its column's storage could not hold as it was. */
typedef struct NumLater {
    int32_t row;
    int col;
    Dec v;
} NumLater;

/* What both threads share: the pieces, what the count found, the keys. */
typedef struct Job {
    Pieces ps;
    Table *t;
    int key_pos; /* the key's field in a record */
    uint64_t lines[MAX_PIECES], records[MAX_PIECES];
    int32_t row0[MAX_PIECES + 1]; /* first row of each piece */
    uint32_t line0[MAX_PIECES];   /* its first line in the file */
    TextRef *keys;                /* per row */
} Job;

typedef struct Part {
    Loader L;
    Eval ev; /* a copy: its own diagnostics, error exit, allocations */
    Diags d;
    jmp_buf exit;
    Job *job;
    Value *vals; /* one record's cells, by column */
    char *chars; /* the texts set aside (keys and others) */
    size_t nchars, chars_cap;
    uint32_t part_bit;
    int32_t row;      /* the row being parsed */
    TextLater *texts; /* the texts other than keys, in row order */
    size_t ntexts, texts_cap;
    NumLater *later;
    size_t nlater, later_cap;
    int current; /* the piece open in L.csv, or -1 */
    bool ok;
} Part;

/* Can t be loaded this way: a stored table with a text key, read from a
** file, feeding one model and no aggregate, referring to no row of its own. */
static bool eligible(const Loader *L)
{
    const Table *t = L->t;
    if (t->streamed || L->in || L->also || t->naggs || t->cols[t->key_col]->kind != COL_TEXT)
        return false;
    for (int i = 0; i < t->ncols; i++) /* its own rows are not indexed yet */
        if (t->cols[i]->kind == COL_REF && t->cols[i]->ref == t) return false;
    return true;
}

/* Line ends in p[0..n), and whether a double quote is among the bytes. */
static uint64_t count_line_ends(const char *p, size_t n, bool *quote)
{
    uint64_t nl = 0;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n'), dq = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    __m128i q = zero;
    while (n - i >= 16) {
        /* Each compare adds 1 to a byte lane; 255 blocks cannot overflow it. */
        size_t blocks = (n - i) / 16 < 255 ? (n - i) / 16 : 255;
        __m128i acc = zero;
        for (size_t b = 0; b < blocks; b++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, lf));
            q = _mm_or_si128(q, _mm_cmpeq_epi8(v, dq));
        }
        __m128i s = _mm_sad_epu8(acc, zero);
        nl +=
            (uint64_t)_mm_cvtsi128_si64(s) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s));
    }
    if (_mm_movemask_epi8(q)) *quote = true;
#endif
    for (; i < n; i++) {
        nl += p[i] == '\n';
        if (p[i] == '"') *quote = true;
    }
    return nl;
}

/* Line ends in p[0..n) outside quoted fields; *in_quote carries the state
** from one block to the next. A doubled quote inside a field toggles twice. */
static uint64_t count_record_ends(const char *p, size_t n, bool *in_quote)
{
    uint64_t ends = 0;
    bool q = *in_quote;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"')
            q = !q;
        else if (p[i] == '\n' && !q)
            ends++;
    }
    *in_quote = q;
    return ends;
}

/* Counts piece i's lines and records (a last line without its line end is
** one more record, as the reader has it). False when it cannot be read. */
static bool count_piece(Job *job, int i, char *buf)
{
    const Pieces *ps = &job->ps;
    int fd = open(ps->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    uint64_t at = ps->cut[i], end = ps->cut[i + 1], lines = 0, records = 0;
    bool in_quote = false, ok = true;
    char last = '\n';
    while (at < end) {
        size_t want = end - at < COUNT_CHUNK ? (size_t)(end - at) : COUNT_CHUNK;
        ssize_t got = pread(fd, buf, want, (off_t)at);
        if (got <= 0) {
            ok = false;
            break;
        }
        bool quote = false;
        uint64_t nl = count_line_ends(buf, (size_t)got, &quote);
        lines += nl;
        if (quote)
            records += count_record_ends(buf, (size_t)got, &in_quote);
        else if (!in_quote)
            records += nl;
        last = buf[got - 1];
        at += (uint64_t)got;
    }
    close(fd);
    if (last != '\n' && !in_quote) records++;
    job->lines[i] = lines;
    job->records[i] = records;
    return ok;
}

/* Pieces as they come, counted. */
static void count_pieces(Job *job)
{
    char *buf = malloc(COUNT_CHUNK);
    Pieces *ps = &job->ps;
    for (int i; (i = pieces_take(ps)) >= 0;)
        if (!buf || !count_piece(job, i, buf)) atomic_store(&ps->failed, true);
    free(buf);
}

static void *count_thread(void *arg)
{
    count_pieces(arg);
    return NULL;
}

/* Counts every piece on two threads, then works out where each begins; false
** when a piece could not be read or the rows would not fit a column. */
static bool count_all(Job *job)
{
    pthread_t thread;
    atomic_store(&job->ps.next, 0);
    bool started = pthread_create(&thread, NULL, count_thread, job) == 0;
    count_pieces(job);
    if (started) pthread_join(thread, NULL);
    if (atomic_load(&job->ps.failed) || job->records[0] == 0) return false;
    uint64_t row = 0, line = 1;
    for (int i = 0; i < job->ps.n; i++) {
        job->row0[i] = (int32_t)row;
        job->line0[i] = (uint32_t)line;
        row += job->records[i] - (i == 0); /* the header is no row */
        line += job->lines[i];
        if (row >= INT32_MAX / 2 || line >= UINT32_MAX / 2) return false;
    }
    job->row0[job->ps.n] = (int32_t)row;
    return true;
}

static void part_init(Part *p, const Loader *L, Job *job, uint32_t part_bit)
{
    memset(p, 0, sizeof *p);
    p->L = *L;
    p->L.csv = NULL;
    p->L.defer_text = true;
    eval_fork(&p->ev, L->ev, &p->d, &p->exit, false);
    p->L.ev = &p->ev;
    p->L.refs = xcalloc_lines(sizeof(RefCache) * (size_t)(L->t->ncols ? L->t->ncols : 1));
    p->job = job;
    p->vals = xmalloc(sizeof(Value) * (size_t)L->t->ncols);
    p->part_bit = part_bit;
    p->current = -1;
    p->ok = true;
}

static void part_free(Part *p)
{
    csvpipe_close(p->L.csv);
    free(p->L.refs);
    free(p->vals);
    free(p->chars);
    free(p->texts);
    free(p->later);
    eval_free_all(&p->ev);
    diags_free(&p->d);
}

/* Piece i becomes the part's input; false when it cannot be opened. */
static bool open_piece(Part *p, int i)
{
    csvpipe_close(p->L.csv);
    const Pieces *ps = &p->job->ps;
    CsvError err;
    CsvReader *r = csv_open_range(ps->path, ps->cut[i], ps->cut[i + 1] - ps->cut[i], &err);
    p->L.csv = r ? csvpipe_new(r, false, &err) : NULL;
    p->current = p->L.csv ? i : -1;
    return p->L.csv != NULL;
}

/* s[0..len) copied into the part's chars; false when they are full. */
static bool keep_text(Part *p, const char *s, size_t len, TextRef *ref)
{
    if (len >= UINT32_MAX / 4) return false;
    if (p->nchars + len > p->chars_cap) {
        size_t cap = p->chars_cap ? p->chars_cap * 2 : 1 << 20;
        while (cap < p->nchars + len)
            cap *= 2;
        if (cap >= TEXT_PART_B) return false;
        p->chars = xrealloc(p->chars, cap);
        p->chars_cap = cap;
    }
    memcpy(p->chars + p->nchars, s, len);
    *ref = (TextRef){intern_prefetch(p->L.ev->m->strings, s, len),
                     (uint32_t)p->nchars | p->part_bit, (uint32_t)len};
    p->nchars += len;
    return true;
}

void stored_defer_text(Loader *L, const Column *c, const char *s, size_t len)
{
    Part *p = (Part *)L; /* the Loader of a Part (the first member) */
    if (p->ntexts == p->texts_cap) {
        p->texts_cap = p->texts_cap ? p->texts_cap * 2 : 64;
        p->texts = xrealloc(p->texts, p->texts_cap * sizeof *p->texts);
    }
    TextLater *x = &p->texts[p->ntexts];
    *x = (TextLater){p->row, c->index, {0, 0, 0}};
    if (keep_text(p, s, len, &x->ref))
        p->ntexts++;
    else
        p->ok = false;
}

static void set_aside(Part *p, int32_t row, int col, Dec v)
{
    if (p->nlater == p->later_cap) {
        p->later_cap = p->later_cap ? p->later_cap * 2 : 64;
        p->later = xrealloc(p->later, p->later_cap * sizeof *p->later);
    }
    p->later[p->nlater++] = (NumLater){row, col, v};
}

/* A number stored in the column's storage as it is (both threads write the
** same columns, so none may widen now), or set aside for after. */
static void store_number(Part *p, Column *c, int32_t row, const Value *x)
{
    Dec v = x->null ? DEC_NULL : x->n;
    if (!numcol_put(&c->num, row, v)) set_aside(p, row, c->index, v);
}

/* One parsed record into row `row` of the columns (the key's come later). */
static void store_cells(Part *p, int32_t row)
{
    Table *t = p->L.t;
    const Value *v = p->vals;
    for (int i = 0; i < t->ncols; i++) {
        Column *c = t->cols[i];
        const Value *x = &v[i];
        if (!c->used || i == t->key_col) continue;
        switch (c->kind) {
        case COL_TEXT:
        case COL_ENUM: c->text[row] = x->null ? INTERN_NONE : x->t; break;
        case COL_INT:
        case COL_DEC:
        case COL_PERCENT: store_number(p, c, row, x); break;
        case COL_BOOL: c->boolean[row] = x->null ? 2 : x->b; break;
        case COL_DATE: c->date[row] = x->null ? INT32_MIN : x->d; break;
        case COL_REF: c->row[row] = x->null ? -1 : x->d; break;
        }
    }
}

/* Every record of the open piece, parsed into its rows; false at the first
** problem, or when the piece holds other than the records counted. */
static bool run_piece(Part *p)
{
    Job *job = p->job;
    Table *t = p->L.t;
    int i = p->current;
    int32_t row = job->row0[i], end = job->row0[i + 1];
    uint32_t line0 = job->line0[i] - 1;
    const CsvField *f;
    size_t n;
    CsvError err;
    int r;
    while ((r = csvpipe_next(p->L.csv, &f, &n, &err)) > 0) {
        p->row = row;
        if (row == end || n != (size_t)p->L.nfields ||
            !load_cells(&p->L, f, n, job->key_pos, p->vals) || !p->ok || f[job->key_pos].len == 0 ||
            !keep_text(p, f[job->key_pos].ptr, f[job->key_pos].len, &job->keys[row]))
            return false;
        store_cells(p, row);
        t->key_line[row] = line0 + csvpipe_record_line(p->L.csv);
        row++;
    }
    return r == 0 && row == end;
}

/* The piece already open (the first, whose header was read), if any, then
** pieces as they come, until none is left or one has failed. */
static void run_part(Part *p)
{
    Pieces *ps = &p->job->ps;
    if (setjmp(p->exit)) { /* a runtime error: none is expected in parsing */
        p->ok = false;
        atomic_store(&ps->failed, true);
        return;
    }
    if (p->current >= 0 && !run_piece(p)) p->ok = false;
    for (int i; p->ok && (i = pieces_take(ps)) >= 0;)
        if (!open_piece(p, i) || !run_piece(p)) p->ok = false;
    if (!p->ok) atomic_store(&ps->failed, true);
}

static void *part_thread(void *arg)
{
    run_part(arg);
    return NULL;
}

/* The numbers set aside, stored now, widening their columns. */
static void store_later(Table *t, const Part *p)
{
    for (size_t i = 0; i < p->nlater; i++)
        numcol_set(&t->cols[p->later[i].col]->num, p->later[i].row, p->later[i].v);
}

static const char *text_of(const TextRef *r, const Part *a, const Part *b)
{
    return (r->off & TEXT_PART_B ? b->chars : a->chars) + (r->off & ~TEXT_PART_B);
}

/* The texts set aside interned in the order the ordinary load interns them
** (row by row; in a row, the other texts in field order, then the key), and
** the keys indexed; false at a duplicate. The slot of the key a few rows on
** is fetched while this one is placed. */
static bool intern_texts(Job *job, const Part *a, const Part *b, Intern *in)
{
    Table *t = job->t;
    int32_t rows = job->row0[job->ps.n];
    size_t ntexts = a->ntexts + b->ntexts;
    intern_reserve(in, (size_t)rows + ntexts, a->nchars + b->nchars + (size_t)rows + ntexts);
    uint32_t cap = in->count + (uint32_t)rows + (uint32_t)ntexts;
    if (cap > t->row_by_text_cap) {
        t->row_by_text = xrealloc(t->row_by_text, cap * sizeof(int32_t));
        for (uint32_t i = t->row_by_text_cap; i < cap; i++)
            t->row_by_text[i] = -1;
        t->row_by_text_cap = cap;
    }
    Column *key = t->cols[t->key_col];
    const TextLater *ta = a->texts, *ea = ta + a->ntexts, *tb = b->texts, *eb = tb + b->ntexts;
    for (int32_t row = 0; row < rows; row++) {
        if (row + KEY_AHEAD < rows)
            __builtin_prefetch(&in->slots[job->keys[row + KEY_AHEAD].hash & in->mask]);
        for (; ta < ea && ta->row == row; ta++)
            t->cols[ta->col]->text[row] =
                intern_put_hashed(in, text_of(&ta->ref, a, b), ta->ref.len, ta->ref.hash);
        for (; tb < eb && tb->row == row; tb++)
            t->cols[tb->col]->text[row] =
                intern_put_hashed(in, text_of(&tb->ref, a, b), tb->ref.len, tb->ref.hash);
        const TextRef *k = &job->keys[row];
        uint32_t id = intern_put_hashed(in, text_of(k, a, b), k->len, k->hash);
        if (id >= t->row_by_text_cap || t->row_by_text[id] >= 0) return false;
        t->row_by_text[id] = row;
        t->key_text[row] = id;
        if (key->used) key->text[row] = id;
    }
    return true;
}

/* The key index emptied again, for the ordinary load after a duplicate. */
static void unindex_keys(Table *t)
{
    for (uint32_t i = 0; i < t->row_by_text_cap; i++)
        t->row_by_text[i] = -1;
}

/* Parses every piece on two threads into the columns, made exactly as long
** as the count says; then what must follow in row order. */
static bool parse_all(Job *job, Part *a, Part *b)
{
    Table *t = job->t;
    int32_t rows = job->row0[job->ps.n];
    job->keys = xmalloc(sizeof(TextRef) * (size_t)(rows ? rows : 1));
    atomic_store(&job->ps.next, 1); /* the first piece is a's, open already */
    pthread_t thread;
    bool started = pthread_create(&thread, NULL, part_thread, b) == 0;
    if (!started) return false;
    run_part(a);
    pthread_join(thread, NULL);
    if (!a->ok || !b->ok) return false;
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i]->used && t->cols[i]->kind >= COL_INT && t->cols[i]->kind <= COL_PERCENT)
            t->cols[i]->num.filled = rows;
    store_later(t, a);
    store_later(t, b);
    return true;
}

/* The columns made as long as the table, and room in the string table and
** the key index for its keys; what the keys' pass and the tables loaded later
** will write is made present (or emptied) on a helper thread meanwhile. */
static Prefault *make_room(Eval *ev, Job *job)
{
    Table *t = job->t;
    Intern *in = ev->m->strings;
    int32_t rows = job->row0[job->ps.n];
    grow_columns(t, rows, true);
    uint32_t ids_before = in->count;
    /* The keys and a few other texts (more only grows later); their bytes
    ** are known, and reserved, after the parse. */
    intern_reserve(in, (size_t)rows + (size_t)rows / 16 + 64, 0);
    uint32_t cap = in->ids_cap, old = t->row_by_text_cap;
    if (cap > old) {
        t->row_by_text = xrealloc(t->row_by_text, cap * sizeof(int32_t));
        t->row_by_text_cap = cap;
    }
    Prefault *pf = prefault_new();
    if (!pf) {
        for (uint32_t i = old; i < cap; i++)
            t->row_by_text[i] = -1;
        return NULL;
    }
    if (cap > old) prefault_fill32(pf, t->row_by_text + old, cap - old, UINT32_MAX);
    prefault_touch(pf, in->entries + ids_before, (in->ids_cap - ids_before) * sizeof(InternEntry));
    presize_aggs(ev, pf, t, rows);
    prefault_start(pf);
    return pf;
}

bool load_stored_in_parts(Loader *L)
{
    struct stat st;
    if (!eligible(L) || stat(L->path, &st) != 0 || (uint64_t)st.st_size < STORED_MIN_BYTES)
        return false;
    Job *job = xcalloc(1, sizeof *job);
    job->ps.path = L->path;
    job->t = L->t;
    bool ok = pieces_cut(&job->ps, (uint64_t)st.st_size, STORED_PIECE);
    /* Each on lines of its own: the threads write them for every record. */
    Part *a = xcalloc_lines(sizeof *a), *b = xcalloc_lines(sizeof *b);
    part_init(a, L, job, 0);
    part_init(b, L, job, TEXT_PART_B);
    /* The first piece starts with the header, which names the fields of all;
    ** its errors are the ordinary load's to report. */
    ok = ok && open_piece(a, 0) && load_header(&a->L);
    if (ok) {
        job->key_pos = L->t->cols[L->t->key_col]->csv_pos;
        b->L.field_col = a->L.field_col;
        b->L.fast = a->L.fast;
        b->L.nfields = a->L.nfields;
    }
    ok = ok && count_all(job);
    Eval *ev = L->ev;
    if (ok) {
        Prefault *pf = make_room(ev, job);
        ok = parse_all(job, a, b);
        prefault_wait(pf);
    }
    if (ok) {
        ok = intern_texts(job, a, b, ev->m->strings);
        if (!ok) unindex_keys(L->t);
    }
    if (ok) {
        L->t->nrows = job->row0[job->ps.n];
        if (ev->progress)
            ev->progress(ev->progress_ctx, EVAL_PROGRESS_READ, load_csv_name(L->path),
                         (uint64_t)L->t->nrows, 0);
    }
    part_free(a);
    part_free(b);
    free(a);
    free(b);
    free(job->keys);
    free(job);
    return ok;
}
