/*
** ast.h — the syntax tree of a rule file, built by the parser's actions and
** annotated in place by the resolver. Every node lives in the program arena.
*/
#ifndef KP_AST_H
#define KP_AST_H

#include <stdbool.h>

#include "arena.h"
#include "decimal.h"
#include "source.h"

typedef struct PtrVec {
    void **items;
    int n, cap;
} PtrVec;
void ptrvec_push(Arena *a, PtrVec *v, void *item);
/* Appends item to a plain pointer array kept beside its count (the model's
** tables, params, values ...), returning the new array. */
void *ptrarr_append(Arena *a, void *arr, int *n, void *item);

typedef enum {
    E_NUM,    /* num, is_percent */
    E_STR,    /* str */
    E_BOOL,   /* boolean */
    E_NAME,   /* name */
    E_FIELD,  /* a.name */
    E_UNARY,  /* op a */
    E_BINARY, /* a op b */
    E_IF,     /* if a then b else c */
    E_IN,     /* a in b (b is E_LIST) */
    E_CALL,   /* name(args [where where]) */
    E_LIST    /* [args] */
} ExprKind;

typedef enum {
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_AND,
    OP_OR,
    OP_NEG,
    OP_NOT
} Op;

struct Bound; /* resolver's annotation, see resolve.h */

typedef struct Expr {
    ExprKind kind;
    Op op;
    Span span;
    struct Expr *a, *b, *c;
    PtrVec args;        /* E_CALL arguments, E_LIST items (Expr *) */
    struct Expr *where; /* E_CALL filter */
    const char *name;   /* E_NAME, E_FIELD (field), E_CALL (function) */
    Span name_span;
    Dec num;
    bool is_percent, boolean;
    const char *str;
    struct Bound *bound;
    const Source *src; /* set after parsing by ast_set_source */
} Expr;

/* A data value written in a rule file (a column default, a cell of a test's
** rows): its text is what a CSV cell would hold. */
typedef struct Cell {
    const char *text;
    Span span;
} Cell;

typedef struct TypeRef {
    const char *name; /* text/int/decimal/percent/bool/date, or NULL */
    Span span;
    bool optional;    /* trailing '?': empty cells allowed */
    PtrVec enum_vals; /* const char * when this is an enumeration */
    const char *ref;  /* target table of a reference column */
    Span ref_span;
    Cell *def; /* `= value`: the column's default, or NULL */
} TypeRef;

typedef struct ColumnDecl {
    const char *name;
    Span span;
    TypeRef *type;
} ColumnDecl;

typedef struct Indicator Indicator;
typedef struct Branch {
    Expr *cond; /* NULL for otherwise */
    Span span;
    Expr *formula;   /* either formula ... */
    PtrVec children; /* ... or sub-indicators (Indicator *) */
} Branch;

struct Indicator {
    const char *name;
    Span span, name_span;
    Expr *weight;    /* NULL when the level sums points */
    Expr *formula;   /* leaf */
    PtrVec children; /* sub-indicators */
    PtrVec branches; /* when/otherwise variants (Branch *) */
    Indicator *parent;
    int value_id; /* resolver: index into the value list */
};

typedef enum { VETO_FORCE, VETO_CAP, VETO_UNGRADED } VetoEffect;

typedef struct GradeRule {
    const char *name;
    Span span;
    Expr *quota, *when, *require;
} GradeRule;

typedef struct OrderKey {
    Expr *e;
    bool desc;
} OrderKey;

/* One band of a step table: [lo, hi) (NULL: unbounded) mapped to val, or
** interpolated linearly from val at lo to val_to at hi. */
typedef struct StepBand {
    Span span;
    Expr *lo, *hi, *val, *val_to;
} StepBand;

typedef enum {
    D_IMPORT,
    D_PARAM,
    D_TABLE,
    D_ASSESS,
    D_GROUP,
    D_LET,
    D_INDICATOR,
    D_BONUS,
    D_PENALTY,
    D_BONUS_CAP,
    D_PENALTY_CAP,
    D_ADJUST,
    D_VETO,
    D_GRADES,
    D_FUNC,
    D_OUTPUT,
    D_GRADE_RULE, /* one rule of the base's grades, replaced or removed (extends.c) */
    D_PERIOD      /* the assessment period: key .. table are its first and last day */
} DeclKind;

/* One value of a param that changes over time: in force from a date on, or
** (from == NULL) before the earliest date. */
typedef struct DatedValue {
    Expr *value;
    const char *from; /* "2020-06-01", or NULL for `before` */
    Span at;          /* the date, or the `before` keyword */
} DatedValue;

