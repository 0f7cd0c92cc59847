/*
** group.c — groups of assessed rows (persons by dept, category) and the
** aggregates over them: a reduction per group broadcast back to members,
** and per-member ranks and z-scores.
*/
#include "eval.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static uint64_t value_hash(Value v)
{
    if (v.null) return 0x1234;
    return mix(mix(mix((uint64_t)v.n, (uint64_t)(v.n >> 64)), v.t), (uint64_t)(uint32_t)v.d ^ v.b);
}

static bool value_same(Value a, Value b)
{
    return a.null == b.null && (a.null || (a.n == b.n && a.t == b.t && a.d == b.d && a.b == b.b));
}

/* Distinct key tuples seen so far: an open-addressing table sized by the
** number of groups (a few thousand at most, so it stays in cache), not by
** the number of persons. */
typedef struct GroupTable {
    int32_t *slots; /* group id per slot, -1 empty */
    uint64_t *hash; /* per group */
    Value *keys;    /* k per group */
    size_t cap;     /* slots, a power of two */
    int32_t n, gcap;
    int k;
} GroupTable;

static void table_grow(Eval *ev, GroupTable *t)
{
    size_t cap = t->cap * 2;
    int32_t *slots = ev_alloc(ev, sizeof(int32_t) * cap);
    memset(slots, 0xff, sizeof(int32_t) * cap);
    for (int32_t id = 0; id < t->n; id++) {
        size_t s = t->hash[id] & (cap - 1);
        while (slots[s] >= 0)
            s = (s + 1) & (cap - 1);
        slots[s] = id;
    }
    ev_free(ev, t->slots);
    t->slots = slots;
    t->cap = cap;
}

/* The group of a key tuple, a new one when it was not seen. */
static int32_t table_find(Eval *ev, GroupTable *t, const Value *cur, uint64_t h)
{
    for (size_t s = h & (t->cap - 1);; s = (s + 1) & (t->cap - 1)) {
        int32_t id = t->slots[s];
        if (id < 0) break;
        if (t->hash[id] != h) continue;
        bool same = true;
        for (int i = 0; i < t->k && same; i++)
            same = value_same(t->keys[(size_t)id * (size_t)t->k + (size_t)i], cur[i]);
        if (same) return id;
    }
    if (t->n == t->gcap) {
        int32_t gcap = t->gcap * 2;
        Value *keys = ev_alloc(ev, sizeof(Value) * (size_t)gcap * (size_t)t->k);
        uint64_t *hash = ev_alloc(ev, sizeof(uint64_t) * (size_t)gcap);
        memcpy(keys, t->keys, sizeof(Value) * (size_t)t->n * (size_t)t->k);
        memcpy(hash, t->hash, sizeof(uint64_t) * (size_t)t->n);
        ev_free(ev, t->keys);
        ev_free(ev, t->hash);
        t->keys = keys;
        t->hash = hash;
        t->gcap = gcap;
    }
    int32_t id = t->n++;
    memcpy(t->keys + (size_t)id * (size_t)t->k, cur, sizeof(Value) * (size_t)t->k);
    t->hash[id] = h;
    if ((size_t)t->n * 2 > t->cap) {
        table_grow(ev, t);
    } else {
        size_t s = h & (t->cap - 1);
        while (t->slots[s] >= 0)
            s = (s + 1) & (t->cap - 1);
        t->slots[s] = id;
    }
    return id;
}

/* The keys of rows [start, start + n) into vals[key * EVAL_BATCH + i]: a
** batch at a time when no key can fail (the order of errors is then
** moot), row by row otherwise, as the keys were always evaluated. */
static void group_keys(Eval *ev, Group *g, bool batch, int32_t start, int n, Value *vals)
{
    int k = g->keys.n;
    if (batch) {
        int32_t rows[EVAL_BATCH];
        for (int i = 0; i < n; i++)
            rows[i] = start + i;
        for (int j = 0; j < k; j++)
            eval_vec(ev, g->keys.items[j], rows, n, NULL, vals + (size_t)j * EVAL_BATCH);
        return;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++)
            vals[(size_t)j * EVAL_BATCH + (size_t)i] = eval_expr(ev, g->keys.items[j], start + i);
}

