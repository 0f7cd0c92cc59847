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
/* perm[0..n) = the rows in that order, sorted by rank_cmp itself: for keys
** that rank_sort_encoded cannot take. */
void rank_sort(const RankSpec *s, int32_t n, int32_t *perm);

/* The same order from keys already encoded as 64-bit integers that order
** the same way (RANK_ABSENT for an absent value, the sign flipped for a
** descending key): first[row], and the other keys in more[row * nmore + j].
** It serves whenever every key fits (rank_key_fits). */
#define RANK_ABSENT INT64_MAX
void rank_sort_encoded(const int64_t *first, const int64_t *more, int nmore, const int32_t *gid,
                       int32_t ngroups, const int32_t *kpos, int32_t n, int32_t *perm);
/* The encoding of a present value x (a number, a date, a text's rank) of a
** key; false when it does not fit 64 bits. */
bool rank_key_fits(Dec x, bool desc, int64_t *out);
/* rank[id] (1-based) of each text in ids[0..n) among those texts, by
** value_cmp_text; INTERN_NONE entries are skipped. Free with free(). */
uint32_t *rank_text_ranks(const Model *m, const uint32_t *ids, int32_t n);

#endif
