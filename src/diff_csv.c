/*
** diff_csv.c — kaoping diff as CSV: one row per person, sorted by key, with
** the total, grade, rank and vetoes before and after, the change of each
** item's contribution to the total (items of both versions, matched by
** name; one only in one version counts from or to 0), and, for a person
** whose grade changes, the causes in words.
*/
#include "diff.h"
#include "xalloc.h"

static void put_rank(Wbuf *b, int64_t r)
{
    wbuf_char(b, ',');
    if (r > 0) wbuf_printf(b, "%lld", (long long)r);
}

/* The vetoes that fired, joined by ';' as one field. */
static void put_vetoes(const KpDiff *df, int side, int32_t row, Wbuf *tmp, Wbuf *b)
{
    const char *names[64];
    int n = diff_vetoes_fired(df, side, row, names);
    wbuf_char(b, ',');
    if (!n) return;
    wbuf_clear(tmp);
    for (int i = 0; i < n; i++) {
        if (i) wbuf_char(tmp, ';');
        wbuf_str(tmp, names[i]);
    }
    wbuf_csv(b, wbuf_cstr(tmp));
}

static void put_causes(KpDiff *df, int32_t row, Cause *causes, Wbuf *tmp, Wbuf *b)
{
    wbuf_char(b, ',');
    if (df->grade[0][row] == df->grade[1][row]) return;
    wbuf_clear(tmp);
    int n = diff_causes(df, row, causes);
    for (int k = 0; k < n; k++) {
        if (k) wbuf_str(tmp, "; ");
        cause_write(df, &causes[k], false, tmp);
    }
    wbuf_csv(b, wbuf_cstr(tmp));
}

void diff_write_csv(KpDiff *df, Wbuf *b)
{
    const Model *m = df->side[0].m;
    wbuf_csv(b, m->assessed->cols[m->assessed->key_col]->name);
    wbuf_str(b, ",old_total,new_total,delta_total,old_grade,new_grade,grade_changed,old_rank,"
                "new_rank,old_vetoes,new_vetoes");
    for (int i = 0; i < df->nitems; i++) {
        wbuf_char(b, ',');
        wbuf_csv(b, df->items[i].column);
    }
    wbuf_str(b, ",causes\n");
    Cause *causes = xmalloc(sizeof(Cause) * (size_t)diff_max_causes(df));
    Wbuf tmp;
    wbuf_init(&tmp, NULL);
    for (int32_t i = 0; i < df->n; i++) {
        int32_t row = diff_by_key(df, i);
        wbuf_csv(b, diff_key(df, row));
        for (int side = 0; side < 2; side++) {
            wbuf_char(b, ',');
            wbuf_dec(b, diff_total(df, side, row), false);
        }
        wbuf_char(b, ',');
        wbuf_dec(b, diff_delta(df, row), false);
        for (int side = 0; side < 2; side++) {
            wbuf_char(b, ',');
            const DiffName *g = &df->grades[df->grade[side][row]];
            if (g->text_id) wbuf_csv(b, g->name); /* empty: the scheme has no grades */
        }
        wbuf_str(b, df->grade[0][row] != df->grade[1][row] ? ",true" : ",false");
        put_rank(b, diff_rank(df, 0, row));
        put_rank(b, diff_rank(df, 1, row));
        put_vetoes(df, 0, row, &tmp, b);
        put_vetoes(df, 1, row, &tmp, b);
        for (int k = 0; k < df->nitems; k++) {
            const DiffItem *it = &df->items[k];
            wbuf_char(b, ',');
            wbuf_dec(b, diff_item_value(df, it, 1, row) - diff_item_value(df, it, 0, row), false);
        }
        put_causes(df, row, causes, &tmp, b);
        wbuf_char(b, '\n');
    }
    wbuf_finish(&tmp);
    free(causes);
}
