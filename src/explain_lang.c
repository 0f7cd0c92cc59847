/*
** explain_lang.c — the phrases of explanations, Chinese and English, side by
** side in one place, so a wording is changed once for both renderers and the
** two languages stay in step (see explain_lang.h).
*/
#include "explain_lang.h"

#include <string.h>

static const Phrases zh = {
    .title = "考核结果说明: {1} {2}",
    .data_line = "数据: {1} 第 {2} 行",
    .scheme_line = "方案: {1} 版本 {2}",
    .result_line = "结论: {1}",

    .sec_indicators = "【指标】",
    .sec_lets = "【中间值】",
    .sec_bonus = "【加分】",
    .sec_penalty = "【减分】",
    .sec_total = "【总分】",
    .sec_vetoes = "【一票否决】",
    .sec_elig = "【资格条件】",
    .sec_grade = "【等次】",

    .formula = "公式: {1}",
    .condition = "条件: {1}",
    .input = "输入 {1}",
    .if_holds = "如果 {1}: 成立, 取\"那么\"",
    .if_fails = "如果 {1}: 不成立, 取\"否则\"",
    .set_by_option = " (--set)",

    .ind_weight = ", 权重 {1}",
    .ind_weight_named = ", 权重 {1} ({2})",
    .ind_counts = ", 计入{1} {2}",
    .score_name = "得分",
    .when_holds = "当 {1}: 成立",
    .when_fails = "当 {1}: 不成立",
    .otherwise = "否则: 以上条件都不成立",
    .score_line = "得分 = {1} = {2}",

    .cap_ok = "单项封顶 {1}: 原值 {2}, 未超过",
    .cap_cut = "单项封顶 {1}: 原值 {2}, 超过封顶, 按 {1} 计",
    .bonus_total = "加分合计",
    .penalty_total = "减分合计",
    .items_sum = "{1} = {2} (各项之和)",
    .items_cap_ok = "{1} = {2}: 各项之和 {3}, 未超过合计封顶 {4}",
    .items_cap_cut = "{1} = {2}: 各项之和 {3}, 超过合计封顶 {4}, 按 {4} 计",
    .total_base = "得分 {1} + 加分合计 {2} - 减分合计 {3} = {4}",
    .adjust = "调整 {1}",
    .adjust_applied = "总分 {1} → {2}",
    .adjust_skipped = "条件不成立, 总分不变: {1}",
    .total_line = "总分 = {1}",

    .veto_fired = "{1}: 触发, {2}",
    .veto_quiet = "{1}: 未触发 (触发时{2})",
    .effect_force = "等次定为{1}",
    .effect_cap = "等次至多{1}",
    .effect_ungraded = "不定等次",
    .eligible = "{1}: 符合",
    .not_eligible = "{1}: 不符合",
    .part_holds = "{1}: 成立",
    .part_fails = "{1}: 不成立",
    .part_skipped = "{1}: 未判断 (前一项不成立)",

    .no_grades = "方案没有等次块, 不评定等次",
    .group_line = "范围 {1}: {2}, 共 {3} 人",
    .all_line = "范围: 全体, 共 {1} 人",
    .order_line = "排序: {1}",
    .desc = "降序",
    .asc = "升序",
    .rank_line = "名次: 第 {1} 名 (共 {2} 人)",
    .override_line = "指定 {1}: {2}",
    .quota_line = "{1} 名额 {2} 个",
    .quota_used = "排在本人之前已评{1} {2} 个, 剩余 {3} 个",
    .steps = "逐级判定:",
    .step_capped = "{1}: 受一票否决\"{2}\"限制, 至多{3}",
    .step_when_false = "{1}: 条件不成立",
    .step_not_elig = "{1}: 不符合资格条件",
    .step_quota_full = "{1}: 名额已用完 ({2} 个都已评给排名在前的人)",
    .step_given = "{1}: 评定",
    .grade_line = "等次: {1}",

    .sum_no_grades = "总分 {1}, 方案不评定等次",
    .sum_forced = "一票否决\"{1}\"触发, 等次定为{2}",
    .sum_ungraded = "一票否决\"{1}\"触发, 不定等次",
    .sum_override = "等次由 {1} 列指定为{2}",
    .sum_override_quota = ", 占用{1}内的{2}名额",
    .sum_override_ignored = "{1} 列指定的{2}高于一票否决允许的等次, 不采用",
    .sum_rank_group = "{1}内第 {2} 名 (共 {3} 人)",
    .sum_rank_all = "第 {1} 名 (共 {2} 人)",
    .sum_quota = "{1}名额 {2} 个",
    .sum_quota_full = "已由排名在前的人用完",
    .sum_within = "排名在名额内",
    .sum_within_elig = "排名在名额内且符合条件",
    .sum_within_not_elig = "排名在名额内但不符合条件: {1}",
    .sum_not_elig = "不符合{1}的条件: {2}",
    .sum_capped = "受一票否决\"{1}\"限制, 至多{2}",
    .sum_holds = "{1} 成立{2}",
    .sum_fails = "{1} 不成立{2}",
    .sum_given = "评为{1}",
    .sum_sep = "; ",
    .sum_end = "",

    .yes = "是",
    .no = "否",
    .empty = "空",
    .everyone = "全体",
    .list_sep = ", ",
};

