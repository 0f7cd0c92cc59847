/*
** kp_test_util.h — helpers shared by the unit tests (header only: the
** Makefile builds only tests/unit/test_*.c).
**
**   kt_tmpdir / kt_write / kt_rmdir    a scratch directory with files in it
**   kt_replace_line                    one line of a file written there, replaced
**   kt_diag_summary                    "line:col: message\n" per diagnostic
**   kt_run / kt_run_dir                scheme + CSV files -> CSV text or errors
**
** Everything here frees what it allocates, so the tests stay clean under
** LeakSanitizer (make SAN=1 unit).
*/
#ifndef KP_TEST_UTIL_H
#define KP_TEST_UTIL_H

#include <criterion/criterion.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "kaoping.h"

/* ---- scratch directories ---- */

/* A new empty directory under /tmp; malloc'd path, give it to kt_rmdir. */
static inline char *kt_tmpdir(void)
{
    char tmpl[] = "/tmp/kptest.XXXXXX";
    char *d = mkdtemp(tmpl);
    cr_assert_not_null(d, "mkdtemp failed");
    char *copy = strdup(d);
    cr_assert_not_null(copy);
    return copy;
}

/* Writes text to dir/name (creating one level of subdirectory if name has a '/'). */
static inline void kt_write(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    const char *slash = strrchr(name, '/');
    if (slash) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%.*s", dir, (int)(slash - name), name);
        mkdir(sub, 0700);
    }
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    fwrite(text, 1, strlen(text), f);
    cr_assert_eq(fclose(f), 0);
}

static inline int kt_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes dir and everything in it, and frees the path. */
static inline void kt_rmdir(char *dir)
{
    if (!dir) return;
    nftw(dir, kt_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* Replaces the text of physical line `line` (1-based) of dir/name, which
** must have that many lines. */
static inline void kt_replace_line(const char *dir, const char *name, long line, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *all = malloc((size_t)size + 1);
    cr_assert_eq(fread(all, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    all[size] = 0;
    char *at = all;
    for (long i = 1; i < line; i++)
        at = strchr(at, '\n') + 1;
    char *end = strchr(at, '\n');
    f = fopen(path, "w");
    fwrite(all, 1, (size_t)(at - all), f);
    fputs(text, f);
    fputs(end, f);
    fclose(f);
    free(all);
}

/* ---- diagnostics ---- */

/* One line per diagnostic: "line:col: message" (errors), "line:col: warning: message"
** (warnings), so a test can compare every diagnostic at once. malloc'd. */
static inline char *kt_diag_summary(const Diags *d)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_not_null(f);
    for (size_t i = 0; i < d->n; i++) {
        const Diag *g = &d->items[i];
        const char *lv = g->level == DIAG_WARNING ? "warning: "
                         : g->level == DIAG_NOTE  ? "note: "
                                                  : "";
        fprintf(f, "%u:%u: %s%s\n", (unsigned)g->line, (unsigned)g->col, lv, g->msg ? g->msg : "");
    }
    fclose(f);
    return out;
}

/* The message of the first error, or "" when there is none. */
static inline const char *kt_first_error(const Diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].level == DIAG_ERROR) return d->items[i].msg ? d->items[i].msg : "";
    return "";
}

/* ---- running a scheme ---- */

typedef enum { KT_OK, KT_COMPILE_FAILED, KT_SET_FAILED, KT_RUN_FAILED, KT_WRITE_FAILED } KtStage;

typedef struct KtResult {
    KtStage stage;
    char *out;   /* CSV written by kp_write ("" unless stage == KT_OK) */
    char *diags; /* every diagnostic, rendered (diags_render) */
    char *error; /* the first error's message, or "" */
    char *dir;   /* the data directory (kept until kt_free) */
    size_t nerrors, nwarnings;
} KtResult;

/* Compiles dir/scheme.kp, applies each "NAME=VALUE" of sets (NULL-terminated,
** may be NULL), runs it on dir and writes CSV. Takes ownership of dir. */
static inline KtResult kt_run_dir(char *dir, const char *const *sets)
{
    KtResult r = {KT_OK, NULL, NULL, NULL, dir, 0, 0};
    char path[4096];
    snprintf(path, sizeof path, "%s/scheme.kp", dir);
    Diags d;
    diags_init(&d);
    KpScheme *s = kp_compile(path, &d);
    if (!s) r.stage = KT_COMPILE_FAILED;
    for (int i = 0; s && sets && sets[i] && r.stage == KT_OK; i++)
        if (!kp_set_param(s, sets[i], &d)) r.stage = KT_SET_FAILED;
    if (r.stage == KT_OK && !kp_run(s, dir, &d)) r.stage = KT_RUN_FAILED;
    char *out = NULL;
    size_t len = 0;
    if (r.stage == KT_OK) {
        FILE *f = open_memstream(&out, &len);
        cr_assert_not_null(f);
        bool ok = kp_write(s, f, KP_FORMAT_CSV, &d);
        fclose(f);
        if (!ok) r.stage = KT_WRITE_FAILED;
    }
    r.out = out ? out : strdup("");
    if (r.stage != KT_OK) {
        free(r.out);
        r.out = strdup("");
    }
    r.diags = diags_render(&d);
    r.error = strdup(kt_first_error(&d));
    r.nerrors = d.nerrors;
    r.nwarnings = d.nwarnings;
    kp_free(s);
    diags_free(&d);
    return r;
}

/* Writes scheme (as scheme.kp) and the files, given as NULL-terminated
** pairs {"persons.csv", "pid\nP1\n", ..., NULL}, to a new temporary
** directory and runs it (see kt_run_dir). */
static inline KtResult kt_run(const char *scheme, const char *const *files, const char *const *sets)
{
    char *dir = kt_tmpdir();
    kt_write(dir, "scheme.kp", scheme);
    for (int i = 0; files && files[i]; i += 2)
        kt_write(dir, files[i], files[i + 1]);
    return kt_run_dir(dir, sets);
}

static inline void kt_free(KtResult *r)
{
    free(r->out);
    free(r->diags);
    free(r->error);
    kt_rmdir(r->dir);
    memset(r, 0, sizeof *r);
}

static inline const char *kt_stage_name(KtStage s)
{
    static const char *const names[] = {"ok", "compile failed", "--set failed", "run failed",
                                        "write failed"};
    return names[s];
}

/* Asserts that the run succeeded and wrote exactly want. */
#define kt_expect_csv(res, want)                                                                   \
    do {                                                                                           \
        cr_assert_eq((res).stage, KT_OK, "%s:\n%s", kt_stage_name((res).stage), (res).diags);      \
        cr_expect_str_eq((res).out, (want));                                                       \
    } while (0)

/* Asserts that the run stopped at the given stage with this first error message. */
#define kt_expect_error(res, st, msg)                                                              \
    do {                                                                                           \
        cr_assert_eq((res).stage, (st), "stage: %s, want %s\n%s", kt_stage_name((res).stage),      \
                     kt_stage_name(st), (res).diags);                                              \
        cr_expect_str_eq((res).error, (msg));                                                      \
    } while (0)

#endif
