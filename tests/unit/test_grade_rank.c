/*
** test_grade_rank.c — with enough persons (65,536 and more) the rank order
** is worked out on a second thread while vetoes, eligibility and quotas are
** decided (grade_rank.c): the grades and ranks are those worked out here by
** hand, an error of the ranking is reported as it always was, and an error
** of the deciding steps comes first, as it would have in turn.
*/
#include "kp_test_util.h"

#include "buf.h"

#define N     70000
#define TEAMS 50

static int x_of(int i)
{
    return (i * 7) % 1000;
}

/* persons.csv: team i % TEAMS, x as above, q = 2 (so q / 2 is whole) unless
** odd_q. */
static char *persons_csv(bool odd_q)
{
    Buf b = {0};
    buf_puts(&b, "pid,team,x,q\n");
    for (int i = 0; i < N; i++)
        buf_printf(&b, "P%06d,T%02d,%d,%d\n", i, i % TEAMS, x_of(i), odd_q && i == 100 ? 1 : 2);
    return buf_take(&b);
}

static const char *const head = "table persons key pid { team: text  x: int  q: int }\n"
                                "assess persons\n"
                                "group 队 = persons by team\n"
                                "indicator s = x\n";

static int by_rank(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    if (x_of(a) != x_of(b)) return x_of(b) - x_of(a); /* x descending */
    return a - b;                                     /* then pid ascending */
}

Test(grade_rank, grades_and_ranks_of_many_persons, .timeout = 60)
{
    char *csv = persons_csv(false);
    Buf scheme = {0};
    buf_printf(&scheme, "%sgrades within 队 by s desc, pid asc {\n    优 quota q / 2\n    良\n}\n",
               head);
    KtResult r = kt_run(scheme.p, (const char *const[]){"persons.csv", csv, NULL}, NULL);
    cr_assert_eq(r.stage, KT_OK, "%s", r.diags);
    /* each team's persons in rank order: the first one gets 优 */
    static int rank[N];
    static int members[TEAMS][N / TEAMS];
    for (int i = 0; i < N; i++)
        members[i % TEAMS][i / TEAMS] = i;
    for (int t = 0; t < TEAMS; t++) {
        qsort(members[t], N / TEAMS, sizeof(int), by_rank);
        for (int k = 0; k < N / TEAMS; k++)
            rank[members[t][k]] = k + 1;
    }
    Buf want = {0};
    buf_puts(&want, "pid,s,score,bonus_total,penalty_total,total,vetoes,grade,rank\n");
    for (int i = 0; i < N; i++)
        buf_printf(&want, "P%06d,%d,%d,0,0,%d,,%s,%d\n", i, x_of(i), x_of(i), x_of(i),
                   rank[i] == 1 ? "优" : "良", rank[i]);
    size_t k = 0;
    while (r.out[k] && r.out[k] == want.p[k])
        k++;
    cr_expect(r.out[k] == want.p[k], "first difference at byte %zu: got \"%.60s\", want \"%.60s\"",
              k, r.out + k, want.p + k);
    kt_free(&r);
    free(csv);
    free(scheme.p);
    free(want.p);
}

/* Ranks by 100 / (x - 300), which divides by zero for P000900 (x = 300):
** the run fails with error msg and no other. odd_q: see persons_csv. */
static void expect_rank_run_error(bool odd_q, const char *msg)
{
    char *csv = persons_csv(odd_q);
    Buf scheme = {0};
    buf_printf(&scheme,
               "%sgrades within 队 by 100 / (x - 300) desc, pid asc {\n    优 quota q / 2\n    "
               "良\n}\n",
               head);
    KtResult r = kt_run(scheme.p, (const char *const[]){"persons.csv", csv, NULL}, NULL);
    kt_expect_error(r, KT_RUN_FAILED, msg);
    cr_expect_eq(r.nerrors, 1);
    kt_free(&r);
    free(csv);
    free(scheme.p);
}

/* The division by zero happens only in the ranking. */
Test(grade_rank, an_error_of_the_ranking_is_reported, .timeout = 60)
{
    expect_rank_run_error(false, "division by zero (persons P000900)");
}

/* The quota of P000100's team is not whole: that error is reported, not
** the ranking's, which the steps in turn would never have reached. */
Test(grade_rank, an_error_before_the_ranking_comes_first, .timeout = 60)
{
    expect_rank_run_error(true, "the quota of '优' must be a whole number of persons, not 0.5 "
                                "(round it with floor, round or ceil) (persons P000100)");
}
