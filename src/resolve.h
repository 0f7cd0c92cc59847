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
    FN_NO_BAND,    /* a step table's value in none of its bands: a run-time error */
    FN_STEP_INPUT, /* a step table's value, which must not be empty */
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

/* The name of FN_NO_BAND: a space keeps it from being written in a rule file. */
#define STEP_NO_BAND " no band"
#define STEP_INPUT   " step input"

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
/* The same; with library_ok, a scheme that declares nothing but params and
** functions (a module such as std/scoring, compiled for its tests) is
** accepted without an assessed table: Model.assessed is then NULL. */
Model *resolve_scheme_with(Arena *a, Diags *d, PtrVec *programs, bool library_ok, Intern *shared);

/* resolve_test.c, test_rows.c: a test block (ast.h) against the model built
** with the test's own declarations. resolve_test checks its rows and
** expectations and gives every table its rows to load (Table.inline_rows);
** resolve_test_keys, once they are loaded, finds the person each
** expectation names. Both return false when they reported an error. */
bool resolve_test(Model *m, Diags *d, TestBlock *tb);
/* `param 优秀比例 = 25%` in a test, for a param the scheme declares: the
** test's value replaces the declared one (as --set does), checked against
** the param's type. */
bool resolve_param_override(Model *m, Diags *d, Decl *decl);
bool resolve_test_keys(Model *m, Diags *d, TestBlock *tb);

const char *type_name(Type t);
/* The value of a constant number of a resolved model: literals, numeric
** params (with their current values) and + - * / of them, as a weight is
** written. False when e is anything else or the arithmetic fails. */
bool const_number(const Expr *e, Dec *out);
/* Frees what a model holds outside its arena (symbol table, strings). */
void resolve_free(Model *m);

#endif