/* How a declaration of a scheme that extends another treats the base. */
typedef enum { CHANGE_NONE, CHANGE_REPLACE, CHANGE_REMOVE } Change;

typedef struct Decl {
    DeclKind kind;
    Change change; /* replace or remove what the base declares */
    PtrVec dated;  /* D_PARAM: DatedValue *, newest written first; empty when fixed */
    const Source *src;
    bool in_test; /* declared inside a test block: exists only for that test */
    Span span, name_span;
    const char *name; /* declared name, import path, assessed table ... */
    TypeRef *type;    /* D_PARAM optional type */
    Expr *expr;       /* param value, let/bonus/penalty/adjust formula, caps */
    Expr *cond;       /* adjust/veto condition */
    Expr *cap;        /* bonus/penalty per-item cap */
    /* D_TABLE */
    const char *key;
    Span key_span;
    PtrVec columns; /* ColumnDecl * */
    /* D_GROUP: name = table by keys; D_FUNC: name(keys) = expr */
    const char *table;
    Span table_span;
    PtrVec keys; /* Expr * (E_NAME) */
    /* D_INDICATOR */
    Indicator *ind;
    /* D_VETO */
    VetoEffect effect;
    const char *grade;
    Span grade_span;
    /* D_GRADES */
    const char *within;
    Span within_span;
    PtrVec order; /* OrderKey * */
    PtrVec rules; /* GradeRule * */
    const char *override_col;
    Span override_span;
    /* D_FUNC written as a step table: its bands (StepBand *), its hit policy */
    bool step, step_unique;
    PtrVec bands;
} Decl;

/* ---- tests written in a rule file (`test "name" { ... }`) ---- */

typedef struct TestRow {
    Span span;
    PtrVec cells; /* Cell * */
} TestRow;

/* `persons (person_id, dept) { "P1", "D1" ... }`: rows of one table. */
typedef struct TestRows {
    const char *table;
    Span table_span, span; /* span: from the table name to ')' */
    PtrVec cols;           /* ColumnDecl * (name and span only) */
    PtrVec rows;           /* TestRow * */
} TestRows;

typedef enum { EXPECT_CONST, EXPECT_VALUE, EXPECT_VETOES, EXPECT_ELIGIBLE } ExpectSubject;

typedef struct Expect {
    Span span;
    const Source *src;
    Expr *e;    /* as written: a comparison or a condition; for contains, the subject */
    Expr *item; /* contains: what is looked for */
    bool contains, negated;
    /* set by the resolver (resolve_test.c) */
    ExpectSubject subject;
    Expr *lhs, *rhs; /* a comparison's two sides (rhs NULL for a plain condition) */
    Op op;
    const char *key; /* person expectations: the key as written, and the row found */
    Span key_span;
    int32_t row;
    struct ValueDef *val;
    int item_index; /* veto or grade looked for by contains */
} Expect;

typedef struct TestBlock {
    const char *name;
    Span span, name_span;
    const Source *src;
    PtrVec decls;   /* Decl * that exist only while this test runs */
    PtrVec tables;  /* TestRows * */
    PtrVec expects; /* Expect * */
} TestBlock;

typedef struct Program {
    Source *src;
    const char *scheme_name, *version;
    Span header_span;
    const char *extends; /* base scheme's path, as written */
    Span extends_span;
    PtrVec decls; /* Decl * */
    PtrVec tests; /* TestBlock *: not part of the scheme, see test.c */
} Program;

Expr *ast_expr(Arena *a, ExprKind k, Span sp);
Expr *ast_binary(Arena *a, Op op, Expr *l, Expr *r);
Expr *ast_unary(Arena *a, Op op, Expr *e, Span sp);
Decl *ast_decl(Arena *a, DeclKind k, Span sp);
Span span_join(Span a, Span b);

/* Calls fn on every top-level expression of the program (each decl's
** formulas, conditions, weights, caps, keys, grade rules). */
void ast_walk(Program *p, void (*fn)(Expr *e, void *ctx), void *ctx);
/* The same for one declaration. */
void ast_walk_decl(Decl *d, void (*fn)(Expr *e, void *ctx), void *ctx);
/* Records the program's source in every expression node, for diagnostics. */
void ast_set_source(Program *p);

/* S-expression dump of an expression, for tests; arena-allocated. */
char *ast_dump_expr(Arena *a, const Expr *e);

#endif
