/*
** test_fastpath.c — the fast paths pinned to the general ones they stand in
** for: the rank sort (ranksort.c) against the comparison rule on random keys,
** and the typed list aggregates, related-row and group aggregates, filters
** and grade conditions against the same expressions made to take the general
** path (a division by 1 makes an expression fallible, which the fast paths
** leave alone): the same values, and the same first runtime error.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "kp_test_util.h"
#include "ranksort.h"

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- the rank sort ---- */

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static int key_text_cmp(const void *pa, const void *pb, void *m)
{
    return value_cmp_text(m, *(const uint32_t *)pa, *(const uint32_t *)pb);
}

static const RankSpec *rule_spec;

static int rule_cmp(const void *pa, const void *pb)
{
    return rank_cmp(rule_spec, *(const int32_t *)pa, *(const int32_t *)pb);
}

/* Random keys of every type, with absent values and many ties; the table
** key as a key in some trials (its order is then the row positions). */
static Value random_key(BaseType t, uint32_t *s, const uint32_t *words)
{
    Value v = {0};
    if (rnd(s) % 5 == 0) {
        v.null = true;
        return v;
    }
    int64_t x = (int64_t)(rnd(s) % 7) - 3;
    switch (t) {
    case T_NUM: v.n = rnd(s) % 9 == 0 ? dec_from_int(x * 1000000000000LL) : x * DEC_ONE / 4; break;
    case T_DATE: v.d = (int32_t)x * 400; break;
    case T_BOOL: v.b = x > 0; break;
    default: v.t = words[rnd(s) % 6]; break;
    }
    return v;
}

Test(fastpath, rank_sort_orders_as_the_rule)
{
    Model m = {0};
    intern_init(&m.own_strings);
    m.strings = &m.own_strings;
    const char *ws[] = {"A", "AB", "B", "甲", "乙", "b"};
    uint32_t words[6];
    for (int i = 0; i < 6; i++)
        words[i] = intern_put(m.strings, ws[i], strlen(ws[i]));
    uint32_t seed = 12345;
    int encoded_trials = 0;
    for (int trial = 0; trial < 200; trial++) {
        int32_t n = 1 + (int32_t)(rnd(&seed) % 400);
        int nk = (int)(rnd(&seed) % 4);
        int32_t ng = 1 + (int32_t)(rnd(&seed) % 5);
        bool by_key = rnd(&seed) % 3 == 0, shuffled = rnd(&seed) % 2;
        Table t = {0};
        t.key_text = malloc(sizeof(uint32_t) * (size_t)n);
        int32_t *gid = malloc(sizeof(int32_t) * (size_t)n), *kpos = NULL;
        for (int32_t r = 0; r < n; r++) {
            char key[16];
            int32_t k = shuffled ? (int32_t)(rnd(&seed) % 100000) * 1000 + r : r;
            snprintf(key, sizeof key, "P%08d", k);
            t.key_text[r] = intern_put(m.strings, key, strlen(key));
            gid[r] = (int32_t)(rnd(&seed) % (uint32_t)ng);
        }
        m.assessed = &t;
        if (shuffled) { /* the key order, as keyorder.c gives it */
            uint32_t *ids = malloc(sizeof(uint32_t) * (size_t)n);
            memcpy(ids, t.key_text, sizeof(uint32_t) * (size_t)n);
            qsort_r(ids, (size_t)n, sizeof(uint32_t), key_text_cmp, &m);
            kpos = malloc(sizeof(int32_t) * (size_t)n);
            for (int32_t i = 0; i < n; i++)
                for (int32_t r = 0; r < n; r++)
                    if (t.key_text[r] == ids[i]) kpos[r] = i;
            free(ids);
        }
        BaseType types[3];
        bool desc[3];
        Value *keys = calloc((size_t)n * (size_t)(nk ? nk : 1), sizeof(Value));
        for (int k = 0; k < nk; k++) {
            types[k] = (BaseType)(T_NUM + rnd(&seed) % 4);
            desc[k] = rnd(&seed) % 2;
            bool table_key = by_key && k == 0 && types[k] == T_TEXT;
            for (int32_t r = 0; r < n; r++) {
                Value v = random_key(types[k], &seed, words);
                if (table_key) v = (Value){.t = t.key_text[r]};
                keys[(size_t)r * nk + k] = v;
            }
        }
        RankSpec spec = {&m, keys, types, desc, nk, trial % 7 ? gid : NULL, ng, kpos};
        int32_t *fast = malloc(sizeof(int32_t) * (size_t)n),
                *rule = malloc(sizeof(int32_t) * (size_t)n);
        for (int32_t r = 0; r < n; r++)
            rule[r] = r;
        rule_spec = &spec;
        qsort(rule, (size_t)n, sizeof(int32_t), rule_cmp);
        /* The same keys encoded in 64 bits, as grading encodes them, when
        ** they fit (grading sorts the Values otherwise). */
        bool fits = true;
        int64_t *enc = calloc((size_t)n * (size_t)(nk ? nk : 1), sizeof(int64_t));
        for (int k = 0; k < nk; k++) {
            uint32_t *ids = calloc((size_t)n, sizeof(uint32_t)), *rank = NULL;
            for (int32_t r = 0; r < n; r++)
                if (types[k] == T_TEXT && !keys[(size_t)r * nk + k].null)
                    ids[r] = keys[(size_t)r * nk + k].t;
            bool table_key = by_key && k == 0 && types[k] == T_TEXT;
            if (types[k] == T_TEXT && !table_key) rank = rank_text_ranks(&m, ids, n);
            for (int32_t r = 0; r < n; r++) {
                const Value *v = &keys[(size_t)r * nk + k];
                int64_t *o = &enc[(size_t)k * (size_t)n + (size_t)r], x = 0;
                if (v->null) {
                    *o = RANK_ABSENT;
                    continue;
                }
                if (types[k] == T_NUM) {
                    fits &= rank_key_fits(v->n, desc[k], o);
                    continue;
                }
                if (table_key) x = kpos ? kpos[r] : r;
                if (rank) x = rank[ids[r]];
                if (types[k] == T_DATE) x = v->d;
                *o = desc[k] ? -x : x;
            }
            free(rank);
            free(ids);
        }
        /* other keys row-major, as rank_sort_encoded reads them */
        int nmore = nk > 1 ? nk - 1 : 0;
        int64_t *more = calloc((size_t)n * (size_t)(nmore ? nmore : 1), sizeof(int64_t));
        for (int k = 1; k < nk; k++)
            for (int32_t r = 0; r < n; r++)
                more[(size_t)r * nmore + (k - 1)] = enc[(size_t)k * (size_t)n + (size_t)r];
        if (fits) {
            rank_sort_encoded(nk ? enc : NULL, more, nmore, trial % 7 ? gid : NULL, ng, kpos, n,
                              fast);
            for (int32_t i = 0; i < n; i++)
                cr_assert_eq(fast[i], rule[i], "trial %d (64-bit keys): position %d of %d", trial,
                             i, n);
            encoded_trials++;
        }
        free(more);
        free(enc);
        free(fast);
        free(rule);
        free(keys);
        free(kpos);
        free(gid);
        free(t.key_text);
    }
    cr_expect_gt(encoded_trials, 50, "too few trials had keys that fit 64 bits");
    intern_free(&m.own_strings);
}

