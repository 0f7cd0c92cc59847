/*
** test_i18n.c — the phrase table: every phrase is there in both languages,
** both take the same %s arguments, and sections are numbered the way each
** language numbers them.
*/
#include <criterion/criterion.h>

#include <string.h>

#include "i18n.h"

/* The conversions of a format, e.g. "ss" for "%s（%s）"; "%%" is no conversion. */
static void conversions(const char *fmt, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        p++;
        if (*p == '%') continue;
        if (n + 1 < cap) out[n++] = *p;
    }
    out[n] = 0;
}

Test(i18n, every_phrase_in_both_languages)
{
    for (int p = 0; p < PHRASE_COUNT; p++)
        for (int l = 0; l < LANG_COUNT; l++)
            cr_expect_gt(strlen(tr((Lang)l, (Phrase)p)), 0, "phrase %d missing in language %d", p,
                         l);
}

Test(i18n, same_arguments_in_both_languages)
{
    for (int p = 0; p < PHRASE_COUNT; p++) {
        char zh[16], en[16];
        conversions(tr(LANG_ZH, (Phrase)p), zh, sizeof zh);
        conversions(tr(LANG_EN, (Phrase)p), en, sizeof en);
        cr_expect_str_eq(zh, en, "phrase %d: \"%s\" vs \"%s\"", p, tr(LANG_ZH, (Phrase)p),
                         tr(LANG_EN, (Phrase)p));
        for (const char *c = zh; *c; c++)
            cr_expect_eq(*c, 's', "phrase %d takes %%%c; only %%s is used", p, *c);
    }
}

Test(i18n, keywords_are_the_languages_own)
{
    cr_expect_str_eq(tr(LANG_ZH, W_AND), "且");
    cr_expect_str_eq(tr(LANG_EN, W_AND), "and");
    cr_expect_str_eq(tr(LANG_ZH, W_IF), "如果");
    cr_expect_str_eq(tr(LANG_ZH, W_THEN), "那么");
    cr_expect_str_eq(tr(LANG_ZH, W_ELSE), "否则");
    cr_expect_str_eq(tr(LANG_EN, W_WHERE), "where");
}

Test(i18n, out_of_range_is_empty)
{
    cr_expect_str_eq(tr(LANG_COUNT, W_AND), "");
    cr_expect_str_eq(tr(LANG_ZH, PHRASE_COUNT), "");
}

Test(i18n, section_numbers)
{
    char buf[32];
    cr_expect_str_eq(tr_section_number(LANG_ZH, 1, buf, sizeof buf), "一、");
    cr_expect_str_eq(tr_section_number(LANG_ZH, 9, buf, sizeof buf), "九、");
    cr_expect_str_eq(tr_section_number(LANG_ZH, 10, buf, sizeof buf), "十、");
    cr_expect_str_eq(tr_section_number(LANG_ZH, 12, buf, sizeof buf), "十二、");
    cr_expect_str_eq(tr_section_number(LANG_ZH, 25, buf, sizeof buf), "25. ");
    cr_expect_str_eq(tr_section_number(LANG_EN, 3, buf, sizeof buf), "3. ");
}
