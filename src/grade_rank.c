/*
** grade_rank.c — the order in which persons are ranked within their
** grading group, worked out on a second thread while the vetoes, the
** eligibility and the quotas are decided on this one: the order reads only
** the group of each person and the finished values its keys name, none of
** which those steps write.
**
** The outcome is that of working everything out in turn:
**   - an error in the vetoes, eligibility or quotas is reported as before,
**     and whatever the ranking thread found is dropped;
**   - an error of the ranking thread is reported after they all went well;
**   - a ranking that needs shared state (a value not yet computed, a group
**     built) gives up, and the order is worked out again on this thread.
*/
#include "eval.h"
#include "ranksort.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Key e of every row, encoded for rank_sort_encoded into out[row * stride];
** false when a value does not fit 64 bits. *last_free: the key is the table
** key ascending, which the final tie order repeats. */
static bool encode_key64(Eval *ev, Expr *e, bool desc, int64_t *out, size_t stride, bool *last_free)
{
    int32_t n = ev->nrows, rows[EVAL_BATCH];
    Value v[EVAL_BATCH];
    BaseType type = e->bound->type.base;
    uint32_t *ids =
        type == T_TEXT ? ev_alloc_unset(ev, sizeof(uint32_t) * (size_t)(n ? n : 1)) : NULL;
    bool fits = true;
    for (int32_t start = 0; start < n && fits; start += EVAL_BATCH) {
        int b = eval_batch_rows(start, n, rows);
        eval_vec(ev, e, rows, b, NULL, v);
        for (int i = 0; i < b && fits; i++) {
            int64_t *o = &out[(size_t)(start + i) * stride];
            if (ids)
                ids[start + i] = v[i].null ? INTERN_NONE : v[i].t;
            else if (v[i].null)
                *o = RANK_ABSENT;
            else if (type == T_NUM)
                fits = rank_key_fits(v[i].n, desc, o);
            else
                *o = type == T_DATE ? (desc ? -(int64_t)v[i].d : v[i].d) : 0;
        }
    }
    *last_free = false;
    if (ids) {
        const uint32_t *key = ev->m->assessed->key_text;
        bool by_pos = true;
        for (int32_t row = 0; row < n && by_pos; row++)
            by_pos = ids[row] == key[row];
        uint32_t *rank = by_pos ? NULL : rank_text_ranks(ev->m, ids, n);
        for (int32_t row = 0; row < n; row++) {
            int64_t x = by_pos ? (int64_t)key_pos(ev, row) : (int64_t)rank[ids[row]];
            out[(size_t)row * stride] = ids[row] == INTERN_NONE ? RANK_ABSENT : desc ? -x : x;
        }
        *last_free = by_pos && !desc;
        free(rank);
        ev_free(ev, ids);
    }
    return fits;
}

/* Is the key the assessed table's text key ascending, which the final tie
** order repeats? (Keys of whole numbers are ordered as numbers, the tie
** order as texts.) */
static bool is_tie_order(const Model *m, const OrderKey *key)
{
    const Bound *b = key->e->bound;
    const Column *k = m->assessed->cols[m->assessed->key_col];
    return !key->desc && b->kind == B_COL && b->npath == 1 && b->path[0] == k &&
           k->kind == COL_TEXT;
}

/* The rank order from keys encoded in 64 bits; NULL when one does not fit. */
static int32_t *rank_order64(Eval *ev, const int32_t *gid, int32_t ngroups)
{
    Decl *gd = ev->m->grades_decl;
    int nk = gd->order.n;
    /* "..., person_id asc" last is left to the tie order: not encoded. */
    if (nk > 0 && is_tie_order(ev->m, gd->order.items[nk - 1])) nk--;
    size_t nn = (size_t)(ev->nrows ? ev->nrows : 1);
    /* Unset: encode_key64 writes every row of each key (or gives up). */
    int64_t *first = nk ? ev_alloc_unset(ev, sizeof(int64_t) * nn) : NULL;
    int nmore = nk > 1 ? nk - 1 : 0;
    int64_t *more = nmore ? ev_alloc_unset(ev, sizeof(int64_t) * nn * (size_t)nmore) : NULL;
    bool ok = true, last_free = false;
    for (int k = 0; k < nk && ok; k++) {
        OrderKey *key = gd->order.items[k];
        ok = k == 0
                 ? encode_key64(ev, key->e, key->desc, first, 1, &last_free)
                 : encode_key64(ev, key->e, key->desc, more + (k - 1), (size_t)nmore, &last_free);
    }
    /* "..., person_id asc" last: the final tie order says the same (one key
    ** stored per row then, not two, when it is the second). */
    if (ok && last_free && nk == 2) nmore = 0;
    int32_t *perm = NULL;
    if (ok) {
        perm = ev_alloc_unset(ev, sizeof(int32_t) * nn); /* a permutation: every slot set */
        rank_sort_encoded(first, more, nmore, gid, ngroups, ev->key_rank, ev->nrows, perm);
    }
    ev_free(ev, first);
    ev_free(ev, more);
    return perm;
}

