/*
** resolve_step.c — step tables (分段计分). Their bounds are constants, so the
** bands are checked here for gaps and overlaps; then each table becomes the
** body of the one-argument function it is used as: an if-chain over its
** bands, ending in a run-time error for a value that falls into none.
*/
#include <stdlib.h>
#include <string.h>

#include "resolve_int.h"

typedef struct Band {
    StepBand *b;
    int index; /* 1-based, as written */
    bool has_lo, has_hi;
    Dec lo, hi;
} Band;

/* A constant number, or false (reported). */
static bool const_of(Resolver *r, Decl *d, Expr *e, const char *what, Dec *out)
{
    Ctx c = {.kind = CTX_CONST, .func = d};
    size_t errors = r->diags->nerrors;
    Type t = resolve_expr(r, e, &c);
    if (r->diags->nerrors > errors) return false;
    bool ok = t.base == T_NUM && !t.list;
    Value v = ok ? eval_const(r, e, &ok) : (Value){0};
    if (!ok) {
        EERR(r, e, e->span, "%s must be a constant number (a number, a percent or a numeric param)",
             what);
        return false;
    }
    *out = v.n;
    return true;
}

static Expr *lit(Resolver *r, const Decl *d, Dec v, Span sp)
{
    Expr *e = ast_expr(r->arena, E_NUM, sp);
    e->num = v;
    e->src = d->src;
    return e;
}

static Expr *binop(Resolver *r, Op op, Expr *a, Expr *b, Span sp)
{
    Expr *e = ast_binary(r->arena, op, a, b);
    e->span = sp;
    e->src = a->src;
    return e;
}

/* Y0 + (x - LO) * (Y1 - Y0) / (HI - LO), with the constants folded. */
static Expr *interpolate(Resolver *r, Decl *d, const Band *b, Expr *x, Dec y0, Dec y1)
{
    Span sp = b->b->span;
    Dec rise, run;
    if (dec_sub(y1, y0, &rise) != DEC_OK || dec_sub(b->hi, b->lo, &run) != DEC_OK) {
        RERR(r, sp, "arithmetic overflow in this band");
        return NULL;
    }
    Expr *dx = binop(r, OP_SUB, x, lit(r, d, b->lo, sp), sp);
    Expr *slope =
        binop(r, OP_DIV, binop(r, OP_MUL, dx, lit(r, d, rise, sp), sp), lit(r, d, run, sp), sp);
    return binop(r, OP_ADD, lit(r, d, y0, b->b->val->span), slope, sp);
}

/* The band's value as an expression of x, or NULL (reported). */
static Expr *band_value(Resolver *r, Decl *d, const Band *b, Expr *x)
{
    StepBand *sb = b->b;
    if (!sb->val_to) return sb->val;
    Dec y0, y1;
    bool ok = const_of(r, d, sb->val, "an interpolated value", &y0);
    ok = const_of(r, d, sb->val_to, "an interpolated value", &y1) && ok;
    return ok ? interpolate(r, d, b, x, y0, y1) : NULL;
}

/* x >= LO and x < HI, or just one side for an open band. */
static Expr *band_test(Resolver *r, const Decl *d, const Band *b, Expr *x)
{
    Span sp = b->b->span;
    Expr *lo = b->has_lo ? binop(r, OP_GE, x, lit(r, d, b->lo, b->b->lo->span), sp) : NULL;
    Expr *hi = b->has_hi ? binop(r, OP_LT, x, lit(r, d, b->hi, b->b->hi->span), sp) : NULL;
    return lo && hi ? binop(r, OP_AND, lo, hi, sp) : lo ? lo : hi;
}

static int by_lower(const void *pa, const void *pb)
{
    const Band *a = pa, *b = pb;
    if (a->has_lo != b->has_lo) return a->has_lo ? 1 : -1;
    int c = a->has_lo ? dec_cmp(a->lo, b->lo) : 0;
    return c ? c : a->index - b->index;
}

static const char *num_text(Resolver *r, Dec v)
{
    char buf[64];
    dec_format(v, buf);
    return arena_strdup(r->arena, buf);
}

