/*
** resolve.c — builds a Model from the parsed programs: declares names,
** resolves tables, params, values, vetoes and grades, checks for cycles and
** warns about suspicious schemes.
*/
#include "resolve_int.h"

#include <string.h>

const char *const sym_kind_names[] = {"param", "value", "table", "group", "function", "grade"};

Sym *sym_find(Resolver *r, const char *name)
{
    Sym *s = NULL;
    HASH_FIND_STR(r->m->symbols, name, s);
    return s;
}

Sym *declare(Resolver *r, const char *name, Span span, SymKind k, void *ptr)
{
    Sym *old = sym_find(r, name);
    if (old && !old->src) {
        /* score, total, 得分, grade, rank ...: declared by the language itself */
        RERR(r, span, "'%s' is a built-in value; choose another name", name);
        return NULL;
    }
    if (old) {
        RERR(r, span, "'%s' is already declared as a %s", name, sym_kind_names[old->kind]);
        diag_at(r->diags, DIAG_NOTE, old->src, old->span, "'%s' was declared here", name);
        return NULL;
    }
    Sym *s = ARENA_NEW(r->arena, Sym);
    s->name = name;
    s->kind = k;
    s->ptr = ptr;
    s->src = r->src;
    s->span = span;
    HASH_ADD_KEYPTR(hh, r->m->symbols, s->name, strlen(s->name), s);
    return s;
}

static ValueDef *new_value(Resolver *r, const char *name, ValKind k, Decl *d)
{
    ValueDef *v = ARENA_NEW(r->arena, ValueDef);
    v->name = name;
    v->kind = k;
    v->decl = d;
    v->type.base = T_NUM;
    v->id = r->m->nvalues;
    Model *m = r->m;
    m->values = ptrarr_append(r->arena, m->values, &m->nvalues, v);
    return v;
}

ValueDef *declare_value(Resolver *r, const char *name, Span span, ValKind k, Decl *d)
{
    ValueDef *v = new_value(r, name, k, d);
    declare(r, name, span, SYM_VALUE, v);
    return v;
}

/* ---- params ---- */

static const struct {
    const char *name;
    ParamKind kind;
    BaseType base;
} param_types[] = {
    {"decimal", PARAM_NUM, T_NUM},     {"小数", PARAM_NUM, T_NUM},
    {"number", PARAM_NUM, T_NUM},      {"数值", PARAM_NUM, T_NUM},
    {"percent", PARAM_PERCENT, T_NUM}, {"百分比", PARAM_PERCENT, T_NUM},
    {"int", PARAM_INT, T_NUM},         {"整数", PARAM_INT, T_NUM},
    {"text", PARAM_TEXT, T_TEXT},      {"文本", PARAM_TEXT, T_TEXT},
    {"bool", PARAM_BOOL, T_BOOL},      {"布尔", PARAM_BOOL, T_BOOL},
    {"date", PARAM_DATE, T_DATE},      {"日期", PARAM_DATE, T_DATE},
};

static void declare_param(Resolver *r, Decl *d)
{
    Param *p = ARENA_NEW(r->arena, Param);
    p->name = d->name;
    p->span = d->name_span;
    p->decl = d;
    Model *m = r->m;
    m->params = ptrarr_append(r->arena, m->params, &m->nparams, p);
    declare(r, d->name, d->name_span, SYM_PARAM, p);
}

#include "date.h"

