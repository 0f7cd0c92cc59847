/*
** model.h — a compiled scheme: the resolved tables, values, groups,
** aggregates, vetoes and grades, in evaluation order. Built by resolve.c from
** the AST; filled with data by load.c; computed by compute.c and grade.c.
*/
#ifndef KP_MODEL_H
#define KP_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "decimal.h"
#include "diag.h"
#include "intern.h"
#include "numcol.h"

typedef enum { T_ERROR, T_NUM, T_BOOL, T_TEXT, T_DATE } BaseType;

typedef struct Type {
    BaseType base;
    bool list;               /* a list of scalars: [q1, q2] == "好" */
    const PtrVec *enum_vals; /* allowed texts, for checking literals */
} Type;

/* One scalar at run time. Text is an interned id, dates are days since
** 1970-01-01, and `null` marks an absent value (an empty optional cell, an
** average over nothing, an indicator in a branch not taken). */
typedef struct Value {
    Dec n;
    uint32_t t;
    int32_t d;
    bool b, null;
} Value;

typedef enum {
    COL_TEXT,
    COL_INT,
    COL_DEC,
    COL_PERCENT,
    COL_BOOL,
    COL_DATE,
    COL_ENUM,
    COL_REF
} ColKind;

typedef struct Table Table;

/* A column: declared in a table, or computed (a value over the assessed table). */
typedef struct Column {
    const char *name;
    Span span;
    const Source *src;
    ColKind kind;
    Type type;
    bool optional;
    const char *def;    /* default for an empty cell ('= value'), or NULL */
    Table *table;       /* the table it belongs to */
    Table *ref;         /* COL_REF target */
    uint32_t *enum_ids; /* COL_ENUM: interned allowed values */
    /* COL_ENUM: the allowed values as cell.c compares them */
    const struct CellEnumKey *enum_keys;
    int index;   /* position in its table */
    int csv_pos; /* field position in the current CSV header */
    bool used;   /* read by some expression: worth storing */
    /* An assessed table's column is freed once the last value that reads it
    ** is computed, unless something else reads it (pinned): a group's key,
    ** the grade override, a filter while an event table loads. */
    int readers; /* values that read it and are not computed yet */
    bool pinned;
    /* storage, one of, by type (NULL for streamed tables) */
    NumCol num;
    uint32_t *text; /* interned ids (also enums) */
    int32_t *date;
    uint8_t *boolean; /* 0, 1, 2 = null */
    int32_t *row;     /* COL_REF: row in ref, -1 = null */
} Column;

typedef struct RelAgg RelAgg;

struct Table {
    const char *name;
    Span span;
    const Source *src;
    Decl *decl;
    Column **cols;
    int ncols;
    int key_col;
    bool streamed; /* only folded into aggregates, never stored */
    bool assessed;
    bool referenced;
    int32_t nrows;
    uint32_t *key_text;   /* interned key of each row */
    uint32_t *key_line;   /* CSV line of each row, for duplicate-key messages */
    int32_t *row_by_text; /* key index: interned id -> row, -1 = absent */
    uint32_t row_by_text_cap;
    RelAgg **aggs; /* aggregates folded while this table loads */
    int naggs;
    int load_order;
    char *path;                     /* CSV file of the last load */
    int32_t cap;                    /* rows allocated in the columns */
    struct InlineRows *inline_rows; /* a test's rows, read instead of a file (load.h) */
};

typedef enum { AGG_COUNT, AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX } AggFunc;

/* An aggregate over the rows of `child` that reference a row of `parent`
** through `via`, folded in one pass while `child` loads. */
struct RelAgg {
    AggFunc func;
    Table *child, *parent;
    Column *via;
    Expr *arg;   /* child-row expression, NULL for count */
    Expr *where; /* child-row filter, or NULL */
    Expr *origin;
    /* per parent row */
    NumCol acc;  /* running sum/min/max (not for count) */
    uint32_t *n; /* rows folded */
    /* Room emptied ahead while the parent loads, for pre_rows parent rows
    ** (load.c); attach_aggs takes it when the parent has no more rows. */
    NumCol pre_acc;
    uint32_t *pre_n;
    int32_t pre_rows;
    /* A filter that reads one enum or bool column of the row: its answer per
    ** value of that column (fold.c), or NULL. */
    uint8_t *lookup;
    uint8_t lookup_null;
    int lookup_col;
    /* Any other filter that tests one such column, taken apart per value
    ** of it (fold_part.h), or NULL. */
    struct FilterParts *parts;
    int readers; /* as a column's: freed once its last reader is computed */
    bool pinned;
};

typedef enum {
    VAL_COLUMN, /* a column of the assessed table */
    VAL_LET,
    VAL_INDICATOR,
    VAL_BONUS,
    VAL_PENALTY,
    VAL_SCORE, /* weighted sum of top-level indicators */
    VAL_BONUS_TOTAL,
    VAL_PENALTY_TOTAL,
    VAL_TOTAL,  /* after adjustments */
    VAL_ADJUST, /* one adjustment stage of the total */
    VAL_GRADE,
    VAL_RANK
} ValKind;

