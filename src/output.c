/*
** output.c — result writers (see output.h). Columns: the key, every
** indicator (in declaration order, parents before children), every bonus and
** penalty item, score, bonus_total, penalty_total, total, the vetoes that
** fired, eligibility for each grade with a `require`, grade and rank.
*/
#include "output.h"
#include "date.h"

#include <stdlib.h>
#include <string.h>

typedef struct Out {
    Eval *ev;
    FILE *f;
    OutFormat fmt;
    PtrVec cols; /* ValueDef * in output order */
} Out;

static void put_csv_text(FILE *f, const char *s, size_t n)
{
    if (strcspn(s, ",\"\r\n") >= n) {
        fwrite_unlocked(s, 1, n, f);
        return;
    }
    fputc_unlocked('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') fputc_unlocked('"', f);
        fputc_unlocked(s[i], f);
    }
    fputc_unlocked('"', f);
}

static void put_json_text(FILE *f, const char *s, size_t n)
{
    fputc_unlocked('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs_unlocked("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc_unlocked(c, f);
    }
    fputc_unlocked('"', f);
}

static void put_text(Out *o, const char *s)
{
    if (o->fmt == OUT_CSV)
        put_csv_text(o->f, s, strlen(s));
    else
        put_json_text(o->f, s, strlen(s));
}

static void put_value(Out *o, ValueDef *v, int32_t row)
{
    Value x = value_get(o->ev, v, row);
    if (x.null) {
        if (o->fmt == OUT_JSON) fputs_unlocked("null", o->f);
        return;
    }
    char buf[DEC_FMT_MAX];
    switch (v->type.base) {
    case T_TEXT: {
        size_t n;
        const char *s = intern_str(&o->ev->m->strings, x.t, &n);
        if (o->fmt == OUT_CSV)
            put_csv_text(o->f, s, n);
        else
            put_json_text(o->f, s, n);
        return;
    }
    case T_BOOL: fputs_unlocked(x.b ? "true" : "false", o->f); return;
    case T_DATE:
        date_format(x.d, buf);
        if (o->fmt == OUT_JSON)
            fprintf(o->f, "\"%s\"", buf);
        else
            fputs_unlocked(buf, o->f);
        return;
    default: dec_format(x.n, buf); fputs_unlocked(buf, o->f);
    }
}

static void collect_indicator(Out *o, Indicator *ind)
{
    Model *m = o->ev->m;
    ptrvec_push(m->arena, &o->cols, m->values[ind->value_id]);
    for (int i = 0; i < ind->children.n; i++)
        collect_indicator(o, ind->children.items[i]);
    for (int i = 0; i < ind->branches.n; i++) {
        Branch *b = ind->branches.items[i];
        for (int j = 0; j < b->children.n; j++)
            collect_indicator(o, b->children.items[j]);
    }
}

static int key_cmp(const void *pa, const void *pb, void *arg)
{
    const Model *m = arg;
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return value_cmp_text(m, m->assessed->key_text[a], m->assessed->key_text[b]);
}

static void csv_header(Out *o)
{
    Model *m = o->ev->m;
    put_text(o, m->assessed->cols[m->assessed->key_col]->name);
    for (int i = 0; i < o->cols.n; i++) {
        ValueDef *v = o->cols.items[i];
        fputc_unlocked(',', o->f);
        /* the last adjustment stage carries its own name; the column is the total */
        put_text(o, v == m->v_total ? "total" : v->name);
    }
    fputs_unlocked(",vetoes", o->f);
    for (int g = 0; g < m->ngrades; g++)
        if (m->grades[g].rule->require) {
            char name[300];
            snprintf(name, sizeof name, "eligible:%s", m->grades[g].name);
            fputc_unlocked(',', o->f);
            put_text(o, name);
        }
    fputs_unlocked(",grade,rank\n", o->f);
}

static void put_vetoes(Out *o, int32_t row)
{
    Model *m = o->ev->m;
    uint64_t bits = m->vetoes_fired ? m->vetoes_fired[row] : 0;
    if (o->fmt == OUT_JSON) fputc_unlocked('[', o->f);
    bool first = true;
    char *joined = NULL;
    size_t len = 0;
    FILE *mem = o->fmt == OUT_CSV ? open_memstream(&joined, &len) : NULL;
    for (int i = 0; i < m->nvetoes; i++) {
        if (!(bits & (1ull << i))) continue;
        if (mem)
            fprintf(mem, "%s%s", first ? "" : ";", m->vetoes[i]->name);
        else {
            fputs_unlocked(first ? "" : ", ", o->f);
            put_text(o, m->vetoes[i]->name);
        }
        first = false;
    }
    if (mem) {
        fclose(mem);
        put_csv_text(o->f, joined, len);
        free(joined);
    } else {
        fputc_unlocked(']', o->f);
    }
}