static void resolve_param(Resolver *r, Param *p)
{
    Decl *d = p->decl;
    Expr *e = d->expr;
    bool neg = false;
    if (e->kind == E_UNARY && e->op == OP_NEG && e->a->kind == E_NUM) {
        neg = true;
        e = e->a;
    }
    switch (e->kind) {
    case E_NUM:
        p->kind = e->is_percent ? PARAM_PERCENT : dec_is_integer(e->num) ? PARAM_INT : PARAM_NUM;
        p->type.base = T_NUM;
        p->value.n = neg ? -e->num : e->num;
        break;
    case E_STR:
        p->kind = PARAM_TEXT;
        p->type.base = T_TEXT;
        p->value.t = intern_put(r->m->strings, e->str, strlen(e->str));
        break;
    case E_BOOL:
        p->kind = PARAM_BOOL;
        p->type.base = T_BOOL;
        p->value.b = e->boolean;
        break;
    case E_CALL:
        if ((strcmp(e->name, "date") == 0 || strcmp(e->name, "日期") == 0) && e->args.n == 1 &&
            ((Expr *)e->args.items[0])->kind == E_STR) {
            const char *s = ((Expr *)e->args.items[0])->str;
            p->kind = PARAM_DATE;
            p->type.base = T_DATE;
            if (!date_parse(s, strlen(s), &p->value.d)) bad_date(r, e->args.items[0], e->span);
            break;
        }
        /* fallthrough */
    default:
        RERR(r, d->expr->span,
             "a param's value must be a literal (number, percent, text, true/false or "
             "date(\"...\"))");
        p->type.base = T_ERROR;
        return;
    }
    if (!d->type) {
        if (p->kind == PARAM_INT) p->kind = PARAM_NUM;
        return;
    }
    if (d->type->optional) {
        /* Point at the '?' itself: the type's span covers only its name. */
        const char *text = r->src->text;
        uint32_t at = d->type->span.end;
        while (at < r->src->len && (text[at] == ' ' || text[at] == '\t'))
            at++;
        Span q = at < r->src->len && text[at] == '?' ? (Span){at, at + 1} : d->type->span;
        RERR(r, q, "a param cannot be optional ('?'): it always has its value");
    }
    if (!d->type->name) {
        RERR(r, d->type->span, "a param cannot be an enumeration; use text");
        return;
    }
    size_t ntypes = sizeof param_types / sizeof param_types[0];
    for (size_t i = 0; i < ntypes; i++) {
        if (strcmp(param_types[i].name, d->type->name) != 0) continue;
        ParamKind want = param_types[i].kind;
        bool ok = param_types[i].base == p->type.base;
        if (ok && want == PARAM_INT && !dec_is_integer(p->value.n)) ok = false;
        if (!ok) {
            /* Each type is listed in English, then in Chinese. */
            size_t en = i & ~(size_t)1;
            const char *what = p->type.base == T_TEXT   ? "is text"
                               : p->type.base == T_BOOL ? "is true/false"
                               : p->type.base == T_DATE ? "is a date"
                               : want == PARAM_INT && param_types[i].base == T_NUM
                                   ? "is not a whole number"
                                   : "is a number";
            int len = (int)(d->expr->span.end - d->expr->span.start);
            const char *text = r->src->text + d->expr->span.start;
            bool date_text = want == PARAM_DATE && p->type.base == T_TEXT;
            RERR(r, d->expr->span, "param '%s' is declared %s (%s), but its value %.*s %s%s%.*s%s",
                 p->name, param_types[en].name, param_types[en + 1].name, len, text, what,
                 date_text ? " (write date(" : "", date_text ? len : 0, text,
                 date_text ? "))" : "");
            /* Its uses would only repeat the problem. */
            p->type.base = T_ERROR;
            return;
        }
        p->kind = want;
        return;
    }
    const char *cands[sizeof param_types / sizeof param_types[0]];
    for (size_t i = 0; i < ntypes; i++)
        cands[i] = param_types[i].name;
    const char *best = suggest_closest(d->type->name, cands, ntypes);
    if (best)
        RERR(r, d->type->span, "unknown param type '%s' (did you mean '%s'?)", d->type->name, best);
    else
        RERR(r, d->type->span,
             "unknown param type '%s' (expected decimal, percent, int, text, bool or date)",
             d->type->name);
}

bool resolve_param_override(Model *m, Diags *d, Decl *decl)
{
    static const char *const kinds[] = {"a number", "a percent",     "a whole number",
                                        "text",     "true or false", "a date"};
    Resolver r = {.arena = m->arena, .diags = d, .m = m, .src = decl->src};
    Sym *s = sym_find(&r, decl->name);
    Param *p = s->ptr, q = {.name = decl->name, .span = decl->name_span, .decl = decl};
    size_t errors = d->nerrors;
    resolve_param(&r, &q);
    if (d->nerrors > errors) return false;
    bool ok = q.type.base == p->type.base && (p->kind != PARAM_INT || dec_is_integer(q.value.n)) &&
              p->type.base != T_ERROR;
    if (!ok) {
        Span sp = decl->expr->span;
        int len = (int)(sp.end - sp.start);
        const char *text = decl->src->text + sp.start;
        if (q.type.base == p->type.base)
            RERR(&r, sp, "param '%s' is %s, but %.*s is not", p->name, kinds[p->kind], len, text);
        else
            RERR(&r, sp, "param '%s' is %s, but %.*s is %s", p->name, kinds[p->kind], len, text,
                 kinds[q.kind == PARAM_PERCENT || q.kind == PARAM_INT ? PARAM_NUM : q.kind]);
        diag_at(d, DIAG_NOTE, p->decl->src, p->decl->name_span, "'%s' is declared here", p->name);
        return false;
    }
    p->value = q.value;
    p->overridden = true;
    return true;
}

