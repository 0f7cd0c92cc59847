/*
** csvpipe.c — a CSV reader that scans ahead on a second thread (csvpipe.h).
**
** Reading a large table is two jobs of about equal size: scanning (read(),
** finding fields, checking UTF-8) and what the loader does with each record
** (parsing cells, indexing keys, folding aggregates). The producer thread
** runs csv_next and copies each record into a chunk; the caller takes the
** chunks in order from a small ring, so the two jobs overlap. A chunk that
** ends the input carries the reader's final status (end or error), which
** the caller sees only after the chunk's records, exactly where csv_next
** would have reported it.
*/
#include "csvpipe.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define PIPE_CHUNKS 8
/* A producer that found the ring full sleeps until this few chunks are
** left: waking a thread costs the waker tens of microseconds on a virtual
** machine, too much to pay for every chunk the consumer finishes. */
#define PIPE_RESUME    4
#define CHUNK_RECORDS  2048
#define CHUNK_BYTES    (256 * 1024)
#define THREAD_MIN_LEN (4 << 20) /* smaller files are read without a thread */

/* A field in a chunk: 8 bytes instead of a CsvField's 24, since every byte
** a chunk holds crosses from one core's cache to the other's (the field
** records were most of that traffic). The consumer turns the fields of the
** record it reads into CsvFields. */
typedef struct PackedField {
    uint32_t off;      /* in the chunk's bytes */
    uint32_t len_quot; /* length << 1 | quoted */
} PackedField;

typedef struct Chunk {
    char *bytes; /* the fields' text, each NUL-terminated */
    size_t nbytes, capbytes;
    PackedField *fields;
    size_t nfields, capfields;
    uint32_t *first; /* record i has fields [first[i], first[i + 1]) */
    uint32_t *line;  /* line on which record i starts */
    uint32_t nrec;
    int status; /* after the records: 1 more follow, 0 end of input, -1 error */
    CsvError err;
} Chunk;

struct CsvPipe {
    CsvReader *r;
    bool started; /* a producer thread runs */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t filled, drained;
    Chunk chunks[PIPE_CHUNKS];
    int nfull;      /* chunks produced and not yet released by the consumer */
    bool sleeping;  /* the producer waits for the ring to drain to PIPE_RESUME */
    int head, tail; /* next chunk to consume, next to produce */
    bool stop;
    /* consumer side */
    Chunk *cur;
    uint32_t pos;
    const CsvField *fields;
    size_t nf;
    CsvField *unpacked; /* the current record's fields, from its chunk */
    size_t capunpacked;
    uint32_t rec_line;
};

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q) return false;
    *p = q;
    *cap = n;
    return true;
}

/* Makes room for need more bytes, moving the fields already added along
** when the buffer moves. */
static bool reserve_bytes(Chunk *c, size_t need)
{
    if (c->nbytes + need <= c->capbytes) return true;
    size_t cap = 2 * c->capbytes + need;
    if (cap > UINT32_MAX) return false; /* offsets are 32-bit */
    char *nb = malloc(cap);
    if (!nb) return false;
    if (c->nbytes) memcpy(nb, c->bytes, c->nbytes);
    free(c->bytes);
    c->bytes = nb;
    c->capbytes = cap;
    return true;
}

/* A record's bytes, copied with non-temporal stores: the chunk is read by
** the other thread, and ordinary stores would first pull each line back
** from that thread's cache (most of this thread's time at 10^6 persons).
** to is 16-byte aligned; whole 16-byte blocks are copied, so up to 15
** bytes past the span are read (the reader's buffer is padded) and written
** (the chunk has room). */
static void copy_span(char *to, const char *from, size_t n)
{
#if defined(__SSE2__)
    for (size_t i = 0; i < n; i += 16)
        _mm_stream_si128((__m128i *)(void *)(to + i),
                         _mm_loadu_si128((const __m128i *)(const void *)(from + i)));
#else
    memcpy(to, from, n);
#endif
}

/* Appends one record. Its fields lie in order in one block of the reader's
** buffer (csv.h), so the block is copied whole, NULs and all. */
static bool chunk_add(Chunk *c, const CsvField *f, size_t n, uint32_t line)
{
    const char *from = n ? f[0].ptr : NULL;
    size_t span = n ? (size_t)(f[n - 1].ptr - from) + f[n - 1].len + 1 : 0;
    size_t at = (c->nbytes + 15) & ~(size_t)15;
    if (!reserve_bytes(c, at - c->nbytes + span + 16) ||
        !grow((void **)&c->fields, &c->capfields, c->nfields + n, sizeof(PackedField)))
        return false;
    char *to = c->bytes + at;
    copy_span(to, from, span);
    PackedField *out = c->fields + c->nfields;
    for (size_t i = 0; i < n; i++) {
        if (f[i].len > UINT32_MAX >> 1) return false;
        out[i] = (PackedField){(uint32_t)(at + (size_t)(f[i].ptr - from)),
                               (uint32_t)f[i].len << 1 | f[i].quoted};
    }
    c->nbytes = at + span;
    c->nfields += n;
    c->line[c->nrec] = line;
    c->first[++c->nrec] = (uint32_t)c->nfields;
    return true;
}

