/*
** resolve.h — from syntax to a Model: declares every name, resolves each
** reference to what it denotes (Bound), checks types, orders values by
** dependency and reports every problem as a diagnostic.
*/
#ifndef KP_RESOLVE_H
#define KP_RESOLVE_H

#include "model.h"

typedef enum {
    B_LIT,      /* lit */
    B_PARAM,    /* param */
    B_VALUE,    /* val: a computed value of the assessed row */
    B_COL,      /* path: columns from the context row through references */
    B_RELAGG,   /* path to the parent row, then agg */
    B_GROUPAGG, /* gagg */
    B_LISTAGG,  /* fn over the items of args[0] (a list expression) */
    B_FUNC,     /* fn: a scalar built-in */
    B_ARG       /* reference to a function argument, replaced at expansion */
} BoundKind;

typedef enum {
    FN_MIN,
    FN_MAX,
    FN_CLAMP,
    FN_ABS,
    FN_ROUND,
    FN_ROUND_EVEN,
    FN_FLOOR,
    FN_CEIL,
    FN_SQRT,
    FN_COALESCE,
    FN_YEAR,
    FN_MONTH,
    FN_DAYS_BETWEEN,
    FN_DATE,
    /* list and group aggregates */
    FN_COUNT,
    FN_SUM,
    FN_AVG,
    FN_ANY,
    FN_ALL,
    FN_STDDEV,
    FN_RANK,
    FN_RANK_ASC,
    FN_ZSCORE
} FuncId;

typedef struct GroupAgg {
    FuncId fn;
    Group *g;
    Expr *arg;   /* person expression, NULL for count */
    Expr *where; /* person filter, or NULL */
    Expr *origin;
    bool computed;
    Dec *per_group;  /* count/sum/avg/min/max/stddev: one per group */
    Dec *per_person; /* rank/zscore: one per person */
    uint8_t *group_null;
} GroupAgg;

typedef struct Bound {
    BoundKind kind;
    Type type;
    Value lit;
    Param *param;
    ValueDef *val;
    Column **path;
    int npath;
    RelAgg *agg;
    GroupAgg *gagg;
    FuncId fn;
} Bound;

/* Builds the model of a scheme from its program and the programs of its
** imports (all in `programs`, the scheme's own first). Returns NULL when any
** error was reported. With `shared`, text is interned there (borrowed: it must
** outlive the model) instead of in a table of the model's own. */
Model *resolve_scheme(Arena *a, Diags *d, PtrVec *programs, Intern *shared);

const char *type_name(Type t);
/* Frees what a model holds outside its arena (symbol table, strings). */
void resolve_free(Model *m);

#endif