/* ---- values ---- */

static void declare_indicator(Resolver *r, Indicator *ind, Indicator *parent, Decl *d)
{
    ind->parent = parent;
    ValueDef *v = declare_value(r, ind->name, ind->name_span, VAL_INDICATOR, d);
    v->ind = ind;
    ind->value_id = v->id;
    for (int i = 0; i < ind->children.n; i++)
        declare_indicator(r, ind->children.items[i], ind, d);
    for (int i = 0; i < ind->branches.n; i++) {
        Branch *b = ind->branches.items[i];
        for (int j = 0; j < b->children.n; j++)
            declare_indicator(r, b->children.items[j], ind, d);
    }
}

Value eval_const(Resolver *r, const Expr *e, bool *ok);

/* Children of one level: all weighted or none; weights should total 100%. */
static void check_level(Resolver *r, PtrVec *kids, ValueDef *owner, Span where)
{
    int weighted = 0;
    Dec sum = 0;
    bool all_const = true;
    Ctx cc = {.kind = CTX_CONST};
    for (int i = 0; i < kids->n; i++) {
        Indicator *k = kids->items[i];
        add_dep(owner, r->m->values[k->value_id], r->arena);
        if (!k->weight) continue;
        weighted++;
        Type t = resolve_expr(r, k->weight, &cc);
        expect_type(r, k->weight, t, T_NUM, "a weight");
        bool ok = true;
        Value w = eval_const(r, k->weight, &ok);
        if (ok)
            dec_add(sum, w.n, &sum);
        else
            all_const = false;
    }
    if (weighted && weighted != kids->n) {
        for (int i = 0; i < kids->n; i++) {
            Indicator *k = kids->items[i];
            if (!k->weight)
                RERR(r, k->name_span, "indicator '%s' has no weight, but others at its level do",
                     k->name);
        }
        return;
    }
    if (weighted && all_const && sum != DEC_ONE) {
        char buf[DEC_FMT_MAX];
        Dec pct;
        dec_mul(sum, dec_from_int(100), &pct);
        dec_format(pct, buf);
        RWARN(r, where, "the weights of this level add up to %s%%, not 100%%", buf);
    }
}

static void resolve_indicator(Resolver *r, Indicator *ind)
{
    ValueDef *v = r->m->values[ind->value_id];
    Ctx pc = {.kind = CTX_PERSON, .owner = v};
    if (ind->formula) {
        expect_type(r, ind->formula, resolve_expr(r, ind->formula, &pc), T_NUM,
                    "an indicator's score");
        return;
    }
    if (ind->children.n && ind->branches.n) {
        RERR(r, ind->name_span,
             "indicator '%s' mixes sub-indicators with 'when' variants; put the sub-indicators "
             "inside the variants",
             ind->name);
        return;
    }
    if (ind->children.n) {
        check_level(r, &ind->children, v, ind->name_span);
        for (int i = 0; i < ind->children.n; i++)
            resolve_indicator(r, ind->children.items[i]);
        return;
    }
    if (!ind->branches.n) {
        RERR(r, ind->name_span, "indicator '%s' has neither a formula nor sub-indicators",
             ind->name);
        return;
    }
    /* An 'otherwise' out of place is the problem; no need to also ask for one at the end. */
    bool misplaced = false;
    for (int i = 0; i < ind->branches.n - 1; i++)
        if (!((Branch *)ind->branches.items[i])->cond) misplaced = true;
    for (int i = 0; i < ind->branches.n; i++) {
        Branch *b = ind->branches.items[i];
        bool last = i == ind->branches.n - 1;
        if (!b->cond && !last) {
            RERR(r, b->span, "'otherwise' must be the last variant");
        } else if (b->cond) {
            expect_type(r, b->cond, resolve_expr(r, b->cond, &pc), T_BOOL, "a 'when' condition");
            if (last && !misplaced)
                RERR(r, b->span,
                     "the variants of '%s' need a final 'otherwise', so every person is scored",
                     ind->name);
        }
        if (b->formula) {
            expect_type(r, b->formula, resolve_expr(r, b->formula, &pc), T_NUM,
                        "an indicator's score");
        } else {
            check_level(r, &b->children, v, b->span);
            for (int j = 0; j < b->children.n; j++)
                resolve_indicator(r, b->children.items[j]);
        }
    }
}

