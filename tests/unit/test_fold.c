/*
** test_fold.c — aggregates over an event table folded while it loads
** (fold.c), in particular filters answered by a lookup per value of one
** coded column: each count here is worked out by hand from the rows.
*/
#include "kp_test_util.h"

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define SETS(...)  ((const char *const[]){__VA_ARGS__, NULL})

static const char *const scheme =
    "param 目标: text = \"优质\"\n"
    "table persons key pid { }\n"
    "table cases key cid { handler -> persons  review: enum[\"优质\", \"合格\", \"瑕疵\"]  ok: "
    "bool }\n"
    "assess persons\n"
    "indicator a = count(cases where review == 目标)\n"
    "indicator b = count(cases where review != \"优质\")\n"
    "indicator c = count(cases where review in [\"合格\", \"瑕疵\"])\n"
    "indicator d = count(cases where not ok)\n"
    "indicator e = count(cases where ok == true)\n"
    "indicator f = count(cases where review == \"优质\" or review == \"瑕疵\")\n"
    "indicator g = count(cases where not (review in [\"优质\"]))\n"
    "indicator h = count(cases where review == \"优质\" and ok)\n";

static const char *const cases_csv = "cid,handler,review,ok\n"
                                     "C1,P1,优质,是\n"
                                     "C2,P1,合格,否\n"
                                     "C3,P1,瑕疵,是\n"
                                     "C4,P2,优质,否\n"
                                     "C5,P2,优质,是\n";

Test(fold, filters_on_one_coded_column_count_as_written)
{
    KtResult r =
        kt_run(scheme, FILES("persons.csv", "pid\nP1\nP2\nP3\n", "cases.csv", cases_csv), NULL);
    kt_expect_csv(r, "pid,a,b,c,d,e,f,g,h,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,1,2,2,1,2,2,2,1,13,0,0,13,,,\n"
                     "P2,2,0,0,1,1,2,0,1,7,0,0,7,,,\n"
                     "P3,0,0,0,0,0,0,0,0,0,0,0,0,,,\n");
    kt_free(&r);
}

/* The lookup is worked out when the table loads, after --set. */
Test(fold, a_param_in_the_filter_takes_its_set_value)
{
    KtResult r = kt_run(scheme, FILES("persons.csv", "pid\nP1\nP2\n", "cases.csv", cases_csv),
                        SETS("目标=合格"));
    kt_expect_csv(r, "pid,a,b,c,d,e,f,g,h,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,1,2,2,1,2,2,2,1,13,0,0,13,,,\n"
                     "P2,0,0,0,1,1,2,0,1,5,0,0,5,,,\n");
    kt_free(&r);
}

Test(fold, an_empty_coded_cell_in_a_filter_names_the_data_line)
{
    KtResult r =
        kt_run("table persons key pid { }\n"
               "table cases key cid { handler -> persons  review: enum[\"优质\", \"合格\"]? }\n"
               "assess persons\n"
               "indicator n = count(cases where review == \"优质\")\n",
               FILES("persons.csv", "pid\nP1\n", "cases.csv",
                     "cid,handler,review\nC1,P1,优质\nC2,P1,合格\nC3,P1,\n"),
               NULL);
    char want[4200];
    snprintf(want, sizeof want,
             "the filter is empty (it uses a value that is absent) (%s/cases.csv:4)", r.dir);
    kt_expect_error(r, KT_RUN_FAILED, want);
    kt_free(&r);
}

Test(fold, an_empty_bool_cell_in_a_filter_names_the_data_line)
{
    KtResult r = kt_run("table persons key pid { }\n"
                        "table cases key cid { handler -> persons  ok: bool? }\n"
                        "assess persons\n"
                        "indicator n = count(cases where not ok)\n",
                        FILES("persons.csv", "pid\nP1\n", "cases.csv",
                              "cid,handler,ok\nC1,P1,是\nC2,P1,\nC3,P1,否\n"),
                        NULL);
    char want[4200];
    snprintf(want, sizeof want,
             "the filter is empty (it uses a value that is absent) (%s/cases.csv:3)", r.dir);
    kt_expect_error(r, KT_RUN_FAILED, want);
    kt_free(&r);
}

/* A row whose reference is empty is not folded, so its filter is never
** asked; a lookup filter also narrows what sum adds up. */
Test(fold, a_row_without_a_parent_is_skipped_before_its_filter)
{
    KtResult r =
        kt_run("table persons key pid { }\n"
               "table cases key cid { handler -> persons?  review: enum[\"优质\", \"合格\"]?"
               "  pts: decimal }\n"
               "assess persons\n"
               "indicator n = count(cases where review == \"优质\")\n"
               "indicator s = sum(cases, pts where review != \"合格\")\n",
               FILES("persons.csv", "pid\nP1\n", "cases.csv",
                     "cid,handler,review,pts\nC1,P1,优质,1.5\nC2,,,7\nC3,P1,合格,4\n"
                     "C4,P1,优质,2\n"),
               NULL);
    kt_expect_csv(r, "pid,n,s,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,2,3.5,5.5,0,0,5.5,,,\n");
    kt_free(&r);
}

/* A case's handler is looked for first among the next few persons after
** the last one referenced, then in the key index: handlers that skip
** persons, go back, jump past the look-ahead or differ only in their last
** character all find their own rows. */
Test(fold, references_that_skip_rows_find_their_rows)
{
    KtResult r =
        kt_run("table persons key pid { }\n"
               "table cases key cid { handler -> persons }\n"
               "assess persons\n"
               "indicator n = count(cases)\n",
               FILES("persons.csv", "pid\nP1\nP2\nP3\nP4\nP5\nP6\nP7\nP8\nP9\n", "cases.csv",
                     "cid,handler\nC1,P1\nC2,P1\nC3,P3\nC4,P6\nC5,P8\nC6,P2\nC7,P9\n"
                     "C8,P9\nC9,P1\nC10,P7\nC11,P4\n"),
               NULL);
    kt_expect_csv(r, "pid,n,score,bonus_total,penalty_total,total,vetoes,grade,rank\n"
                     "P1,3,3,0,0,3,,,\n"
                     "P2,1,1,0,0,1,,,\n"
                     "P3,1,1,0,0,1,,,\n"
                     "P4,1,1,0,0,1,,,\n"
                     "P5,0,0,0,0,0,,,\n"
                     "P6,1,1,0,0,1,,,\n"
                     "P7,1,1,0,0,1,,,\n"
                     "P8,1,1,0,0,1,,,\n"
                     "P9,2,2,0,0,2,,,\n");
    kt_free(&r);
}