/* A key read straight out of a column, through references: a reference
** (the row it points to), an enumeration value or a truth value. Its code
** for a row is in [0, bound), bound - 1 for an empty one, and two rows have
** the same code exactly when they have the same key. */
typedef struct CodedKey {
    const Bound *b;
    const Column *last;
    uint32_t bound;
} CodedKey;

/* Largest number of key combinations a group is numbered through directly. */
#define CODED_MAX ((uint64_t)1 << 22)

static bool coded_key(const Expr *e, CodedKey *k)
{
    const Bound *b = e->bound;
    if (!b || b->kind != B_COL || b->type.list || b->npath < 1) return false;
    const Column *c = b->path[b->npath - 1];
    uint32_t bound = 0;
    switch (c->kind) {
    case COL_REF: bound = (uint32_t)c->ref->nrows + 1; break;
    case COL_BOOL: bound = 3; break;
    case COL_ENUM:
        for (int i = 0; c->type.enum_vals && i < c->type.enum_vals->n; i++)
            if (c->enum_ids[i] + 2 > bound) bound = c->enum_ids[i] + 2;
        break;
    default: return false;
    }
    if (!bound || bound > CODED_MAX) return false;
    *k = (CodedKey){b, c, bound};
    return true;
}

static uint32_t key_code(const CodedKey *k, int32_t row)
{
    int32_t r = row;
    for (int i = 0; i + 1 < k->b->npath && r >= 0; i++)
        r = k->b->path[i]->row[r];
    if (r < 0) return k->bound - 1;
    switch (k->last->kind) {
    case COL_REF: return k->last->row[r] < 0 ? k->bound - 1 : (uint32_t)k->last->row[r];
    case COL_BOOL: return k->last->boolean[r];
    default: return k->last->text[r] == INTERN_NONE ? k->bound - 1 : k->last->text[r];
    }
}

/* Groups by keys that are all coded: each row's combination of codes
** indexes an array of group ids, numbered in order of first appearance as
** the hash table numbers them, with no key evaluated or hashed (a tenth of
** the time at 10^6 persons). False when a key is not coded, or there are
** too many combinations to hold. */
static bool group_build_coded(Eval *ev, Group *g)
{
    CodedKey k[16];
    int nk = g->keys.n;
    uint64_t combos = 1;
    if (nk < 1 || nk > 16) return false;
    for (int j = 0; j < nk; j++) {
        if (!coded_key(g->keys.items[j], &k[j])) return false;
        combos *= k[j].bound;
        if (combos > CODED_MAX || combos > 8 * (uint64_t)ev->nrows + 1024) return false;
    }
    int32_t n = ev->nrows;
    int32_t *id_of = ev_alloc_unset(ev, sizeof(int32_t) * (size_t)combos);
    memset(id_of, 0xff, sizeof(int32_t) * (size_t)combos);
    g->gid = ev_alloc_unset(ev, sizeof(int32_t) * (size_t)(n ? n : 1));
    int32_t ngroups = 0;
    for (int32_t row = 0; row < n; row++) {
        uint64_t code = 0;
        for (int j = 0; j < nk; j++)
            code = code * k[j].bound + key_code(&k[j], row);
        if (id_of[code] < 0) id_of[code] = ngroups++;
        g->gid[row] = id_of[code];
    }
    ev_free(ev, id_of);
    g->ngroups = ngroups;
    g->size = ev_alloc(ev, (size_t)(ngroups ? ngroups : 1) * sizeof(int32_t));
    for (int32_t row = 0; row < n; row++)
        g->size[g->gid[row]]++;
    g->built = true;
    return true;
}