static void resolve_formula(Resolver *r, ValueDef *v, Expr *e, const char *what)
{
    Ctx pc = {.kind = CTX_PERSON, .owner = v};
    Type t = resolve_expr(r, e, &pc);
    if (v->kind == VAL_LET) {
        if (t.list) {
            RERR(r, e->span, "a value cannot be a list; aggregate it, e.g. count(%.*s)",
                 (int)(e->span.end - e->span.start), r->src->text + e->span.start);
            t.base = T_ERROR;
        }
        v->type = t;
        v->type.list = false;
    } else {
        expect_type(r, e, t, T_NUM, what);
    }
}

/* ---- dependency order ---- */

static bool visit(Resolver *r, ValueDef *v, PtrVec *stack)
{
    if (v->state == 2) return true;
    if (v->state == 1) {
        int from = 0;
        while (stack->items[from] != v)
            from++;
        char *path = arena_strdup(r->arena, "");
        for (int i = from; i < stack->n; i++)
            path = arena_printf(r->arena, "%s%s -> ", path, ((ValueDef *)stack->items[i])->name);
        path = arena_printf(r->arena, "%s%s", path, v->name);
        /* Point at a value the scheme declares, not at a built-in such as total. */
        ValueDef *at = v;
        for (int i = from; i < stack->n && !at->decl; i++)
            at = stack->items[i];
        Span sp = at->ind ? at->ind->name_span : at->decl ? at->decl->name_span : (Span){0, 0};
        const Source *saved = r->src;
        if (at->decl) r->src = at->decl->src;
        RERR(r, sp, "values depend on each other in a cycle: %s", path);
        r->src = saved;
        return false;
    }
    v->state = 1;
    ptrvec_push(r->arena, stack, v);
    for (int i = 0; i < v->deps.n; i++)
        if (!visit(r, v->deps.items[i], stack)) return false;
    stack->n--;
    v->state = 2;
    ptrvec_push(r->arena, &r->m->order, v);
    return true;
}

Value eval_const(Resolver *r, const Expr *e, bool *ok)
{
    Value v = {0};
    (void)r;
    if (e->kind == E_NUM) {
        v.n = e->num;
    } else if (e->bound && e->bound->kind == B_PARAM && e->bound->param->type.base == T_NUM) {
        v = e->bound->param->value;
    } else if (e->kind == E_UNARY && e->op == OP_NEG) {
        v = eval_const(r, e->a, ok);
        v.n = -v.n;
    } else if (e->kind == E_BINARY && e->op <= OP_DIV) {
        Value a = eval_const(r, e->a, ok), b = eval_const(r, e->b, ok);
        if (!*ok) return v;
        DecStatus st = e->op == OP_ADD   ? dec_add(a.n, b.n, &v.n)
                       : e->op == OP_SUB ? dec_sub(a.n, b.n, &v.n)
                       : e->op == OP_MUL ? dec_mul(a.n, b.n, &v.n)
                                         : dec_div(a.n, b.n, &v.n);
        if (st != DEC_OK && st != DEC_INEXACT) *ok = false;
    } else {
        *ok = false;
    }
    return v;
}

bool const_number(const Expr *e, Dec *out)
{
    bool ok = true;
    Value v = eval_const(NULL, e, &ok);
    if (ok) *out = v.n;
    return ok;
}

static void declare_builtins(Resolver *r)
{
    Model *m = r->m;
    static const char *const zh[] = {"得分", "加分合计", "减分合计", "总分"};
    m->v_score = declare_value(r, "score", (Span){0, 0}, VAL_SCORE, NULL);
    m->v_bonus_total = declare_value(r, "bonus_total", (Span){0, 0}, VAL_BONUS_TOTAL, NULL);
    m->v_penalty_total = declare_value(r, "penalty_total", (Span){0, 0}, VAL_PENALTY_TOTAL, NULL);
    m->v_total = declare_value(r, "total", (Span){0, 0}, VAL_TOTAL, NULL);
    ValueDef *vs[] = {m->v_score, m->v_bonus_total, m->v_penalty_total, m->v_total};
    for (int i = 0; i < 4; i++)
        declare(r, zh[i], (Span){0, 0}, SYM_VALUE, vs[i]);
    m->v_grade = declare_value(r, "grade", (Span){0, 0}, VAL_GRADE, NULL);
    m->v_grade->type.base = T_TEXT;
    m->v_rank = declare_value(r, "rank", (Span){0, 0}, VAL_RANK, NULL);
    declare(r, "名次", (Span){0, 0}, SYM_VALUE, m->v_rank);
    add_dep(m->v_rank, m->v_grade, r->arena);
    add_dep(m->v_total, m->v_score, r->arena);
    add_dep(m->v_total, m->v_bonus_total, r->arena);
    add_dep(m->v_total, m->v_penalty_total, r->arena);
}

