/*
** testrun.c — running the tests written in a rule file (`kaoping test`).
**
** Each test is compiled on its own: the file is read and compiled afresh
** with the test's declarations, its rows are loaded as a table's CSV would
** be, and its expectations are resolved (resolve_test.c, test_rows.c). A
** fresh compile per test is the simplest isolation there is: a run keeps
** state in the model (columns, grades, aggregates), and none of it can leak
** from one test into the next. Only when every test of a file compiles are
** they run, in the order written; then each expectation compares a result
** with its expected value, exactly (decimals are compared as decimals).
*/
#include "date.h"
#include "load.h"
#include "parse.h"
#include "scheme.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* How many tests the file writes (its syntax errors are reported by the
** compiles that follow). */
static int count_tests(const char *path)
{
    const char *err;
    Source *src = source_load(path, &err);
    if (!src) return 0;
    Arena a;
    arena_init(&a);
    Diags scratch;
    diags_init(&scratch);
    int n = parse_program(&a, src, &scratch)->tests.n;
    diags_free(&scratch);
    arena_free(&a);
    source_free(src);
    return n;
}

/* Compiles test i: scheme, the test's declarations and expectations, its
** rows loaded, the persons its expectations name found. */
static KpScheme *prepare(const char *path, int i, Diags *d)
{
    KpScheme *s = scheme_compile(path, i, d);
    if (!s || !s->test) return s;
    Model *m = s->m;
    bool ok = resolve_test(m, d, s->test);
    if (ok && m->assessed) {
        jmp_buf on_error;
        s->ev.d = d;
        s->ev.on_error = &on_error;
        if (setjmp(on_error))
            ok = false; /* an error while an event table's rows were folded */
        else
            ok = load_tables(&s->ev, NULL) && resolve_test_keys(m, d, s->test);
    }
    if (!ok) {
        kp_free(s);
        return NULL;
    }
    return s;
}

/* ---- checking one expectation ---- */

static void put_value(Model *m, Type t, Value v, char *out, size_t cap)
{
    if (v.null) {
        snprintf(out, cap, "(empty)");
        return;
    }
    switch (t.base) {
    case T_TEXT: snprintf(out, cap, "%s", intern_str(m->strings, v.t, NULL)); break;
    case T_BOOL: snprintf(out, cap, "%s", v.b ? "true" : "false"); break;
    case T_DATE: date_format(v.d, out); break;
    default: dec_format(v.n, out); break;
    }
}

/* [违纪违法, 试用期]: the vetoes that fired, or the grades the person is eligible for. */
static void put_names(Model *m, const Expect *x, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "[");
    bool vetoes = x->subject == EXPECT_VETOES;
    int count = vetoes ? m->nvetoes : m->ngrades, k = 0;
    for (int i = 0; i < count && n < cap; i++) {
        bool in = vetoes ? (m->vetoes_fired[x->row] >> i) & 1
                         : m->grades[i].rule->require &&
                               m->eligible[(size_t)x->row * (size_t)m->ngrades + (size_t)i] == 1;
        if (in)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", k++ ? ", " : "",
                                  vetoes ? m->vetoes[i]->name : m->grades[i].name);
    }
    if (n < cap) snprintf(out + n, cap - n, "]");
}

static bool compare(Op op, BaseType t, Value a, Value b)
{
    int c;
    if (a.null || b.null)
        c = a.null && b.null ? 0 : 2; /* 2: unequal, and neither less nor greater */
    else if (t == T_NUM)
        c = dec_cmp(a.n, b.n);
    else if (t == T_DATE)
        c = (a.d > b.d) - (a.d < b.d);
    else if (t == T_TEXT)
        c = a.t == b.t ? 0 : 2;
    else
        c = a.b == b.b ? 0 : 2;
    switch (op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c == -1;
    case OP_LE: return c == -1 || c == 0;
    case OP_GT: return c == 1;
    default: return c == 1 || c == 0;
    }
}

/* Whether x holds; `actual` says what was found. */
static bool check(KpScheme *s, const Expect *x, char *actual, size_t cap)
{
    Model *m = s->m;
    Eval *ev = &s->ev;
    if (x->subject == EXPECT_VETOES || x->subject == EXPECT_ELIGIBLE) {
        put_names(m, x, actual, cap);
        bool in =
            x->subject == EXPECT_VETOES
                ? (m->vetoes_fired[x->row] >> x->item_index) & 1
                : m->eligible[(size_t)x->row * (size_t)m->ngrades + (size_t)x->item_index] == 1;
        return in != x->negated;
    }
    Value a =
        x->subject == EXPECT_VALUE ? value_get(ev, x->val, x->row) : eval_expr(ev, x->lhs, -1);
    Type t = x->subject == EXPECT_VALUE ? x->val->type : x->lhs->bound->type;
    put_value(m, t, a, actual, cap);
    if (!x->rhs) return !a.null && a.b;
    Value b = eval_expr(ev, x->rhs, -1);
    return compare(x->op, t.base, a, b);
}