typedef struct ValueDef {
    const char *name;
    ValKind kind;
    Type type;
    Decl *decl;
    Indicator *ind;
    Column *col; /* VAL_COLUMN */
    Expr *formula;
    Expr *cap;      /* bonus/penalty item cap */
    Expr *cond;     /* adjust condition */
    int prev_total; /* VAL_ADJUST: value id of the total before it */
    int id;
    int state; /* resolver: 0 new, 1 visiting, 2 done */
    uint8_t
        typing; /* a let's formula, resolved on first reference: 0 not yet, 1 under way, 2 done */
    bool computed;
    bool released;         /* storage freed: every reader is computed */
    bool shown;            /* listed in `output`: kept for the results */
    bool kept;             /* read after the run (kaoping diff): never released */
    bool borrowed;         /* storage is its twin's, which owns it (kaoping diff) */
    struct ValueDef *twin; /* the same value in the other version, computed once */
    int readers;           /* values that read this one and are not computed yet */
    PtrVec deps;           /* ValueDef * this value reads */
    PtrVec cols;           /* Column * it reads, of any table */
    PtrVec aggs;           /* RelAgg * it reads */
    uint8_t *choice;       /* indicator with variants: branch taken per row */
    /* storage over assessed rows */
    NumCol num;
    uint32_t *text;
    int32_t *date;
    uint8_t *boolean;
} ValueDef;

typedef struct Group {
    const char *name;
    Span span;
    const Source *src;
    Decl *decl;
    PtrVec keys;  /* Expr * over the assessed table */
    int32_t *gid; /* group of each person */
    int32_t ngroups;
    int32_t *size; /* members per group */
    bool built;
    uint8_t resolving; /* keys resolved on first use: 0 not yet, 1 under way, 2 done */
} Group;

typedef enum { PARAM_NUM, PARAM_PERCENT, PARAM_INT, PARAM_TEXT, PARAM_BOOL, PARAM_DATE } ParamKind;

typedef struct Param {
    const char *name;
    Span span;
    Decl *decl;
    ParamKind kind;
    Type type;
    Value value;
    const char *text; /* for PARAM_TEXT before interning */
    bool used, overridden;
} Param;

typedef struct Veto {
    const char *name;
    Decl *decl;
    VetoEffect effect;
    int grade; /* index into grades, -1 for ungraded */
} Veto;

typedef struct Grade {
    const char *name;
    GradeRule *rule;
    uint32_t text_id;
    int64_t *quota; /* after grading: places per group of the grading, NULL without a quota */
} Grade;

/* A person's grade comes from a grade rule, a veto (forced or ungraded) or
** an override in the data. */
typedef enum { GRADED_BY_RULE, GRADED_BY_VETO, GRADED_BY_OVERRIDE } GradedBy;

typedef struct Model {
    Arena *arena;
    Diags *diags;
    /* Data values as interned ids: the model's own table, or the one of the
    ** scheme it was compiled beside (kaoping diff), so both agree on every id. */
    Intern *strings;
    Intern own_strings;
    const char *scheme_name, *version;
    PtrVec sources;  /* Source * of the scheme and its imports */
    PtrVec programs; /* Program * */
    Table **tables;
    int ntables;
    Table *assessed;
    Param **params;
    int nparams;
    Group **groups;
    int ngroups;
    ValueDef **values; /* every named value, in declaration order */
    int nvalues;
    PtrVec order;                       /* ValueDef * in evaluation order */
    PtrVec relaggs;                     /* RelAgg * */
    PtrVec top_indicators;              /* Indicator * */
    PtrVec bonuses, penalties, adjusts; /* ValueDef * */
    PtrVec outputs;                     /* ValueDef * of lets listed in `output` */
    Expr *bonus_cap, *penalty_cap;
    Veto **vetoes;
    int nvetoes;
    Decl *period_decl;                /* `period "…" to "…"`, or NULL */
    int32_t period_start, period_end; /* days; valid with period_decl */
    Decl *grades_decl;
    Grade *grades;
    int ngrades;
    uint32_t ungraded_text; /* the text "不定等次", interned with the grades */
    Group *grade_group;     /* NULL: everyone in one pool */
    Column *override_col;
    ValueDef *v_score, *v_bonus_total, *v_penalty_total, *v_total, *v_grade, *v_rank;
    ValueDef *v_total_base; /* score + bonus - penalty, before adjustments */
    struct Sym *symbols;    /* resolver's name table (uthash) */
    PtrVec group_aggs;      /* GroupAgg * */
    /* results of grading, per assessed row */
    uint64_t *vetoes_fired; /* bit i: veto i fired (at most 64 vetoes) */
    uint8_t *eligible;      /* per row x grade: 0 no, 1 yes, 2 no require */
    uint8_t *graded_by;     /* per row: how the grade was decided (GradedBy) */
} Model;

#endif