static void declare_decl(Resolver *r, Decl *d)
{
    Model *m = r->m;
    r->src = d->src;
    switch (d->kind) {
    case D_TABLE: declare_table(r, d); break;
    case D_PARAM: declare_param(r, d); break;
    case D_GROUP: {
        Group *g = ARENA_NEW(r->arena, Group);
        g->name = d->name;
        g->span = d->name_span;
        g->src = d->src;
        g->decl = d;
        g->keys = d->keys;
        m->groups = ptrarr_append(r->arena, m->groups, &m->ngroups, g);
        declare(r, d->name, d->name_span, SYM_GROUP, g);
        break;
    }
    case D_LET: declare_value(r, d->name, d->name_span, VAL_LET, d)->formula = d->expr; break;
    case D_INDICATOR:
        declare_indicator(r, d->ind, NULL, d);
        ptrvec_push(r->arena, &m->top_indicators, d->ind);
        break;
    case D_BONUS:
    case D_PENALTY: {
        ValueDef *v = declare_value(r, d->name, d->name_span,
                                    d->kind == D_BONUS ? VAL_BONUS : VAL_PENALTY, d);
        v->formula = d->expr;
        v->cap = d->cap;
        ptrvec_push(r->arena, d->kind == D_BONUS ? &m->bonuses : &m->penalties, v);
        break;
    }
    case D_BONUS_CAP:
    case D_PENALTY_CAP: {
        Expr **cap = d->kind == D_BONUS_CAP ? &m->bonus_cap : &m->penalty_cap;
        if (*cap)
            RERR(r, d->span, "the total %s cap is declared twice",
                 d->kind == D_BONUS_CAP ? "bonus" : "penalty");
        *cap = d->expr;
        break;
    }
    case D_ADJUST: {
        ValueDef *v = new_value(r, d->name, VAL_ADJUST, d);
        v->formula = d->expr;
        v->cond = d->cond;
        ptrvec_push(r->arena, &m->adjusts, v);
        for (int i = 0; i < m->adjusts.n - 1; i++)
            if (strcmp(((ValueDef *)m->adjusts.items[i])->name, d->name) == 0)
                RERR(r, d->name_span, "adjustment '%s' is declared twice", d->name);
        break;
    }
    case D_ASSESS:
        if (m->assessed)
            RERR(r, d->span, "only one table can be assessed");
        else
            m->assessed = (Table *)d; /* resolved to the table once all are declared */
        break;
    case D_FUNC: declare(r, d->name, d->name_span, SYM_FUNC, d); break;
    case D_GRADES: declare_grades(r, d); break;
    case D_IMPORT:
        /* Imports are loaded with the file, before any test is chosen. */
        if (d->in_test)
            RERR(r, d->span, "a test cannot import; write the import at the top of the file");
        break;
    case D_VETO:
    case D_OUTPUT:
    case D_GRADE_RULE: /* merged into the base's grades by extends.c */
    case D_PERIOD: /* resolve_period.c */ break;
    }
}

void resolve_let(Resolver *r, ValueDef *v)
{
    if (v->typing) return;
    v->typing = 1;
    const Source *src = r->src;
    r->src = v->decl->src;
    resolve_formula(r, v, v->formula, "a value");
    r->src = src;
    v->typing = 2;
}

static void resolve_values(Resolver *r)
{
    Model *m = r->m;
    for (int i = 0; i < m->nvalues; i++) {
        ValueDef *v = m->values[i];
        if (!v->decl) continue;
        r->src = v->decl->src;
        if (v->kind == VAL_LET) resolve_let(r, v);
        if (v->kind == VAL_BONUS || v->kind == VAL_PENALTY) {
            resolve_formula(r, v, v->formula, v->kind == VAL_BONUS ? "a bonus" : "a penalty");
            if (v->cap) resolve_formula(r, v, v->cap, "a cap");
            add_dep(v->kind == VAL_BONUS ? m->v_bonus_total : m->v_penalty_total, v, r->arena);
        }
    }
    for (int i = 0; i < m->top_indicators.n; i++) {
        Indicator *ind = m->top_indicators.items[i];
        r->src = m->values[ind->value_id]->decl->src;
        resolve_indicator(r, ind);
    }
    if (m->top_indicators.n) {
        r->src = m->values[((Indicator *)m->top_indicators.items[0])->value_id]->decl->src;
        check_level(r, &m->top_indicators, m->v_score,
                    ((Indicator *)m->top_indicators.items[0])->name_span);
    }
    Ctx pc = {.kind = CTX_PERSON, .owner = m->v_bonus_total};
    if (m->bonus_cap)
        expect_type(r, m->bonus_cap, resolve_expr(r, m->bonus_cap, &pc), T_NUM, "a cap");
    pc.owner = m->v_penalty_total;
    if (m->penalty_cap)
        expect_type(r, m->penalty_cap, resolve_expr(r, m->penalty_cap, &pc), T_NUM, "a cap");
    /* Each adjustment is a stage of the total; `total` inside it is the stage before. */
    ValueDef *prev = m->v_total_base;
    for (int i = 0; i < m->adjusts.n; i++) {
        ValueDef *v = m->adjusts.items[i];
        r->src = v->decl->src;
        Ctx ac = {.kind = CTX_PERSON, .owner = v, .total_alias = prev};
        if (v->cond) expect_type(r, v->cond, resolve_expr(r, v->cond, &ac), T_BOOL, "a condition");
        expect_type(r, v->formula, resolve_expr(r, v->formula, &ac), T_NUM, "an adjusted total");
        add_dep(v, prev, r->arena);
        v->prev_total = prev->id;
        prev = v;
    }
}

