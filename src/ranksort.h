/*
** ranksort.h — the order in which grades are handed out: by grading group,
** then by the declared keys (absent values last whatever the direction),
** then by the table key ascending.
*/
#ifndef KP_RANKSORT_H
#define KP_RANKSORT_H

#include "model.h"

typedef struct RankSpec {
    const Model *m;
    const Value *keys;     /* nkeys per row, row-major, as eval_vec gives them */
    const BaseType *types; /* of each key */
    const bool *desc;      /* of each key */
    int nkeys;
    const int32_t *gid; /* grading group of each row; NULL: one group */
    int32_t ngroups;
    const int32_t *kpos; /* position of each row in key order; NULL: the row itself */
} RankSpec;

/* The rule itself, for two rows: <0, 0 or >0. */
int rank_cmp(const RankSpec *s, int32_t a, int32_t b);
/* perm[0..n) = the rows in that order. The keys are turned into one integer
** each first (text by its rank among the texts present), so sorting never
** reads the Values or the strings again; the order is the one of rank_cmp. */
void rank_sort(const RankSpec *s, int32_t n, int32_t *perm);

#endif
