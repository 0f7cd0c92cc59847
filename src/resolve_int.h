/*
** resolve_int.h — shared between the resolver's files: the symbol table and
** the context an expression is resolved in.
*/
#ifndef KP_RESOLVE_INT_H
#define KP_RESOLVE_INT_H

#include "xalloc.h" /* before uthash.h: routes its allocations */

#include <uthash.h>

#include "resolve.h"

typedef enum { SYM_PARAM, SYM_VALUE, SYM_TABLE, SYM_GROUP, SYM_FUNC, SYM_GRADE } SymKind;

typedef struct Sym {
    const char *name;
    SymKind kind;
    void *ptr;
    const Source *src;
    Span span;
    bool used;
    UT_hash_handle hh;
} Sym;

typedef enum {
    CTX_PERSON, /* a row of the assessed table, with every value */
    CTX_ROW,    /* a row of `table` as it loads: its columns and params */
    CTX_CONST   /* params and literals only */
} CtxKind;

typedef struct Ctx {
    CtxKind kind;
    Table *table;          /* CTX_ROW */
    ValueDef *owner;       /* value whose formula this is, for dependencies */
    ValueDef *total_alias; /* inside an adjust: what `total` means */
    Decl *func;            /* expanding this function: its parameters */
    PtrVec *func_args;     /* Expr * arguments, in the caller's context */
    const struct Ctx *caller;
    int depth;
} Ctx;

typedef struct Resolver {
    Arena *arena;
    Diags *diags;
    Model *m;
    const Source *src; /* source of the declaration being resolved */
    PtrVec bad_funcs;  /* Decl * of functions already reported (recursive, bad body) */
    PtrVec poisoned;   /* names already reported unknown: later uses stay quiet */
    bool library_ok;   /* a module of params and functions needs no assessed table */
} Resolver;

Sym *sym_find(Resolver *r, const char *name);
void sym_suggest(Resolver *r, const char *name, char *out, size_t cap);
Type resolve_expr(Resolver *r, Expr *e, const Ctx *ctx);
/* A let's formula, and a group's keys, are resolved on first use, so a
** reference to one declared further down sees its type (resolve.c). */
void resolve_let(Resolver *r, ValueDef *v);
void resolve_group(Resolver *r, Group *g);
bool type_is(Type t, BaseType b);
void expect_type(Resolver *r, Expr *e, Type got, BaseType want, const char *what);
Value eval_const(Resolver *r, const Expr *e, bool *ok);
void add_dep(ValueDef *owner, ValueDef *dep, Arena *a);
bool ptrvec_has(const PtrVec *v, const void *item);
void bad_date(Resolver *r, const Expr *lit, Span span);
bool name_poisoned(const Resolver *r, const char *name);

static const Span NOSPAN = {0, 0};
#define RERR(r, span, ...)  diag_at((r)->diags, DIAG_ERROR, (r)->src, (span), __VA_ARGS__)
#define RWARN(r, span, ...) diag_at((r)->diags, DIAG_WARNING, (r)->src, (span), __VA_ARGS__)

/* The source an expression was written in: a function's body expanded at a
** call site keeps the function's file, its arguments the caller's. */
static inline const Source *expr_src(const Resolver *r, const Expr *e)
{
    return e && e->src ? e->src : r->src;
}
/* An error at a span of expression e (or of a part of it written in the same file). */
#define EERR(r, e, span, ...)                                                                      \
    diag_at((r)->diags, DIAG_ERROR, expr_src((r), (e)), (span), __VA_ARGS__)

/* resolve_step.c: writes each step table's body; before functions are checked */
void resolve_steps(Resolver *r);

/* resolve.c */
extern const char *const sym_kind_names[];
Sym *declare(Resolver *r, const char *name, Span span, SymKind k, void *ptr);
ValueDef *declare_value(Resolver *r, const char *name, Span span, ValKind k, Decl *d);
/* resolve_table.c, resolve_grade.c */
void declare_table(Resolver *r, Decl *d);
void resolve_refs(Resolver *r);
void order_tables(Resolver *r);
void unknown_table(Resolver *r, const char *name, Span span);
bool written_in_chinese(const Source *src, Span span);

/* resolve_period.c: the period, and the value of each dated param in it. */
void resolve_dated_params(Resolver *r);

/* lint.c: warnings for a scheme that resolved without errors. */
void lint_model(Model *m, const Source *main_src);
void declare_grades(Resolver *r, Decl *d);
void resolve_grades(Resolver *r);
void resolve_veto(Resolver *r, Decl *d);
void resolve_output(Resolver *r, Decl *d);
int grade_index(Resolver *r, const char *name, Span span);
/* test_rows.c */
bool test_rows_attach(Resolver *r, TestBlock *tb);

#endif