/* Readers of `total` (outside the adjustments themselves) see the last
** adjustment stage; decided before any formula is resolved. */
static void alias_total(Resolver *r)
{
    Model *m = r->m;
    m->v_total_base = m->v_total;
    if (!m->adjusts.n) return;
    ValueDef *last = m->adjusts.items[m->adjusts.n - 1];
    sym_find(r, "total")->ptr = last;
    sym_find(r, "总分")->ptr = last;
    m->v_total = last;
}

void resolve_group(Resolver *r, Group *g)
{
    if (g->resolving) return;
    g->resolving = 1;
    const Source *src = r->src;
    r->src = g->src;
    Sym *s = sym_find(r, g->decl->table);
    if (!s || s->kind != SYM_TABLE) {
        unknown_table(r, g->decl->table, g->decl->table_span);
    } else if (s->ptr != r->m->assessed) {
        RERR(r, g->decl->table_span,
             "groups are made of the assessed table's rows ('%s'), not of '%s'",
             r->m->assessed->name, g->decl->table);
    } else {
        Ctx pc = {.kind = CTX_PERSON};
        for (int k = 0; k < g->keys.n; k++) {
            Expr *e = g->keys.items[k];
            Type t = resolve_expr(r, e, &pc);
            if (t.list) RERR(r, e->span, "cannot group by a list");
        }
    }
    r->src = src;
    g->resolving = 2;
}

static void resolve_groups(Resolver *r)
{
    for (int i = 0; i < r->m->ngroups; i++)
        resolve_group(r, r->m->groups[i]);
}

/* ---- functions ---- */

typedef struct FuncGraph {
    Decl **fs;
    int n;
    bool *calls; /* n x n: fs[i]'s body calls fs[j] */
    bool *reach; /* n x n: fs[i] leads to a call of fs[j] */
} FuncGraph;

static int func_index(Resolver *r, const FuncGraph *g, const char *name)
{
    Sym *s = sym_find(r, name);
    if (!s || s->kind != SYM_FUNC) return -1;
    for (int i = 0; i < g->n; i++)
        if (g->fs[i] == s->ptr) return i;
    return -1;
}

/* Calls to user functions in e, in written order, into out (Expr *). */
static void func_calls(Resolver *r, const FuncGraph *g, Expr *e, PtrVec *out)
{
    if (!e) return;
    if (e->kind == E_CALL && func_index(r, g, e->name) >= 0) ptrvec_push(r->arena, out, e);
    func_calls(r, g, e->a, out);
    func_calls(r, g, e->b, out);
    func_calls(r, g, e->c, out);
    func_calls(r, g, e->where, out);
    for (int i = 0; i < e->args.n; i++)
        func_calls(r, g, e->args.items[i], out);
}

