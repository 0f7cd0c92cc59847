/*
** explain.h — why one person got their result (公示 and 复核).
**
** After a full run (group aggregates, ranks and quotas need everyone), the
** facts of one assessed row are collected from the computed columns and the
** syntax trees of the rules: every formula with the named inputs it read and
** their values, the variant and `if` branch taken, weights and weighted
** contributions, caps, adjustments, vetoes, eligibility and the grading.
** explain.c and explain_grade.c collect them into an Explanation (arena
** memory); explain_text.c and explain_json.c render one; explain_lang.c
** holds the Chinese and English phrases.
*/
#ifndef KP_EXPLAIN_H
#define KP_EXPLAIN_H

#include "buf.h"
#include "eval.h"

/* ---- the facts ---- */

/* Where a rule is written: file and line. src is NULL for the language's
** own values (score, total ...) and for data columns. */
typedef struct XRule {
    const Source *src;
    uint32_t line;
} XRule;

typedef enum {
    XIN_COLUMN,   /* a column of the person, or reached through references */
    XIN_PARAM,    /* a param (maybe set with --set) */
    XIN_VALUE,    /* a let, indicator, item or built-in value */
    XIN_RELAGG,   /* count(cases where ...), sum(cases.x) ... */
    XIN_GROUPAGG, /* avg(同岗.x), count(单位) ... */
    XIN_LISTAGG,  /* count([q1, q2] == "好") ... */
    XIN_FUNC      /* a call of a function the scheme defines */
} XInputKind;

/* A shown value: its type decides how it is written. */
typedef struct XVal {
    Value v;
    BaseType type;
    bool percent; /* a percent param or column: written 20% */
} XVal;

typedef struct XInput {
    XInputKind kind;
    const char *text; /* as written in the rule */
    XVal val;
    XRule rule;      /* declaration of a value or param */
    bool overridden; /* a param set with --set */
} XInput;

/* An `if` met while evaluating a formula, and which way it went. */
typedef struct XCond {
    const char *text;
    bool holds;
} XCond;

typedef struct XFormula {
    const char *text; /* the formula as written, whitespace collapsed */
    XRule rule;
    XVal val;
    PtrVec inputs; /* XInput *, in the order first read, each once */
    PtrVec conds;  /* XCond * */
} XFormula;

/* One `when` of an indicator with variants, checked in order. */
typedef struct XBranch {
    XFormula *cond; /* NULL for otherwise */
    XRule rule;
    bool holds;
} XBranch;

typedef struct XIndicator {
    const char *name;
    XRule rule;
    int depth;          /* 0 for a top-level indicator */
    const char *parent; /* NULL: counts towards score */
    XVal val;
    bool weighted;
    const char *weight_text; /* as written */
    Dec weight;
    Dec contribution;   /* to the parent (weight x value, or the value) */
    PtrVec branches;    /* XBranch *, up to the one taken */
    XFormula *formula;  /* NULL when it sums its sub-indicators */
    bool sums_weighted; /* its sub-indicators are weighted (else points) */
} XIndicator;

typedef struct XNamed {
    const char *name;
    XRule rule;
    XFormula *f;
} XNamed;

typedef struct XItem {
    const char *name;
    XRule rule;
    XFormula *f;   /* the raw value */
    XFormula *cap; /* NULL: no cap of its own */
    Dec value;     /* after the cap */
    bool cut;      /* the cap lowered it */
} XItem;

typedef struct XItems {
    PtrVec items; /* XItem * */
    Dec sum;      /* of the items after their caps */
    XFormula *cap;
    Dec total;
    bool cut;
} XItems;

typedef struct XAdjust {
    const char *name;
    XRule rule;
    XFormula *cond; /* NULL: always applies */
    bool applied;
    Dec before, after;
    XFormula *f; /* NULL when it did not apply */
} XAdjust;

typedef struct XVeto {
    const char *name;
    XRule rule;
    XFormula *cond;
    bool fired;
    VetoEffect effect;
    const char *grade; /* NULL for ungraded */
} XVeto;

/* One part of an eligibility condition split at its top-level `and`. */
typedef struct XPart {
    XFormula *f; /* NULL: not evaluated, an earlier part does not hold */
    const char *text;
    bool holds;
} XPart;

typedef struct XElig {
    const char *grade;
    XRule rule;
    bool eligible;
    PtrVec parts; /* XPart * */
} XElig;

typedef struct XQuota {
    const char *grade;
    XRule rule;
    XFormula *f;
    int64_t quota;
    int64_t given_before; /* in the group, before this person's turn (overrides included) */
} XQuota;

typedef struct XOrderKey {
    const char *text;
    bool desc;
    XVal val;
} XOrderKey;

