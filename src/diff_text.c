/*
** diff_text.c — the terminal summary of kaoping diff: how many persons change
** grade, the transition matrix, grades per unit before and after, the
** largest movements of the total, and each person who changes grade with
** the causes, largest first. Lists stop after info.top entries.
*/
#include "diff.h"
#include "xalloc.h"

#include <string.h>

/* A table of text cells, aligned by terminal width. */
typedef struct Tab {
    Arena *a;
    const char **cells;
    int ncols, n, cap;
} Tab;

static void cell(Tab *t, const char *s)
{
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        const char **cells = ARENA_ARR(t->a, const char *, cap);
        if (t->n) memcpy(cells, t->cells, sizeof(char *) * (size_t)t->n);
        t->cells = cells;
        t->cap = cap;
    }
    t->cells[t->n++] = s;
}

static void cell_int(Tab *t, int64_t v)
{
    cell(t, arena_printf(t->a, "%lld", (long long)v));
}

/* align: one letter per column, 'l' or 'r'; the last column is not padded. */
static void tab_write(const Tab *t, const char *align, Wbuf *b)
{
    int w[64] = {0};
    int nc = t->ncols;
    for (int i = 0; i < t->n; i++) {
        int tw = text_width(t->cells[i]);
        if (i % nc < 64 && tw > w[i % nc]) w[i % nc] = tw;
    }
    for (int i = 0; i < t->n; i++) {
        int c = i % nc;
        bool right = align[c < (int)strlen(align) ? c : (int)strlen(align) - 1] == 'r';
        wbuf_str(b, "  ");
        if (c == nc - 1 && !right)
            wbuf_str(b, t->cells[i]);
        else
            wbuf_pad(b, t->cells[i], c < 64 ? w[c] : 0, right);
        if (c == nc - 1) wbuf_char(b, '\n');
    }
}

static const char *dec_text(Arena *a, Dec x, bool sign)
{
    char buf[DEC_FMT_MAX + 1];
    size_t k = 0;
    if (sign && x > 0) buf[k++] = '+';
    dec_format(x, buf + k);
    return arena_strdup(a, buf);
}

static void header(KpDiff *df, Wbuf *b)
{
    wbuf_printf(b, "kaoping diff: %d persons\n", df->n);
    for (int side = 0; side < 2; side++) {
        const DiffSide *s = &df->side[side];
        wbuf_printf(b, "  %s  %s", side ? "new" : "old", s->path);
        if (s->m->scheme_name) wbuf_printf(b, "  %s", s->m->scheme_name);
        if (s->m->version) wbuf_printf(b, " %s", s->m->version);
        for (int i = 0; side && i < df->info.nsets; i++)
            wbuf_printf(b, "  --set %s", df->info.sets[i]);
        wbuf_char(b, '\n');
    }
    if (df->nparams) wbuf_str(b, "\nParams that differ\n");
    for (int i = 0; i < df->nparams; i++) {
        wbuf_printf(b, "  %s  ", df->params[i].name);
        diff_param_value(df, df->params[i].p[0], b);
        wbuf_str(b, " → ");
        diff_param_value(df, df->params[i].p[1], b);
        wbuf_char(b, '\n');
    }
    wbuf_printf(b, "\n%d %s grade; %d %s.\n", df->ngrade_changes,
                df->ngrade_changes == 1 ? "person changes" : "persons change", df->ntotal_changes,
                df->ntotal_changes == 1 ? "total changes" : "totals change");
}

static void matrix(KpDiff *df, Arena *a, Wbuf *b)
{
    int ng = df->ngrades;
    wbuf_str(b, "\nGrade transitions (rows: old grade, columns: new grade)\n");
    if (!ng) {
        wbuf_str(b, "  none: no one is assessed\n");
        return;
    }
    Tab t = {a, NULL, ng + 1, 0, 0};
    cell(&t, "");
    for (int j = 0; j < ng; j++)
        cell(&t, df->grades[j].name);
    for (int i = 0; i < ng; i++) {
        cell(&t, df->grades[i].name);
        for (int j = 0; j < ng; j++)
            cell_int(&t, df->matrix[i * ng + j]);
    }
    tab_write(&t, "lr", b);
}

