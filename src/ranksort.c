/*
** ranksort.c — the rank order of grading, sorted fast.
**
** Comparing rows through their 32-byte Values (and text through the string
** pool) at random is most of the cost of sorting a million persons. So
** grading turns each key once into a 64-bit integer that orders the same way
** (a number itself, a date's day, a text's rank among the texts present, the
** table key's position; negated for a descending key, RANK_ABSENT for
** absent), and rows are bucketed by group and each bucket merge-sorted over
** 16-byte items; only ties on the first key read the other keys. Keys that
** do not fit 64 bits are rare enough to sort by the rule itself.
*/
#include "ranksort.h"
#include "eval.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int rank_cmp(const RankSpec *s, int32_t a, int32_t b)
{
    if (s->gid && s->gid[a] != s->gid[b]) return s->gid[a] < s->gid[b] ? -1 : 1;
    for (int k = 0; k < s->nkeys; k++) {
        const Value *x = &s->keys[(size_t)a * s->nkeys + k],
                    *y = &s->keys[(size_t)b * s->nkeys + k];
        int r;
        if (x->null || y->null)
            r = x->null - y->null; /* absent values sort last */
        else if (x->t || y->t)
            r = value_cmp_text(s->m, x->t, y->t);
        else if (x->d != y->d)
            r = x->d < y->d ? -1 : 1;
        else
            r = dec_cmp(x->n, y->n);
        if (r) return s->desc[k] && !x->null && !y->null ? -r : r;
    }
    int32_t ka = s->kpos ? s->kpos[a] : a, kb = s->kpos ? s->kpos[b] : b;
    return ka < kb ? -1 : ka > kb;
}

static int text_cmp(const void *pa, const void *pb, void *m)
{
    return value_cmp_text(m, *(const uint32_t *)pa, *(const uint32_t *)pb);
}

uint32_t *rank_text_ranks(const Model *m, const uint32_t *ids, int32_t n)
{
    uint32_t count = m->strings->count;
    uint32_t *rank = xcalloc(count ? count : 1, sizeof(uint32_t));
    uint32_t *seen = xmalloc(sizeof(uint32_t) * (size_t)(n ? n : 1));
    size_t nseen = 0;
    for (int32_t row = 0; row < n; row++) {
        uint32_t id = ids[row];
        if (id == INTERN_NONE || rank[id]) continue;
        rank[id] = 1;
        seen[nseen++] = id;
    }
    qsort_r(seen, nseen, sizeof(uint32_t), text_cmp, (void *)m);
    for (size_t i = 0; i < nseen; i++)
        rank[seen[i]] = (uint32_t)i + 1;
    free(seen);
    return rank;
}

static int rule_cmp(const void *pa, const void *pb, void *spec)
{
    return rank_cmp(spec, *(const int32_t *)pa, *(const int32_t *)pb);
}

void rank_sort(const RankSpec *s, int32_t n, int32_t *perm)
{
    for (int32_t i = 0; i < n; i++)
        perm[i] = i;
    qsort_r(perm, (size_t)n, sizeof(int32_t), rule_cmp, (void *)s);
}

bool rank_key_fits(Dec x, bool desc, int64_t *out)
{
    if (x <= -(Dec)INT64_MAX || x >= (Dec)INT64_MAX) return false;
    *out = (int64_t)(desc ? -x : x);
    return true;
}

/* Sixteen bytes an item: the first key, the row, its key position. */
typedef struct Item64 {
    int64_t k;
    int32_t row, pos;
} Item64;

typedef struct Sorter64 {
    const int64_t *more;
    int nmore;
} Sorter64;

static inline int cmp64(int64_t x, int64_t y)
{
    return (x > y) - (x < y); /* RANK_ABSENT is the largest: absent sorts last */
}