/* Fills one chunk from the reader; sets its status. */
static void fill_chunk(CsvPipe *p, Chunk *c)
{
    c->nbytes = c->nfields = 0;
    c->nrec = 0;
    c->first[0] = 0;
    c->status = 1;
    while (c->nrec < CHUNK_RECORDS && c->nbytes < CHUNK_BYTES) {
        const CsvField *f;
        size_t n;
        int st = csv_next(p->r, &f, &n, &c->err);
        if (st <= 0) {
            c->status = st;
            break;
        }
        if (!chunk_add(c, f, n, csv_record_line(p->r))) {
            c->status = -1;
            c->err = (CsvError){csv_record_line(p->r), 0, "out of memory"};
            break;
        }
    }
#if defined(__SSE2__)
    _mm_sfence(); /* the streamed bytes are visible before the chunk is handed over */
#endif
}

static void *produce(void *arg)
{
    CsvPipe *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        if (p->nfull == PIPE_CHUNKS) {
            p->sleeping = true;
            while (p->nfull > PIPE_RESUME && !p->stop)
                pthread_cond_wait(&p->drained, &p->mu);
            p->sleeping = false;
        }
        bool stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop) return NULL;
        Chunk *c = &p->chunks[p->tail];
        fill_chunk(p, c);
        pthread_mutex_lock(&p->mu);
        p->tail = (p->tail + 1) % PIPE_CHUNKS;
        p->nfull++;
        pthread_cond_signal(&p->filled);
        pthread_mutex_unlock(&p->mu);
        if (c->status != 1) return NULL;
    }
}

CsvPipe *csvpipe_new(CsvReader *r, bool threaded, CsvError *err)
{
    CsvPipe *p = calloc(1, sizeof *p);
    if (!p) goto oom;
    p->r = r;
    if (!threaded) return p;
    for (int i = 0; i < PIPE_CHUNKS; i++) {
        Chunk *c = &p->chunks[i];
        c->first = malloc(sizeof(uint32_t) * (CHUNK_RECORDS + 1));
        c->line = malloc(sizeof(uint32_t) * CHUNK_RECORDS);
        /* Room for a full chunk of ordinary records, so they are never moved. */
        if (!c->first || !c->line || !reserve_bytes(c, 2 * CHUNK_BYTES)) goto oom;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->filled, NULL);
    pthread_cond_init(&p->drained, NULL);
    /* Without a thread to be had, the records are read on this one. */
    p->started = pthread_create(&p->thread, NULL, produce, p) == 0;
    return p;
oom:
    if (p) {
        p->r = NULL;
        csvpipe_close(p);
    }
    csv_close(r);
    if (err) *err = (CsvError){0, 0, "out of memory"};
    return NULL;
}

CsvPipe *csvpipe_open(const char *path, CsvError *err)
{
    CsvReader *r = csv_open(path, err);
    if (!r) return NULL;
    struct stat st;
    bool big = stat(path, &st) == 0 && st.st_size >= THREAD_MIN_LEN;
    return csvpipe_new(r, big, err);
}

void csvpipe_close(CsvPipe *p)
{
    if (!p) return;
    if (p->started) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_signal(&p->drained);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->filled);
        pthread_cond_destroy(&p->drained);
    }
    for (int i = 0; i < PIPE_CHUNKS; i++) {
        free(p->chunks[i].bytes);
        free(p->chunks[i].fields);
        free(p->chunks[i].first);
        free(p->chunks[i].line);
    }
    free(p->unpacked);
    csv_close(p->r);
    free(p);
}

int csvpipe_next(CsvPipe *p, const CsvField **fields, size_t *nfields, CsvError *err)
{
    if (!p->started) {
        int st = csv_next(p->r, fields, nfields, err);
        if (st > 0) {
            p->fields = *fields;
            p->nf = *nfields;
            p->rec_line = csv_record_line(p->r);
        }
        return st;
    }
    for (;;) {
        Chunk *c = p->cur;
        if (c && p->pos < c->nrec) {
            uint32_t i = p->pos++;
            size_t nf = c->first[i + 1] - c->first[i];
            if (nf > p->capunpacked) {
                CsvField *u = realloc(p->unpacked, nf * sizeof *u);
                if (!u) {
                    if (err) *err = (CsvError){c->line[i], 0, "out of memory"};
                    c->status = -1;
                    c->err = (CsvError){c->line[i], 0, "out of memory"};
                    p->pos = c->nrec;
                    return -1;
                }
                p->unpacked = u;
                p->capunpacked = nf;
            }
            const PackedField *pf = c->fields + c->first[i];
            for (size_t k = 0; k < nf; k++)
                p->unpacked[k] =
                    (CsvField){c->bytes + pf[k].off, pf[k].len_quot >> 1, pf[k].len_quot & 1};
            p->fields = p->unpacked;
            p->nf = nf;
            p->rec_line = c->line[i];
            *fields = p->fields;
            *nfields = p->nf;
            return 1;
        }
        if (c && c->status != 1) { /* sticky, as in csv_next */
            if (c->status < 0 && err) *err = c->err;
            return c->status;
        }
        pthread_mutex_lock(&p->mu);
        if (c) { /* give the finished chunk back to the producer */
            p->head = (p->head + 1) % PIPE_CHUNKS;
            p->nfull--;
            if (p->sleeping && p->nfull <= PIPE_RESUME) pthread_cond_signal(&p->drained);
        }
        while (p->nfull == 0)
            pthread_cond_wait(&p->filled, &p->mu);
        p->cur = &p->chunks[p->head];
        pthread_mutex_unlock(&p->mu);
        p->pos = 0;
    }
}

uint32_t csvpipe_record_line(const CsvPipe *p)
{
    return p->rec_line;
}

void csvpipe_field_pos(const CsvPipe *p, size_t i, uint32_t *line, uint32_t *col)
{
    csv_fields_pos(p->fields, p->nf, p->rec_line, i, line, col);
}
