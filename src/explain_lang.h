/*
** explain_lang.h — every phrase of a rendered explanation, in Chinese and in
** English, in one table (explain_lang.c). A phrase with arguments names them
** {1}, {2} ... (see explain_tpl); all arguments are already text.
*/
#ifndef KP_EXPLAIN_LANG_H
#define KP_EXPLAIN_LANG_H

#include "explain.h"

typedef struct Phrases {
    /* header */
    const char *title, *data_line, *scheme_line, *result_line;
    /* sections */
    const char *sec_indicators, *sec_lets, *sec_bonus, *sec_penalty, *sec_total, *sec_vetoes,
        *sec_elig, *sec_grade;
    /* formulas */
    const char *formula, *condition, *input, *if_holds, *if_fails, *set_by_option;
    /* indicators */
    const char *ind_weight, *ind_weight_named, *ind_counts, *score_name, *when_holds, *when_fails,
        *otherwise, *score_line;
    /* bonus, penalty, total */
    const char *cap_ok, *cap_cut, *bonus_total, *penalty_total, *items_sum, *items_cap_ok,
        *items_cap_cut, *total_base, *adjust, *adjust_applied, *adjust_skipped, *total_line;
    /* vetoes, eligibility */
    const char *veto_fired, *veto_quiet, *effect_force, *effect_cap, *effect_ungraded, *eligible,
        *not_eligible, *part_holds, *part_fails, *part_skipped;
    /* grading */
    const char *no_grades, *group_line, *all_line, *order_line, *desc, *asc, *rank_line,
        *override_line, *quota_line, *quota_used, *steps, *step_capped, *step_when_false,
        *step_not_elig, *step_quota_full, *step_given, *grade_line;
    /* the one sentence of why */
    const char *sum_no_grades, *sum_forced, *sum_ungraded, *sum_override, *sum_override_quota,
        *sum_override_ignored, *sum_rank_group, *sum_rank_all, *sum_quota, *sum_quota_full,
        *sum_within, *sum_within_elig, *sum_within_not_elig, *sum_not_elig, *sum_capped, *sum_holds,
        *sum_fails, *sum_given, *sum_sep, *sum_end;
    /* values */
    const char *yes, *no, *empty, *everyone, *list_sep;
} Phrases;

const Phrases *explain_phrases(XLang lang);

/* Appends tpl with {1} ... {9} replaced by args[0] ... (missing ones empty). */
void explain_tpl(Buf *b, const char *tpl, const char *const *args, int nargs);

#endif
