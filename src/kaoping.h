/*
** kaoping.h — the library's public interface. The library never prints and
** never exits: problems come back as diagnostics, and main.c decides what to
** show and which exit status to use.
*/
#ifndef KAOPING_H
#define KAOPING_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

#define KP_VERSION "0.1.0"

typedef struct KpScheme KpScheme;

typedef enum { KP_FORMAT_CSV, KP_FORMAT_JSON } KpFormat;

/* Reads, parses and resolves a scheme and its imports. Diagnostics (errors
** and warnings) go to d. Returns NULL when there was any error. */
KpScheme *kp_compile(const char *path, Diags *d);
/* Compiles a second scheme beside base, to compare the two on the same data
** (kp_run_both): text is interned in base's table, so a value means the same
** id in both. base must be freed after the returned scheme. */
KpScheme *kp_compile_beside(const char *path, KpScheme *base, Diags *d);
void kp_free(KpScheme *s);

/* Overrides a param: "NAME=VALUE", checked against the param's type. */
bool kp_set_param(KpScheme *s, const char *assignment, Diags *d);

/* Loads the tables from dir and computes every value and grade. */
bool kp_run(KpScheme *s, const char *dir, Diags *d);

/* Runs two schemes on the same data, read once: b (compiled beside a) must
** declare the same tables as a, or the first difference is reported with
** both places. Each CSV file is read and parsed once; the aggregates of both
** schemes are folded in that one pass, and b's tables share a's storage. */
bool kp_run_both(KpScheme *a, KpScheme *b, const char *dir, Diags *d);

/* Writes the results of a successful kp_run. Runtime errors found while
** writing (none are expected: all values are computed by kp_run) and write
** errors return false. */
bool kp_write(KpScheme *s, FILE *f, KpFormat fmt, Diags *d);

/* ---- kaoping diff: the comparison of two runs (diff.c) ---- */

typedef struct KpDiff KpDiff;

typedef enum { KP_DIFF_TEXT, KP_DIFF_CSV, KP_DIFF_JSON, KP_DIFF_HTML } KpDiffFormat;

typedef struct KpDiffInfo {
    const char *old_path, *new_path; /* the scheme files, as given */
    const char *const *sets;         /* NAME=VALUE overrides applied to the new side */
    int nsets;
    int top; /* persons, movements and units listed in the summary */
} KpDiffInfo;

/* Compares the results of kp_run_both(old, new): grade changes, the
** transition matrix, grades per unit and each person's causes. Both schemes
** must outlive the diff. */
KpDiff *kp_diff(KpScheme *old, KpScheme *new_, const KpDiffInfo *info, Diags *d);
/* Writes the comparison: a terminal summary, CSV or JSON (one row per
** person), or a self-contained HTML report. False on a write error. */
bool kp_diff_write(KpDiff *df, FILE *f, KpDiffFormat fmt);
void kp_diff_free(KpDiff *df);

#endif