void group_build(Eval *ev, Group *g)
{
    if (g->built) return;
    eval_shared_init(ev);
    if (group_build_coded(ev, g)) return;
    int32_t n = ev->nrows;
    int k = g->keys.n < 16 ? g->keys.n : 16;
    g->gid = ev_alloc_unset(ev, sizeof(int32_t) * (size_t)(n ? n : 1)); /* every row set below */
    GroupTable t = {.cap = 64, .gcap = 16, .k = k ? k : 1};
    t.slots = ev_alloc(ev, sizeof(int32_t) * t.cap);
    memset(t.slots, 0xff, sizeof(int32_t) * t.cap);
    t.keys = ev_alloc(ev, sizeof(Value) * (size_t)t.gcap * (size_t)t.k);
    t.hash = ev_alloc(ev, sizeof(uint64_t) * (size_t)t.gcap);
    bool batch = true;
    for (int j = 0; j < k; j++)
        batch &= expr_infallible(g->keys.items[j]);
    Value *vals = ev_alloc(ev, sizeof(Value) * EVAL_BATCH * (size_t)t.k);
    Value cur[16] = {{0}}, last[16] = {{0}}; /* last: the previous batch's last row */
    int32_t id = -1;
    for (int32_t start = 0; start < n; start += EVAL_BATCH) {
        int b = n - start < EVAL_BATCH ? n - start : EVAL_BATCH;
        group_keys(ev, g, batch, start, b, vals);
        for (int i = 0; i < b; i++) {
            /* Exports list a department's persons together: most rows have
            ** the keys of the row before, and need no hashing. (Compared
            ** where eval_vec wrote them: a copy just made would be read
            ** back before the store completes.) */
            bool same = id >= 0;
            for (int j = 0; j < k && same; j++) {
                const Value *x = &vals[(size_t)j * EVAL_BATCH + (size_t)i];
                same = value_same(*x, i ? x[-1] : last[j]);
            }
            if (!same) {
                uint64_t h = 0;
                for (int j = 0; j < k; j++) {
                    cur[j] = vals[(size_t)j * EVAL_BATCH + (size_t)i];
                    h = mix(h, value_hash(cur[j]));
                }
                id = table_find(ev, &t, cur, h);
            }
            g->gid[start + i] = id;
        }
        for (int j = 0; j < k; j++)
            last[j] = vals[(size_t)j * EVAL_BATCH + (size_t)(b - 1)];
    }
    g->ngroups = t.n;
    ev_free(ev, vals);
    ev_free(ev, t.slots);
    ev_free(ev, t.keys);
    ev_free(ev, t.hash);
    g->size = ev_alloc(ev, (size_t)((size_t)(t.n ? t.n : 1)) * sizeof(int32_t));
    for (int32_t row = 0; row < n; row++)
        g->size[g->gid[row]]++;
    g->built = true;
}

typedef struct RankItem {
    int32_t gid;
    int32_t row;
    Dec x;
} RankItem;

static int rank_cmp_desc(const void *pa, const void *pb)
{
    const RankItem *a = pa, *b = pb;
    if (a->gid != b->gid) return a->gid < b->gid ? -1 : 1;
    int c = dec_cmp(b->x, a->x);
    return c ? c : (a->row > b->row) - (a->row < b->row);
}

static int rank_cmp_asc(const void *pa, const void *pb)
{
    const RankItem *a = pa, *b = pb;
    if (a->gid != b->gid) return a->gid < b->gid ? -1 : 1;
    int c = dec_cmp(a->x, b->x);
    return c ? c : (a->row > b->row) - (a->row < b->row);
}

