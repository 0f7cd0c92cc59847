/*
** keyorder.c — the assessed rows in the order of their keys, worked out once
** per run: results are written in this order and grading breaks ties by it.
** Exports usually list persons sorted already, so a linear check comes
** before any sorting, and sorted rows need no permutation arrays at all.
*/
#include "eval.h"

#include <stdlib.h>

static int key_cmp(const void *pa, const void *pb, void *arg)
{
    const Model *m = arg;
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return value_cmp_text(m, m->assessed->key_text[a], m->assessed->key_text[b]);
}

void key_order(Eval *ev)
{
    if (ev->key_order_known) return;
    eval_shared_init(ev);
    Model *m = ev->m;
    int32_t n = ev->nrows;
    const uint32_t *key = m->assessed->key_text;
    ev->key_order_known = true;
    bool sorted = true;
    for (int32_t i = 1; i < n && sorted; i++)
        sorted = value_cmp_text(m, key[i - 1], key[i]) < 0;
    if (sorted) return;
    size_t nn = (size_t)(n ? n : 1);
    ev->by_key = ev_alloc(ev, nn * sizeof(int32_t));
    ev->key_rank = ev_alloc(ev, nn * sizeof(int32_t));
    for (int32_t i = 0; i < n; i++)
        ev->by_key[i] = i;
    qsort_r(ev->by_key, (size_t)n, sizeof(int32_t), key_cmp, m);
    for (int32_t i = 0; i < n; i++)
        ev->key_rank[ev->by_key[i]] = i;
}