/* The rank order: persons by group, then by the declared keys, ties by
** the table key. */
static int32_t *rank_order(Eval *ev, const int32_t *gid, int32_t ngroups)
{
    key_order(ev);
    int32_t *fast = rank_order64(ev, gid, ngroups);
    if (fast) return fast;
    Model *m = ev->m;
    int32_t n = ev->nrows;
    Decl *gd = m->grades_decl;
    int nk = gd->order.n;
    Value *keys = ev_alloc(ev, sizeof(Value) * (size_t)(nk ? nk : 1) * (size_t)(n ? n : 1));
    bool *desc = ev_alloc(ev, sizeof(bool) * (size_t)(nk ? nk : 1));
    BaseType *types = ev_alloc(ev, sizeof(BaseType) * (size_t)(nk ? nk : 1));
    int32_t rows[EVAL_BATCH];
    Value v[EVAL_BATCH];
    for (int k = 0; k < nk; k++) {
        Expr *e = ((OrderKey *)gd->order.items[k])->e;
        desc[k] = ((OrderKey *)gd->order.items[k])->desc;
        types[k] = e->bound->type.base;
        for (int32_t start = 0; start < n; start += EVAL_BATCH) {
            int b = eval_batch_rows(start, n, rows);
            eval_vec(ev, e, rows, b, NULL, v);
            for (int i = 0; i < b; i++) {
                if (types[k] != T_TEXT) v[i].t = 0;
                keys[(size_t)(start + i) * nk + k] = v[i];
            }
        }
    }
    int32_t *perm = ev_alloc(ev, sizeof(int32_t) * (size_t)(n ? n : 1));
    key_order(ev);
    RankSpec spec = {m, keys, types, desc, nk, gid, ngroups, ev->key_rank};
    rank_sort(&spec, n, perm);
    ev_free(ev, keys);
    ev_free(ev, desc);
    ev_free(ev, types);
    return perm;
}

/* Below this many persons a thread costs more than the overlap saves. */
#define RANK_JOB_MIN_ROWS 65536

enum { JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_SHARED };

struct RankJob {
    Eval ev; /* a copy: its own diagnostics, allocations, error exits */
    Diags diags;
    jmp_buf exit;
    const int32_t *gid;
    int32_t ngroups;
    int32_t *perm;
    bool started; /* a thread runs or ran the job, and is not joined yet */
    pthread_t thread;
    int status;
};

static void *rank_thread(void *arg)
{
    RankJob *j = arg;
    int code = setjmp(j->exit);
    if (code == 0) {
        j->perm = rank_order(&j->ev, j->gid, j->ngroups);
        j->status = JOB_DONE;
    } else {
        j->status = code == 2 ? JOB_SHARED : JOB_FAILED;
    }
    return NULL;
}

RankJob *rank_begin(Eval *ev, const int32_t *gid, int32_t ngroups)
{
    key_order(ev); /* shared state: built here, only read by the job */
    RankJob *j = xcalloc(1, sizeof *j);
    eval_fork(&j->ev, ev, &j->diags, &j->exit, true);
    j->gid = gid;
    j->ngroups = ngroups;
    j->status = JOB_RUNNING;
    j->started =
        ev->nrows >= RANK_JOB_MIN_ROWS && pthread_create(&j->thread, NULL, rank_thread, j) == 0;
    if (!j->started) j->status = JOB_SHARED; /* ranked on this thread, in rank_end */
    return j;
}

static void rank_join(RankJob *j)
{
    if (j->started) pthread_join(j->thread, NULL);
    j->started = false;
}

int32_t *rank_end(Eval *ev, RankJob *j)
{
    rank_join(j);
    if (j->status == JOB_DONE) return j->perm;
    if (j->status == JOB_FAILED) {
        diags_merge(ev->d, &j->diags, true);
        longjmp(*ev->on_error, 1);
    }
    j->perm = rank_order(ev, j->gid, j->ngroups);
    j->status = JOB_SHARED;
    return j->perm;
}

void rank_free(Eval *ev, RankJob *j)
{
    if (!j) return;
    rank_join(j);
    if (j->status != JOB_DONE) ev_free(ev, j->perm); /* made on this thread */
    eval_free_all(&j->ev);                           /* the job's, its order among them */
    diags_free(&j->diags);
    free(j);
}