typedef enum {
    XHOW_NO_GRADES, /* the scheme has no grades block */
    XHOW_FORCED,    /* a veto forces the grade */
    XHOW_UNGRADED,  /* a veto leaves the person ungraded */
    XHOW_OVERRIDE,  /* the override column names it */
    XHOW_ALLOCATED  /* the first grade, by rank, that holds */
} XHow;

typedef enum {
    XSTEP_CAPPED,       /* above the cap a veto sets */
    XSTEP_WHEN_FALSE,   /* its `when` does not hold */
    XSTEP_NOT_ELIGIBLE, /* its `require` does not hold */
    XSTEP_QUOTA_FULL,   /* its quota went to those ranked before */
    XSTEP_GIVEN
} XStepOutcome;

/* How the allocation went through one grade, best first, up to the one given. */
typedef struct XStep {
    const char *grade;
    XRule rule; /* the grade's line in the grades block */
    XStepOutcome outcome;
    XFormula *when;
    XElig *elig;   /* the grade's eligibility, when it has one */
    XQuota *quota; /* the grade's quota, when it has one */
} XStep;

typedef struct XGrading {
    XRule rule;
    const char *group; /* NULL: everyone in one pool */
    XRule group_rule;
    PtrVec group_keys; /* XFormula *: the person's values of the group's keys */
    int64_t group_size;
    PtrVec order; /* XOrderKey * */
    int64_t rank;
    PtrVec quotas; /* XQuota * */
    const char *override_col;
    XVal override_val;
    bool override_ignored; /* it names a grade above a veto's cap */
    XHow how;
    const XVeto *by_veto;  /* forced or ungraded by it */
    const XVeto *cap_veto; /* caps the grade, or NULL */
    const char *cap_grade;
    PtrVec steps; /* XStep *, for XHOW_ALLOCATED */
    XVal grade;
} XGrading;

typedef struct Explanation {
    const char *table, *key_col, *id;
    const char *scheme, *version;
    const char *data_path;
    uint32_t data_line;
    PtrVec indicators; /* XIndicator *, parents before children */
    Dec score;
    PtrVec lets; /* XNamed * */
    XItems bonus, penalty;
    bool has_bonus, has_penalty;
    Dec total_base; /* score + bonus_total - penalty_total */
    PtrVec adjusts; /* XAdjust * */
    Dec total;
    PtrVec vetoes; /* XVeto * */
    PtrVec elig;   /* XElig * */
    XGrading grading;
} Explanation;

/* ---- collecting ---- */

/* What explaining any row needs from the whole run, worked out once. */
typedef struct ExplainRun {
    Eval *ev;
    int *qslot; /* grade -> its index among the quota grades, or -1 */
    int nq;
    int32_t *given; /* [row * nq + slot]: given in the row's group before its turn */
    /* the text of each expression as written, made once for all rows */
    Arena texts;
    const Expr **text_keys;
    const char **text_vals;
    size_t text_cap, text_n;
} ExplainRun;

/* Works out the quota counts; after a successful kp_run. Memory: ev_alloc,
** and explain_release for the texts. */
void explain_prepare(ExplainRun *r, Eval *ev);
void explain_release(ExplainRun *r);
/* The explanation of one assessed row, in arena a. Runtime errors (none are
** expected after a successful run) longjmp through ev->on_error. */
Explanation *explain_row(ExplainRun *r, Arena *a, int32_t row);

/* Shared by explain.c and explain_grade.c. */
typedef struct XCtx {
    ExplainRun *run;
    Eval *ev;
    Model *m;
    Arena *a;
    int32_t row;
} XCtx;
XRule explain_rule(const Source *src, Span sp);
/* The formula e as written, its value for the row and the inputs it read. */
XFormula *explain_formula(XCtx *x, Expr *e);
XVal explain_val(const Expr *e, Value v);
void explain_grading(ExplainRun *r, XCtx *x, Explanation *out);

/* ---- rendering ---- */

typedef enum { XLANG_ZH, XLANG_EN } XLang;

/* Writes a value as text (numbers exact, 20% for percents, 是/否 or true/false). */
void explain_put_value(Buf *b, const Model *m, XVal v, XLang lang);
/* "path:line", or "" for no rule. */
void explain_put_rule(Buf *b, XRule r);
/* The plain-language text of an explanation. */
void explain_render_text(Buf *b, const Model *m, const Explanation *x, XLang lang);
/* The one sentence of why the person got the grade. */
void explain_summary(Buf *b, const Model *m, const Explanation *x, XLang lang);
/* One JSON object on one line, with a newline; the same facts as the text. */
void explain_render_json(Buf *b, const Model *m, const Explanation *x, XLang lang);

#endif
