/*
** diff.h — the comparison of two runs over the same persons (kaoping diff).
** diff.c builds it from two schemes run with kp_run_both: the items of both
** versions matched by name, the grades before and after, the transition
** matrix, grade counts per unit, who changes grade and whose total moves
** most. diff_cause.c says, for one person, which items caused the change.
** The writers (diff_text.c, diff_csv.c, diff_json.c, diff_html.c) only read.
*/
#ifndef KP_DIFF_H
#define KP_DIFF_H

#include "scheme.h"
#include "wbuf.h"

/* What makes up a total: indicators (weighted), bonus and penalty items,
** the effect of the total caps on bonuses and penalties, adjustments. */
typedef enum {
    ITEM_INDICATOR,
    ITEM_BONUS,
    ITEM_BONUS_CAP,
    ITEM_PENALTY,
    ITEM_PENALTY_CAP,
    ITEM_ADJUST
} ItemKind;

typedef struct DiffItem {
    const char *name; /* as declared; NULL for the caps */
    ItemKind kind;
    const char *column; /* CSV column and JSON key: "indicator:业绩", "bonus_cap" ... */
    ValueDef *v[2];     /* in the old and the new scheme; NULL where it is absent */
    Dec factor[2];      /* indicators: the value's weight in the total (weights multiplied down) */
} DiffItem;

typedef struct DiffSide {
    KpScheme *s;
    Eval *ev;
    Model *m;
    const char *path;
    int32_t **ahead; /* per grade with a quota: per person, the places of their group
                     ** taken before them (overrides, then by rank); NULL for other grades */
} DiffSide;

/* A name known to one version or both: grades and vetoes. */
typedef struct DiffName {
    const char *name;
    uint32_t text_id; /* grades: the interned name (shared by both models) */
    int idx[2];       /* index in each version, -1 where absent */
} DiffName;

/* A param whose value differs between the versions (or that one lacks). */
typedef struct DiffParam {
    const char *name;
    const Param *p[2]; /* NULL where absent */
} DiffParam;

typedef struct DiffUnit {
    const char *label;
    int32_t gid;              /* the group's id in the grading */
    int32_t persons, changes; /* members, and those whose grade changes */
    int32_t *count[2];        /* persons per union grade, before and after */
} DiffUnit;

typedef enum { CAUSE_VETO, CAUSE_ELIGIBLE, CAUSE_CONDITION, CAUSE_QUOTA, CAUSE_ITEM } CauseKind;

/* One reason why a person's result changed. States are 1 (fired, eligible,
** met), 0, or -1 where the veto or grade is not in that version. */
typedef struct Cause {
    CauseKind kind;
    const char *name;    /* the veto or the grade; items: see item */
    int item;            /* CAUSE_ITEM: index into KpDiff.items */
    Dec val[2], delta;   /* CAUSE_ITEM: contribution to the total before, after */
    int8_t state[2];     /* CAUSE_VETO, CAUSE_ELIGIBLE, CAUSE_CONDITION */
    int64_t rank[2];     /* CAUSE_QUOTA: rank in the grading group */
    int64_t quota[2];    /* CAUSE_QUOTA: places in the group, -1 without a quota */
    int64_t ahead[2];    /* CAUSE_QUOTA: places taken before the person, -1 unknown */
    const Expr *cond;    /* CAUSE_CONDITION: the condition as the new version writes it */
    const Veto *veto[2]; /* CAUSE_VETO: in each version, NULL where absent */
} Cause;

/* Units listed by the HTML report's bars and table rows it shows at most. */
#define DIFF_HTML_UNITS   40
#define DIFF_HTML_PERSONS 5000

struct KpDiff {
    Arena arena;
    KpDiffInfo info;
    DiffSide side[2];
    int32_t n; /* persons, the same rows in both models */
    DiffItem *items;
    int nitems;
    DiffName *grades; /* union: old's grades, new-only ones, then 不定等次 or none seen */
    int ngrades;
    DiffName *vetoes;
    int nvetoes;
    DiffParam *params; /* those whose values differ, in the old version's order */
    int nparams;
    uint16_t *grade[2]; /* per person: index into grades */
    int64_t *matrix;    /* persons per [old grade * ngrades + new grade] */
    int32_t ngrade_changes, ntotal_changes;
    int32_t *changed; /* persons whose grade changes: largest |Δ total| first, then by key */
    int32_t *moves;   /* at most info.top persons whose totals move most, same order */
    int32_t nmoves;
    const char *unit_group; /* group the grading is within, or NULL: one unit of everyone */
    DiffUnit *units;        /* most grade changes first, then by label */
    int32_t nunits;
    const int32_t *unit_gid; /* per person: group id, NULL with one unit */
    int32_t *unit_at;        /* per group id: index into units */
};

/* diff.c */
Dec diff_total(const KpDiff *df, int side, int32_t row);
Dec diff_delta(const KpDiff *df, int32_t row);
/* The contribution of an item to a person's total in one version (0 where absent). */
Dec diff_item_value(const KpDiff *df, const DiffItem *it, int side, int32_t row);
int64_t diff_rank(const KpDiff *df, int side, int32_t row);
const char *diff_key(const KpDiff *df, int32_t row);
/* A param's value as the scheme would write it: 60, 20%, "x", true, 2023-01-01;
** "-" for a param the version does not have. */
void diff_param_value(const KpDiff *df, const Param *p, Wbuf *b);
/* The persons in key order: the i-th. */
int32_t diff_by_key(const KpDiff *df, int32_t i);
/* The names of the vetoes that fired for a person, in declaration order;
** returns how many (at most 64). */
int diff_vetoes_fired(const KpDiff *df, int side, int32_t row, const char **names);
const DiffUnit *diff_unit_of(const KpDiff *df, int32_t row);
/* Label of a unit: its group's key values, or "(all)" / "全体" for everyone. */
const char *diff_unit_label(const DiffUnit *u, bool zh);

/* diff_group.c: units (the groups of the grading; everyone without one) and
** the places of each quota grade taken before each person. */
void diff_collect_units(KpDiff *df);
void diff_count_ahead(KpDiff *df, int side);

/* diff_cause.c: the causes of one person's change, decisive ones first
** (vetoes, eligibility, grade conditions, quota position), then items by
** the size of their change. out has room for diff_max_causes(df). */
int diff_max_causes(const KpDiff *df);
int diff_causes(KpDiff *df, int32_t row, Cause *out);
/* One cause in words: English for the terminal, CSV and JSON, Chinese for the HTML report. */
void cause_write(const KpDiff *df, const Cause *c, bool zh, Wbuf *b);
/* The label of an item: "indicator 业绩", "bonus cap" (zh: "指标 业绩", "加分封顶"). */
void item_label(const DiffItem *it, bool zh, Wbuf *b);
/* What a veto does: "=> 不称职", "at most 称职", "ungraded" (zh: "定为不称职" ...). */
void veto_effect(const Model *m, const Veto *v, bool zh, Wbuf *b);
/* The kind of a cause or item as a JSON tag. */
const char *cause_kind_name(const KpDiff *df, const Cause *c);

/* The writers. */
void diff_write_text(KpDiff *df, Wbuf *b);
void diff_write_csv(KpDiff *df, Wbuf *b);
void diff_write_json(KpDiff *df, Wbuf *b);
void diff_write_html(KpDiff *df, Wbuf *b);

#endif