/* A function is expanded where it is called, so one that calls itself, even
** through others or under an 'if', never stops expanding. Reports each cycle
** once, at a call in the first function of it, and marks every function of
** it as bad, so calls to them stay quiet. Runs before anything expands them. */
static void find_recursive_funcs(Resolver *r)
{
    FuncGraph g = {0};
    for (Sym *s = r->m->symbols; s; s = s->hh.next)
        if (s->kind == SYM_FUNC) g.n++;
    if (!g.n) return;
    g.fs = ARENA_ARR(r->arena, Decl *, g.n);
    g.n = 0;
    for (Sym *s = r->m->symbols; s; s = s->hh.next)
        if (s->kind == SYM_FUNC) g.fs[g.n++] = s->ptr;
    int n = g.n;
    size_t cells = (size_t)n * (size_t)n;
    g.calls = ARENA_ARR(r->arena, bool, cells);
    g.reach = ARENA_ARR(r->arena, bool, cells);
    PtrVec *sites = ARENA_ARR(r->arena, PtrVec, n);
    for (int i = 0; i < n; i++) {
        func_calls(r, &g, g.fs[i]->expr, &sites[i]);
        for (int k = 0; k < sites[i].n; k++)
            g.calls[i * n + func_index(r, &g, ((Expr *)sites[i].items[k])->name)] = true;
    }
    /* reach = transitive closure of calls */
    memcpy(g.reach, g.calls, sizeof(bool) * cells);
    for (int k = 0; k < n; k++)
        for (int i = 0; i < n; i++)
            if (g.reach[i * n + k])
                for (int j = 0; j < n; j++)
                    if (g.reach[k * n + j]) g.reach[i * n + j] = true;
    for (int i = 0; i < n; i++) {
        Decl *f = g.fs[i];
        if (!g.reach[i * n + i] || ptrvec_has(&r->bad_funcs, f)) continue;
        for (int k = 0; k < sites[i].n; k++) {
            Expr *call = sites[i].items[k];
            int j = func_index(r, &g, call->name);
            if (j != i && !g.reach[j * n + i]) continue;
            r->src = f->src;
            if (j == i)
                RERR(r, call->span, "function '%s' calls itself", f->name);
            else
                RERR(r, call->span, "function '%s' calls itself through '%s'", f->name,
                     g.fs[j]->name);
            break;
        }
        for (int j = 0; j < n; j++)
            if (j == i || (g.reach[i * n + j] && g.reach[j * n + i]))
                ptrvec_push(r->arena, &r->bad_funcs, g.fs[j]);
    }
}

static void check_funcs(Resolver *r)
{
    for (Sym *s = r->m->symbols; s; s = s->hh.next) {
        if (s->kind != SYM_FUNC) continue;
        Decl *d = s->ptr;
        r->src = d->src;
        for (int i = 0; i < d->keys.n; i++) {
            Expr *p = d->keys.items[i];
            if (p->kind != E_NAME) RERR(r, p->span, "a function's parameters must be names");
        }
        Ctx fc = {.kind = CTX_CONST, .func = d};
        size_t errors = r->diags->nerrors;
        resolve_expr(r, d->expr, &fc);
        /* Reported once here, not again at every call. */
        if (r->diags->nerrors > errors && !ptrvec_has(&r->bad_funcs, d))
            ptrvec_push(r->arena, &r->bad_funcs, d);
    }
}

static void warn_unused(Resolver *r, const Source *main_src)
{
    for (Sym *s = r->m->symbols; s; s = s->hh.next) {
        if (s->used || s->src != main_src) continue;
        r->src = s->src;
        if (s->kind == SYM_PARAM) RWARN(r, s->span, "param '%s' is never used", s->name);
        if (s->kind == SYM_VALUE && ((ValueDef *)s->ptr)->kind == VAL_LET)
            RWARN(r, s->span, "value '%s' is never used", s->name);
        if (s->kind == SYM_GROUP) RWARN(r, s->span, "group '%s' is never used", s->name);
    }
}

/* Does the scheme declare anything that is computed for persons? A module of
** params and functions (std/scoring) does not. */
static bool needs_persons(const Model *m)
{
    for (int p = 0; p < m->programs.n; p++) {
        Program *prog = m->programs.items[p];
        for (int i = 0; i < prog->decls.n; i++) {
            DeclKind k = ((Decl *)prog->decls.items[i])->kind;
            if (k != D_IMPORT && k != D_PARAM && k != D_FUNC) return true;
        }
    }
    return false;
}