/* Competition ranking (1, 2, 2, 4) within each group; an empty value gets no rank. */
static void compute_rank(Eval *ev, GroupAgg *ga)
{
    int32_t n = ev->nrows;
    RankItem *items = ev_alloc_unset(ev, sizeof(RankItem) * (size_t)(n ? n : 1));
    int32_t m = 0;
    ga->per_person = ev_alloc_unset(ev, sizeof(Dec) * (size_t)(n ? n : 1)); /* every row set */
    for (int32_t row = 0; row < n; row++) {
        Value x = eval_expr(ev, ga->arg, row);
        ga->per_person[row] = DEC_NULL;
        if (!x.null) items[m++] = (RankItem){ga->g->gid[row], row, x.n};
    }
    qsort(items, (size_t)m, sizeof(RankItem), ga->fn == FN_RANK ? rank_cmp_desc : rank_cmp_asc);
    int32_t pos = 0;
    for (int32_t i = 0; i < m; i++) {
        pos = (i == 0 || items[i].gid != items[i - 1].gid) ? 1 : pos + 1;
        bool tie = i > 0 && items[i].gid == items[i - 1].gid && items[i].x == items[i - 1].x;
        ga->per_person[items[i].row] = tie ? ga->per_person[items[i - 1].row] : dec_from_int(pos);
    }
    ev_free(ev, items);
}

/* Folds one person into the group's count and accumulator. */
static void fold(Eval *ev, GroupAgg *ga, int32_t row, Value x, int64_t *cnt, Dec *acc)
{
    int32_t gid = ga->g->gid[row];
    if (ga->fn == FN_COUNT) {
        cnt[gid]++;
        return;
    }
    if (x.null) return; /* absent values are left out, as in SQL */
    bool first = cnt[gid]++ == 0;
    if (ga->fn == FN_MIN || ga->fn == FN_MAX) {
        if (first || (ga->fn == FN_MIN ? dec_cmp(x.n, acc[gid]) < 0 : dec_cmp(x.n, acc[gid]) > 0))
            acc[gid] = x.n;
    } else if (dec_add(acc[gid], x.n, &acc[gid]) != DEC_OK) {
        eval_fail(ev, ga->origin, row, "arithmetic overflow");
    }
}

/* Filter and argument a batch at a time, when neither can fail: the errors
** of the fold itself still come row by row. */
static bool reduce_batch(Eval *ev, GroupAgg *ga, int64_t *cnt, Dec *acc)
{
    if (ga->where && !expr_infallible(ga->where)) return false;
    if (ga->arg && (!expr_infallible(ga->arg) || ga->arg->bound->type.base != T_NUM ||
                    ga->arg->bound->type.list))
        return false;
    int32_t rows[EVAL_BATCH];
    uint8_t keep[EVAL_BATCH], live[EVAL_BATCH];
    Dec x[EVAL_BATCH];
    for (int32_t start = 0; start < ev->nrows; start += EVAL_BATCH) {
        int n = eval_batch_rows(start, ev->nrows, rows);
        if (ga->where)
            vec_bool(ev, ga->where, rows, n, NULL, keep);
        else
            memset(keep, 1, (size_t)n);
        for (int i = 0; i < n; i++)
            live[i] = keep[i] == 1;
        if (ga->arg) vec_num(ev, ga->arg, rows, n, live, x);
        for (int i = 0; i < n; i++) {
            if (keep[i] == 2)
                eval_fail(ev, ga->where, rows[i],
                          "the filter is empty (it uses a value that is absent)");
            if (!live[i]) continue;
            Value v = {.n = ga->arg ? x[i] : 0, .null = ga->arg && x[i] == DEC_NULL};
            fold(ev, ga, rows[i], v, cnt, acc);
        }
    }
    return true;
}

static void reduce(Eval *ev, GroupAgg *ga, int64_t *cnt, Dec *acc)
{
    if (reduce_batch(ev, ga, cnt, acc)) return;
    for (int32_t row = 0; row < ev->nrows; row++) {
        if (ga->where && !eval_cond(ev, ga->where, row, "the filter")) continue;
        Value x = {0};
        if (ga->fn != FN_COUNT) x = eval_expr(ev, ga->arg, row);
        fold(ev, ga, row, x, cnt, acc);
    }
}