static inline int item64_cmp(const Sorter64 *s, const Item64 *a, const Item64 *b)
{
    int r = cmp64(a->k, b->k);
    for (int j = 0; !r && j < s->nmore; j++)
        r = cmp64(s->more[(size_t)a->row * s->nmore + j], s->more[(size_t)b->row * s->nmore + j]);
    return r ? r : cmp64(a->pos, b->pos);
}

static void merge_sort64(const Sorter64 *s, Item64 *a, Item64 *tmp, size_t n)
{
    if (n <= 12) {
        for (size_t i = 1; i < n; i++) {
            Item64 x = a[i];
            size_t j = i;
            for (; j > 0 && item64_cmp(s, &x, &a[j - 1]) < 0; j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    merge_sort64(s, a, tmp, h);
    merge_sort64(s, a + h, tmp, n - h);
    if (item64_cmp(s, &a[h - 1], &a[h]) <= 0) return;
    memcpy(tmp, a, h * sizeof(Item64));
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        a[o++] = item64_cmp(s, &a[j], &tmp[i]) < 0 ? a[j++] : tmp[i++];
    while (i < h)
        a[o++] = tmp[i++];
}

/* Below this many rows one thread sorts as fast as two. */
#define RANK_PAR_MIN 65536

typedef struct Groups {
    Sorter64 so;
    Item64 *items, *tmp;
    const size_t *start;
    int32_t from, to; /* the groups to sort */
} Groups;

/* The groups one after another, all merging through the same start of
** tmp (so the buffer's pages beyond the largest group are never touched). */
static void sort_groups(const Groups *g)
{
    for (int32_t i = g->from; i < g->to; i++)
        merge_sort64(&g->so, g->items + g->start[i], g->tmp, g->start[i + 1] - g->start[i]);
}

static void *sort_groups_thread(void *arg)
{
    sort_groups(arg);
    return NULL;
}

void rank_sort_encoded(const int64_t *first, const int64_t *more, int nmore, const int32_t *gid,
                       int32_t ngroups, const int32_t *kpos, int32_t n, int32_t *perm)
{
    size_t nn = (size_t)(n ? n : 1);
    Item64 *items = xmalloc(sizeof(Item64) * nn), *tmp = xmalloc(sizeof(Item64) * nn);
    int32_t ng = gid ? ngroups : 1;
    size_t *start = xcalloc((size_t)ng + 1, sizeof(size_t));
    for (int32_t row = 0; row < n; row++)
        start[(gid ? gid[row] : 0) + 1]++;
    for (int32_t g = 0; g < ng; g++)
        start[g + 1] += start[g];
    size_t *fill = xmalloc(sizeof(size_t) * ((size_t)ng + 1));
    memcpy(fill, start, sizeof(size_t) * ((size_t)ng + 1));
    for (int32_t row = 0; row < n; row++)
        items[fill[gid ? gid[row] : 0]++] =
            (Item64){first ? first[row] : 0, row, kpos ? kpos[row] : row};
    /* Groups sort independently: with many rows, the first half of the
    ** groups (by rows) on a second thread, each half merging through its own
    ** part of the buffer. */
    Groups gs = {{more, nmore}, items, tmp, start, 0, ng};
    int32_t mid = ng;
    if (n >= RANK_PAR_MIN)
        for (mid = 0; mid < ng && start[mid] < (size_t)n / 2; mid++)
            ;
    pthread_t t;
    bool split = mid > 0 && mid < ng;
    if (split) {
        gs.to = mid;
        split = pthread_create(&t, NULL, sort_groups_thread, &gs) == 0;
    }
    /* The first half's groups hold start[mid] rows in all, so their merges
    ** stay below that offset of tmp. */
    Groups rest = gs;
    rest.from = split ? mid : 0;
    rest.to = ng;
    rest.tmp = split ? tmp + start[mid] : tmp;
    sort_groups(&rest);
    if (split) pthread_join(t, NULL);
    for (int32_t i = 0; i < n; i++)
        perm[i] = items[i].row;
    free(fill);
    free(tmp);
    free(items);
    free(start);
}
