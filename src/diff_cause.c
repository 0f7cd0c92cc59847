/*
** diff_cause.c — why one person's result changed (see diff.h): vetoes that
** fire in one version only, eligibility gained or lost, a grade's condition
** met in one version only, the person's place against a quota, and every
** item whose contribution to the total moved, largest first.
*/
#include "diff.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

int diff_max_causes(const KpDiff *df)
{
    return df->nitems + df->nvetoes + df->ngrades + 4;
}

/* A condition for one person: 1 met, 0 not, -1 when it cannot be told (it
** uses an absent value). Grading never needed it for this person, so a
** runtime error here is no error of the run: it is caught and dropped. */
static int8_t cond_state(Eval *ev, Expr *e, int32_t row)
{
    jmp_buf jb, *saved = ev->on_error;
    Diags scratch, *saved_d = ev->d;
    diags_init(&scratch);
    ev->on_error = &jb;
    ev->d = &scratch;
    volatile int8_t st = -1;
    if (!setjmp(jb)) {
        Value v = eval_expr(ev, e, row);
        st = v.null ? -1 : v.b;
    }
    ev->on_error = saved;
    ev->d = saved_d;
    diags_free(&scratch);
    return st;
}

static bool same_effect(const KpDiff *df, const Veto *a, const Veto *b)
{
    if (a->effect != b->effect) return false;
    if (a->effect == VETO_UNGRADED) return true;
    return strcmp(df->side[0].m->grades[a->grade].name, df->side[1].m->grades[b->grade].name) == 0;
}

/* A veto that fires in one version only, or in both with another effect. */
static int vetoes(const KpDiff *df, int32_t row, Cause *out)
{
    int n = 0;
    for (int u = 0; u < df->nvetoes; u++) {
        Cause c = {.kind = CAUSE_VETO, .name = df->vetoes[u].name};
        for (int side = 0; side < 2; side++) {
            const Model *m = df->side[side].m;
            int i = df->vetoes[u].idx[side];
            c.state[side] = i < 0 ? -1 : (int8_t)((m->vetoes_fired[row] >> i) & 1);
            c.veto[side] = i < 0 ? NULL : m->vetoes[i];
        }
        bool both = c.state[0] == 1 && c.state[1] == 1;
        if (both ? same_effect(df, c.veto[0], c.veto[1]) : (c.state[0] == 1) == (c.state[1] == 1))
            continue;
        out[n++] = c;
    }
    return n;
}

/* Eligibility for a grade both versions have (for any other it is moot). */
static int eligibility(const KpDiff *df, int32_t row, Cause *out)
{
    int n = 0;
    for (int u = 0; u < df->ngrades; u++) {
        const DiffName *g = &df->grades[u];
        if (g->idx[0] < 0 || g->idx[1] < 0) continue;
        int8_t st[2];
        for (int side = 0; side < 2; side++) {
            const Model *m = df->side[side].m;
            uint8_t e = m->eligible[(size_t)row * (size_t)m->ngrades + (size_t)g->idx[side]];
            st[side] = e != 0; /* 2: the grade has no requirement */
        }
        if (st[0] != st[1])
            out[n++] = (Cause){.kind = CAUSE_ELIGIBLE, .name = g->name, .state = {st[0], st[1]}};
    }
    return n;
}

/* The `when` of the person's old or new grade, met in one version only. */
static int condition(const KpDiff *df, int32_t row, int u, Cause *out)
{
    const DiffName *g = &df->grades[u];
    if (g->idx[0] < 0 || g->idx[1] < 0) return 0;
    int8_t st[2];
    const Expr *shown = NULL;
    for (int side = 0; side < 2; side++) {
        const DiffSide *s = &df->side[side];
        Expr *when = s->m->grades[g->idx[side]].rule->when;
        st[side] = when ? cond_state(s->ev, when, row) : 1;
        if (when) shown = when;
    }
    if (!shown || st[0] < 0 || st[1] < 0 || st[0] == st[1]) return 0;
    *out =
        (Cause){.kind = CAUSE_CONDITION, .name = g->name, .state = {st[0], st[1]}, .cond = shown};
    return 1;
}