/* ---- typed expressions against the general path ---- */

/* Field `col` (0-based) of CSV line `line` (0 = header) of text. */
static void field(const char *text, int line, int col, char *out, size_t cap)
{
    const char *p = text;
    for (int l = 0; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    cr_assert(p && *p, "no line %d", line);
    for (int c = 0; c < col; c++) {
        p = strpbrk(p, ",\n");
        cr_assert(p && *p == ',', "no field %d on line %d", col, line);
        p++;
    }
    size_t len = strcspn(p, ",\n");
    cr_assert_lt(len, cap);
    memcpy(out, p, len);
    out[len] = 0;
}

#define LIST_PERSONS                                                                               \
    "pid,q1,q2,q3,a,b,c\n"                                                                         \
    "P1,好,好,差,1,2,3\n"                                                                       \
    "P2,,中,好,-1.5,,4\n"                                                                        \
    "P3,,,,,,\n"                                                                                   \
    "P4,差,差,差,2,2,2\n"

Test(fastpath, list_aggregates_agree_with_the_general_path)
{
    /* each pair: the typed form, then the same made fallible */
    KtResult r = kt_run(
        "table persons key pid { q1, q2, q3: enum[\"好\", \"中\", \"差\"]?  a, b, c: decimal? }\n"
        "assess persons\n"
        "indicator t1 = count([q1, q2, q3] == \"好\")\n"
        "indicator g1 = count([q1, q2, q3] == (if 1 / 1 == 1 then \"好\" else \"差\"))\n"
        "indicator t2 = count(1 < [a, b, c])\n"
        "indicator g2 = count(1 / 1 < [a, b, c])\n"
        "indicator t3 = sum([a, b, c])\n"
        "indicator g3 = sum([a, b, c] / 1)\n"
        "indicator t4 = coalesce(avg([a, b, c]), -99)\n"
        "indicator g4 = coalesce(avg([a, b, c] / 1), -99)\n"
        "indicator t5 = coalesce(min([a, b, c]), -99)\n"
        "indicator g5 = coalesce(min([a, b, c] / 1), -99)\n"
        "indicator t6 = coalesce(max([a, b, c]), -99)\n"
        "indicator g6 = coalesce(max([a, b, c] / 1), -99)\n"
        "indicator t7 = if any([q1, q2, q3] != \"差\") then 1 else 0\n"
        "indicator g7 = if any([q1, q2, q3] != (if 1 / 1 == 1 then \"差\" else \"好\")) then 1 "
        "else "
        "0\n"
        "indicator t8 = if all([a, b, c] >= 2) then 1 else 0\n"
        "indicator g8 = if all([a, b, c] >= 2 / 1) then 1 else 0\n"
        "indicator t9 = if coalesce(a, 0) > 0 then count([q1, q2] == \"好\") else 7\n"
        "indicator g9 = if coalesce(a, 0) > 0 then count([q1, q2] == (if 1 / 1 == 1 then \"好\" "
        "else \"差\")) "
        "else 7\n"
        "indicator t10 = count([q1, q2, q3] != \"好\")\n"
        "indicator g10 = count([q1, q2, q3] != (if 1 / 1 == 1 then \"好\" else \"差\"))\n"
        "indicator t11 = count(\"好\" == [q1, q2, q3])\n"
        "indicator g11 = count((if 1 / 1 == 1 then \"好\" else \"差\") == [q1, q2, q3])\n",
        FILES("persons.csv", LIST_PERSONS), NULL);
    cr_assert_eq(r.stage, KT_OK, "%s", r.diags);
    for (int line = 1; line <= 4; line++)
        for (int k = 0; k < 11; k++) {
            char t[64], g[64];
            field(r.out, line, 1 + 2 * k, t, sizeof t);
            field(r.out, line, 2 + 2 * k, g, sizeof g);
            cr_expect_str_eq(t, g, "line %d, pair %d", line, k + 1);
        }
    /* worked out by hand: P2 has q2 中 and q3 好; a -1.5, b absent, c 4 */
    cr_expect_str_eq(
        r.out, "pid,t1,g1,t2,g2,t3,g3,t4,g4,t5,g5,t6,g6,t7,g7,t8,g8,t9,g9,t10,g10,t11,g11,"
               "score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
               "P1,2,2,2,2,6,6,2,2,1,1,3,3,1,1,0,0,2,2,1,1,2,2,44,0,0,44,,,\n"
               "P2,1,1,1,1,2.5,2.5,1.25,1.25,-1.5,-1.5,4,4,1,1,0,0,7,7,1,1,1,1,36.5,0,0,36.5,,,"
               "\n"
               "P3,0,0,0,0,0,0,-99,-99,-99,-99,-99,-99,0,0,1,1,7,7,0,0,0,0,-578,0,0,-578,,,\n"
               "P4,0,0,3,3,6,6,2,2,2,2,2,2,0,0,1,1,0,0,3,3,0,0,38,0,0,38,,,\n");
    kt_free(&r);
}

typedef struct Pair {
    const char *fast, *general, *csv, *want;
} Pair;

static void expect_same_error(const Pair *p)
{
    KtResult f = kt_run(p->fast, FILES("persons.csv", p->csv), NULL);
    kt_expect_error(f, KT_RUN_FAILED, p->want);
    KtResult g = kt_run(p->general, FILES("persons.csv", p->csv), NULL);
    kt_expect_error(g, KT_RUN_FAILED, p->want);
    kt_free(&f);
    kt_free(&g);
}

#define HEAD                                                                                       \
    "table persons key pid { s: decimal  a, b: decimal?  f: bool?  g: text }\nassess persons\n"

Test(fastpath, list_sum_overflow_names_the_first_person)
{
    Pair p = {HEAD "indicator x = sum([a, b, 1])\n", HEAD "indicator x = sum([a, b, 1] / 1)\n",
              "pid,s,a,b,f,g\nP1,1,1,2,,A\nP2,1,,,,A\n"
              "P3,1,100000000000000000000000000,100000000000000000000000000,,A\n"
              "P4,1,100000000000000000000000000,100000000000000000000000000,,A\n",
              "arithmetic overflow (persons P3)"};
    expect_same_error(&p);
}

Test(fastpath, group_filter_absent_names_the_first_person)
{
    Pair p = {HEAD "group G = persons by g\nindicator x = count(G where f) + sum(G.a where f)\n",
              HEAD "group G = persons by g\n"
                   "indicator x = count(G where f and 1 / 1 == 1) + sum(G.a where f)\n",
              "pid,s,a,b,f,g\nP1,1,1,2,true,A\nP2,1,,,false,B\nP3,1,5,,,A\nP4,1,,,,B\n",
              "the filter is empty (it uses a value that is absent) (persons P3)"};
    expect_same_error(&p);
}

Test(fastpath, group_filter_and_argument_values)
{
    KtResult r = kt_run(HEAD "group G = persons by g\n"
                             "indicator n = count(G where f)\n"
                             "indicator t = sum(G.a where f)\n"
                             "indicator m = coalesce(max(G.b where coalesce(a, 0) > 0), -1)\n"
                             "indicator v = coalesce(avg(G.a), -1)\n",
                        FILES("persons.csv", "pid,s,a,b,f,g\nP1,1,1,2,true,A\nP2,1,,7,false,B\n"
                                             "P3,1,5,,true,A\nP4,1,3,4,false,B\n"),
                        NULL);
    kt_expect_csv(r, "pid,n,t,m,v,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,2,6,2,3,13,0,0,13,,,\n"
                     "P2,0,0,4,3,7,0,0,7,,,\n"
                     "P3,2,6,2,3,13,0,0,13,,,\n"
                     "P4,0,0,4,3,7,0,0,7,,,\n");
    kt_free(&r);
}

Test(fastpath, absent_truth_column_in_a_condition)
{
    Pair p = {HEAD "indicator x = if f then 1 else 0\n",
              HEAD "indicator x = if f and 1 / 1 == 1 then 1 else 0\n",
              "pid,s,a,b,f,g\nP1,1,1,2,true,A\nP2,1,,,false,B\nP3,1,,,,A\n",
              "the condition of 'if' is empty (it uses a value that is absent) (persons P3)"};
    expect_same_error(&p);
}

/* A grade's condition is only a question for those who reach it: P1's
** absent f is never asked, P4's is, in rank order after P2 and P3. */
Test(fastpath, grade_condition_absent_only_where_reached)
{
    const char *ok = HEAD "indicator 分 = s\n"
                          "grades by total desc { 优秀 when total >= 90\n 合格 when f\n 不合格 }\n";
    KtResult r = kt_run(ok,
                        FILES("persons.csv", "pid,s,a,b,f,g\nP1,95,,,,A\nP2,50,,,true,A\n"
                                             "P3,40,,,false,A\n"),
                        NULL);
    kt_expect_csv(r, "pid,分,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,95,95,0,0,95,,优秀,1\n"
                     "P2,50,50,0,0,50,,合格,2\n"
                     "P3,40,40,0,0,40,,不合格,3\n");
    kt_free(&r);
    Pair p = {ok,
              HEAD "indicator 分 = s\n"
                   "grades by total desc { 优秀 when total >= 90\n 合格 when f and 1 / 1 == 1\n"
                   " 不合格 }\n",
              "pid,s,a,b,f,g\nP1,95,,,,A\nP2,50,,,true,A\nP3,60,,,false,A\nP4,10,,,,A\nP5,5,,,,A\n",
              "the grade's condition is empty (it uses a value that is absent) (persons P4)"};
    expect_same_error(&p);
}

/* Enough rows for the groups to be sorted on two threads: the same order. */
Test(fastpath, rank_sort_of_many_rows_orders_as_the_rule)
{
    Model m = {0};
    intern_init(&m.own_strings);
    m.strings = &m.own_strings;
    int32_t n = 100000, ng = 7;
    uint32_t seed = 99;
    Value *keys = calloc((size_t)n, sizeof(Value));
    int64_t *enc = malloc(sizeof(int64_t) * (size_t)n);
    int32_t *gid = malloc(sizeof(int32_t) * (size_t)n);
    BaseType types[1] = {T_NUM};
    bool desc[1] = {true};
    for (int32_t r = 0; r < n; r++) {
        gid[r] = (int32_t)(rnd(&seed) % (uint32_t)ng);
        if (rnd(&seed) % 50 == 0) {
            keys[r].null = true;
            enc[r] = RANK_ABSENT;
        } else {
            keys[r].n = (Dec)(rnd(&seed) % 1000) * DEC_ONE / 8; /* many ties */
            cr_assert(rank_key_fits(keys[r].n, true, &enc[r]));
        }
    }
    RankSpec spec = {&m, keys, types, desc, 1, gid, ng, NULL};
    int32_t *fast = malloc(sizeof(int32_t) * (size_t)n),
            *rule = malloc(sizeof(int32_t) * (size_t)n);
    for (int32_t r = 0; r < n; r++)
        rule[r] = r;
    rule_spec = &spec;
    qsort(rule, (size_t)n, sizeof(int32_t), rule_cmp);
    rank_sort_encoded(enc, NULL, 0, gid, ng, NULL, n, fast);
    for (int32_t i = 0; i < n; i++)
        cr_assert_eq(fast[i], rule[i], "position %d", i);
    free(fast);
    free(rule);
    free(gid);
    free(enc);
    free(keys);
    intern_free(&m.own_strings);
}