/* Sweeps the bands in order of their lower bounds: a band that starts past
** what the earlier ones cover leaves a gap; one that starts inside overlaps. */
static void check_cover(Resolver *r, Decl *d, Band *bands, int n)
{
    Band *sorted = ARENA_ARR(r->arena, Band, n);
    memcpy(sorted, bands, sizeof *sorted * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, by_lower);
    const Band *cover = &sorted[0]; /* the band reaching highest so far */
    for (int i = 1; i < n; i++) {
        const Band *b = &sorted[i];
        if (!cover->has_hi) {
            /* cover reaches +inf: b lies inside it */
        } else if (dec_cmp(b->lo, cover->hi) > 0) {
            RWARN(r, b->b->span, "values from %s to %s fall into no band of '%s'",
                  num_text(r, cover->hi), num_text(r, b->lo), d->name);
        }
        if (!cover->has_hi || dec_cmp(b->lo, cover->hi) < 0) {
            bool hi_inf = !cover->has_hi && !b->has_hi;
            Dec hi = !cover->has_hi                                ? b->hi
                     : !b->has_hi || dec_cmp(cover->hi, b->hi) < 0 ? cover->hi
                                                                   : b->hi;
            int first = cover->index < b->index ? cover->index : b->index;
            int second = cover->index < b->index ? b->index : cover->index;
            const char *range = hi_inf ? arena_printf(r->arena, "from %s up", num_text(r, b->lo))
                                       : arena_printf(r->arena, "from %s to %s", num_text(r, b->lo),
                                                      num_text(r, hi));
            if (d->step_unique)
                RERR(r, b->b->span, "values %s are in bands %d and %d of unique step table '%s'",
                     range, first, second, d->name);
            else
                RWARN(r, b->b->span, "values %s are in bands %d and %d; the first wins", range,
                      first, second);
        }
        if (cover->has_hi && (!b->has_hi || dec_cmp(b->hi, cover->hi) > 0)) cover = b;
    }
}

/* Reads the bounds of every band; false if one is wrong (reported). */
static bool read_bands(Resolver *r, Decl *d, Band *bands)
{
    bool ok = true;
    for (int i = 0; i < d->bands.n; i++) {
        Band *b = &bands[i];
        b->b = d->bands.items[i];
        b->index = i + 1;
        b->has_lo = b->b->lo != NULL;
        b->has_hi = b->b->hi != NULL;
        if (b->b->val_to && (!b->has_lo || !b->has_hi)) {
            RERR(r, b->b->span, "interpolation 'A to B' needs a band with both bounds");
            ok = false;
        }
        if (b->has_lo && !const_of(r, d, b->b->lo, "a band's bound", &b->lo)) {
            ok = false;
            continue;
        }
        if (b->has_hi && !const_of(r, d, b->b->hi, "a band's bound", &b->hi)) {
            ok = false;
            continue;
        }
        if (b->has_lo && b->has_hi && dec_cmp(b->hi, b->lo) <= 0) {
            RERR(r, b->b->span,
                 "band %d is empty: its upper bound %s is not above its lower bound %s", b->index,
                 num_text(r, b->hi), num_text(r, b->lo));
            ok = false;
        }
    }
    return ok;
}

/* A call of the hidden built-in `name` on x, for step table d. */
static Expr *hidden_call(Resolver *r, const Decl *d, const char *name, Expr *x)
{
    Expr *e = ast_expr(r->arena, E_CALL, d->name_span);
    e->name = name;
    e->name_span = d->name_span;
    e->str = d->name;
    e->src = d->src;
    ptrvec_push(r->arena, &e->args, x);
    return e;
}

/* if band 1 then v1 else if ... else <no band>, in written order: with
** `first` the first band that holds the value wins. The first test reads x
** through a check that it is not empty. */
static Expr *chain(Resolver *r, Decl *d, Band *bands, Expr *x)
{
    Expr *tail = hidden_call(r, d, STEP_NO_BAND, x);
    bool ok = true;
    Expr **vals = ARENA_ARR(r->arena, Expr *, d->bands.n);
    for (int i = 0; i < d->bands.n; i++)
        if (!(vals[i] = band_value(r, d, &bands[i], x))) ok = false;
    if (!ok) return NULL;
    for (int i = d->bands.n - 1; i >= 0; i--) {
        Expr *v = vals[i];
        Expr *e = ast_expr(r->arena, E_IF, bands[i].b->span);
        e->src = d->src;
        e->a = band_test(r, d, &bands[i], i ? x : hidden_call(r, d, STEP_INPUT, x));
        e->b = v;
        e->c = tail;
        tail = e;
    }
    return tail;
}

static void resolve_step(Resolver *r, Decl *d)
{
    r->src = d->src;
    Expr *x = ast_expr(r->arena, E_NAME, d->name_span);
    x->name = ((Expr *)d->keys.items[0])->name;
    x->name_span = d->name_span;
    x->src = d->src;
    Band *bands = ARENA_ARR(r->arena, Band, d->bands.n ? d->bands.n : 1);
    Expr *body = NULL;
    if (!d->bands.n) {
        RERR(r, d->name_span, "step table '%s' has no bands", d->name);
    } else if (read_bands(r, d, bands)) {
        body = chain(r, d, bands, x);
        if (body) check_cover(r, d, bands, d->bands.n);
    }
    if (!body) {
        /* Reported: calls stay quiet, and the body checks as a number. */
        ptrvec_push(r->arena, &r->bad_funcs, d);
        body = lit(r, d, 0, d->name_span);
    }
    d->expr = body;
}

void resolve_steps(Resolver *r)
{
    for (Sym *s = r->m->symbols; s; s = s->hh.next) {
        if (s->kind != SYM_FUNC) continue;
        Decl *d = s->ptr;
        if (d->step) resolve_step(r, d); /* again for every resolution: it reports */
    }
}