static bool find_assessed(Resolver *r)
{
    Model *m = r->m;
    Decl *d = (Decl *)m->assessed;
    m->assessed = NULL;
    if (!d && r->library_ok && !needs_persons(m)) return false; /* params and functions only */
    if (!d) {
        /* Point at the first table, the scheme's own before an imported one's. */
        Decl *first = NULL;
        for (int p = 0; p < m->programs.n && !first; p++) {
            Program *prog = m->programs.items[p];
            for (int i = 0; i < prog->decls.n && !first; i++)
                if (((Decl *)prog->decls.items[i])->kind == D_TABLE) first = prog->decls.items[i];
        }
        if (!first) {
            r->src = ((Program *)m->programs.items[0])->src;
            RERR(r, NOSPAN,
                 "the scheme declares no table to assess (add e.g. 'table persons key person_id "
                 "{ ... }' and 'assess persons')");
            return false;
        }
        r->src = first->src;
        RERR(r, first->name_span,
             "the scheme does not say which table is assessed (add e.g. '%s %s')",
             written_in_chinese(first->src, first->span) ? "考核对象" : "assess", first->name);
        return false;
    }
    r->src = d->src;
    Sym *s = sym_find(r, d->name);
    if (!s || s->kind != SYM_TABLE) {
        unknown_table(r, d->name, d->name_span);
        return false;
    }
    s->used = true;
    m->assessed = s->ptr;
    m->assessed->assessed = true;
    for (int i = 0; i < m->ntables; i++) {
        Table *t = m->tables[i];
        t->streamed = !t->assessed && !t->referenced;
    }
    return true;
}

Model *resolve_scheme(Arena *a, Diags *d, PtrVec *programs, Intern *shared)
{
    return resolve_scheme_with(a, d, programs, false, shared);
}

/* A change to a base scheme that was never merged into one (extends.c merges
** them, and reports those of a scheme that extends nothing): it declares
** nothing that could be resolved. */
static bool unmerged_change(const Decl *d)
{
    if (d->change == CHANGE_REMOVE || d->kind == D_GRADE_RULE) return true;
    return d->kind == D_INDICATOR && d->change == CHANGE_REPLACE && !d->ind->formula &&
           !d->ind->children.n && !d->ind->branches.n;
}

static void drop_unmerged_changes(Resolver *r, PtrVec *programs)
{
    for (int p = 0; p < programs->n; p++) {
        Program *prog = programs->items[p];
        int kept = 0;
        for (int i = 0; i < prog->decls.n; i++) {
            Decl *dl = prog->decls.items[i];
            if (!unmerged_change(dl)) {
                prog->decls.items[kept++] = dl;
                continue;
            }
            r->src = dl->src;
            RERR(r, dl->span, "'%s' changes a base scheme, but this one extends none",
                 dl->change == CHANGE_REMOVE ? "remove" : "replace");
        }
        prog->decls.n = kept;
    }
}

Model *resolve_scheme_with(Arena *a, Diags *d, PtrVec *programs, bool library_ok, Intern *shared)
{
    Model *m = ARENA_NEW(a, Model);
    m->arena = a;
    m->diags = d;
    m->programs = *programs;
    m->strings = shared ? shared : &m->own_strings;
    if (!shared) intern_init(m->strings);
    Resolver r = {.arena = a, .diags = d, .m = m, .library_ok = library_ok};
    drop_unmerged_changes(&r, programs);
    Program *main_prog = programs->items[0];
    m->scheme_name = main_prog->scheme_name;
    m->version = main_prog->version;
    declare_builtins(&r);
    for (int p = 0; p < programs->n; p++) {
        Program *prog = programs->items[p];
        for (int i = 0; i < prog->decls.n; i++)
            declare_decl(&r, prog->decls.items[i]);
    }
    size_t errors_before = d->nerrors;
    alias_total(&r);
    resolve_refs(&r);
    order_tables(&r);
    resolve_dated_params(&r);
    for (int i = 0; i < m->nparams; i++) {
        r.src = m->params[i]->decl->src;
        resolve_param(&r, m->params[i]);
    }
    resolve_steps(&r);
    find_recursive_funcs(&r);
    bool assessed = find_assessed(&r);
    if (assessed || (library_ok && !d->nerrors)) check_funcs(&r);
    if (assessed) {
        resolve_groups(&r);
        resolve_values(&r);
        for (int p = 0; p < programs->n; p++) {
            Program *prog = programs->items[p];
            for (int i = 0; i < prog->decls.n; i++) {
                Decl *dd = prog->decls.items[i];
                r.src = dd->src;
                if (dd->kind == D_VETO) resolve_veto(&r, dd);
                if (dd->kind == D_OUTPUT) resolve_output(&r, dd);
            }
        }
        resolve_grades(&r);
    }
    (void)errors_before;
    if (d->nerrors == 0) {
        PtrVec stack = {0};
        for (int i = 0; i < m->nvalues; i++)
            if (!visit(&r, m->values[i], &stack)) break;
        warn_unused(&r, main_prog->src);
        lint_model(m, main_prog->src);
    }
    if (d->nerrors) {
        resolve_free(m);
        return NULL;
    }
    return m;
}

void resolve_free(Model *m)
{
    if (m->strings == &m->own_strings) intern_free(m->strings);
    HASH_CLEAR(hh, m->symbols);
}
