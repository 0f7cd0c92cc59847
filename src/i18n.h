/*
** i18n.h — every fixed word and phrase of the documents kaoping writes, in
** Chinese and English, kept in one table (i18n.c). Identifiers from a scheme
** are never translated. A phrase with %s takes its arguments in the same
** order in both languages.
*/
#ifndef KP_I18N_H
#define KP_I18N_H

typedef enum { LANG_ZH, LANG_EN, LANG_COUNT } Lang;

typedef enum {
    /* expression keywords, as the language spells them, and text quotes */
    W_AND,
    W_OR,
    W_NOT,
    W_IN,
    W_IF,
    W_THEN,
    W_ELSE,
    W_WHERE,
    W_TRUE,
    W_FALSE,
    W_QUOTE_OPEN,
    W_QUOTE_CLOSE,
    /* punctuation */
    PH_LIST_SEP, /* between items of a list */
    PH_PAREN,    /* "%s（%s）": a value and a remark */
    /* head of the document */
    PH_TITLE,
    PH_UNTITLED,
    PH_GENERATED,
    PH_IMPORTS,
    PH_OVERRIDES,
    PH_FROM_MODULE,
    PH_DATED,        /* a dated param: its values */
    PH_DATED_FROM,   /* one value from a date */
    PH_DATED_BEFORE, /* the value before the first date */
    PH_PERIOD,       /* the assessment period */
    /* section titles */
    S_PARAMS,
    S_TABLES,
    S_SUBJECTS,
    S_INDICATORS,
    S_ITEMS,
    S_ADJUSTS,
    S_VETOES,
    S_GRADES,
    S_DEFS,
    /* table headers */
    H_NAME,
    H_TYPE,
    H_VALUE,
    H_NOTE,
    H_TABLE,
    H_KEY,
    H_FILE,
    H_ROLE,
    H_COLUMN,
    H_GROUP,
    H_BY,
    H_NO,
    H_INDICATOR,
    H_WEIGHT,
    H_EFFECTIVE,
    H_METHOD,
    H_CASE,
    H_CONDITION,
    H_ITEM,
    H_CAP,
    H_ADJUST,
    H_APPLIES,
    H_NEW_TOTAL,
    H_VETO,
    H_TRIGGER,
    H_EFFECT,
    H_GRADE,
    H_QUOTA,
    H_WHEN,
    H_REQUIRE,
    H_DEFINITION,
    H_SHOWN,
    H_FUNCTION,
    /* types and values */
    TY_DECIMAL,
    TY_PERCENT,
    TY_INT,
    TY_TEXT,
    TY_BOOL,
    TY_DATE,
    TY_ENUM,
    TY_REF,
    TY_OPTIONAL,
    TY_DEFAULT,
    TY_KEY,
    V_TRUE,
    V_FALSE,
    V_YES,
    /* params */
    PH_PARAMS_INTRO,
    PH_OVERRIDDEN,
    /* tables, persons and groups */
    PH_TABLES_INTRO,
    PH_TABLE_HEADING,
    PH_ROLE_ASSESSED,
    PH_ROLE_LOOKUP,
    PH_ROLE_EVENT,
    PH_ASSESSED,
    PH_GROUPS_INTRO,
    PH_GROUP_BY,
    PH_GROUP_ALL,
    /* indicators */
    PH_SCORE,
    PH_NO_INDICATORS,
    PH_EFFECTIVE_NOTE,
    PH_WEIGHTED_SUM,
    PH_POINTS_SUM,
    PH_SEE_VARIANTS,
    PH_VARIANTS_HEADING,
    PH_VARIANTS_INTRO,
    PH_CASE,
    PH_WHEN,
    PH_OTHERWISE,
    PH_POINTS,
    PH_METHOD_IS,
    /* bonus, penalty, adjustments */
    PH_TOTAL,
    PH_TOTAL_ADJUSTED,
    PH_BONUSES,
    PH_PENALTIES,
    PH_NO_CAP,
    PH_BONUS_CAP,
    PH_BONUS_NO_CAP,
    PH_PENALTY_CAP,
    PH_PENALTY_NO_CAP,
    PH_ADJUST_ALL,
    PH_ADJUST_NOTE,
    /* vetoes */
    PH_VETO_FORCE,
    PH_VETO_CAP,
    PH_VETO_UNGRADED,
    PH_VETO_NOTE,
    /* grades */
    PH_GRADES_FROM,
    PH_GRADES_WITHIN,
    PH_GRADES_ALL,
    PH_ORDER,
    PH_ORDER_THEN_KEY,
    PH_ORDER_KEY_ONLY,
    PH_DESC,
    PH_ASC,
    PH_OVERRIDE,
    PH_GRADE_REST,
    PH_GRADES_NOTE,
    /* definitions */
    PH_LETS,
    PH_FUNCS,
    PH_FUNCS_NOTE,
    PH_STEP_FIRST,
    PH_STEP_UNIQUE,
    PHRASE_COUNT
} Phrase;

/* The phrase in lang; never NULL. */
const char *tr(Lang lang, Phrase p);

/* The number of the n-th section (1-based) as a heading prefix: "一、", "1. ". */
const char *tr_section_number(Lang lang, int n, char *buf, int cap);

#endif