static void csv_row(Out *o, int32_t row)
{
    Model *m = o->ev->m;
    size_t n;
    const char *key = intern_str(&m->strings, m->assessed->key_text[row], &n);
    put_csv_text(o->f, key, n);
    for (int i = 0; i < o->cols.n; i++) {
        fputc_unlocked(',', o->f);
        put_value(o, o->cols.items[i], row);
    }
    fputc_unlocked(',', o->f);
    put_vetoes(o, row);
    for (int g = 0; g < m->ngrades; g++)
        if (m->grades[g].rule->require) {
            fputc_unlocked(',', o->f);
            fputs_unlocked(m->eligible[(size_t)row * m->ngrades + g] ? "true" : "false", o->f);
        }
    fputc_unlocked(',', o->f);
    put_value(o, m->v_grade, row);
    fputc_unlocked(',', o->f);
    put_value(o, m->v_rank, row);
    fputc_unlocked('\n', o->f);
}

static void json_section(Out *o, const char *name, ValKind kind, int32_t row)
{
    fprintf(o->f, ", \"%s\": {", name);
    bool first = true;
    for (int i = 0; i < o->cols.n; i++) {
        ValueDef *v = o->cols.items[i];
        if (v->kind != kind) continue;
        fputs_unlocked(first ? "" : ", ", o->f);
        put_text(o, v->name);
        fputs_unlocked(": ", o->f);
        put_value(o, v, row);
        first = false;
    }
    fputc_unlocked('}', o->f);
}

static void json_row(Out *o, int32_t row, bool last)
{
    Model *m = o->ev->m;
    size_t n;
    const char *key = intern_str(&m->strings, m->assessed->key_text[row], &n);
    fputs_unlocked("    {", o->f);
    put_text(o, m->assessed->cols[m->assessed->key_col]->name);
    fputs_unlocked(": ", o->f);
    put_json_text(o->f, key, n);
    json_section(o, "indicators", VAL_INDICATOR, row);
    json_section(o, "bonus", VAL_BONUS, row);
    json_section(o, "penalty", VAL_PENALTY, row);
    if (m->outputs.n) json_section(o, "values", VAL_LET, row);
    ValueDef *tot[] = {m->v_score, m->v_bonus_total, m->v_penalty_total, m->v_total};
    const char *names[] = {"score", "bonus_total", "penalty_total", "total"};
    for (int i = 0; i < 4; i++) {
        fprintf(o->f, ", \"%s\": ", names[i]);
        put_value(o, tot[i], row);
    }
    fputs_unlocked(", \"vetoes\": ", o->f);
    put_vetoes(o, row);
    fputs_unlocked(", \"eligible\": {", o->f);
    bool first = true;
    for (int g = 0; g < m->ngrades; g++)
        if (m->grades[g].rule->require) {
            fputs_unlocked(first ? "" : ", ", o->f);
            put_text(o, m->grades[g].name);
            fputs_unlocked(m->eligible[(size_t)row * m->ngrades + g] ? ": true" : ": false", o->f);
            first = false;
        }
    fputs_unlocked("}, \"grade\": ", o->f);
    put_value(o, m->v_grade, row);
    fputs_unlocked(", \"rank\": ", o->f);
    put_value(o, m->v_rank, row);
    fputs_unlocked(last ? "}\n" : "},\n", o->f);
}

bool output_write(Eval *ev, FILE *f, OutFormat fmt)
{
    Model *m = ev->m;
    Out o = {ev, f, fmt, {0}};
    for (int i = 0; i < m->top_indicators.n; i++)
        collect_indicator(&o, m->top_indicators.items[i]);
    for (int i = 0; i < m->bonuses.n; i++)
        ptrvec_push(m->arena, &o.cols, m->bonuses.items[i]);
    for (int i = 0; i < m->penalties.n; i++)
        ptrvec_push(m->arena, &o.cols, m->penalties.items[i]);
    for (int i = 0; i < m->outputs.n; i++)
        ptrvec_push(m->arena, &o.cols, m->outputs.items[i]);
    if (fmt == OUT_CSV) {
        ValueDef *tot[] = {m->v_score, m->v_bonus_total, m->v_penalty_total, m->v_total};
        for (int i = 0; i < 4; i++)
            ptrvec_push(m->arena, &o.cols, tot[i]);
    }
    /* Compute everything first, so a runtime error leaves nothing half-written. */
    for (int i = 0; i < o.cols.n; i++)
        compute_value(ev, o.cols.items[i]);
    compute_value(ev, m->v_total);
    compute_value(ev, m->v_grade);
    for (int i = 0; i < m->order.n; i++)
        compute_value(ev, m->order.items[i]);
    int32_t n = ev->nrows;
    int32_t *perm = ev_alloc(ev, sizeof(int32_t) * (size_t)(n ? n : 1));
    for (int32_t i = 0; i < n; i++)
        perm[i] = i;
    qsort_r(perm, (size_t)n, sizeof(int32_t), key_cmp, m);
    if (fmt == OUT_CSV) {
        csv_header(&o);
        for (int32_t i = 0; i < n; i++)
            csv_row(&o, perm[i]);
    } else {
        fputs_unlocked("{\n  \"scheme\": ", f);
        put_text(&o, m->scheme_name ? m->scheme_name : "");
        fputs_unlocked(",\n  \"version\": ", f);
        put_text(&o, m->version ? m->version : "");
        fputs_unlocked(",\n  \"results\": [\n", f);
        for (int32_t i = 0; i < n; i++)
            json_row(&o, perm[i], i == n - 1);
        fputs_unlocked("  ]\n}\n", f);
    }
    ev_free(ev, perm);
    return !ferror(f);
}
