/*
** eval.c — evaluation of resolved expressions for one row. Absent values
** (null) propagate through arithmetic and comparisons; a null reaching a
** condition is a runtime error, never silently false.
*/
#include "eval.h"
#include "date.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *eval_where(Eval *ev, int32_t row, char *buf, size_t cap)
{
    if (ev->rowvals) {
        snprintf(buf, cap, " (%s:%u)", ev->row_path, ev->row_line);
    } else if (row >= 0 && ev->m->assessed && ev->m->assessed->key_text) {
        Table *t = ev->m->assessed;
        snprintf(buf, cap, " (%s %s)", t->name, intern_str(ev->m->strings, t->key_text[row], NULL));
    } else {
        buf[0] = 0;
    }
    return buf;
}

void eval_fail(Eval *ev, const Expr *e, int32_t row, const char *fmt, ...)
{
    char msg[512], where[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    eval_where(ev, row, where, sizeof where);
    if (e && e->src)
        diag_at(ev->d, DIAG_ERROR, e->src, e->span, "%s%s", msg, where);
    else
        diag_pos(ev->d, DIAG_ERROR, "kaoping", 0, 0, "%s%s", msg, where);
    longjmp(*ev->on_error, 1);
}

Value column_get(const Column *c, int32_t row)
{
    Value v = {0};
    switch (c->kind) {
    case COL_TEXT:
    case COL_ENUM:
        v.t = c->text[row];
        v.null = v.t == INTERN_NONE;
        break;
    case COL_INT:
    case COL_DEC:
    case COL_PERCENT:
        v.n = numcol_get(&c->num, row);
        v.null = v.n == DEC_NULL;
        break;
    case COL_BOOL:
        v.b = c->boolean[row] == 1;
        v.null = c->boolean[row] == 2;
        break;
    case COL_DATE:
        v.d = c->date[row];
        v.null = v.d == INT32_MIN;
        break;
    case COL_REF:
        v.d = c->row[row];
        v.null = v.d < 0;
        if (!v.null) v.t = c->ref->key_text[v.d];
        break;
    }
    return v;
}

Value eval_path(Eval *ev, const Bound *b, int32_t row, int n)
{
    Value v = {0};
    int32_t r = row;
    for (int i = 0; i < n; i++) {
        const Column *c = b->path[i];
        if (i == 0 && ev->rowvals && c->table == ev->row_table)
            v = ev->rowvals[c->index];
        else
            v = column_get(c, r);
        if (v.null) return v;
        r = v.d;
    }
    return v;
}

static Value num(Dec n)
{
    Value v = {0};
    v.n = n;
    v.null = n == DEC_NULL;
    return v;
}

static Dec arith(Eval *ev, const Expr *e, int32_t row, Op op, Dec a, Dec b)
{
    Dec out = 0;
    DecStatus st = op == OP_ADD   ? dec_add(a, b, &out)
                   : op == OP_SUB ? dec_sub(a, b, &out)
                   : op == OP_MUL ? dec_mul(a, b, &out)
                                  : dec_div(a, b, &out);
    if (st == DEC_DIVZERO) eval_fail(ev, e, row, "division by zero");
    if (st == DEC_OVERFLOW) eval_fail(ev, e, row, "arithmetic overflow");
    return out;
}

int value_cmp_text(const Model *m, uint32_t a, uint32_t b)
{
    size_t la, lb;
    const char *sa = intern_str(m->strings, a, &la), *sb = intern_str(m->strings, b, &lb);
    int c = memcmp(sa, sb, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static Value compare(Op op, BaseType t, Value a, Value b)
{
    Value v = {0};
    if (a.null || b.null) {
        v.null = true;
        return v;
    }
    int c = 0;
    switch (t) {
    case T_NUM: c = dec_cmp(a.n, b.n); break;
    case T_TEXT: c = a.t != b.t; break;
    case T_DATE: c = (a.d > b.d) - (a.d < b.d); break;
    case T_BOOL: c = a.b != b.b; break;
    default: break;
    }
    switch (op) {
    case OP_EQ: v.b = c == 0; break;
    case OP_NE: v.b = c != 0; break;
    case OP_LT: v.b = c < 0; break;
    case OP_LE: v.b = c <= 0; break;
    case OP_GT: v.b = c > 0; break;
    default: v.b = c >= 0; break;
    }
    return v;
}

bool eval_cond(Eval *ev, Expr *e, int32_t row, const char *what)
{
    Value v = eval_expr(ev, e, row);
    if (v.null) eval_fail(ev, e, row, "%s is empty (it uses a value that is absent)", what);
    return v.b;
}

/* ---- lists: [a, b] == x is evaluated item by item ---- */

static int list_len(const Expr *e)
{
    if (e->kind == E_LIST) return e->args.n;
    if (e->kind == E_BINARY) return e->a->bound->type.list ? list_len(e->a) : list_len(e->b);
    return 0;
}

static Value list_item(Eval *ev, Expr *e, int k, int32_t row)
{
    if (e->kind == E_LIST) return eval_expr(ev, e->args.items[k], row);
    bool left = e->a->bound->type.list;
    Value a = left ? list_item(ev, e->a, k, row) : eval_expr(ev, e->a, row);
    Value b = left ? eval_expr(ev, e->b, row) : list_item(ev, e->b, k, row);
    return eval_binary(ev, e, row, a, b);
}

static Value list_agg(Eval *ev, Expr *e, int32_t row)
{
    Expr *l = e->args.items[0];
    int n = list_len(l);
    FuncId fn = e->bound->fn;
    Value out = {0};
    Dec acc = 0;
    int cnt = 0;
    bool any = false, all = true, have = false;
    for (int k = 0; k < n; k++) {
        Value v = list_item(ev, l, k, row);
        if (v.null) continue;
        cnt++;
        if (fn == FN_COUNT)
            acc += v.b ? DEC_ONE : 0;
        else if (fn == FN_ANY || fn == FN_ALL)
            any |= v.b, all &= v.b;
        else if (fn == FN_SUM || fn == FN_AVG)
            acc = arith(ev, e, row, OP_ADD, acc, v.n);
        else if (!have || (fn == FN_MIN ? dec_cmp(v.n, acc) < 0 : dec_cmp(v.n, acc) > 0))
            acc = v.n;
        have = true;
    }
    if (fn == FN_ANY)
        out.b = any;
    else if (fn == FN_ALL)
        out.b = all;
    else if (fn == FN_AVG)
        out = cnt ? num(arith(ev, e, row, OP_DIV, acc, dec_from_int(cnt))) : num(DEC_NULL);
    else if ((fn == FN_MIN || fn == FN_MAX) && !have)
        out = num(DEC_NULL);
    else
        out = num(acc);
    return out;
}

Value eval_relagg(Eval *ev, Expr *e, int32_t row)
{
    const Bound *b = e->bound;
    int32_t parent = row;
    if (b->npath) {
        Value p = eval_path(ev, b, row, b->npath);
        if (p.null) return num(DEC_NULL);
        parent = p.d;
    }
    RelAgg *ag = b->agg;
    int64_t n = ag->n[parent];
    Dec acc = n && ag->func != AGG_COUNT ? numcol_get(&ag->acc, parent) : 0;
    switch (ag->func) {
    case AGG_COUNT: return num(dec_from_int(n));
    case AGG_SUM: return num(acc);
    case AGG_AVG:
        if (!n) return num(DEC_NULL);
        return num(arith(ev, e, row, OP_DIV, acc, dec_from_int(n)));
    default: return num(n ? acc : DEC_NULL);
    }
}

static Value group_agg(Eval *ev, Expr *e, int32_t row)
{
    GroupAgg *g = e->bound->gagg;
    if (!g->computed) group_agg_compute(ev, g);
    if (g->per_person) return num(g->per_person[row]);
    int32_t gid = g->g->gid[row];
    return num(g->group_null[gid] ? DEC_NULL : g->per_group[gid]);
}

static Dec round_to(Eval *ev, Expr *e, int32_t row, Dec x, FuncId fn)
{
    int64_t digits = 0;
    if (e->args.n == 2) dec_to_int64(((Expr *)e->args.items[1])->num, &digits);
    DecRound mode = fn == FN_ROUND        ? DEC_ROUND_HALF_UP
                    : fn == FN_ROUND_EVEN ? DEC_ROUND_HALF_EVEN
                    : fn == FN_FLOOR      ? DEC_ROUND_FLOOR
                                          : DEC_ROUND_CEIL;
    Dec out;
    if (dec_round(x, (int)digits, mode, &out) != DEC_OK)
        eval_fail(ev, e, row, "arithmetic overflow");
    return out;
}

static Value scalar_call(Eval *ev, Expr *e, int32_t row)
{
    Value a[8] = {0};
    int n = e->args.n;
    if (e->bound->fn == FN_DATE) {
        Value v = {0};
        const char *s = ((Expr *)e->args.items[0])->str;
        if (!date_parse(s, strlen(s), &v.d))
            eval_fail(ev, e, row, "\"%s\" is not a date (expected YYYY-MM-DD)", s);
        return v;
    }
    for (int i = 0; i < n; i++)
        a[i] = eval_expr(ev, e->args.items[i], row);
    return eval_call_values(ev, e, row, a);
}

/* A built-in applied to argument values already evaluated. */
Value eval_call_values(Eval *ev, Expr *e, int32_t row, const Value *a)
{
    FuncId fn = e->bound->fn;
    int n = e->args.n;
    if (fn == FN_COALESCE) return a[0].null ? a[1] : a[0];
    if (fn == FN_STEP_INPUT && a[0].null)
        eval_fail(ev, e->args.items[0], row, "the value given to step table '%s' is empty", e->str);
    if (fn == FN_STEP_INPUT) return a[0];
    for (int i = 0; i < n; i++)
        if (a[i].null) return a[i];
    Value v = {0};
    int y, mo, d;
    switch (fn) {
    case FN_MIN:
    case FN_MAX:
        v = a[0];
        for (int i = 1; i < n; i++)
            if (fn == FN_MIN ? dec_cmp(a[i].n, v.n) < 0 : dec_cmp(a[i].n, v.n) > 0) v = a[i];
        return v;
    case FN_CLAMP:
        if (dec_cmp(a[1].n, a[2].n) > 0)
            eval_fail(ev, e, row, "clamp() lower bound is above its upper bound");
        v = a[0];
        if (dec_cmp(v.n, a[1].n) < 0) v = a[1];
        if (dec_cmp(v.n, a[2].n) > 0) v = a[2];
        return v;
    case FN_ABS:
        if (dec_neg(a[0].n, &v.n) != DEC_OK) eval_fail(ev, e, row, "arithmetic overflow");
        if (dec_cmp(a[0].n, 0) >= 0) v.n = a[0].n;
        return v;
    case FN_ROUND:
    case FN_ROUND_EVEN:
    case FN_FLOOR:
    case FN_CEIL: return num(round_to(ev, e, row, a[0].n, fn));
    case FN_SQRT: {
        DecStatus st = dec_sqrt(a[0].n, &v.n);
        if (st == DEC_DOMAIN) eval_fail(ev, e, row, "square root of a negative number");
        return v;
    }
    case FN_YEAR:
    case FN_MONTH:
        date_split(a[0].d, &y, &mo, &d);
        return num(dec_from_int(fn == FN_YEAR ? y : mo));
    case FN_DAYS_BETWEEN: return num(dec_from_int((int64_t)a[1].d - a[0].d));
    case FN_NO_BAND: {
        char buf[64];
        dec_format(a[0].n, buf);
        eval_fail(ev, e->args.items[0], row, "value %s falls into no band of step table '%s'", buf,
                  e->str);
        return v;
    }
    default: return v;
    }
}

Value eval_binary(Eval *ev, Expr *e, int32_t row, Value a, Value b)
{
    Value v = {0};
    if (e->op == OP_AND || e->op == OP_OR) {
        if (a.null || b.null) {
            v.null = true;
            return v;
        }
        v.b = e->op == OP_AND ? a.b && b.b : a.b || b.b;
        return v;
    }
    if (e->op <= OP_DIV) {
        if (a.null || b.null) return num(DEC_NULL);
        return num(arith(ev, e, row, e->op, a.n, b.n));
    }
    BaseType t = e->a->bound->type.base;
    if (t == T_ERROR) t = e->b->bound->type.base;
    return compare(e->op, t, a, b);
}

/* `column == "literal"` over the row being loaded is most of an event
** table's filters; compare the interned ids without the general path. */
bool eval_fast_text_eq(Eval *ev, const Expr *e, Value *out)
{
    const Bound *l = e->a->bound, *r = e->b->bound;
    if (l->kind != B_COL || l->npath != 1 || r->kind != B_LIT || l->type.base != T_TEXT)
        return false;
    const Column *c = l->path[0];
    if (!ev->rowvals || c->table != ev->row_table) return false;
    const Value *x = &ev->rowvals[c->index];
    out->null = x->null;
    out->b = (x->t == r->lit.t) == (e->op == OP_EQ);
    return true;
}

Value eval_expr(Eval *ev, Expr *e, int32_t row)
{
    const Bound *b = e->bound;
    Value v = {0};
    if (e->kind == E_BINARY && (e->op == OP_EQ || e->op == OP_NE) && eval_fast_text_eq(ev, e, &v))
        return v;
    switch (b->kind) {
    case B_LIT: return b->lit;
    case B_PARAM: return b->param->value;
    case B_VALUE: return value_get(ev, b->val, row);
    case B_COL: return eval_path(ev, b, row, b->npath);
    case B_RELAGG: return eval_relagg(ev, e, row);
    case B_GROUPAGG: return group_agg(ev, e, row);
    case B_LISTAGG: return list_agg(ev, e, row);
    case B_ARG: return v;
    case B_FUNC: break;
    }
    switch (e->kind) {
    case E_UNARY:
        v = eval_expr(ev, e->a, row);
        if (v.null) return v;
        if (e->op == OP_NOT)
            v.b = !v.b;
        else if (dec_neg(v.n, &v.n) != DEC_OK)
            eval_fail(ev, e, row, "arithmetic overflow");
        return v;
    case E_BINARY:
        /* and/or stop early, so `n > 0 and x / n > 1` is safe */
        if (e->op == OP_AND || e->op == OP_OR) {
            Value a = eval_expr(ev, e->a, row);
            if (!a.null && (e->op == OP_AND ? !a.b : a.b)) return a;
            return eval_binary(ev, e, row, a, eval_expr(ev, e->b, row));
        }
        return eval_binary(ev, e, row, eval_expr(ev, e->a, row), eval_expr(ev, e->b, row));
    case E_IF:
        return eval_cond(ev, e->a, row, "the condition of 'if'") ? eval_expr(ev, e->b, row)
                                                                 : eval_expr(ev, e->c, row);
    case E_IN: {
        Value x = eval_expr(ev, e->a, row);
        if (x.null) return x;
        BaseType t = e->a->bound->type.base;
        for (int i = 0; i < e->b->args.n; i++) {
            Value y = eval_expr(ev, e->b->args.items[i], row);
            if (compare(OP_EQ, t, x, y).b) {
                v.b = true;
                return v;
            }
        }
        return v;
    }
    case E_CALL:
        if (b->fn == (FuncId)-1) return eval_expr(ev, e->a, row);
        return scalar_call(ev, e, row);
    default: return v;
    }
}

static void *track(Eval *ev, void *p)
{
    if (ev->nallocs == ev->cap_allocs) {
        ev->cap_allocs = ev->cap_allocs ? ev->cap_allocs * 2 : 64;
        ev->allocs = xrealloc(ev->allocs, ev->cap_allocs * sizeof(void *));
    }
    ev->allocs[ev->nallocs++] = p;
    return p;
}

void *ev_alloc(Eval *ev, size_t n)
{
    return track(ev, xcalloc(1, n ? n : 1));
}

void *ev_alloc_unset(Eval *ev, size_t n)
{
    return track(ev, xmalloc(n ? n : 1));
}

void ev_free(Eval *ev, void *p)
{
    if (!p) return;
    for (size_t i = ev->nallocs; i-- > 0;)
        if (ev->allocs[i] == p) {
            ev->allocs[i] = ev->allocs[--ev->nallocs];
            free(p);
            return;
        }
}

void eval_fork(Eval *to, const Eval *from, Diags *d, jmp_buf *exit, bool shared)
{
    *to = *from;
    to->allocs = NULL;
    to->nallocs = to->cap_allocs = 0;
    to->on_error = exit;
    if (shared) to->on_shared = exit;
    to->progress = NULL;
    to->open_csv = NULL; /* the caller's, closed by it */
    to->prefault = NULL;
    diags_init(d);
    to->d = d;
}

void eval_free_all(Eval *ev)
{
    for (size_t i = 0; i < ev->nallocs; i++)
        free(ev->allocs[i]);
    free(ev->allocs);
    ev->allocs = NULL;
    ev->nallocs = ev->cap_allocs = 0;
}