static void compute_spread(Eval *ev, GroupAgg *ga, int64_t *cnt, Dec *mean)
{
    /* population standard deviation per group: second pass over squares */
    int32_t ng = ga->g->ngroups;
    Dec *sq = ev_alloc(ev, (size_t)((size_t)(ng ? ng : 1)) * sizeof(Dec));
    for (int32_t row = 0; row < ev->nrows; row++) {
        if (ga->where && !eval_cond(ev, ga->where, row, "the filter")) continue;
        Value x = eval_expr(ev, ga->arg, row);
        if (x.null) continue;
        int32_t gid = ga->g->gid[row];
        Dec d, d2;
        if (dec_sub(x.n, mean[gid], &d) != DEC_OK)
            eval_fail(ev, ga->origin, row, "arithmetic overflow");
        DecStatus st = dec_mul(d, d, &d2);
        if ((st != DEC_OK && st != DEC_INEXACT) || dec_add(sq[gid], d2, &sq[gid]) != DEC_OK)
            eval_fail(ev, ga->origin, row, "arithmetic overflow");
    }
    for (int32_t gid = 0; gid < ng; gid++) {
        if (!cnt[gid]) continue;
        Dec var;
        dec_div(sq[gid], dec_from_int(cnt[gid]), &var);
        dec_sqrt(var, &sq[gid]);
    }
    if (ga->fn == FN_STDDEV) {
        memcpy(ga->per_group, sq, sizeof(Dec) * (size_t)ng);
    } else {
        ga->per_person = ev_alloc_unset(ev, sizeof(Dec) * (size_t)(ev->nrows ? ev->nrows : 1));
        for (int32_t row = 0; row < ev->nrows; row++) {
            Value x = eval_expr(ev, ga->arg, row);
            int32_t gid = ga->g->gid[row];
            Dec d;
            ga->per_person[row] = DEC_NULL;
            if (x.null) continue;
            /* all members equal: every z-score is 0 */
            if (sq[gid] == 0)
                ga->per_person[row] = 0;
            else if (dec_sub(x.n, mean[gid], &d) != DEC_OK ||
                     dec_div(d, sq[gid], &ga->per_person[row]) != DEC_OK)
                eval_fail(ev, ga->origin, row, "arithmetic overflow");
        }
    }
    ev_free(ev, sq);
}

void group_agg_compute(Eval *ev, GroupAgg *ga)
{
    eval_shared_init(ev);
    group_build(ev, ga->g);
    int32_t ng = ga->g->ngroups;
    size_t n = (size_t)(ng ? ng : 1);
    if (ga->fn == FN_RANK || ga->fn == FN_RANK_ASC) {
        compute_rank(ev, ga);
        ga->computed = true;
        return;
    }
    int64_t *cnt = ev_alloc(ev, (size_t)(n) * sizeof(int64_t));
    ga->per_group = ev_alloc(ev, (size_t)(n) * sizeof(Dec));
    ga->group_null = ev_alloc(ev, (size_t)(n)*1);
    reduce(ev, ga, cnt, ga->per_group);
    for (int32_t gid = 0; gid < ng; gid++) {
        if (ga->fn == FN_COUNT)
            ga->per_group[gid] = dec_from_int(cnt[gid]);
        else if (!cnt[gid] && ga->fn != FN_SUM)
            ga->group_null[gid] = 1;
        else if (ga->fn == FN_AVG || ga->fn == FN_STDDEV || ga->fn == FN_ZSCORE)
            dec_div(ga->per_group[gid], dec_from_int(cnt[gid]), &ga->per_group[gid]);
    }
    if (ga->fn == FN_STDDEV || ga->fn == FN_ZSCORE) compute_spread(ev, ga, cnt, ga->per_group);
    ev_free(ev, cnt);
    ga->computed = true;
}