/* The person's rank against the quota of their old or new grade. */
static int quota(const KpDiff *df, int32_t row, int u, Cause *out)
{
    const DiffName *g = &df->grades[u];
    Cause c = {.kind = CAUSE_QUOTA, .name = g->name, .quota = {-1, -1}, .ahead = {-1, -1}};
    bool any = false;
    for (int side = 0; side < 2; side++) {
        const Model *m = df->side[side].m;
        c.rank[side] = diff_rank(df, side, row);
        if (g->idx[side] < 0 || !m->grades[g->idx[side]].quota) continue;
        int32_t gid = m->grade_group ? m->grade_group->gid[row] : 0;
        c.quota[side] = m->grades[g->idx[side]].quota[gid];
        int32_t *ahead = df->side[side].ahead[g->idx[side]];
        if (ahead) c.ahead[side] = ahead[row];
        any = true;
    }
    if (!any || (c.rank[0] == c.rank[1] && c.quota[0] == c.quota[1] && c.ahead[0] == c.ahead[1]))
        return 0;
    *out = c;
    return 1;
}

static int item_cmp(const void *pa, const void *pb)
{
    const Cause *a = pa, *b = pb;
    int c = dec_cmp(dec_abs(b->delta), dec_abs(a->delta));
    return c ? c : (a->item > b->item) - (a->item < b->item);
}

/* -1 when the person moved up (their new grade comes first in the new
** version's order), 1 when down, 0 when it cannot be told (ungraded). */
static int direction(const KpDiff *df, int g0, int g1)
{
    int a = df->grades[g0].idx[1], b = df->grades[g1].idx[1];
    return a < 0 || b < 0 ? 0 : b < a ? -1 : 1;
}

int diff_causes(KpDiff *df, int32_t row, Cause *out)
{
    int n = vetoes(df, row, out);
    n += eligibility(df, row, out + n);
    int g0 = df->grade[0][row], g1 = df->grade[1][row];
    /* the old grade's condition and quota explain a move down, the new one's a move up */
    int dir = g0 == g1 ? 0 : direction(df, g0, g1);
    if (dir >= 0) n += condition(df, row, g0, out + n);
    if (g1 != g0 && dir <= 0) n += condition(df, row, g1, out + n);
    if (dir >= 0) n += quota(df, row, g0, out + n);
    if (g1 != g0 && dir <= 0) n += quota(df, row, g1, out + n);
    int first_item = n;
    for (int i = 0; i < df->nitems; i++) {
        const DiffItem *it = &df->items[i];
        Dec a = diff_item_value(df, it, 0, row), b = diff_item_value(df, it, 1, row);
        if (a == b) continue;
        out[n++] =
            (Cause){.kind = CAUSE_ITEM, .name = it->name, .item = i, .val = {a, b}, .delta = b - a};
    }
    qsort(out + first_item, (size_t)(n - first_item), sizeof(Cause), item_cmp);
    return n;
}

/* ---- in words ---- */

static const char *const item_en[] = {"indicator", "bonus",       "bonus cap",
                                      "penalty",   "penalty cap", "adjustment"};
static const char *const item_zh[] = {"指标", "加分", "加分封顶", "减分", "减分封顶", "调整"};

void item_label(const DiffItem *it, bool zh, Wbuf *b)
{
    wbuf_str(b, (zh ? item_zh : item_en)[it->kind]);
    if (it->name) {
        wbuf_char(b, ' ');
        wbuf_str(b, it->name);
    }
    if (!it->v[0]) wbuf_str(b, zh ? "（新增）" : " (new)");
    if (!it->v[1]) wbuf_str(b, zh ? "（删除）" : " (removed)");
}

const char *cause_kind_name(const KpDiff *df, const Cause *c)
{
    static const char *const kinds[] = {"indicator", "bonus",       "bonus_cap",
                                        "penalty",   "penalty_cap", "adjust"};
    switch (c->kind) {
    case CAUSE_VETO: return "veto";
    case CAUSE_ELIGIBLE: return "eligible";
    case CAUSE_CONDITION: return "condition";
    case CAUSE_QUOTA: return "quota";
    case CAUSE_ITEM: return kinds[df->items[c->item].kind];
    }
    return "";
}

/* The source text of an expression on one line. */
static void expr_text(const Expr *e, Wbuf *b)
{
    const char *s = e->src->text + e->span.start, *end = e->src->text + e->span.end;
    bool space = false;
    for (; s < end; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = true;
            continue;
        }
        if (space) wbuf_char(b, ' ');
        space = false;
        wbuf_char(b, *s);
    }
}