static void add_line(KpTestReport *rep, const Source *src, Span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_line(KpTestReport *rep, const Source *src, Span at, const char *fmt, ...)
{
    uint32_t line, col;
    source_linecol(src, at.start, &line, &col);
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(src->path) + strlen(msg) + 32;
    char *text = xmalloc(n);
    snprintf(text, n, "%s:%u:%u: %s", src->path, (unsigned)line, (unsigned)col, msg);
    rep->lines = xrealloc(rep->lines, sizeof(char *) * (size_t)(rep->nlines + 1));
    rep->lines[rep->nlines++] = text;
}

static void fail_line(KpTestReport *rep, const TestBlock *tb, const Expect *x, const char *why)
{
    char *text = xmalloc((size_t)(x->span.end - x->span.start) + 4);
    source_flatten(tb->src, x->span, 0, text);
    add_line(rep, tb->src, x->span, "FAIL test \"%s\": %s; %s", tb->name, text, why);
    free(text);
}

/* Runs a prepared test: false when an expectation failed or the run stopped. */
static bool run_test(KpScheme *s, KpTestReport *rep, Diags *d)
{
    TestBlock *tb = s->test;
    if (s->m->assessed && !scheme_compute(s, d)) {
        add_line(rep, tb->src, tb->span, "FAIL test \"%s\": stopped by the error reported above",
                 tb->name);
        return false;
    }
    jmp_buf on_error;
    s->ev.d = d;
    s->ev.on_error = &on_error;
    volatile int i = 0; /* the expectation being checked, when an error jumps back */
    if (setjmp(on_error)) {
        fail_line(rep, tb, tb->expects.items[i], "stopped by the error reported above");
        return false;
    }
    bool ok = true;
    for (; i < tb->expects.n; i++) {
        Expect *x = tb->expects.items[i];
        char actual[1024], why[1040];
        rep->expectations++;
        if (check(s, x, actual, sizeof actual)) continue;
        snprintf(why, sizeof why, "actual %s", actual);
        fail_line(rep, tb, x, why);
        ok = false;
    }
    return ok;
}

/* Adds one test's coverage to the file's: the same scheme, the same items. */
static void add_coverage(KpCoverage *sum, KpScheme *s)
{
    KpCoverage c;
    if (!kp_coverage(s, &c)) return;
    if (!sum->items) {
        *sum = c;
        return;
    }
    sum->persons += c.persons;
    for (int i = 0; i < c.n && i < sum->n; i++)
        sum->items[i].count += c.items[i].count;
    kp_coverage_free(&c);
}

/* Compiles every test of the file into ss (n of them); errors go to d once. */
static bool prepare_all(const char *path, KpScheme **ss, int n, Diags *d)
{
    bool ok = true;
    for (int i = 0; i < n || (n == 0 && i == 0); i++) {
        Diags td;
        diags_init(&td);
        KpScheme *s = prepare(path, i, &td);
        diags_merge(d, &td, false);
        diags_free(&td);
        if (!s) ok = false;
        if (n)
            ss[i] = s;
        else
            kp_free(s);
    }
    return ok;
}

bool kp_test_file(const char *path, bool coverage, KpTestReport *rep, Diags *d)
{
    int n = count_tests(path);
    KpScheme **ss = xcalloc((size_t)(n ? n : 1), sizeof *ss);
    bool ok = prepare_all(path, ss, n, d);
    for (int i = 0; ok && i < n; i++) {
        if (coverage) kp_keep_columns(ss[i]);
        if (run_test(ss[i], rep, d))
            rep->passed++;
        else
            rep->failed++;
        if (coverage) add_coverage(&rep->coverage, ss[i]);
    }
    for (int i = 0; i < n; i++)
        kp_free(ss[i]);
    free(ss);
    return ok;
}

bool kp_check_tests(const char *path, Diags *d)
{
    int n = count_tests(path);
    KpScheme **ss = xcalloc((size_t)(n ? n : 1), sizeof *ss);
    bool ok = n == 0 || prepare_all(path, ss, n, d);
    for (int i = 0; i < n; i++)
        kp_free(ss[i]);
    free(ss);
    return ok;
}

void kp_test_report_free(KpTestReport *rep)
{
    for (int i = 0; i < rep->nlines; i++)
        free(rep->lines[i]);
    free(rep->lines);
    kp_coverage_free(&rep->coverage);
    memset(rep, 0, sizeof *rep);
}