static void units(KpDiff *df, Arena *a, Wbuf *b)
{
    int ng = df->ngrades;
    if (df->unit_group)
        wbuf_printf(b, "\nGrades per unit (group %s), old → new\n", df->unit_group);
    else
        wbuf_str(b, "\nGrades of everyone (the grading has no group), old → new\n");
    Tab t = {a, NULL, ng + 3, 0, 0};
    cell(&t, "unit");
    cell(&t, "persons");
    cell(&t, "changes");
    for (int j = 0; j < ng; j++)
        cell(&t, df->grades[j].name);
    int32_t shown = df->nunits < df->info.top ? df->nunits : df->info.top;
    for (int32_t u = 0; u < shown; u++) {
        const DiffUnit *x = &df->units[u];
        cell(&t, diff_unit_label(x, false));
        cell_int(&t, x->persons);
        cell_int(&t, x->changes);
        for (int j = 0; j < ng; j++)
            cell(&t, x->count[0][j] == x->count[1][j]
                         ? arena_printf(a, "%d", x->count[0][j])
                         : arena_printf(a, "%d → %d", x->count[0][j], x->count[1][j]));
    }
    tab_write(&t, "lr", b);
    if (shown < df->nunits)
        wbuf_printf(b, "  ... and %d more units (most changes first; see -o FILE.json)\n",
                    df->nunits - shown);
}

static void moves(KpDiff *df, Arena *a, Wbuf *b)
{
    wbuf_str(b, "\nLargest movements of the total\n");
    if (!df->ntotal_changes) {
        wbuf_str(b, "  none: every total is the same\n");
        return;
    }
    Tab t = {a, NULL, 5, 0, 0};
    for (int32_t i = 0; i < df->nmoves; i++) {
        int32_t row = df->moves[i];
        cell(&t, diff_key(df, row));
        cell(&t, dec_text(a, diff_total(df, 0, row), false));
        cell(&t, arena_printf(a, "→ %s", dec_text(a, diff_total(df, 1, row), false)));
        cell(&t, dec_text(a, diff_delta(df, row), true));
        uint16_t g0 = df->grade[0][row], g1 = df->grade[1][row];
        cell(&t, g0 == g1 ? df->grades[g0].name
                          : arena_printf(a, "%s → %s", df->grades[g0].name, df->grades[g1].name));
    }
    tab_write(&t, "lrlrl", b);
    if (df->nmoves < df->ntotal_changes)
        wbuf_printf(b, "  ... and %d more (see -o FILE.csv)\n", df->ntotal_changes - df->nmoves);
}

static void changes(KpDiff *df, Wbuf *b)
{
    wbuf_printf(b, "\nPersons who change grade (%d)\n", df->ngrade_changes);
    if (!df->ngrade_changes) {
        wbuf_str(b, "  none\n");
        return;
    }
    Cause *causes = xmalloc(sizeof(Cause) * (size_t)diff_max_causes(df));
    int32_t shown = df->ngrade_changes < df->info.top ? df->ngrade_changes : df->info.top;
    for (int32_t i = 0; i < shown; i++) {
        int32_t row = df->changed[i];
        wbuf_printf(b, "  %s  %s → %s  total ", diff_key(df, row),
                    df->grades[df->grade[0][row]].name, df->grades[df->grade[1][row]].name);
        wbuf_dec(b, diff_total(df, 0, row), false);
        wbuf_str(b, " → ");
        wbuf_dec(b, diff_total(df, 1, row), false);
        wbuf_str(b, " (");
        wbuf_dec(b, diff_delta(df, row), true);
        wbuf_printf(b, ")  rank %lld → %lld\n", (long long)diff_rank(df, 0, row),
                    (long long)diff_rank(df, 1, row));
        int n = diff_causes(df, row, causes);
        for (int k = 0; k < n; k++) {
            wbuf_str(b, "      ");
            cause_write(df, &causes[k], false, b);
            wbuf_char(b, '\n');
        }
        if (!n) wbuf_str(b, "      (no single cause: the grades of others moved)\n");
    }
    free(causes);
    if (shown < df->ngrade_changes)
        wbuf_printf(b, "  ... and %d more (largest movements first; see -o FILE.csv)\n",
                    df->ngrade_changes - shown);
}

void diff_write_text(KpDiff *df, Wbuf *b)
{
    Arena a;
    arena_init(&a);
    header(df, b);
    matrix(df, &a, b);
    units(df, &a, b);
    moves(df, &a, b);
    changes(df, b);
    arena_free(&a);
}