static void state_word(CauseKind k, int8_t st, bool old, bool zh, Wbuf *b)
{
    static const char *const en[3][2] = {{"not fired", "fired"}, {"no", "yes"}, {"not met", "met"}};
    static const char *const cn[3][2] = {
        {"未触发", "触发"}, {"不符合", "符合"}, {"不满足", "满足"}};
    if (st < 0)
        wbuf_str(b, zh ? (old ? "（原方案无此项）" : "（新方案无此项）")
                       : (old ? "(not in the old scheme)" : "(not in the new scheme)"));
    else
        wbuf_str(b, (zh ? cn : en)[k][st]);
}

void veto_effect(const Model *m, const Veto *v, bool zh, Wbuf *b)
{
    if (v->effect == VETO_UNGRADED)
        wbuf_str(b, zh ? "不定等次" : "ungraded");
    else if (v->effect == VETO_FORCE)
        wbuf_printf(b, zh ? "定为%s" : "=> %s", m->grades[v->grade].name);
    else
        wbuf_printf(b, zh ? "至多%s" : "at most %s", m->grades[v->grade].name);
}

static void veto_state(const KpDiff *df, const Cause *c, int side, bool zh, Wbuf *b)
{
    state_word(CAUSE_VETO, c->state[side], side == 0, zh, b);
    if (c->state[side] != 1) return;
    wbuf_str(b, zh ? "，" : ", ");
    veto_effect(df->side[side].m, c->veto[side], zh, b);
}

static void quota_place(const Cause *c, int side, bool zh, Wbuf *b)
{
    long long rank = (long long)c->rank[side], quota = (long long)c->quota[side],
              ahead = (long long)c->ahead[side];
    const char *s = quota == 1 ? "" : "s";
    if (quota < 0)
        wbuf_printf(b, zh ? "第 %lld 名（无名额限制）" : "rank %lld (no quota)", rank);
    else if (zh && ahead < 0)
        wbuf_printf(b, "第 %lld 名，名额 %lld", rank, quota);
    else if (zh)
        wbuf_printf(b, "第 %lld 名，名额 %lld，前面已占 %lld", rank, quota, ahead);
    else if (ahead < 0)
        wbuf_printf(b, "rank %lld, %lld place%s", rank, quota, s);
    else
        wbuf_printf(b, "rank %lld, %lld place%s, %lld taken before", rank, quota, s, ahead);
}

void cause_write(const KpDiff *df, const Cause *c, bool zh, Wbuf *b)
{
    const char *colon = zh ? "：" : ": ";
    switch (c->kind) {
    case CAUSE_VETO:
        wbuf_printf(b, "%s %s%s", zh ? "一票否决" : "veto", c->name, colon);
        veto_state(df, c, 0, zh, b);
        wbuf_str(b, " → ");
        veto_state(df, c, 1, zh, b);
        return;
    case CAUSE_ELIGIBLE:
    case CAUSE_CONDITION:
        if (c->kind == CAUSE_ELIGIBLE) wbuf_printf(b, zh ? "%s资格" : "eligible for %s", c->name);
        if (c->kind == CAUSE_CONDITION) {
            wbuf_printf(b, zh ? "%s条件（" : "condition of %s (", c->name);
            expr_text(c->cond, b);
            wbuf_str(b, zh ? "）" : ")");
        }
        wbuf_str(b, colon);
        state_word(c->kind, c->state[0], true, zh, b);
        wbuf_str(b, " → ");
        state_word(c->kind, c->state[1], false, zh, b);
        return;
    case CAUSE_QUOTA:
        wbuf_printf(b, zh ? "%s名额%s" : "quota of %s%s", c->name, colon);
        quota_place(c, 0, zh, b);
        wbuf_str(b, " → ");
        quota_place(c, 1, zh, b);
        return;
    case CAUSE_ITEM:
        item_label(&df->items[c->item], zh, b);
        wbuf_str(b, colon);
        wbuf_dec(b, c->val[0], false);
        wbuf_str(b, " → ");
        wbuf_dec(b, c->val[1], false);
        wbuf_str(b, zh ? "（" : " (");
        wbuf_dec(b, c->delta, true);
        wbuf_str(b, zh ? "）" : ")");
        return;
    }
}