static const Phrases en = {
    .title = "Explanation of the result: {1} {2}",
    .data_line = "data: {1} line {2}",
    .scheme_line = "scheme: {1}, version {2}",
    .result_line = "result: {1}",

    .sec_indicators = "[Indicators]",
    .sec_lets = "[Intermediate values]",
    .sec_bonus = "[Bonus]",
    .sec_penalty = "[Penalty]",
    .sec_total = "[Total]",
    .sec_vetoes = "[Vetoes]",
    .sec_elig = "[Eligibility]",
    .sec_grade = "[Grade]",

    .formula = "formula: {1}",
    .condition = "condition: {1}",
    .input = "input {1}",
    .if_holds = "if {1}: holds, so the 'then' part",
    .if_fails = "if {1}: does not hold, so the 'else' part",
    .set_by_option = " (--set)",

    .ind_weight = ", weight {1}",
    .ind_weight_named = ", weight {1} ({2})",
    .ind_counts = ", counts {2} towards {1}",
    .score_name = "score",
    .when_holds = "when {1}: holds",
    .when_fails = "when {1}: does not hold",
    .otherwise = "otherwise: none of the conditions above holds",
    .score_line = "score = {1} = {2}",

    .cap_ok = "cap {1}: the raw value {2} is within it",
    .cap_cut = "cap {1}: the raw value {2} is over it, so {1}",
    .bonus_total = "bonus_total",
    .penalty_total = "penalty_total",
    .items_sum = "{1} = {2} (the sum of the items)",
    .items_cap_ok = "{1} = {2}: the items add up to {3}, within the total cap of {4}",
    .items_cap_cut = "{1} = {2}: the items add up to {3}, over the total cap of {4}, so {4}",
    .total_base = "score {1} + bonus_total {2} - penalty_total {3} = {4}",
    .adjust = "adjustment {1}",
    .adjust_applied = "total {1} -> {2}",
    .adjust_skipped = "the condition does not hold, the total stays {1}",
    .total_line = "total = {1}",

    .veto_fired = "{1}: fired, {2}",
    .veto_quiet = "{1}: not fired (would mean: {2})",
    .effect_force = "grade set to {1}",
    .effect_cap = "grade at most {1}",
    .effect_ungraded = "no grade",
    .eligible = "{1}: eligible",
    .not_eligible = "{1}: not eligible",
    .part_holds = "{1}: holds",
    .part_fails = "{1}: does not hold",
    .part_skipped = "{1}: not checked (an earlier part does not hold)",

    .no_grades = "the scheme has no grades block: no grade is given",
    .group_line = "within {1}: {2}, {3} persons",
    .all_line = "within: everyone, {1} persons",
    .order_line = "order: {1}",
    .desc = "desc",
    .asc = "asc",
    .rank_line = "rank: {1} of {2}",
    .override_line = "override {1}: {2}",
    .quota_line = "{1}: quota {2}",
    .quota_used = "given before this person's turn: {2}, left: {3}",
    .steps = "grade by grade:",
    .step_capped = "{1}: capped by veto '{2}' at {3}",
    .step_when_false = "{1}: its condition does not hold",
    .step_not_elig = "{1}: not eligible",
    .step_quota_full = "{1}: its quota of {2} was used up by those ranked before",
    .step_given = "{1}: given",
    .grade_line = "grade: {1}",

    .sum_no_grades = "total {1}; the scheme gives no grade",
    .sum_forced = "veto '{1}' fired: the grade is set to {2}",
    .sum_ungraded = "veto '{1}' fired: no grade is given",
    .sum_override = "the grade {2} is set by column {1}",
    .sum_override_quota = ", taking one of the {2} places in {1}",
    .sum_override_ignored = "the {2} set by column {1} is above what a veto allows and is not used",
    .sum_rank_group = "rank {2} of {3} in {1}",
    .sum_rank_all = "rank {1} of {2}",
    .sum_quota = "quota of {1}: {2}",
    .sum_quota_full = "all taken by those ranked before",
    .sum_within = "within the quota",
    .sum_within_elig = "within the quota and eligible",
    .sum_within_not_elig = "within the quota but not eligible: {1}",
    .sum_not_elig = "not eligible for {1}: {2}",
    .sum_capped = "veto '{1}' caps the grade at {2}",
    .sum_holds = "{1} holds{2}",
    .sum_fails = "{1} does not hold{2}",
    .sum_given = "so {1}",
    .sum_sep = "; ",
    .sum_end = "",

    .yes = "true",
    .no = "false",
    .empty = "empty",
    .everyone = "everyone",
    .list_sep = ", ",
};

const Phrases *explain_phrases(XLang lang)
{
    return lang == XLANG_EN ? &en : &zh;
}

void explain_tpl(Buf *b, const char *tpl, const char *const *args, int nargs)
{
    const char *p = tpl;
    while (*p) {
        const char *open = strchr(p, '{');
        if (!open || open[1] < '1' || open[1] > '9' || open[2] != '}') {
            size_t n = open ? (size_t)(open - p) + 1 : strlen(p);
            buf_put(b, p, n);
            p += n;
            continue;
        }
        buf_put(b, p, (size_t)(open - p));
        int k = open[1] - '1';
        if (k < nargs && args[k]) buf_puts(b, args[k]);
        p = open + 3;
    }
}
